"""Reports in from the clipboard and from files, recognised by content; bad input writes nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop.core.capture import CaptureError, draft_from_paste, import_file
from desktop.core.capture.sniff import Kind
from desktop.core.workspace import Workspace

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "seed-report-bakhmut-2022-12.txt"

ARTICLE = b"""<!doctype html><html lang="en"><head><title>Shelling near the river | Example Wire</title>
<meta property="og:site_name" content="Example Wire"><meta name="date" content="2022-12-15"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article><h1>Shelling near the river</h1>
<p>Residents on the eastern bank reported heavy shelling through the night, according to local officials.</p>
<p>The regional administration said two bridges were damaged and could not confirm any casualties yet.</p>
</article><footer>Copyright Example Wire. All rights reserved. Cookie settings.</footer></body></html>"""

TELEGRAM = {
    "name": "Frontline Notes",
    "type": "public_channel",
    "id": 1234567,
    "messages": [
        {"id": 1, "type": "service", "date": "2022-12-13T09:00:00", "action": "pin_message", "text": ""},
        {
            "id": 2,
            "type": "message",
            "date": "2022-12-14T10:15:00",
            "date_unixtime": "1671012900",
            "text": "Our units advanced on the eastern edge of the town.",
        },
        {
            "id": 3,
            "type": "message",
            "date": "2022-12-15T23:30:00",
            "text": [
                "Update: ",
                {"type": "bold", "text": "the bridge"},
                " is under fire, see ",
                {"type": "link", "text": "https://example.org/x"},
            ],
        },
        {"id": 4, "type": "message", "date": "2022-12-15T23:40:00", "photo": "(File not included)", "text": ""},
    ],
}

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily Assessments</title><language>en</language>
<item><title>Assessment, 14 December</title><link>https://example.org/a14</link>
<pubDate>Wed, 14 Dec 2022 20:00:00 GMT</pubDate>
<description>&lt;p&gt;Attacks continued near the town.&lt;/p&gt;
&lt;p&gt;No change in the lines.&lt;/p&gt;</description></item>
<item><title>Assessment, 15 December</title><link>https://example.org/a15</link>
<pubDate>Thu, 15 Dec 2022 20:00:00 GMT</pubDate><description>Fighting went on.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry updates</title>
<entry><title>Morning update</title><link href="https://example.org/m1"/><updated>2022-12-14T06:00:00Z</updated>
<content type="html">&lt;p&gt;Assaults near five settlements were repelled.&lt;/p&gt;</content></entry></feed>"""


def reports(ws: Workspace) -> list[dict[str, Any]]:
    with ws.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.title, r.text, r.url, r.published, r.sha256, r.retrieved, s.name AS publisher, s.kind "
                "FROM report AS r LEFT JOIN source AS s ON s.id = r.source_id ORDER BY r.id"
            )
        )
        return [dict(r._mapping) for r in rows]


def counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.engine.connect() as connection:
        return tuple(
            connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ("report", "source", "audit")
        )  # type: ignore[return-value]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_a_paste_that_starts_with_its_address_takes_its_title_from_the_first_line_of_words() -> None:
    draft = draft_from_paste("https://example.org/story/42\n\nShelling reported overnight. More later.\n")
    assert draft.url == "https://example.org/story/42"
    assert draft.title == "Shelling reported overnight. More later."
    assert draft.text.startswith("https://example.org/story/42\n")  # the text itself is kept verbatim
    assert draft_from_paste("https://example.org/only").title == "https://example.org/only"  # nothing else


def test_pasted_text_becomes_a_report_with_the_url_it_mentions(workspace: Workspace) -> None:
    draft = draft_from_paste("Shelling reported overnight.\r\nSource: https://example.org/story?id=3).\n")
    assert draft.url == "https://example.org/story?id=3"
    assert draft.text == "Shelling reported overnight.\nSource: https://example.org/story?id=3)."
    assert draft.title == "Shelling reported overnight."
    workspace.store.create_reports([draft], publisher="Example Wire")
    (row,) = reports(workspace)
    assert row["publisher"] == "Example Wire"
    assert row["sha256"] == hashlib.sha256(draft.text.encode()).hexdigest()
    assert row["retrieved"] is not None


def test_a_text_file_is_one_report_and_source_names_its_publisher(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "note.md", "# Morning brief\n\nTwo paragraphs.\n\nSecond one.\n")
    done = import_file(workspace.store, path, publisher="Desk")
    assert done.kind is Kind.TEXT and len(done.reports) == 1
    (row,) = reports(workspace)
    assert (row["title"], row["publisher"]) == ("Morning brief", "Desk")
    assert row["text"] == "# Morning brief\n\nTwo paragraphs.\n\nSecond one."


