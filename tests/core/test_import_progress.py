"""An import reports its progress step by step, and a progress callback that cancels writes nothing."""

from __future__ import annotations

import pytest

from desktop.core.interchange import import_json
from desktop.core.progress import IMPORT_STEPS, Cancelled
from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace

TABLES = ("source", "report", "place", "claim", "link", "outreach", "audit", "claim_fts")


def _counts(workspace: Workspace) -> dict[str, int]:
    with workspace.engine.connect() as connection:
        return {t: connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in TABLES}


def _indexes(workspace: Workspace) -> list[tuple[str, str]]:
    # An import into empty tables builds their indexes after the rows (store.bulk_indexes): they must all be back.
    with workspace.engine.connect() as connection:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        return [(r[0], r[1]) for r in connection.exec_driver_sql(query)]


def test_progress_moves_forward_through_every_step_to_done(workspace: Workspace) -> None:
    heard: list[tuple[str, float]] = []
    document = SAMPLE_WORKSPACE.read_bytes()
    import_json(workspace.engine, document, analyst="t", progress=lambda s, f: heard.append((s, f)))
    fractions = [f for _, f in heard]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and heard[-1] == ("done", 1.0)
    steps = [s for s, _ in heard]
    assert set(IMPORT_STEPS) - {"re-deriving linked claims"} <= set(steps)  # nothing links into old claims


@pytest.mark.parametrize("step", ["checking the document", "writing claims", "writing the audit trail", "saving"])
def test_cancelling_at_any_step_writes_nothing(workspace: Workspace, step: str) -> None:
    before, indexes = _counts(workspace), _indexes(workspace)
    assert before["claim"] == 0 and any(name == "ix_claim_sort" for name, _ in indexes)

    def cancel_at(current: str, fraction: float) -> None:
        if current == step:
            raise Cancelled()

    with pytest.raises(Cancelled, match="nothing was written"):
        import_json(workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="t", progress=cancel_at)
    assert _counts(workspace) == before
    assert _indexes(workspace) == indexes
    import_json(workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="t")  # and the workspace still works
    assert _counts(workspace)["claim"] == 20
    assert _indexes(workspace) == indexes
    with workspace.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
