"""Watching files with Linux inotify (ctypes, no dependency): did anything open or read them?"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from pathlib import Path

IN_ACCESS = 0x001
IN_OPEN = 0x020
IN_NONBLOCK = 0o4000
_EVENT = struct.Struct("iIII")

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


class FileWatch:
    """Records opens and reads of the files in one folder until closed."""

    def __init__(self, folder: Path) -> None:
        self._fd = _libc.inotify_init1(IN_NONBLOCK)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if _libc.inotify_add_watch(self._fd, os.fsencode(folder), IN_OPEN | IN_ACCESS) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch failed")

    def touched(self) -> list[str]:
        """Names of the files opened or read since the last call."""
        names: list[str] = []
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return names
            offset = 0
            while offset < len(data):
                _wd, _mask, _cookie, length = _EVENT.unpack_from(data, offset)
                raw = data[offset + _EVENT.size : offset + _EVENT.size + length]
                names.append(raw.rstrip(b"\0").decode())
                offset += _EVENT.size + length

    def close(self) -> None:
        os.close(self._fd)
