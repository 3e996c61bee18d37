"""The table's rows as one analyst sees them: their derived columns replaced by that analyst's derivation.

The model caches rows as the workspace stores them (every analyst's effective
links). In the "as analyst" view the status and suggested credibility columns —
and whether the evidence disputes the verdict — follow one analyst's judgements
alone (``desktop.core.read.as_analyst``); everything else on the row is the
same. A row is rewritten when it is shown, and remembered while its cached row
stays the same object, so painting a screen costs a few dictionary lookups.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Final

from desktop.core.read.rows import ClaimRow

if TYPE_CHECKING:  # loaded with the "as analyst" view, never before the table's first paint
    from desktop.core.read.as_analyst import AnalystStatuses

_REMEMBERED: Final = 8192  # rows rewritten and kept (a few screens and the cache's blocks)


class SeenRows:
    """Rewrites cached rows as ``statuses.analyst`` sees them (``statuses`` None: rows as stored)."""

    def __init__(self) -> None:
        self.statuses: AnalystStatuses | None = None
        self._rewritten: dict[int, tuple[ClaimRow, ClaimRow]] = {}

    @property
    def analyst(self) -> str | None:
        return None if self.statuses is None else self.statuses.analyst

    def show(self, statuses: AnalystStatuses | None) -> None:
        self.statuses = statuses
        self._rewritten.clear()

    def row(self, stored: ClaimRow) -> ClaimRow:
        seen = self.statuses
        if seen is None:
            return stored
        found = self._rewritten.get(stored.id)
        if found is not None and found[0] is stored:
            return found[1]
        from desktop.core.corroboration import verdict_disputed

        status = seen.status_of(stored.id)
        shown = dataclasses.replace(
            stored,
            status=status,
            suggested_credibility=seen.suggested_of(stored.id),
            verdict_disputed=verdict_disputed(stored.verdict, status),
        )
        if len(self._rewritten) >= _REMEMBERED:
            self._rewritten.clear()
        self._rewritten[stored.id] = (stored, shown)
        return shown
