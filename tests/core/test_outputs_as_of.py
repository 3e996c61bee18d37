"""A filtered selection as of a moment (``outputs.gather``: ``export --as-of --filter``, the window's export
dialog): the filter runs over the workspace as it stood — the same claims, fields and statuses whether that
workspace is a copy patched back to the moment or the replayed document imported — and over what an export
taken at the moment holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from desktop.core.history import BadMoment, as_of
from desktop.core.history.scratch import replay_into_scratch
from desktop.core.interchange import export_json, import_json
from desktop.core.outputs import gather
from desktop.core.store import Store
from desktop.core.workspace import Workspace, open_workspace
from tests.core.history_steps import Clock

_RECORDED = "2022-12-15T08:00:00Z"


def _workspace(workspace: Workspace) -> tuple[dt.datetime, bytes]:
    """Claims from two sides, links between them; after T an edit, a verdict, a link withdrawn, a link added."""
    clock = Clock()
    pairs = (("c-2", "c-1", "corroborates"), ("c-3", "c-1", "contradicts"), ("c-4", "c-3", "repeats"))
    document = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": "s-1", "name": "Rybar", "side": "russia"}, {"id": "s-2", "name": "ISW", "side": "ukraine"}],
        "claims": [
            {
                "id": f"c-{i}",
                "text": f"Shelling near Bakhmut {i}",
                "source": "s-1" if i % 2 else "s-2",
                "recorded": _RECORDED,
            }
            for i in range(1, 6)
        ],  # fmt: skip
        "links": [
            {"from": a, "to": b, "relation": relation, "recorded": _RECORDED, "analyst": "anna"}
            for a, b, relation in pairs
        ],
    }
    import_json(workspace.engine, document, analyst="importer", now=clock())
    then = clock.tick(60)
    exported = export_json(workspace.engine)
    store = Store(workspace.engine, "anna", clock=clock)
    with workspace.engine.connect() as connection:
        ids = dict(connection.execute(sa.text("SELECT ext_id, id FROM claim")).all())
    clock.tick(60)
    store.update_claim(ids["c-1"], credibility=2, verdict="confirmed", text="Shelling near Soledar 1")
    clock.tick(60)
    store.remove_link(ids["c-3"], ids["c-1"])
    clock.tick(60)
    store.set_link(ids["c-5"], ids["c-2"], "contradicts")
    return then, exported


def _seen(selection: Any) -> tuple[list[Any], dict[str, str]]:
    return selection.claims, {claim: d.status for claim, d in selection.derivations.items()}


@pytest.mark.parametrize("filter_text", ["", "bakhmut", "status:contested", "-status:unverified"])
def test_a_selection_as_of_a_moment_is_that_of_the_workspace_as_it_stood(
    workspace: Workspace, tmp_path: Path, filter_text: str
) -> None:
    then, exported = _workspace(workspace)
    here = gather(workspace.engine, filter_text, then)  # a copy patched back to the moment, made here
    replayed = replay_into_scratch(workspace.engine, then)
    try:
        given = gather(workspace.engine, filter_text, then, scratch=replayed.engine)
    finally:
        replayed.close()
    document = gather(workspace.engine, filter_text, then, replayed=as_of(workspace.engine, then).document)
    then_alone = open_workspace(str(tmp_path / "then.sqlite"))  # what the export taken at T holds, on its own
    try:
        import_json(then_alone.engine, exported.decode(), analyst="importer")
        fresh = gather(then_alone.engine, filter_text)
    finally:
        then_alone.close()
    assert _seen(here) == _seen(given) == _seen(document) == _seen(fresh)
    if filter_text in ("", "bakhmut"):
        assert here.claims and _seen(here) != _seen(gather(workspace.engine, filter_text)), "now differs from then"
    assert here.as_of == then
    assert all("Soledar" not in claim["text"] for claim in here.claims)
    assert not here.verdict_by, "the verdict was given after the moment"


def test_a_selection_before_anything_was_recorded_is_refused(workspace: Workspace) -> None:
    _workspace(workspace)
    with pytest.raises(BadMoment, match="before anything was recorded"):
        gather(workspace.engine, "", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
