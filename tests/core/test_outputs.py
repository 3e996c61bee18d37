"""Exports that hand work on (DESIGN §8): STIX 2.1, ClaimReview, the brief, filtered JSON and CSV.

Every format is checked on the sample workspace, on a filter that matches
nothing (valid, empty output), and on a workspace whose texts are hostile HTML
and Markdown (escaped everywhere).
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import re
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_string

from desktop.core.errors import UserError
from desktop.core.interchange import export_csv, export_json, import_json
from desktop.core.outputs import Options, build_brief, format_for, gather, render
from desktop.core.outputs.brief import brief_markdown, md
from desktop.core.outputs.claimreview import claim_reviews
from desktop.core.outputs.stix import reliability_label
from desktop.core.workspace import Workspace

HOSTILE = "<script>alert('x')</script> <img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) & ]]>"
NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
ORG = Options(organisation="Example Desk", organisation_url="https://desk.example/")


def _hostile_document() -> dict[str, Any]:
    claim = {
        "kind": "event",
        "claimed": "2022-12-14",
        "event": {"start": "2022-12-14", "end": None, "precision": "day"},
        "credibility": 2,
        "likelihood": None,
        "reviewed": False,
        "tags": ["<b>tag</b>"],
        "notes": "",
        "recorded": "2022-12-15T09:00:00Z",
    }
    return {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [
            {"id": "s-1", "name": "</h3><h1>Evil</h1>", "kind": "microblogger", "side": "russia", "group": None,
             "reliability": "C", "url": "https://evil.example/?a=<b>&c=\"d\"", "aliases": [], "notes": "<i>n</i>"},
            {"id": "s-2", "name": "Other & Co", "kind": "news-outlet", "side": "ukraine", "group": None,
             "reliability": "B", "url": None, "aliases": [], "notes": ""},
        ],
        "reports": [
            {"id": "r-1", "title": "<title>pwn</title>", "source": "s-1", "url": "https://evil.example/\"><script>alert(2)</script>",
             "published": "2022-12-14", "language": "en", "text": ""}
        ],
        "places": [
            {"id": "p-1", "name": "<svg onload=alert(3)>", "aliases": [], "region": None, "lat": 48.5, "lon": 38.0},
            {"id": "p-2", "name": "Nowhere", "aliases": [], "region": None, "lat": None, "lon": None},
        ],
        "claims": [
            {**claim, "id": "c-1", "text": HOSTILE, "source": "s-1", "report": "r-1", "places": ["p-1", "p-2"],
             "verdict": "refuted"},
            {**claim, "id": "c-2", "text": "# Heading\n- list item </script>", "source": "s-2", "report": None,
             "places": [], "verdict": "confirmed"},
        ],
        "links": [
            {"from": "c-2", "to": "c-1", "relation": "contradicts", "rationale": "<b>because</b>",
             "analyst": "anna", "recorded": "2022-12-15T10:00:00Z"}
        ],
        "outreach": [
            {"id": "o-1", "party": "<u>Ministry</u>", "contacted": "2022-12-14", "about": ["c-1"],
             "status": "pending", "response": None}
        ],
    }  # fmt: skip


@pytest.fixture
def hostile(workspace: Workspace) -> Workspace:
    import_json(workspace.engine, json.dumps(_hostile_document()).encode(), analyst="tester")
    return workspace


def _valid_stix(data: bytes) -> dict[str, Any]:
    results = validate_string(data.decode("utf-8"), ValidationOptions(version="2.1"))
    assert results.is_valid, [str(error) for error in results.errors]
    bundle: dict[str, Any] = json.loads(data)
    return bundle


# --- STIX ------------------------------------------------------------------------------------------------


def test_stix_bundle_of_the_sample_is_valid_and_follows_the_mapping(sample_workspace: Workspace) -> None:
    bundle = _valid_stix(render(gather(sample_workspace.engine, now=NOW), "stix", ORG))
    objects = bundle["objects"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for obj in objects:
        by_type.setdefault(obj["type"], []).append(obj)
    assert len(by_type["note"]) == 20 and len(by_type["report"]) == 7 and len(by_type["location"]) == 8
    rybar = next(o for o in by_type["identity"] if o["name"] == "Rybar")
    assert rybar["x_opencti_reliability"] == "D - Not usually reliable"
    breach = next(n for n in by_type["note"] if n["x_crosscheck_id"] == "c-breach")
    assert breach["authors"] == ["Rybar"] and breach["created_by_ref"] == rybar["id"]
    assert breach["x_crosscheck_status"] == "contradicted"
    assert breach["confidence"] == 30  # Admiralty credibility 4
    relay = next(n for n in by_type["note"] if n["x_crosscheck_id"] == "c-breach-relay-a")
    derived = [r for r in by_type["relationship"] if r["relationship_type"] == "derived-from"]
    assert {(r["source_ref"], r["target_ref"]) for r in derived} >= {(relay["id"], breach["id"])}
    assert {r["relationship_type"] for r in by_type["relationship"]} == {
        "derived-from",
        "corroborates",
        "contradicts",
        "neutral",
    }
    opinions = {o["object_refs"][0]: o["opinion"] for o in by_type["opinion"]}
    confirmed = next(n for n in by_type["note"] if n["x_crosscheck_id"] == "c-newsweek-distance")
    assert opinions[confirmed["id"]] == "agree" and len(opinions) == 2


def test_stix_ids_are_stable_across_exports(sample_workspace: Workspace) -> None:
    first = json.loads(render(gather(sample_workspace.engine), "stix", ORG))
    second = json.loads(render(gather(sample_workspace.engine), "stix", ORG))
    assert [o["id"] for o in first["objects"]] == [o["id"] for o in second["objects"]]


def test_stix_confidence_follows_the_admiralty_scale(hostile: Workspace) -> None:
    bundle = _valid_stix(render(gather(hostile.engine), "stix", ORG))
    notes = [o for o in bundle["objects"] if o["type"] == "note"]
    assert {n["confidence"] for n in notes} == {70}  # credibility 2 → 70
    # A place without coordinates is not a STIX location; it is named on the note instead.
    assert [o["name"] for o in bundle["objects"] if o["type"] == "location"] == ["<svg onload=alert(3)>"]
    assert "Nowhere" in next(n for n in notes if n["x_crosscheck_id"] == "c-1")["x_crosscheck_places"]
    assert reliability_label("F") == "F - Reliability cannot be judged"


def test_stix_honours_the_filter_and_an_empty_filter_gives_a_valid_bundle(sample_workspace: Workspace) -> None:
    bundle = _valid_stix(render(gather(sample_workspace.engine, "source:rybar"), "stix", ORG))
    assert [o["x_crosscheck_id"] for o in bundle["objects"] if o["type"] == "note"] == ["c-breach"]
    empty = _valid_stix(render(gather(sample_workspace.engine, "nosuchwordanywhere"), "stix", ORG))
    assert [o["type"] for o in empty["objects"]] == ["identity"]


# --- ClaimReview -----------------------------------------------------------------------------------------


def test_claimreview_has_googles_required_fields_for_each_claim_with_a_verdict(sample_workspace: Workspace) -> None:
    reviews = json.loads(render(gather(sample_workspace.engine), "claimreview", ORG))
    assert [r["identifier"] for r in reviews] == ["c-mb-eastern-outskirts", "c-newsweek-distance"]
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and review["url"].startswith("https://desk.example/#claim-")
        assert review["author"] == {"@type": "Organization", "name": "Example Desk", "url": "https://desk.example/"}
        dt.date.fromisoformat(review["datePublished"])
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] in ("Confirmed", "Inconclusive")
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"] and item["datePublished"]
        assert item["appearance"][0]["url"].startswith("https://")


def test_claimreview_needs_an_organisation_and_a_url(sample_workspace: Workspace) -> None:
    selection = gather(sample_workspace.engine)
    with pytest.raises(UserError, match="organisation"):
        claim_reviews(selection, "")
    with pytest.raises(UserError, match="URL"):
        claim_reviews(selection, "Desk")
    reviews = claim_reviews(selection, "Desk", url_template="https://desk.example/checks/{id}")
    assert reviews[0]["url"] == "https://desk.example/checks/c-mb-eastern-outskirts"


def test_claimreview_cannot_be_broken_out_of_a_script_element(hostile: Workspace) -> None:
    data = render(gather(hostile.engine), "claimreview", ORG).decode()
    assert "<" not in data and ">" not in data and "&" not in data
    reviews = json.loads(data)
    assert reviews[0]["claimReviewed"] == HOSTILE  # the text itself is intact once parsed
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["Refuted", "Confirmed"]
    assert json.loads(render(gather(hostile.engine, "nosuchword"), "claimreview", ORG)) == []


# --- Brief -----------------------------------------------------------------------------------------------


def test_brief_groups_by_status_with_grade_explanation_verdicts_and_requests(sample_workspace: Workspace) -> None:
    brief = build_brief(gather(sample_workspace.engine), "Bakhmut")
    assert list(brief.groups) == ["contested", "contradicted", "corroborated", "unconfirmed", "unverified"]
    breach = next(c for c in brief.groups["contradicted"] if c.id == "c-breach")
    assert breach.source == "Rybar" and breach.grade == "D4" and breach.graded
    relay = next(c for c in brief.groups["contradicted"] if c.id == "c-breach-relay-a")
    assert relay.grade == "D5*" and not relay.graded  # the suggested credibility, marked
    assert breach.places == ("Bakhmut",) and breach.event == "2022-12-14"
    assert breach.explanation[0].startswith("Contradicted:")
    assert any("echo" in line and "same group" in line for line in breach.explanation)
    assert [r.party for r in breach.requests] == [
        "Ministry of Defence of the Russian Federation",
        "Armed Forces of Ukraine",
    ]
    assert len(brief.pending) == 2
    confirmed = next(c for claims in brief.groups.values() for c in claims if c.id == "c-newsweek-distance")
    assert confirmed.verdict == "confirmed"
    text = brief_markdown(brief)
    assert "## ✖ Contradicted" in text and "### Rybar — D4" in text and "— D5\\*" in text and "no answer yet" in text


def test_brief_as_of_leaves_out_later_claims_and_says_when(sample_workspace: Workspace) -> None:
    moment = dt.datetime(2022, 12, 15, 11, 20, tzinfo=dt.UTC)  # before the General Staff's contradiction
    brief = build_brief(gather(sample_workspace.engine, as_of=moment))
    breach = next(c for claims in brief.groups.values() for c in claims if c.id == "c-breach")
    assert "contradicted" not in brief.groups or breach not in brief.groups["contradicted"]
    assert brief.moment == "as it stood at 2022-12-15 11:20 UTC"
    assert "2022-12-15 11:20 UTC" in render(gather(sample_workspace.engine, as_of=moment), "markdown").decode()


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += attrs


def test_html_brief_escapes_hostile_text_and_runs_nothing(hostile: Workspace) -> None:
    page = render(gather(hostile.engine), "html").decode()
    parser = _Collector()
    parser.feed(page)
    assert not parser.tags & {"script", "img", "svg", "iframe", "object", "link"}
    assert not [a for a in parser.attrs if a[0].startswith("on")]
    assert [v for k, v in parser.attrs if k == "href"] == ['https://evil.example/"><script>alert(2)</script>']
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_markdown_brief_escapes_hostile_text(hostile: Workspace) -> None:
    text = render(gather(hostile.engine), "markdown").decode()
    assert not re.search(r"(?<!\\)<(script|img|svg|u>|title|/h3|h1)", text)
    assert "\\<script\\>" in text and "\\[link\\](javascript:alert(1))" in text and "\\*\\*bold\\*\\*" in text
    assert "> \\# Heading - list item \\</script\\>" in text  # one line, no heading, no list
    assert "<https://evil.example/" not in text  # a URL that would end its autolink is not linked
    assert md("1. first") == "1\\. first"


def test_empty_filter_gives_an_empty_but_complete_brief(sample_workspace: Workspace) -> None:
    selection = gather(sample_workspace.engine, "nosuchwordanywhere")
    assert "No claim matches." in render(selection, "markdown").decode()
    page = render(selection, "html").decode()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>") and "No claim matches." in page


def test_a_filter_the_language_cannot_read_is_a_user_error(sample_workspace: Workspace) -> None:
    with pytest.raises(UserError, match="--filter: status"):
        gather(sample_workspace.engine, "status:nonsense")


def test_progress_is_reported_to_the_end(sample_workspace: Workspace) -> None:
    seen: list[tuple[str, float]] = []
    gather(sample_workspace.engine, progress=lambda step, fraction: seen.append((step, fraction)))
    assert seen[0] == ("reading the workspace", 0.0) and seen[-1] == ("deriving the statuses", 1.0)


# --- JSON and CSV over a selection -----------------------------------------------------------------------


def test_unfiltered_selection_renders_the_canonical_json_and_csv(sample_workspace: Workspace) -> None:
    selection = gather(sample_workspace.engine)
    assert render(selection, "json") == export_json(sample_workspace.engine)
    assert render(selection, "csv") == export_csv(sample_workspace.engine)


def test_filtered_json_is_an_importable_document_of_the_selection(sample_workspace: Workspace, tmp_path: Any) -> None:
    data = render(gather(sample_workspace.engine, "source:rybar,outlet"), "json")
    document = json.loads(data)
    assert {c["id"] for c in document["claims"]} == {"c-breach", "c-breach-relay-a", "c-breach-relay-b"}
    assert [link["relation"] for link in document["links"]] == ["repeats", "repeats"]
    from desktop.core.workspace import open_workspace

    other = open_workspace(str(tmp_path / "other.sqlite"))
    try:
        import_json(other.engine, data, analyst="tester")
        assert export_json(other.engine) == data
    finally:
        other.close()


def test_filtered_csv_neutralises_formulas(hostile: Workspace) -> None:
    rows = list(csv.reader(io.StringIO(render(gather(hostile.engine, "heading"), "csv").decode())))
    assert [r[0] for r in rows[1:]] == ["c-2"]


@pytest.mark.parametrize(
    ("output", "given", "expected"),
    [
        ("brief.md", None, "markdown"),
        ("brief.HTML", None, "html"),
        ("brief.pdf", None, "pdf"),
        ("bundle.stix.json", None, "stix"),
        ("reviews.claimreview.json", None, "claimreview"),
        ("reviews.jsonld", None, "claimreview"),
        ("work.json", None, "json"),
        ("brief.md", "html", "html"),
        (None, None, "json"),
        ("-", None, "json"),
    ],
)
def test_the_format_follows_the_output_file(output: str | None, given: str | None, expected: str) -> None:
    assert format_for(output, given) == expected


def test_an_unknown_extension_without_a_format_is_a_user_error() -> None:
    with pytest.raises(UserError, match="names no export format"):
        format_for("brief.docx", None)
    with pytest.raises(UserError, match="no extension"):
        format_for("brief", None)
