"""``RelatedList``: the claims most likely about the same thing as the current claim, each with why.

Computed by ``desktop.core.search.similar`` whenever the current claim changes
or a write touches it (a new claim made from the reader becomes current, so its
suggestions show as it is made). With the list focused, one key links the
current claim to the highlighted suggestion with a relation, another dismisses
it for good (both undoable); the list then moves on to the next suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.ui.commands.keymap import key_of
from desktop.ui.widgets.basics import plain_label

if TYPE_CHECKING:  # the list is part of the window's first paint; what fills it comes after (``attach``)
    from desktop.core.search.similar import Suggestion
    from desktop.core.store import Change
    from desktop.ui.session import WorkspaceSession

LIMIT = 6
_KEYS = (
    f"{key_of('related.focus')}; then "
    + " ".join(key_of(f"related.{r}") for r in ("corroborates", "contradicts", "neutral", "repeats"))
    + f" link, {key_of('related.dismiss')} dismiss"
)


class RelatedList(QWidget):
    def __init__(self, session: WorkspaceSession | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relatedClaims")
        self.heading = plain_label("Related claims")
        self.list = QListWidget()
        self.list.setObjectName("relatedList")
        self.list.setAccessibleName("Related claims")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.suggestions: list[Suggestion] = []
        self._claim: int | None = None
        self._shown_for: int | None = None
        if session is not None:
            self.attach(session)

    def attach(self, session: WorkspaceSession) -> None:
        """Suggest for ``session``'s current claim from now on (a fast start builds the list before it opens)."""
        self.session = session
        session.current_changed.connect(self.show_for)
        session.changed.connect(self._on_changed)

    def show_for(self, claim: object) -> None:
        self._claim = claim if isinstance(claim, int) else None
        self.reload()

    def reload(self) -> None:
        # The highlighted suggestion stays highlighted when the same claim's list is refreshed only.
        keep = self.current() if self._shown_for == self._claim else None
        self._shown_for = self._claim
        self.list.clear()
        if self._claim is None:
            self.suggestions = []
            self.heading.setText("Related claims — no claim selected")
            return
        from desktop.core.search.similar import similar_to
        from desktop.core.text import one_line

        with self.session.engine.connect() as connection:
            self.suggestions = similar_to(connection, self._claim, limit=LIMIT)
        for suggestion in self.suggestions:
            head = f"{suggestion.score:.2f}  {one_line(suggestion.text, 110)} — {suggestion.source}"
            text = f"{head}\n    {'; '.join(suggestion.why)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, suggestion.claim_id)
            self.list.addItem(item)
        count = len(self.suggestions)
        self.heading.setText(
            f"Related claims — {count} suggestion{'s' if count != 1 else ''} ({_KEYS})"
            if count
            else "Related claims — none suggested"
        )
        ids = [s.claim_id for s in self.suggestions]
        if ids:
            self.list.setCurrentRow(ids.index(keep.claim_id) if keep is not None and keep.claim_id in ids else 0)

    def current(self) -> Suggestion | None:
        row = self.list.currentRow()
        return self.suggestions[row] if 0 <= row < len(self.suggestions) else None

    def claim(self) -> int | None:
        return self._claim

    def _on_changed(self, change: Change) -> None:
        if self._claim is None:
            return
        if self._claim in change.removed_claims:
            self.show_for(None)
        elif change.everything or change.links or self._claim in change.claims or change.added_claims:
            self.reload()
