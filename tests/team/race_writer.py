"""A writer process for the race tests: ``python -m tests.team.race_writer URL MODE ROUNDS``.

It works as the login of ``URL`` (on PostgreSQL the analyst is the database login).

``field``: read claim c-1's credibility, write the next grade expecting the value read — ROUNDS times.
``pair``: mark this analyst's judgement on c-1/c-2, alternating relations, expecting the one read.
Prints one JSON line: how many writes succeeded and how many were refused as conflicts.
"""

from __future__ import annotations

import json
import sys

from sqlalchemy import text

from desktop.core.store.conflicts import Conflict
from desktop.core.workspace import open_workspace


def main(url: str, mode: str, rounds: int) -> None:
    ws = open_workspace(url, create=False)
    store = ws.store
    analyst = store.analyst
    with ws.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT ext_id, id FROM claim")).all())  # type: ignore[arg-type]
    a, b = ids["c-1"], ids["c-2"]
    done = conflicts = 0
    for i in range(rounds):
        try:
            if mode == "field":
                with ws.engine.connect() as connection:
                    seen = connection.execute(text("SELECT credibility FROM claim WHERE id = :i"), {"i": a}).scalar()
                store.update_claim(a, credibility=1 + (seen or 0) % 6, expect={"credibility": seen})
            else:
                seen_link = store.link_between(a, b)
                cycle = ("corroborates", "contradicts", "neutral")
                relation = cycle[(cycle.index(seen_link["relation"]) + 1) % 3] if seen_link else cycle[0]
                store.set_link(a, b, relation, f"{analyst} {i}", expect=seen_link)
            done += 1
        except Conflict:
            conflicts += 1
    ws.close()
    print(json.dumps({"done": done, "conflicts": conflicts}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
