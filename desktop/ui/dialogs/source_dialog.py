"""Creating or editing a source: who asserts things, their side, group and Admiralty reliability.

Side and group offer the labels already in the workspace as completions,
because a typo ("rusia") would silently make two sides and manufacture a
cross-side corroboration.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from desktop.core import vocab
from desktop.core.read.detail import SourceInfo, side_and_group_labels, source_info
from desktop.core.text import blank
from desktop.ui.dialogs._base import DialogTextEdit, FormDialog
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import parse_labels, plain_label
from desktop.ui.widgets.field_editors import ChoiceCombo
from desktop.ui.widgets.plain_text import fit_wrap
from desktop.ui.widgets.search_picker import SearchPicker

RELIABILITY_CHOICES = [(f"{code} — {label}", code) for code, label in vocab.RELIABILITY.items()]
KIND_CHOICES = [(kind, kind) for kind in vocab.SOURCE_KINDS]


def _completer(words: list[str], parent: QWidget) -> QCompleter:
    completer = QCompleter(sorted(set(words)), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


class SourceDialog(FormDialog):
    """``SourceDialog(session, parent, source_id=None, name="")``: creates a source (named ``name`` to start
    with), or edits ``source_id``.

    After ``exec()`` returns Accepted, ``source_id`` is the created (or edited) source.
    Accepting an edit that changes nothing writes nothing.
    """

    def __init__(
        self, session: WorkspaceSession, parent: QWidget | None = None, source_id: int | None = None, name: str = ""
    ) -> None:
        super().__init__("Edit source" if source_id is not None else "New source", parent)
        self.session = session
        self.source_id = source_id
        with session.engine.connect() as connection:
            self._existing: SourceInfo | None = source_info(connection, source_id) if source_id is not None else None
            sides, groups = side_and_group_labels(connection)
        self.name = QLineEdit(name)
        self.kind = ChoiceCombo(KIND_CHOICES)
        self.side = QLineEdit()
        self.side.setPlaceholderText("e.g. russia, ukraine — empty = unaligned")
        self.side.setCompleter(_completer(sides, self))
        self.group = QLineEdit()
        self.group.setPlaceholderText("sources sharing an owner or editorial line — empty = none")
        self.group.setCompleter(_completer(groups, self))
        self.reliability = ChoiceCombo(RELIABILITY_CHOICES)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…")
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("other names, comma-separated")
        self.notes = DialogTextEdit(lines=3)
        for label, widget in (
            ("Name", self.name),
            ("Kind", self.kind),
            ("Side", self.side),
            ("Group", self.group),
            ("Reliability", self.reliability),
            ("URL", self.url),
            ("Aliases", self.aliases),
            ("Notes", self.notes),
        ):
            widget.setAccessibleName(label)
            self.form.addRow(plain_label(label), widget)
        self._fill(self._existing)
        self.setMinimumWidth(460)
        self.name.setFocus()

    def _fill(self, source: SourceInfo | None) -> None:
        self.kind.set_value(source.kind if source else "other")
        self.reliability.set_value(source.reliability if source else "F")
        if source is None:
            return
        self.name.setText(source.name)
        self.side.setText(source.side)
        self.group.setText(source.group_label)
        self.url.setText(source.url or "")
        self.aliases.setText(", ".join(source.aliases))
        for field in (self.name, self.side, self.group, self.url, self.aliases):
            field.setCursorPosition(0)  # a long value shows its start (the first aliases), not its end
        fit_wrap(self.notes, source.notes)
        self.notes.setPlainText(source.notes)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "kind": self.kind.value(),
            "side": self.side.text(),
            "group_label": self.group.text(),
            "reliability": self.reliability.value(),
            "url": self.url.text().strip() or None,
            "aliases": parse_labels(self.aliases.text()),
            "notes": self.notes.toPlainText(),
        }

    def apply(self) -> bool:
        values = self.values()
        if blank(values["name"]):
            self.show_problem("A source needs a name.")
            self.name.setFocus()
            return False
        if self._existing is None:
            name = values.pop("name")
            outcome = self.perform(
                self.session, lambda store: store.create_source(name, **values), f"add source {name}"
            )
            if outcome is None:
                return False
            self.source_id = outcome.value
            return True
        old = self._existing
        before = {
            "name": old.name,
            "kind": old.kind,
            "side": old.side,
            "group_label": old.group_label,
            "reliability": old.reliability,
            "url": old.url,
            "aliases": list(old.aliases),
            "notes": old.notes,
        }
        # The store normalises side (trimmed, case-folded) and group (trimmed): compare as it would store them.
        values["side"] = values["side"].strip().casefold()
        values["group_label"] = values["group_label"].strip()
        ident = old.id
        return self.perform_changes(
            self.session,
            before,
            values,
            lambda store, changes: store.update_source(ident, **changes),
            f"edit source {values['name']}",
        )


def create_source_into(picker: SearchPicker, session: WorkspaceSession, parent: QWidget) -> None:
    """ "New source…" beside a source picker: the form, named what was typed there without a match;
    once created, the picker holds the new source and has the focus (so Enter goes on to accept the form)."""
    dialog = SourceDialog(session, parent, name=picker.unmatched)
    if dialog.exec() == FormDialog.DialogCode.Accepted and dialog.source_id is not None:
        picker.set_value(dialog.source_id)
        picker.setFocus()
    dialog.deleteLater()
