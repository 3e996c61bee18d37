"""The statuses as one analyst sees them (DESIGN §2, "as analyst A"): a view of the window, entered and left by one key.

Several analysts judge the same pairs; the table shows what everyone's
effective links derive. This view shows instead what one analyst's judgements
alone derive — the same rules, the core's own reading (``read.as_analyst``,
and ``claim_detail(…, analyst=A)`` for the pane), so it agrees with
``crosscheck status --analyst A``:

- the key (``view.as_analyst``) opens a picker of the analysts who have judged a
  pair here (with how many judgements each), the first one already chosen:
  Enter takes it; pressed again while the view is on, it goes back to
  everyone's statuses;
- a banner says whose view it is, that it is read-only, and the key back;
- the table's status and suggested columns (and the verdict-disputed mark) and
  the detail pane's status block and explanation follow that analyst; the
  filter and the sort still read everyone's stored statuses, so rows stay put;
- it is read-only: every write, undo and redo is refused with one line saying
  why and how to go back (a judgement typed here would be the user's own, not
  the viewed analyst's: editing in this view would mislead);
- a change committed meanwhile (here or by anyone, live) re-derives the view.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from desktop.core.read.as_analyst import analyst_statuses, judgement_counts
from desktop.core.store import Change
from desktop.ui.commands.host import CommandHost
from desktop.ui.commands.keymap import key_of
from desktop.ui.detail.pane import DetailPane
from desktop.ui.table.view import ClaimTable
from desktop.ui.widgets.banner import ModeBanner

COMMAND = "view.as_analyst"


class AsAnalystView(QObject):
    """Turns the "as analyst" view on and off, and keeps it derived while it is on."""

    def __init__(
        self, host: CommandHost, table: ClaimTable, pane: DetailPane, banner: ModeBanner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.table = table
        self.pane = pane
        self.banner = banner
        self.analyst: str | None = None
        self._read_only_before: str | None = None  # another read-only view under this one (as of a moment)
        self._reason: str | None = None  # why writes are refused while this view is on
        host.bind(COMMAND, self.toggle)
        host.session.changed.connect(self._on_changed)
        host.session.workspace_replaced.connect(self.leave)

    # --- the command ---------------------------------------------------------------------------

    def toggle(self) -> None:
        """Pick an analyst and show the statuses as they see them; while on, back to everyone's."""
        if self.analyst is not None:
            self.leave()
            self.host.hint("Back to everyone's statuses (each pair's effective link).")
            self.host.back_to_table()
            return
        counts = self._judging()
        if not counts:
            self.host.error("Nobody has judged a pair in this workspace yet: there is no analyst's view to show.")
            self.host.back_to_table()
            return
        own = self.host.session.store.analyst
        names = sorted(counts)
        items = [f"{name} — {counts[name]} judgement{'s' if counts[name] != 1 else ''}" for name in names]
        first = names.index(own) if own in names else 0
        choice, taken = QInputDialog.getItem(
            self.host.dialog_parent(),
            "Statuses as one analyst sees them",
            "Derive every status from this analyst's judgements alone (read-only):",
            items,
            first,
            False,
        )
        self.host.after_dialog()
        if taken and choice in items:
            self.enter(names[items.index(choice)])

    def enter(self, analyst: str) -> None:
        """Show the statuses as ``analyst`` sees them (read-only until ``leave``)."""
        session = self.host.session
        if self.analyst is None:
            self._read_only_before = getattr(session, "read_only", None)
        self.analyst = analyst
        key = key_of(COMMAND)
        self._reason = (
            f"the window shows the statuses as {analyst} sees them, which is read-only — {key} goes back to "
            "everyone's statuses, where you can edit"
        )
        session.read_only = self._reason
        self._derive()
        self.pane.set_analyst(analyst)
        self.host.hint(f"Statuses as {analyst} sees them. {key} goes back to everyone's.")

    def leave(self) -> None:
        """Back to everyone's statuses (the effective links), editable again."""
        if self.analyst is None:
            return
        self.analyst = None
        session = self.host.session
        if session.read_only == self._reason:  # another view (as of a moment) may have taken over since
            session.read_only = self._read_only_before
        self._read_only_before = self._reason = None
        self.table.claim_model.show_as(None)
        self.pane.set_analyst(None)
        self.banner.clear()

    # --- keeping it derived ----------------------------------------------------------------------

    def _derive(self) -> None:
        assert self.analyst is not None
        with self.host.session.engine.connect() as connection:
            statuses = analyst_statuses(connection, self.analyst)
        self.table.claim_model.show_as(statuses)
        count = statuses.judgements
        self.banner.show_mode(
            f"Statuses as {self.analyst} sees them — derived from {self.analyst}'s "
            f"{count} judgement{'s' if count != 1 else ''} alone (filter and sort still use everyone's). "
            f"Read-only. {key_of(COMMAND)}: back to everyone's statuses."
        )

    def _on_changed(self, change: Change) -> None:
        # What the analyst's judgements derive moves with links, sources' sides and groups, and claims
        # coming or going (here or by anyone, live); a text or grade edit leaves it as it was.
        moved = change.links or change.sources or change.everything or change.added_claims or change.removed_claims
        if self.analyst is not None and moved:
            self._derive()

    def _judging(self) -> dict[str, int]:
        with self.host.session.engine.connect() as connection:
            return judgement_counts(connection)
