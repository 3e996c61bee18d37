"""The workspace's history, read from its audit trail (docs/status-rules.md, rule 9; docs/command-line.md).

- ``replay``: the workspace as it stood at a moment, as an interchange document
  (``as_of(engine, T)``), which ``export --as-of`` writes and ``status --as-of``
  derives over (``statuses``); imported, the as-of workspace on PostgreSQL; the
  reference the property tests hold ``patch`` to;
- ``patch``: the same, fast, on a copy of a SQLite workspace: only the rows the
  trail after T names are rolled back and written back, and only the statuses
  they reach derived again (``scratch.replay_into_scratch`` makes the copy);
- ``moments``: reading ``--as-of`` and refusing moments replay cannot answer;
- ``trail``: the audit rows, grouped into changes and named as the interchange
  format names fields.
"""

from desktop.core.history.moments import BadMoment, check_recorded, parse_moment
from desktop.core.history.replay import AsOf, as_of, replay
from desktop.core.history.statuses import document_statuses

__all__ = ["AsOf", "BadMoment", "as_of", "check_recorded", "document_statuses", "parse_moment", "replay"]
