"""Every claim's derived status, in interchange ids: what ``crosscheck status`` prints (docs/command-line.md).

For each claim, in internal id order (= document order): ``id``, ``status``
(derived, docs/status-rules.md), ``verdict`` (the analyst's, or null),
``suggested_credibility``, and the sorted, distinct interchange ids of its
``supporters``, ``contradictors``, ``neutral`` claims and ``echoes``.

As of T (docs/status-rules.md, rule 9): the derivation over the claims and links recorded at or
before T; claims recorded later are left out. Sources have no history, and
verdicts are not versioned, so both are today's.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from desktop.core import corroboration
from desktop.core.errors import UserError
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
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_as_of(text: str) -> dt.datetime:
    """``--as-of``: a date means the END of that day in UTC (everything recorded that day counts);
    a timestamp may carry ``Z`` or an offset, and without either is read as UTC."""
    value = text.strip()
    try:
        if _DAY.fullmatch(value):
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value)
    except ValueError:
        raise UserError(
            f"--as-of must be a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DDTHH:MM:SSZ), not {text!r}"
        ) from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def claim_statuses(engine: Engine, as_of: dt.datetime | None = None) -> list[dict[str, Any]]:
    """One dict per claim with the keys of ``KEYS`` (see the module docstring)."""
    with engine.connect() as connection, connection.begin():
        graph = status.load_memory_graph(connection)
        rows = connection.execute(sa.text("SELECT id, ext_id, verdict FROM claim ORDER BY id")).all()
    if as_of is not None:
        graph = graph.as_of(as_of)
    derivations = corroboration.derive_all(graph)
    ext = {ident: ext_id for ident, ext_id, _ in rows}

    def ids(claims: tuple[int, ...]) -> list[str]:
        return sorted(ext[c] for c in claims)

    result = []
    for ident, ext_id, verdict in rows:
        d = derivations.get(ident)
        if d is None:  # recorded after as_of
            continue
        result.append(
            dict(
                zip(
                    KEYS,
                    (
                        ext_id,
                        d.status,
                        verdict,
                        d.suggested_credibility,
                        ids(d.supporter_claims),
                        ids(d.contradictor_claims),
                        ids(d.neutral_claims),
                        ids(d.echo_claims),
                    ),
                    strict=True,
                )
            )
        )
    return result


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
