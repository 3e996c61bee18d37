"""The detail pane's reads (``desktop.core.read.detail``): one claim in full, explained; the picker lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Connection

from desktop.core.read import detail
from desktop.core.workspace import Workspace
from tests.core._detail_workspace import HOSTILE_TEXT, build


@pytest.fixture
def ids(workspace: Workspace) -> dict[str, int]:
    return build(workspace.store)


@pytest.fixture
def connection(workspace: Workspace, ids: dict[str, int]) -> Iterator[Connection]:
    with workspace.engine.connect() as opened:
        yield opened


def _detail(connection: Connection, claim: int) -> detail.ClaimDetail:
    found = detail.claim_detail(connection, claim)
    assert found is not None
    return found


def test_claim_detail_has_every_field_source_report_and_places(connection: Connection, ids: dict[str, int]) -> None:
    d = _detail(connection, ids["breach"])
    assert d.text == "Russian troops have broken through Bakhmut's eastern defences."
    assert (d.kind, d.claimed, d.credibility, d.verdict, d.reviewed) == ("event", dt.date(2022, 12, 14), 4, None, False)
    assert d.tags == ("breakthrough",)
    assert d.source.label == "Rybar · russia · C"
    assert (d.source.kind, d.source.group_label, d.source.aliases) == ("telegram-channel", "milbloggers", ("Рыбарь",))
    assert d.report is not None and d.report.title.startswith("Rybar: situation")
    assert d.report.published == dt.date(2022, 12, 14) and d.report.url == "https://t.me/rybar/1"
    assert [p.name for p in d.places] == ["Bakhmut"]
    assert d.places[0].aliases == ("Бахмут", "Artemivsk", "Артёмовск")
    assert d.recorded is not None and d.recorded.tzinfo is not None


def test_unaligned_source_label_says_so(connection: Connection, ids: dict[str, int]) -> None:
    assert _detail(connection, ids["offensive"]).source.label == "Institute for the Study of War · unaligned · B"


def test_links_are_read_from_the_claims_side_with_direction(connection: Connection, ids: dict[str, int]) -> None:
    links = {link.other_id: link for link in _detail(connection, ids["breach"]).links}
    assert set(links) == {ids["relay"], ids["repelled"], ids["isw-neutral"], ids["mbc-echo"], ids["rybar-again"]}
    contradiction = links[ids["repelled"]]
    assert (contradiction.direction, contradiction.phrase, contradiction.arrow) == ("incoming", "contradicted by", "←")
    assert contradiction.rationale == "Kyiv says the line holds"
    assert contradiction.other_source == "General Staff of Ukraine"
    assert contradiction.analyst and contradiction.recorded is not None
    outgoing = {link.other_id: link for link in _detail(connection, ids["relay"]).links}[ids["breach"]]
    assert (outgoing.direction, outgoing.phrase, outgoing.arrow) == ("outgoing", "repeats", "→")


def test_outreach_about_the_claim(connection: Connection, ids: dict[str, int]) -> None:
    (item,) = _detail(connection, ids["breach"]).outreach
    assert (item.party, item.status, item.contacted) == ("Ministry of Defence", "pending", dt.date(2022, 12, 15))
    assert item.about == (ids["breach"], ids["repelled"])
    assert _detail(connection, ids["lonely"]).outreach == ()


def test_explanation_of_a_supported_claim_names_the_supporter(connection: Connection, ids: dict[str, int]) -> None:
    d = _detail(connection, ids["assaults"])
    assert d.status == "corroborated" and d.suggested_credibility == 1
    assert d.explanation[0].startswith("Corroborated: supported by a claim from an independent origin on another side")
    assert (
        "Supports it, from another side (or unaligned): [Institute for the Study of War] "
        "“Russian offensive operations around Bakhmut continued.”." in d.explanation
    )


def test_explanation_of_a_contradicted_claim_names_who_contradicts_and_who_is_neutral(
    connection: Connection, ids: dict[str, int]
) -> None:
    d = _detail(connection, ids["breach"])
    assert d.status == "contradicted" and d.suggested_credibility == 5
    text = "\n".join(d.explanation)
    assert d.explanation[0].startswith(
        "Contradicted: contradicted by a claim from an independent origin ([General Staff of Ukraine]"
    )
    assert "Contradicts it: [General Staff of Ukraine] “Ukrainian units beat back assaults around Bakhmut.”" in text
    assert "Neither confirms nor denies it: [Institute for the Study of War]" in text
    assert "Counted as one assertion with 1 claim" in text and "[Pro-Russian outlet]" in text


def test_explanation_sets_echoes_aside_and_says_why(connection: Connection, ids: dict[str, int]) -> None:
    d = _detail(connection, ids["breach"])
    echoes = [line for line in d.explanation if line.startswith("Set aside as an echo")]
    same_group = next(line for line in echoes if "[Milblogger C]" in line)
    assert "same group as this claim's origin source (“milbloggers”)" in same_group
    same_origin = next(line for line in echoes if "Rybar repeats" in line)
    assert "traces back to the same origin source as this claim (Rybar)" in same_origin
    # An echo is not a supporter: the status stays contradicted, never contested.
    assert d.derivation.supporters == ()


def test_an_echo_only_claim_is_unverified_and_says_the_links_were_set_aside(
    connection: Connection, ids: dict[str, int]
) -> None:
    d = _detail(connection, ids["mbc-echo"])
    assert d.status == "unverified"
    assert "set aside as an echo" in d.explanation[0]


def test_verdict_disputed_follows_the_derivation(workspace: Workspace, ids: dict[str, int]) -> None:
    workspace.store.update_claim(ids["breach"], verdict="confirmed")
    with workspace.engine.connect() as connection:
        d = _detail(connection, ids["breach"])
    assert d.verdict == "confirmed" and d.verdict_disputed


def test_related_claims_cover_everything_the_detail_quotes(connection: Connection, ids: dict[str, int]) -> None:
    related = _detail(connection, ids["breach"]).related_claims
    assert {ids["relay"], ids["repelled"], ids["isw-neutral"], ids["mbc-echo"], ids["rybar-again"]} <= related
    assert ids["lonely"] not in related


def test_missing_claim_has_no_detail_and_no_summary(connection: Connection, ids: dict[str, int]) -> None:
    assert detail.claim_detail(connection, 999_999) is None
    assert detail.claim_summary(connection, 999_999) == ""


def test_claim_summary_is_one_line_with_the_source(connection: Connection, ids: dict[str, int]) -> None:
    assert detail.claim_summary(connection, ids["relay"]) == (
        "[Pro-Russian outlet] Moscow's forces pierced Bakhmut's eastern line."
    )
    short = detail.claim_summary(connection, ids["breach"], limit=20)
    assert short.startswith("[Rybar] Russian troops") and short.endswith("…") and "\n" not in short


def test_hostile_text_is_returned_verbatim(connection: Connection, ids: dict[str, int]) -> None:
    d = _detail(connection, ids["hostile"])
    assert d.text == HOSTILE_TEXT
    assert d.notes == "notes with <i>markup</i>"


@pytest.mark.parametrize("query", ["artemivsk", "ARTEMIVSK", "бахмут", "Артемовск", "артёмовск", "Bakhmutt", "bakh"])
def test_places_match_by_any_name_in_any_script(connection: Connection, ids: dict[str, int], query: str) -> None:
    found = detail.search_places(connection, query)
    assert found and found[0].id == ids["place:bakhmut"]


def test_place_search_ranks_exact_before_fuzzy_and_ignores_noise(connection: Connection, ids: dict[str, int]) -> None:
    assert [p.name for p in detail.search_places(connection, "")] == ["Bakhmut", "Opytne", "Soledar"]
    assert [p.name for p in detail.search_places(connection, "соледар")] == ["Soledar"]
    assert [p.name for p in detail.search_places(connection, "o")] == ["Opytne", "Soledar"]  # prefix, then inside
    assert detail.search_places(connection, "zz") == []
    assert detail.search_places(connection, "Kyiv") == []
    assert detail.search_places(connection, "%") == [] and detail.search_places(connection, "_") == []  # literal


def test_place_search_leaves_out_excluded_places_and_keeps_to_the_limit(
    connection: Connection, ids: dict[str, int]
) -> None:
    assert [p.name for p in detail.search_places(connection, "", exclude=[ids["place:bakhmut"]])] == [
        "Opytne",
        "Soledar",
    ]
    assert [p.name for p in detail.search_places(connection, "", limit=1, exclude=[ids["place:bakhmut"]])] == ["Opytne"]
    assert detail.search_places(connection, "бахмут", exclude=[ids["place:bakhmut"]]) == []


def test_match_places_ranks_places_already_read(connection: Connection, ids: dict[str, int]) -> None:
    places = detail.read_places(connection, [ids["place:soledar"], ids["place:bakhmut"], ids["place:opytne"]])
    assert [p.name for p in detail.match_places(places, "Bakhmout")] == ["Bakhmut"]
    assert detail.match_places(places, "ba", limit=5)[0].name == "Bakhmut"


def test_source_search_uses_aliases_ranks_prefixes_first_and_forgives_typos(
    connection: Connection, ids: dict[str, int]
) -> None:
    assert [s.name for s in detail.search_sources(connection, "рыбарь")] == ["Rybar"]
    assert [s.name for s in detail.search_sources(connection, "РЫБ")] == ["Rybar"]
    assert detail.search_sources(connection, "r")[0].name == "Rybar"  # a prefix beats "General Staff…"
    assert [s.name for s in detail.search_sources(connection, "Rybr")] == ["Rybar"]  # fuzzy
    assert detail.search_sources(connection, "zzz") == []
    everyone = detail.search_sources(connection, "")
    assert [s.name for s in everyone][:2] == ["General Staff of Ukraine", "Institute for the Study of War"]
    assert len(everyone) == 5 and len(detail.search_sources(connection, "", limit=2)) == 2


def test_report_search_puts_the_sources_reports_first(connection: Connection, ids: dict[str, int]) -> None:
    reports = detail.search_reports(connection, "")
    assert [r.id for r in reports] == [ids["report:isw"], ids["report:rybar"]]  # newest first
    assert reports[0].label == "ISW assessment · Institute for the Study of War · 2022-12-15"
    mine = detail.search_reports(connection, "", source_id=ids["src:rybar"])
    assert [r.id for r in mine] == [ids["report:rybar"], ids["report:isw"]]
    assert [r.id for r in detail.search_reports(connection, "BAKHMUT")] == [ids["report:rybar"]]
    assert [r.id for r in detail.search_reports(connection, "assess", source_id=ids["src:rybar"])] == [
        ids["report:isw"]
    ]
    assert detail.search_reports(connection, "nothing like it") == []
    assert len(detail.search_reports(connection, "", limit=1, source_id=ids["src:isw"])) == 1


def test_report_search_keeps_to_its_limit(workspace: Workspace, ids: dict[str, int]) -> None:
    with workspace.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO report (ext_id, title, source_id, text) VALUES (?, ?, ?, '')",
            [(f"r-{i}", f"Daily update {i}", ids["src:isw"] if i % 2 else None) for i in range(300)],
        )
    with workspace.engine.connect() as connection:
        assert len(detail.search_reports(connection, "update")) == detail.PICK_LIMIT
        found = detail.search_reports(connection, "daily", limit=20, source_id=ids["src:isw"])
        assert len(found) == 20 and all(r.source_id == ids["src:isw"] for r in found)
        assert detail.search_reports(connection, "update 299")[0].title == "Daily update 299"


def test_report_and_source_lookups(connection: Connection, ids: dict[str, int]) -> None:
    report = detail.report_info(connection, ids["report:rybar"])
    assert report is not None and report.source_name == "Rybar" and report.url == "https://t.me/rybar/1"
    assert detail.report_info(connection, 999) is None
    assert detail.side_and_group_labels(connection) == (["russia", "ukraine"], ["milbloggers"])


def test_outreach_and_source_lookups(connection: Connection, ids: dict[str, int]) -> None:
    item = detail.outreach_info(connection, ids["outreach:mod"])
    assert item is not None and item.party == "Ministry of Defence"
    assert detail.outreach_info(connection, 999) is None
    source = detail.source_info(connection, ids["src:rybar"])
    assert source is not None and source.url == "https://t.me/rybar"


def test_short_label_keeps_side_and_reliability(connection: Connection, ids: dict[str, int]) -> None:
    source = detail.source_info(connection, ids["src:isw"])
    assert source is not None and source.short_label(10) == "Institute… · unaligned · B"
