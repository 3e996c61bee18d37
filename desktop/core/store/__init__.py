"""The one write path of a workspace (docs/architecture.md): each write one transaction plus audit rows.

Its names are imported when first asked for (PEP 562): a module of this package that needs none of them —
``loaded_graph``, which the as-of derivation process imports first — is then imported without the schema,
SQLModel and SQLAlchemy (~0.4 s that the replay waited for).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.core.store.api import Store
    from desktop.core.store.base import InvalidValue
    from desktop.core.store.tx import Change, Result

__all__ = ["Change", "InvalidValue", "Result", "Store"]

_MODULE_OF = {
    "Change": "desktop.core.store.tx",
    "InvalidValue": "desktop.core.store.base",
    "Result": "desktop.core.store.tx",
    "Store": "desktop.core.store.api",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
