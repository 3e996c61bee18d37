"""The one table of every named command of the window, its keys and where the keys work.

git-cola keeps every binding in ``cola/hotkeys.py`` and qutebrowser maps keys to
command names in one table; this package is both for Crosscheck. The QActions
(``actions.py``), the menus, the command palette and the cheat sheet are all
generated from ``KEYMAP`` — no file outside this package spells a shortcut.

What a command is and where its keys fire is ``keymap.action``; the families
made one per relation, grade or verdict, and the capture commands, are
``keymap.groups``; here are the table itself and how messages name its keys.
"""

from __future__ import annotations

from typing import Final

from desktop.ui.commands.keymap.action import KeyAction
from desktop.ui.commands.keymap.action import action as _a  # short: the table below is read as a table
from desktop.ui.commands.keymap.groups import (
    RELATION_KEYS,
    capture_actions,
    grade_actions,
    link_actions,
    verdict_actions,
)

KEYMAP: Final[tuple[KeyAction, ...]] = (
    # --- Navigate ------------------------------------------------------------------------------
    _a("claim.next", "Next claim", ("J", "Down"), "table", "Navigate", "Move to the next claim.", repeat=True),
    _a("claim.prev", "Previous claim", ("K", "Up"), "table", "Navigate", "Move to the previous claim.", repeat=True),
    _a("claim.first", "First claim", ("G", "Home"), "table", "Navigate", "Move to the first claim."),
    _a("claim.last", "Last claim", ("Shift+G", "End"), "table", "Navigate", "Move to the last claim."),
    _a(
        "claim.next_unreviewed",
        "Next unreviewed claim",
        "Shift+J",
        "table",
        "Navigate",
        "Skip to the next claim not yet marked reviewed, without marking this one.",
    ),
    _a(
        "claim.goto_pinned",
        "Go to pinned claim",
        "Shift+P",
        "table",
        "Navigate",
        "Move back to the pinned claim (clears the filter if it hides it).",
    ),
    # --- Link ----------------------------------------------------------------------------------
    _a(
        "claim.pin",
        "Pin / unpin current claim",
        "P",
        "table",
        "Link",
        "Pin the current claim: the link keys then link other claims to it. On the pinned claim, unpin it.",
    ),
    *link_actions(),
    # --- Grade and verdict ---------------------------------------------------------------------
    *grade_actions(),
    *verdict_actions(),
    # --- Review --------------------------------------------------------------------------------
    _a(
        "claim.review",
        "Mark reviewed, go to next unreviewed",
        "Space",
        "table",
        "Review",
        "Mark the current claim reviewed and jump to the next unreviewed claim.",
    ),
    _a(
        "claim.unreview",
        "Mark not reviewed",
        "Shift+Space",
        "table",
        "Review",
        "Clear the reviewed mark of the current claim.",
    ),
    _a(
        "claim.outreach",
        "Record request for comment…",
        "O",
        "table",
        "Review",
        "Record that a party was asked to comment on the current claim.",
    ),
    _a(
        "outreach.pending",
        "Pending requests for comment…",
        "Shift+O",
        "table",
        "Review",
        "List the requests for comment still unanswered (who was asked, by whom, when); Enter goes to the claim.",
    ),
    # --- Claim ---------------------------------------------------------------------------------
    _a("claim.add", "Add claim…", "A", "table", "Claim", "Add a new claim (a dialog asks for text and source)."),
    _a(
        "claim.edit",
        "Edit claim",
        ("Return", "Enter"),
        "table",
        "Claim",
        "Move the focus into the detail pane to edit the current claim; Esc comes back.",
    ),
    _a("claim.edit_text", "Edit claim text", "E", "table", "Claim", "Edit the text of the current claim."),
    _a("claim.edit_source", "Edit source", "S", "table", "Claim", "Choose the source of the current claim."),
    _a(
        "claim.edit_source_reliability",
        "Edit the source's reliability",
        "Shift+S",
        "table",
        "Claim",
        "Grade the current claim's source (Admiralty A–F) in its form; side, group and names are there too.",
    ),
    _a("claim.edit_tags", "Edit tags", "T", "table", "Claim", "Edit the tags of the current claim."),
    _a("claim.edit_places", "Edit places", "L", "table", "Claim", "Edit the places (locations) of the current claim."),
    _a(
        "claim.edit_notes", "Edit notes", "M", "table", "Claim", "Edit the analyst's notes (memo) on the current claim."
    ),
    _a("claim.edit_kind", "Edit kind", "Shift+K", "table", "Claim", "Choose event, assessment or statement."),
    _a("claim.edit_claimed", "Edit claimed date", "D", "table", "Claim", "Edit when the source asserted it."),
    _a("claim.edit_event_start", "Edit event start", "Shift+D", "table", "Claim", "Edit when the event began."),
    _a("claim.edit_event_end", "Edit event end", "Shift+E", "table", "Claim", "Edit when the event ended."),
    _a(
        "claim.edit_event_precision",
        "Edit date precision",
        "Shift+I",
        "table",
        "Claim",
        "Choose how precise the event's dates are: day, week, month or approximate.",
    ),
    _a(
        "claim.edit_likelihood",
        "Edit likelihood",
        "H",
        "table",
        "Claim",
        "Choose the ICD 203 likelihood of an assessment (how likely: almost no chance … almost certain).",
    ),
    _a(
        "grade.accept_suggested",
        "Accept the suggested credibility",
        "Shift+A",
        "table",
        "Grade",
        "Set your credibility grade to the one the derived status suggests.",
    ),
    _a(
        "claim.edit_links",
        "Go to the claim's links",
        "Shift+L",
        "table",
        "Claim",
        "Focus the list of links of the current claim: Enter goes to the other claim, Delete removes a link.",
    ),
    _a(
        "claim.delete",
        "Delete claim",
        "Delete",
        "table",
        "Claim",
        "Delete the current claim and its links (undoable: Ctrl+Z brings it back).",
    ),
    _a(
        "claim.tag_add",
        "Add tag to selected claims…",
        "Shift+T",
        "table",
        "Claim",
        "Add one tag to every selected claim (one undo step).",
    ),
    _a(
        "claim.copy_citation",
        "Copy as citation",
        "Ctrl+C",
        "table",
        "Claim",
        "Copy the selected claims as citations: text, source, grade, date and report URL.",
    ),
    _a(
        "claim.copy_id",
        "Copy claim id",
        "Ctrl+Shift+C",
        "table",
        "Claim",
        "Copy the interchange ids of the selected claims (as the command line and exports name them).",
    ),
    _a(
        "claim.select_all",
        "Select all claims",
        "Ctrl+A",
        "table",
        "Claim",
        "Select every claim in view: the grading, verdict, review, tag and delete keys then act on all of them.",
    ),
    # --- Capture -------------------------------------------------------------------------------
    *capture_actions(),
    # --- Edit ----------------------------------------------------------------------------------
    _a("edit.undo", "Undo", "Ctrl+Z", "window", "Edit", "Undo the last change.", table_keys=("U",)),
    _a(
        "edit.redo",
        "Redo",
        ("Ctrl+Shift+Z", "Ctrl+Y"),
        "window",
        "Edit",
        "Redo the last undone change.",
        table_keys=("Shift+U",),
    ),
    # --- View ----------------------------------------------------------------------------------
    _a(
        "view.filter",
        "Filter claims",
        "Ctrl+F",
        "window",
        "View",
        "Move the focus to the filter bar (see the filter language below).",
        table_keys=("/",),
    ),
    _a("view.clear_filter", "Clear filter", "Ctrl+Shift+F", "window", "View", "Show all claims again."),
    _a(
        "view.table",
        "Back to the claim table",
        "Esc",
        "window",
        "View",
        "Return the focus to the claim table from the filter bar or the detail pane.",
    ),
    _a(
        "view.palette",
        "Command palette…",
        ("Ctrl+K", "Ctrl+Shift+P"),
        "window",
        "View",
        "Find and run any command by name.",
    ),
    _a("view.reload", "Reload", "F5", "window", "View", "Re-read the workspace (after another program changed it)."),
    _a(
        "view.history",
        "History of this claim",
        "Ctrl+H",
        "window",
        "View",
        "Show or hide what happened to the current claim — its edits, links and judgements, its source's "
        "changes — newest first; ↶ marks the steps this window can undo.",
    ),
    _a(
        "history.as_of",
        "Show as of…",
        "Ctrl+Shift+H",
        "window",
        "View",
        "Show the workspace as it stood at a moment you type (a date, or a date and time): read-only, "
        "with the statuses derived as of then.",
    ),
    _a(
        "history.step_back",
        "Step back a change",
        "Alt+Left",
        "window",
        "View",
        "Show the workspace as it stood before the newest change shown (from now: before the latest change); "
        "says which change that was.",
        table_keys=("[",),
    ),
    _a(
        "history.step_forward",
        "Step forward a change",
        "Alt+Right",
        "window",
        "View",
        "Show the workspace as it stood after the next change in the audit trail; says which change that was.",
        table_keys=("]",),
    ),
    _a(
        "history.now",
        "Back to now",
        "Ctrl+Shift+N",
        "window",
        "View",
        "Leave the workspace as of an earlier moment and show it as it is now, editable again "
        "(while a replay runs: cancel it).",
    ),
    _a(
        "view.as_analyst",
        "Statuses as one analyst sees them…",
        "Ctrl+Shift+A",
        "window",
        "View",
        "Derive every status from one analyst's judgements alone (pick the analyst; the view is read-only); "
        "pressed again, back to everyone's statuses.",
    ),
    _a(
        "view.graph",
        "Evidence graph",
        "Ctrl+G",
        "window",
        "View",
        "Show the current claim's evidence as a graph: its assertion, supporters, contradictors, echoes.",
    ),
    _a(
        "view.timeline",
        "Timeline",
        "Ctrl+T",
        "window",
        "View",
        "Show the filtered claims on a time axis by event date (selecting one moves the table).",
    ),
    _a(
        "view.map",
        "Map",
        "Ctrl+M",
        "window",
        "View",
        "Show the filtered claims' places on a map (Enter on a place filters the table to it).",
    ),
    # --- Workspace -----------------------------------------------------------------------------
    _a("file.new", "New workspace…", "Ctrl+N", "window", "Workspace", "Create an empty workspace file and open it."),
    _a("file.open", "Open workspace…", "Ctrl+O", "window", "Workspace", "Open another workspace file."),
    _a(
        "file.import",
        "Import…",
        "Ctrl+I",
        "window",
        "Workspace",
        "Import a Crosscheck JSON document into this workspace (all or nothing).",
    ),
    _a(
        "file.export",
        "Export…",
        "Ctrl+E",
        "window",
        "Workspace",
        "Export the workspace as Crosscheck JSON or as CSV (chosen by the file type).",
    ),
    _a(
        "file.export_brief",
        "Export brief…",
        "Ctrl+Shift+E",
        "window",
        "Workspace",
        "Write the filtered claims as a brief (PDF, HTML, Markdown), a STIX 2.1 bundle or ClaimReview.",
    ),
    _a(
        "file.backup",
        "Back up…",
        "Ctrl+B",
        "window",
        "Workspace",
        "Write a consistent copy of the workspace (safe while it is open).",
    ),
    _a(
        "file.preferences",
        "Preferences…",
        "Ctrl+,",
        "window",
        "Workspace",
        "Your analyst name, the organisation named in exports, and the theme.",
    ),
    _a(
        "tools.check",
        "Check workspace…",
        "Ctrl+Alt+K",
        "window",
        "Workspace",
        "Check the workspace's integrity (as crosscheck check does) and repair what can be repaired.",
    ),
    _a(
        "tools.restore",
        "Restore from backup…",
        "Ctrl+Alt+R",
        "window",
        "Workspace",
        "Copy one of the workspace's backups into a new file and open it.",
    ),
    _a(
        "tools.add_gazetteer",
        "Add the shipped gazetteer",
        "Ctrl+Alt+G",
        "window",
        "Workspace",
        "Add the places of the gazetteer shipped with Crosscheck (Donbas, names in other scripts) that this "
        "workspace does not hold yet, as one undoable step: capture, place: and the map then know them.",
    ),
    _a("file.quit", "Quit", "Ctrl+Q", "window", "Workspace", "Close Crosscheck."),
    # --- Help ----------------------------------------------------------------------------------
    _a(
        "help.keys",
        "Keyboard shortcuts",
        "F1",
        "window",
        "Help",
        "Show the cheat sheet: every command with its keys, and the filter language.",
        table_keys=("?",),
    ),
    _a(
        "help.report",
        "Report a problem…",
        "Ctrl+F1",
        "window",
        "Help",
        "Show the versions and the end of the log, ready to copy into a bug report.",
    ),
    _a("help.about", "About Crosscheck", "Shift+F1", "window", "Help", "Version and licence."),
)

