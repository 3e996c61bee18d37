"""Writes of claims.

Deleting a claim deletes its links (a judgement about a claim that is gone has
nothing to stand on) and its place and outreach references; the snapshot kept
for undo holds all of them, so undo restores the claim exactly, same ids.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import bindparam, delete, insert, text
from sqlmodel import SQLModel

from desktop.core import corroboration, validate, vocab
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.db import table_of
from desktop.core.errors import NotFound
from desktop.core.schema import Claim, ClaimPlace, DismissedSuggestion, Link, OutreachClaim, Report, Source
from desktop.core.store import status
from desktop.core.store.base import InvalidValue, StoreBase, audited
from desktop.core.store.links import refresh_pairs
from desktop.core.store.tx import Result, Tx

_CLAIM_DEFAULTS: dict[str, Any] = {
    "kind": "event",
    "claimed": None,
    "event_start": None,
    "event_end": None,
    "event_precision": None,
    "credibility": None,
    "likelihood": None,
    "verdict": None,
    "reviewed": False,
    "tags": [],
    "notes": "",
    "quote_start": None,
    "quote_end": None,
}
# Fields whose change can move the derived status (or the verdict flag) of some claim.
_STATUS_FIELDS = {"source_id", "verdict"}


class ClaimWrites(StoreBase):
    def create_claim(self, text_: str, source_id: int, **fields: Any) -> Result:
        places = list(fields.pop("places", []))
        report_id = fields.pop("report_id", None)
        ext_id = fields.pop("ext_id", None)
        recorded = fields.pop("recorded", None)
        values = {"text": text_, **_CLAIM_DEFAULTS, **fields}
        self._normalise(values)
        self._check_claim(values)
        with self._tx() as tx:
            self._check_refs(tx, source_id, report_id, places)
            self._check_quote(tx, report_id, values["quote_start"], values["quote_end"])
            row = Claim(
                ext_id=ext_id or tx.new_ext_id(Claim, "c"),
                source_id=source_id,
                report_id=report_id,
                recorded=recorded or tx.now,
                sort_date=values["claimed"] or (recorded or tx.now).date(),
                **values,
            )
            tx.session.add(row)
            tx.session.flush()
            assert row.id is not None
            ident = row.id
            self._write_places(tx, ident, places)
            created = {**values, "source_id": source_id, "report_id": report_id, "places": places}
            tx.audit_fields("claim", row.ext_id, "create", self._refs(tx, {**created, "recorded": row.recorded}))
            tx.status_dirty.add(ident)
            tx.change.added_claims.add(ident)
            tx.change.claims.add(ident)
        return Result(tx.change, partial(ClaimWrites.delete_claim, ident=ident), "add claim", ident)

    def update_claim(self, ident: int, *, expect: dict[str, Any] | None = None, **changes: Any) -> Result:
        """Set fields of a claim; ``expect``: the values its author saw (a differing one is a ``Conflict``)."""
        places = changes.pop("places", None)
        self._normalise(changes)
        wanted = dict(changes, **({} if places is None else {"places": places}))
        self._check_claim({k: v for k, v in changes.items() if k not in ("source_id", "report_id")}, partial_=True)
        with self._tx() as tx:
            row = self._get(tx, Claim, ident, "claim")
            self._check_refs(tx, changes.get("source_id"), changes.get("report_id"), places or [])
            start = changes.get("event_start", row.event_start)
            end = changes.get("event_end", row.event_end)
            if problem := validate.event_order_problem(start, end):
                raise InvalidValue(f"claim {problem}")
            if {"report_id", "quote_start", "quote_end"} & changes.keys():
                self._check_quote(
                    tx,
                    changes.get("report_id", row.report_id),
                    changes.get("quote_start", row.quote_start),
                    changes.get("quote_end", row.quote_end),
                )
            graph = SqlGraph(tx.connection)
            before = corroboration.neighbourhood(graph, {ident}) if "source_id" in changes else set()
            if expect and "places" in expect:
                self._verify(tx, "claim", row.ext_id, "places", self.claim_places(tx, ident), expect["places"])
            old = self._apply(tx, row, "claim", changes, expect)
            if "claimed" in old:
                row.sort_date = row.claimed or row.recorded.date()
            if places is not None:
                previous = self.claim_places(tx, ident)
                if previous != places:
                    self._write_places(tx, ident, places)
                    tx.audit("claim", row.ext_id, "update", "places", *audited(tx, "places", previous, places))
                    old["places"] = previous
            if _STATUS_FIELDS & old.keys():
                tx.session.flush()
                tx.status_dirty |= before | corroboration.neighbourhood(SqlGraph(tx.connection), {ident})
            tx.change.claims.add(ident)
        undo = partial(ClaimWrites.update_claim, ident=ident, expect=self._expected_after(wanted, old), **old)
        return Result(tx.change, undo, _describe_edit(old))

    def delete_claim(self, ident: int) -> Result:
        with self._tx() as tx:
            row = self._get(tx, Claim, ident, "claim")
            snapshot: dict[str, Any] = {
                "row": self._snapshot(row),
                "places": self._rows(
                    tx, "SELECT claim_id, place_id, position FROM claim_place WHERE claim_id = :c", ident
                ),
                "links": self._rows(
                    tx,
                    "SELECT id, from_id, to_id, relation, rationale, analyst, recorded FROM link "
                    "WHERE from_id = :c OR to_id = :c",
                    ident,
                ),
                "outreach": self._rows(
                    tx, "SELECT outreach_id, claim_id, position FROM outreach_claim WHERE claim_id = :c", ident
                ),
                "dismissed": self._rows(
                    tx,
                    "SELECT claim_id, other_id, analyst, at FROM dismissed_suggestion "
                    "WHERE claim_id = :c OR other_id = :c",
                    ident,
                ),
            }
            for dismissal in snapshot["dismissed"]:
                dismissal["at"] = status._aware(dismissal["at"])
            for link in snapshot["links"]:
                link["recorded"] = status._aware(link["recorded"])
            affected = corroboration.neighbourhood(SqlGraph(tx.connection), {ident}) - {ident}
            places = [p["place_id"] for p in sorted(snapshot["places"], key=lambda p: p["position"])]
            tx.audit_fields("claim", row.ext_id, "delete", self._deleted_values(tx, row, places=places))
            # What cascades is audited as changes of its own, so the trail alone can undo the deletion.
            self._audit_links(tx, snapshot["links"], "delete")
            about = self._about_lists(tx, [o["outreach_id"] for o in snapshot["outreach"]])
            for ext_id, claims in about.values():
                tx.audit("outreach", ext_id, "update", "about", *audited(tx, "about", claims, _without(claims, ident)))
            tx.session.delete(row)  # links, place and outreach references cascade
            tx.session.flush()
            tx.status_dirty |= affected
            tx.change.removed_claims.add(ident)
            tx.change.links = bool(snapshot["links"])
            tx.change.outreach = bool(snapshot["outreach"])
        return Result(tx.change, partial(ClaimWrites._restore_claim, snapshot=snapshot), "delete claim")

    def _restore_claim(self, snapshot: dict[str, Any]) -> Result:
        with self._tx() as tx:
            values = snapshot["row"]
            links = snapshot["links"]
            self._require_restorable(
                tx,
                Claim,
                values,
                f"claim {values['ext_id']}",
                (
                    ("source", "sources", [values["source_id"]]),
                    ("report", "reports", [values["report_id"]] if values.get("report_id") is not None else []),
                    ("place", "places", [p["place_id"] for p in snapshot["places"]]),
                    (
                        "claim",
                        "linked claims",
                        ({link["from_id"] for link in links} | {link["to_id"] for link in links}) - {values["id"]},
                    ),
                    ("outreach", "requests for comment", [o["outreach_id"] for o in snapshot["outreach"]]),
                ),
            )
            row = Claim(**values)
            tx.session.add(row)
            tx.session.flush()
            ident = row.id
            assert ident is not None
            tables: tuple[tuple[type[SQLModel], str], ...] = (
                (ClaimPlace, "places"),
                (OutreachClaim, "outreach"),
                (DismissedSuggestion, "dismissed"),
            )
            about_before = self._about_lists(tx, [o["outreach_id"] for o in snapshot["outreach"]])
            links = _put_back_links(tx, links)
            for model, key in tables:
                if snapshot[key]:
                    tx.connection.execute(insert(table_of(model)), snapshot[key])
            refresh_pairs(tx.connection, [(link["from_id"], link["to_id"]) for link in links])
            places = [p["place_id"] for p in sorted(snapshot["places"], key=lambda p: p["position"])]
            tx.audit_fields("claim", row.ext_id, "create", self._deleted_values(tx, row, places=places))
            self._audit_links(tx, links, "create")
            about_after = self._about_lists(tx, list(about_before))
            for outreach, (ext_id, claims) in about_after.items():
                before = about_before[outreach][1]
                tx.audit("outreach", ext_id, "update", "about", *audited(tx, "about", before, claims))
            tx.status_dirty |= corroboration.neighbourhood(SqlGraph(tx.connection), {ident})
            tx.change.added_claims.add(ident)
            tx.change.claims.add(ident)
            tx.change.links = bool(snapshot["links"])
            tx.change.outreach = bool(snapshot["outreach"])
        return Result(tx.change, partial(ClaimWrites.delete_claim, ident=ident), "restore claim", ident)

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _normalise(values: dict[str, Any]) -> None:
        wording = values.get("likelihood")
        if isinstance(wording, str) and (term := vocab.likelihood_term(wording)) is not None:
            values["likelihood"] = term  # "highly improbable", "highly unlikely" → "very unlikely"

    def _check_claim(self, values: dict[str, Any], partial_: bool = False) -> None:
        self._check(values, validate.CLAIM_CHECKS, "claim")
        if not partial_ and (problem := validate.event_order_problem(values["event_start"], values["event_end"])):
            raise InvalidValue(f"claim {problem}")

    def _check_quote(self, tx: Tx, report_id: int | None, start: int | None, end: int | None) -> None:
        if start is None and end is None:
            return
        report = None if report_id is None else self._get(tx, Report, report_id, "report")
        if problem := validate.quote_problem(start, end, None if report is None else report.text):
            raise InvalidValue(f"claim {problem}")

    def _check_refs(self, tx: Tx, source_id: int | None, report_id: int | None, places: list[int]) -> None:
        if source_id is not None:
            self._get(tx, Source, source_id, "source")
        if report_id is not None:
            self._get(tx, Report, report_id, "report")
        if len(set(places)) != len(places):
            raise InvalidValue("claim places name the same place twice")
        for place in places:
            if tx.connection.execute(text("SELECT 1 FROM place WHERE id = :p"), {"p": place}).first() is None:
                raise NotFound(f"place {place} no longer exists")

    @staticmethod
    def claim_places(tx: Tx, claim: int) -> list[int]:
        rows = tx.connection.execute(
            text("SELECT place_id FROM claim_place WHERE claim_id = :c ORDER BY position"), {"c": claim}
        )
        return [r[0] for r in rows]

    @staticmethod
    def _write_places(tx: Tx, claim: int, places: list[int]) -> None:
        table = table_of(ClaimPlace)
        tx.connection.execute(delete(table).where(table.c.claim_id == claim))
        if places:
            tx.connection.execute(
                insert(table), [{"claim_id": claim, "place_id": p, "position": i} for i, p in enumerate(places)]
            )

    @staticmethod
    def _ext_ids(tx: Tx, claims: set[int]) -> dict[int, str]:
        if not claims:
            return {}
        query = text("SELECT id, ext_id FROM claim WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
        return {r[0]: r[1] for r in tx.connection.execute(query, {"ids": sorted(claims)})}

    def _audit_links(self, tx: Tx, links: list[dict[str, Any]], action: str) -> None:
        """One audit group per link a claim's deletion removes (or its undo puts back), in full."""
        others = {link["from_id"] for link in links} | {link["to_id"] for link in links}
        ext = self._ext_ids(tx, others)
        for link in links:
            key = f"{ext[link['from_id']]}->{ext[link['to_id']]}"
            fields = ("id", "relation", "rationale", "analyst", "recorded")
            tx.audit_fields("link", key, action, {name: link[name] for name in fields})

    @staticmethod
    def _about_lists(tx: Tx, outreach: list[int]) -> dict[int, tuple[str, list[int]]]:
        """Each request for comment's interchange id and the claims it is about, in order."""
        result: dict[int, tuple[str, list[int]]] = {}
        for ident in dict.fromkeys(outreach):
            ext_id = tx.connection.execute(text("SELECT ext_id FROM outreach WHERE id = :o"), {"o": ident}).scalar_one()
            claims = tx.connection.execute(
                text("SELECT claim_id FROM outreach_claim WHERE outreach_id = :o ORDER BY position"), {"o": ident}
            )
            result[ident] = (ext_id, [r[0] for r in claims])
        return result

    @staticmethod
    def _rows(tx: Tx, sql: str, claim: int) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in tx.connection.execute(text(sql), {"c": claim})]


