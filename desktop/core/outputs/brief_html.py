"""The brief as one self-contained, safe HTML page (and the HTML the PDF writer lays out).

Self-contained: the style sheet is inline, nothing is fetched (no fonts, images or
scripts), and a Content-Security-Policy forbids the page from loading or running
anything even if it were tampered with. Safe: every piece of workspace text goes
through ``html.escape`` (quotes too), and only http(s) URLs become links, with
``rel="noopener noreferrer"``. The markup is the simple HTML that Qt's
``QTextDocument`` also lays out, so the PDF is this page printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Final

from desktop.core.outputs.brief import STATUS_TITLES, Brief, BriefClaim
from desktop.core.status_marks import DISPUTED_GLYPH, STATUS_COLOURS, STATUS_GLYPHS

# The light variant of the window's status colours: the brief, printed on white, reads as the table.
COLOURS: Final = {status: light for status, (light, _dark) in STATUS_COLOURS.items()}
STYLE: Final = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; color: #1f2328;
       max-width: 52em; margin: 2em auto; line-height: 1.4; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 13.5pt; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 11pt; margin: 1.2em 0 0.2em 0; }
blockquote { margin: 0.2em 0 0.4em 0; padding-left: 0.8em; border-left: 3px solid #d0d7de; font-size: 11pt; }
.meta { color: #57606a; font-size: 9.5pt; }
.why { margin: 0.2em 0 0 0; }
.flag { color: #c92a2a; font-weight: bold; }
table.counts { border-collapse: collapse; }
table.counts td { padding: 1px 10px 1px 0; }
"""
_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; form-action 'none'"


def e(text: str) -> str:
    return escape(text, quote=True)


def brief_html(brief: Brief) -> str:
    """The brief as a complete HTML document."""
    return "".join(html_chunks(brief))


def html_chunks(brief: Brief) -> Iterator[str]:
    """The HTML document in pieces, for a caller that streams it to a file."""
    yield PROLOGUE_START + f"<title>{e(brief.title)}</title>\n" + PROLOGUE_END
    yield from iter_body_parts(brief)
    yield EPILOGUE


PROLOGUE_START: Final = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
    '<meta name="referrer" content="no-referrer">\n'
)
PROLOGUE_END: Final = f"<style>{STYLE}</style>\n</head>\n<body>\n"
EPILOGUE: Final = "</body>\n</html>\n"


def body_parts(brief: Brief, claims_per_part: int = 500) -> list[str]:
    """The page's body in pieces (the header, then groups of claims, then the footnote), so a long brief can
    be laid out and reported on part by part (the PDF writer does)."""
    return list(iter_body_parts(brief, claims_per_part))


def iter_body_parts(brief: Brief, claims_per_part: int = 500) -> Iterator[str]:
    """``body_parts`` one by one: each group of claims is made only when it is written."""
    head = [
        f"<h1>{e(brief.title)}</h1>\n",
        f'<p class="meta">Workspace {e(brief.moment)}; {brief.total} claim{"s" if brief.total != 1 else ""}.',
    ]
    if brief.filter.strip():
        head.append(f" Filter: <code>{e(brief.filter)}</code>.")
    head.append("</p>\n")
    if brief.total:
        head.append('<table class="counts">\n')
        for status, n in brief.counts():
            if n:
                head.append(
                    f'<tr><td style="color:{COLOURS[status]}">{STATUS_GLYPHS[status]} {status}</td><td>{n}</td></tr>\n'
                )
        head.append("</table>\n")
    else:
        head.append("<p>No claim matches.</p>\n")
    if brief.pending:
        head.append("<h2>Requests for comment awaiting an answer</h2>\n<ul>\n")
        for r in brief.pending:
            head.append(f'<li>{e(r.sentence())} <span class="meta">(about {e(", ".join(r.about))})</span></li>\n')
        head.append("</ul>\n")
    yield "".join(head)
    for status, claims in brief.groups.items():
        colour = COLOURS[status]
        heading = (
            f'<h2 style="color:{colour}">{STATUS_GLYPHS[status]} {e(STATUS_TITLES[status])} ({len(claims)})</h2>\n'
        )
        for start in range(0, len(claims), claims_per_part):
            chunk = "".join(_claim_html(c, colour) for c in claims[start : start + claims_per_part])
            yield (heading if start == 0 else "") + chunk
    if brief.suggested:
        yield '<hr>\n<p class="meta">* credibility suggested by the evidence; no analyst has graded it yet.</p>\n'


def _claim_html(claim: BriefClaim, colour: str) -> str:
    out = [
        f'<h3 id="{e(claim.id)}">{e(claim.source)} — <span style="color:{colour}">{e(claim.grade)}</span></h3>\n',
        f"<blockquote>{e(claim.text)}</blockquote>\n",
    ]
    facts = [f"id {e(claim.id)}", e(claim.kind)]
    if claim.claimed:
        facts.append(f"claimed {e(claim.claimed)}")
    if claim.event:
        facts.append(f"event {e(claim.event)}")
    if claim.places:
        facts.append("places: " + e(", ".join(claim.places)))
    out.append(f'<p class="meta">{" · ".join(facts)}')
    if claim.report:
        title = e(claim.report)
        if claim.report_url and claim.report_url.startswith(("http://", "https://")):
            title = f'<a href="{e(claim.report_url)}" rel="noopener noreferrer">{title}</a>'
        out.append(f"<br>Found in: {title}")
    if claim.verdict:
        by = f" ({e(claim.verdict_by)})" if claim.verdict_by else ""
        out.append(f"<br>Verdict: <b>{e(claim.verdict)}</b>{by}")
        if claim.verdict_disputed:
            out.append(f' <span class="flag">{DISPUTED_GLYPH} the evidence disputes this verdict</span>')
    for request in claim.requests:
        out.append(f"<br>Request for comment: {e(request.sentence())}")
    out.append("</p>\n")
    out += [f'<p class="why">{e(line)}</p>\n' for line in claim.explanation]
    return "".join(out)
