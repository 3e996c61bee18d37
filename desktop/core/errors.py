"""Errors the user can act on, as opposed to bugs.

A ``UserError`` carries a one-line message fit to show as it is: the command line
prints it on stderr and exits 1, the window shows it inline or in a message box.
Anything else that escapes is a bug and is reported as one.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: bad input, a missing file, a refused operation."""


class NotFound(UserError):
    """A referenced entity does not exist (any more)."""


class Refused(UserError):
    """The operation would break the workspace's consistency and was not done."""
