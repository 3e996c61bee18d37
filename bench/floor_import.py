"""The floor of an import: decode the interchange document and ``executemany`` its rows with raw sqlite3.

The same rows the application's importer writes (sources, reports, places and
aliases, claims and their places, links, outreach), in one ``BEGIN IMMEDIATE``
transaction, ids assigned after the current maximum, references resolved through
dicts. The FTS triggers fire as they would for the application (so the text
index is maintained). Not done — that is what makes it a floor: no validation,
no audit rows, no status derivation (derived columns keep their defaults).

``staged=True`` (the floor proper): claims are executemany'd into a temporary
table and moved with ONE ``INSERT … SELECT``, because FTS5 flushes its pending
index at the end of every statement its trigger runs in — a plain executemany
of 100k claims runs the trigger in 100k statements and is about 4× slower.
``staged=False`` is that plain executemany, kept for comparison.

Tables that are empty before the import (the empty workspace) get their indexes
built after their rows, in the same transaction, as the application's bulk path
does (``desktop.core.store.bulk_indexes``): the floor writes no more cleverly than
Crosscheck does.

``index=False`` (what the scale benchmark runs, as Crosscheck's window imports):
the claims' full-text index is left for after the commit — the insert trigger is
dropped for the claims' insert and recreated in the same transaction, so the
floor commits what the application commits before its background index build.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from desktop.core.text import fold


def _ts(value: str) -> str:
    """``2022-12-15T09:00:00Z`` as SQLAlchemy stores a UTC datetime on SQLite."""
    return f"{value[:10]} {value[11:19]}.000000"


def import_document(con: sqlite3.Connection, data: bytes, *, staged: bool = True, index: bool = True) -> int:
    """Write ``data`` into the workspace behind ``con`` (``sqlfunctions.register`` done); returns claims written."""
    doc: dict[str, Any] = json.loads(data)
    con.execute("BEGIN IMMEDIATE")
    try:
        base = {t: con.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
                for t in ("source", "report", "place", "claim", "outreach")}  # fmt: skip
        rebuilt = _drop_indexes_of_empty(con, ("claim", "claim_place", "link", "report"))
        src = {s["id"]: base["source"] + i + 1 for i, s in enumerate(doc["sources"])}
        con.executemany(
            "INSERT INTO source (id, ext_id, name, aliases, kind, side, group_label, reliability, url, notes) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(src[s["id"]], s["id"], s["name"], json.dumps(s.get("aliases") or []), s.get("kind") or "other",
              s.get("side") or "", s.get("group") or "", s.get("reliability") or "F", s.get("url"),
              s.get("notes") or "") for s in doc["sources"]],
        )  # fmt: skip
        rep = {r["id"]: base["report"] + i + 1 for i, r in enumerate(doc["reports"])}
        con.executemany(
            "INSERT INTO report (id, ext_id, title, source_id, url, published, language, text) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(rep[r["id"]], r["id"], r["title"], src.get(r.get("source")), r.get("url"), r.get("published"),
              r.get("language"), r.get("text") or "") for r in doc["reports"]],
        )  # fmt: skip
        pl = {p["id"]: base["place"] + i + 1 for i, p in enumerate(doc["places"])}
        con.executemany(
            "INSERT INTO place (id, ext_id, name, folded, region, lat, lon) VALUES (?,?,?,?,?,?,?)",
            [(pl[p["id"]], p["id"], p["name"], fold(p["name"]), p.get("region"), p.get("lat"), p.get("lon"))
             for p in doc["places"]],
        )  # fmt: skip
        con.executemany(
            "INSERT INTO place_alias (place_id, position, alias, folded) VALUES (?,?,?,?)",
            [(pl[p["id"]], k, a, fold(a)) for p in doc["places"] for k, a in enumerate(p.get("aliases") or [])],
        )
        cl = {c["id"]: base["claim"] + i + 1 for i, c in enumerate(doc["claims"])}
        rows = []
        for c in doc["claims"]:
            event = c.get("event") or {}
            recorded = c["recorded"]
            rows.append(
                (cl[c["id"]], c["id"], c["text"], src[c["source"]], rep.get(c.get("report")), c.get("kind") or "event",
                 c.get("claimed"), event.get("start"), event.get("end"), event.get("precision"), c.get("credibility"),
                 c.get("likelihood"), c.get("verdict"), int(bool(c.get("reviewed"))), json.dumps(c.get("tags") or []),
                 c.get("notes") or "", _ts(recorded), c.get("claimed") or recorded[:10])
            )  # fmt: skip
        names = ("id, ext_id, text, source_id, report_id, kind, claimed, event_start, event_end, event_precision, "
                 "credibility, likelihood, verdict, reviewed, tags, notes, recorded, sort_date")  # fmt: skip
        derived = "status, suggested_credibility, verdict_disputed, link_count"
        trigger = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'claim_fts_after_insert'"
        ).fetchone()
        if not index and trigger is not None:
            con.execute("DROP TRIGGER claim_fts_after_insert")
        if staged:
            con.execute(f"CREATE TEMP TABLE stage AS SELECT {names} FROM main.claim WHERE 0")
            con.executemany(f"INSERT INTO temp.stage ({names}) VALUES ({', '.join('?' * 18)})", rows)
            con.execute(f"INSERT INTO main.claim ({names}, {derived}) "
                        f"SELECT {names}, 'unverified', 6, 0, 0 FROM temp.stage ORDER BY rowid")  # fmt: skip
            con.execute("DROP TABLE temp.stage")
        else:
            con.executemany(f"INSERT INTO main.claim ({names}, {derived}) "
                            f"VALUES ({', '.join('?' * 18)}, 'unverified', 6, 0, 0)", rows)  # fmt: skip
        if not index and trigger is not None:
            con.execute(trigger[0])
        con.executemany(
            "INSERT INTO claim_place (claim_id, place_id, position) VALUES (?,?,?)",
            [(cl[c["id"]], pl[p], k) for c in doc["claims"] for k, p in enumerate(c.get("places") or [])],
        )
        con.executemany(
            "INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded) VALUES (?,?,?,?,?,?)",
            [(cl[ln["from"]], cl[ln["to"]], ln["relation"], ln.get("rationale") or "", ln.get("analyst") or "",
              _ts(ln["recorded"])) for ln in doc["links"]],
        )  # fmt: skip
        out = {o["id"]: base["outreach"] + i + 1 for i, o in enumerate(doc.get("outreach") or [])}
        con.executemany(
            "INSERT INTO outreach (id, ext_id, party, contacted, status, response) VALUES (?,?,?,?,?,?)",
            [(out[o["id"]], o["id"], o["party"], o.get("contacted"), o.get("status") or "pending", o.get("response"))
             for o in doc.get("outreach") or []],
        )  # fmt: skip
        con.executemany(
            "INSERT INTO outreach_claim (outreach_id, claim_id, position) VALUES (?,?,?)",
            [(out[o["id"]], cl[c], k) for o in doc.get("outreach") or [] for k, c in enumerate(o.get("about") or [])],
        )
        for sql in rebuilt:
            con.execute(sql)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(doc["claims"])


def _drop_indexes_of_empty(con: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the droppable indexes of those ``tables`` that hold no row; returns their SQL, to create them again."""
    dropped = []
    for table in tables:
        if con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            continue
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
        for name, sql in con.execute(query, (table,)).fetchall():
            con.execute(f'DROP INDEX "{name}"')
            dropped.append(sql)
    return dropped
