"""The one write path of a workspace (docs/architecture.md): each write one transaction plus audit rows."""

from desktop.core.store.api import Store
from desktop.core.store.base import InvalidValue
from desktop.core.store.tx import Change, Result

__all__ = ["Change", "InvalidValue", "Result", "Store"]
