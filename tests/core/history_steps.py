"""Random edits for the replay property tests: each step one store write (or an undo), at a known time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import text

from desktop.core.errors import UserError
from desktop.core.store import Store
from desktop.core.store.tx import Result

START = dt.datetime(2022, 12, 15, 9, 0, tzinfo=dt.UTC)
SIDES = ("", "russia", "ukraine")
GROUPS = ("", "state-media")
RELATIONS = ("corroborates", "contradicts", "neutral", "repeats")
#: more steps on judgements when several analysts judge (a remake with nothing withdrawn withdraws first)
JUDGING = ("link", "link", "withdraw", "withdraw", "withdraw", "remake", "remake", "remake")


@dataclass
class Clock:
    """The store's clock in the tests: it moves only when told to."""

    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: int = 60) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds)
        return self.now


@dataclass
class Workbench:
    """The workspace's writers: ``store`` (anna), and the other analysts' stores when several judge."""

    store: Store
    results: list[tuple[Result, Store]] = field(default_factory=list)  #: each write with the store that made it
    others: list[Store] = field(default_factory=list)
    withdrawn: list[tuple[int, int, str]] = field(default_factory=list)  #: judgements taken back, to re-make

    def by_name(self, analyst: str) -> Store:
        return next((s for s in [self.store, *self.others] if s.analyst == analyst), self.store)

    def analyst(self, data: st.DataObject) -> Store:
        """Whose write this is: anna alone, or any of the analysts when several judge (drawn)."""
        return data.draw(st.sampled_from([self.store, *self.others])) if self.others else self.store

    def ids(self, table: str) -> list[int]:
        with self.store.engine.connect() as connection:
            return [r[0] for r in connection.execute(text(f"SELECT id FROM {table} ORDER BY id"))]


def _pick(data: st.DataObject, items: list[int]) -> int | None:
    return data.draw(st.sampled_from(items)) if items else None


