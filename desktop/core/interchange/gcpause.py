"""Pausing Python's cyclic garbage collector around bulk work on a whole workspace.

Importing or exporting a workspace creates millions of dicts, lists and strings,
none of them in a reference cycle, and the collector would scan them again and
again as they pile up: measured at 100k claims, an import took 10.7 s with it and
8.2 s without; building the export document 3.1 s and 2.0 s. Reference counting
still frees everything. The collector's previous state is restored on the way out.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
