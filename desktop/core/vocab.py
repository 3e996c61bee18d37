"""The controlled vocabularies of the domain (docs/formats.md, docs/status-rules.md) and their labels.

One place for every enum-like value, so that the schema checks, the interchange
validator, the filter language and the window all agree on spelling.
"""

from __future__ import annotations

from typing import Final

SOURCE_KINDS: Final = (
    "telegram-channel",
    "think-tank",
    "government",
    "ministry",
    "news-outlet",
    "microblogger",
    "official",
    "other",
)

# Admiralty (NATO STANAG 2511) source reliability.
RELIABILITY: Final = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "cannot be judged",
}

# Admiralty information credibility.
CREDIBILITY: Final = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}

# ICD 203 expressions of likelihood, weakest first, with their probability bands.
LIKELIHOOD: Final = {
    "almost no chance": (1, 5),
    "very unlikely": (5, 20),
    "unlikely": (20, 45),
    "roughly even chance": (45, 55),
    "likely": (55, 80),
    "very likely": (80, 95),
    "almost certain": (95, 99),
}

CLAIM_KINDS: Final = ("event", "assessment", "statement")
PRECISIONS: Final = ("day", "week", "month", "approx")
VERDICTS: Final = ("confirmed", "refuted", "inconclusive")
OUTREACH_STATUSES: Final = ("pending", "answered", "declined")

RELATIONS: Final = ("corroborates", "contradicts", "neutral", "repeats")
EVIDENCE_RELATIONS: Final = ("corroborates", "contradicts", "neutral")

# Derived statuses in rule order (docs/status-rules.md, rule 6) and the suggested credibility of each (rule 7).
STATUSES: Final = ("contested", "contradicted", "corroborated", "aligned", "unconfirmed", "unverified")
SUGGESTED_CREDIBILITY: Final = {
    "corroborated": 1,
    "aligned": 2,
    "unconfirmed": 3,
    "contested": 4,
    "contradicted": 5,
    "unverified": 6,
}
