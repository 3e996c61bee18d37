"""A selection's verdicts as schema.org ClaimReview JSON-LD, one per claim with a verdict (DESIGN §8).

The fields are those Google's fact-check markup requires or recommends:

- ``claimReviewed``: the claim's text;
- ``reviewRating``: a ``Rating`` with ``alternateName`` = the verdict in words
  ("Confirmed", "Refuted", "Inconclusive") and a numeric ``ratingValue`` on a
  1–5 scale (refuted 1, inconclusive 3, confirmed 5) with ``bestRating``/``worstRating``;
- ``itemReviewed``: a ``Claim`` whose ``author`` is the source (a ``Person`` for a
  microblogger or an official, else an ``Organization``, with its URL), whose
  ``datePublished`` is the date the claim was made, and whose ``appearance`` is
  the report it was found in (its URL);
- ``author``: the publishing organisation (from preferences, ``--organisation``);
- ``datePublished``: the day the verdict was set (audit trail), else the claim's record date;
- ``url``: the page of the review, from a template with ``{id}`` (the claim's
  interchange id), by default the organisation's URL with ``#claim-{id}``.

The output is a JSON array of ClaimReview objects (empty when no selected claim
carries a verdict), each with its own ``@context``, ready to paste into a page:
``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no claim text can close the script element.
"""

from __future__ import annotations

import json
from typing import Any, Final

from desktop.core.errors import UserError
from desktop.core.outputs.selection import Selection
from desktop.core.outputs.stix import uri

RATING: Final = {"refuted": 1, "inconclusive": 3, "confirmed": 5}
PERSON_KINDS: Final = frozenset({"microblogger", "official"})


def review_url(template: str | None, organisation_url: str | None, claim_id: str) -> str:
    """The review page's URL for ``claim_id``: ``template`` with ``{id}`` filled in, else the organisation's
    URL with a fragment. Raises ``UserError`` when neither is given (Google requires a URL)."""
    if template:
        if "{id}" not in template:
            raise UserError("the review URL template must contain {id} (e.g. https://example.org/checks/{id})")
        return template.replace("{id}", claim_id)
    if organisation_url:
        return f"{organisation_url.rstrip('#')}#claim-{claim_id}"
    raise UserError(
        "ClaimReview needs a URL for each review: give the organisation's URL (--organisation-url) "
        "or a review URL template (--review-url https://example.org/checks/{id})"
    )


def claim_reviews(
    selection: Selection,
    organisation: str,
    *,
    organisation_url: str | None = None,
    url_template: str | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview dict per selected claim with a verdict, in document order."""
    if not organisation.strip():
        raise UserError(
            "ClaimReview needs the publishing organisation's name: set it in Preferences (or the export "
            "dialog), or pass --organisation NAME (or CROSSCHECK_ORGANISATION)"
        )
    sources = selection.by_id("sources")
    reports = selection.by_id("reports")
    publisher: dict[str, Any] = {"@type": "Organization", "name": organisation}
    if organisation_url:
        publisher["url"] = organisation_url
    reviews = []
    for claim in selection.document["claims"]:
        verdict = claim["verdict"]
        if not verdict:
            continue
        source = sources[claim["source"]]
        author: dict[str, Any] = {
            "@type": "Person" if source["kind"] in PERSON_KINDS else "Organization",
            "name": source["name"],
        }
        if source["url"]:
            author["url"] = uri(source["url"])
        item: dict[str, Any] = {"@type": "Claim", "author": author}
        if claim["claimed"]:
            item["datePublished"] = claim["claimed"]
        report = reports.get(claim["report"]) if claim["report"] else None
        if report is not None and report["url"]:
            appearance = {"@type": "CreativeWork", "url": uri(report["url"])}
            if report["title"]:
                appearance["headline"] = report["title"]
            item["appearance"] = [appearance]
            item["firstAppearance"] = appearance
        by = selection.verdict_by.get(claim["id"])
        reviewed_on = by.at.date().isoformat() if by else claim["recorded"][:10]
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": review_url(url_template, organisation_url, claim["id"]),
                "claimReviewed": claim["text"],
                "itemReviewed": item,
                "author": publisher,
                "datePublished": reviewed_on,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": RATING[verdict],
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": verdict.capitalize(),
                },
                "identifier": claim["id"],
            }
        )
    return reviews


def export_claimreview(
    selection: Selection,
    organisation: str,
    *,
    organisation_url: str | None = None,
    url_template: str | None = None,
) -> bytes:
    """The ClaimReview array as UTF-8 JSON-LD, safe to paste into a ``<script type="application/ld+json">``."""
    reviews = claim_reviews(selection, organisation, organisation_url=organisation_url, url_template=url_template)
    return (script_safe(json.dumps(reviews, ensure_ascii=False, indent=2)) + "\n").encode()


def script_safe(text: str) -> str:
    """JSON that a hostile claim cannot break out of when embedded in HTML: ``<``, ``>`` and ``&`` (which
    only occur inside JSON strings) as ``\\u`` escapes, so ``</script>`` in a claim stays text."""
    return text.translate(_SCRIPT_SAFE)


_SCRIPT_SAFE: Final = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
