"""The scale benchmark on PostgreSQL: ``python -m bench.scale_postgres [--size N]`` (see ``bench/README.md``).

For one workspace size it:

1. takes the cached SQLite workspace of ``bench.generate`` (the same claims as
   ``bench.scale``; built if missing) and a PostgreSQL cluster of the benchmark's
   own (``bench.pg_server``), loaded once with the same rows (``bench.pg_load``)
   and kept in ``bench/cache`` for later runs;
2. prepares the plan: the same filter texts, and for the peer and the floor the
   SQL that says the same on PostgreSQL — the status and source ids, and for the
   free-text terms the very word-index condition Crosscheck compiles;
3. runs each contender in a fresh process (``bench.worker``) through the same
   steps as ``bench.scale``: the floor (raw psycopg), the peer (``QSqlQueryModel``
   over Qt's ``QPSQL``), Crosscheck on the PostgreSQL workspace, and — in the same
   run, for the ratio — Crosscheck on a scratch copy of the SQLite workspace;
4. measures live refresh (``bench.live_refresh``): a commit in another process
   until this process's table has repainted it, on PostgreSQL and on SQLite;
5. prints the table and writes ``bench/results/scale-postgres-<size>.json``.

Targets: every browse step within 2× Crosscheck's SQLite figure and ahead of the
peer; live refresh ≤ 1 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import generate, pg_load, pg_server, sql
from bench.common import FLOOR_PAGE
from bench.scale_run import PYTHON, RESULTS, ROOT, _env, code_version, log, wait_quiet
from bench.scale_table import check_consistency, measure, text_table, verdict

STEPS = ("open", "page_down", "last_row", "filter_fields", "fts_rare", "fts_medium", "fts_common", "mark_link",
         "mark_link_filtered")  # fmt: skip
LABELS = {
    "open": "open → first paint",
    "page_down": "page down → repainted",
    "last_row": "jump to last row → painted",
    "filter_fields": "filter status + 5 sources → repainted",
    "fts_rare": "full-text, rare term → repainted",
    "fts_medium": "full-text, medium term → repainted",
    "fts_common": "full-text, common term → first page",
    "mark_link": "mark a link → statuses repainted",
    "mark_link_filtered": "mark a link, source filter on → repainted",
    "memory": "peak RSS over a bare QApplication: table steps",
}
LIVE_TARGET_MS = 1000.0


# --- the cluster ----------------------------------------------------------------------------------


def _fingerprint(sqlite_path: Path) -> dict[str, Any]:
    """What a loaded cluster depends on: the data, and the words the application computes for claims.

    Not the schema (a newer revision is migrated in place, as any workspace is: ``upgrade``), and
    not the code's text: the documents of the workspace's first 3,000 claims, so that only a
    change in what is stored asks for a new load."""
    from desktop.core.search.documents import claim_document

    lite = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        texts = [row[0] for row in lite.execute("SELECT text FROM claim ORDER BY id LIMIT 3000")]
    finally:
        lite.close()
    stored = "\n".join(claim_document(text) for text in texts).encode()
    return {"generator": generate.GENERATOR, "words": hashlib.sha256(stored).hexdigest()[:16]}


def upgrade(url: str) -> None:
    """Bring the loaded workspace to this code's schema (no-op when current)."""
    from desktop.core import db

    engine = db.make_engine(db.resolve_location(url))
    try:
        db.upgrade(engine)
    finally:
        engine.dispose()


def cluster(size: int, sqlite_path: Path, reload: bool) -> Path:
    """The cached cluster holding the workspace of ``size`` claims, loaded now if missing or stale."""
    path = generate.CACHE / f"pg-v{generate.GENERATOR}-{size}"
    marker = path / "loaded.json"
    wanted = _fingerprint(sqlite_path)
    if not reload and marker.exists() and json.loads(marker.read_text()).get("fingerprint") == wanted:
        return path
    log(f"loading {sqlite_path.name} into a new PostgreSQL cluster (once; cached in {path.name})")
    pg_server.initdb(path)
    with pg_server.running(path) as admin:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE crosscheck")
        loaded = pg_load.load(sqlite_path, pg_server.database_url(admin, "crosscheck"))
    marker.write_text(json.dumps({"fingerprint": wanted, **loaded}, indent=1))
    log(f"loaded: {loaded['timings']}")
    return path


# --- the plan -------------------------------------------------------------------------------------


