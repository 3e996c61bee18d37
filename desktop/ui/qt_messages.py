"""Qt's own warnings and errors into the log file, as well as where Qt would have printed them.

Qt reports through its message handler, not through Python: without this, a
``QFont``, ``QPainter`` or platform warning would reach only a terminal the
analyst never sees. The handler installed here logs each message (logger
``qt``) and passes it on to the handler it replaced (pytest-qt's in the tests,
or a print to stderr as Qt does by default).
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Final

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

LOGGER: Final = logging.getLogger("crosscheck.qt")
_LEVELS: Final = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_installed: list[Any] = []


def install() -> None:
    """Route Qt's messages to the log (once per process), chained to the previous handler."""
    if _installed:
        return

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or "qt"
        LOGGER.log(_LEVELS.get(kind, logging.WARNING), "%s: %s", category, message)
        if previous is not None:
            previous(kind, context, message)
        elif kind != QtMsgType.QtDebugMsg:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    _installed.append(handler)
