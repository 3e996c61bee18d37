"""Links as analysts' judgements (DESIGN §2): the effective link, disagreements, per-analyst writes,
and the store's incremental re-derivation staying exact with several analysts."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from desktop.core.corroboration import judgements
from desktop.core.corroboration.judgements import Judgement
from desktop.core.errors import NotFound
from desktop.core.interchange.status_report import claim_statuses
from desktop.core.store import Store, status
from desktop.core.store.links import stale_pairs
from desktop.core.workspace import Workspace, open_workspace

T = dt.datetime(2022, 12, 15, 10, tzinfo=dt.UTC)


def j(ident: int, a: int, b: int, relation: str, analyst: str, minutes: int = 0) -> Judgement:
    return Judgement(ident, a, b, relation, analyst, T + dt.timedelta(minutes=minutes))


def test_the_effective_link_is_the_latest_judgement() -> None:
    assert judgements.effective([j(1, 1, 2, "contradicts", "zoe", 0), j(2, 1, 2, "neutral", "anna", 5)]).id == 2


def test_a_tie_goes_to_the_analyst_name_sorting_last_in_code_point_order() -> None:
    # "anna" sorts after "Zoe" by code point (lower case letters come after upper case).
    assert judgements.effective([j(1, 1, 2, "contradicts", "anna"), j(2, 2, 1, "neutral", "Zoe")]).id == 1
    assert judgements.effective([j(1, 1, 2, "contradicts", "boris"), j(2, 2, 1, "neutral", "anna")]).id == 1


def test_direction_counts_for_repeats_and_neutral_only() -> None:
    assert not judgements.disagree([j(1, 1, 2, "corroborates", "a"), j(2, 2, 1, "corroborates", "b")])
    assert not judgements.disagree([j(1, 1, 2, "contradicts", "a"), j(2, 2, 1, "contradicts", "b")])
    assert judgements.disagree([j(1, 1, 2, "neutral", "a"), j(2, 2, 1, "neutral", "b")])
    assert judgements.disagree([j(1, 1, 2, "repeats", "a"), j(2, 2, 1, "repeats", "b")])
    assert not judgements.disagree([j(1, 1, 2, "repeats", "a"), j(2, 1, 2, "repeats", "b")])
    assert judgements.disagree([j(1, 1, 2, "corroborates", "a"), j(2, 1, 2, "contradicts", "b")])
    assert judgements.disagreements([j(1, 1, 2, "neutral", "a"), j(2, 1, 2, "contradicts", "b")]) == {
        1: [2],
        2: [1],
    }


# --- the store ------------------------------------------------------------------------------------------


def _claims(ws: Workspace) -> dict[str, int]:
    store = ws.store
    ru = store.create_source("Rybar", side="russia").value
    ua = store.create_source("General Staff", side="ukraine").value
    return {
        "breach": store.create_claim("Defences breached", ru, ext_id="c-breach").value,
        "repelled": store.create_claim("Assaults repelled", ua, ext_id="c-repelled").value,
    }


def _statuses(ws: Workspace) -> dict[str, str]:
    with ws.engine.connect() as connection:
        return dict(connection.execute(text("SELECT ext_id, status FROM claim")).all())  # type: ignore[arg-type]


def test_each_analyst_keeps_their_own_judgement_and_the_latest_one_counts(workspace: Workspace) -> None:
    c = _claims(workspace)
    alice, bob = Store(workspace.engine, "alice"), Store(workspace.engine, "bob")
    alice.set_link(c["repelled"], c["breach"], "contradicts", "denies it")
    assert _statuses(workspace) == {"c-breach": "contradicted", "c-repelled": "contradicted"}
    bob_mark = bob.set_link(c["repelled"], c["breach"], "corroborates", "same fighting")
    pair = alice.judgements_between(c["breach"], c["repelled"])
    assert [(r["analyst"], r["relation"], r["rationale"]) for r in pair] == [
        ("alice", "contradicts", "denies it"),
        ("bob", "corroborates", "same fighting"),
    ]
    # Recorded in the same second, bob sorts last and wins the tie: his corroboration counts.
    assert _statuses(workspace) == {"c-breach": "corroborated", "c-repelled": "corroborated"}
    assert alice.link_between(c["breach"], c["repelled"])["relation"] == "contradicts"  # type: ignore[index]
    rows = claim_statuses(workspace.engine)
    assert {r["id"]: r["disagreements"] for r in rows} == {"c-breach": ["c-repelled"], "c-repelled": ["c-breach"]}
    as_alice = {r["id"]: r["status"] for r in claim_statuses(workspace.engine, analyst="alice")}
    assert as_alice == {"c-breach": "contradicted", "c-repelled": "contradicted"}
    bob_mark.undo(bob)  # bob's undo removes bob's judgement only
    assert _statuses(workspace) == {"c-breach": "contradicted", "c-repelled": "contradicted"}
    assert [r["analyst"] for r in alice.judgements_between(c["breach"], c["repelled"])] == ["alice"]


def test_removing_a_link_removes_only_the_analysts_own_judgement(workspace: Workspace) -> None:
    c = _claims(workspace)
    alice, bob = Store(workspace.engine, "alice"), Store(workspace.engine, "bob")
    alice.set_link(c["repelled"], c["breach"], "contradicts")
    with pytest.raises(NotFound, match="no judgement"):
        bob.remove_link(c["breach"], c["repelled"])
    bob.set_link(c["breach"], c["repelled"], "contradicts")
    bob.remove_link(c["repelled"], c["breach"])
    assert [r["analyst"] for r in alice.judgements_between(c["breach"], c["repelled"])] == ["alice"]


def test_deleting_a_claim_and_undoing_it_restores_every_analysts_judgement(workspace: Workspace) -> None:
    c = _claims(workspace)
    alice, bob = Store(workspace.engine, "alice"), Store(workspace.engine, "bob")
    alice.set_link(c["repelled"], c["breach"], "contradicts")
    bob.set_link(c["repelled"], c["breach"], "neutral")
    deleted = alice.delete_claim(c["breach"])
    deleted.undo(alice)
    with workspace.engine.connect() as connection:
        assert stale_pairs(connection) == [] and status.stale_claims(connection) == []
        flags = connection.execute(text("SELECT analyst, effective, disputed FROM link ORDER BY analyst")).all()
    assert [tuple(r) for r in flags] == [("alice", False, True), ("bob", True, True)]


# --- property: the store's incremental re-derivation equals a full one, with several analysts ------------

ANALYSTS = ("anna", "Boris", "boris")  # "Boris" < "anna" < "boris" in code-point order
RELATIONS = ("corroborates", "contradicts", "neutral", "repeats")
_op = st.tuples(
    st.sampled_from(ANALYSTS),
    st.sampled_from(("set", "set", "set", "remove")),
    st.integers(0, 5),
    st.integers(0, 5),
    st.sampled_from(RELATIONS),
)


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("judgements") / "template.sqlite"
    ws = open_workspace(str(path))
    store = ws.store
    sources = [
        store.create_source("ru-a", side="russia", group_label="state").value,
        store.create_source("ru-b", side="russia", group_label="state").value,
        store.create_source("ua", side="ukraine").value,
        store.create_source("free").value,
    ]
    for i in range(6):
        store.create_claim(f"claim {i}", sources[i % 4], ext_id=f"c{i}")
    ws.close()
    return path


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_op, min_size=1, max_size=16))
def test_store_rederivation_stays_exact_with_several_analysts(
    _template: Path, tmp_path: Path, ops: list[tuple[str, str, int, int, str]]
) -> None:
    target = tmp_path / "w.sqlite"
    shutil.copy(_template, target)
    ws = open_workspace(str(target))
    try:
        with ws.engine.connect() as connection:
            ids = dict(connection.execute(text("SELECT ext_id, id FROM claim")).all())  # type: ignore[arg-type]
        stores = {name: Store(ws.engine, name) for name in ANALYSTS}
        for analyst, op, a, b, relation in ops:
            if a == b:
                continue
            x, y = ids[f"c{a}"], ids[f"c{b}"]
            try:
                if op == "set":
                    stores[analyst].set_link(x, y, relation)
                else:
                    stores[analyst].remove_link(x, y)
            except NotFound:
                continue
            with ws.engine.connect() as connection:
                assert stale_pairs(connection) == []
                assert status.stale_claims(connection) == []
    finally:
        ws.close()


def test_the_filter_language_finds_disagreements_and_an_analysts_claims(workspace: Workspace) -> None:
    from desktop.core.search import matching_ids

    c = _claims(workspace)
    third = workspace.store.create_claim("A third", workspace.store.create_source("x").value).value
    Store(workspace.engine, "alice").set_link(c["repelled"], c["breach"], "contradicts")
    Store(workspace.engine, "bob").set_link(c["repelled"], c["breach"], "corroborates")
    Store(workspace.engine, "bob").set_link(third, c["breach"], "corroborates")
    with workspace.engine.connect() as connection:
        assert sorted(matching_ids(connection, "disagree:yes")) == sorted([c["breach"], c["repelled"]])
        assert matching_ids(connection, "disagree:no") == [third]
        assert sorted(matching_ids(connection, "analyst:bob")) == sorted([c["breach"], c["repelled"], third])
        assert sorted(matching_ids(connection, "analyst:alice")) == sorted([c["breach"], c["repelled"]])
        assert matching_ids(connection, "analyst:nobody") == []


def test_undoing_a_removal_after_a_new_link_took_its_id_restores_it_with_another(tmp_path: Path) -> None:
    """SQLite gives a new row the highest id plus one: a link made after a removal takes the removed one's id."""
    opened = open_workspace(str(tmp_path / "w.sqlite"))
    store = Store(opened.engine, "anna")
    source = store.create_source("S").value
    a, b, c = (store.create_claim(text, source).value for text in ("a", "b", "c"))
    store.set_link(a, b, "corroborates")
    removal = store.remove_link(a, b)
    store.set_link(c, a, "contradicts")  # takes the removed link's id
    removal.undo(store)
    assert store.link_between(a, b) is not None and store.link_between(a, b)["relation"] == "corroborates"
    assert store.link_between(c, a) is not None and store.link_between(c, a)["relation"] == "contradicts"
    opened.close()


