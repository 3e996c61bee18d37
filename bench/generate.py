"""Cached synthetic workspaces and interchange documents for the scale benchmark.

``workspace(n)`` returns ``bench/cache/ws-v<GENERATOR>-<n>.sqlite``, building it
when it is missing (one built for an older schema revision is brought up to date
by the application's own migrations, on a copy, as a user's workspace would be):

1. the schema comes from the application itself (``db.make_engine`` +
   ``db.upgrade``: every table, index, the FTS5 table and its triggers);
2. rows are written with raw ``sqlite3`` (``sqlfunctions.register`` first: the
   FTS triggers call ``cc_fold``) in one transaction, secondary indexes dropped
   during the load and recreated after it — the FTS triggers stay, so the index
   holds exactly what the application would have put there;
3. the derived status columns are filled by the application's own full
   derivation (``store.status.rederive_all``), once;
4. a sidecar ``.json`` records counts, timings and what the steps need (terms of
   known frequency, the filter's sources).

``document(n)`` returns ``bench/cache/import-v<GENERATOR>-<n>.json``: an
interchange document (docs/formats.md) of ``n`` claims with the same shape, its own
sources, places and reports, and ids prefixed ``imp-`` so it can also be
imported into a generated workspace.

Run ``python -m bench.generate 100000 1000000`` to build caches ahead of time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from bench.world import World, synthesize

GENERATOR = 1  # bump when the generated shape changes: the caches are rebuilt
BENCH = Path(__file__).resolve().parent
CACHE = BENCH / "cache"
_TS = "%Y-%m-%d %H:%M:%S.000000"  # how SQLAlchemy stores a datetime on SQLite


def known_revisions() -> tuple[frozenset[str], str]:
    from desktop.core import db

    return db.known_revisions()


def schema_head() -> str:
    return known_revisions()[1]


def workspace_path(n: int) -> Path:
    return CACHE / f"ws-v{GENERATOR}-{n}.sqlite"


def meta_path(n: int) -> Path:
    return CACHE / f"ws-v{GENERATOR}-{n}.json"


def document_path(n: int) -> Path:
    return CACHE / f"import-v{GENERATOR}-{n}.json"


def empty_workspace_path() -> Path:
    return CACHE / f"empty-v{GENERATOR}.sqlite"


def log(message: str) -> None:
    print(f"[generate] {message}", file=sys.stderr, flush=True)


# --- workspace ------------------------------------------------------------------------------


def workspace(n: int) -> tuple[Path, dict[str, Any]]:
    """The cached workspace of ``n`` claims and its metadata, built if needed."""
    path, meta_file = workspace_path(n), meta_path(n)
    head = schema_head()
    if path.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("schema") == head and meta.get("generator") == GENERATOR:
            return path, meta
        if meta.get("generator") == GENERATOR and meta.get("schema") in known_revisions()[0]:
            return _migrated(path, meta, n, head), json.loads(meta_file.read_text())
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(str(partial) + "-wal"), Path(str(partial) + "-shm")):
        stale.unlink(missing_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    world = synthesize(n)
    timings["synthesize_s"] = time.perf_counter() - t0
    log(f"synthesized {n} claims, {len(world.links)} links in {timings['synthesize_s']:.1f} s")
    _create_schema(partial)
    t0 = time.perf_counter()
    _write_world(partial, world)
    timings["write_s"] = time.perf_counter() - t0
    log(f"wrote rows and full-text index in {timings['write_s']:.1f} s")
    del world
    t0 = time.perf_counter()
    _derive(partial)
    timings["derive_s"] = time.perf_counter() - t0
    log(f"derived statuses in {timings['derive_s']:.1f} s")
    meta = _describe(partial, n)
    meta.update(generator=GENERATOR, schema=head, build=timings)
    os.replace(partial, path)
    meta_file.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return path, meta


def _migrated(path: Path, meta: dict[str, Any], n: int, head: str) -> Path:
    """The cached workspace brought to schema ``head`` by the application's own migrations, as a user's would be.

    Much cheaper than building it again (a million claims take minutes to generate and derive); the
    migrations run on a copy, which then replaces the cache, and the sidecar is described again (a
    migration may change what the full-text index holds).
    """
    from desktop.core import db

    t0 = time.perf_counter()
    # Named for this process: the cache is shared, and another checkout may be migrating it too.
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    shutil.copyfile(path, partial)
    engine = db.make_engine(db.resolve_location(str(partial)))
    try:
        db._run_migrations(engine)  # no backup: the cache it came from stays until the replace below
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    described = _describe(partial, n)
    build = {**meta.get("build", {}), "migrated_from": meta.get("schema"), "migrate_s": time.perf_counter() - t0}
    described.update(generator=GENERATOR, schema=head, build=build)
    os.replace(partial, path)
    for leftover in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    meta_path(n).write_text(json.dumps(described, indent=2, ensure_ascii=False))
    log(f"{path.name}: migrated {meta.get('schema')} → {head} in {time.perf_counter() - t0:.1f} s")
    return path


def empty_workspace() -> Path:
    """A migrated workspace without data (imports start from a copy of it)."""
    path = empty_workspace_path()
    marker = path.with_suffix(".schema")
    head = schema_head()
    if path.exists() and marker.exists() and marker.read_text() == head:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    _create_schema(path)
    marker.write_text(head)
    return path


def _create_schema(path: Path) -> None:
    from desktop.core import db

    engine = db.make_engine(db.resolve_location(str(path)))
    try:
        db.upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def _connect(path: Path) -> sqlite3.Connection:
    from desktop.core.sqlfunctions import register

    connection = sqlite3.connect(path, isolation_level=None)
    register(connection)
    return connection


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _write_world(path: Path, world: World) -> None:
    con = _connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-500000")
    con.execute("PRAGMA foreign_keys=OFF")
    tables = ("claim", "claim_place", "link", "report", "source", "place", "place_alias", "outreach_claim")
    marks = ",".join("?" * len(tables))
    indexes = con.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    con.execute("BEGIN")
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    _insert_world(con, world, "")
    con.execute("COMMIT")
    con.execute("BEGIN")
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()


def _insert_world(con: sqlite3.Connection, world: World, prefix: str, base: dict[str, int] | None = None) -> None:
    """Insert ``world`` with ids = index + 1 (+ ``base`` offsets); ext ids get ``prefix``."""
    off = base or {}
    so, po, ro, co, oo = (off.get(k, 0) for k in ("source", "place", "report", "claim", "outreach"))
    con.executemany(
        "INSERT INTO source (id, ext_id, name, aliases, kind, side, group_label, reliability, url, notes) "
        "VALUES (?,?,?,?,?,?,?,?,?, '')",
        (
            (so + i + 1, f"{prefix}src-{i + 1}", s["name"], json.dumps(s["aliases"]), s["kind"], s["side"],
             s["group"], s["reliability"], s["url"])
            for i, s in enumerate(world.sources)
        ),
    )  # fmt: skip
    from desktop.core.text import fold

    con.executemany(
        "INSERT INTO place (id, ext_id, name, folded, region, lat, lon) VALUES (?,?,?,?,?,?,?)",
        (
            (po + i + 1, f"{prefix}pl-{i + 1}", p["name"], fold(p["name"]), p["region"], p["lat"], p["lon"])  # type: ignore[arg-type]
            for i, p in enumerate(world.places)
        ),
    )
    con.executemany(
        "INSERT INTO place_alias (place_id, position, alias, folded) VALUES (?,?,?,?)",
        (
            (po + i + 1, k, alias, fold(alias))
            for i, p in enumerate(world.places)
            for k, alias in enumerate(p["aliases"])  # type: ignore[arg-type]
        ),
    )
    con.executemany(
        "INSERT INTO report (id, ext_id, title, source_id, url, published, language, text) "
        "VALUES (?,?,?,?, NULL, ?, ?, '')",
        (
            (ro + i + 1, f"{prefix}rep-{i + 1}", r["title"], so + r["source"] + 1, _iso(r["published"]), r["language"])  # type: ignore[operator, arg-type]
            for i, r in enumerate(world.reports)
        ),
    )
    con.executemany(
        "INSERT INTO claim (id, ext_id, text, source_id, report_id, kind, claimed, event_start, event_end, "
        "event_precision, credibility, likelihood, verdict, reviewed, tags, notes, recorded, sort_date, "
        "status, suggested_credibility, verdict_disputed, link_count) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'unverified', 6, 0, 0)",
        (
            (co + i + 1, f"{prefix}c-{i + 1}", c.text, so + c.source + 1,
             None if c.report is None else ro + c.report + 1, c.kind, _iso(c.claimed), _iso(c.event_start),
             _iso(c.event_end), c.precision, c.credibility,
             c.likelihood, c.verdict, int(c.reviewed), json.dumps(list(c.tags)), c.notes, c.recorded.strftime(_TS),
             (c.claimed or c.recorded.date()).isoformat())
            for i, c in enumerate(world.claims)
        ),
    )  # fmt: skip
    con.executemany(
        "INSERT INTO claim_place (claim_id, place_id, position) VALUES (?,?,?)",
        ((co + i + 1, po + p + 1, k) for i, c in enumerate(world.claims) for k, p in enumerate(c.places)),
    )
    con.executemany(
        "INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded) VALUES (?,?,?,?,?,?)",
        (
            (co + ln.from_ + 1, co + ln.to + 1, ln.relation, ln.rationale, ln.analyst, ln.recorded.strftime(_TS))
            for ln in world.links
        ),
    )
    con.executemany(
        "INSERT INTO outreach (id, ext_id, party, contacted, status, response) VALUES (?,?,?,?,?,?)",
        (
            (oo + i + 1, f"{prefix}o-{i + 1}", o["party"], _iso(o["contacted"]), o["status"], o["response"])  # type: ignore[arg-type]
            for i, o in enumerate(world.outreach)
        ),
    )
    con.executemany(
        "INSERT INTO outreach_claim (outreach_id, claim_id, position) VALUES (?,?,?)",
        ((oo + i + 1, co + c + 1, k) for i, o in enumerate(world.outreach) for k, c in enumerate(o["about"])),  # type: ignore[arg-type]
    )


def _derive(path: Path) -> None:
    from desktop.core import db
    from desktop.core.store import status

    engine = db.make_engine(db.resolve_location(str(path)))
    try:
        with db.write_connection(engine) as connection:
            status.rederive_all(connection)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def _describe(path: Path, n: int) -> dict[str, Any]:
    """Counts, and the inputs of the steps: terms of known document frequency, the filter."""
    con = _connect(path)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("claim", "link", "source", "place")}
    counts["repeats"] = con.execute("SELECT count(*) FROM link WHERE relation='repeats'").fetchone()[0]
    counts["cyrillic_claims"] = con.execute(
        "SELECT count(*) FROM claim WHERE text GLOB '*[А-яЁё]*' AND text NOT GLOB '*[A-Za-z]*'"
    ).fetchone()[0]
    statuses = dict(con.execute("SELECT status, count(*) FROM claim GROUP BY status").fetchall())
    con.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, claim_fts, 'row')")
    vocab = con.execute("SELECT term, doc FROM temp.vocab").fetchall()
    terms = {}
    for label, wanted in (("rare", 10), ("medium", n // 100), ("common", n // 4)):
        terms[label] = _pick_term(con, vocab, wanted)
    # Field filter: one status and five sources of middling output.
    per_source = con.execute(
        "SELECT source_id, count(*) AS k FROM claim GROUP BY source_id ORDER BY k DESC, source_id"
    ).fetchall()
    chosen = [per_source[r] for r in (10, 30, 60, 100, 150) if r < len(per_source)]
    ids = [row[0] for row in chosen]
    names = dict(con.execute(f"SELECT id, name FROM source WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall())
    status = "corroborated"
    matching = con.execute(
        f"SELECT count(*) FROM claim WHERE status = ? AND source_id IN ({','.join('?' * len(ids))})", [status, *ids]
    ).fetchone()[0]
    con.close()
    return {
        "size": n,
        "counts": counts,
        "statuses": statuses,
        "terms": terms,
        "filter": {"status": status, "source_ids": ids, "source_names": [names[i] for i in ids], "matching": matching},
        "bytes": path.stat().st_size,
    }


def _pick_term(con: sqlite3.Connection, vocab: list[tuple[str, int]], wanted: int) -> dict[str, Any]:
    """A body word whose document frequency is close to ``wanted`` and which prefixes no other indexed word.

    The filter bar treats the last word as a prefix, so a word that begins other
    words would match more than its own count.
    """
    terms = sorted(vocab, key=lambda tv: (abs(tv[1] - wanted), tv[0]))
    known = {t for t, _ in vocab}
    for term, docs in terms:
        if len(term) < 4 or not term.isalpha():
            continue
        if any(other != term and other.startswith(term) for other in known if other[:4] == term[:4]):
            continue
        body = con.execute("SELECT count(*) FROM claim_fts WHERE claim_fts MATCH ?", (f'body : "{term}"',)).fetchone()[
            0
        ]
        return {"term": term, "docs": docs, "body_docs": body}
    raise RuntimeError(f"no term near {wanted} documents")


# --- interchange document -------------------------------------------------------------------


def document(n: int) -> Path:
    """The cached interchange document of ``n`` claims (see the module docstring)."""
    path = document_path(n)
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    world = synthesize(n, seed=7, n_sources=1000, n_places=500)
    doc = world_document(world, "imp-")
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    os.replace(partial, path)
    return path


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def world_document(world: World, prefix: str) -> dict[str, Any]:
    def cid(i: int) -> str:
        return f"{prefix}c-{i + 1}"

    return {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [
            {"id": f"{prefix}src-{i + 1}", "name": s["name"], "kind": s["kind"], "side": s["side"] or None,
             "group": s["group"] or None, "reliability": s["reliability"], "url": s["url"],
             "aliases": s["aliases"], "notes": ""}
            for i, s in enumerate(world.sources)
        ],
        "reports": [
            {"id": f"{prefix}rep-{i + 1}", "title": r["title"], "source": f"{prefix}src-{r['source'] + 1}",  # type: ignore[operator]
             "url": None, "published": _iso(r["published"]), "language": r["language"], "text": ""}  # type: ignore[arg-type]
            for i, r in enumerate(world.reports)
        ],
        "places": [
            {"id": f"{prefix}pl-{i + 1}", "name": p["name"], "aliases": p["aliases"], "region": p["region"],
             "lat": p["lat"], "lon": p["lon"]}
            for i, p in enumerate(world.places)
        ],
        "claims": [
            {"id": cid(i), "text": c.text, "source": f"{prefix}src-{c.source + 1}",
             "report": None if c.report is None else f"{prefix}rep-{c.report + 1}", "kind": c.kind,
             "claimed": _iso(c.claimed),
             "event": None if c.event_start is None else
             {"start": _iso(c.event_start), "end": _iso(c.event_end), "precision": c.precision},
             "places": [f"{prefix}pl-{p + 1}" for p in c.places], "credibility": c.credibility,
             "likelihood": c.likelihood, "verdict": c.verdict, "reviewed": c.reviewed, "tags": list(c.tags),
             "notes": c.notes, "recorded": _stamp(c.recorded)}
            for i, c in enumerate(world.claims)
        ],
        "links": [
            {"from": cid(ln.from_), "to": cid(ln.to), "relation": ln.relation, "rationale": ln.rationale,
             "analyst": ln.analyst, "recorded": _stamp(ln.recorded)}
            for ln in world.links
        ],
        "outreach": [
            {"id": f"{prefix}o-{i + 1}", "party": o["party"], "contacted": _iso(o["contacted"]),  # type: ignore[arg-type]
             "about": [cid(c) for c in o["about"]], "status": o["status"], "response": o["response"]}  # type: ignore[attr-defined]
            for i, o in enumerate(world.outreach)
        ],
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    sizes = [int(a) for a in (argv if argv is not None else sys.argv[1:])] or [100_000]
    for n in sizes:
        t0 = time.perf_counter()
        path, meta = workspace(n)
        log(f"{path.name}: {meta['counts']} ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    log(f"{document(100_000).name} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
