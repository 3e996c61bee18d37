"""The window's views dock (Ctrl+G / Ctrl+T / Ctrl+M) and File → Export brief… (a worker behind a progress dialog)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.progress import Cancelled
from desktop.ui.outputs.export_dialog import ExportDialog, ExportJob, ExportRequest
from desktop.ui.views.graph.panel import GraphPanel
from desktop.ui.views.map.view import MapPanel
from desktop.ui.views.timeline import TimelinePanel
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _id(window: MainWindow, ext_id: str) -> int:
    with window.session.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one())


def _request(tmp_path: Path, fmt: str, name: str, **changes: str) -> ExportRequest:
    values = dict(fmt=fmt, filter="", as_of="", title="Brief", organisation="Desk", organisation_url="", review_url="")
    values.update(changes)
    return ExportRequest(path=tmp_path / name, **values)  # type: ignore[arg-type]


def test_ctrl_g_shows_the_graph_of_the_current_claim_and_enter_moves_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.table.select_claim(_id(window, "c-breach"))
    qtbot.keyClick(window.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.views.isVisible()
    panel = window.views.panel("graph")
    assert isinstance(panel, GraphPanel)
    assert panel.graph.hasFocus() and panel.graph.selected() == _id(window, "c-breach")
    qtbot.keyClick(panel.graph, Qt.Key.Key_Right)
    qtbot.keyClick(panel.graph, Qt.Key.Key_Right)
    qtbot.keyClick(panel.graph, Qt.Key.Key_Return)
    assert window.table.current_claim() == _id(window, "c-genstaff-repelled")
    assert window.table.hasFocus()


def test_map_enter_filters_the_table_and_the_timeline_follows_the_filter(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    panel = window.views.panel("map")
    assert isinstance(panel, MapPanel) and panel.view.hasFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)  # selects the busiest place: Bakhmut
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert window.filter_bar.text() == 'place:"Bakhmut"'
    assert window.table.claim_model.rowCount() == 14
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    timeline = window.views.panel("timeline")
    assert len(timeline.view.bars) == 14  # type: ignore[attr-defined]
    qtbot.keyClick(timeline.view, Qt.Key.Key_End)  # type: ignore[attr-defined]
    assert window.table.current_claim() == timeline.view.bars[-1].item.id  # type: ignore[attr-defined]


def test_export_job_writes_a_pdf_off_the_gui_thread(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    job = ExportJob(window.session.engine, _request(tmp_path, "pdf", "brief.pdf", filter="source:rybar"))
    steps: list[str] = []
    job.progressed.connect(lambda step, _fraction: steps.append(step))
    with qtbot.waitSignal(job.done, timeout=60000):
        window.outputs.runner = None
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().start(job.run)
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF-")
    assert "laying out the PDF" in steps


def test_cancelling_an_export_writes_nothing(window: MainWindow, tmp_path: Path) -> None:
    job = ExportJob(window.session.engine, _request(tmp_path, "stix", "bundle.stix.json"))
    failures: list[Exception] = []
    job.failed.connect(failures.append)
    job.cancelled = True
    job.run()
    assert isinstance(failures[0], Cancelled) and not (tmp_path / "bundle.stix.json").exists()


def test_file_export_brief_uses_the_filter_and_reports_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.filter_bar.set_text("source:rybar")
    seen: dict[str, str] = {}

    def answer(dialog: ExportDialog) -> int:
        seen["filter"] = dialog.filter.text()
        dialog.format.setCurrentIndex(dialog.format.findData("markdown"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "brief"), ""))
    window.named_actions["file.export_brief"].trigger()
    target = tmp_path / "brief.md"
    qtbot.waitUntil(target.exists, timeout=30000)
    window.outputs.wait()
    assert seen["filter"] == "source:rybar"
    text_ = target.read_text(encoding="utf-8")
    assert "Filter: `source:rybar`." in text_ and "### Rybar — D4" in text_
    qtbot.waitUntil(lambda: "Exported to" in window.status.message.text())


def test_claimreview_without_an_organisation_is_a_message_not_a_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    job = ExportJob(window.session.engine, _request(tmp_path, "claimreview", "r.jsonld", organisation=""))
    failures: list[Exception] = []
    job.failed.connect(failures.append)
    job.run()
    assert "organisation" in str(failures[0]) and not (tmp_path / "r.jsonld").exists()


def test_ctrl_t_opens_the_timeline_on_the_days_most_claims_sit_on_and_0_fits_every_claim(
    qtbot: QtBot, window: MainWindow
) -> None:
    """One claim about half a year must not pack the other nineteen into a sliver at the right edge."""
    window.resize(1400, 880)
    window.table.select_claim(_id(window, "c-breach"))
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = window.views.panel("timeline")
    assert isinstance(panel, TimelinePanel) and panel.view.hasFocus()
    view = panel.view
    qtbot.waitUntil(lambda: view.viewport().width() > 600)
    width = view.viewport().width()

    def seen(ext_ids: list[str]) -> tuple[float, float]:
        bars = [b for b in view.bars if b.item.ext_id in ext_ids]
        return (
            min(view.mapFromScene(b.x0, b.y()).x() for b in bars),
            max(view.mapFromScene(b.x1, b.y()).x() for b in bars),
        )

    december = [b.item.ext_id for b in view.bars if b.item.ext_id != "c-isw-cost-benefit"]
    left, right = seen(december)
    assert left >= 0 and right <= width  # every December claim in sight
    assert right - left >= 0.4 * width  # spread over the view, not packed at one edge
    assert view.px_per_day >= 40  # days apart, readable
    current = view.current()
    assert current is not None and current.item.ext_id == "c-breach"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # scrolled on a little, then a claim is edited: the view stays put
    left, scale = view.day_at(view.mapToScene(0, 0).x()), view.px_per_day
    claim = _id(window, "c-breach")
    assert window.session.perform(lambda store: store.update_claim(claim, credibility=2), "credibility 2").ok
    assert (view.day_at(view.mapToScene(0, 0).x()), view.px_per_day) == (left, scale)
    qtbot.keyClick(view, Qt.Key.Key_0)  # every claim: back to May
    left, right = seen([b.item.ext_id for b in view.bars])
    assert left >= 0 and right <= width
    assert view.px_per_day < 10
    qtbot.keyClick(view, Qt.Key.Key_Home)  # the half-year claim is still there to step to
    first = view.current()
    assert first is not None and first.item.ext_id == "c-isw-cost-benefit"
