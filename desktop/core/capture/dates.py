"""The day a captured passage says its event happened, read against the report's date.

"On Wednesday", "yesterday", "3 March", "в среду", "вчора", "14 грудня 2022":
a report rarely gives the event's date in full, and the day it was published is
when the claim was made, not when the event was. ``event_day`` finds the first
such phrase in a passage and resolves it against the report's publication day:

- a weekday is the latest such day on or before it (published on a Thursday,
  "on Wednesday" is the day before; "on Thursday" is that day);
- "today", "yesterday", "the day before yesterday" (and their Russian and
  Ukrainian words) count back from it;
- a day and month without a year are the latest such day on or before it (in a
  report of 2 January, "30 December" is last year's), unless they fall in the
  month after it (a meeting "on 20 December" announced on the 15th); with a year, or as
  ``14.12.2022`` or ``2022-12-14``, the date is taken as written.

A small rule set for English, Russian and Ukrainian rather than a general date
parser: those parsers find dates in ordinary words ("may", "march", "sat") and
cost milliseconds a passage; these rules are exact about what they take, and
the analyst sees and corrects the result (the detail pane's event start).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from desktop.core.text import typed_quote

_APOSTROPHES: Final = "'’ʼ"
_AHEAD: Final = dt.timedelta(days=31)  # a day and month this soon after the report: ahead, not last year


@dataclass(frozen=True)
class FoundDay:
    day: dt.date
    phrase: str  # the words it was read from, as written


_MONTHS: Final = {
    **dict.fromkeys(("january", "jan"), 1),
    **dict.fromkeys(("february", "feb"), 2),
    **dict.fromkeys(("march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("may",), 5),
    **dict.fromkeys(("june", "jun"), 6),
    **dict.fromkeys(("july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
    # Russian and Ukrainian: the genitive a date is written in ("3 марта", "3 березня").
    **dict.fromkeys(("января", "січня"), 1),
    **dict.fromkeys(("февраля", "лютого"), 2),
    **dict.fromkeys(("марта", "березня"), 3),
    **dict.fromkeys(("апреля", "квітня"), 4),
    **dict.fromkeys(("мая", "травня"), 5),
    **dict.fromkeys(("июня", "червня"), 6),
    **dict.fromkeys(("июля", "липня"), 7),
    **dict.fromkeys(("августа", "серпня"), 8),
    **dict.fromkeys(("сентября", "вересня"), 9),
    **dict.fromkeys(("октября", "жовтня"), 10),
    **dict.fromkeys(("ноября", "листопада"), 11),
    **dict.fromkeys(("декабря", "грудня"), 12),
}

# Weekday words by Monday = 0, in the forms a report uses ("on Wednesday", "в среду", "у середу").
_WEEKDAYS: Final = {
    **dict.fromkeys(("monday", "понедельник", "понеділок", "понеділка"), 0),
    **dict.fromkeys(("tuesday", "вторник", "вівторок", "вівторка"), 1),
    **dict.fromkeys(("wednesday", "среда", "среду", "среды", "середа", "середу", "середи"), 2),
    **dict.fromkeys(("thursday", "четверг", "четвер", "четверга"), 3),
    **dict.fromkeys(("friday", "пятница", "пятницу", "пятницы", "пʼятниця", "пʼятницю", "пʼятниці"), 4),
    **dict.fromkeys(("saturday", "суббота", "субботу", "субботы", "субота", "суботу", "суботи"), 5),
    **dict.fromkeys(("sunday", "воскресенье", "неділя", "неділю", "неділі"), 6),
}

# Days back from the report's date. Longest first: "the day before yesterday" before "yesterday".
_RELATIVE: Final = {
    "the day before yesterday": 2,
    "позавчера": 2,
    "позавчора": 2,
    "yesterday": 1,
    "вчера": 1,
    "вчора": 1,
    "учора": 1,
    "today": 0,
    "сегодня": 0,
    "сьогодні": 0,
}


def _words(options: Iterable[str]) -> str:
    ordered = sorted(options, key=len, reverse=True)
    return "|".join(re.escape(word).replace("ʼ", f"[{_APOSTROPHES}]") for word in ordered)


# An English month before the day ("March 3") only capitalised: "may 10 soldiers" is no date.
_ENGLISH_MONTHS: Final = [word.capitalize() for word in _MONTHS if word.isascii()]
# A Russian or Ukrainian weekday only after "в", "во" or "у" ("в среду"): "среда" is also "environment".
_LATIN_WEEKDAYS: Final = [word for word in _WEEKDAYS if word.isascii()]
_CYRILLIC_WEEKDAYS: Final = [word for word in _WEEKDAYS if not word.isascii()]


_MONTH: Final = f"(?P<month>{_words(_MONTHS)})\\.?"
_DAY: Final = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR: Final = r"(?:,?\s+(?P<year>(?:19|20)\d\d)(?:\s*(?:года|року|г\.|р\.))?)?"
_PATTERNS: Final = (
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dotted", re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b")),
    ("day month", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}{_YEAR}(?!\w)", re.IGNORECASE)),
    ("month day", re.compile(rf"\b(?P<month>{_words(_ENGLISH_MONTHS)})\.?\s+{_DAY}\b{_YEAR}(?!\w)")),
    ("relative", re.compile(rf"(?<!\w)(?P<relative>{_words(_RELATIVE)})(?!\w)", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?P<weekday>{_words(_LATIN_WEEKDAYS)})\b", re.IGNORECASE)),
    (
        "weekday",
        re.compile(rf"(?<!\w)(?:во?|у)\s+(?P<weekday>{_words(_CYRILLIC_WEEKDAYS)})(?!\w)", re.IGNORECASE),
    ),
)


def event_day(text: str, published: dt.date | None) -> FoundDay | None:
    """The day the first date phrase in ``text`` names, resolved against ``published``; None if none.

    Without a publication day only a date written in full (with its year) can be read.
    """
    found: list[tuple[int, FoundDay]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            day = _resolve(kind, match, published)
            if day is not None:
                found.append((match.start(), FoundDay(day, match.group(0).strip())))
                break  # the first of this kind; the first of all kinds is chosen below
    return min(found, key=lambda pair: pair[0])[1] if found else None


def typed_day(value: str, claimed: dt.date | None) -> dt.date | None:
    """The day an analyst typed into a date field; None when it is empty. ``ValueError`` (a message fit to
    show) when it names no day.

    YYYY-MM-DD, as every date field takes it, or a phrase ``event_day`` reads in a captured passage typed
    alone ("yesterday", "Wednesday", "в среду", "3 March", "14.12.2022"), counted from ``claimed`` (the day
    the claim was made) as a capture counts from the report's day.
    """
    typed = " ".join(value.split())
    if not typed:
        return None
    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        pass
    phrase = typed.removesuffix(".")
    if phrase[:3].casefold() == "on ":  # "on Wednesday": the weekday is the phrase
        phrase = phrase[3:]
    found = event_day(phrase, claimed)
    if found is not None and found.phrase == phrase:
        return found.day
    relative = event_day(phrase, dt.date.today()) if claimed is None else None
    if relative is not None and relative.phrase == phrase:
        raise ValueError(f"{typed_quote(typed)} is counted from the claimed date: give that first")
    raise ValueError(f"{typed_quote(typed)} is not a date: try 2022-12-14, 3 March or yesterday")


def _resolve(kind: str, match: re.Match[str], published: dt.date | None) -> dt.date | None:
    groups = match.groupdict()
    if kind == "relative":
        if published is None:
            return None
        return published - dt.timedelta(days=_RELATIVE[" ".join(groups["relative"].casefold().split())])
    if kind == "weekday":
        if published is None:
            return None
        weekday = _WEEKDAYS[_fold_apostrophe(groups["weekday"].casefold())]
        return published - dt.timedelta(days=(published.weekday() - weekday) % 7)
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.casefold()]
    day = int(groups["day"])
    if groups.get("year"):
        return _date(int(groups["year"]), month, day)
    if published is None:
        return None
    candidates = [
        d for year in (published.year - 1, published.year, published.year + 1) if (d := _date(year, month, day))
    ]
    soon = [d for d in candidates if dt.timedelta(0) < d - published <= _AHEAD]  # "talks on 20 December"
    past = [d for d in candidates if d <= published]
    return min(soon) if soon else (max(past) if past else None)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31 February, month 13: not a date, not taken
        return None


def _fold_apostrophe(word: str) -> str:
    for mark in _APOSTROPHES:
        word = word.replace(mark, "ʼ")
    return word
