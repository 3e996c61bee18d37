"""How the claim table's model follows the session's changes: counted again, repainted, or rows moved.

The base of ``ClaimTableModel`` between it and ``EstimatedRows`` (and ``RowMoves``) (kept apart so each
file stays about one thing): ``_on_changed`` hears every ``Change`` the session
broadcasts (this window's writes and, through ``ui.live``, other processes'),
and ``_apply_change`` brings the count and the cached rows up to date by
querying only the claims the change names (see its docstring). The model
provides the view, the cache, the count and ``_reload`` / ``_reset``.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Signal

from desktop.core.read.rows import ClaimRow, RowKey
from desktop.ui.table.columns import COLUMN_COUNT
from desktop.ui.table.exact_count import EstimatedRows
from desktop.ui.table.row_moves import BLOCK_SIZE

if TYPE_CHECKING:  # imported once the workspace is open (the table's first paint needs none of it)
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.elements import ColumnElement

    from desktop.core.read.rows import View
    from desktop.core.store import Change
    from desktop.ui.session import WorkspaceSession

MAX_MOVES: Final = 64  # rows entering, leaving or moving in one change: more than this, reset the model
KNOWN_LIMIT: Final = 10_000  # claims whose place in or out of the view the model remembers between changes

# The claim columns the status engine derives: the only ones a link write changes (store.links).
DERIVED_COLUMNS: Final = frozenset({"status", "suggested_credibility", "verdict_disputed", "link_count"})
# Sorts on derived columns: a link write can move a row anywhere in these orders.
DERIVED_SORTS: Final = frozenset({"status", "suggested", "links"})


class FollowChanges(EstimatedRows):
    """The model's reaction to the session's changes; see the module docstring."""

    counts_changed = Signal(int, int)  # rows shown, claims in the workspace (the model emits it on every reset)

    _total: int
    _counted_at: int
    _known: dict[int, bool]
    _reads_derived: bool | None

    def _reload(self, reason: str, view: View | None = None) -> None:
        raise NotImplementedError

    def _reset(
        self, reason: str, view: View, sizes: list[int], total: int, known: dict[int, bool] | None = None
    ) -> None:
        raise NotImplementedError

    def _connect(self, *, snapshot: bool = False) -> Connection:
        raise NotImplementedError

    def _attached(self) -> WorkspaceSession:
        raise NotImplementedError

    def _on_changed(self, change: Change) -> None:
        span = change.audit_span
        if change.remote and span is not None and not change.everything:
            # A change committed elsewhere, heard after the model counted again: what the count has
            # seen already must not be added or removed twice, only repainted.
            if span[1] <= self._counted_at:
                change = dataclasses.replace(
                    change, claims=change.claims | change.added_claims, added_claims=set(), removed_claims=set()
                )
            elif span[0] < self._counted_at:
                self._reload("data")  # partly counted already: which part is not known
                return
        if (
            change.everything
            or change.sources
            or change.places
            or change.added_claims & change.removed_claims  # gone and back in one write: count again
        ):
            self._reload("data")
        elif change.claims or change.status_changed or change.added_claims or change.removed_claims:
            self._apply_change(change)
            if not self.count_is_exact():  # the count on its way has not seen this change: count again
                self._count_later(self._attached().workspace.engine, self._view)

    def _apply_change(self, change: Change) -> None:
        """Bring the count and the cached rows up to date with ``change``, querying only the claims it names.

        The changed claims are fetched through the view (those it still shows);
        how each stood before comes from the cache (a cached row was shown, at its
        key), from the view (without a filter every claim is shown), from an earlier
        change that named it (``_known``), or, for a link write under a filter that
        reads no derived column, from the claim itself (a link write changes only
        derived columns, so it can neither bring a claim into such a filter nor take
        it out). Only when some claim's place before cannot be known that way are
        the view's rows counted again.

        Rows that stay where they were are repainted (``dataChanged``). A row that
        entered the view, or a cached row that left it or moved in it, is removed
        and inserted where it belongs (``beginRemoveRows``/``beginInsertRows``; its
        new place read from the cache, or counted), so the table keeps its place
        and selection and only the rows from the first moved one on are fetched
        again (``RowMoves``). When a row's place before is not known (it was not
        cached), or many rows move, the model resets instead ("data": the table keeps the selection
        and the scroll position).
        """
        from desktop.core.read import paging

        view = self._view
        added, removed = change.added_claims, change.removed_claims
        ids = (change.claims | change.status_changed | added) - removed
        cached = self._positions(ids | removed)
        if added & cached.keys():  # an id reused while still cached: nothing here can be trusted
            self._reload("data")
            return
        link_write = change.links and not added and not removed and not self._filter_reads_derived()
        sizes = list(self._sizes)
        unknown = reset = False
        leaving: list[int] = []  # rows (positions now) of cached claims that leave the view or move in it
        entering: list[ClaimRow] = []  # claims that come into the view or move in it, as they are now
        with self._connect() as connection:
            fresh = paging.fetch_ids(connection, view, ids) if ids else {}
            for ident in ids | removed:
                new = fresh.get(ident)
                old_key: RowKey | None = None
                if ident in cached:
                    block_index, offset = cached[ident]
                    old_key = self._blocks[block_index][offset].key
                    was_shown: bool | None = True
                elif ident in added:
                    was_shown = False
                elif view.where is None:
                    was_shown = True  # every claim that exists is shown
                elif ident in self._known:
                    was_shown = self._known[ident]
                elif link_write:
                    was_shown = new is not None
                else:
                    was_shown = None
                if was_shown is None:
                    unknown = True
                    reset = reset or new is not None  # it may have just come into view
                    continue
                if was_shown:
                    if old_key is None and view.sort == "status":
                        unknown = True  # its status (its partition) before is not known
                    else:
                        sizes[old_key[0] if old_key is not None else 0] -= 1
                if new is not None:
                    sizes[new.key[0]] += 1
                if old_key is not None:
                    if new is None or new.key != old_key:
                        block_index, offset = cached[ident]
                        leaving.append(block_index * BLOCK_SIZE + offset)
                        if new is not None:
                            entering.append(new)
                elif new is not None:
                    if not was_shown:
                        entering.append(new)  # it came into view
                    elif view.sort in DERIVED_SORTS or (not link_write and self._among_cached(new)):
                        reset = True  # it may have moved from a place not cached
                elif was_shown:
                    reset = True  # it left the view from a place not cached
            if unknown:
                sizes = paging.partition_sizes(connection, view)
            reset = reset or len(leaving) + len(entering) > MAX_MOVES
            places: list[int] | None = []
            if not reset and entering:
                places = self._places(connection, leaving, entering, sizes)
        total = self._total + len(added) - len(removed)
        known = self._known
        for ident in removed:
            known.pop(ident, None)
        if len(known) + len(ids) > KNOWN_LIMIT:
            known.clear()
        known.update((ident, ident in fresh) for ident in ids)
        moves = bool(leaving or entering)
        if reset or places is None or (not moves and sizes != self._sizes):
            self._reset("data", view, sizes, total, known)
            return
        staying = {i: at for i, at in cached.items() if i in fresh and fresh[i].key == self._row_key(at)}
        for ident, (block_index, offset) in staying.items():
            self._blocks[block_index][offset] = fresh[ident]
        if moves:
            self._move_rows(leaving, list(zip(places or [], entering, strict=True)), sizes)
            staying = self._positions(set(staying))  # where the rows that stayed are now (the cached ones)
        last = COLUMN_COUNT - 1
        for block_index, offset in sorted(staying.values()):
            position = block_index * BLOCK_SIZE + offset
            self.dataChanged.emit(self.index(position, 0), self.index(position, last))
        if total != self._total or moves:
            self._total = total
            self.counts_changed.emit(self._count, self._total)

    def _filter_reads_derived(self) -> bool:
        """Whether the filter reads a derived column (or SQL text that might), so a link write can move claims."""
        if self._reads_derived is None:
            self._reads_derived = any(
                _reads_derived(where) for where in (self._view.where, self._view.count_where) if where is not None
            )
        return self._reads_derived


def _reads_derived(where: ColumnElement[bool]) -> bool:
    from sqlalchemy.sql import visitors
    from sqlalchemy.sql.elements import TextClause

    for element in visitors.iterate(where):
        if isinstance(element, TextClause):
            return True  # raw SQL: it might read anything
        if getattr(element, "name", None) in DERIVED_COLUMNS and hasattr(element, "table"):
            return True
    return False
