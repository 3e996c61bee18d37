"""Judgements: several analysts' links on one pair of claims, and the one the derivation uses (DESIGN §2).

A link is one analyst's judgement on a pair of claims; each analyst has at most one per pair (in either
direction). The pair's **effective link** is the judgement recorded last; on a tie, the one whose analyst
name sorts last in plain code-point order (Python's ``str`` order). Analysts **disagree** on a pair when
their judgements are not all the same relation in the same direction — direction counts for ``repeats``
and ``neutral`` only, the symmetric relations are the same either way.

Pure: the store keeps an ``effective`` and a ``disputed`` flag on every stored judgement with these
rules, and the full derivations (``status --analyst``, as-of, checks) build their graphs with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DIRECTED = frozenset({"repeats", "neutral"})
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Judgement:
    """One analyst's link on a pair: ``from_`` ``relation`` ``to``."""

    id: int
    from_: int
    to: int
    relation: str
    analyst: str
    recorded: dt.datetime | None

    @property
    def pair(self) -> tuple[int, int]:
        return pair_of(self.from_, self.to)


def pair_of(a: int, b: int) -> tuple[int, int]:
    """The pair of two claims, whatever the direction: (lower id, higher id)."""
    return (a, b) if a <= b else (b, a)


def stance(relation: str, from_: int, to: int) -> tuple[str, int, int]:
    """What a judgement says, comparable across analysts: direction kept for ``repeats``/``neutral`` only."""
    if relation in DIRECTED:
        return (relation, from_, to)
    low, high = pair_of(from_, to)
    return (relation, low, high)


def _rank(judgement: Judgement) -> tuple[dt.datetime, str]:
    recorded = judgement.recorded or _NEVER
    if recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=dt.UTC)
    return (recorded, judgement.analyst)


def effective(judgements: Iterable[Judgement]) -> Judgement:
    """The pair's effective link among its judgements (at least one): latest, then analyst name last."""
    return max(judgements, key=_rank)


def disagree(judgements: Iterable[Judgement]) -> bool:
    """Whether the judgements on one pair are not all the same relation in the same direction."""
    return len({stance(j.relation, j.from_, j.to) for j in judgements}) > 1


def by_pair(judgements: Iterable[Judgement]) -> dict[tuple[int, int], list[Judgement]]:
    grouped: dict[tuple[int, int], list[Judgement]] = {}
    for judgement in judgements:
        grouped.setdefault(judgement.pair, []).append(judgement)
    return grouped


def effective_links(judgements: Iterable[Judgement]) -> list[Judgement]:
    """One effective judgement per pair, in judgement id order."""
    return sorted((effective(group) for group in by_pair(judgements).values()), key=lambda j: j.id)


def disagreements(judgements: Iterable[Judgement]) -> Mapping[int, Sequence[int]]:
    """Claim → the other claims of the pairs on which analysts disagree (sorted, distinct)."""
    others: dict[int, set[int]] = {}
    for (a, b), group in by_pair(judgements).items():
        if disagree(group):
            others.setdefault(a, set()).add(b)
            others.setdefault(b, set()).add(a)
    return {claim: sorted(found) for claim, found in others.items()}


def flags(judgements: Sequence[Judgement]) -> tuple[int, bool]:
    """For the judgements of one pair: the id of the effective one, and whether analysts disagree."""
    return effective(judgements).id, disagree(judgements)
