"""Write ``desktop/core/search/fts5_characters.py``: what FTS5's ``unicode61`` tokenizer does to each character.

PostgreSQL's word index (``desktop.core.search.documents``) must split and fold
text exactly as SQLite's FTS5 index does, or the same filter would find other
claims on the two back ends. ``unicode61`` classifies characters by its own
Unicode 6.1 tables — frozen in SQLite, since changing them would corrupt existing
indexes — not by Python's newer ``unicodedata``: a character assigned after 6.1
(a newer emoji, say) is part of a word to FTS5. So the behaviour is read from
SQLite itself: every code point is indexed once between two letters (``qXq``) in
an FTS5 table with the tokenizer Crosscheck uses, and the words that come out say
whether it is a separator, dropped (a diacritic), folded to another character, or
kept. Run it again only if the tokenizer's options in migration 0002 change:

    .venv/bin/python scripts/fts5_characters.py
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "desktop" / "core" / "search" / "fts5_characters.py"
TOKENIZER = "unicode61 remove_diacritics 2"  # migration 0002 (and 0009's table)


def _ranges(points: list[int]) -> str:
    """``points`` (sorted) as ``"a-b,c,…"`` in hex."""
    parts: list[str] = []
    start = previous = points[0]
    for point in [*points[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        parts.append(f"{start:x}" if start == previous else f"{start:x}-{previous:x}")
        start = previous = point
    return ",".join(parts)


def main() -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE t USING fts5(b, tokenize = '{TOKENIZER}', detail = full)")
    points = [p for p in range(1, 0x110000) if not 0xD800 <= p <= 0xDFFF and chr(p) != "q"]
    with connection:
        connection.executemany("INSERT INTO t (rowid, b) VALUES (?, ?)", ((p, f"q{chr(p)}q") for p in points))
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    words: dict[int, list[tuple[int, str]]] = {}
    for term, row, offset in connection.execute("SELECT term, doc, offset FROM v"):
        words.setdefault(row, []).append((offset, term))
    separators: list[int] = []
    dropped: list[int] = []
    folded: dict[int, str] = {}
    for point in points:
        found = [term for _, term in sorted(words.get(point, []))]
        if found == ["q", "q"]:
            separators.append(point)
        elif found == ["qq"]:
            dropped.append(point)
        elif len(found) == 1 and found[0].startswith("q") and found[0].endswith("q") and len(found[0]) == 3:
            if found[0][1] != chr(point):
                folded[point] = found[0][1]
        else:
            raise SystemExit(f"unexpected words for U+{point:04X}: {found}")

    def constant(name: str, value: str) -> str:
        """``NAME: Final = (…)`` with ``value`` cut into lines the linter accepts."""
        pieces = [value[i : i + 90] for i in range(0, len(value), 90)] or [""]
        return f"{name}: Final = (\n" + "".join(f"    {piece!r}\n" for piece in pieces) + ")\n"

    keys = "".join(chr(p) for p in folded)
    values = "".join(folded.values())
    TARGET.write_text(
        '"""What FTS5\'s ``unicode61 remove_diacritics 2`` tokenizer does to each character (generated).\n\n'
        f"Written by ``scripts/fts5_characters.py`` from SQLite {sqlite3.sqlite_version}; do not edit.\n"
        "Code points in hex ranges; every other character is kept as it is, inside a word.\n"
        '"""\n\n'
        "from typing import Final\n\n"
        + constant("SEPARATORS", _ranges(separators))
        + constant("DROPPED", _ranges(dropped))
        + constant("FOLDED_FROM", keys)
        + constant("FOLDED_TO", values),
        encoding="utf-8",
    )
    print(f"{TARGET}: {len(separators)} separators, {len(dropped)} dropped, {len(folded)} folded")


if __name__ == "__main__":
    main()
