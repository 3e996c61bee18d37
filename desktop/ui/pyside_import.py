"""A cheaper test in PySide6's import hook, installed before the window's modules are imported.

PySide6 replaces ``__import__`` with a hook that, for every module running an
import, asks whether that module mentions PySide6 (for its ``__feature__``
switches) with ``inspect.getsource(module)`` — which also walks every loaded
module to map files to modules, each time. At start-up the window imports some
five hundred modules this way, and the test cost about a fifth of the imports'
time (bench/README.md, start-up). The same question, answered by reading the
module's file, gives the same answer without the walk. Should PySide6 change
its internals, the replacement is simply not installed.
"""

from __future__ import annotations

from types import ModuleType


def _mentions_pyside(module: ModuleType) -> bool:
    """What PySide6's ``_mod_uses_pyside`` answers: whether the module's source contains "PySide6"."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # no source to read (an extension module, a frozen one): getsource fails, so False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def install() -> None:
    import PySide6.QtCore  # noqa: F401  (loads shiboken's import hook and its support modules)

    try:
        import shibokensupport.feature as feature  # type: ignore[import-not-found]
    except ImportError:
        return
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _mentions_pyside
