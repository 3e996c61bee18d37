"""``crosscheck import`` of reports, ``find`` and ``similar`` as real processes (DESIGN §4)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import SAMPLE, assert_user_error, run


def test_import_recognises_reports_by_content_and_find_and_similar_answer(tmp_path: Path) -> None:
    db = str(tmp_path / "work.sqlite")
    assert run(tmp_path, "--db", db, "import", str(SAMPLE)).returncode == 0
    page = tmp_path / "download.bin"  # the name says nothing; the content is a web page
    page.write_bytes(
        b"<!doctype html><html><head><title>Night of shelling</title></head><body><nav>Menu</nav><article>"
        b"<p>Residents described a night of shelling on the eastern edge of Bakhmut and damaged bridges.</p>"
        b"<p>Local officials said they could not yet confirm the number of casualties.</p></article></body></html>"
    )
    done = run(tmp_path, "--db", db, "import", str(page), "--source", "Example Wire")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "imported 1 report from an HTML page"

    found = run(tmp_path, "--db", db, "find", "place:бахмут status:contested", "--json", "--limit", "5")
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert rows and all(row["status"] == "contested" for row in rows)
    assert {"id", "text", "source", "status"} <= rows[0].keys()
    assert len(rows) <= 5

    similar = run(tmp_path, "--db", db, "similar", "c-breach", "--json", "--limit", "3")
    assert similar.returncode == 0, similar.stderr
    suggestions = json.loads(similar.stdout)
    assert len(suggestions) == 3
    assert [s["score"] for s in suggestions] == sorted((s["score"] for s in suggestions), reverse=True)
    assert all(s["why"] and isinstance(s["score"], float) for s in suggestions)

    plain = run(tmp_path, "--db", db, "similar", "c-breach", "--limit", "1")
    assert plain.stdout.decode().count("\n") == 1


def test_import_from_standard_input_and_its_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "work.sqlite")
    piped = run(tmp_path, "--db", db, "import", "-", "--source", "Desk", stdin=b"Pasted words.\n")
    assert piped.returncode == 0, piped.stderr
    assert_user_error(run(tmp_path, "--db", db, "import", "-", stdin=b'{"name": "x", "messages": [1,'), "broken")
    assert_user_error(run(tmp_path, "--db", db, "import", str(tmp_path / "missing.txt")), "No such file or directory")
    assert_user_error(run(tmp_path, "--db", db, "similar", "c-none"), "no claim has the id")
    assert_user_error(run(tmp_path, "--db", db, "find", "x", "--limit", "0"), "at least 1")
    assert_user_error(run(tmp_path, "--db", db, "import", str(SAMPLE), "--source", "Desk"), "--source")