def test_an_html_page_gives_its_article_text_without_navigation_or_footer(workspace: Workspace, tmp_path: Path) -> None:
    import_file(workspace.store, write(tmp_path, "page.txt", ARTICLE))  # the content decides, not the name
    (row,) = reports(workspace)
    assert "heavy shelling through the night" in row["text"]
    assert "two bridges were damaged" in row["text"]
    assert "Subscribe" not in row["text"] and "Cookie" not in row["text"] and "<p>" not in row["text"]
    assert "\n\n" in row["text"]  # paragraphs kept apart
    assert row["title"] == "Shelling near the river"
    assert str(row["published"]) == "2022-12-15"
    assert (row["publisher"], row["kind"]) == ("Example Wire", "news-outlet")


def test_a_telegram_export_gives_one_report_per_message_with_text(workspace: Workspace, tmp_path: Path) -> None:
    done = import_file(workspace.store, write(tmp_path, "result.json", json.dumps(TELEGRAM)))
    assert done.kind is Kind.TELEGRAM
    rows = reports(workspace)
    assert [r["text"] for r in rows] == [
        "Our units advanced on the eastern edge of the town.",
        "Update: the bridge is under fire, see https://example.org/x",
    ]
    assert [str(r["published"]) for r in rows] == ["2022-12-14", "2022-12-15"]
    assert {(r["publisher"], r["kind"]) for r in rows} == {("Frontline Notes", "telegram-channel")}
    assert rows[0]["title"].startswith("Frontline Notes #2: Our units advanced")
    assert counts(workspace)[1] == 1  # the channel created once


def test_an_existing_source_is_found_by_an_alias(workspace: Workspace, tmp_path: Path) -> None:
    workspace.store.create_source("Frontline Notes (Telegram)", aliases=["frontline notes"])
    import_file(workspace.store, write(tmp_path, "result.json", json.dumps(TELEGRAM)))
    assert counts(workspace)[1] == 1
    assert {r["publisher"] for r in reports(workspace)} == {"Frontline Notes (Telegram)"}


FEEDS = [
    (RSS, "Daily Assessments", "Attacks continued near the town.\n\nNo change in the lines."),
    (ATOM, "Ministry updates", "Assaults near five settlements were repelled."),
]


@pytest.mark.parametrize(("data", "publisher", "first"), FEEDS)
def test_feeds_give_one_report_per_entry(
    workspace: Workspace, tmp_path: Path, data: bytes, publisher: str, first: str
) -> None:
    done = import_file(workspace.store, write(tmp_path, "feed.xml", data))
    assert done.kind is Kind.FEED
    rows = reports(workspace)
    assert rows[0]["text"] == first
    assert rows[0]["publisher"] == publisher
    assert rows[0]["url"].startswith("https://example.org/")
    assert str(rows[0]["published"]) == "2022-12-14"


def test_undoing_an_import_removes_its_reports_and_the_publishers_it_created(
    workspace: Workspace, tmp_path: Path
) -> None:
    before = counts(workspace)[:2]
    result = workspace.store.create_reports([draft_from_paste("One."), draft_from_paste("Two.")], publisher="New desk")
    assert counts(workspace)[:2] == (before[0] + 2, before[1] + 1)
    redo = result.undo(workspace.store)
    assert counts(workspace)[:2] == before
    redo.undo(workspace.store)
    assert counts(workspace)[:2] == (before[0] + 2, before[1] + 1)


BAD: list[tuple[str, bytes, str]] = [
    ("huge.html", b"<html><body>" + b"<p>word </p>" * (50 * 2**20 // 12) + b"</body></html>", "too large for an HTML"),
    ("result.json", json.dumps(TELEGRAM).encode()[:-40], "looks like JSON but is broken"),
    ("result.json", json.dumps({**TELEGRAM, "messages": [{"type": "message", "text": 5}]}).encode(), "neither"),
    ("result.json", json.dumps({**TELEGRAM, "messages": [{"type": "message", "text": ""}]}).encode(), "no messages"),
    ("feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title', "malformed"),
    ("rtl.txt", "Looks fine \u202egnp.exe but is not".encode(), r"U\+202E RIGHT-TO-LEFT OVERRIDE"),
    ("bell.txt", b"A bell \x07 rings", "control character"),
    ("latin1.txt", "Caf\xe9".encode("latin-1"), "not UTF-8"),
    ("empty.txt", b"  \n\n ", "empty"),
    ("page.html", b"<html><head><script>var a = 1;</script></head><body></body></html>", "no article text"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] + ":" + b[2] for b in BAD])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    workspace: Workspace, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    before = counts(workspace)
    with pytest.raises(CaptureError, match=message) as caught:
        import_file(workspace.store, write(tmp_path, name, data))
    assert "\n" not in str(caught.value)
    assert counts(workspace) == before


def test_a_missing_file_and_a_folder_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="No such file or directory"):
        import_file(workspace.store, tmp_path / "nope.txt")
    with pytest.raises(CaptureError, match="folder"):
        import_file(workspace.store, tmp_path)


def test_the_reference_report_imports_verbatim(workspace: Workspace) -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"the reference report is not beside the checkout ({REFERENCE})")
    done = import_file(workspace.store, REFERENCE, publisher="Newsweek")
    (row,) = reports(workspace)
    assert row["text"] == REFERENCE.read_text(encoding="utf-8").strip()
    assert row["publisher"] == "Newsweek" and done.kind is Kind.TEXT
