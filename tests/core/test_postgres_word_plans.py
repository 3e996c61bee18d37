"""PostgreSQL's word filter picks its plan from a sample of the table (``read.estimate.sampled_count``).

A word the sample finds in few claims is read from the word index first (``id = ANY(ARRAY(…))``);
one it finds in many walks the claims in the table's order. Either plan shows the same claims.
"""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql

from desktop.core import search
from desktop.core.read import estimate
from desktop.core.workspace import Workspace

pytestmark = pytest.mark.postgres

QUERIES = ["wagner", "bakhmut", "shell", "wagner -bakhmut", "brea", "бахмут"]


def _plan(workspace: Workspace, query: str) -> str:
    with workspace.engine.connect() as connection:
        where = search.compile_filter(query, "postgresql", connection=connection).where
    assert where is not None
    return str(where.compile(dialect=postgresql.dialect()))


@pytest.mark.parametrize("query", QUERIES)
def test_both_plans_show_the_same_claims(pg_sample: Workspace, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pg_sample.engine.connect() as connection:
        few = search.matching_ids(connection, query)
        assert "ANY" in _plan(pg_sample, "wagner")  # the sample workspace is small: every word is rare
        monkeypatch.setattr(search, "SCAN_THRESHOLD", 0)  # every word is "many"
        assert "ANY" not in _plan(pg_sample, "wagner")
        assert search.matching_ids(connection, query) == few
    assert few or query == "wagner -bakhmut"


def test_the_sample_counts_a_small_workspace_whole(pg_sample: Workspace) -> None:
    with pg_sample.engine.connect() as connection:
        where = search.compile_filter("wagner", "postgresql", connection=connection).count_where
        assert where is not None
        assert estimate.sampled_count(connection, where) == len(search.matching_ids(connection, "wagner")) > 0
