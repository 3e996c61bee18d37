"""Is there a display for the window? Asked before Qt is loaded, because Qt's answer is an abort.

Without a display (an SSH session, a container, a cron job) or without a system
library its X11 plugin needs (``libxcb-cursor0``), Qt prints a paragraph about
platform plugins and aborts the process. ``display_problem`` finds those cases
first and says, in one line, what is missing and what to do; the command line
prints that line and exits 1. Platforms that need no display (``offscreen``,
``minimal``, ``vnc``…) and other operating systems are left to Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Final

_HEADLESS: Final = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "minimalegl")
_NO_DISPLAY: Final = (
    "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): run Crosscheck in a "
    "desktop session, or use its subcommands, which need no display (crosscheck --help)"
)


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """One line saying why the window cannot open here, or None when Qt should be able to."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    wanted = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].split(";", 1)[0].strip().lower()
    if wanted in _HEADLESS:
        return None
    x11, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if wanted.startswith("wayland"):
        return None if wayland else f"QT_QPA_PLATFORM={wanted} but WAYLAND_DISPLAY is not set: {_NO_DISPLAY}"
    if wanted == "xcb" and not x11:
        return f"QT_QPA_PLATFORM=xcb but DISPLAY is not set: {_NO_DISPLAY}"
    if not x11 and not wayland:
        return _NO_DISPLAY
    if wanted == "xcb" or not wayland:  # the X11 plugin will be used
        return _x11_problem(x11)
    return None


def _x11_problem(display: str) -> str | None:
    try:
        ctypes.CDLL("libxcb-cursor.so.0")
    except OSError:
        return (
            "the window's X11 support needs the system library libxcb-cursor0, which is not installed "
            "(Debian/Ubuntu: sudo apt install libxcb-cursor0; or run scripts/setup.sh)"
        )
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return "the window's X11 support needs the system library libxcb1, which is not installed"
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)
    if failed:
        return f"cannot connect to the X display {display!r}: is the X server running, and is DISPLAY right?"
    return None
