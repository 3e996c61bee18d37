"""Statuses over an interchange document: what ``status --as-of`` derives over the replayed workspace."""

from __future__ import annotations

from typing import Any

from desktop.core import corroboration
from desktop.core.corroboration import MemoryGraph


def document_graph(document: dict[str, Any]) -> tuple[MemoryGraph, list[str]]:
    """The engine's graph of a document (claims numbered in document order) and the claims' ids."""
    graph = MemoryGraph()
    sources: dict[str, int] = {}
    for number, source in enumerate(document["sources"], 1):
        sources[source["id"]] = number
        graph.add_source(number, source["side"] or "", source["group"] or "")
    claims: dict[str, int] = {}
    for number, claim in enumerate(document["claims"], 1):
        claims[claim["id"]] = number
        graph.add_claim(number, sources[claim["source"]])
    for number, link in enumerate(document["links"], 1):
        graph.add_link(number, claims[link["from"]], claims[link["to"]], link["relation"])
    return graph, [claim["id"] for claim in document["claims"]]


def document_statuses(document: dict[str, Any]) -> list[dict[str, Any]]:
    """``crosscheck status`` rows (``status_report.KEYS``) for every claim of ``document``, in its order."""
    from desktop.core.interchange.status_report import status_rows

    graph, ext_ids = document_graph(document)
    derivations = corroboration.derive_all(graph)
    claims = [(number, ext_id, claim["verdict"]) for number, (ext_id, claim) in
              enumerate(zip(ext_ids, document["claims"], strict=True), 1)]  # fmt: skip
    return status_rows(derivations, claims)
