"""Keys the table receives that no command took: say why, instead of letting the table act on them.

When a command's action is disabled (nothing pinned, no claim selected), Qt
passes its key on to the table, and QTableView's keyboard search would jump to
some row starting with that letter — a silent, confusing move in an app where
letters are commands. This filter swallows plain printable keys on the table and
puts the reason in the status bar ("Contradicts pinned claim: pin a claim
first (p)"). It also shows the verdict chord's second keys as soon as ``v`` is
pressed, since Qt's native chords have no visible pending state, and takes the
hint down when the chord is completed or cancelled (any other key cancels it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from desktop.ui.commands.keymap import BY_NAME, KEYMAP, key_of, last_key_of

VERDICT_HINT = (
    f"Verdict: {last_key_of('verdict.confirmed')} confirmed · {last_key_of('verdict.refuted')} refuted · "
    f"{last_key_of('verdict.inconclusive')} inconclusive · {last_key_of('verdict.clear')} clear  "
    "(any other key cancels)"
)
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr)
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.KeypadModifier)


def _portable(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def _first_keys() -> dict[str, list[str]]:
    """Portable text of a key (the first of a chord) → the names of the commands it starts."""
    found: dict[str, list[str]] = {}
    for entry in KEYMAP:
        if entry.context not in ("table", "window"):
            continue  # live only in another panel (the reader, the related list): not the table's keys
        for keys in entry.all_keys:
            # Qt's QKeySequence[i] (the i-th key of a chord) works, but PySide6's stubs do not declare it.
            first = QKeySequence(QKeySequence(keys)[0])  # type: ignore[index]
            found.setdefault(_portable(first), []).append(entry.name)
    return found


class TableKeyHints(QObject):
    """Installed on the claim table; ``reason(name)`` says why command ``name`` cannot run (None: it can)."""

    def __init__(
        self,
        parent: QObject,
        reason: Callable[[str], str | None],
        label: Callable[[str], str],
        show: Callable[[str], None],
        clear: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._reason, self._label, self._show, self._clear = reason, label, show, clear
        self._starts = _first_keys()
        self.verdict_pending = False

    @staticmethod
    def _key_text(event: QKeyEvent) -> str:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return _portable(QKeySequence(QKeyCombination(modifiers, Qt.Key(event.key()))))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(event, QKeyEvent):
            return False
        if kind == QEvent.Type.KeyRelease:
            # While a chord is pending Qt sends the next key to nobody (it completes or cancels the chord),
            # but its release still arrives here: the moment to take the hint down.
            if self.verdict_pending and event.key() not in (Qt.Key.Key_V, *_MODIFIER_KEYS):
                self.verdict_pending = False
                self._clear(VERDICT_HINT)
            return False
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        plain = event.modifiers() in _PLAIN or event.modifiers() == (
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if kind == QEvent.Type.ShortcutOverride:
            # Sent before Qt looks the key up: the moment to show the pending chord.
            if event.key() == Qt.Key.Key_V and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                if self._reason("verdict.confirmed") is None:
                    self.verdict_pending = True
                    self._show(VERDICT_HINT)
            elif self.verdict_pending:
                # The chord's second key (or a cancelling one): the hint has done its job.
                self.verdict_pending = False
                self._clear(VERDICT_HINT)
            return False
        # A KeyPress that reaches the table is one no enabled shortcut took.
        if not plain or not event.text() or not event.text().isprintable():
            return False  # Tab, arrows without a command, Ctrl combinations: the table's own
        names = self._starts.get(self._key_text(event), [])
        for name in names:
            why = self._reason(name)
            if why is not None:
                # A chord's first key starts several commands: name their group ("Verdict"), not the first one.
                label = BY_NAME[name].category if len(names) > 1 else self._label(name)
                self._show(f"{label}: {why}")
                return True
        if not names:
            keys, palette = key_of("help.keys", 1), key_of("view.palette")
            self._show(f"No command on “{event.text()}” — {keys} lists the keys, {palette} finds a command by name.")
        return True