BY_NAME: Final[dict[str, KeyAction]] = {entry.name: entry for entry in KEYMAP}


def keys_text(entry: KeyAction, native: bool = False) -> str:
    """The keys of ``entry`` as one line, e.g. ``Ctrl+Z or U`` (portable spelling unless ``native``)."""
    from PySide6.QtGui import QKeySequence

    fmt = QKeySequence.SequenceFormat.NativeText if native else QKeySequence.SequenceFormat.PortableText
    return " or ".join(QKeySequence(k).toString(fmt) for k in entry.all_keys)


#: The Reports list's own keys (``desktop.ui.reader.reports``), as its footer names them.
PENDING_REQUESTS_KEYS: Final = "↑ ↓ move · Enter go to the claim · Esc close"
REPORTS_LIST_KEYS: Final = (
    "Enter open in the reader · Shift+Enter its claims in the table · F2 edit · Delete delete · Ctrl+N new · Esc close"
)


def key_of(name: str, which: int = 0) -> str:
    """Key ``which`` of command ``name`` (its keys, then its table keys) as a message names it.

    Messages and hints name keys through here, so a key changed in ``KEYMAP`` is
    changed in every sentence that mentions it. A single letter is written the
    way it is typed (``p``); anything else as the table spells it (``Ctrl+Shift+F``).
    """
    return _typed(BY_NAME[name].all_keys[which])


def last_key_of(name: str) -> str:
    """The key that completes command ``name``'s chord (``c`` of ``V, C``), as a message names it."""
    return _typed(BY_NAME[name].keys[0].split(", ")[-1])


def link_keys() -> str:
    """The link keys in relation order, as messages name them: ``c / x / n / r``."""
    return " / ".join(key_of(f"link.{relation}") for relation in RELATION_KEYS)


def undo_keys() -> str:
    """The undo keys as messages name them: ``u / Ctrl+Z``."""
    return f"{key_of('edit.undo', 1)} / {key_of('edit.undo')}"


def _typed(spelled: str) -> str:
    return spelled.lower() if len(spelled) == 1 else spelled


#: Why a link command cannot run yet (said by the command, the menus, the palette and the key hints).
PIN_FIRST: Final = f"pin a claim first ({key_of('claim.pin')}), then link other claims to it"
#: Where a workspace without places leaves the analyst (the place picker, a ``place:`` filter, the map).
NO_PLACES: Final = (
    f"No places in this workspace yet: {key_of('tools.add_gazetteer')} (Tools ▸ Add the shipped gazetteer) "
    "adds the Donbas places shipped with Crosscheck"
)
