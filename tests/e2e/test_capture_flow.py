"""Capturing the reference report from its own text, keys only (issue 10, "Done means" 7).

The sample workspace (what a new user's default workspace holds) already has
claims about the same events from other reports. The analyst pastes the
reference report, makes claims from its sentences, switches their sources to
the originators the report quotes, places them, links them to the related
claims the window suggests, records a request for comment — and the derived
statuses come out as the corroboration rules say. The report's sentences are
read from ``../shared/reference`` (never copied here); the test is skipped
when that folder is not beside the checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.capture import segments
from desktop.ui.window.main_window import MainWindow
from tests.e2e.test_review_flow import answer_modal, key, status_of
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "seed-report-bakhmut-2022-12.txt"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

# Words that pick out sentences of the report (the sentence holding each word is captured).
CAPTURE = ("escalated", "midst", "breached", "confirmed by any", "Washington", "sometimes", "northeast",
           "General Staff", "baffled", "highly unlikely", "contacted")  # fmt: skip


def one(window: MainWindow, sql: str, **params: object) -> tuple[object, ...]:
    with window.session.engine.connect() as connection:
        return tuple(connection.execute(text(sql), params).one())


def ext(window: MainWindow, claim: int) -> str:
    return str(one(window, "SELECT ext_id FROM claim WHERE id = :c", c=claim)[0])


@pytest.fixture
def reference_text() -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"the reference report is not beside the checkout ({REFERENCE})")
    return REFERENCE.read_text(encoding="utf-8").strip()


def to_sentence(qtbot: QtBot, window: MainWindow, index: int) -> None:
    """Select sentence ``index`` of the report from the keyboard: to the top, then S and → per sentence."""
    key(qtbot, window, Qt.Key.Key_Home, CTRL)
    for _ in range(index):
        key(qtbot, window, Qt.Key.Key_S)
        key(qtbot, window, Qt.Key.Key_Right)
    key(qtbot, window, Qt.Key.Key_S)


def pick_in_modal(qtbot: QtBot, steps: object) -> list[str]:
    return answer_modal(qtbot, steps)  # type: ignore[arg-type]


def test_the_reference_report_captured_by_keys(qtbot: QtBot, window: MainWindow, reference_text: str) -> None:
    # 1. The report pasted as a new report: date, Tab, publisher, Enter.
    QGuiApplication.clipboard().setText(reference_text)

    def report_form(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.published, "2022-12-15")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.published, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.publisher, "Newsweek")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.publisher, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # takes the match
        qtbot.keyClick(dialog.publisher, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # accepts the form

    problems = answer_modal(qtbot, report_form)
    key(qtbot, window, Qt.Key.Key_V, CTRL | SHIFT)
    assert problems == []
    qtbot.waitUntil(window.reader.text.hasFocus)
    report = window.reader.report
    assert report is not None and report.text == reference_text and report.source_name == "Newsweek"

    # 2. Claims from sentences: S selects, C captures.
    sentences = segments.sentences(reference_text)
    made: dict[str, int] = {}
    for word in CAPTURE:
        index = next(i for i, (a, b) in enumerate(sentences) if word in reference_text[a:b])
        to_sentence(qtbot, window, index)
        assert window.reader.selection() == sentences[index]
        key(qtbot, window, Qt.Key.Key_C)
        claim = window.table.current_claim()
        assert claim is not None and claim not in made.values()
        made[word] = claim
    assert len(window.reader.spans) == len(CAPTURE) >= 10
    for span in window.reader.spans:
        quoted = " ".join(reference_text[span.start : span.end].split())
        assert one(window, "SELECT text FROM claim WHERE id = :c", c=span.claim_id)[0] == quoted

    # 3. Originators: N moves through the captured spans; O offers whom the passage names.
    def originator(expected: str, typed: str = "") -> None:
        def choose(dialog: QWidget) -> None:
            if typed:
                qtbot.keyClicks(dialog.query, typed)  # type: ignore[attr-defined]
            assert dialog.choices.currentItem().text().startswith(expected)  # type: ignore[attr-defined]
            qtbot.keyClick(dialog.query, Qt.Key.Key_Return)  # type: ignore[attr-defined]

        problems = answer_modal(qtbot, choose)
        key(qtbot, window, Qt.Key.Key_O)
        assert problems == []
        qtbot.waitUntil(window.reader.text.hasFocus)

    def to_span_of(word: str) -> None:
        for _ in range(len(CAPTURE) + 1):
            span = window.reader.span_at_cursor()
            if span is not None and span.claim_id == made[word]:
                return
            key(qtbot, window, Qt.Key.Key_N)
        raise AssertionError(f"no captured span for {word!r}")

    to_span_of("breached")
    originator("Rybar")  # named in the next paragraph of the report
    to_span_of("Washington")
    originator("Institute for the Study of War")
    to_span_of("General Staff")
    originator("General Staff of the Armed Forces of Ukraine")  # by its alias in the sentence
    sql = "SELECT s.name FROM claim AS c JOIN source AS s ON s.id = c.source_id WHERE c.id = :c"
    sources = {w: one(window, sql, c=made[w])[0] for w in ("breached", "Washington", "General Staff", "contacted")}
    assert sources == {
        "breached": "Rybar",
        "Washington": "Institute for the Study of War",
        "General Staff": "General Staff of the Armed Forces of Ukraine",
        "contacted": "Newsweek",
    }

    # 4. Places: Esc to the table, l, Space on "Add place…", the picker finds Bakhmut by any name.
    def place(word: str, typed: str) -> None:
        qtbot.waitUntil(window.isActiveWindow)  # the last dialog has handed the window back
        key(qtbot, window, Qt.Key.Key_Escape)
        assert window.table.select_claim(made[word])
        key(qtbot, window, Qt.Key.Key_L)
        qtbot.waitUntil(window.detail.add_place.hasFocus)

        def choose(dialog: QWidget) -> None:
            qtbot.keyClicks(dialog.search, typed)  # type: ignore[attr-defined]
            qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # type: ignore[attr-defined]

        problems = answer_modal(qtbot, choose)
        qtbot.keyClick(window.detail.add_place, Qt.Key.Key_Space)  # it has the focus: Space presses it
        assert problems == []
        window.activateWindow()  # what a window manager does when a dialog closes (offscreen has none)
        qtbot.waitUntil(window.isActiveWindow)
        key(qtbot, window, Qt.Key.Key_Escape)

    # The places a sentence names came with its claim; a place it does not name is added by keys.
    bakhmut = one(window, "SELECT id FROM place WHERE ext_id = 'pl-bakhmut'")[0]
    for word in ("breached", "General Staff"):
        assert one(window, "SELECT place_id FROM claim_place WHERE claim_id = :c", c=made[word]) == (bakhmut,)
    place("contacted", "artemivsk")  # the historic name finds the same place
    assert one(window, "SELECT place_id FROM claim_place WHERE claim_id = :c", c=made["contacted"]) == (bakhmut,)

    # 5. Links from the suggestions: F, Down to the suggestion, r (repeats: the report relays it).
    def link_suggested(word: str, target: str, relation_key: Qt.Key) -> None:
        qtbot.waitUntil(window.table.hasFocus)
        assert window.table.select_claim(made[word])
        key(qtbot, window, Qt.Key.Key_F)
        assert window.related.list.hasFocus()
        ids = [s.ext_id for s in window.related.suggestions]
        assert target in ids, ids
        for _ in range(ids.index(target)):
            key(qtbot, window, Qt.Key.Key_Down)
        assert window.related.current().ext_id == target  # type: ignore[union-attr]
        key(qtbot, window, relation_key)
        key(qtbot, window, Qt.Key.Key_Escape)

    link_suggested("breached", "c-breach", Qt.Key.Key_R)
    link_suggested("General Staff", "c-genstaff-repelled", Qt.Key.Key_R)

    # The report's own two accounts contradict each other: pin one (p), x on the other.
    assert window.table.select_claim(made["breached"])
    key(qtbot, window, Qt.Key.Key_P)
    assert window.table.select_claim(made["General Staff"])
    key(qtbot, window, Qt.Key.Key_X)

    # 6. A request for comment on the breach claim: o, the party, Enter.
    assert window.table.select_claim(made["breached"])

    def outreach(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.party, "Ministry of Defence of the Russian Federation")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.party, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    problems = answer_modal(qtbot, outreach)
    key(qtbot, window, Qt.Key.Key_O)
    assert problems == []
    assert one(window, "SELECT count(*) FROM outreach_claim WHERE claim_id = :c", c=made["breached"]) == (1,)

    # 7. Statuses: each new claim shares the status of the claim it repeats (one cluster, one assertion);
    # the Russian breach account and the General Staff's are contradicted by each other.
    breach, genstaff = made["breached"], made["General Staff"]
    sample_breach = one(window, "SELECT id FROM claim WHERE ext_id = 'c-breach'")[0]
    sample_genstaff = one(window, "SELECT id FROM claim WHERE ext_id = 'c-genstaff-repelled'")[0]
    assert status_of(window, breach) == status_of(window, sample_breach)  # type: ignore[arg-type]
    assert status_of(window, genstaff) == status_of(window, sample_genstaff)  # type: ignore[arg-type]
    assert status_of(window, breach) in ("contested", "contradicted")
    assert status_of(window, genstaff) in ("contested", "contradicted")
    assert status_of(window, made["contacted"]) == "unverified"  # nobody else says it

    # From a claim, Q opens its report at the quote.
    qtbot.waitUntil(window.table.hasFocus)
    assert window.table.select_claim(breach)
    key(qtbot, window, Qt.Key.Key_Q)
    quote = one(window, "SELECT quote_start, quote_end FROM claim WHERE id = :c", c=breach)
    assert window.reader.selection() == quote
