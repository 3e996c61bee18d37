"""The statuses as one analyst sees them (DESIGN §2): the window's reading agrees with ``status --analyst``."""

from __future__ import annotations

from sqlalchemy import text

from desktop.core.interchange.status_report import claim_statuses
from desktop.core.read import detail
from desktop.core.read.as_analyst import analyst_statuses
from desktop.core.store import Store
from desktop.core.workspace import Workspace


def _ids(ws: Workspace) -> dict[str, int]:
    with ws.engine.connect() as connection:
        return dict(connection.execute(text("SELECT ext_id, id FROM claim")).all())  # type: ignore[arg-type]


def _judge(ws: Workspace) -> dict[str, int]:
    """anna and bob judge some of the sample's pairs differently from the sample analyst and each other."""
    c = _ids(ws)
    anna, bob = Store(ws.engine, "anna"), Store(ws.engine, "bob")
    anna.set_link(c["c-breach-relay-a"], c["c-breach"], "repeats")
    anna.set_link(c["c-breach"], c["c-genstaff-repelled"], "corroborates")
    bob.set_link(c["c-genstaff-repelled"], c["c-breach"], "contradicts")
    bob.set_link(c["c-newsweek-distance"], c["c-breach"], "neutral")
    return c


def test_the_window_reading_of_an_analysts_statuses_equals_status_analyst(sample_workspace: Workspace) -> None:
    c = _judge(sample_workspace)
    names = {ident: ext for ext, ident in c.items()}
    for analyst in ("anna", "bob", "sample", "nobody"):
        expected = {row["id"]: row["status"] for row in claim_statuses(sample_workspace.engine, analyst=analyst)}
        with sample_workspace.engine.connect() as connection:
            seen = analyst_statuses(connection, analyst)
            panes = {ext: detail.claim_detail(connection, ident, analyst) for ext, ident in c.items()}
        assert {names[i]: seen.status_of(i) for i in c.values()} == expected, analyst
        assert {ext: pane.status for ext, pane in panes.items() if pane is not None} == expected, analyst
    with sample_workspace.engine.connect() as connection:
        anna = analyst_statuses(connection, "anna")
    assert anna.judgements == 2
    assert anna.status_of(c["c-breach"]) == "corroborated"  # anna alone: the General Staff corroborates
    assert anna.status_of(c["c-isw-offensive"]) == "unverified"  # no judgement of anna touches it
    assert anna.status_of(c["c-isw-offensive"]) == "unverified" if "c-isw-offensive" in c else True
    assert anna.suggested_of(c["c-breach"]) == 1


def test_the_pane_as_an_analyst_explains_their_derivation_and_still_names_the_disagreement(
    sample_workspace: Workspace,
) -> None:
    c = _judge(sample_workspace)
    with sample_workspace.engine.connect() as connection:
        as_anna = detail.claim_detail(connection, c["c-breach"], "anna")
        everyone = detail.claim_detail(connection, c["c-breach"])
    assert as_anna is not None and everyone is not None
    assert as_anna.as_analyst == "anna" and everyone.as_analyst is None
    assert as_anna.explanation[0].startswith("Corroborated:")
    assert not everyone.explanation[0].startswith("Corroborated:")
    assert any(line.startswith("Analysts disagree on its link with") for line in as_anna.explanation)
