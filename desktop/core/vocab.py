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

# Each ICD 203 term's paired synonym, and common wordings analysts write for it (DESIGN §1): accepted
# on input, always stored as the term.
LIKELIHOOD_SYNONYMS: Final = {
    "remote": "almost no chance",
    "highly improbable": "very unlikely",
    "highly unlikely": "very unlikely",
    "improbable": "unlikely",
    "improbably": "unlikely",
    "roughly even odds": "roughly even chance",
    "even chance": "roughly even chance",
    "even odds": "roughly even chance",
    "probable": "likely",
    "probably": "likely",
    "highly probable": "very likely",
    "highly likely": "very likely",
    "nearly certain": "almost certain",
    "almost certainly": "almost certain",
    "virtually certain": "almost certain",
}
LIKELIHOOD_PAIRS: Final = {
    "almost no chance": "remote",
    "very unlikely": "highly improbable",
    "unlikely": "improbable",
    "roughly even chance": "roughly even odds",
    "likely": "probable",
    "very likely": "highly probable",
    "almost certain": "nearly certain",
}


def likelihood_term(wording: str) -> str | None:
    """The ICD 203 term for ``wording`` (a term, its paired synonym or a common wording), or None."""
    key = " ".join(wording.casefold().replace("-", " ").split())
    if key in LIKELIHOOD:
        return key
    return LIKELIHOOD_SYNONYMS.get(key)


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
