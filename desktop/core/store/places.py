"""Writes of places and their aliases.

Deleting a place removes it from the claims that named it (the claims stay);
undo restores the place, its aliases and those references.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import delete, insert, text

from desktop.core import validate
from desktop.core.db import table_of
from desktop.core.schema import ClaimPlace, Place, PlaceAlias
from desktop.core.store.base import StoreBase, audited
from desktop.core.store.tx import Result, Tx
from desktop.core.text import fold


class PlaceWrites(StoreBase):
    def create_place(self, name: str, aliases: list[str] | None = None, **fields: Any) -> Result:
        ext_id = fields.pop("ext_id", None)
        values = {"name": name, "aliases": list(aliases or []), "region": None, "lat": None, "lon": None, **fields}
        self._check(values, validate.PLACE_CHECKS, "place")
        with self._tx() as tx:
            ident = self._insert_place(tx, ext_id or tx.new_ext_id(Place, "pl"), values)
        return Result(tx.change, partial(PlaceWrites.delete_place, ident=ident), f"add place {name}", ident)

    def update_place(self, ident: int, *, expect: dict[str, Any] | None = None, **changes: Any) -> Result:
        self._check(changes, validate.PLACE_CHECKS, "place")
        with self._tx() as tx:
            row = self._get(tx, Place, ident, "place")
            wanted = dict(changes)
            aliases = changes.pop("aliases", None)
            if expect and "aliases" in expect:
                self._verify(tx, "place", row.ext_id, "aliases", self.place_aliases(tx, ident), expect["aliases"])
            old = self._apply(tx, row, "place", changes, expect)
            if "name" in old:
                row.folded = fold(row.name)
            if aliases is not None:
                before = self.place_aliases(tx, ident)
                if before != aliases:
                    self._write_aliases(tx, ident, aliases)
                    tx.audit("place", row.ext_id, "update", "aliases", before, aliases)
                    old["aliases"] = before
            tx.change.places = True
            tx.change.claims |= self._claims_at(tx, ident)
        undo = partial(PlaceWrites.update_place, ident=ident, expect=self._expected_after(wanted, old), **old)
        return Result(tx.change, undo, f"edit place {row.name}")

    def delete_place(self, ident: int) -> Result:
        with self._tx() as tx:
            snapshot = self._delete_place(tx, ident)
        name = snapshot["row"]["name"]
        return Result(tx.change, partial(PlaceWrites._restore_place, snapshot=snapshot), f"delete place {name}")

    def _restore_place(self, snapshot: dict[str, Any]) -> Result:
        with self._tx() as tx:
            ident = self._put_back_place(tx, snapshot)
        name = snapshot["row"]["name"]
        return Result(tx.change, partial(PlaceWrites.delete_place, ident=ident), f"restore place {name}", ident)

    def add_places(self, records: list[dict[str, Any]]) -> Result:
        """The places of ``records`` (interchange place records, e.g. the shipped gazetteer) that the
        workspace does not hold yet (``gazetteer.same_place``), in one write; the value is their ids.
        A record keeps its id where no place has it already."""
        from desktop.core.gazetteer import missing_places

        with self._tx() as tx:
            added: list[int] = []
            for record in missing_places(tx.connection, records):
                values = {key: record.get(key) for key in ("region", "lat", "lon")}
                values = {"name": record["name"], "aliases": list(record.get("aliases", [])), **values}
                self._check(values, validate.PLACE_CHECKS, "place")
                wanted = record.get("id")
                taken = "SELECT 1 FROM place WHERE ext_id = :e"
                if not isinstance(wanted, str) or tx.connection.execute(text(taken), {"e": wanted}).first():
                    wanted = tx.new_ext_id(Place, "pl")
                added.append(self._insert_place(tx, wanted, values))
            tx.change.places = True
        return Result(tx.change, partial(PlaceWrites.delete_places, idents=added), f"add {len(added)} places", added)

    def delete_places(self, idents: list[int]) -> Result:
        """Several places in one write (undoing ``add_places``)."""
        with self._tx() as tx:
            snapshots = [self._delete_place(tx, ident) for ident in idents]
        return Result(
            tx.change, partial(PlaceWrites._restore_places, snapshots=snapshots), f"delete {len(idents)} places"
        )

    def _restore_places(self, snapshots: list[dict[str, Any]]) -> Result:
        with self._tx() as tx:
            idents = [self._put_back_place(tx, snapshot) for snapshot in snapshots]
        return Result(
            tx.change, partial(PlaceWrites.delete_places, idents=idents), f"restore {len(idents)} places", idents
        )

    def _insert_place(self, tx: Tx, ext_id: str, values: dict[str, Any]) -> int:
        row = Place(
            ext_id=ext_id,
            name=values["name"],
            folded=fold(values["name"]),
            region=values["region"],
            lat=values["lat"],
            lon=values["lon"],
        )
        tx.session.add(row)
        tx.session.flush()
        assert row.id is not None
        self._write_aliases(tx, row.id, values["aliases"])
        tx.audit_fields("place", row.ext_id, "create", values)
        tx.change.places = True
        return row.id

    def _delete_place(self, tx: Tx, ident: int) -> dict[str, Any]:
        """Delete place ``ident`` inside ``tx``; the snapshot ``_put_back_place`` restores."""
        row = self._get(tx, Place, ident, "place")
        snapshot: dict[str, Any] = {
            "row": self._snapshot(row),
            "aliases": self.place_aliases(tx, ident),
            "claims": [
                dict(r._mapping)
                for r in tx.connection.execute(
                    text("SELECT claim_id, place_id, position FROM claim_place WHERE place_id = :p"), {"p": ident}
                )
            ],
        }
        tx.audit_fields("place", row.ext_id, "delete", self._deleted_values(tx, row, aliases=snapshot["aliases"]))
        claims = {c["claim_id"] for c in snapshot["claims"]}
        # The claims lose the place: audited per claim, so the trail alone can undo the deletion.
        for claim in sorted(claims):
            before = self._claim_places(tx, claim)
            self._audit_claim_places(tx, claim, before, [p for p in before if p != ident])
        tx.change.claims |= claims
        tx.session.delete(row)  # aliases and claim references cascade
        tx.session.flush()
        tx.change.places = True
        return snapshot

    def _put_back_place(self, tx: Tx, snapshot: dict[str, Any]) -> int:
        """Restore a place ``_delete_place`` deleted, inside ``tx``, with its aliases and claim references."""
        self._require_restorable(
            tx,
            Place,
            snapshot["row"],
            f"place {snapshot['row']['name']}",
            (("claim", "claims", [c["claim_id"] for c in snapshot["claims"]]),),
        )
        row = Place(**snapshot["row"])
        tx.session.add(row)
        tx.session.flush()
        assert row.id is not None
        self._write_aliases(tx, row.id, snapshot["aliases"])
        tx.audit_fields("place", row.ext_id, "create", self._deleted_values(tx, row, aliases=snapshot["aliases"]))
        claims = sorted({c["claim_id"] for c in snapshot["claims"]})
        before = {claim: self._claim_places(tx, claim) for claim in claims}
        if snapshot["claims"]:
            tx.connection.execute(insert(table_of(ClaimPlace)), snapshot["claims"])
        for claim in claims:
            self._audit_claim_places(tx, claim, before[claim], self._claim_places(tx, claim))
        tx.change.places = True
        tx.change.claims |= set(claims)
        return row.id

    @staticmethod
    def place_aliases(tx: Tx, place: int) -> list[str]:
        rows = tx.connection.execute(
            text("SELECT alias FROM place_alias WHERE place_id = :p ORDER BY position"), {"p": place}
        )
        return [r[0] for r in rows]

    @staticmethod
    def _write_aliases(tx: Tx, place: int, aliases: list[str]) -> None:
        tx.session.flush()
        table = table_of(PlaceAlias)
        tx.connection.execute(delete(table).where(table.c.place_id == place))
        if aliases:
            tx.connection.execute(
                insert(table),
                [{"place_id": place, "position": i, "alias": a, "folded": fold(a)} for i, a in enumerate(aliases)],
            )

    @staticmethod
    def _claim_places(tx: Tx, claim: int) -> list[int]:
        rows = tx.connection.execute(
            text("SELECT place_id FROM claim_place WHERE claim_id = :c ORDER BY position"), {"c": claim}
        )
        return [r[0] for r in rows]

    @staticmethod
    def _audit_claim_places(tx: Tx, claim: int, before: list[int], after: list[int]) -> None:
        ext_id = tx.connection.execute(text("SELECT ext_id FROM claim WHERE id = :c"), {"c": claim}).scalar_one()
        tx.audit("claim", ext_id, "update", "places", *audited(tx, "places", before, after))

    @staticmethod
    def _claims_at(tx: Tx, place: int) -> set[int]:
        rows = tx.connection.execute(text("SELECT claim_id FROM claim_place WHERE place_id = :p"), {"p": place})
        return {r[0] for r in rows}
