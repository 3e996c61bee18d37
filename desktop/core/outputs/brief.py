"""The brief: what an editor reads about a selection, as plain data and as Markdown (DESIGN §8).

``build_brief`` turns a ``Selection`` into a ``Brief``: a header (title, filter,
as-of time, counts), the claims grouped by derived status in rule order (the
worst news first: contested, contradicted, … unverified), and the requests for
comment still awaiting an answer. Each claim carries its source and grade
(``B2``: the source's Admiralty reliability and the analyst's credibility, or the
suggested one marked ``*``), its dates, places, the explanation in words, the
analyst's verdict (who set it, and whether the evidence disputes it) and its own
requests for comment. ``brief_markdown`` writes it as Markdown with every piece
of workspace text escaped, so a claim cannot inject headings, links or HTML;
``brief_html`` (``brief_html.py``) writes the same as a self-contained page.

A brief of 100,000 claims must not hold 100,000 of everything: a group holds
its claims' ids in order, and each ``BriefClaim`` (with its explanation in
words) is made when the writer reaches it; ``markdown_chunks`` yields the
document piece by piece for a caller that streams it to a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, overload

from desktop.core.corroboration import verdict_disputed
from desktop.core.outputs.selection import Selection
from desktop.core.progress import Progress
from desktop.core.status_marks import DISPUTED_GLYPH, STATUS_GLYPHS
from desktop.core.vocab import STATUSES

STATUS_TITLES: Final = {
    "contested": "Contested — independent sources both support and contradict it",
    "contradicted": "Contradicted — an independent source says it cannot be true",
    "corroborated": "Corroborated — supported by an independent source from another side",
    "aligned": "Aligned — supported only from its own side",
    "unconfirmed": "Unconfirmed — addressed, but neither confirmed nor denied",
    "unverified": "Unverified — a single source so far",
}
PRECISION_WORDS: Final = {"day": "", "week": "week of ", "month": "month of ", "approx": "about "}


@dataclass(frozen=True)
class Request:
    party: str
    contacted: str | None
    status: str
    response: str | None
    about: tuple[str, ...] = ()

    def sentence(self) -> str:
        when = f" on {self.contacted}" if self.contacted else ""
        if self.status == "pending":
            return f"{self.party}, asked{when}: no answer yet"
        if self.status == "declined":
            return f"{self.party}, asked{when}: declined to comment"
        answer = f": “{self.response}”" if self.response else ""
        return f"{self.party}, asked{when}, answered{answer}"


@dataclass(frozen=True)
class BriefClaim:
    id: str
    text: str
    source: str
    grade: str  # "B2", or "B6*" when the credibility is the suggested one
    graded: bool  # False: the credibility digit is suggested, not the analyst's
    kind: str
    claimed: str | None
    event: str | None  # "2022-12-14", "about 2022-12-10", "2022-05-31 – 2022-11-30"
    places: tuple[str, ...]
    report: str | None  # the report's title
    report_url: str | None
    explanation: tuple[str, ...]
    verdict: str | None
    verdict_by: str | None
    verdict_disputed: bool
    requests: tuple[Request, ...]


class Claims(Sequence[BriefClaim]):
    """One group's claims in order, each made when it is read (and not kept)."""

    def __init__(self, ids: list[str], make: Callable[[str], BriefClaim]) -> None:
        self.ids, self.make = ids, make

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> BriefClaim: ...
    @overload
    def __getitem__(self, index: slice) -> list[BriefClaim]: ...
    def __getitem__(self, index: int | slice) -> BriefClaim | list[BriefClaim]:
        if isinstance(index, slice):
            return [self.make(i) for i in self.ids[index]]
        return self.make(self.ids[index])

    def __iter__(self) -> Iterator[BriefClaim]:
        return (self.make(i) for i in self.ids)


