"""Regression tests for known traps of the Qt binding on this platform (docs/architecture.md, known traps)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_the_installed_pyside6_respects_the_none_dealloc_pin() -> None:
    """PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None per void call and aborts."""
    installed = _release(version("PySide6-Essentials"))
    if sys.version_info < (3, 12):
        assert installed < (6, 12), f"PySide6-Essentials {installed} aborts on CPython 3.11 (none_dealloc)"


def test_many_calls_of_methods_returning_nothing_do_not_abort_the_interpreter() -> None:
    """Each void call would leak one reference to None; enough of them reach zero and abort the process."""
    program = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for n in range(300_000):
    label.setText("x")          # returns None
    label.setEnabled(n % 2 == 0)  # returns None
print("survived")
"""
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("survived")
