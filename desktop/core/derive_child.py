"""The as-of patch's derivation process: what runs in it (``history.derive_process`` starts it and says why).

A module of its own, outside ``desktop.core.history``: importing that package (and ``desktop.core.store``'s
names) costs ~0.4 s of SQLAlchemy, SQLModel and the interchange code, which the patch waited for while this
process started. Until the graph is read, it imports only the status engine and ``store.loaded_graph``; the
rest comes while the patch writes.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sqlite3
import sys
from typing import IO, Any

from desktop.core.corroboration import Clusters, cluster_map
from desktop.core.store.loaded_graph import LoadedGraph


def _serve(incoming: IO[bytes], outgoing: IO[bytes]) -> None:
    graph: LoadedGraph | None = None
    known: Clusters | None = None
    while True:
        try:
            message = pickle.load(incoming)
        except EOFError:
            return  # the patch went away (failed, cancelled or killed)
        if message[0] == "graph":
            database = sqlite3.connect(message[1], isolation_level=None)
            try:
                database.execute("PRAGMA query_only=ON")
                database.execute("BEGIN")  # one snapshot for the few scans (nothing writes the copy meanwhile anyway)
                graph = LoadedGraph.from_cursor(database.cursor(), stored=True)  # only what changes goes back
                database.execute("COMMIT")
            finally:
                database.close()
            _say(outgoing, ("graph read",))
            # While the patch writes: every cluster of more than one claim, most of which the changes leave alone,
            # and the modules the derivation needs (~0.4 s; the message that asks for it names their classes).
            known = cluster_map(graph, graph.repeating_claims())
            import desktop.core.history.patch_derive  # noqa: F401
        elif message[0] == "derive":
            if graph is None:
                raise RuntimeError("asked to derive before the graph was read")
            from desktop.core.history.patch_derive import derived_after_in_parts

            for rows in derived_after_in_parts(graph, message[1], message[2], known):
                _say(outgoing, ("rows", rows))
            _say(outgoing, ("done",))
            return


def _say(outgoing: IO[bytes], message: tuple[Any, ...]) -> None:
    pickle.dump(message, outgoing, protocol=pickle.HIGHEST_PROTOCOL)
    outgoing.flush()


def main() -> None:
    # Ctrl+C in a terminal reaches the whole process group: the patch decides (a command ends and kills this
    # process; the window keeps its replay), so this process does not die of it on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Nothing here is cyclic, and millions of objects would make every collection long.
    gc.disable()
    incoming = sys.stdin.buffer
    outgoing = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # A stray print must not corrupt the protocol: it goes where errors go (nowhere, under a GUI launcher
    # that gave the parent no error stream).
    errors = sys.stderr.fileno() if sys.stderr is not None else os.open(os.devnull, os.O_WRONLY)
    os.dup2(errors, sys.stdout.fileno())
    try:
        _serve(incoming, outgoing)
    except BaseException as error:  # noqa: BLE001 — told to the patch, which decides
        try:
            _say(outgoing, ("failed", f"{type(error).__name__}: {error}"))
        except OSError:
            pass
    outgoing.flush()
    os._exit(0)  # without freeing the graph's millions of objects one by one


if __name__ == "__main__":
    main()
