"""Two round trips fewer around each PostgreSQL write transaction (``db.write_connection``).

Every write takes the workspace's advisory lock first and, before its commit,
indexes the words of any claim still without them — added, or its text changed,
by this write or by a statement run outside the application
(``search.documents.fill_pending``). Each was a statement of its own, so a round
trip of its own (``core.pg_round_trips`` says what one costs):

- **The lock goes with the first statement.** ``defer_lock`` marks the
  transaction's connection; the lock is taken just before its first statement —
  in the same pipeline when that is a ``pg_pipeline.fetch_together`` (a mark's
  first reads), else as a statement of its own right before it, as before.
  Either way nothing in the transaction runs before the lock.
- **The look for claims without words goes with the audit rows.** A store write
  ends by inserting its audit rows (``Tx.flush_audit``); on PostgreSQL the look
  for a claim still to index is sent in the same pipeline (``words_checked``).
  When it finds none and the transaction runs nothing after it, the commit
  follows at once; else ``fill_pending`` runs as before. Any statement after the
  look forgets it (``_before``), so the look is always the transaction's last
  word on the claims.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

LOCK_DUE: Final = "crosscheck_write_lock_due"  # in the connection's ``info``: the lock statement still to run
WORDS_CHECKED: Final = "crosscheck_no_words_pending"  # … the transaction's last statement found no claim to index
ANY_PENDING: Final = text("SELECT 1 FROM claim WHERE search IS NULL LIMIT 1")  # (the partial ix_claim_search_pending)


def install(engine: Engine) -> None:
    """Take a deferred write lock before a transaction's first statement; forget a look for words after any other."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(connection: Connection, cursor: Any, _statement: str, *_rest: Any) -> None:
        info = connection.info
        lock = info.pop(LOCK_DUE, None)
        if lock is not None:
            cursor.execute(lock)
        info.pop(WORDS_CHECKED, None)


def defer_lock(connection: Connection, lock: str) -> None:
    """Run ``lock`` (the write lock's statement) just before the transaction's first statement."""
    connection.info[LOCK_DUE] = lock
    connection.info.pop(WORDS_CHECKED, None)


def take_deferred_lock(connection: Connection) -> str | None:
    """The lock statement to send first, if the transaction has yet to take it (``fetch_together``)."""
    connection.info.pop(WORDS_CHECKED, None)  # (a statement after the look, as in ``_before``)
    lock = connection.info.pop(LOCK_DUE, None)
    return None if lock is None else str(lock)


def words_checked(connection: Connection) -> None:
    """The look for claims to index (``ANY_PENDING``), the transaction's last statement so far, found none."""
    connection.info[WORDS_CHECKED] = True


def no_words_pending(connection: Connection) -> bool:
    """Whether the transaction's last statement found no claim to index (the commit needs no ``fill_pending``)."""
    return bool(connection.info.get(WORDS_CHECKED))


def finished(connection: Connection) -> None:
    """Forget the transaction's marks (its connection goes back to the pool)."""
    if connection.invalidated or connection.closed:
        return  # (a lost connection: its pool record, and the marks with it, are discarded)
    connection.info.pop(LOCK_DUE, None)
    connection.info.pop(WORDS_CHECKED, None)
