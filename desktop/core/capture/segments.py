"""Sentences and paragraphs of a report's text, as spans of code points (``start``, ``end`` exclusive).

What the reader's sentence and paragraph keys select. A paragraph is a run of
non-blank lines. A sentence ends after ``.``, ``!``, ``?`` or ``…`` (with any
closing quotes or brackets) followed by white space, or at the end of its
paragraph; a full stop after a single capital letter or a common abbreviation
("Mr.", "U.S.", "approx.") does not end one. Leading white space is never part
of a span.
"""

from __future__ import annotations

from typing import Final

_ENDS: Final = ".!?…"
_CLOSERS: Final = "\"'”’»)]"
_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr prof gen col lt sgt st no vs etc approx e.g i.e u.s u.k u.n jan feb mar apr jun jul aug sep sept "
    "oct nov dec км тыс млн им ул г".split()
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start: int | None = None
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        if line.strip():
            if start is None:
                start = position + (len(line) - len(line.lstrip()))
            last_end = end - (len(line) - len(line.rstrip()))
        elif start is not None:
            spans.append((start, last_end))
            start = None
        position = end + 1
    if start is not None:
        spans.append((start, last_end))
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        start = p_start
        index = p_start
        while index < p_end:
            if text[index] in _ENDS and not _abbreviation(text, start, index):
                end = index + 1
                while end < p_end and (text[end] in _ENDS or text[end] in _CLOSERS):
                    end += 1
                if end >= p_end or text[end].isspace():
                    spans.append((start, end))
                    index = end
                    while index < p_end and text[index].isspace():
                        index += 1
                    start = index
                    continue
            index += 1
        if start < p_end:
            spans.append((start, p_end))
    return spans


def _abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("\"'“‘«([")
    if len(word) == 1 and word.isalpha():
        return True  # an initial ("J. Smith") or a letter of an acronym
    return word in _ABBREVIATIONS


def span_at(spans: list[tuple[int, int]], position: int) -> int | None:
    """The index of the span containing ``position`` or, between spans, of the next one (None past the end)."""
    for index, (_start, end) in enumerate(spans):
        if position < end:
            return index
    return None


def extend(spans: list[tuple[int, int]], selection: tuple[int, int] | None, position: int) -> tuple[int, int] | None:
    """The next selection of a sentence or paragraph key.

    Without a selection: the span at ``position``. With one that is exactly a run
    of whole spans: that run plus the next span (pressing the key again extends).
    Otherwise the span at the selection's start.
    """
    if not spans:
        return None
    if selection is not None and selection[0] < selection[1]:
        starts = [s for s, _e in spans]
        ends = [e for _s, e in spans]
        if selection[0] in starts and selection[1] in ends:
            following = ends.index(selection[1]) + 1
            if following < len(spans):
                return (selection[0], spans[following][1])
            return selection
        position = selection[0]
    index = span_at(spans, position)
    if index is None:
        index = len(spans) - 1
    return spans[index]
