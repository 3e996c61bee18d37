"""SQLModel tables of a Crosscheck workspace (docs/formats.md).

Every entity has an integer primary key (fast joins, keyset paging on
``(sort_date, id)``) and an ``ext_id``: the interchange id, kept on import and
written back on export, generated for things created in the window.

Columns named in ``DERIVED_CLAIM_COLUMNS`` are not the analyst's data: the status
engine writes them so the table can sort and filter by status in SQL without
loading the workspace. They are never audited and can always be rebuilt.

Enumerations are stored as text and checked by the store and the importer,
not by database CHECK constraints, so a new vocabulary term never needs a
table rebuild on SQLite.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


def _fk(target: str, ondelete: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column_args=[ForeignKey(target, ondelete=ondelete)],
        nullable=nullable,
        index=index,
    )


class Source(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    ext_id: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str = "other"
    side: str = ""  # "" = unaligned
    group_label: str = ""  # "" = no group; sources sharing an owner or editorial line
    reliability: str = "F"
    url: str | None = None
    notes: str = ""


class Report(SQLModel, table=True):
    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    ext_id: str = Field(unique=True, index=True)
    title: str
    source_id: int | None = _fk("source.id", "RESTRICT", nullable=True)
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    text: str = ""
    retrieved: dt.datetime | None = None  # when the text was captured
    sha256: str | None = None  # of the text as UTF-8 (chain of custody); set by the store


class Place(SQLModel, table=True):
    __tablename__ = "place"

    id: int | None = Field(default=None, primary_key=True)
    ext_id: str = Field(unique=True, index=True)
    name: str
    folded: str = Field(index=True)  # text.fold(name): what place: filters compare with
    region: str | None = None
    lat: float | None = None
    lon: float | None = None


class PlaceAlias(SQLModel, table=True):
    """Other names of a place: other scripts, transliterations, historic names."""

    __tablename__ = "place_alias"
    __table_args__ = (UniqueConstraint("place_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    place_id: int = _fk("place.id", "CASCADE")
    position: int
    alias: str
    folded: str = Field(index=True)


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __table_args__ = (
        # Keyset paging of the table in date order, and the covering index for
        # ids-only OFFSET jumps (docs/architecture.md).
        Index("ix_claim_sort", "sort_date", "id"),
        Index("ix_claim_status_sort", "status", "sort_date", "id"),
        Index("ix_claim_source_status_sort", "source_id", "status", "sort_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ext_id: str = Field(unique=True, index=True)
    text: str
    # Its own index although ix_claim_source_status_sort begins with it: a source's claims in id order
    # (migration 0015 says what dropping it would cost).
    source_id: int = _fk("source.id", "RESTRICT")
    report_id: int | None = _fk("report.id", "SET NULL", nullable=True)
    # The span of the report's text the claim was taken from: code points, end exclusive.
    quote_start: int | None = None
    quote_end: int | None = None
    kind: str = "event"
    claimed: dt.date | None = None
    event_start: dt.date | None = None
    event_end: dt.date | None = None
    event_precision: str | None = None
    credibility: int | None = None
    likelihood: str | None = None
    verdict: str | None = None
    reviewed: bool = Field(default=False, index=True)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str = ""
    recorded: dt.datetime
    # The date the table sorts by: claimed, else the day it was recorded.
    sort_date: dt.date
    # Derived by the status engine (see module docstring).
    status: str = "unverified"
    suggested_credibility: int = 6
    verdict_disputed: bool = False
    link_count: int = 0


DERIVED_CLAIM_COLUMNS = ("status", "suggested_credibility", "verdict_disputed", "link_count")


class ClaimPlace(SQLModel, table=True):
    __tablename__ = "claim_place"
    # The newest claims of a place without sorting all of them (related-claim suggestions), and a place's
    # claims for anything else too (so place_id has no index of its own: migration 0015).
    __table_args__ = (Index("ix_claim_place_place_claim", "place_id", "claim_id"),)

    claim_id: int = Field(sa_column_args=[ForeignKey("claim.id", ondelete="CASCADE")], primary_key=True)
    place_id: int = Field(sa_column_args=[ForeignKey("place.id", ondelete="CASCADE")], primary_key=True)
    position: int = 0


class Link(SQLModel, table=True):
    """One analyst's judgement that claim ``from_id`` bears on claim ``to_id`` (DESIGN §2).

    At most one judgement per analyst and pair of claims, whatever the direction: a
    new judgement by the same analyst replaces their old one (the store enforces the
    reverse pair); other analysts' judgements on the pair stay. ``effective`` marks
    the one judgement per pair that the derivation reads and ``disputed`` every
    judgement of a pair on which analysts disagree
    (``desktop.core.corroboration.judgements``); the store keeps both true in the
    same transaction as the judgements themselves.
    """

    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("from_id", "to_id", "analyst", name="uq_link_pair_analyst"),)

    id: int | None = Field(default=None, primary_key=True)
    from_id: int = _fk("claim.id", "CASCADE", index=False)  # the unique constraint indexes it
    to_id: int = _fk("claim.id", "CASCADE")
    relation: str
    rationale: str = ""
    analyst: str = ""
    recorded: dt.datetime
    effective: bool = True
    disputed: bool = False


class Outreach(SQLModel, table=True):
    """A request for comment sent to a party about some claims."""

    __tablename__ = "outreach"

    id: int | None = Field(default=None, primary_key=True)
    ext_id: str = Field(unique=True, index=True)
    party: str
    # Who asked: a source (e.g. the newsroom whose report says it asked), or None = this team.
    by_source_id: int | None = _fk("source.id", "RESTRICT", nullable=True)
    contacted: dt.date | None = None
    status: str = "pending"
    response: str | None = None


class OutreachClaim(SQLModel, table=True):
    __tablename__ = "outreach_claim"

    outreach_id: int = Field(sa_column_args=[ForeignKey("outreach.id", ondelete="CASCADE")], primary_key=True)
    claim_id: int = Field(sa_column_args=[ForeignKey("claim.id", ondelete="CASCADE")], primary_key=True, index=True)
    position: int = 0


class DismissedSuggestion(SQLModel, table=True):
    """A related-claim suggestion the analyst dismissed: the pair is not suggested again.

    Stored once per unordered pair (``claim_id`` < ``other_id``), so dismissing it
    from either claim hides it from both.
    """

    __tablename__ = "dismissed_suggestion"

    claim_id: int = Field(sa_column_args=[ForeignKey("claim.id", ondelete="CASCADE")], primary_key=True)
    other_id: int = Field(sa_column_args=[ForeignKey("claim.id", ondelete="CASCADE")], primary_key=True, index=True)
    analyst: str = ""
    at: dt.datetime


class AuditEntry(SQLModel, table=True):
    """One changed field of one entity. ``old``/``new`` are JSON values (null for create/delete).

    What replay needs (``desktop.core.history``): references by interchange id (``store.base.REFERENCES``);
    a deletion keeps every field, the internal ``id`` included; what a write cascades to (a deleted
    claim's links and requests for comment, a deleted place's or report's claims) is audited as changes
    of its own. An import writes one row per entity (``action`` ``import``, ``new`` = its id).
    """

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True))
    at: dt.datetime = Field(index=True)
    analyst: str
    entity: str  # "source", "claim", "link", …
    entity_id: str  # the entity's ext_id (a link: "FROM->TO")
    action: str  # "create", "update", "delete"
    field: str  # "" for a whole-entity create/delete
    old: Any = Field(default=None, sa_column=Column(JSON))
    new: Any = Field(default=None, sa_column=Column(JSON))


#: Every table above as a Core table, by its name: for statements that bypass the ORM (bulk inserts,
#: the "as of" patch) and name a table by a string.
WORKSPACE_TABLES = SQLModel.metadata.tables
