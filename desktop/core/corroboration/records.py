"""What the engine reads and returns: relations, statuses, links seen from a claim, derivations.

The values of ``RELATIONS``, ``EVIDENCE_RELATIONS``, ``STATUSES`` and ``SUGGESTED_CREDIBILITY`` are
defined once, in :mod:`desktop.core.vocab`; here they take the engine's types (Literal elements, a
frozenset, a read-only mapping). The ``Relation`` and ``Status`` literals are spelled out for the type
checker and checked at import to agree with the vocabulary, value for value and in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

from desktop.core import vocab

Relation = Literal["corroborates", "contradicts", "neutral", "repeats"]
Status = Literal["contested", "contradicted", "corroborated", "aligned", "unconfirmed", "unverified"]
EchoReason = Literal["same-origin", "same-group"]


def _spelled_as(literal: Any, values: Iterable[str]) -> tuple[Any, ...]:
    """``values`` as a tuple, checked to be exactly the values of the ``literal`` type, in order.

    Lets a constant keep its Literal element type while its values come from :mod:`desktop.core.vocab`;
    a disagreement fails at import rather than as a comparison that silently never matches.
    """
    result = tuple(values)
    if result != get_args(literal):
        raise AssertionError(f"desktop.core.vocab has {result!r}, the engine's type {literal!r}")
    return result


RELATIONS: Final[tuple[Relation, ...]] = _spelled_as(Relation, vocab.RELATIONS)
EVIDENCE_RELATIONS: Final[frozenset[str]] = frozenset(vocab.EVIDENCE_RELATIONS)
#: In rule order (docs/status-rules.md, rule 6): the first rule that holds wins.
STATUSES: Final[tuple[Status, ...]] = _spelled_as(Status, vocab.STATUSES)
#: Admiralty information credibility suggested by each status (docs/status-rules.md, rule 7).
SUGGESTED_CREDIBILITY: Final[Mapping[str, int]] = MappingProxyType(dict(vocab.SUGGESTED_CREDIBILITY))


# --------------------------------------------------------------------------------------------------
# Links seen from a claim
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkRef:
    """An evidence link seen from one of its claims: ``other`` is the claim at the other end.

    ``corroborates`` and ``contradicts`` are symmetric. ``neutral`` is directed (docs/status-rules.md, rule 4):
    it is evidence on its ``to`` claim only, so ``outgoing`` says whether the claim it is seen from
    is the link's ``from`` (the non-committal statement itself, which gains nothing from it).
    """

    link: int
    other: int
    relation: str
    outgoing: bool = False


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A counted link: ``claim`` (d) is linked to ``via`` (a member of c's cluster) by ``link``."""

    claim: int
    via: int
    link: int
    relation: str
    cross_side: bool


@dataclass(frozen=True, slots=True)
class Echo:
    """A link set aside because ``claim``'s cluster is not independent of c's (it does not count)."""

    claim: int
    via: int
    link: int
    relation: str
    reason: EchoReason
    #: shared origin source ids (``same-origin``) or shared group labels (``same-group``), sorted
    shared: tuple[int, ...] | tuple[str, ...]


def _distinct(items: Iterable[Evidence | Echo]) -> tuple[int, ...]:
    return tuple(sorted({item.claim for item in items}))


@dataclass(frozen=True, slots=True)
class Derivation:
    """Everything the window and the CLI show about one claim's derived status.

    All members of a cluster get equal derivations except for ``claim``. Tuples are sorted by (claim, link).
    """

    claim: int
    cluster: frozenset[int]
    origins: frozenset[int]
    origin_sources: frozenset[int]
    status: Status
    supporters: tuple[Evidence, ...]
    contradictors: tuple[Evidence, ...]
    neutrals: tuple[Evidence, ...]
    echoes: tuple[Echo, ...]
    #: evidence links between two members of the cluster: not evidence, ignored (the window may flag them)
    internal_links: tuple[int, ...]
    suggested_credibility: int
    #: claims outside the cluster that a member addresses by a ``neutral`` link of its own: evidence on
    #: them, not on this claim (docs/status-rules.md, rule 4); sorted, distinct. For the explanation only.
    addresses: tuple[int, ...] = ()

    @property
    def supporter_claims(self) -> tuple[int, ...]:
        """Distinct supporting claims (a claim linked twice is listed once)."""
        return _distinct(self.supporters)

    @property
    def contradictor_claims(self) -> tuple[int, ...]:
        return _distinct(self.contradictors)

    @property
    def neutral_claims(self) -> tuple[int, ...]:
        return _distinct(self.neutrals)

    @property
    def echo_claims(self) -> tuple[int, ...]:
        return _distinct(self.echoes)
