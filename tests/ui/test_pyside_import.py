"""The cheaper PySide6 import-hook test answers exactly as PySide6's own (source contains "PySide6")."""

from __future__ import annotations

import inspect
import math
from types import ModuleType

import pytest

import desktop.core.text
import desktop.ui.app
import desktop.ui.table.view
from desktop.ui import pyside_import


def _as_pyside_does(module: ModuleType) -> bool:
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


@pytest.mark.parametrize("module", [desktop.ui.app, desktop.ui.table.view, desktop.core.text, math, inspect])
def test_the_answer_is_pysides_own(module: ModuleType) -> None:
    assert pyside_import._mentions_pyside(module) == _as_pyside_does(module)


def test_it_is_installed_once_the_window_package_is_imported() -> None:
    import shibokensupport.feature as feature  # type: ignore[import-not-found]

    assert feature._mod_uses_pyside is pyside_import._mentions_pyside
