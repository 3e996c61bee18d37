"""A derivation in plain sentences, for the detail pane."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from desktop.core.corroboration import judgements
from desktop.core.corroboration.judgements import Judgement
from desktop.core.corroboration.records import Derivation, Echo, Evidence


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _join(items: Sequence[str]) -> str:
    return "; ".join(items)


_Item = TypeVar("_Item", Evidence, Echo)


def _grouped(items: Iterable[_Item]) -> dict[int, list[_Item]]:
    grouped: dict[int, list[_Item]] = {}
    for item in items:
        grouped.setdefault(item.claim, []).append(item)
    return grouped


def explain(
    derivation: Derivation,
    describe_claim: Callable[[int], str],
    describe_source: Callable[[int], str] | None = None,
    disputes: Iterable[Sequence[Judgement]] = (),
) -> list[str]:
    """The derivation in plain sentences for the detail pane: the status line first, then the reasons.

    ``describe_claim`` renders a claim for a reader (e.g. its source and a short quote); ``describe_source``
    (optional) names sources, used when explaining why a link was set aside as an echo. A claim linked
    by several links is listed once, with the number of links. ``disputes``: every analyst's judgements
    on each pair touching the claim's assertion (its cluster) on which they disagree; each becomes a
    sentence saying who says what and whose judgement is the effective link (DESIGN §2).
    """
    d = derivation
    supporters = _grouped(d.supporters)
    contradictors = _grouped(d.contradictors)
    neutrals = _grouped(d.neutrals)
    echoes = _grouped(d.echoes)
    cross = [c for c, items in supporters.items() if items[0].cross_side]  # cross_side is per claim

    def names(claims: Iterable[int]) -> str:
        return _join([describe_claim(c) for c in claims])

    def origin(n: int) -> str:
        # "Independent" is said of origins, never of a source's trustworthiness (docs/status-rules.md).
        return "a claim from an independent origin" if n == 1 else "claims from independent origins"

    lines: list[str] = []
    if d.status == "contested":
        lines.append(
            f"Contested: claims from independent origins both support it ({names(supporters)}) "
            f"and contradict it ({names(contradictors)})."
        )
    elif d.status == "contradicted":
        lines.append(
            f"Contradicted: contradicted by {origin(len(contradictors))} ({names(contradictors)}); "
            "nothing from an independent origin supports it."
        )
    elif d.status == "corroborated":
        lines.append(
            f"Corroborated: supported by {origin(len(cross))} on another side (or unaligned) ({names(cross)})."
        )
    elif d.status == "aligned":
        lines.append(
            f"Aligned: supported only from its own side ({names(supporters)}); "
            "nothing from an independent origin on another side, nor an unaligned one, confirms it yet."
        )
    elif d.status == "unconfirmed":
        lines.append(
            f"Unconfirmed: addressed by {origin(len(neutrals))} that "
            f"{'neither confirms nor denies' if len(neutrals) == 1 else 'neither confirm nor deny'} it "
            f"({names(neutrals)}); nobody confirms or denies it."
        )
    elif echoes:
        lines.append(
            "Unverified: nothing from an independent origin supports, contradicts or addresses it; "
            "every link found traces back to its own origin and was set aside as an echo."
        )
    else:
        lines.append("Unverified: no other claim supports, contradicts or addresses it.")

    others = sorted(d.cluster - {d.claim})
    if others:
        lines.append(
            f"Counted as one assertion with {_plural(len(others), 'claim', 'claims')} that it repeats or "
            f"that repeat it ({names(others)}); evidence on any of them counts for all."
        )
        lines.append(f"Originated by: {names(sorted(d.origins))}.")

    def detail(items: Sequence[Evidence | Echo]) -> str:
        vias = sorted({e.via for e in items if e.via != d.claim})
        note = f" (linked to {names(vias)}, part of the same assertion)" if vias else ""
        return note + (f" [{len(items)} links]" if len(items) > 1 else "")

    for c, evidence in supporters.items():
        side = "from another side (or unaligned)" if evidence[0].cross_side else "from the same side"
        lines.append(f"Supports it, {side}: {describe_claim(c)}{detail(evidence)}.")
    for c, evidence in contradictors.items():
        lines.append(f"Contradicts it: {describe_claim(c)}{detail(evidence)}.")
    for c, evidence in neutrals.items():
        lines.append(f"Neither confirms nor denies it: {describe_claim(c)}{detail(evidence)}.")
    for c, set_aside in echoes.items():
        echo = set_aside[0]  # the reason depends on the two clusters only, so it is the same for every link
        if echo.reason == "same-origin":
            sources = [describe_source(s) for s in echo.shared if isinstance(s, int)] if describe_source else []
            named = f" ({_join(sources)})" if sources else ""
            why = f"it traces back to the same origin source as this claim{named}"
        else:
            groups = ", ".join(f"“{g}”" for g in echo.shared)
            why = f"its origin source is in the same group as this claim's origin source ({groups})"
        relations = "/".join(sorted({e.relation for e in set_aside}))
        lines.append(
            f"Set aside as an echo ({relations}): {describe_claim(c)}{detail(set_aside)} — {why}, "
            "so it is not independent and does not count."
        )
    if d.addresses:
        lines.append(
            f"Its own “neither confirms nor denies” on {names(d.addresses)} is evidence on "
            f"{'that claim' if len(d.addresses) == 1 else 'those claims'}, not on this one."
        )
    if d.internal_links:
        lines.append(
            f"Ignored: {_plural(len(d.internal_links), 'link', 'links')} between claims of this same assertion "
            "— claims that repeat one another cannot confirm or deny one another."
        )
    for pair in sorted(disputes, key=lambda group: min(j.id for j in group)):
        lines.append(disagreement(pair, d, describe_claim))
    return lines


def disagreement(pair: Sequence[Judgement], derivation: Derivation, describe_claim: Callable[[int], str]) -> str:
    """One sentence on a pair analysts disagree on: who says what, and whose judgement the derivation uses.

    Said from the side of the explained claim (or the member of its assertion the pair touches), e.g.
    "Analysts disagree on its link with [X] “…”: anna says corroborates, boris says contradicts; the
    effective link is boris's (the latest)."
    """
    first = pair[0]
    if derivation.claim in (first.from_, first.to):
        here = derivation.claim
    else:
        here = first.from_ if first.from_ in derivation.cluster else first.to
    other = first.to if here == first.from_ else first.from_
    own = "this claim" if here == derivation.claim else describe_claim(here)
    subject = "its link" if here == derivation.claim else f"the link of {own} (part of the same assertion)"
    ordered = sorted(pair, key=lambda j: (j.analyst, j.id))
    said = ", ".join(f"{j.analyst or 'someone'} says {_stance_words(j, here, own)}" for j in ordered)
    chosen = judgements.effective(pair)
    tied = [j for j in pair if j is not chosen and j.recorded == chosen.recorded]
    why = "recorded at the same moment; the analyst name that sorts last decides" if tied else "the latest"
    return (
        f"Analysts disagree on {subject} with {describe_claim(other)}: {said}; "
        f"the effective link, which the status uses, is {chosen.analyst or 'someone'}'s ({why})."
    )


def _stance_words(judgement: Judgement, here: int, own: str) -> str:
    """What one judgement says, seen from claim ``here`` (called ``own``): direction only where it counts."""
    relation = judgement.relation
    if relation not in judgements.DIRECTED:
        return relation
    verb = "repeats" if relation == "repeats" else "neither confirms nor denies"
    return f"{own} {verb} it" if judgement.from_ == here else f"it {verb} {own}"
