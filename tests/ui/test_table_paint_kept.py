"""What the claim table keeps between paints (its CellPainter, laid-out texts, status cell pictures) paints
exactly what painting afresh paints, and is renewed when the palette, the font or the pixel ratio changes."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.vocab import STATUSES
from desktop.ui.session import WorkspaceSession
from desktop.ui.table import columns as cols
from desktop.ui.table import paint, paint_rows
from desktop.ui.table.paint import CellPainter
from desktop.ui.table.paint_rows import RowPainter
from desktop.ui.table.view import ClaimTable
from desktop.ui.theme import dark_palette

_KEPT = ("_elided", "_layouts", "_statics", "_long_statics", "_pictures")


@pytest.fixture
def table(session: WorkspaceSession, sample_ids: dict[str, int], qtbot: QtBot) -> ClaimTable:
    """The sample's table, shown, with an undated claim without a place (an italic date before the status)
    and a verdict the evidence disputes, the current row focused among two selected rows."""
    undated, disputed = sample_ids["c-isw-strategic-gains"], sample_ids["c-breach"]
    assert session.perform(lambda s: s.update_claim(undated, claimed=None), "no date").ok
    assert session.perform(lambda s: s.update_claim(disputed, verdict="confirmed"), "dispute").ok
    view = ClaimTable(session)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    view.setFocus()
    view.select_claim(undated)
    view.selectRow(view.currentIndex().row() + 2)
    view.selectionModel().select(
        view.model().index(1, 0),
        view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
    )
    return view


def painted(table: ClaimTable) -> QImage:
    QApplication.processEvents()  # a new font's row heights and scroll bars first
    return table.viewport().grab().toImage()


def painted_afresh(table: ClaimTable, monkeypatch: pytest.MonkeyPatch) -> QImage:
    """The table painted with nothing kept from earlier paints: a new CellPainter, empty caches."""
    for name in _KEPT:
        monkeypatch.setattr(paint, name, {})
    monkeypatch.setattr(table, "_rows", RowPainter())
    return painted(table)


def test_kept_painting_paints_what_painting_afresh_paints(table: ClaimTable, monkeypatch: pytest.MonkeyPatch) -> None:
    first, again, third = painted(table), painted(table), painted(table)  # long texts laid out from the second
    assert first == again == third == painted_afresh(table, monkeypatch)


def test_status_pictures_paint_what_the_status_cell_paints(table: ClaimTable, monkeypatch: pytest.MonkeyPatch) -> None:
    """Status cells drawn from their pictures against every status cell painted directly."""
    pictured = painted(table)
    assert any(paint._pictures.values())
    monkeypatch.setattr(RowPainter, "background", lambda *_args: None)  # no solid colour known: no picture
    for name in _KEPT:
        monkeypatch.setattr(paint, name, {})
    monkeypatch.setattr(table, "_rows", RowPainter())
    assert painted(table) == pictured
    assert not any(paint._pictures.values())


@pytest.mark.parametrize("change", ["palette", "font", "selection", "focus", "column width"])
def test_a_change_of_look_repaints_as_painting_afresh_would(
    table: ClaimTable, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    before = painted(table)
    painted(table)
    if change == "palette":
        table.setPalette(dark_palette())
    elif change == "font":
        bigger = table.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.5)
        table.setFont(bigger)
    elif change == "selection":
        table.clearSelection()
    elif change == "focus":
        table.clearFocus()
    else:
        table.horizontalHeader().resizeSection(cols.COL_STATUS, 90)  # elided statuses
    kept = painted(table)
    assert kept != before  # the change shows
    assert kept == painted_afresh(table, monkeypatch)


def test_the_cell_painter_is_kept_until_the_palette_or_the_font_changes(
    table: ClaimTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[int] = []
    plain = paint_rows.CellPainter

    def counted(*args: Any) -> CellPainter:
        made.append(1)
        return plain(*args)

    monkeypatch.setattr(paint_rows, "CellPainter", counted)
    monkeypatch.setattr(table, "_rows", RowPainter())
    painted(table)
    table.move_by(1)
    painted(table)
    assert len(made) == 1
    table.setPalette(dark_palette())
    painted(table)
    assert len(made) == 2
    bigger = table.font()
    bigger.setPointSizeF(bigger.pointSizeF() + 2)
    table.setFont(bigger)
    painted(table)
    painted(table)
    assert len(made) == 3


def test_rows_on_a_background_of_more_than_one_colour_are_painted_directly(
    table: ClaimTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A palette whose alternate rows are a gradient: no picture can stand for their status cells."""
    palette = QPalette(table.palette())
    gradient = QLinearGradient(0, 0, 0, 30)
    gradient.setColorAt(0, QColor("#ffffff"))
    gradient.setColorAt(1, QColor("#c0c0ff"))
    palette.setBrush(QPalette.ColorRole.AlternateBase, QBrush(gradient))
    table.setPalette(palette)
    kept = painted(table)
    monkeypatch.setattr(RowPainter, "background", lambda *_args: None)
    assert kept == painted_afresh(table, monkeypatch)


@pytest.mark.parametrize("ratio", [1.0, 2.0])
@pytest.mark.parametrize("dark", [False, True])
def test_a_status_picture_is_the_cell_at_each_pixel_ratio(table: ClaimTable, ratio: float, dark: bool) -> None:
    """Every status, with and without a verdict and a dispute, selected or not, drawn from its picture onto an
    image of ``ratio`` device pixels a pixel: the pixels of the cell painted directly."""
    palette = dark_palette() if dark else table.palette()
    cells = CellPainter(table.font(), palette)
    first = table.claim_model.claim_row(0)
    assert first is not None
    background = palette.color(QPalette.ColorRole.Base)
    for status in STATUSES:
        for verdict, disputed in ((None, False), ("refuted", True)):
            row = dataclasses.replace(first, status=status, verdict=verdict, verdict_disputed=disputed)
            for selected in (False, True):
                images = []
                for pictured in (False, True, True):  # the second picture comes from the cache
                    image = QImage(round(260 * ratio), round(30 * ratio), QImage.Format.Format_ARGB32_Premultiplied)
                    image.setDevicePixelRatio(ratio)
                    image.fill(background)
                    painter = QPainter(image)
                    cells.begin(painter)
                    if pictured:
                        cells.paint_status_at(painter, 10, 2, 240, 26, row, selected, background, ratio)
                    else:
                        cells.paint_at(painter, 10, 2, 240, 26, row, cols.COL_STATUS, selected)
                    painter.end()
                    images.append(image)
                assert images[0] == images[1] == images[2], (status, verdict, selected)


def test_status_pictures_stay_within_their_bound_in_pixels(table: ClaimTable, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide status cells (a column dragged wide) keep fewer pictures: about a million pixels in all."""
    monkeypatch.setattr(paint, "_pictures", {})
    cells = CellPainter(table.font(), table.palette())
    row = table.claim_model.claim_row(0)
    assert row is not None
    image = QImage(1000, 40, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    cells.begin(painter)
    most = 0
    for width in range(600, 900, 2):  # 150 widths of 24,000 pixels and more: 4.5 million pixels unbounded
        cells.paint_status_at(painter, 0, 0, width, 40, row, False, QColor("white"), 1.0)
        most = max(most, sum(p.width() * p.height() for p in paint._pictures[table.font().key()].values()))
    painter.end()
    assert most <= paint._PICTURE_PIXELS + 900 * 40
