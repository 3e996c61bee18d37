"""The keymap's families of commands made one per relation, grade or verdict, and the capture commands.

Link marking: plain ``c``/``x``/``n``/``r`` mark immediately (speed is the point
of a review pass); Shift+the same key asks for a rationale first (optional
depth). The verdict is a native Qt chord: ``v`` then ``c``/``r``/``i``/``0``.
"""

from __future__ import annotations

from typing import Final

from desktop.core.vocab import CREDIBILITY
from desktop.ui.commands.keymap.action import KeyAction
from desktop.ui.commands.keymap.action import action as _a  # short, as in the table itself

_RELATION_HELP: Final = {
    "corroborates": "asserts the same or a compatible fact as",
    "contradicts": "cannot be true together with",
    "neutral": "addresses without confirming or denying",
    "repeats": "restates (relays, cites, copies)",
}
RELATION_KEYS: Final = {"corroborates": "C", "contradicts": "X", "neutral": "N", "repeats": "R"}
_RELATION_LABELS: Final = {
    "corroborates": "Corroborates pinned claim",
    "contradicts": "Contradicts pinned claim",
    "neutral": "Neutral on pinned claim",
    "repeats": "Repeats pinned claim",
}
_VERDICT_KEYS: Final = {"confirmed": "C", "refuted": "R", "inconclusive": "I"}


def link_actions() -> list[KeyAction]:
    found = []
    for relation, key in RELATION_KEYS.items():
        help_ = f"Mark that the current claim {_RELATION_HELP[relation]} the pinned claim"
        found.append(_a(f"link.{relation}", _RELATION_LABELS[relation], key, "table", "Link", help_ + "."))
        found.append(
            _a(
                f"link.{relation}.why",
                _RELATION_LABELS[relation] + ", with rationale…",
                f"Shift+{key}",
                "table",
                "Link",
                help_ + ", asking for a rationale first.",
            )
        )
    found.append(
        _a(
            "link.remove",
            "Remove link to pinned claim",
            "-",
            "table",
            "Link",
            "Remove the link, if any, between the current and the pinned claim.",
        )
    )
    return found


def grade_actions() -> list[KeyAction]:
    found = [
        _a(
            f"grade.{n}",
            f"Credibility {n} — {meaning}",
            str(n),
            "table",
            "Grade",
            f"Grade the information of the current claim {n} ({meaning}) on the Admiralty scale.",
        )
        for n, meaning in CREDIBILITY.items()
    ]
    found.append(
        _a("grade.clear", "Clear credibility", "0", "table", "Grade", "Remove the analyst's credibility grade.")
    )
    return found


def verdict_actions() -> list[KeyAction]:
    found = [
        _a(
            f"verdict.{verdict}",
            f"Verdict: {verdict}",
            f"V, {key}",
            "table",
            "Verdict",
            f"Record the analyst's verdict '{verdict}' (shown in place of the derived status).",
        )
        for verdict, key in _VERDICT_KEYS.items()
    ]
    found.append(
        _a(
            "verdict.clear",
            "Clear verdict",
            "V, 0",
            "table",
            "Verdict",
            "Remove the verdict; the derived status shows again.",
        )
    )
    return found


def capture_actions() -> list[KeyAction]:
    """Reports, the reader and related claims (``desktop.ui.reader``)."""
    return [
        _a("reports.list", "Reports…", "F3", "window", "Capture", "List, search, open, edit and delete reports."),
        _a(
            "reports.paste",
            "Paste as new report…",
            "Ctrl+Shift+V",
            "window",
            "Capture",
            "Make a new report from the text on the clipboard (its web address, if any, becomes the report's URL).",
        ),
        _a(
            "reader.focus", "Go to the reader", "F4", "window", "Capture", "Move the focus to the report in the reader."
        ),
        _a(
            "reader.close",
            "Close the reader",
            "Ctrl+W",
            "window",
            "Capture",
            "Hide the reader and give its width back to the claim table (Go to the reader opens it again).",
        ),
        _a(
            "claim.open_report",
            "Open the claim's report at its quote",
            "Q",
            "table",
            "Capture",
            "Open the current claim's report in the reader with the quoted span selected.",
        ),
        _a(
            "reader.sentence",
            "Select sentence",
            "S",
            "reader",
            "Capture",
            "Select the sentence at the cursor; again: extend the selection by the next sentence.",
        ),
        _a(
            "reader.paragraph",
            "Select paragraph",
            "P",
            "reader",
            "Capture",
            "Select the paragraph at the cursor; again: extend the selection by the next paragraph.",
        ),
        _a(
            "reader.next_paragraph",
            "Next paragraph",
            ("J", "Ctrl+Down"),
            "reader",
            "Capture",
            "Move the cursor to the start of the next paragraph (after the selection, if any).",
            repeat=True,
        ),
        _a(
            "reader.prev_paragraph",
            "Previous paragraph",
            ("K", "Ctrl+Up"),
            "reader",
            "Capture",
            "Move the cursor to the start of this paragraph, or of the one before when already there.",
            repeat=True,
        ),
        _a(
            "reader.claim",
            "Claim from selection",
            ("C", "Return", "Enter"),
            "reader",
            "Capture",
            "Make a claim of the selected text: its report, quote, the publisher as source, the report's date; "
            "the event's day when the text names one (on Wednesday, yesterday, 3 March).",
        ),
        _a(
            "reader.originator",
            "Source: who the report quotes…",
            "O",
            "reader",
            "Capture",
            "Switch the source of the claim at the cursor (or the last one made) to the originator the report quotes.",
        ),
        _a(
            "reader.next_span",
            "Next captured span",
            "N",
            "reader",
            "Capture",
            "Select the next span a claim was taken from (and make that claim current).",
        ),
        _a(
            "reader.prev_span",
            "Previous captured span",
            "Shift+N",
            "reader",
            "Capture",
            "Select the previous span a claim was taken from (and make that claim current).",
        ),
        _a(
            "related.focus",
            "Related claims",
            "F",
            "table",
            "Related",
            "Focus the suggestions of claims about the same thing as the current claim.",
        ),
        *[
            _a(
                f"related.{relation}",
                f"Current claim {relation} the suggestion"
                if relation != "neutral"
                else "Current claim neutral on the suggestion",
                key,
                "related",
                "Related",
                f"Mark that the current claim {_RELATION_HELP[relation]} the highlighted suggestion.",
            )
            for relation, key in RELATION_KEYS.items()
        ],
        _a(
            "related.dismiss",
            "Dismiss suggestion",
            ("D", "Delete"),
            "related",
            "Related",
            "Not related: never suggest this pair again (undoable).",
        ),
        _a(
            "related.open",
            "Go to the suggested claim",
            ("Return", "Enter"),
            "related",
            "Related",
            "Make the highlighted suggestion the current claim.",
        ),
    ]
