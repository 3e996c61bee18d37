"""Statuses over an interchange document: what ``status --as-of`` derives over the replayed workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.core import corroboration
from desktop.core.corroboration import MemoryGraph, judgements


def document_graph(document: dict[str, Any], analyst: str | None = None) -> tuple[MemoryGraph, list[str]]:
    """The engine's graph of a document (claims numbered in document order) and the claims' ids.

    Its links are each pair's effective link among the document's judgements (of ``analyst`` alone,
    when given).
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
    chosen = [j for j in _judgements(document, claims) if analyst is None or j.analyst == analyst]
    for j in judgements.effective_links(chosen):
        graph.add_link(j.id, j.from_, j.to, j.relation)
    return graph, [claim["id"] for claim in document["claims"]]


def _judgements(document: dict[str, Any], claims: dict[str, int]) -> list[judgements.Judgement]:
    found = []
    for number, link in enumerate(document["links"], 1):
        recorded = link.get("recorded")
        when = dt.datetime.fromisoformat(recorded.replace("Z", "+00:00")) if recorded else None
        found.append(
            judgements.Judgement(
                number, claims[link["from"]], claims[link["to"]], link["relation"], link.get("analyst") or "", when
            )
        )
    return found


def document_statuses(document: dict[str, Any], analyst: str | None = None) -> list[dict[str, Any]]:
    """``crosscheck status`` rows (``status_report.KEYS``) for every claim of ``document``, in its order."""
    from desktop.core.interchange.status_report import status_rows

    graph, ext_ids = document_graph(document, analyst)
    numbers = {ext_id: number for number, ext_id in enumerate(ext_ids, 1)}
    disagreements = judgements.disagreements(_judgements(document, numbers))
    derivations = corroboration.derive_all(graph)
    claims = [(number, ext_id, claim["verdict"]) for number, (ext_id, claim) in
              enumerate(zip(ext_ids, document["claims"], strict=True), 1)]  # fmt: skip
    return status_rows(derivations, claims, disagreements)
