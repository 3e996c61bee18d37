"""Random workspaces written straight into SQLite, for the tests of the engine's SQL-backed graphs."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from desktop.core import db
from desktop.core.store.links import refresh_all_pairs

RELATIONS = ("repeats", "repeats", "corroborates", "contradicts", "neutral")
RECORDED = dt.datetime(2022, 12, 1, tzinfo=dt.UTC)


def random_workspace(
    path: Path,
    rng: random.Random,
    *,
    sources: int,
    claims: int,
    pairs: int,
    analysts: Sequence[str] = ("x",),
    sides: Sequence[str] = ("russia", "ukraine", ""),
    groups: Sequence[str] = ("", "g1", "g2"),
    scrambled: bool = False,
) -> Any:
    """An engine on a new workspace at ``path``: ``sources`` sources with drawn sides and groups, ``claims``
    claims (ids 1…), ``pairs`` linked pairs, each judged by one or more of ``analysts`` (so, with several, some
    judgements are not the effective one). ``scrambled``: verdicts drawn, and the stored derived columns
    random (a test that writes them can see they were written)."""
    engine = db.make_engine("sqlite:///" + str(path))
    db.upgrade(engine)
    with db.write_connection(engine) as connection:
        for s in range(sources):
            connection.execute(
                sa.text("INSERT INTO source (ext_id, name, aliases, kind, side, group_label, reliability, notes) "
                        "VALUES (:e, :e, '[]', 'other', :side, :g, 'F', '')"),
                {"e": f"s{s}", "side": rng.choice(sides), "g": rng.choice(groups)},
            )  # fmt: skip
        for c in range(claims):
            drawn = {"st": "unverified", "v": None, "d": 0, "n": 0}
            if scrambled:
                drawn = {
                    "st": rng.choice(("unverified", "corroborated", "contested")),
                    "v": rng.choice([None, None, "confirmed", "refuted", "inconclusive"]),
                    "d": rng.randint(0, 1),
                    "n": rng.randint(0, 3),
                }
            connection.execute(
                sa.text("INSERT INTO claim (ext_id, text, source_id, kind, reviewed, tags, notes, recorded, verdict, "
                        "sort_date, status, suggested_credibility, verdict_disputed, link_count) VALUES "
                        "(:e, 'x', :s, 'event', 0, '[]', '', :r, :v, '2022-12-01', :st, 6, :d, :n)"),
                {"e": f"c{c}", "s": rng.randint(1, sources), "r": RECORDED, **drawn},
            )  # fmt: skip
        linked: set[tuple[int, int]] = set()
        while len(linked) < pairs:
            a, b = rng.sample(range(1, claims + 1), 2)
            if (b, a) not in linked:
                linked.add((a, b))
        for a, b in sorted(linked):
            judges = rng.sample(list(analysts), rng.randint(1, len(analysts)))
            for analyst in judges:
                ends = (a, b) if len(judges) == 1 or rng.random() < 0.7 else (b, a)
                connection.execute(
                    sa.text("INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded, effective, "
                            "disputed) VALUES (:a, :b, :r, '', :who, :t, 1, 0)"),
                    {"a": ends[0], "b": ends[1], "r": rng.choice(RELATIONS), "who": analyst,
                     "t": RECORDED + dt.timedelta(hours=rng.randint(0, 3) if len(analysts) > 1 else 0)},
                )  # fmt: skip
        refresh_all_pairs(connection)
    return engine
