"""Errors the user can act on, as opposed to bugs.

A ``UserError`` carries a one-line message fit to show as it is: the command line
prints it on stderr and exits 1, the window shows it inline or in the status bar.
``known_error`` also recognises the database's own refusals that the user can do
something about — a workspace locked by another program, a full disk, a read-only
file, a server that went away — and words them as such (qutebrowser's
``KnownError`` / ``BugError`` split). Anything else that escapes is a bug and is
reported as one, with its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: bad input, a missing file, a refused operation."""


class NotFound(UserError):
    """A referenced entity does not exist (any more)."""


class Refused(UserError):
    """The operation would break the workspace's consistency and was not done."""


class DatabaseProblem(UserError):
    """The database refused a write for a reason outside the program (locked, full, read-only); nothing changed."""


class ConnectionLost(DatabaseProblem):
    """The connection to a PostgreSQL workspace was lost (or cannot be made): nothing was changed, and the
    window keeps what was being typed until the connection is back."""


# SQLite primary result codes (https://sqlite.org/rescode.html) → what the user is told.
_LOCKED = "the workspace is busy: another program is writing to it — try again in a moment"
_FULL = "the disk is full: free some space and try again"
_READ_ONLY = "the workspace is read-only (file permissions or a read-only disk)"
_IO = "the workspace file could not be read or written (disk I/O error)"
_CANNOT_OPEN = "the workspace file cannot be opened (moved, deleted, or its folder is not writable)"
_SQLITE_CODES = {5: _LOCKED, 6: _LOCKED, 13: _FULL, 8: _READ_ONLY, 10: _IO, 14: _CANNOT_OPEN}
# The same, recognised by message when the code is not available (an error raised by hand, an older driver).
_SQLITE_MESSAGES = (
    ("database is locked", _LOCKED),
    ("database table is locked", _LOCKED),
    ("database or disk is full", _FULL),
    ("readonly database", _READ_ONLY),
    ("disk i/o error", _IO),
    ("unable to open database file", _CANNOT_OPEN),
)
# PostgreSQL SQLSTATE codes (classes by their first two characters).
_PG_STATES = {
    "55P03": "the workspace is busy: another session holds a lock on it — try again in a moment",
    "40P01": "the write collided with another analyst's (deadlock) — try again",
    "40001": "the write collided with another analyst's — try again",
    "25006": "the workspace is read-only (a read-only transaction or standby server)",
    "42501": "the database refused the write: your role does not allow it",
    "53100": "the database server's disk is full",
}
_PG_CLASSES = {
    "08": "the database server cannot be reached (connection lost) — try again when it is back",
    "53": "the database server is out of resources (disk, memory or connections)",
    "57": "the database server is shutting down or restarting — try again in a moment",
}


def known_error(error: BaseException) -> UserError | None:
    """``error`` as a ``UserError`` when the user can act on it; None when it is a bug.

    Database errors arrive either raw from the driver or wrapped by SQLAlchemy
    (``.orig``); both are recognised. The message says what happened and that
    nothing was changed, in one line.
    """
    if isinstance(error, UserError):
        return error
    cause = getattr(error, "orig", None) or error
    reason = _sqlite_reason(cause) or _postgres_reason(cause)
    if reason is None:
        return None
    kind = ConnectionLost if _connection_lost(cause) else DatabaseProblem
    known = kind(f"{reason}; nothing was changed")
    known.__cause__ = error
    return known


def _connection_lost(error: BaseException) -> bool:
    """Whether a PostgreSQL error means the connection is gone or cannot be made (not a refusal)."""
    if type(error).__module__.split(".")[0] != "psycopg":
        return False
    # psycopg raises a subclass for most states (AdminShutdown for 57P01: the session was ended).
    if not any(kind.__name__ == "OperationalError" for kind in type(error).__mro__):
        return False
    state = getattr(error, "sqlstate", None)
    # No SQLSTATE: the socket failed; 08: connection exceptions; 57P: the server or an administrator
    # ended the session; 55000 at connect: the database accepts no connections now.
    return state is None or state.startswith(("08", "57P")) or state == "55000"


def _sqlite_reason(error: BaseException) -> str | None:
    import sqlite3

    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_CODES:
        return _SQLITE_CODES[code & 0xFF]
    text = str(error).lower()
    return next((reason for fragment, reason in _SQLITE_MESSAGES if fragment in text), None)


def _postgres_reason(error: BaseException) -> str | None:
    if type(error).__module__.split(".")[0] != "psycopg":
        return None
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        if state == "55000" and _connection_lost(error):
            return _PG_CLASSES["08"]  # the database accepts no connections now: as good as unreachable
        return _PG_STATES.get(state) or _PG_CLASSES.get(state[:2])
    if type(error).__name__ == "OperationalError":  # no SQLSTATE: the connection itself failed
        return _PG_CLASSES["08"]
    return None