@dataclass
class Brief:
    title: str
    filter: str
    as_of: dt.datetime | None
    generated: dt.datetime
    groups: dict[str, Sequence[BriefClaim]] = field(default_factory=dict)  # status → claims, in rule order
    pending: list[Request] = field(default_factory=list)
    suggested: bool = False  # some claim's credibility is the suggested one (the footnote explains the *)

    @property
    def total(self) -> int:
        return sum(len(claims) for claims in self.groups.values())

    @property
    def moment(self) -> str:
        """The workspace's as-of time in words."""
        if self.as_of is None:
            return f"as it stood at {_stamp(self.generated)} (now)"
        return f"as it stood at {_stamp(self.as_of)}"

    def counts(self) -> Iterator[tuple[str, int]]:
        for status in STATUSES:
            yield status, len(self.groups.get(status, []))


def build_brief(selection: Selection, title: str = "Brief", *, progress: Progress | None = None) -> Brief:
    """The brief of ``selection`` (see the module docstring); ``progress`` follows the claims as they are made."""
    doc = selection.document
    sources = selection.by_id("sources")
    reports = selection.by_id("reports")
    places = selection.by_id("places")
    claims = selection.by_id("claims")
    requests_by_claim: dict[str, list[Request]] = {}
    brief = Brief(title=title, filter=selection.filter, as_of=selection.as_of, generated=selection.generated)
    for row in doc["outreach"]:
        request = Request(row["party"], row["contacted"], row["status"], row["response"], tuple(row["about"]))
        if request.status == "pending":
            brief.pending.append(request)
        for claim_id in request.about:
            requests_by_claim.setdefault(claim_id, []).append(request)
    ordered = sorted(doc["claims"], key=lambda c: (c["claimed"] or c["recorded"][:10], c["id"]))
    groups: dict[str, list[str]] = {status: [] for status in STATUSES}
    for c in ordered:
        derivation = selection.derivations.get(c["id"])
        groups[derivation.status if derivation else "unverified"].append(c["id"])
    brief.suggested = any(c["credibility"] is None for c in ordered)
    total, made = len(ordered), 0

    def make(ident: str) -> BriefClaim:
        nonlocal made
        c = claims[ident]
        derivation = selection.derivations.get(ident)
        status = derivation.status if derivation else "unverified"
        source = sources[c["source"]]
        suggested = derivation.suggested_credibility if derivation else 6
        report = reports.get(c["report"]) if c["report"] else None
        by = selection.verdict_by.get(ident)
        made += 1
        if progress is not None and made % 2000 == 0:
            progress("writing the brief", min(made, total) / total)
        return BriefClaim(
            id=ident,
            text=c["text"],
            source=source["name"],
            grade=f"{source['reliability']}{c['credibility'] or suggested}{'' if c['credibility'] else '*'}",
            graded=c["credibility"] is not None,
            kind=c["kind"],
            claimed=c["claimed"],
            event=event_words(c["event"]),
            places=tuple(places[p]["name"] for p in c["places"] if p in places),
            report=report["title"] if report else None,
            report_url=report["url"] if report else None,
            explanation=tuple(selection.explanations[ident]) if ident in selection.derivations else (),
            verdict=c["verdict"],
            verdict_by=f"{by.analyst}, {by.at.date().isoformat()}" if by else None,
            verdict_disputed=verdict_disputed(c["verdict"], status),
            requests=tuple(requests_by_claim.get(ident, ())),
        )

    brief.groups = {status: Claims(ids, make) for status, ids in groups.items() if ids}
    return brief


def event_words(event: dict[str, Any] | None) -> str | None:
    """An event's dates in words: ``2022-12-14``, ``about 2022-12-10``, ``2022-05-31 – 2022-11-30 (about)``."""
    if not event or not (event.get("start") or event.get("end")):
        return None
    precision = event.get("precision") or "day"
    start, end = event.get("start"), event.get("end")
    if start and end and start != end:
        span = f"{start} – {end}"
        return span if precision == "day" else f"{span} ({precision.replace('approx', 'about')})"
    return f"{PRECISION_WORDS.get(precision, '')}{start or end}"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- Markdown --------------------------------------------------------------------------------------------

# The ASCII punctuation that opens something inline in CommonMark or GFM (emphasis, code, links, images,
# HTML, tables, strikethrough, entities); a backslash before any of them makes it a plain character.
# Parentheses need none: they only mean something right after "]", which is escaped. The backslash goes
# first, so the escapes added after it are not escaped again. (A brief escapes millions of strings: a
# search for any of them, then str.replace, is many times faster than a substitution or a translation.)
_MARKDOWN_SPECIAL: Final = "\\`*_[]<>!|~&"
_ANY_SPECIAL = re.compile(r"[\\`*_\[\]<>!|~&]")
# What would open a block at the start of a line: a heading, a list item, a rule, a setext underline.
_BLOCK_MARKS: Final = "#+=-"
_ORDERED_MARK = re.compile(r"^(\d+)([.)])")


def md(text: str) -> str:
    """Workspace text as inline Markdown: on one line, with every special character escaped, and nothing
    at its start that would open a block (it may be the first thing on a line)."""
    escaped = " ".join(text.split())
    if _ANY_SPECIAL.search(escaped):
        for special in _MARKDOWN_SPECIAL:
            if special in escaped:
                escaped = escaped.replace(special, "\\" + special)
    if not escaped:
        return escaped
    if escaped[0] in _BLOCK_MARKS:
        return "\\" + escaped
    return _ORDERED_MARK.sub(r"\1\\\2", escaped) if escaped[0].isdigit() else escaped


def brief_markdown(brief: Brief) -> str:
    """The brief as a Markdown document."""
    return "".join(markdown_chunks(brief))


def markdown_chunks(brief: Brief) -> Iterator[str]:
    """The Markdown document in pieces: the header, then one piece per claim, then the footnote."""
    out: list[str] = [f"# {md(brief.title)}", ""]
    out.append(f"Workspace {brief.moment}; {brief.total} claim{'s' if brief.total != 1 else ''}.")
    if brief.filter.strip():
        out.append(f"Filter: `{brief.filter.replace('`', 'ʼ')}`.")
    out.append("")
    if brief.total:
        out += ["| Status | Claims |", "| --- | ---: |"]
        out += [f"| {STATUS_GLYPHS[s]} {s} | {n} |" for s, n in brief.counts() if n]
        out.append("")
    else:
        out += ["No claim matches.", ""]
    if brief.pending:
        out += ["## Requests for comment awaiting an answer", ""]
        out += [f"- {md(r.sentence())} (about {', '.join(md(c) for c in r.about)})" for r in brief.pending]
        out.append("")
    yield "\n".join(out)
    for status, claims in brief.groups.items():
        yield f"\n## {STATUS_GLYPHS[status]} {md(STATUS_TITLES[status])} ({len(claims)})\n"
        for claim in claims:
            yield "\n" + "\n".join(_claim_markdown(claim))
    if brief.suggested:
        yield "\n---\n\n\\* credibility suggested by the evidence (DESIGN §2.7); no analyst has graded it yet.\n"


def _claim_markdown(claim: BriefClaim) -> list[str]:
    grade = claim.grade.replace("*", "\\*")
    out = [f"### {md(claim.source)} — {grade}", "", f"> {md(claim.text)}", ""]
    facts = [f"id `{claim.id.replace('`', 'ʼ')}`", claim.kind]
    if claim.claimed:
        facts.append(f"claimed {claim.claimed}")
    if claim.event:
        facts.append(f"event {claim.event}")
    if claim.places:
        facts.append("places: " + ", ".join(md(p) for p in claim.places))
    out += ["- " + " · ".join(facts)]
    if claim.report:
        link = f" <{claim.report_url}>" if claim.report_url and _is_web(claim.report_url) else ""
        out.append(f"- Found in: {md(claim.report)}{link}")
    if claim.verdict:
        by = f" ({md(claim.verdict_by)})" if claim.verdict_by else ""
        flag = f" — {DISPUTED_GLYPH} the evidence disputes this verdict" if claim.verdict_disputed else ""
        out.append(f"- Verdict: **{claim.verdict}**{by}{flag}")
    for request in claim.requests:
        out.append(f"- Request for comment: {md(request.sentence())}")
    out += ["", *(f"{md(line)}  " for line in claim.explanation), ""]
    return out


def _is_web(url: str) -> bool:
    """Only http(s) URLs become links, and only those without characters that would end an autolink."""
    return url.startswith(("http://", "https://")) and not any(ch in url for ch in "<> \t\r\n")
