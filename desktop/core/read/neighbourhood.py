"""What the evidence graph draws: one claim's cluster and the claims whose links bear on it (DESIGN §2).

``neighbourhood(connection, claim)`` derives the claim (``corroboration.derive``
over ``SqlGraph``) and returns plain records:

- ``nodes``: every member of its cluster (``role`` "current" for the claim itself,
  else "member"; ``origin`` marks the cluster's origins), and every claim at the
  other end of an evidence link — "supporter", "contradictor", "neutral" — or set
  aside as an "echo", with the reason in words (same origin source, same group);
- ``edges``: one per linked pair among those claims, drawn as the pair's effective
  link (the judgement the derivation reads) and classified as "repeats" (inside
  the cluster), "evidence" (counted), "echo" (set aside), "internal" (between two
  members: ignored) or "context" (between two claims around it). Each edge keeps
  every analyst's judgement on the pair, and ``disputed`` says whether they
  disagree (``corroboration.judgements``).

A claim that is both supporter and contradictor (two analysts' links, or two
members linked differently) is shown once, by its strongest role:
contradictor, supporter, neutral, echo. No Qt here; the view lays these out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from desktop.core import corroboration
from desktop.core.corroboration.judgements import pair_of
from desktop.core.corroboration.records import Derivation, Echo
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.read.records import as_datetime
from desktop.core.text import one_line

ROLES: Final = ("current", "member", "supporter", "contradictor", "neutral", "echo")
_PRIORITY: Final = {"contradictor": 0, "supporter": 1, "neutral": 2, "echo": 3}


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    ext_id: str
    source: str
    text: str  # one line, shortened
    status: str
    verdict: str | None
    role: str  # one of ROLES
    origin: bool = False  # an origin of the cluster (members only)
    cross_side: bool = False  # a supporter from another side (or unaligned)
    reason: str = ""  # why an echo was set aside, in words


@dataclass(frozen=True, slots=True)
class Opinion:
    """One analyst's judgement on a pair: ``from_id`` ``relation`` ``to_id``."""

    link: int
    from_id: int
    to_id: int
    relation: str
    analyst: str
    rationale: str
    recorded: dt.datetime | None
    effective: bool


@dataclass(frozen=True, slots=True)
class Edge:
    """A linked pair, drawn as its effective judgement (``link`` … ``rationale`` are that judgement's)."""

    link: int
    from_id: int
    to_id: int
    relation: str
    kind: str  # repeats | evidence | echo | internal | context
    analyst: str
    rationale: str
    reason: str = ""  # for echoes: why the link does not count
    disputed: bool = False  # analysts disagree on this pair
    opinions: tuple[Opinion, ...] = ()  # every analyst's judgement on the pair, the effective one first


