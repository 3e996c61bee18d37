"""Progress of a long write, reported to whoever started it: a line on a terminal, a dialog in the window.

A ``Progress`` callback receives what is being done and the fraction done so far
(0 to 1). It is called on the thread doing the work, inside the write
transaction: a callback that raises ``Cancelled`` (the window's Cancel button)
ends the operation and the transaction is rolled back, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from desktop.core.errors import UserError

Progress = Callable[[str, float], None]


class Cancelled(UserError):
    """The user cancelled a long operation; nothing was written."""

    def __init__(self, what: str = "cancelled: nothing was written") -> None:
        super().__init__(what)


def no_progress(step: str, fraction: float) -> None:
    """The callback of a caller that does not want to know."""


IMPORT_STEPS: Final = {
    # Rough shares of an import's time spent before each step begins, after the README's breakdown
    # of a 100k-claim import (about 7 s: reading ~1 s, checking ~1 s, deriving ~0.9 s, claims and
    # their full-text index ~2.5 s, audit ~0.5 s). Enough for a progress bar that moves evenly.
    "reading the document": 0.0,
    "checking the document": 0.15,
    "writing sources, reports and places": 0.3,
    "deriving statuses": 0.33,
    "writing claims": 0.45,
    "writing links and requests for comment": 0.8,
    "writing the audit trail": 0.85,
    "re-deriving linked claims": 0.93,
    "saving": 0.96,
}
