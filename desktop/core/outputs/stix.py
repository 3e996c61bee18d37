"""A selection as a STIX 2.1 bundle, built with the ``stix2`` library (DESIGN §8).

What maps to what (the README repeats this table):

- the exporting organisation → ``identity`` (``identity_class`` organization), the
  ``created_by_ref`` of the bundle's relationships and of opinions without an analyst;
- a source → ``identity``: name, ``identity_class`` from its kind, its URL as an
  external reference, reliability as ``x_opencti_reliability`` ("B - Usually
  reliable", OpenCTI's spelling), side/group/kind/aliases as ``x_crosscheck_*``;
- a place with coordinates → ``location`` (latitude/longitude, region as
  ``administrative_area``); a place without coordinates is no valid STIX location,
  so it is named on its claims' notes (``x_crosscheck_places``) only;
- a report → ``report`` (name = title, ``published`` = its date or its earliest
  claim's, ``object_refs`` = the notes of its claims, ``created_by_ref`` = its publisher);
- a claim → ``note``: ``content`` = the text, ``authors`` = [the source's name],
  ``created_by_ref`` = the source's identity, ``object_refs`` = its report, places
  and source, ``confidence`` from Admiralty credibility (STIX 2.1 appendix A:
  1→90, 2→70, 3→50, 4→30, 5→10, 6 → none), ``labels`` = its tags, and the derived
  status, event dates and interchange id as ``x_crosscheck_*``;
- a ``repeats`` link → ``relationship`` ``derived-from`` (from the relay to what it
  repeats); ``corroborates``/``contradicts``/``neutral`` → a relationship of that
  name; the rationale is its description, the analyst its ``created_by_ref``;
- a verdict → ``opinion`` on the note, by the analyst who set it (from the audit
  trail): confirmed → agree, refuted → disagree, inconclusive → neutral.

Ids are derived from the workspace's interchange ids (a UUIDv5 hash, stamped as
version 4 as STIX asks of domain objects), so exporting again gives the same
object ids and a partner's platform updates objects instead of duplicating them.
Every analyst named becomes an ``identity`` (individual).

Each object is built (and so checked) by ``stix2`` and written as soon as it is
made: the bundle is streamed, never held whole, so a bundle of 100,000 notes
costs the memory of one note.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Final
from urllib.parse import quote

import stix2

from desktop.core.outputs.selection import Selection
from desktop.core.progress import Progress
from desktop.core.vocab import RELIABILITY

NAMESPACE: Final = uuid.UUID("6f0a4a1e-3c1c-5b8e-9f8e-6b1f0c5e2a10")
CONFIDENCE: Final = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
OPINION: Final = {"confirmed": "agree", "refuted": "disagree", "inconclusive": "neutral"}
IDENTITY_CLASS: Final = {
    "telegram-channel": "group",
    "think-tank": "organization",
    "government": "organization",
    "ministry": "organization",
    "news-outlet": "organization",
    "microblogger": "individual",
    "official": "individual",
    "other": "unknown",
}
RELATIONSHIP: Final = {
    "repeats": "derived-from",
    "corroborates": "corroborates",
    "contradicts": "contradicts",
    "neutral": "neutral",
}


def reliability_label(grade: str) -> str:
    """OpenCTI's spelling of an Admiralty grade: ``B - Usually reliable``."""
    words = RELIABILITY.get(grade, "cannot be judged")
    if grade == "F":
        words = "reliability cannot be judged"
    return f"{grade} - {words[0].upper()}{words[1:]}"


def uri(url: str) -> str:
    """``url`` as a valid URI: characters RFC 3986 does not allow (spaces, quotes, angle brackets, non-ASCII)
    percent-encoded; STIX validators refuse them raw, and the importer only checks the scheme."""
    return quote(url, safe=_URI_SAFE)


_URI_SAFE: Final = ":/?#[]@!$&'()*+,;=%~-._"


def stix_id(kind: str, *parts: str) -> str:
    """A stable id: the UUIDv5 of the interchange id, stamped as version 4 (STIX 2.1 asks SDOs for UUIDv4)."""
    stable = uuid.uuid5(NAMESPACE, "/".join((kind, *parts)))
    return f"{kind}--{uuid.UUID(bytes=stable.bytes, version=4)}"