@dataclass
class Neighbourhood:
    claim: int
    status: str
    nodes: dict[int, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def by_role(self, role: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.role == role]

    @property
    def members(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.role in ("current", "member")]


def neighbourhood(connection: Connection, claim_id: int) -> Neighbourhood | None:
    """The claim's neighbourhood (see the module docstring); None when the claim does not exist."""
    exists = connection.execute(text("SELECT 1 FROM claim WHERE id = :c"), {"c": claim_id}).first()
    if exists is None:
        return None
    derivation = corroboration.derive(SqlGraph(connection), claim_id)
    roles: dict[int, tuple[str, bool, str]] = {}  # claim → (role, cross_side, reason)

    def offer(claim: int, role: str, cross: bool = False, reason: str = "") -> None:
        held = roles.get(claim)
        if held is None or _PRIORITY[role] < _PRIORITY[held[0]]:
            roles[claim] = (role, cross, reason)

    for e in derivation.contradictors:
        offer(e.claim, "contradictor")
    for e in derivation.supporters:
        offer(e.claim, "supporter", e.cross_side)
    for e in derivation.neutrals:
        offer(e.claim, "neutral")
    source_names = _source_names(connection, {s for echo in derivation.echoes for s in _ints(echo.shared)})
    echo_reasons = {echo.link: echo_reason(echo, source_names) for echo in derivation.echoes}
    for echo in derivation.echoes:
        offer(echo.claim, "echo", reason=echo_reasons[echo.link])

    ids = set(derivation.cluster) | set(roles)
    rows = _claims(connection, ids)
    hood = Neighbourhood(claim=claim_id, status=derivation.status)
    for member in sorted(derivation.cluster):
        row = rows[member]
        hood.nodes[member] = Node(
            id=member,
            ext_id=row[0],
            source=row[1],
            text=one_line(row[2], 140),
            status=row[3],
            verdict=row[4],
            role="current" if member == claim_id else "member",
            origin=member in derivation.origins,
        )
    for claim, (role, cross, reason) in sorted(roles.items()):
        if claim in hood.nodes:
            continue
        row = rows[claim]
        hood.nodes[claim] = Node(
            id=claim,
            ext_id=row[0],
            source=row[1],
            text=one_line(row[2], 140),
            status=row[3],
            verdict=row[4],
            role=role,
            cross_side=cross,
            reason=reason,
        )
    hood.edges = _edges(connection, derivation, set(hood.nodes), echo_reasons)
    return hood


def echo_reason(echo: Echo, source_names: dict[int, str]) -> str:
    """Why an echo does not count, as the detail pane says it."""
    if echo.reason == "same-origin":
        names = ", ".join(source_names.get(s, f"source {s}") for s in _ints(echo.shared))
        return f"same origin source ({names})" if names else "same origin source"
    groups = ", ".join(str(g) for g in echo.shared)
    return f"same group ({groups})"


def _ints(values: tuple[int, ...] | tuple[str, ...]) -> list[int]:
    return [v for v in values if isinstance(v, int)]


def _edges(connection: Connection, derivation: Derivation, ids: set[int], echo_reasons: dict[int, str]) -> list[Edge]:
    if not ids:
        return []
    query = text(
        "SELECT id, from_id, to_id, relation, analyst, rationale, recorded, effective, disputed FROM link "
        "WHERE from_id IN :ids AND to_id IN :ids ORDER BY id"
    ).bindparams(bindparam("ids", expanding=True))
    pairs: dict[tuple[int, int], list[Opinion]] = {}
    disputed: set[tuple[int, int]] = set()  # the store keeps the flag on every judgement of such a pair
    for row in connection.execute(query, {"ids": sorted(ids)}):
        pair = pair_of(row.from_id, row.to_id)
        pairs.setdefault(pair, []).append(
            Opinion(
                row.id,
                row.from_id,
                row.to_id,
                row.relation,
                row.analyst or "",
                row.rationale or "",
                as_datetime(row.recorded),
                bool(row.effective),
            )
        )
        if row.disputed:
            disputed.add(pair)
    counted = {e.link for e in (*derivation.supporters, *derivation.contradictors, *derivation.neutrals)}
    internal = set(derivation.internal_links)
    edges = []
    for pair, opinions in pairs.items():
        # The store keeps exactly one effective judgement per pair; the first recorded stands in if it lags.
        drawn = next((o for o in opinions if o.effective), opinions[0])
        inside = drawn.from_id in derivation.cluster and drawn.to_id in derivation.cluster
        if drawn.relation == "repeats" and inside:
            kind = "repeats"
        elif drawn.link in internal:
            kind = "internal"
        elif drawn.link in echo_reasons:
            kind = "echo"
        elif drawn.link in counted:
            kind = "evidence"
        else:
            kind = "context"
        others = sorted((o for o in opinions if o is not drawn), key=lambda o: (o.analyst, o.link))
        edges.append(
            Edge(
                link=drawn.link,
                from_id=drawn.from_id,
                to_id=drawn.to_id,
                relation=drawn.relation,
                kind=kind,
                analyst=drawn.analyst,
                rationale=drawn.rationale,
                reason=echo_reasons.get(drawn.link, ""),
                disputed=pair in disputed,
                opinions=(drawn, *others),
            )
        )
    edges.sort(key=lambda e: e.link)
    return edges


def _claims(connection: Connection, ids: set[int]) -> dict[int, tuple[str, str, str, str, str | None]]:
    query = text(
        "SELECT c.id, c.ext_id, s.name, c.text, c.status, c.verdict FROM claim c JOIN source s ON s.id = c.source_id "
        "WHERE c.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    return {
        int(r[0]): (str(r[1]), str(r[2]), str(r[3]), str(r[4]), r[5])
        for r in connection.execute(query, {"ids": sorted(ids)})
    }


def _source_names(connection: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = text("SELECT id, name FROM source WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    return {int(i): str(n) for i, n in connection.execute(query, {"ids": sorted(ids)})}
