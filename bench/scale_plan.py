"""The plan every contender of the scale benchmark follows (``bench.scale``): the filter texts and the SQL
that says the same, the link pairs, the repeat counts."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

from bench import generate, sql
from bench.common import FLOOR_PAGE

IMPORT_CLAIMS = 100_000


def make_plan(size: int, meta: dict[str, Any], work: Path, args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy as sa

    from desktop.core import db
    from desktop.core.search import claim, compile_filter
    from desktop.core.sqlfunctions import register

    filters: dict[str, dict[str, Any]] = {}
    f = meta["filter"]
    sources = " ".join(f'source:"{name}"' for name in f["source_names"])
    text = f"status:{f['status']} {sources}"
    engine = db.make_engine(db.resolve_location(str(work)))
    try:
        # The source ids Crosscheck's source: terms resolve to (a name matches as a folded substring of names
        # and aliases), so the peer and the floor filter on exactly the same sources.
        where = compile_filter(sources, "sqlite").where
        with engine.connect() as connection:
            ids = sorted(connection.execute(sa.text("SELECT id FROM source")).scalars())
            assert where is not None
            matched = sorted(connection.execute(sa.select(claim.c.source_id).distinct().where(where)).scalars())
        assert matched and set(matched) <= set(ids)
    finally:
        engine.dispose()
    filters["filter_fields"] = {"text": text, "where": sql.status_and_sources(f["status"], matched)}
    for label, term in meta["terms"].items():
        result = compile_filter(term["term"], "sqlite")
        assert result.fts_query is not None
        filters[f"fts_{label}"] = {"text": term["term"], "where": sql.fts(result.fts_query), "match": result.fts_query}

    con = sqlite3.connect(work)
    register(con)
    for spec in filters.values():
        spec["count"] = con.execute(sql.count(spec["where"])).fetchone()[0]
    need = args.repeat + 1

    def unlinked_pairs(where: str) -> list[tuple[int, int]]:
        """Pairs of neighbouring rows on the first page of ``where`` with no link between them yet."""
        top = [r[0] for r in con.execute(sql.page(where, FLOOR_PAGE)).fetchall()]
        pairs: list[tuple[int, int]] = []
        for a, b in zip(top[0::2], top[1::2], strict=False):
            linked = con.execute(
                "SELECT 1 FROM link WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)", (a, b, b, a)
            ).fetchone()
            if not linked:
                pairs.append((a, b))
        if len(pairs) < need:
            raise RuntimeError(f"only {len(pairs)} unlinked pairs on the first page of {where!r}; need {need}")
        return pairs[:need]

    top = [r[0] for r in con.execute(sql.page("", FLOOR_PAGE)).fetchall()]
    pairs = unlinked_pairs("")
    pairs_filtered = unlinked_pairs(filters["filter_fields"]["where"])
    con.close()
    return {
        "size": size,
        "db": str(work),
        "pristine": str(generate.workspace_path(size)),
        "empty": str(generate.empty_workspace()),
        "document": str(generate.document(IMPORT_CLAIMS)),
        "scratch": str(generate.CACHE / f"scratch-{size}.sqlite"),
        "repeat": args.repeat,
        "repeat_last": args.repeat_last,
        "page_downs": args.page_downs,
        "repeat_import": args.repeat_import,
        "repeat_import_workspace": args.repeat_import_workspace,
        "filters": filters,
        "pairs": pairs,
        "pairs_filtered": pairs_filtered,
        "first_page": top,
    }
