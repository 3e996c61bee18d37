"""``SqlGraph``: the engine's ``Graph`` over an open workspace connection, read lazily.

The engine itself is pure; this adapter lets it run inside a write (or read)
transaction, asking a few indexed queries about the clusters a derivation
touches instead of loading the workspace. It reads each pair's effective link
only (DESIGN §2: the judgement the derivation uses; the store keeps the flag).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from desktop.core.corroboration.records import LinkRef

_EVIDENCE_SQL = text(
    "SELECT id, to_id, relation, 1 FROM link WHERE from_id = :c AND relation != 'repeats' AND effective "
    "UNION ALL SELECT id, from_id, relation, 0 FROM link WHERE to_id = :c AND relation != 'repeats' AND effective"
)


class SqlGraph:
    """``corroboration.Graph`` over the open connection; caches only for its own short life."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        # A derivation asks for the same claim's source and the same source's labels many times.
        self._sources: dict[int, int] = {}
        self._labels: dict[int, tuple[str, str]] = {}

    def source_of(self, claim: int) -> int:
        if claim not in self._sources:
            value = self._c.execute(text("SELECT source_id FROM claim WHERE id = :c"), {"c": claim}).scalar()
            assert value is not None, f"claim {claim} vanished"
            self._sources[claim] = int(value)
        return self._sources[claim]

    def source_side_group(self, source: int) -> tuple[str, str]:
        if source not in self._labels:
            row = self._c.execute(text("SELECT side, group_label FROM source WHERE id = :s"), {"s": source}).one()
            self._labels[source] = (row[0] or "", row[1] or "")
        return self._labels[source]

    def repeats_of(self, claim: int) -> Iterable[int]:
        rows = self._c.execute(
            text("SELECT to_id FROM link WHERE from_id = :c AND relation = 'repeats' AND effective"), {"c": claim}
        )
        return [r[0] for r in rows]

    def repeated_by(self, claim: int) -> Iterable[int]:
        rows = self._c.execute(
            text("SELECT from_id FROM link WHERE to_id = :c AND relation = 'repeats' AND effective"), {"c": claim}
        )
        return [r[0] for r in rows]

    def evidence_links(self, claim: int) -> Iterable[LinkRef]:
        rows = self._c.execute(_EVIDENCE_SQL, {"c": claim})
        return [LinkRef(link=r[0], other=r[1], relation=r[2], outgoing=bool(r[3])) for r in rows]

    def existing(self, claims: Iterable[int]) -> set[int]:
        ids = list(claims)
        if not ids:
            return set()
        query = text("SELECT id FROM claim WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
        return {r[0] for r in self._c.execute(query, {"ids": ids})}
