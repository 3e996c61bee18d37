"""As of T (docs/status-rules.md, rule 9): export --as-of each earlier moment is the export taken then,
and its statuses are a full derivation of it — for random workspaces and random batches of changes at known
times (Hypothesis); also with several analysts judging the same pairs (judgements made, changed, withdrawn
and re-made), where the statuses as each analyst sees them are checked too."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from desktop.core.history import as_of, derive_process, document_statuses, patch_derive
from desktop.core.history.replay import AsOf
from desktop.core.history.scratch import replay_into_scratch
from desktop.core.interchange import export_json, import_json
from desktop.core.interchange.json_export import canonical_json
from desktop.core.interchange.status_report import claim_statuses
from desktop.core.schema import WORKSPACE_TABLES
from desktop.core.store import Store
from desktop.core.workspace import open_workspace
from tests.core.history_steps import SIDES, START, Clock, Workbench, step


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "empty.sqlite"
    opened = open_workspace(str(path))
    with opened.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    opened.close()
    return path


def _bytes(document: dict[str, Any]) -> bytes:
    return (canonical_json(document) + "\n").encode("utf-8")


_STORED = (
    "SELECT ext_id, status, suggested_credibility, verdict_disputed, link_count FROM claim ORDER BY id",
    "SELECT id, effective, disputed FROM link ORDER BY id",
)


def _stored(engine: Any) -> list[list[tuple[Any, ...]]]:
    """The derived columns the store keeps (claims' statuses, judgements' flags), as written."""
    with engine.connect() as connection:
        return [[tuple(r) for r in connection.exec_driver_sql(query)] for query in _STORED]


def _check_patched_copy(engine: Any, when: dt.datetime, exported: bytes, stored: Any,
                        views: dict[str | None, list[dict[str, Any]]], done: str,
                        process: bool = False) -> None:  # fmt: skip
    """The window's (and status/export --as-of's) patched copy: the same export, statuses and stored columns.

    Twice: deriving what the changes reach over the graph read whole (``LoadedGraph``, what a large replay
    does; in these small workspaces any change is a large share) and a batch of claims at a time (SQL).
    With ``process``, a third time: the graph read whole and derived over by a process of its own
    (``derive_process``, which only a large workspace gets; a process start costs ~0.5 s, so not every moment).
    """
    ways = [("read whole", patch_derive._LOAD_SHARE, False), ("read in batches", float("inf"), False)]
    ways += [("read and derived in a process", patch_derive._LOAD_SHARE, True)] if process else []
    for way, load_share, in_process in ways:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(patch_derive, "_LOAD_SHARE", load_share)
            started: list[Any] = []
            if in_process:
                mp.setattr(derive_process, "_MIN_CLAIMS", 0)
                mp.setattr(derive_process.DeriveProcess, "start", _recording_start(started))
            replayed = replay_into_scratch(engine, when)
            assert bool(started) == (in_process and _changed_since(engine, when)), "a process iff asked and changed"
        try:
            how = f"as of {when} (after {done!r}; {way})"
            assert not isinstance(replayed.as_of, AsOf), "the copy was not patched (fell back to an import)"
            assert replayed.as_of.problems == []
            assert export_json(replayed.engine) == exported, f"patched copy {how}"
            assert _stored(replayed.engine) == stored, f"stored statuses of the copy {how}"
            for who, statuses in views.items():
                assert claim_statuses(replayed.engine, analyst=who) == statuses, f"copy as {who} {how}"
        finally:
            replayed.close()


def _changed_since(engine: Any, when: dt.datetime) -> bool:
    audit = WORKSPACE_TABLES["audit"]  # its column binds the moment as the column stores it
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).where(audit.c.at > when)).scalar_one() > 0


def _recording_start(started: list[Any]) -> Any:
    """``DeriveProcess.start`` that also keeps what it started in ``started``."""
    start = derive_process.DeriveProcess.start
    return lambda: started.append(start()) or started[-1]


ANALYSTS = ("anna", "boris", "chen")


@st.composite
def documents(draw: st.DrawFn, analysts: tuple[str, ...] = ("anna",)) -> dict[str, Any]:
    """A small random interchange document, every claim and link recorded at or before START.

    Each pair gets judgements from one or more of ``analysts`` (each at most one, either direction), recorded
    at drawn times, so the effective link is sometimes the latest and sometimes the tie's last name."""
    n_sources = draw(st.integers(1, 4))
    sources = [
        {"id": f"s{i}", "name": f"Source {i}", "side": draw(st.sampled_from(SIDES)) or None,
         "group": draw(st.sampled_from((None, "wagner"))), "aliases": draw(st.sampled_from(([], ["S"])))}
        for i in range(n_sources)
    ]  # fmt: skip
    places = [
        {"id": f"p{i}", "name": f"Place {i}", "aliases": ["Место"] if i else []} for i in range(draw(st.integers(0, 3)))
    ]
    reports = [{"id": f"r{i}", "title": f"Report {i}", "source": "s0"} for i in range(draw(st.integers(0, 2)))]
    claims = []
    for i in range(draw(st.integers(2, 6))):
        claim: dict[str, Any] = {
            "id": f"c{i}",
            "text": f"Claim {i}",
            "source": f"s{draw(st.integers(0, n_sources - 1))}",
            "recorded": (START - dt.timedelta(hours=draw(st.integers(0, 48)))).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "places": draw(st.lists(st.sampled_from([p["id"] for p in places]), unique=True, max_size=2))
            if places
            else [],
        }
        if reports and draw(st.booleans()):
            claim["report"] = "r0"
        claims.append(claim)
    pairs = draw(st.lists(st.tuples(st.integers(0, len(claims) - 1), st.integers(0, len(claims) - 1)), max_size=5))
    links, seen = [], set()
    for a, b in pairs:
        if a == b or frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        judges = draw(st.lists(st.sampled_from(analysts), min_size=1, max_size=len(analysts), unique=True))
        for analyst in judges:
            ends = (a, b) if len(judges) == 1 or draw(st.booleans()) else (b, a)
            hours = draw(st.integers(0, 2)) if len(analysts) > 1 else 0
            links.append(
                {"from": f"c{ends[0]}", "to": f"c{ends[1]}", "relation": draw(st.sampled_from(("corroborates",
                 "contradicts", "neutral", "repeats"))), "analyst": analyst,
                 "recorded": (START - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")}
            )  # fmt: skip
    outreach = (
        [{"id": "o0", "party": "Ministry", "about": [c["id"] for c in claims[:2]]}] if draw(st.booleans()) else []
    )
    return {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": sources,
        "reports": reports,
        "places": places,
        "claims": claims,
        "links": links,
        "outreach": outreach,
    }


@pytest.fixture
def bench_factory(empty_template: Path) -> Iterator[Any]:
    made: list[Any] = []
    folder = Path(tempfile.mkdtemp(prefix="crosscheck-history-"))

    def make(document: dict[str, Any], analysts: tuple[str, ...] = ("anna",)) -> tuple[Any, Workbench, Clock]:
        path = folder / f"w{len(made)}.sqlite"
        shutil.copyfile(empty_template, path)
        opened = open_workspace(str(path))
        made.append(opened)
        clock = Clock()
        import_json(opened.engine, json.dumps(document), analyst="importer", now=clock())
        stores = [Store(opened.engine, analyst, clock=clock) for analyst in analysts]
        return opened, Workbench(stores[0], others=stores[1:]), clock

    yield make
    for opened in made:
        opened.close()
    shutil.rmtree(folder, ignore_errors=True)


# No shrinking: an example is a whole workspace with a dozen writes, and shrinking one takes many minutes;
# the failing example (its document and every draw) is reported as it was found.
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(document=documents(), data=st.data())
def test_export_as_of_each_earlier_moment_is_the_export_taken_then(bench_factory: Any, document: dict[str, Any],
                                                                    data: st.DataObject) -> None:  # fmt: skip
    opened, bench, clock = bench_factory(document)

    def taken() -> tuple[bytes, list[dict[str, Any]], Any]:
        return export_json(opened.engine), claim_statuses(opened.engine), _stored(opened.engine)

    moments = [(clock(), *taken(), "import")]
    for _ in range(data.draw(st.integers(1, 14))):
        clock.tick(data.draw(st.sampled_from((1, 60, 3600))))
        done = step(bench, data)
        event(done.split(":")[0] + (" refused" if "refused" in done else ""))
        moments.append((clock(), *taken(), done))
    for when, exported, statuses, stored, done in moments:
        replayed = as_of(opened.engine, when)
        assert replayed.problems == []
        assert replayed.document == json.loads(exported), f"as of {when} (after {done!r})"
        assert _bytes(replayed.document) == exported
        assert document_statuses(replayed.document) == statuses, f"statuses as of {when} (after {done!r})"
        _check_patched_copy(opened.engine, when, exported, stored, {None: statuses}, done)


@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(document=documents(ANALYSTS), data=st.data())
def test_replay_is_exact_with_several_analysts_judging(bench_factory: Any, document: dict[str, Any],
                                                       data: st.DataObject) -> None:  # fmt: skip
    """Judgements per analyst, changed, withdrawn and re-made at known times: each earlier moment replays to the
    export taken then, and its statuses — overall and as each analyst sees them — to a full derivation of it."""
    opened, bench, clock = bench_factory(document, ANALYSTS)

    def taken() -> tuple[bytes, dict[str | None, list[dict[str, Any]]], Any]:
        views = {who: claim_statuses(opened.engine, analyst=who) for who in (None, *ANALYSTS)}
        return export_json(opened.engine), views, _stored(opened.engine)

    moments = [(clock(), *taken(), "import")]
    for _ in range(data.draw(st.integers(1, 14))):
        clock.tick(data.draw(st.sampled_from((1, 60, 3600))))
        done = step(bench, data)
        event(done.split(":")[0] + (" refused" if "refused" in done else "") + (" idle" if "nothing" in done else ""))
        moments.append((clock(), *taken(), done))
    in_process = data.draw(st.integers(0, len(moments) - 2))  # one moment with changes after it
    for index, (when, exported, views, stored, done) in enumerate(moments):
        replayed = as_of(opened.engine, when)
        assert replayed.problems == []
        assert _bytes(replayed.document) == exported, f"as of {when} (after {done!r})"
        for who, statuses in views.items():
            assert document_statuses(replayed.document, who) == statuses, f"as {who} at {when} (after {done!r})"
        _check_patched_copy(opened.engine, when, exported, stored, views, done, process=index == in_process)
