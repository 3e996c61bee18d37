"""Loading the benchmark's SQLite workspace into PostgreSQL, fast: the schema from the application, rows by COPY.

The PostgreSQL workspace holds exactly the rows of the cached SQLite workspace
(``bench.generate``: the same claims, ids, derived statuses, links):

1. the schema comes from the application (``db.upgrade`` on an empty database:
   every table, index, trigger, and the word index of migration 0009);
2. secondary indexes are dropped, triggers and foreign-key checks are off for
   the load's session (``session_replication_role = replica``), and every table
   is filled with ``COPY … FROM STDIN`` in one transaction;
3. each claim's ``search`` words are computed as the application computes them
   on write (``search.documents.claim_document``) and copied with the claim;
4. the indexes are built again from their own definitions, the id sequences set
   past the largest id, and the tables vacuumed and analysed — the state of a
   workspace that has been in use for a while (autovacuum's visibility map and
   statistics), which is what the browse steps should meet.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

# Parents before children; every table the application has, except Alembic's and FTS5's.
TABLES = (
    "source",
    "report",
    "place",
    "place_alias",
    "claim",
    "claim_place",
    "link",
    "outreach",
    "outreach_claim",
    "audit",
    "dismissed_suggestion",
)


def log(message: str) -> None:
    print(f"[pg-load] {message}", file=sys.stderr, flush=True)


def load(sqlite_path: Path, url: str) -> dict[str, Any]:
    """Fill the (new, empty) database at ``url`` with the workspace at ``sqlite_path``; timings."""
    import psycopg

    from desktop.core import db
    from desktop.core.search.documents import claim_document

    t0 = time.perf_counter()
    engine = db.make_engine(db.resolve_location(url))
    try:
        db.upgrade(engine)
    finally:
        engine.dispose()
    timings: dict[str, float] = {"schema_s": time.perf_counter() - t0}
    lite = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    with psycopg.connect(url) as pg:
        pg.execute("SET session_replication_role = replica")
        pg.execute("SET TIME ZONE 'UTC'")
        indexes = pg.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes AS i WHERE i.schemaname = 'public' "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c "
            "WHERE c.conindid = (quote_ident(i.indexname))::regclass)",
            (list(TABLES),),
        ).fetchall()
        for name, _definition in indexes:
            pg.execute(f'DROP INDEX "{name}"')
        t1 = time.perf_counter()
        counts: dict[str, int] = {}
        with_ids: list[str] = []
        for table in TABLES:
            targets = [r[0] for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
                "ORDER BY ordinal_position", (table,)
            )]  # fmt: skip
            present = {r[1] for r in lite.execute(f'PRAGMA table_info("{table}")')}
            if "id" in targets:
                with_ids.append(table)
            columns = [c for c in targets if c in present]
            words = table == "claim"
            names = ", ".join(f'"{c}"' for c in columns) + (", search" if words else "")
            text_at = columns.index("text") if words else -1
            rows = lite.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}"')
            counts[table] = 0
            with pg.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, claim_document(row[text_at])) if words else row)
                    counts[table] += 1
            log(f"{table}: {counts[table]:,} rows")
        timings["copy_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        for _name, definition in indexes:
            pg.execute(definition)
        for table in with_ids:
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), coalesce(max(id), 0) + 1, false) "
                f'FROM "{table}"'
            )
        if _has_tally(pg):  # the triggers that keep the count of claims were off for the load (read.tally)
            pg.execute("UPDATE crosscheck_tally SET value = (SELECT count(*) FROM claim) WHERE name = 'claims'")
        pg.commit()
        timings["indexes_s"] = time.perf_counter() - t2
    lite.close()
    t3 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM (ANALYZE)")
    timings["vacuum_s"] = time.perf_counter() - t3
    timings["total_s"] = time.perf_counter() - t0
    return {"counts": counts, "timings": timings}


def _has_tally(pg: Any) -> bool:
    return pg.execute("SELECT to_regclass('crosscheck_tally') IS NOT NULL").fetchone()[0] is True
