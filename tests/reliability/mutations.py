"""Malformed documents made from a good one: every value and key of it replaced by something hostile.

``mutations(document)`` yields ``(description, text)`` for each place in the
document (every value, container and key, the top level included) crossed with
each hostile replacement: wrong JSON types (an array where an enum is expected
was one escape), nesting deeper than any recursion limit, lone UTF-16
surrogates written as JSON escapes (in ids, references, keys and ``format``),
control characters, huge strings and numbers. The text is produced by
``json.dumps`` with its ASCII escapes, so a lone surrogate reaches the importer
exactly as a hostile file spells it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

DEEP = 3000
_DEEP_MARK = "\x00deep\x00"
HOSTILE_VALUES: tuple[Any, ...] = (
    ["event"],
    {"kind": "event"},
    [],
    {},
    None,
    True,
    0,
    -1,
    2**70,
    1.5e308,
    "",
    " ",
    "\ud800",
    "c-\udfff",
    "\ud83d\ude00",  # a valid pair: an emoji, fine wherever text is
    "a\x00b",
    "\u202etxt.exe",
    "x" * 100_000,
    _DEEP_MARK,
)
HOSTILE_KEYS: tuple[str, ...] = ("\ud800", "id\udc00", "", "x" * 10_000, "__proto__")


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _replaced(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(document))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return copy


def _rekeyed(document: Any, path: tuple[Any, ...], key: str) -> Any:
    """The object at ``path`` with its first key renamed to ``key``, order kept."""
    copy = json.loads(json.dumps(document))
    parent: Any = None
    target = copy
    for step in path:
        parent, target = target, target[step]
    renamed = {(key if i == 0 else k): v for i, (k, v) in enumerate(target.items())}
    if parent is None:
        return renamed
    parent[path[-1]] = renamed
    return copy


def _text(document: Any) -> str:
    text = json.dumps(document)  # ASCII escapes: lone surrogates are written as \udxxx
    return text.replace(json.dumps(_DEEP_MARK), "[" * DEEP + "]" * DEEP)


@dataclass(frozen=True)
class Mutation:
    """One malformed document: ``text()`` builds it on demand (all of them at once would not fit in memory)."""

    document: Any
    path: tuple[Any, ...]
    value: Any = None
    key: str | None = None

    def __str__(self) -> str:
        where = "$" + "".join(f"[{step!r}]" for step in self.path)
        if self.key is not None:
            return f"{where} first key renamed {ascii(self.key)[:40]}"
        return f"{where} = {ascii(self.value)[:40]}"

    def text(self) -> str:
        if self.key is not None:
            return _text(_rekeyed(self.document, self.path, self.key))
        return _text(_replaced(self.document, self.path, self.value))


def mutations(document: Any) -> list[Mutation]:
    """Every single-place mutation of ``document`` (see the module docstring)."""
    found = []
    for path in _places(document):
        found += [Mutation(document, path, value) for value in HOSTILE_VALUES]
        target = document
        for step in path:
            target = target[step]
        if isinstance(target, dict) and target:
            found += [Mutation(document, path, key=key) for key in HOSTILE_KEYS]
    return found


def sampled(document: Any, count: int | None, seed: int = 8) -> list[Mutation]:
    """``count`` mutations drawn at random (fixed seed), or all of them when ``count`` is None."""
    every = mutations(document)
    if count is None or count >= len(every):
        return every
    return random.Random(seed).sample(every, count)