def test_undoing_a_claims_deletion_after_a_new_link_took_one_of_its_links_ids(tmp_path: Path) -> None:
    """The claim's links come back, the one whose id was taken under another; the audit names that id.

    Found by the replay property test: the undo failed on SQLite's unique constraint (an import had made a
    link with the highest id, which a deleted claim's link had had).
    """
    opened = open_workspace(str(tmp_path / "w.sqlite"))
    store = Store(opened.engine, "anna")
    source = store.create_source("S").value
    a, b, c, d = (store.create_claim(text, source).value for text in ("a", "b", "c", "d"))
    store.set_link(b, a, "corroborates")
    store.set_link(c, a, "contradicts")
    deletion = store.delete_claim(a)
    with opened.engine.connect() as connection:
        gone = connection.execute(text("SELECT max(id) FROM link")).scalar()
    assert gone is None  # both links went with the claim
    store.set_link(d, b, "corroborates")  # takes the first removed link's id
    deletion.undo(store)
    assert store.link_between(b, a)["relation"] == "corroborates"
    assert store.link_between(c, a)["relation"] == "contradicts"
    assert store.link_between(d, b)["relation"] == "corroborates"
    with opened.engine.connect() as connection:
        ids = set(connection.execute(text("SELECT id FROM link")).scalars())
        restored = (
            connection.execute(
                text(
                    "SELECT new FROM audit WHERE entity = 'link' AND action = 'create' AND field = 'id' "
                    "ORDER BY id DESC"
                )
            )
            .scalars()
            .all()[:2]
        )  # the undo's two rows, the newest
    assert len(ids) == 3
    assert {int(value) for value in restored} <= ids  # the audit names the ids the links now have
    with opened.engine.connect() as connection:
        assert status.stale_claims(connection) == []
    opened.close()
