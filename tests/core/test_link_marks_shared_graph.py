"""Marking a link reads the graph once for its walks and its derivation (``SqlGraph.forget``, ``Tx.kept_graph``).

The statuses it leaves are those of a full derivation, on SQLite and on PostgreSQL alike,
after every mark, change of relation, removal and undo; and on PostgreSQL the write reads
no level of the graph twice.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from desktop.core.store.status import stale_claims
from desktop.core.workspace import Workspace

STEPS = [
    ("set", 0, 1, "corroborates"),
    ("set", 2, 0, "repeats"),
    ("set", 0, 1, "contradicts"),  # the same pair, another relation
    ("set", 3, 2, "repeats"),
    ("set", 1, 3, "neutral"),
    ("undo",),
    ("remove", 2, 0),
    ("undo",),
    ("set", 4, 5, "corroborates"),
]


def _statuses(workspace: Workspace) -> dict[str, tuple[object, ...]]:
    with workspace.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT ext_id, status, suggested_credibility, verdict_disputed, link_count FROM claim")
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _run(workspace: Workspace) -> list[dict[str, tuple[object, ...]]]:
    """The steps on the sample's first claims; the statuses after each (checked against a full derivation)."""
    store = workspace.store
    with workspace.engine.connect() as connection:
        ids = list(connection.execute(text("SELECT id FROM claim ORDER BY ext_id LIMIT 6")).scalars())
    seen, last = [], None
    for step in STEPS:
        if step[0] == "set":
            last = store.set_link(ids[step[1]], ids[step[2]], step[3])
        elif step[0] == "remove":
            last = store.remove_link(ids[step[1]], ids[step[2]])
        else:
            assert last is not None
            last = last.undo(store)
        with workspace.engine.connect() as connection:
            assert stale_claims(connection) == [], step
        seen.append(_statuses(workspace))
    return seen


@pytest.mark.postgres
def test_marks_on_postgresql_and_sqlite_leave_the_same_statuses_as_a_full_derivation(
    pg_sample: Workspace, sample_workspace: Workspace
) -> None:
    assert _run(pg_sample) == _run(sample_workspace)


@pytest.mark.postgres
def test_marking_a_link_reads_each_claims_links_once(pg_sample: Workspace) -> None:
    with pg_sample.engine.connect() as connection:
        a, b = connection.execute(text("SELECT id FROM claim ORDER BY ext_id LIMIT 2")).scalars()
    reads: list[tuple[int, ...]] = []

    def note(conn: object, cursor: object, statement: str, params: object, context: object, many: bool) -> None:
        # A walk's read: on PostgreSQL the clusters of the claims asked for, their sources and links in one
        # statement (``_WALK_SQL``); the claims asked for are its one array parameter.
        if statement.startswith("WITH RECURSIVE reached") and isinstance(params, dict):
            reads.append(tuple(sorted(params["ids"])))

    event.listen(pg_sample.engine, "before_cursor_execute", note)
    try:
        pg_sample.store.set_link(a, b, "corroborates")
    finally:
        event.remove(pg_sample.engine, "before_cursor_execute", note)
    claims = [claim for level in reads for claim in level]
    assert a in claims and b in claims
    # The pair is read again after the write (its links changed); no other claim's links are read twice.
    assert [c for c in set(claims) if claims.count(c) > 1 and c not in (a, b)] == []