def export_stix(
    selection: Selection,
    organisation: str,
    *,
    organisation_url: str | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The selection as a STIX 2.1 bundle (UTF-8 JSON); an empty selection gives a bundle of the organisation."""
    out = io.StringIO()
    write_stix(out.write, selection, organisation, organisation_url=organisation_url, progress=progress)
    return out.getvalue().encode()


def write_stix(
    write: Callable[[str], object],
    selection: Selection,
    organisation: str,
    *,
    organisation_url: str | None = None,
    progress: Progress | None = None,
) -> None:
    """Stream the bundle through ``write`` as indented JSON, object by object (see the module docstring)."""
    bundle_id = stix_id("bundle", organisation, selection.generated.isoformat())
    write(f'{{\n  "type": "bundle",\n  "id": "{bundle_id}",\n  "objects": [\n')
    for index, made in enumerate(stix_objects(selection, organisation, organisation_url, progress)):
        text = made.serialize(ensure_ascii=False, indent=2)
        write((",\n    " if index else "    ") + text.replace("\n", "\n    "))
    write("\n  ]\n}\n")


def stix_objects(
    selection: Selection, organisation: str, organisation_url: str | None = None, progress: Progress | None = None
) -> Iterator[Any]:
    """The bundle's objects in order, each built and checked by ``stix2`` (an analyst's identity comes just
    before the first object that names it)."""
    doc = selection.document
    claims = doc["claims"]
    first_seen = _first_seen(claims, selection.generated)
    org_id = stix_id("identity", "organisation", organisation)
    yield stix2.Identity(
        id=org_id,
        name=organisation,
        identity_class="organization",
        created=selection.generated,
        modified=selection.generated,
        external_references=[{"source_name": "website", "url": uri(organisation_url)}] if organisation_url else None,
    )
    analysts: dict[str, str] = {}
    objects: list[Any] = []  # analysts' identities made while building an object, yielded before it

    def analyst_ref(name: str, when: dt.datetime) -> str:
        if not name:
            return org_id
        if name not in analysts:
            analysts[name] = stix_id("identity", "analyst", name)
            objects.append(
                stix2.Identity(
                    id=analysts[name], name=name, identity_class="individual", created=when, modified=when,
                    created_by_ref=org_id,
                )
            )  # fmt: skip
        return analysts[name]

    source_ids = {s["id"]: stix_id("identity", "source", s["id"]) for s in doc["sources"]}
    for s in doc["sources"]:
        when = first_seen.get(("source", s["id"]), selection.generated)
        yield (
            stix2.Identity(
                id=source_ids[s["id"]],
                name=s["name"],
                identity_class=IDENTITY_CLASS.get(s["kind"], "unknown"),
                description=s["notes"] or None,
                created=when,
                modified=when,
                external_references=[{"source_name": "website", "url": uri(s["url"])}] if s["url"] else None,
                x_opencti_reliability=reliability_label(s["reliability"]),
                x_crosscheck_id=s["id"],
                x_crosscheck_kind=s["kind"],
                x_crosscheck_side=s["side"] or "",
                x_crosscheck_group=s["group"] or "",
                x_crosscheck_aliases=list(s["aliases"]),
                allow_custom=True,
            )
        )
    places = {p["id"]: p for p in doc["places"]}
    location_ids: dict[str, str] = {}
    for p in doc["places"]:
        if p["lat"] is None or p["lon"] is None:
            continue
        location_ids[p["id"]] = stix_id("location", p["id"])
        when = first_seen.get(("place", p["id"]), selection.generated)
        yield (
            stix2.Location(
                id=location_ids[p["id"]],
                name=p["name"],
                latitude=float(p["lat"]),
                longitude=float(p["lon"]),
                administrative_area=p["region"] or None,
                created=when,
                modified=when,
                created_by_ref=org_id,
                x_crosscheck_id=p["id"],
                x_crosscheck_aliases=list(p["aliases"]),
                allow_custom=True,
            )
        )
    note_ids = {c["id"]: stix_id("note", c["id"]) for c in claims}
    source_names = {s["id"]: s["name"] for s in doc["sources"]}
    report_ids = {r["id"]: stix_id("report", r["id"]) for r in doc["reports"]}
    total = len(claims)
    for done, c in enumerate(claims, start=1):
        recorded = _moment(c["recorded"])
        derivation = selection.derivations.get(c["id"])
        refs = [report_ids[c["report"]]] if c["report"] else []
        refs += [location_ids[p] for p in c["places"] if p in location_ids]
        refs.append(source_ids[c["source"]])
        event = c["event"] or {}
        custom = {
            "x_crosscheck_id": c["id"],
            "x_crosscheck_kind": c["kind"],
            "x_crosscheck_status": derivation.status if derivation else None,
            "x_crosscheck_claimed": c["claimed"],
            "x_crosscheck_event_start": event.get("start"),
            "x_crosscheck_event_end": event.get("end"),
            "x_crosscheck_event_precision": event.get("precision"),
            "x_crosscheck_likelihood": c["likelihood"],
            "x_crosscheck_places": [places[p]["name"] for p in c["places"] if p in places],
        }
        yield (
            stix2.Note(
                id=note_ids[c["id"]],
                content=c["text"],
                authors=[source_names.get(c["source"], c["source"])],
                object_refs=refs,
                created_by_ref=source_ids[c["source"]],
                confidence=CONFIDENCE.get(c["credibility"]) if c["credibility"] else None,
                labels=list(c["tags"]) or None,
                created=recorded,
                modified=recorded,
                allow_custom=True,
                **{k: v for k, v in custom.items() if v not in (None, [])},
            )
        )
        if c["verdict"]:
            author = selection.verdict_by.get(c["id"])
            when = author.at if author else recorded
            opinion = stix2.Opinion(
                id=stix_id("opinion", c["id"]),
                opinion=OPINION[c["verdict"]],
                object_refs=[note_ids[c["id"]]],
                authors=[author.analyst] if author else [organisation],
                explanation=f"Verdict: {c['verdict']}.",
                created_by_ref=analyst_ref(author.analyst, when) if author else org_id,
                created=when,
                modified=when,
            )
            yield from objects
            objects.clear()
            yield opinion
        if progress is not None and done % 2000 == 0:
            progress("building the STIX bundle", done / total)
    by_report: dict[str, list[str]] = {}
    for c in claims:
        if c["report"]:
            by_report.setdefault(c["report"], []).append(note_ids[c["id"]])
    for r in doc["reports"]:
        members = by_report.get(r["id"], [])
        when = first_seen.get(("report", r["id"]), selection.generated)
        published = _moment(r["published"] + "T00:00:00Z") if r["published"] else when
        yield (
            stix2.Report(
                id=report_ids[r["id"]],
                name=r["title"] or r["id"],
                published=published,
                object_refs=members,
                created_by_ref=source_ids[r["source"]] if r["source"] in source_ids else org_id,
                external_references=[{"source_name": "report", "url": uri(r["url"])}] if r["url"] else None,
                lang=r["language"] or None,
                created=when,
                modified=when,
                x_crosscheck_id=r["id"],
                allow_custom=True,
            )
        )
    for link in doc["links"]:
        when = _moment(link["recorded"])
        relationship = stix2.Relationship(
            id=stix_id("relationship", link["from"], link["to"], link["analyst"]),
            relationship_type=RELATIONSHIP[link["relation"]],
            source_ref=note_ids[link["from"]],
            target_ref=note_ids[link["to"]],
            description=link["rationale"] or None,
            created_by_ref=analyst_ref(link["analyst"], when),
            created=when,
            modified=when,
            allow_custom=True,
        )
        yield from objects
        objects.clear()
        yield relationship


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _first_seen(claims: list[dict[str, Any]], default: dt.datetime) -> dict[tuple[str, str], dt.datetime]:
    """The earliest recorded claim naming each source, report and place: their ``created`` time in the bundle
    (stable across exports, unlike the export's own time)."""
    seen: dict[tuple[str, str], dt.datetime] = {}
    for c in claims:
        when = _moment(c["recorded"])
        keys = [("source", c["source"])] + [("place", p) for p in c["places"]]
        if c["report"]:
            keys.append(("report", c["report"]))
        for key in keys:
            if key not in seen or when < seen[key]:
                seen[key] = when
    return seen
