"""The log file: every warning and error of a run, kept in the user's log folder (platformdirs).

``start()`` routes Python's ``logging`` (warnings included, through
``logging.captureWarnings``) to a rotating file — ``crosscheck.log`` in
``user_log_path("crosscheck")``, a few files of a megabyte each — and installs an
exception hook that writes every uncaught exception there with its traceback
before handing it on (the window's hook shows a dialog after it). The window
adds Qt's own messages (``desktop.ui.qt_messages``). The folder and the file are
made only when the first record arrives: a run that has nothing to report leaves
nothing behind.

No Qt here: the command line logs its bugs to the same file.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Final

APP_NAME: Final = "crosscheck"
LOGGER: Final = logging.getLogger(APP_NAME)
_MAX_BYTES: Final = 1_000_000
_KEPT: Final = 3
_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def log_folder() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def log_path() -> Path:
    return log_folder() / f"{APP_NAME}.log"


class _LazyRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose folder is made on the first record, not when logging starts."""

    def _open(self):  # type: ignore[no-untyped-def]  # the stdlib leaves it untyped
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def start(level: int = logging.WARNING) -> Path:
    """Send warnings and errors (and our own records at ``level`` and above) to the log file; its path."""
    path = log_path()
    root = logging.getLogger()
    if not any(isinstance(h, _LazyRotatingHandler) for h in root.handlers):
        handler = _LazyRotatingHandler(path, maxBytes=_MAX_BYTES, backupCount=_KEPT, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.setLevel(logging.DEBUG)
        root.addHandler(handler)
        if root.level > logging.WARNING or root.level == logging.NOTSET:
            root.setLevel(logging.WARNING)
        LOGGER.setLevel(level)
        logging.captureWarnings(True)
        chain_excepthook(None)
    return path


def chain_excepthook(then: ExceptHook | None) -> None:
    """Log every uncaught exception, then call ``then`` (default: Python's own hook, which prints it)."""
    after = then or sys.__excepthook__

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            LOGGER.error("uncaught %s: %s", kind.__name__, value, exc_info=(kind, value, tb))
        after(kind, value, tb)

    sys.excepthook = hook


def tail(lines: int = 200) -> str:
    """The last ``lines`` lines of the log ('' when nothing was logged yet)."""
    path = log_path()
    try:
        with path.open("rb") as stream:
            stream.seek(0, 2)
            size = stream.tell()
            stream.seek(max(0, size - 256 * 1024))
            text = stream.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
