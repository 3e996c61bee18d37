"""Choosing a place by any of its names, and creating one that is missing.

Gazetteer names come in many scripts and spellings (Bakhmut = Бахмут =
Artemivsk = Артёмовск), so the picker matches every alias, folded, and
fuzzily (``detail.search_places``), asking the database for one page of
matches as the analyst types — never the whole gazetteer. Up/Down move through
the results while the cursor stays in the search field; Enter takes the
highlighted place.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QWidget

from desktop.core.gazetteer import holds_places, shipped_places
from desktop.core.read.detail import PICK_LIMIT, search_places
from desktop.core.text import blank
from desktop.ui.dialogs._base import FormDialog
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import parse_labels, plain_label
from desktop.ui.widgets.search_picker import SearchField

_ROLE = Qt.ItemDataRole.UserRole


class PlacePickerDialog(FormDialog):
    """``PlacePickerDialog(session, parent, exclude=())``; after Accepted, ``chosen_place_id`` is the place."""

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None, exclude: Collection[int] = ()) -> None:
        super().__init__("Add place", parent, ok_text="Add")
        self.session = session
        self.chosen_place_id: int | None = None
        self._exclude = set(exclude)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching places")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setSpacing(1)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.search = SearchField(self.results)
        self.search.setPlaceholderText("any name or spelling: Bakhmut, Бахмут, Artemivsk…")
        self.search.setAccessibleName("Search places")
        self.search.textChanged.connect(self._update)
        self.new_button = QPushButton("New place…")
        self.new_button.clicked.connect(self._new_place)
        # A workspace other than the default one starts without places (core.gazetteer): offered here, where
        # their absence is felt, as well as in the Tools menu.
        self.gazetteer_button = QPushButton("Add the shipped gazetteer")
        self.gazetteer_button.clicked.connect(self._add_gazetteer)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.new_button)
        row.addWidget(self.gazetteer_button)
        self.form.addRow(plain_label("Find"), row)
        self.form.addRow(self.results)
        self.setMinimumSize(480, 360)
        self._update()
        self.search.setFocus()

    def _update(self) -> None:
        with self.session.engine.connect() as connection:
            places = search_places(connection, self.search.text(), PICK_LIMIT, exclude=self._exclude)
            empty = not places and not holds_places(connection)
        self.gazetteer_button.setVisible(empty)
        self.results.clear()
        for place in places:
            # Name first, the other names on a second (elided) line: the alias that matched stays visible.
            head = place.name + (f" — {place.region}" if place.region else "")
            item = QListWidgetItem(head + (f"\n    also: {', '.join(place.aliases)}" if place.aliases else ""))
            item.setData(_ROLE, place.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
            self.show_problem(None)
        elif empty:
            self.show_problem(
                "This workspace holds no places yet: “Add the shipped gazetteer” adds the Donbas places shipped "
                "with Crosscheck, “New place…” one of your own."
            )
        elif self.search.text().strip():
            self.show_problem("No place has that name. “New place…” adds it to the gazetteer.")

    def matches(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    def apply(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            self.show_problem("Pick a place from the list, or create one with “New place…”.")
            return False
        self.chosen_place_id = int(item.data(_ROLE))
        return True

    def _add_gazetteer(self) -> None:
        if self.perform(self.session, lambda store: store.add_places(shipped_places()), "add the shipped gazetteer"):
            self._update()
            self.search.setFocus()

    def _new_place(self) -> None:
        dialog = NewPlaceDialog(self.session, self, name=self.search.text().strip())
        if dialog.exec() == FormDialog.DialogCode.Accepted and dialog.created_place_id is not None:
            self.chosen_place_id = dialog.created_place_id
            # The new place is the choice: close as accepted without apply(), which would look for a
            # highlighted match (none, for a name the gazetteer lacked) and keep the picker open.
            QDialog.accept(self)
        dialog.deleteLater()


class NewPlaceDialog(FormDialog):
    """A new gazetteer entry; after Accepted, ``created_place_id`` is its id (one undoable step)."""

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__("New place", parent, ok_text="Create")
        self.session = session
        self.created_place_id: int | None = None
        self.name = QLineEdit(name)
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("other scripts, spellings, historic names — comma-separated")
        self.region = QLineEdit()
        self.lat = QLineEdit()
        self.lat.setPlaceholderText("e.g. 48.595 (optional)")
        self.lon = QLineEdit()
        self.lon.setPlaceholderText("e.g. 38.0 (optional)")
        for label, widget in (
            ("Name", self.name),
            ("Aliases", self.aliases),
            ("Region", self.region),
            ("Latitude", self.lat),
            ("Longitude", self.lon),
        ):
            widget.setAccessibleName(label)
            self.form.addRow(plain_label(label), widget)
        self.setMinimumWidth(440)
        self.name.setFocus()

    def _coordinate(self, field: QLineEdit, what: str) -> tuple[float | None, str | None]:
        raw = field.text().strip().replace(",", ".")
        if not raw:
            return None, None
        try:
            return float(raw), None
        except ValueError:
            return None, f"{what} must be a number such as 48.595 (got “{raw}”)."

    def apply(self) -> bool:
        name = self.name.text().strip()
        if blank(name):
            self.show_problem("A place needs a name.")
            return False
        lat, problem = self._coordinate(self.lat, "Latitude")
        lon, problem_lon = self._coordinate(self.lon, "Longitude")
        if problem or problem_lon:
            self.show_problem(problem or problem_lon)
            return False
        aliases = parse_labels(self.aliases.text())
        region = self.region.text().strip() or None
        outcome = self.perform(
            self.session,
            lambda store: store.create_place(name, aliases=aliases, region=region, lat=lat, lon=lon),
            f"add place {name}",
        )
        if outcome is None:
            return False
        self.created_place_id = outcome.value
        return True


def pick_place(session: WorkspaceSession, parent: QWidget | None = None, exclude: Collection[int] = ()) -> int | None:
    """Ask for a place (existing or new); its id, or None if cancelled."""
    dialog = PlacePickerDialog(session, parent, exclude)
    try:
        return dialog.chosen_place_id if dialog.exec() == FormDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
