"""An interchange document of claims of which the first few carry one word (the PostgreSQL table tests' workspaces)."""

from __future__ import annotations

import json


def word_document(claims: int, with_word: int, word: str) -> bytes:
    """``claims`` claims of one source; the first ``with_word`` of them say ``word``, the others "quiet"."""
    made = [
        {
            "id": f"c-{n}",
            "text": f"Report {n}: {word if n < with_word else 'quiet'} near the river.",
            "source": "src",
            "claimed": f"2022-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "recorded": "2023-01-01T12:00:00Z",
        }
        for n in range(claims)
    ]
    source = {"id": "src", "name": "Channel", "kind": "telegram-channel", "side": "russia"}
    return json.dumps({"format": "crosscheck-workspace", "version": 2, "sources": [source], "claims": made}).encode()
