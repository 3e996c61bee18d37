"""The as-of patch's graph read and derivation in a process of their own, beside the patch's own work.

Undoing a hundred thousand changes in a copy of a million-claim workspace
(``history.patch``) reads the trail, the rows it names and the whole graph,
writes the rows back, then derives the statuses the changes reach. All of it is
Python working on Python objects, so a thread cannot share it out (the GIL):
on one core it took 11-12 s, the graph's read 2 s of it. The graph is needed
only by the derivation, so a second process reads it — from the copy, once the
copy is complete, while the patch reads the trail on the workspace — finds
every cluster of more than one claim while the patch writes (most of them the
changes leave alone, and then need not be searched for again:
``corroboration.cluster_map``), and derives over it while the patch ends the
copy's history. At a million claims with a hundred thousand changes the
derivation then takes 3.0 s of CPU instead of 4.1. The main process never
holds the graph, and the derivation process leaves without freeing it.

What goes between the two is plain data, pickled over the child's standard
input and output (the child's side: ``desktop.core.derive_child``):

1. → ``("graph", path)`` once the copy is complete (from the copy's thread);
   ← ``("graph read",)`` once the child has read it and closed the copy, which
   the patch then opens for writing (a connection still open would keep it from
   leaving WAL mode);
2. → ``("derive", reach, changes)`` once the patch has written the copy
   (``patch_derive.Reach``, ``loaded_graph.GraphChanges``: a few hundred
   thousand ids); ← ``("rows", rows)`` for each part of the derivation, the
   derived columns that change (``loaded_graph.DerivedRow``), which the patch
   writes while the next part is derived, then ``("done",)`` — or
   ``("failed", reason)``.

A process is only worth starting for a workspace large enough that reading its
graph costs more than starting an interpreter (``worth_a_process``). If none can
be started, or the child fails before it has read the graph, the patch reads
the graph itself; if it fails later, the patch cannot be finished exactly and
the caller replays a document instead (the reason is logged either way). A
cancelled replay (``Cancelled`` from its progress callback, asked while
waiting) kills the child.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import desktop

_log = logging.getLogger(__name__)

#: below this many claims the process saves nothing: at 100k claims with 10k changes the replay took 1.35 s
#: with it and 1.05-1.1 s without when it took ~0.45 s to start, and 1.1-1.25 s either way once it started in
#: 0.05 s (``core/derive_child.py``); at 1M with 100k changes it saves about 3 s
_MIN_CLAIMS: Final = 200_000
_POLL_S: Final = 0.2  # how often a wait asks the progress callback whether the replay was cancelled


class DeriveFailed(Exception):
    """The derivation process failed or went away; the message says why."""


def worth_a_process(claims: int) -> bool:
    """Whether a workspace of ``claims`` claims gets a derivation process (when its patch reads the graph whole)."""
    return claims >= _MIN_CLAIMS


class DeriveProcess:
    """The parent's handle on a derivation process (see the module docstring); ``close`` always."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        self._child = child
        self._send_lock = threading.Lock()  # the copy's thread sends the first message, the patch the second
        self._heard: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        self._listener = threading.Thread(target=self._listen, name="crosscheck-derive-listener", daemon=True)
        self._listener.start()

    @classmethod
    def start(cls) -> DeriveProcess | None:
        """A new derivation process, or None where no interpreter can be started (the patch then reads the
        graph itself)."""
        command = _command()
        if command is None:
            return None
        # The child imports the same ``desktop`` package as this process, wherever it was imported from.
        package_parent = str(Path(desktop.__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        try:
            child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)  # noqa: S603
        except OSError as error:
            _log.warning("the as-of derivation runs in this process: %s", error)
            return None
        return cls(child)

    def read_graph(self, copy: Path) -> None:
        """The copy at ``copy`` is complete: the child may read its graph."""
        self._send(("graph", str(copy)))

    def wait_for_graph(self, waiting: Callable[[], None]) -> None:
        """Until the child has read the graph and closed the copy; ``waiting`` is called every fraction of a
        second meanwhile (the progress callback: it may cancel)."""
        self._expect(("graph read",), waiting)

    def derive(self, reach: Any, changes: Any) -> None:
        """Ask for the derived columns of what ``reach`` reaches, over the graph brought up to date with ``changes``."""
        self._send(("derive", reach, changes))

    def parts(self, waiting: Callable[[], None]) -> Iterator[list[Any]]:
        """The derived columns ``derive`` asked for, a part at a time as the child derives them (waiting as
        ``wait_for_graph`` does)."""
        while True:
            message = self._expect(("rows", "done"), waiting)
            if message[0] == "done":
                return
            yield list(message[1])

    def close(self) -> None:
        """End the child: it has finished, or it is killed (a failure or a cancel on this side)."""
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        for stream in (self._child.stdin, self._child.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # what was left unsent to a child that went away
                    stream.close()

    # --- the protocol -----------------------------------------------------------------------------------

    def _send(self, message: tuple[Any, ...]) -> None:
        stream = self._child.stdin
        assert stream is not None, "started with a pipe to its input"
        with self._send_lock:
            try:
                pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
                stream.flush()
            except (BrokenPipeError, ValueError):
                pass  # the child has gone: what it said, or its silence, is heard by ``_expect``

    def _listen(self) -> None:
        """Everything the child says, onto ``_heard``; None when it has gone."""
        stream = self._child.stdout
        assert stream is not None, "started with a pipe from its output"
        while True:
            try:
                self._heard.put(pickle.load(stream))
            except (EOFError, OSError, ValueError, pickle.UnpicklingError):
                self._heard.put(None)
                return

    def _expect(self, kinds: tuple[str, ...], waiting: Callable[[], None]) -> tuple[Any, ...]:
        while True:
            try:
                message = self._heard.get(timeout=_POLL_S)
            except queue.Empty:
                waiting()
                continue
            if message is None:
                raise DeriveFailed(f"the derivation process ended (exit status {self._child.wait()})")
            if message[0] == "failed":
                raise DeriveFailed(message[1])
            if message[0] not in kinds:
                expected = " or ".join(repr(kind) for kind in kinds)
                raise DeriveFailed(f"the derivation process said {message[0]!r} where {expected} was expected")
            return message


def _command() -> list[str] | None:
    """How the child is started: this interpreter running this module (None: no interpreter to run).

    ``-P``: ``-m`` would put the current folder first on the module path, and a ``pickle.py`` or a
    ``desktop`` package in the folder the command runs from would be imported instead of the real one."""
    return [sys.executable, "-P", "-m", "desktop.core.derive_child"] if sys.executable else None
