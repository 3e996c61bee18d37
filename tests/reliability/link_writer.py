"""A writer process for the concurrency tests: random link writes on a few claims, as fast as it can.

``python -m tests.reliability.link_writer URL SEED COUNT`` opens the workspace,
prints ``ready``, waits for a line on standard input (so that every writer
starts at once), then marks or removes COUNT links between random pairs of
the workspace's claims, in random directions. A refusal the store reports as a
user error (removing a link that another writer already removed) is expected;
anything else escapes with its traceback and a non-zero exit, which the test
reports. The last line on stdout is a JSON summary.
"""

from __future__ import annotations

import json
import random
import sys

from desktop.core.errors import UserError
from desktop.core.workspace import open_workspace

RELATIONS = ("corroborates", "contradicts", "neutral", "repeats")


def main(url: str, seed: int, count: int) -> int:
    workspace = open_workspace(url, analyst=f"writer-{seed}")
    try:
        with workspace.engine.connect() as connection:
            claims = [row[0] for row in connection.exec_driver_sql("SELECT id FROM claim ORDER BY id")]
        rng = random.Random(seed)
        print("ready", flush=True)
        sys.stdin.readline()
        done = refused = 0
        for _ in range(count if len(claims) >= 2 else 0):
            a, b = rng.sample(claims, 2)
            try:
                if rng.random() < 0.25:
                    workspace.store.remove_link(a, b)
                else:
                    workspace.store.set_link(a, b, rng.choice(RELATIONS), "")
                done += 1
            except UserError:
                refused += 1
        print(json.dumps({"done": done, "refused": refused}), flush=True)
        return 0
    finally:
        workspace.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
