"""What the detail pane and the pickers read: one claim in full, and what to choose from (``pickers``).

Read-only, Qt-free functions over an open SQLAlchemy ``Connection``. The pane
calls ``claim_detail`` after every change that touches the current claim, so it
reads exactly one claim's neighbourhood (its source, report, places, links,
outreach and the status derivation over ``SqlGraph``), never the workspace.

Everything returned is an immutable snapshot: the window may hold it while the
workspace moves on, and compares snapshots to decide what to repaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from desktop.core import corroboration
from desktop.core.corroboration import Derivation
from desktop.core.corroboration.judgements import Judgement, by_pair
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.read.pickers import (
    PICK_LIMIT,
    match_places,
    match_sources,
    read_places,
    report_info,
    search_places,
    search_reports,
    search_sources,
    side_and_group_labels,
    source_info,
    source_names,
)
from desktop.core.read.records import (
    LINK_PHRASES,
    Direction,
    LinkInfo,
    OutreachInfo,
    PlaceInfo,
    ReportInfo,
    SourceInfo,
    as_date,
    as_datetime,
    as_labels,
)
from desktop.core.text import one_line

__all__ = [
    "LINK_PHRASES",
    "PICK_LIMIT",
    "ClaimDetail",
    "Direction",
    "LinkInfo",
    "OutreachInfo",
    "PlaceInfo",
    "ReportInfo",
    "SourceInfo",
    "claim_detail",
    "claim_summary",
    "match_places",
    "match_sources",
    "outreach_info",
    "read_places",
    "report_info",
    "search_places",
    "search_reports",
    "search_sources",
    "side_and_group_labels",
    "source_info",
]


@dataclass(frozen=True, slots=True)
class ClaimDetail:
    """One claim in full, as the detail pane shows it."""

    id: int
    ext_id: str
    text: str
    kind: str
    claimed: dt.date | None
    event_start: dt.date | None
    event_end: dt.date | None
    event_precision: str | None
    credibility: int | None
    likelihood: str | None
    verdict: str | None
    reviewed: bool
    tags: tuple[str, ...]
    notes: str
    recorded: dt.datetime | None
    source: SourceInfo
    report: ReportInfo | None
    places: tuple[PlaceInfo, ...]
    links: tuple[LinkInfo, ...]
    outreach: tuple[OutreachInfo, ...]
    derivation: Derivation
    explanation: tuple[str, ...]
    #: whose judgements alone the derivation reads ("as analyst A"); None: every analyst's effective links
    as_analyst: str | None = None

    @property
    def status(self) -> str:
        return self.derivation.status

    @property
    def suggested_credibility(self) -> int:
        return self.derivation.suggested_credibility

    @property
    def verdict_disputed(self) -> bool:
        return corroboration.verdict_disputed(self.verdict, self.derivation.status)

    @property
    def related_claims(self) -> frozenset[int]:
        """Claims whose text or source this detail quotes: a change to any of them makes it stale."""
        d = self.derivation
        evidence = {e.claim for e in (*d.supporters, *d.contradictors, *d.neutrals)} | {e.claim for e in d.echoes}
        return frozenset({link.other_id for link in self.links} | d.cluster | evidence | set(d.addresses))


# --- reading ----------------------------------------------------------------------------------


def _claim_rows(connection: Connection, ids: Iterable[int]) -> dict[int, Any]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = text(
        "SELECT c.id, c.ext_id, c.text, s.name AS source_name FROM claim c JOIN source s ON s.id = c.source_id "
        "WHERE c.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    return {r.id: r for r in connection.execute(query, {"ids": wanted})}


def claim_summary(connection: Connection, claim_id: int, limit: int = 100) -> str:
    """One line for lists and dialogs: ``[Rybar] Wagner broke through …``; empty if the claim is gone."""
    row = _claim_rows(connection, [claim_id]).get(claim_id)
    return "" if row is None else _summary(row.source_name, row.text, limit)


def _summary(source: str, claim_text: str, limit: int = 100) -> str:
    return f"[{one_line(source, 60)}] {one_line(claim_text, limit)}"


def claim_detail(connection: Connection, claim_id: int, analyst: str | None = None) -> ClaimDetail | None:
    """Everything the detail pane shows about one claim, or None when it does not exist (any more).

    ``analyst``: the status and its explanation as that analyst sees them (their judgements alone); the
    links listed, and where analysts disagree, are everyone's all the same.
    """
    row = connection.execute(
        text(
            "SELECT id, ext_id, text, source_id, report_id, kind, claimed, event_start, event_end, event_precision, "
            "credibility, likelihood, verdict, reviewed, tags, notes, recorded FROM claim WHERE id = :c"
        ),
        {"c": claim_id},
    ).first()
    if row is None:
        return None
    source = source_info(connection, row.source_id)
    assert source is not None, "claim.source_id is a RESTRICT foreign key"
    report = report_info(connection, row.report_id) if row.report_id is not None else None
    place_ids = [
        r[0]
        for r in connection.execute(
            text("SELECT place_id FROM claim_place WHERE claim_id = :c ORDER BY position"), {"c": claim_id}
        )
    ]
    by_id = {p.id: p for p in read_places(connection, place_ids)}
    links = _links(connection, claim_id)
    derivation = corroboration.derive(SqlGraph(connection, analyst), claim_id)
    quoted = derivation.cluster | {e.claim for e in (*derivation.supporters, *derivation.contradictors)}
    quoted |= {e.claim for e in derivation.neutrals} | {e.claim for e in derivation.echoes} | set(derivation.addresses)
    disputes = _disputes(connection, derivation.cluster)
    quoted |= {c for pair in disputes for j in pair for c in (j.from_, j.to)}
    described = _claim_rows(connection, quoted)
    # Only the sources an echo's explanation names (same origin), never the whole table.
    names = source_names(connection, {s for echo in derivation.echoes for s in echo.shared if isinstance(s, int)})

    def describe_claim(ident: int) -> str:
        found = described.get(ident)
        if found is None:  # cannot happen inside one read, but a sentence beats a KeyError
            return f"claim {ident} (deleted)"
        # Quoted, so the explanation's own punctuation never runs into the claim's ("Pidhorodne..").
        return f"[{one_line(found.source_name, 60)}] “{one_line(found.text, 80)}”"

    def describe_source(ident: int) -> str:
        return names.get(ident, f"source {ident}")

    return ClaimDetail(
        id=row.id,
        ext_id=row.ext_id,
        text=row.text,
        kind=row.kind,
        claimed=as_date(row.claimed),
        event_start=as_date(row.event_start),
        event_end=as_date(row.event_end),
        event_precision=row.event_precision,
        credibility=row.credibility,
        likelihood=row.likelihood,
        verdict=row.verdict,
        reviewed=bool(row.reviewed),
        tags=as_labels(row.tags),
        notes=row.notes or "",
        recorded=as_datetime(row.recorded),
        source=source,
        report=report,
        places=tuple(by_id[p] for p in place_ids if p in by_id),
        links=links,
        outreach=_outreach(connection, claim_id),
        derivation=derivation,
        explanation=tuple(corroboration.explain(derivation, describe_claim, describe_source, disputes)),
        as_analyst=analyst,
    )


def _disputes(connection: Connection, cluster: Iterable[int]) -> list[list[Judgement]]:
    """Every judgement on the pairs touching ``cluster`` on which analysts disagree (the store flags them)."""
    query = text(
        "SELECT id, from_id, to_id, relation, analyst, recorded FROM link "
        "WHERE disputed AND (from_id IN :c OR to_id IN :c)"
    ).bindparams(bindparam("c", expanding=True))
    found = [
        Judgement(r.id, r.from_id, r.to_id, r.relation, r.analyst or "", as_datetime(r.recorded))
        for r in connection.execute(query, {"c": sorted(cluster)})
    ]
    return list(by_pair(found).values())


def _links(connection: Connection, claim_id: int) -> tuple[LinkInfo, ...]:
    rows = list(
        connection.execute(
            text(
                "SELECT id, from_id, to_id, relation, rationale, analyst, recorded, effective, disputed FROM link "
                "WHERE from_id = :c OR to_id = :c"
            ),
            {"c": claim_id},
        )
    )
    others = _claim_rows(connection, [r.to_id if r.from_id == claim_id else r.from_id for r in rows])
    links: list[LinkInfo] = []
    for r in rows:
        outgoing = r.from_id == claim_id
        other_id = r.to_id if outgoing else r.from_id
        other = others[other_id]
        links.append(
            LinkInfo(
                id=r.id,
                relation=r.relation,
                direction="outgoing" if outgoing else "incoming",
                other_id=other_id,
                other_ext_id=other.ext_id,
                other_text=one_line(other.text, 160),
                other_source=other.source_name,
                rationale=r.rationale or "",
                analyst=r.analyst or "",
                recorded=as_datetime(r.recorded),
                effective=bool(r.effective),
                disputed=bool(r.disputed),
            )
        )
    # Evidence first in a stable reading order: by relation, then when it was judged.
    order = {relation: i for i, relation in enumerate(LINK_PHRASES)}
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    # Every analyst's judgement on a pair is listed; the pair's effective one first, the others under it.
    effective_order = {
        link.other_id: (order.get(link.relation, 9), link.recorded or floor, link.id)
        for link in links
        if link.effective
    }
    links.sort(
        key=lambda link: (
            effective_order.get(link.other_id, (9, floor, 0)),
            not link.effective,
            link.recorded or floor,
            link.id,
        )
    )
    return tuple(links)


def _outreach(connection: Connection, claim_id: int) -> tuple[OutreachInfo, ...]:
    rows = list(
        connection.execute(
            text(
                "SELECT o.id, o.ext_id, o.party, o.contacted, o.status, o.response, o.by_source_id FROM outreach o "
                "JOIN outreach_claim oc ON oc.outreach_id = o.id WHERE oc.claim_id = :c ORDER BY o.contacted, o.id"
            ),
            {"c": claim_id},
        )
    )
    if not rows:
        return ()
    about: dict[int, list[int]] = {}
    query = text(
        "SELECT outreach_id, claim_id FROM outreach_claim WHERE outreach_id IN :ids ORDER BY outreach_id, position"
    ).bindparams(bindparam("ids", expanding=True))
    for outreach_id, claim in connection.execute(query, {"ids": [r.id for r in rows]}):
        about.setdefault(outreach_id, []).append(claim)
    return tuple(
        OutreachInfo(
            r.id,
            r.ext_id,
            r.party,
            as_date(r.contacted),
            r.status,
            r.response,
            tuple(about.get(r.id, ())),
            r.by_source_id,
        )
        for r in rows
    )


def outreach_info(connection: Connection, outreach_id: int) -> OutreachInfo | None:
    """One request for comment (for editing it)."""
    row = connection.execute(
        text("SELECT id, ext_id, party, contacted, status, response, by_source_id FROM outreach WHERE id = :o"),
        {"o": outreach_id},
    ).first()
    if row is None:
        return None
    about = [
        r[0]
        for r in connection.execute(
            text("SELECT claim_id FROM outreach_claim WHERE outreach_id = :o ORDER BY position"), {"o": outreach_id}
        )
    ]
    return OutreachInfo(
        row.id, row.ext_id, row.party, as_date(row.contacted), row.status, row.response, tuple(about), row.by_source_id
    )
