"""The statuses as one analyst sees them: the derivation over their judgements alone (DESIGN §2, "as analyst A").

``crosscheck status --analyst A`` derives every claim over A's judgements; the
window's "as analyst" view needs the same answer for whatever rows it shows,
fast, and again after every change. Only the claims A's judgements touch can be
anything but ``unverified`` as A sees them (a claim no judgement of A's
touches is alone in its cluster with no evidence), so this reads A's
judgements, the claims at their ends and those claims' sources, and derives
exactly those with the engine — the cost follows A's judgements, not the
workspace. Every other claim is ``unverified``.

One claim in full, as A sees it, is ``read.detail.claim_detail(…, analyst=A)``
(the same engine over ``SqlGraph(connection, analyst=A)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from desktop.core import corroboration
from desktop.core.corroboration import Derivation, MemoryGraph, judgements
from desktop.core.corroboration.records import SUGGESTED_CREDIBILITY
from desktop.core.store import status

UNVERIFIED: Final = "unverified"
_IN_LIMIT: Final = 5000  # more claims than this: read the tables whole rather than bind every id


@dataclass(frozen=True)
class AnalystStatuses:
    """What one analyst's judgements derive: a derivation per claim they touch; every other claim unverified."""

    analyst: str
    judgements: int  # how many judgements the analyst has in the workspace
    derived: Mapping[int, Derivation] = field(default_factory=dict)

    def status_of(self, claim: int) -> str:
        found = self.derived.get(claim)
        return UNVERIFIED if found is None else found.status

    def suggested_of(self, claim: int) -> int:
        found = self.derived.get(claim)
        return SUGGESTED_CREDIBILITY[UNVERIFIED] if found is None else found.suggested_credibility


def analyst_statuses(connection: Connection, analyst: str) -> AnalystStatuses:
    """The statuses as ``analyst`` sees them (see the module docstring)."""
    chosen = judgements.effective_links(status.load_judgements(connection, analyst=analyst))
    touched = {end for j in chosen for end in (j.from_, j.to)}
    if not touched:
        return AnalystStatuses(analyst, 0)
    claims = _rows(connection, "SELECT id, source_id FROM claim", touched)
    sources = _rows(connection, "SELECT id, side, group_label FROM source", {source for _, source in claims})
    graph = MemoryGraph()
    for ident, side, group in sources:
        graph.add_source(ident, side or "", group or "")
    for ident, source in claims:
        graph.add_claim(ident, source)
    for j in chosen:
        graph.add_link(j.id, j.from_, j.to, j.relation, recorded=j.recorded)
    return AnalystStatuses(analyst, len(chosen), corroboration.derive_all(graph))


def _rows(connection: Connection, select: str, ids: set[int]) -> list[tuple[Any, ...]]:
    if len(ids) > _IN_LIMIT:
        return [tuple(r) for r in connection.execute(text(select)) if r[0] in ids]
    query = text(f"{select} WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    return [tuple(r) for r in connection.execute(query, {"ids": sorted(ids)})]


def judgement_counts(connection: Connection) -> dict[str, int]:
    """Every analyst who has judged a pair here, with how many judgements (the window's analyst picker)."""
    rows = connection.execute(text("SELECT analyst, count(*) FROM link GROUP BY analyst")).all()
    return {str(name): int(count) for name, count in rows if name}
