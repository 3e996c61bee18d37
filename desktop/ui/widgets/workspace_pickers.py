"""The workspace's searching pickers: sources and reports, each a ``SearchPicker`` over the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.core.read.detail import report_info, search_reports, search_sources, source_info
from desktop.ui.widgets.search_picker import Pick, SearchPicker

if TYPE_CHECKING:
    from desktop.ui.session import WorkspaceSession


def source_picker(session: WorkspaceSession) -> SearchPicker:
    """A picker of the workspace's sources: by any name or alias, in any script."""

    def search(typed: str, limit: int) -> list[Pick]:
        with session.engine.connect() as connection:
            sources = search_sources(connection, typed, limit)
        return [
            Pick(s.id, s.short_label(), s.label + (f" — also {', '.join(s.aliases)}" if s.aliases else ""))
            for s in sources
        ]

    def describe(value: Any) -> str | None:
        with session.engine.connect() as connection:
            found = source_info(connection, int(value))
        return found.short_label() if found else None

    return SearchPicker(search, describe, prompt="search sources by any name or alias")


def report_picker(session: WorkspaceSession, source_of: Callable[[], int | None]) -> SearchPicker:
    """A picker of reports, "— none" first; the reports of ``source_of()`` (the claim's source) lead."""

    def search(typed: str, limit: int) -> list[Pick]:
        with session.engine.connect() as connection:
            reports = search_reports(connection, typed, limit, source_id=source_of())
        return [Pick(r.id, r.label) for r in reports]

    def describe(value: Any) -> str | None:
        with session.engine.connect() as connection:
            found = report_info(connection, int(value))
        return found.label if found else None

    return SearchPicker(search, describe, none_label="— none", prompt="search reports by title")
