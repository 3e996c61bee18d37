"""Where analysts disagree, the explanation says so in words: who says what, and whose judgement counts (DESIGN §2)."""

from __future__ import annotations

import datetime as dt

from desktop.core import corroboration
from desktop.core.corroboration import MemoryGraph
from desktop.core.corroboration.judgements import Judgement
from desktop.core.read import detail
from desktop.core.store import Store
from desktop.core.workspace import Workspace

T = dt.datetime(2022, 12, 15, 10, tzinfo=dt.UTC)


def _graph() -> MemoryGraph:
    graph = MemoryGraph()
    graph.add_source(10, "russia", "")
    graph.add_source(20, "ukraine", "")
    graph.add_source(30, "", "")
    graph.add_claim(1, 10)
    graph.add_claim(2, 20)
    graph.add_claim(3, 30)
    graph.add_link(100, 2, 1, "contradicts")
    graph.add_link(101, 3, 1, "repeats")
    return graph


def _words(claim: int, disputes: list[list[Judgement]]) -> list[str]:
    derivation = corroboration.derive(_graph(), claim)
    return corroboration.explain(derivation, lambda c: f"claim {c}", None, disputes)


def test_a_disagreement_names_each_analysts_judgement_and_the_latest_one_as_effective() -> None:
    pair = [
        Judgement(7, 2, 1, "contradicts", "bob", T + dt.timedelta(minutes=5)),
        Judgement(6, 1, 2, "corroborates", "anna", T),
    ]
    lines = _words(1, [pair])
    assert lines[-1] == (
        "Analysts disagree on its link with claim 2: anna says corroborates, bob says contradicts; "
        "the effective link, which the status uses, is bob's (the latest)."
    )
    assert not any("disagree" in line for line in _words(1, []))


def test_a_tie_is_explained_by_the_name_that_sorts_last() -> None:
    pair = [Judgement(6, 1, 2, "corroborates", "anna", T), Judgement(7, 2, 1, "contradicts", "bob", T)]
    assert _words(1, [pair])[-1].endswith(
        "is bob's (recorded at the same moment; the analyst name that sorts last decides)."
    )


def test_direction_is_said_for_repeats_and_neutral_from_the_explained_claims_side() -> None:
    pair = [
        Judgement(6, 3, 1, "repeats", "anna", T),
        Judgement(7, 1, 3, "neutral", "bob", T + dt.timedelta(minutes=1)),
    ]
    line = _words(1, [pair])[-1]
    assert "anna says it repeats this claim, bob says this claim neither confirms nor denies it" in line
    assert "is bob's (the latest)" in line


def test_a_disagreement_on_another_member_of_the_assertion_names_that_member() -> None:
    # Claim 3 repeats claim 1: one assertion. A dispute on claim 1's pair with claim 2 bears on claim 3 too.
    pair = [Judgement(6, 1, 2, "corroborates", "anna", T), Judgement(7, 2, 1, "contradicts", "bob", T)]
    line = _words(3, [pair])[-1]
    assert line.startswith("Analysts disagree on the link of claim 1 (part of the same assertion) with claim 2:")


def test_the_detail_pane_explanation_says_where_analysts_disagree(workspace: Workspace) -> None:
    store = workspace.store
    ru = store.create_source("Rybar", side="russia").value
    ua = store.create_source("General Staff", side="ukraine").value
    breach = store.create_claim("Defences breached", ru).value
    repelled = store.create_claim("Assaults repelled", ua).value
    quiet = store.create_claim("Quiet night", ua).value
    Store(workspace.engine, "anna").set_link(repelled, breach, "corroborates", "same fighting")
    Store(workspace.engine, "bob").set_link(breach, repelled, "contradicts", "they deny it")
    Store(workspace.engine, "anna").set_link(quiet, breach, "contradicts")
    with workspace.engine.connect() as connection:
        found = detail.claim_detail(connection, breach)
        other = detail.claim_detail(connection, quiet)
    assert found is not None and other is not None
    said = [line for line in found.explanation if line.startswith("Analysts disagree")]
    assert len(said) == 1
    # bob judged last (or in the same second, and his name sorts last): his judgement is the effective one.
    assert said[0].startswith(
        "Analysts disagree on its link with [General Staff] “Assaults repelled”: anna says corroborates, "
        "bob says contradicts; the effective link, which the status uses, is bob's ("
    )
    assert found.status == "contradicted"
    assert not any(line.startswith("Analysts disagree") for line in other.explanation)  # one analyst: no dispute


def test_the_brief_explains_a_disagreement_in_the_same_words(workspace: Workspace) -> None:
    from desktop.core.outputs import gather

    store = workspace.store
    ru = store.create_source("Rybar", side="russia").value
    ua = store.create_source("General Staff", side="ukraine").value
    breach = store.create_claim("Defences breached", ru, ext_id="c-breach").value
    repelled = store.create_claim("Assaults repelled", ua, ext_id="c-repelled").value
    Store(workspace.engine, "anna").set_link(repelled, breach, "corroborates")
    Store(workspace.engine, "bob").set_link(breach, repelled, "contradicts")
    lines = gather(workspace.engine).explanations["c-breach"]
    assert any(
        line.startswith(
            "Analysts disagree on its link with [General Staff] “Assaults repelled”: anna says corroborates"
        )
        for line in lines
    )
