"""Fewer round trips to a PostgreSQL server around each statement the window runs.

On PostgreSQL every exchange with the server is a round trip through the network
stack and a context switch into the server's process; on a busy machine each one
costs a slice of a millisecond whatever it carries. Around the one or two
statements of a table read, SQLAlchemy's defaults added four of them: a ping when
the connection left the pool (``pool_pre_ping``), ``BEGIN``, ``ROLLBACK`` when it
went back, and — psycopg forgets its prepared statements at every rollback —
``DEALLOCATE ALL``. Two changes remove them:

- **A ping only after a pause** (``ping_when_idle``): a connection is pinged when
  it leaves the pool only if it has rested there for ``IDLE_BEFORE_PING_S`` or
  more; a dead one is then replaced before use, as with ``pool_pre_ping``. One
  used a moment ago is handed out as it is. If the server went away in that
  moment, the statement fails once with the server's error; SQLAlchemy then
  discards the pool's connections, and the next action reconnects.
- **Reads in autocommit** (``read_connection``): a read that needs no single
  snapshot runs without a transaction. Under PostgreSQL's READ COMMITTED (the
  default) every statement already sees what was committed when it began, so the
  rows are the same; only ``BEGIN`` and ``ROLLBACK`` (and the ``DEALLOCATE ALL``)
  are gone. Writes and reads that need one snapshot (a count and the audit
  position it has seen) keep their transactions.

SQLite is untouched: its connections are in-process and take no round trips.
"""

from __future__ import annotations

import time
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

IDLE_BEFORE_PING_S: Final = 5.0  # a connection resting in the pool this long is pinged before use
_RETURNED: Final = "crosscheck_returned_at"  # in a pooled connection's ``info``: when it went back


def ping_when_idle(engine: Engine) -> None:
    """Ping ``engine``'s connections as they leave the pool, but only those idle ``IDLE_BEFORE_PING_S`` or more."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_RETURNED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_rested(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned < IDLE_BEFORE_PING_S:
            return  # new (just connected) or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # SQLAlchemy's documented hand-over: the pool drops this connection and tries another.
            raise sa.exc.DisconnectionError(f"the server did not answer a ping: {error}") from error


def read_connection(engine: Engine) -> Connection:
    """A connection for reads that need no single snapshot: autocommit on PostgreSQL (see the module docstring)."""
    connection = engine.connect()
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection
