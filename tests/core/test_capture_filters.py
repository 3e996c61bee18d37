"""The filter language's capture fields: ``report:`` and ``outreach:`` (DESIGN §5)."""

from __future__ import annotations

import pytest

from desktop.core.search import compile_filter, matching_ids
from desktop.core.workspace import Workspace


def found(ws: Workspace, query: str) -> set[str]:
    with ws.engine.connect() as connection:
        ids = matching_ids(connection, query)
        rows = connection.exec_driver_sql("SELECT id, ext_id FROM claim").all()
    ext = dict(rows)
    return {ext[i] for i in ids}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("report:rep-isw-1130", {"c-isw-cost-benefit"}),
        ("report:REP-ISW-1130", {"c-isw-cost-benefit"}),
        ("report:conflicting", None),  # words of a title: every claim of the Newsweek round-up
        ("report:none", set()),
        ("outreach:pending", {"c-breach", "c-breach-relay-a", "c-genstaff-repelled"}),
        ("outreach:answered", set()),
        ("outreach:pend", {"c-breach", "c-breach-relay-a", "c-genstaff-repelled"}),
    ],
)
def test_report_and_outreach_fields(sample_workspace: Workspace, query: str, expected: set[str] | None) -> None:
    result = found(sample_workspace, query)
    if expected is None:
        newsweek = found(sample_workspace, "report:rep-newsweek-1215")
        assert result == newsweek and result
    else:
        assert result == expected


def test_outreach_any_and_none_split_the_claims(sample_workspace: Workspace) -> None:
    every = found(sample_workspace, "")
    asked, never = found(sample_workspace, "outreach:any"), found(sample_workspace, "outreach:none")
    assert asked | never == every and not asked & never
    assert found(sample_workspace, "-outreach:pending") == every - found(sample_workspace, "outreach:pending")


def test_a_bad_value_says_so(sample_workspace: Workspace) -> None:
    with sample_workspace.engine.connect() as connection:
        result = compile_filter("outreach:maybe", connection.dialect.name, connection=connection)
    assert result.message is not None and "outreach" in result.message
