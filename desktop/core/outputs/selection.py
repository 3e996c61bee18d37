"""What an export hands on: the claims a filter finds, as of a moment, with everything they refer to.

Every output (brief, STIX, ClaimReview) starts from one ``Selection``, read in
one transaction so it is a consistent snapshot while the window keeps writing:

- ``document``: the interchange document (DESIGN §3, ``read_document``) cut down
  to the selected claims, the links between them, and the sources, reports,
  places and requests for comment they refer to — ids as in the interchange;
- ``derivations``: each selected claim's derivation (DESIGN §2) over the whole
  workspace as of ``as_of`` (a claim outside the filter still supports or
  contradicts one inside it), keyed by interchange id, with the claims and
  sources it names given by interchange id too;
- ``explanations``: the derivation in the detail pane's sentences, worded when
  asked for (a brief asks claim by claim as it writes; STIX never asks), so a
  large selection never holds them all;
- ``verdict_by``: who last set each verdict and when, from the audit trail.

As of T (DESIGN §2.9): the workspace as it stood at T is replayed from the
audit trail (``desktop.core.history``: later edits, links, unlinks and
deletions undone, claims and links recorded later left out), put in a scratch
workspace, and selected and derived there exactly as the live one; who set each
verdict comes from the live trail, up to T.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from desktop.core import corroboration
from desktop.core.corroboration import Derivation, judgements
from desktop.core.errors import UserError
from desktop.core.gc_pause import collector_paused
from desktop.core.interchange.json_export import read_document
from desktop.core.progress import Progress
from desktop.core.read.records import as_datetime
from desktop.core.search import claim, compile_filter
from desktop.core.store import status
from desktop.core.text import one_line


@dataclass(frozen=True)
class VerdictAuthor:
    analyst: str
    at: dt.datetime


@dataclass
class Selection:
    """The claims an export covers (see the module docstring)."""

    document: dict[str, Any]
    filter: str
    as_of: dt.datetime | None
    generated: dt.datetime
    derivations: dict[str, Derivation] = field(default_factory=dict)
    explanations: Mapping[str, list[str]] = field(default_factory=dict)
    verdict_by: dict[str, VerdictAuthor] = field(default_factory=dict)
    #: internal claim id → interchange id, for every claim the derivations name (selected or not)
    claim_ext: dict[int, str] = field(default_factory=dict)
    #: internal source id → interchange id
    source_ext: dict[int, str] = field(default_factory=dict)

    @property
    def claims(self) -> list[dict[str, Any]]:
        return list(self.document["claims"])

    def by_id(self, section: str) -> dict[str, dict[str, Any]]:
        return {row["id"]: row for row in self.document[section]}

    def ext(self, claims: tuple[int, ...] | frozenset[int]) -> list[str]:
        """Interchange ids of internal claim ids, sorted."""
        return sorted(self.claim_ext[c] for c in claims if c in self.claim_ext)


def gather(
    engine: Engine,
    filter_text: str = "",
    as_of: dt.datetime | None = None,
    *,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    replayed: dict[str, Any] | None = None,
    scratch: Engine | None = None,
) -> Selection:
    """The selection for ``filter_text`` (the window's filter language; empty = every claim) as of ``as_of``.

    A filter the language cannot read raises ``UserError`` with the filter bar's message; a filter that
    matches nothing gives an empty selection (and so an empty but valid output). As of a moment, the
    filter runs over the workspace as it stood, in a scratch workspace: ``scratch``, when the caller has
    made it (``history.scratch.replay_into_scratch``, which also says what a trail cut short could not
    replay), or ``replayed``, the document ``history.as_of`` gave; else one made here — on SQLite a copy
    patched back to the moment, whose cost follows the changes since rather than the workspace (at a million
    claims with 100k changes since: seconds, where importing the replayed document took minutes).
    """
    if as_of is None:
        return _gather(engine, filter_text, progress=progress, now=now)
    from desktop.core.history.scratch import replay_into_scratch, scratch_workspace

    if scratch is not None:
        selection = _gather(scratch, filter_text, progress=progress, now=now)
    elif replayed is not None:
        with scratch_workspace(replayed) as made:
            selection = _gather(made, filter_text, progress=progress, now=now)
    else:
        copy = replay_into_scratch(engine, as_of, progress)  # ``BadMoment`` when nothing was recorded by then
        try:
            selection = _gather(copy.engine, filter_text, progress=progress, now=now)
        finally:
            copy.close()
    with engine.connect() as connection:
        verdicts = _verdict_authors(connection)
    selection.as_of = as_of
    judged = {c["id"] for c in selection.document["claims"] if c["verdict"]}
    selection.verdict_by = {c: author for c, author in verdicts.items() if author.at <= as_of and c in judged}
    return selection


def _gather(engine: Engine, filter_text: str, *, progress: Progress | None, now: dt.datetime | None) -> Selection:
    if progress is not None:
        progress("reading the workspace", 0.0)
    with collector_paused(), engine.connect() as connection, connection.begin():
        chosen = _matching(connection, filter_text)
        if progress is not None:  # each step is also where a cancel is heard
            progress("reading the workspace", 0.1)
        document = read_document(connection)
        if progress is not None:
            progress("reading the workspace", 0.6)
        stored = status.load_judgements(connection)
        graph = status.load_memory_graph(connection, loaded=stored)
        if progress is not None:
            progress("reading the workspace", 0.9)
        disputed = [g for g in judgements.by_pair(stored).values() if judgements.disagree(g)]
        verdicts = _verdict_authors(connection)
        source_ext = {int(i): str(e) for i, e in connection.execute(sa.text("SELECT id, ext_id FROM source"))}
        claim_rows = connection.execute(sa.text("SELECT id, ext_id FROM claim")).all()
    claim_ext = {int(i): str(e) for i, e in claim_rows}
    ext_claim = {e: i for i, e in claim_ext.items()}
    keep = {claim_ext[c] for c in (chosen if chosen is not None else claim_ext)}

    selection = Selection(
        document=_cut(document, keep, everything=chosen is None),
        filter=filter_text,
        as_of=None,
        generated=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        verdict_by={k: v for k, v in verdicts.items() if k in keep},
        claim_ext=claim_ext,
        source_ext=source_ext,
    )
    claims = selection.document["claims"]
    total = len(claims)
    if total:
        # One full pass (about 1 s per 100k claims) beats per-claim resolution for a large selection.
        wanted = {ext_claim[c["id"]] for c in claims}
        if progress is not None:
            progress("deriving the statuses", 0.5)
        derived = corroboration.derive_all(graph) if total > 500 else corroboration.derive_many(graph, wanted)
        selection.derivations = {claim_ext[c]: d for c, d in sorted(derived.items()) if c in wanted}
        selection.explanations = Explanations(selection, document, disputed)
    if progress is not None:
        progress("deriving the statuses", 1.0)
    return selection


def _matching(connection: Connection, filter_text: str) -> set[int] | None:
    """Internal ids the filter finds; None for no filter (every claim)."""
    if not filter_text.strip():
        return None
    result = compile_filter(filter_text, connection.dialect.name, connection=connection)
    if result.parsed.errors:
        raise UserError(f"--filter: {result.message or '; '.join(result.parsed.errors)}")
    if result.where is None:
        return None
    return {int(i) for i in connection.execute(sa.select(claim.c.id).where(result.where)).scalars()}


def _cut(document: dict[str, Any], keep: set[str], *, everything: bool) -> dict[str, Any]:
    """The document restricted to the claims ``keep`` and what they refer to (in document order).

    Without a filter (``everything``) sources, reports, places and requests for comment are all kept,
    referred to or not: the unfiltered JSON export is then the canonical document itself."""
    claims = [c for c in document["claims"] if c["id"] in keep]
    links = [link for link in document["links"] if link["from"] in keep and link["to"] in keep]
    reports = {c["report"] for c in claims if c["report"]}
    places = {p for c in claims for p in c["places"]}
    kept_reports = [r for r in document["reports"] if r["id"] in reports]
    sources = {c["source"] for c in claims} | {r["source"] for r in kept_reports if r["source"]}
    outreach = []
    for row in document["outreach"]:
        about = [c for c in row["about"] if c in keep]
        if about or (everything and not row["about"]):
            outreach.append({**row, "about": about})
            if row.get("by"):
                sources.add(row["by"])  # who asked is a source the document must then hold
    if everything:
        return {**document, "claims": claims, "links": links, "outreach": outreach}
    return {
        **{k: v for k, v in document.items() if not isinstance(v, list)},
        "sources": [s for s in document["sources"] if s["id"] in sources],
        "reports": kept_reports,
        "places": [p for p in document["places"] if p["id"] in places],
        "claims": claims,
        "links": links,
        "outreach": outreach,
    }


class Explanations(Mapping[str, list[str]]):
    """Each selected claim's derivation in the detail pane's sentences, worded on request (not kept).

    Claims are named as the detail pane names them (``[Source] “text…”``), and where analysts disagree on a
    pair touching the claim's assertion the sentences say so. A claim is named in many explanations (every
    member of its cluster, every claim it supports): each name is worded once."""

    def __init__(
        self, selection: Selection, document: dict[str, Any], disputed: list[list[judgements.Judgement]]
    ) -> None:
        self.derivations = selection.derivations
        self.disputes_of: dict[int, list[list[judgements.Judgement]]] = {}
        for pair in disputed:
            for end in {pair[0].from_, pair[0].to}:
                self.disputes_of.setdefault(end, []).append(pair)
        self.claims = {c["id"]: (c["source"], c["text"]) for c in document["claims"]}
        self.sources = {s["id"]: s["name"] for s in document["sources"]}
        self.claim_ext, self.source_ext = selection.claim_ext, selection.source_ext
        self.claim_names: dict[int, str] = {}
        self.source_names: dict[int, str] = {}

    def describe_claim(self, ident: int) -> str:
        name = self.claim_names.get(ident)
        if name is None:
            row = self.claims.get(self.claim_ext.get(ident, ""))
            if row is None:
                name = f"claim {ident}"
            else:
                source, text = row
                name = f"[{one_line(self.sources.get(source, source), 60)}] “{one_line(text, 80)}”"
            self.claim_names[ident] = name
        return name

    def describe_source(self, ident: int) -> str:
        name = self.source_names.get(ident)
        if name is None:
            name = self.source_names[ident] = str(self.sources.get(self.source_ext.get(ident, ""), f"source {ident}"))
        return name

    def __getitem__(self, ext_id: str) -> list[str]:
        derivation = self.derivations[ext_id]
        touching = {id(pair): pair for member in derivation.cluster for pair in self.disputes_of.get(member, ())}
        return corroboration.explain(derivation, self.describe_claim, self.describe_source, touching.values())

    def __iter__(self) -> Iterator[str]:
        return iter(self.derivations)

    def __len__(self) -> int:
        return len(self.derivations)


def _verdict_authors(connection: Connection) -> dict[str, VerdictAuthor]:
    """Who last set each claim's verdict and when (audited updates of the ``verdict`` field)."""
    rows = connection.execute(
        sa.text("SELECT entity_id, analyst, at FROM audit WHERE entity = 'claim' AND field = 'verdict' ORDER BY at, id")
    )
    found: dict[str, VerdictAuthor] = {}
    for entity_id, analyst, at in rows:
        moment = as_datetime(at)
        if moment is not None:
            found[str(entity_id)] = VerdictAuthor(str(analyst), moment)
    return found