def make_plan(size: int, meta: dict[str, Any], url: str, scratch: Path, args: argparse.Namespace) -> dict[str, Any]:
    import psycopg
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    from desktop.core import db
    from desktop.core.search import claim, compile_filter

    f = meta["filter"]
    sources = " ".join(f'source:"{name}"' for name in f["source_names"])
    engine = db.make_engine(db.resolve_location(url))
    filters: dict[str, dict[str, Any]] = {}
    try:
        with engine.connect() as connection:
            where = compile_filter(sources, "postgresql", connection=connection).where
            assert where is not None
            matched = sorted(connection.execute(sa.select(claim.c.source_id).distinct().where(where)).scalars())
            filters["filter_fields"] = {"text": f"status:{f['status']} {sources}",
                                        "where": sql.status_and_sources(f["status"], matched)}  # fmt: skip
            for label, term in meta["terms"].items():
                where = compile_filter(term["term"], "postgresql", connection=connection).where
                assert where is not None
                # The very condition Crosscheck compiles (its word query, and the claims tagged with a place
                # the word names), over the peer's and the floor's alias of the claim table.
                compiled = str(where.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
                found = re.search(r"CAST\('((?:[^']|'')*)' AS TSQUERY\)", compiled)
                assert found is not None, f"{term['term']!r} asks no word query: {compiled}"
                condition = re.sub(r"\bclaim\.", "c.", " ".join(compiled.split()))
                filters[f"fts_{label}"] = {"text": term["term"], "where": condition,
                                           "match": found.group(1).replace("''", "'")}  # fmt: skip
    finally:
        engine.dispose()
    need = args.repeat + 1
    with psycopg.connect(url) as pg:
        for spec in filters.values():
            spec["count"] = pg.execute(sql.count(spec["where"])).fetchone()[0]

        def unlinked_pairs(where: str) -> list[tuple[int, int]]:
            top = [r[0] for r in pg.execute(sql.page(where, FLOOR_PAGE)).fetchall()]
            pairs = [(a, b) for a, b in zip(top[0::2], top[1::2], strict=False) if not pg.execute(
                "SELECT 1 FROM link WHERE (from_id = %s AND to_id = %s) OR (from_id = %s AND to_id = %s)",
                (a, b, b, a)).fetchone()]  # fmt: skip
            if len(pairs) < need:
                raise RuntimeError(f"only {len(pairs)} unlinked pairs on the first page of {where!r}; need {need}")
            return pairs[:need]

        first_page = [r[0] for r in pg.execute(sql.page("", FLOOR_PAGE)).fetchall()]
        pairs, pairs_filtered = unlinked_pairs(""), unlinked_pairs(filters["filter_fields"]["where"])
    return {"size": size, "engine": "postgresql", "db": url, "sqlite_db": str(scratch), "repeat": args.repeat,
            "repeat_last": args.repeat_last, "page_downs": args.page_downs, "filters": filters, "pairs": pairs,
            "pairs_filtered": pairs_filtered, "first_page": first_page}  # fmt: skip


def migrated_copy(source: Path, target: Path) -> None:
    """A copy of a SQLite workspace at this code's schema revision (untimed; no backup of a scratch copy).

    The migrated workspace is cached beside the original (migrating a million claims' search
    index takes minutes), so a run only copies it.
    """
    from desktop.core import db

    cached = source.with_name(f"{source.stem}-at-{generate.schema_head()}.sqlite")
    if not cached.exists():
        log(f"migrating a copy of {source.name} to schema {generate.schema_head()} (once; cached)")
        partial = cached.with_name(cached.name + ".partial")
        shutil.copyfile(source, partial)
        engine = db.make_engine(db.resolve_location(str(partial)))
        try:
            db._run_migrations(engine)  # noqa: SLF001 (db.upgrade would first back the copy up: 1 GB)
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.replace(cached)
        for older in source.parent.glob(f"{source.stem}-at-*.sqlite"):
            if older != cached:
                older.unlink()  # a gigabyte each
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(cached, target)


def _plan_file(plan: dict[str, Any], name: str) -> Path:
    path = generate.CACHE / f"plan-postgres-{plan['size']}-{name}.json"
    path.write_text(json.dumps(plan, indent=1, ensure_ascii=False))
    return path


def run_worker(contender: str, plan_file: Path, wait: bool) -> dict[str, Any]:
    """``bench.worker`` for one contender in a fresh process (after waiting for a quiet machine, if ``wait``)."""
    import subprocess

    out = plan_file.with_name(f"{plan_file.stem}-{contender}.out.json")
    busy = wait_quiet() if wait else None
    log(f"[{contender} on {json.loads(plan_file.read_text())['engine']}]")
    command = [PYTHON, "-m", "bench.worker", contender, str(plan_file), str(out)]
    subprocess.run(command, check=True, env=_env(), cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text())
    result["busy_cpus_before"] = None if busy is None else round(busy, 2)
    out.unlink()
    return result


# --- the table ------------------------------------------------------------------------------------


def build_table(results: dict[str, dict[str, Any]], plan: dict[str, Any]) -> list[dict[str, Any]]:
    def value(contender: str, step: str) -> float | None:
        found = results.get(contender, {}).get("steps", {}).get(step)
        return None if found is None else float(found["median_ms"])

    rows = []
    for step in STEPS:
        peer, floor = value("peer", step), value("floor", step)
        cc, lite = value("crosscheck", step), value("crosscheck-sqlite", step)
        misses = []
        if cc is not None and lite is not None and cc > 2 * lite:
            misses.append(f"{cc - 2 * lite:,.1f} ms over 2× SQLite ({cc / lite:.1f}× SQLite)")
        if cc is not None and peer is not None and cc >= peer:
            misses.append(f"{cc / peer:.2f}× the peer (not ahead)")
        notes = ""
        if step.startswith(("filter", "fts")):
            spec = plan["filters"][step]
            count_ms = value("floor", f"count:{step}")
            notes = f"{spec['count']:,} matches; floor exact count {'—' if count_ms is None else f'{count_ms:.1f} ms'}"
            if "match" in spec:
                place = " or a place the word names" if "claim_place" in spec["where"] else ""
                notes += f"; tsquery {spec['match']}{place} (the same condition for all three)"
        earlier = [f"{name} from the run of {results[name]['from_earlier_run']}" for name in results
                   if results[name].get("from_earlier_run")]  # fmt: skip
        if earlier:
            notes = "; ".join(x for x in (notes, *earlier) if x)
        rows.append({"step": step, "label": LABELS[step], "unit": "ms", "peer": peer, "floor": floor,
                     "crosscheck": cc, "crosscheck_sqlite": lite,
                     "ratio_to_sqlite": None if cc is None or not lite else cc / lite,
                     "ratio_to_peer": None if cc is None or not peer else cc / peer,
                     "target": "≤ 2× SQLite and ahead of the peer", "met": None if cc is None else not misses,
                     "miss": "; ".join(misses), "notes": notes})  # fmt: skip
    memory = {}
    for contender in ("peer", "floor", "crosscheck", "crosscheck-sqlite"):
        found = results.get(contender)
        if found:
            memory[contender] = (found["peak_rss_kb"] - found["baseline_rss_kb"]) / 1024
    rows.append({"step": "memory", "label": LABELS["memory"], "unit": "MB", "peer": memory.get("peer"),
                 "floor": memory.get("floor"), "crosscheck": memory.get("crosscheck"),
                 "crosscheck_sqlite": memory.get("crosscheck-sqlite"), "ratio_to_sqlite": None, "ratio_to_peer": None,
                 "target": "(reported)", "met": None, "miss": "", "notes": "peak over the browse steps"})  # fmt: skip
    return rows


def live_rows(live: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for engine, found in live.items():
        median = found["median_ms"]
        met = median <= LIVE_TARGET_MS
        notes = f"{len(found['ms'])} commits, max {max(found['ms']):.0f} ms; {found['how']}"
        rows.append({"step": f"live_{engine}", "label": f"live refresh ({engine}): commit elsewhere → repainted",
                     "unit": "ms", "peer": None, "floor": None, "crosscheck": median, "crosscheck_sqlite": None,
                     "ratio_to_sqlite": None, "ratio_to_peer": None, "target": "≤ 1 s", "met": met,
                     "miss": "" if met else f"{median - LIVE_TARGET_MS:,.0f} ms over",
                     "notes": notes})  # fmt: skip
    return rows


def render(size: int, rows: list[dict[str, Any]]) -> str:
    header = ("step", "peer (QPSQL)", "floor (psycopg)", "Crosscheck PG", "Crosscheck SQLite", "× SQLite", "met?")
    lines = [[r["label"], measure(r["peer"], r["unit"]), measure(r["floor"], r["unit"]),
              measure(r["crosscheck"], r["unit"]), measure(r["crosscheck_sqlite"], r["unit"]),
              "—" if r["ratio_to_sqlite"] is None else f"{r['ratio_to_sqlite']:.2f}", verdict(r)]
             for r in rows]  # fmt: skip
    return text_table(f"Scale benchmark on PostgreSQL, {size:,} claims", header, lines, rows)


def markdown(report: dict[str, Any]) -> str:
    """The README's table of a written report (``--markdown``)."""
    lines = ["| step | peer (QPSQL) | floor (psycopg) | Crosscheck PG | Crosscheck SQLite | × SQLite | target | met? |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in report["rows"]:
        ratio = "—" if r["ratio_to_sqlite"] is None else f"{r['ratio_to_sqlite']:.2f}"
        cells = (r["label"], *(measure(r[k], r["unit"]) for k in ("peer", "floor", "crosscheck", "crosscheck_sqlite")),
                 ratio, r["target"], verdict(r))  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------------


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    code = code_version()
    sqlite_path, meta_file = generate.workspace_path(size), generate.meta_path(size)
    if not (sqlite_path.exists() and meta_file.exists()):
        generate.workspace(size)
    # The rows, not the schema revision, matter here: a cache built by another branch's schema will do.
    meta = json.loads(meta_file.read_text())
    path = cluster(size, sqlite_path, args.reload)
    scratch = generate.CACHE / f"scratch-postgres-{size}.sqlite"
    parts = set(args.only.split(","))
    if parts == {"load"}:
        return {}
    results: dict[str, dict[str, Any]] = {}
    with pg_server.running(path) as admin:
        url = pg_server.database_url(admin, "crosscheck")
        upgrade(url)
        if "browse" in parts:
            migrated_copy(sqlite_path, scratch)
            plan = make_plan(size, meta, url, scratch, args)
            counts = {name: spec["count"] for name, spec in plan["filters"].items()}
            log(f"ready ({time.perf_counter() - t0:.1f} s); matches: {counts}")
            on_pg = _plan_file(plan, "pg")
            chosen = args.contenders.split(",")
            # The peer re-reads the whole result on every step (a million rows: seconds), so it runs fewer times.
            fewer = min(args.repeat, args.peer_repeat)
            on_peer = _plan_file({**plan, "repeat": fewer, "repeat_last": min(args.repeat_last, fewer)}, "peer")
            wait = not args.no_wait
            for contender in ("floor", "peer", "crosscheck"):
                if contender in chosen:
                    results[contender] = run_worker(contender, on_peer if contender == "peer" else on_pg, wait)
            if "sqlite" in chosen:
                on_sqlite = _plan_file({**plan, "engine": "sqlite", "db": str(scratch)}, "sqlite")
                results["crosscheck-sqlite"] = run_worker("crosscheck", on_sqlite, wait)
            scratch.unlink(missing_ok=True)
        else:
            plan = {"size": size, "filters": {}}
        live: dict[str, Any] = {}
        if "live" in parts:
            from bench import live_refresh

            live = live_refresh.measure_both(url, sqlite_path, args.commits)
    kept = [name for name in args.keep.split(",") if name]
    if kept:  # contenders measured by an earlier run (the peer takes ~10 min at 1M), said so in the JSON
        earlier = json.loads((RESULTS / f"scale-postgres-{size}.json").read_text())
        for name in kept:
            results[name] = {**earlier["raw"][name], "from_earlier_run": earlier["when"]}
    rows = build_table(results, plan) if results else []
    rows += live_rows(live)
    problems = check_consistency(plan, results) if results else []
    report = {
        "size": size,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": __import__("os").cpu_count(),
            "postgresql": _server_version(path),
        },  # fmt: skip
        "code": code,
        "command": "PYTHONPATH=. QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.scale_postgres --size "
        + str(size),
        "server": {
            "settings": "PostgreSQL defaults except " + ", ".join(pg_server.SETTINGS),
            "load": json.loads((path / "loaded.json").read_text()),
        },  # fmt: skip
        "plan": {k: v for k, v in plan.items() if k not in ("pairs", "pairs_filtered", "first_page")},
        "rows": rows,
        "problems": problems,
        "raw": results,
        "live": live,
    }
    print(render(size, rows))
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"scale-postgres-{size}.json"
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
        log(f"wrote {out}")
    return report


def _server_version(path: Path) -> str:
    version = path / "data" / "PG_VERSION"
    return version.read_text().strip() if version.exists() else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, action="append", help="claims (repeatable); default 1000000")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per step (median reported)")
    parser.add_argument("--repeat-last", type=int, default=5, help="timed runs of the jump to the last row")
    parser.add_argument("--page-downs", type=int, default=20, help="consecutive page downs timed")
    parser.add_argument(
        "--peer-repeat", type=int, default=3, help="timed runs per step for the peer (QPSQL reads every row each time)"
    )
    parser.add_argument("--commits", type=int, default=9, help="live refresh: commits timed per back end")
    parser.add_argument("--only", default="browse,live", help="comma-separated: browse, live, load (only load)")
    parser.add_argument(
        "--contenders",
        default="floor,peer,crosscheck,sqlite",
        help="comma-separated (development): floor, peer, crosscheck, sqlite (Crosscheck on SQLite)",
    )
    parser.add_argument(
        "--keep",
        default="",
        help="comma-separated contenders whose figures to take from the "
        "written results of an earlier run (e.g. peer), instead of measuring them again",
    )
    parser.add_argument("--reload", action="store_true", help="load the PostgreSQL workspace again")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results")
    parser.add_argument("--no-wait", action="store_true", help="development runs: do not wait for a quiet machine")
    parser.add_argument("--markdown", action="store_true", help="print the README's table of the written results")
    args = parser.parse_args(argv)
    if args.markdown:
        for size in args.size or [1_000_000]:
            print(markdown(json.loads((RESULTS / f"scale-postgres-{size}.json").read_text())))
        return 0
    for size in args.size or [1_000_000]:
        run_size(size, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
