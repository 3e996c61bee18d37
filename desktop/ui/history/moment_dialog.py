"""Picking the moment the window shows the workspace as of (History ▸ Show as of…).

One field takes what ``--as-of`` takes on the command line: a date (the end of
that day, UTC; today means now) or a date and time (``2022-12-15 10:02``, an
offset or ``Z``; none = UTC). A malformed moment, one in the future, or one
before anything was recorded is said on the dialog's problem line, and the
dialog stays open.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget
from sqlalchemy.engine import Engine

from desktop.core.history import BadMoment, check_recorded, parse_moment
from desktop.ui.dialogs._base import FormDialog
from desktop.ui.widgets.basics import plain_label

FIELD_FORMAT = "%Y-%m-%d %H:%M:%S"  # what the field shows (UTC)


class MomentDialog(FormDialog):
    """``MomentDialog(engine, shown)``: ``moment`` is the chosen moment (aware, UTC) once accepted."""

    def __init__(self, engine: Engine, shown: dt.datetime | None, parent: QWidget | None = None) -> None:
        super().__init__("Show the workspace as of…", parent, ok_text="Show")
        self.setObjectName("momentDialog")
        self.engine = engine
        self.moment: dt.datetime | None = None
        start = (shown or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        self.field = QLineEdit(start.strftime(FIELD_FORMAT))
        self.field.setObjectName("momentField")
        self.field.setAccessibleName("Moment (UTC)")
        self.field.setPlaceholderText("2022-12-15, or 2022-12-15 10:02 (UTC unless an offset is given)")
        self.field.selectAll()
        self.form.addRow(plain_label("As of (UTC)"), self.field)
        self.form.addRow(plain_label(""), plain_label("A date alone means the end of that day."))
        self.setMinimumWidth(480)
        self.field.setFocus()

    def apply(self) -> bool:
        try:
            moment = parse_moment(self.field.text(), option="the moment")
            with self.engine.connect() as connection:
                check_recorded(connection, moment)
        except BadMoment as error:
            self.show_problem(_sentence(str(error)))
            self.adjustSize()  # room for the problem line, without squeezing the form
            return False
        self.moment = moment
        return True


def _sentence(message: str) -> str:
    """A moment's refusal on the dialog's problem line (the command line's option named as the field)."""
    return message.replace("--as-of ", "the moment ") + "."
