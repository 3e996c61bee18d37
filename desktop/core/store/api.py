"""``Store``: the one place that writes to a workspace.

Every public method is one transaction with audit rows, returns a ``Result``
(what changed, and the write that undoes it) and raises ``UserError`` subclasses
for anything the user can fix, leaving the workspace untouched.
"""

from __future__ import annotations

from desktop.core.store.batch import BatchWrites
from desktop.core.store.claims import ClaimWrites
from desktop.core.store.links import LinkWrites
from desktop.core.store.outreach import OutreachWrites
from desktop.core.store.places import PlaceWrites
from desktop.core.store.report_batches import ReportBatchWrites
from desktop.core.store.reports import ReportWrites
from desktop.core.store.sources import SourceWrites
from desktop.core.store.suggestions import SuggestionWrites


class Store(
    ClaimWrites,
    LinkWrites,
    SourceWrites,
    ReportWrites,
    ReportBatchWrites,
    PlaceWrites,
    OutreachWrites,
    SuggestionWrites,
    BatchWrites,
):
    """All writes of a workspace; see the modules of ``desktop.core.store`` for each group."""
