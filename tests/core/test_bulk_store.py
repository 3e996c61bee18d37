"""Bulk writes as ONE transaction and one undo step; citations; repairs; backups and restoring one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core import backups, db, integrity
from desktop.core.errors import NotFound, UserError
from desktop.core.read.citation import citations, ext_ids
from desktop.core.store.repair import repair
from desktop.core.workspace import Workspace, open_workspace


def _ids(workspace: Workspace, *ext: str) -> list[int]:
    with workspace.engine.connect() as connection:
        found = dict(connection.exec_driver_sql("SELECT ext_id, id FROM claim").all())
    return [found[e] for e in ext]


def _column(workspace: Workspace, column: str, claims: list[int]) -> list[object]:
    with workspace.engine.connect() as connection:
        rows = dict(connection.exec_driver_sql(f"SELECT id, {column} FROM claim").all())
    return [rows.get(c) for c in claims]


def _audit_count(workspace: Workspace) -> int:
    with workspace.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM audit").scalar_one())


def test_a_batch_writes_every_claim_audits_each_and_undoes_as_one(sample_workspace: Workspace) -> None:
    store = sample_workspace.store
    claims = _ids(sample_workspace, "c-breach", "c-genstaff-repelled", "c-isw-offensive")
    before = _column(sample_workspace, "credibility", claims)
    audits = _audit_count(sample_workspace)
    result = store.batch([lambda s, c=c: s.update_claim(c, credibility=2) for c in claims], "credibility 2")
    assert _column(sample_workspace, "credibility", claims) == [2, 2, 2]
    assert _audit_count(sample_workspace) == audits + sum(1 for b in before if b != 2)
    assert result.change.claims >= set(claims) and not result.change.unchanged
    undone = result.undo(store)
    assert _column(sample_workspace, "credibility", claims) == before
    undone.undo(store)  # and redo
    assert _column(sample_workspace, "credibility", claims) == [2, 2, 2]


def test_a_batch_with_one_failing_write_writes_nothing(sample_workspace: Workspace) -> None:
    claims = _ids(sample_workspace, "c-breach", "c-genstaff-repelled")
    before = _column(sample_workspace, "reviewed", claims)
    audits = _audit_count(sample_workspace)
    writes = [lambda s, c=c: s.update_claim(c, reviewed=True) for c in claims]
    writes.append(lambda s: s.update_claim(999_999, reviewed=True))
    with pytest.raises(NotFound):
        sample_workspace.store.batch(writes, "mark reviewed")
    assert _column(sample_workspace, "reviewed", claims) == before and _audit_count(sample_workspace) == audits


def test_deleting_linked_claims_together_and_undoing_restores_every_link(sample_workspace: Workspace) -> None:
    store = sample_workspace.store
    with sample_workspace.engine.connect() as connection:
        pair = connection.exec_driver_sql("SELECT from_id, to_id FROM link LIMIT 1").one()
        links = connection.exec_driver_sql("SELECT count(*) FROM link").scalar_one()
    claims = [int(pair[0]), int(pair[1])]
    result = store.batch([lambda s, c=c: s.delete_claim(c) for c in claims], "delete")
    assert _column(sample_workspace, "id", claims) == [None, None]
    result.undo(store)
    with sample_workspace.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM link").scalar_one() == links
    assert _column(sample_workspace, "id", claims) == claims
    assert integrity.check(sample_workspace.engine) == []


def test_adding_a_tag_keeps_the_others_and_never_doubles_it(sample_workspace: Workspace) -> None:
    store = sample_workspace.store
    (claim,) = _ids(sample_workspace, "c-breach")
    store.update_claim(claim, tags=["bakhmut"])
    store.add_tag(claim, "frontline")
    assert _column(sample_workspace, "tags", [claim])[0] in ('["bakhmut", "frontline"]', ["bakhmut", "frontline"])
    assert store.add_tag(claim, "frontline").change.unchanged


def test_an_empty_batch_is_refused(sample_workspace: Workspace) -> None:
    with pytest.raises(UserError, match="nothing selected"):
        sample_workspace.store.batch([], "delete")


def test_a_citation_has_text_source_grade_date_and_report(sample_workspace: Workspace) -> None:
    claims = _ids(sample_workspace, "c-breach", "c-genstaff-repelled")
    with sample_workspace.engine.connect() as connection:
        found = citations(connection, [*claims, 999_999])
        ids = ext_ids(connection, claims)
        text, source, reliability, url = connection.exec_driver_sql(
            "SELECT c.text, s.name, s.reliability, r.url FROM claim c JOIN source s ON s.id = c.source_id "
            "LEFT JOIN report r ON r.id = c.report_id WHERE c.id = ?",
            (claims[0],),
        ).one()
    assert ids == ["c-breach", "c-genstaff-repelled"] and len(found) == 2
    first = found[0]
    assert first.startswith(f"“{text}” — {source} ({reliability or '-'}")
    assert "[crosscheck c-breach]" in first and (url is None or url in first)


def test_repair_rebuilds_the_search_index_and_re_derives_statuses(sample_workspace: Workspace) -> None:
    engine = sample_workspace.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM claim_fts WHERE rowid IN (SELECT id FROM claim LIMIT 3)")
        connection.exec_driver_sql("UPDATE claim SET status = 'contested' WHERE status = 'unverified'")
    problems = integrity.check(engine)
    assert {p.repair for p in problems} == {"search-index", "statuses"}
    assert integrity.repairs(problems) == ["search-index", "statuses"]
    assert repair(engine, integrity.repairs(problems)) == [
        "rebuilt the search index",
        "re-derived every linked pair's effective link and every claim's status, and recounted the claims",
    ]
    assert integrity.check(engine) == []
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM claim_fts").scalar_one() == 20


def test_backups_are_listed_newest_first_and_restore_into_a_new_file(sample_workspace: Workspace) -> None:
    path = db.sqlite_path(sample_workspace.engine)
    assert path is not None
    first = db.backup(sample_workspace.engine, backups.new_backup_path(path))
    second = db.backup(sample_workspace.engine, backups.new_backup_path(path))
    migration = path.with_name(f"{path.stem}.before-0003.20221215T080000Z.sqlite")
    shutil.copyfile(first, migration)
    (path.parent / f"{path.stem}.notes.sqlite").write_text("not a backup")
    found = backups.list_backups(path)
    assert [b.path for b in found][:2] == sorted([first, second], key=lambda p: p.name, reverse=True)
    assert found[-1].path == migration and found[-1].reason == "before upgrading to schema 0003"
    target = path.with_name("restored.sqlite")
    assert backups.restore(found[0].path, target) == target
    restored = open_workspace(str(target), create=False)
    try:
        assert not restored.is_empty()
    finally:
        restored.close()
    with pytest.raises(UserError, match="already exists"):
        backups.restore(found[0].path, target)
    broken = path.with_name(f"{path.stem}.backup-20221215T080000Z.sqlite")
    broken.write_bytes(b"garbage" * 1000)
    with pytest.raises(UserError, match="cannot read the backup"):
        backups.restore(broken, path.with_name("other.sqlite"))
    assert not path.with_name("other.sqlite").exists()


def test_restore_refuses_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    plain = tmp_path / "w.backup-20221215T080000Z.sqlite"
    with closing(sqlite3.connect(plain)) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(UserError, match="not a Crosscheck workspace"):
        backups.restore(plain, tmp_path / "out.sqlite")


def test_bulk_timestamps_are_spelled_as_the_columns_bind_processor_spells_them() -> None:
    import datetime as dt

    from sqlalchemy.dialects import sqlite

    from desktop.core.db import table_of
    from desktop.core.schema import Claim
    from desktop.core.store.bulk_write import _utc_texts

    dialect = sqlite.dialect()
    column = table_of(Claim).c.recorded.type
    process = column.dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    kyiv = dt.timezone(dt.timedelta(hours=2))
    values = [
        dt.datetime(2022, 12, 15, 9, 0, tzinfo=dt.UTC),
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2022, 12, 15, 9, 0, 0, 250, tzinfo=dt.UTC),
        dt.datetime(2022, 12, 15, 1, 30, tzinfo=kyiv),  # not UTC: the processor converts it
        dt.datetime.fromisoformat("2022-12-15T09:00:00+00:00"),
    ]
    assert _utc_texts(process, values) == [process(v) for v in values]
    with pytest.raises(ValueError, match="timezone"):  # naive: refused as the processor refuses it
        _utc_texts(process, [dt.datetime(2022, 12, 15)])
