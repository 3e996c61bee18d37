"""A writer that does not stop: small edits as fast as it can until its standard input closes.

``python -m tests.reliability.hammer URL`` prints ``ready`` once the workspace
is open, then writes through the store, one transaction each — mostly a
claim's notes (the cheapest write, so the most commits a second), now and then
a link marked and removed — until standard input reaches its end; then prints
how many writes it committed.
"""

from __future__ import annotations

import random
import sys
import threading

from desktop.core.errors import UserError
from desktop.core.workspace import open_workspace


def main(url: str) -> int:
    workspace = open_workspace(url, analyst="hammer")
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    try:
        with workspace.engine.connect() as connection:
            claims = [row[0] for row in connection.exec_driver_sql("SELECT id FROM claim ORDER BY id LIMIT 200")]
        rng = random.Random(1)
        print("ready", flush=True)
        writes = 0
        while not stop.is_set():
            a, b = rng.sample(claims, 2)
            try:
                if writes % 20 == 0:
                    workspace.store.set_link(a, b, rng.choice(("corroborates", "contradicts", "neutral")), "")
                    workspace.store.remove_link(a, b)
                    writes += 2
                else:
                    workspace.store.update_claim(a, notes=f"edit {writes}")
                    writes += 1
            except UserError:
                pass
        print(writes, flush=True)
        return 0
    finally:
        workspace.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