def step(bench: Workbench, data: st.DataObject) -> str:
    """Draw and perform one write; returns what it was (for failure reports). Refusals write nothing."""
    store = bench.store
    kind = data.draw(
        st.sampled_from(
            (
                "edit claim", "edit claim", "claim places", "claim source", "claim report", "link", "link",
                "unlink", "delete claim", "new claim", "edit source", "new source", "edit place", "delete place",
                "new place", "edit report", "delete report", "edit outreach", "delete outreach", "undo", "undo",
                "delete source", "import more",
            ) + (JUDGING if bench.others else ())
        )
    )  # fmt: skip
    claims, sources, places = bench.ids("claim"), bench.ids("source"), bench.ids("place")
    reports, outreach = bench.ids("report"), bench.ids("outreach")
    if kind == "remake" and not bench.withdrawn:
        kind = "withdraw"  # nothing to make again yet: take a judgement back first
    result: Result | None = None
    try:
        if kind == "edit claim" and claims:
            changes: dict[str, Any] = data.draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "credibility": st.sampled_from((None, 1, 2, 3, 6)),
                        "verdict": st.sampled_from((None, "confirmed", "refuted", "inconclusive")),
                        "text": st.sampled_from(("Assaults repelled", "Breach reported", "Бахмут: прорыв")),
                        "tags": st.lists(st.sampled_from(("a", "b", "c")), unique=True, max_size=2),
                        "reviewed": st.booleans(),
                        "notes": st.sampled_from(("", "checked twice")),
                        "event_start": st.sampled_from((None, dt.date(2022, 12, 14))),
                        "event_precision": st.sampled_from((None, "day", "week")),
                        "claimed": st.sampled_from((None, dt.date(2022, 12, 13))),
                    },
                )
            )
            result = store.update_claim(data.draw(st.sampled_from(claims)), **changes)
        elif kind == "claim places" and claims:
            chosen = data.draw(st.lists(st.sampled_from(places), unique=True, max_size=3)) if places else []
            result = store.update_claim(data.draw(st.sampled_from(claims)), places=chosen)
        elif kind == "claim source" and claims and sources:
            result = store.update_claim(
                data.draw(st.sampled_from(claims)), source_id=data.draw(st.sampled_from(sources))
            )
        elif kind == "claim report" and claims:
            report = _pick(data, [*reports, 0])
            result = store.update_claim(data.draw(st.sampled_from(claims)), report_id=report or None)
        elif kind == "link" and len(claims) > 1:
            a, b = data.draw(st.lists(st.sampled_from(claims), min_size=2, max_size=2, unique=True))
            store = bench.analyst(data)
            result = store.set_link(
                a, b, data.draw(st.sampled_from(RELATIONS)), data.draw(st.sampled_from(("", "why")))
            )
        elif kind == "unlink" and len(claims) > 1:
            a, b = data.draw(st.lists(st.sampled_from(claims), min_size=2, max_size=2, unique=True))
            store = bench.analyst(data)
            result = store.remove_link(a, b)
        elif kind == "withdraw" and (judged := _judgements(store)):
            # One analyst withdraws their own judgement (the others' on the pair stay).
            a, b, analyst = data.draw(st.sampled_from(judged))
            store = bench.by_name(analyst)
            result = store.remove_link(a, b)
            bench.withdrawn.append((a, b, analyst))
        elif kind == "remake" and bench.withdrawn:
            # A judgement withdrawn earlier made again: the same, the other way round, or another relation.
            a, b, analyst = bench.withdrawn.pop(data.draw(st.integers(0, len(bench.withdrawn) - 1)))
            if data.draw(st.booleans()):
                a, b = b, a
            store = bench.by_name(analyst)
            result = store.set_link(a, b, data.draw(st.sampled_from(RELATIONS)), "again")
        elif kind == "delete claim" and claims:
            result = store.delete_claim(data.draw(st.sampled_from(claims)))
        elif kind == "new claim" and sources:
            chosen = data.draw(st.lists(st.sampled_from(places), unique=True, max_size=2)) if places else []
            fields: dict[str, Any] = {"places": chosen}
            if reports and data.draw(st.booleans()):
                fields["report_id"] = data.draw(st.sampled_from(reports))
            result = store.create_claim("A new claim", data.draw(st.sampled_from(sources)), **fields)
        elif kind == "edit source" and sources:
            changes = data.draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "side": st.sampled_from(SIDES),
                        "group_label": st.sampled_from(GROUPS),
                        "aliases": st.lists(st.sampled_from(("R", "Рыбарь")), unique=True, max_size=2),
                        "name": st.sampled_from(("Rybar", "ISW", "General Staff")),
                        "reliability": st.sampled_from(("A", "C", "F")),
                    },
                )
            )
            result = store.update_source(data.draw(st.sampled_from(sources)), **changes)
        elif kind == "new source":
            result = store.create_source("New source", side=data.draw(st.sampled_from(SIDES)))
        elif kind == "edit place" and places:
            changes = data.draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "name": st.sampled_from(("Bakhmut", "Soledar")),
                        "aliases": st.lists(st.sampled_from(("Бахмут", "Artemivsk")), unique=True, max_size=2),
                        "lat": st.sampled_from((None, 48.5)),
                    },
                )
            )
            result = store.update_place(data.draw(st.sampled_from(places)), **changes)
        elif kind == "delete place" and places:
            result = store.delete_place(data.draw(st.sampled_from(places)))
        elif kind == "new place":
            result = store.create_place("Klishchiivka", aliases=["Кліщіївка"])
        elif kind == "edit report" and reports:
            changes = {"title": data.draw(st.sampled_from(("Daily update", "Evening report")))}
            if sources and data.draw(st.booleans()):
                changes["source_id"] = data.draw(st.sampled_from(sources))
            result = store.update_report(data.draw(st.sampled_from(reports)), **changes)
        elif kind == "delete report" and reports:
            result = store.delete_report(data.draw(st.sampled_from(reports)))
        elif kind == "edit outreach" and outreach:
            changes = {"status": data.draw(st.sampled_from(("pending", "answered", "declined")))}
            if claims and data.draw(st.booleans()):
                changes["about"] = data.draw(st.lists(st.sampled_from(claims), unique=True, max_size=3))
            result = store.update_outreach(data.draw(st.sampled_from(outreach)), **changes)
        elif kind == "delete outreach" and outreach:
            result = store.delete_outreach(data.draw(st.sampled_from(outreach)))
        elif kind == "delete source" and sources:
            result = store.delete_source(data.draw(st.sampled_from(sources)))
        elif kind == "import more" and claims:
            _import_more(bench, data, claims)
            return kind
        elif kind == "undo" and bench.results:
            index = data.draw(st.integers(0, len(bench.results) - 1))
            done, store = bench.results.pop(index)
            result = done.undo(store)
        else:
            return f"{kind}: nothing to do"
    except UserError as exc:
        return f"{kind}: refused ({exc})"
    bench.results.append((result, store))
    return kind


def _judgements(store: Store) -> list[tuple[int, int, str]]:
    """Every judgement on record: (from, to, analyst)."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT from_id, to_id, analyst FROM link ORDER BY id"))
        return [(int(a), int(b), str(analyst)) for a, b, analyst in rows]


def _import_more(bench: Workbench, data: st.DataObject, claims: list[int]) -> None:
    """An import into the workspace, recorded now (not backdated): new claims, and links to existing ones."""
    from desktop.core.interchange import import_json

    store = bench.store
    now = store.clock()
    tag = now.strftime("%H%M%S")
    with store.engine.connect() as connection:
        existing = connection.execute(text("SELECT ext_id, source_id FROM claim ORDER BY id")).all()
        source = connection.execute(text("SELECT ext_id FROM source ORDER BY id")).scalars().first()
        linked = {
            frozenset(pair)
            for pair in connection.execute(
                text("SELECT f.ext_id, t.ext_id FROM link JOIN claim f ON f.id = from_id JOIN claim t ON t.id = to_id")
            )
        }
    target = data.draw(st.sampled_from([ext for ext, _ in existing]))
    document = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": f"s-{tag}", "name": "Imported source", "side": "ukraine"}],
        "claims": [{"id": f"c-{tag}", "text": "Imported claim", "source": f"s-{tag}" if data.draw(st.booleans())
                    else source}],
        "links": [] if frozenset((f"c-{tag}", target)) in linked else
                 [{"from": f"c-{tag}", "to": target, "relation": data.draw(st.sampled_from(RELATIONS))}],
    }  # fmt: skip
    import_json(store.engine, document, analyst="importer", now=now)
