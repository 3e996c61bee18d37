"""Every claim's derived status, in interchange ids: what ``crosscheck status`` prints (docs/command-line.md).

For each claim, in internal id order (= document order): ``id``, ``status``
(derived, docs/status-rules.md), ``verdict`` (the analyst's, or null),
``suggested_credibility``, and the sorted, distinct interchange ids of its
``supporters``, ``contradictors``, ``neutral`` claims and ``echoes``, and its
``disagreements``: the other claims of the pairs on which analysts' judgements
disagree (DESIGN §2).

As analyst A: the derivation over A's judgements alone; ``disagreements`` still
compares every analyst's judgements (that is what they are about).

As of T (docs/status-rules.md, rule 9): the same derivation over the workspace as it stood at T,
replayed from the audit trail (``desktop.core.history``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from desktop.core import corroboration
from desktop.core.corroboration import judgements
from desktop.core.store import status

KEYS: Final = (
    "id",
    "status",
    "verdict",
    "suggested_credibility",
    "supporters",
    "contradictors",
    "neutral",
    "echoes",
    "disagreements",
)


def claim_statuses(
    engine: Engine, as_of: dt.datetime | None = None, analyst: str | None = None
) -> list[dict[str, Any]]:
    """One dict per claim with the keys of ``KEYS`` (see the module docstring).

    ``as_of``: the derivation over the workspace as it stood then, replayed from the audit trail
    (``desktop.core.history``).
    """
    if as_of is not None:
        from desktop.core.history import as_of as replay_to
        from desktop.core.history import document_statuses

        return document_statuses(replay_to(engine, as_of).document, analyst)
    with engine.connect() as connection, connection.begin():
        every = status.load_judgements(connection)  # read once: the derivation's and the disagreements'
        chosen = every if analyst is None else [j for j in every if j.analyst == analyst]
        graph = status.load_memory_graph(connection, loaded=chosen)
        disagreements = judgements.disagreements(every)
        rows = connection.execute(sa.text("SELECT id, ext_id, verdict FROM claim ORDER BY id")).all()
    claims = [(ident, ext_id, verdict) for ident, ext_id, verdict in rows]
    return status_rows(corroboration.derive_all(graph), claims, disagreements)


def status_rows(
    derivations: dict[int, corroboration.Derivation],
    claims: list[tuple[int, str, str | None]],
    disagreements: Mapping[int, Sequence[int]] | None = None,
) -> list[dict[str, Any]]:
    """The rows of ``claims`` (engine id, interchange id, verdict), in that order, from their derivations.

    ``disagreements``: claim → the other claims of its pairs on which analysts disagree.
    """
    disagreements = disagreements or {}
    ext = {ident: ext_id for ident, ext_id, _ in claims}

    def ids(found: tuple[int, ...]) -> list[str]:
        return sorted([ext[c] for c in found]) if found else []  # most claims have none: no generator for them

    result = []
    for ident, ext_id, verdict in claims:
        d = derivations[ident]
        values = (
            ext_id,
            d.status,
            verdict,
            d.suggested_credibility,
            ids(d.supporter_claims),
            ids(d.contradictor_claims),
            ids(d.neutral_claims),
            ids(d.echo_claims),
            ids(tuple(c for c in disagreements.get(ident, ()) if c in ext)),
        )
        result.append(dict(zip(KEYS, values, strict=True)))
    return result


def judging_analysts(engine: Engine) -> list[str]:
    """The analysts who have judgements in the workspace, sorted."""
    with engine.connect() as connection:
        return sorted(r[0] for r in connection.execute(sa.text("SELECT DISTINCT analyst FROM link")))


def status_table(rows: list[dict[str, Any]]) -> str:
    """The human form: an aligned text table, one claim per line ("-" for nothing)."""
    header = [key.upper().replace("_", " ") if key != "suggested_credibility" else "SUGGESTED" for key in KEYS]
    lines = [header]
    for row in rows:
        lines.append([_cell(row[key]) for key in KEYS])
    widths = [max(len(line[i]) for line in lines) for i in range(len(KEYS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _cell(value: Any) -> str:
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return ",".join(value)
    return str(value)
