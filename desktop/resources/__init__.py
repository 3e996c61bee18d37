"""Data files shipped inside the package: the sample workspace, the gazetteer, the icon, the desktop entry.

Read them through ``importlib.resources`` (``files()`` below), never through a path
built from ``__file__``: the package may be installed from a wheel, where a
checkout's top-level folders do not exist (docs/architecture.md, known traps). ``as_file`` gives a real
file where a caller needs one (Qt's icon loader, a copy into the user's folders).
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

APP_ID = "io.github.crosscheck_app.Crosscheck"
"""The reverse-DNS application id: the desktop entry's, the icon's and the AppStream component's name.

The metainfo and the package metadata name no web address on purpose: the project has no
public home yet, and a URL pointing at a host nobody runs would send a software centre or a
user to the wrong place. The id keeps its name (installed entries and icons are named by it);
give the metainfo its ``<url>`` and screenshot entries once the project has a home."""


def files() -> Traversable:
    return resources.files(__name__)


def resource(name: str) -> Traversable:
    """One shipped file by name (``sample-workspace.json``, ``gazetteer.json``, …)."""
    return files() / name
