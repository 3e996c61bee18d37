"""The status block at the top of the detail pane: what Crosscheck concludes about a claim, and why.

The analyst's verdict, when there is one, is the headline and the derived
status stays beside it (docs/status-rules.md, rule 8); a verdict the evidence disputes carries a
warning. Below, ``corroboration.explain`` gives the reasons in sentences: who
supports, who contradicts, who neither confirms nor denies, and which links
were set aside as echoes and why, and where analysts disagree. In the "as
analyst" view a line above the headline says whose judgements alone it reads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.core.read.detail import ClaimDetail
from desktop.core.status_marks import DISPUTED_GLYPH, STATUS_GLYPHS, VERDICT_GLYPHS
from desktop.ui.table.status_style import status_colour
from desktop.ui.widgets.basics import PROBLEM_COLOUR, plain_label


def status_text(status: str) -> str:
    return f"{STATUS_GLYPHS.get(status, '·')} {status.capitalize()}"


class StatusBlock(QWidget):
    """Headline (verdict or status), the derived status beside a verdict, a dispute warning, the reasons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The headline wraps: a verdict's headline with the derived status beside it is wider than a narrow
        # pane, which never scrolls sideways (it would cut the headline and every field below it).
        self.headline = plain_label(wrap=True)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.headline.setFont(font)
        self.derived = plain_label()
        self.derived.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.warning = plain_label(wrap=True)
        self.warning.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: bold;")
        self.reasons: list[QLabel] = []
        self.viewpoint = plain_label(wrap=True)
        self.viewpoint.setObjectName("statusViewpoint")
        self.viewpoint.setStyleSheet("font-style: italic;")
        self.viewpoint.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.headline, 1)
        top.addWidget(self.derived)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.viewpoint)
        self._layout.addLayout(top)
        self._layout.addWidget(self.warning)

    def show_detail(self, detail: ClaimDetail) -> None:
        status = detail.status
        analyst = detail.as_analyst
        self.viewpoint.setText(f"As {analyst} sees it — derived from {analyst}'s judgements alone" if analyst else "")
        self.viewpoint.setVisible(analyst is not None)
        if detail.verdict:
            glyph = VERDICT_GLYPHS.get(detail.verdict, "·")
            self.headline.setText(f"{glyph} {detail.verdict.capitalize()} (verdict)")
            self._colour(self.headline, detail.verdict)
            self.derived.setText(f"derived: {status_text(status).lower()}")
            self.derived.setVisible(True)
        else:
            self.headline.setText(status_text(status))
            self._colour(self.headline, status)
            self.derived.setVisible(False)
        if detail.verdict_disputed:
            self.warning.setText(
                f"{DISPUTED_GLYPH} The evidence disputes this verdict: the links make the claim {status}. "
                "Check the verdict or the links."
            )
        self.warning.setVisible(detail.verdict_disputed)
        self._set_reasons(detail.explanation)

    def _set_reasons(self, sentences: tuple[str, ...]) -> None:
        # The first sentence restates the status; the rest are one reason each, shown as a list.
        while len(self.reasons) < len(sentences):
            label = plain_label(wrap=True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.reasons.append(label)
            self._layout.addWidget(label)
        for i, label in enumerate(self.reasons):
            if i < len(sentences):
                label.setText(sentences[i] if i == 0 else f"•  {sentences[i]}")
                label.setIndent(0 if i == 0 else 8)
                label.setVisible(True)
            else:
                label.setVisible(False)

    def text(self) -> str:
        """Everything the block says, as one string (for tests, and copying)."""
        parts = [self.viewpoint.text()] if not self.viewpoint.isHidden() else []
        parts.append(self.headline.text())
        if not self.derived.isHidden():
            parts.append(self.derived.text())
        if not self.warning.isHidden():
            parts.append(self.warning.text())
        parts += [label.text() for label in self.reasons if not label.isHidden()]
        return "\n".join(p for p in parts if p)

    def _colour(self, label: QLabel, status: str) -> None:
        """The status's (or verdict's) colour, the table's, for this pane's palette."""
        label.setStyleSheet(f"color: {status_colour(status, self.palette()).name()};")
