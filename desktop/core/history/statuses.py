"""Statuses over an interchange document: what ``status --as-of`` derives over the replayed workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.core import corroboration
from desktop.core.corroboration import MemoryGraph, judgements
from desktop.core.gc_pause import without_gc


def document_graph(
    document: dict[str, Any], analyst: str | None = None, found: list[judgements.Judgement] | None = None
) -> tuple[MemoryGraph, list[str]]:
    """The engine's graph of a document (claims numbered in document order) and the claims' ids.

    Its links are each pair's effective link among the document's judgements (of ``analyst`` alone,
    when given); ``found``: the document's judgements, when the caller has read them already.
    """
    graph = MemoryGraph()
    sources: dict[str, int] = {}
    for number, source in enumerate(document["sources"], 1):
        sources[source["id"]] = number
        graph.add_source(number, source["side"] or "", source["group"] or "")
    claims: dict[str, int] = {}
    for number, claim in enumerate(document["claims"], 1):
        claims[claim["id"]] = number
        graph.add_claim(number, sources[claim["source"]])
    if found is None:
        found = _judgements(document, claims)
    chosen = found if analyst is None else [j for j in found if j.analyst == analyst]
    for j in judgements.effective_links(chosen):
        graph.add_link(j.id, j.from_, j.to, j.relation)
    return graph, [claim["id"] for claim in document["claims"]]


def _judgements(document: dict[str, Any], claims: dict[str, int]) -> list[judgements.Judgement]:
    found = []
    parsed: dict[str, dt.datetime] = {}  # many links share a recorded time (an import's, a batch's)
    for number, link in enumerate(document["links"], 1):
        recorded = link.get("recorded")
        when = None
        if recorded:
            when = parsed.get(recorded)
            if when is None:
                when = parsed[recorded] = dt.datetime.fromisoformat(recorded.replace("Z", "+00:00"))
        found.append(
            judgements.Judgement(
                number, claims[link["from"]], claims[link["to"]], link["relation"], link.get("analyst") or "", when
            )
        )
    return found


@without_gc  # a few objects per claim and link, none in a cycle (desktop/core/gc_pause.py)
def document_statuses(document: dict[str, Any], analyst: str | None = None) -> list[dict[str, Any]]:
    """``crosscheck status`` rows (``status_report.KEYS``) for every claim of ``document``, in its order."""
    from desktop.core.interchange.status_report import status_rows

    numbers = {claim["id"]: number for number, claim in enumerate(document["claims"], 1)}
    found = _judgements(document, numbers)
    graph, ext_ids = document_graph(document, analyst, found)
    disagreements = judgements.disagreements(found)
    derivations = corroboration.derive_all(graph)
    claims = [(number, ext_id, claim["verdict"]) for number, (ext_id, claim) in
              enumerate(zip(ext_ids, document["claims"], strict=True), 1)]  # fmt: skip
    return status_rows(derivations, claims, disagreements)