def _without(claims: list[int], claim: int) -> list[int]:
    return [c for c in claims if c != claim]


def _describe_edit(old: dict[str, Any]) -> str:
    if not old:
        return "no change"
    names = ", ".join(sorted(old))
    return f"edit claim {names}"


def _put_back_links(tx: Tx, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the links a claim's deletion removed; returns them with the ids they now have.

    Each comes back under its own id, except where a link made after the deletion (by hand or by an
    import: SQLite hands out the highest id again) holds it. A link's id is nobody's reference, so that one
    takes a new id from the database (SQLite's next, PostgreSQL's sequence) rather than the undo being
    refused. The audit rows name the ids the links now have, which is what replay removes when it rolls
    the undo back.
    """
    if not links:
        return []
    table = table_of(Link)
    query = text("SELECT id FROM link WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    taken = {r[0] for r in tx.connection.execute(query, {"ids": [link["id"] for link in links]})}
    free = [link for link in links if link["id"] not in taken]
    if free:
        tx.connection.execute(insert(table), free)
    result = []
    for link in links:
        if link["id"] in taken:
            values = {k: v for k, v in link.items() if k != "id"}
            link = {
                **link,
                "id": tx.connection.execute(insert(table).values(values).returning(table.c.id)).scalar_one(),
            }
        result.append(link)
    return result
