"""Importing an interchange document into a workspace: all or nothing (docs/formats.md).

``import_json`` decodes the document (UTF-8, JSON, at most ``MAX_DOCUMENT_BYTES``),
then, inside the one write transaction of ``store.bulk.bulk_import`` (so the
workspace cannot change under it), checks the whole document against the format
and against what the workspace already holds. Any problem → ``ImportErrors``
listing every one of them with its JSON path, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Final

import orjson
from sqlalchemy.engine import Engine

from desktop.core.gc_pause import collector_paused
from desktop.core.interchange import json_fast, untrusted
from desktop.core.interchange.json_validate import (
    DocumentErrors,
    DuplicateKeys,
    Problem,
    member,
    referenced_ids,
    validate_document,
)
from desktop.core.progress import IMPORT_STEPS, Progress, no_progress
from desktop.core.store.bulk import BulkCounts, BulkRows, WorkspaceKeys, bulk_import

# Large enough for the export of a million-claim workspace (about 0.75 GB of canonical JSON) to come
# back; an import needs about ten times the document's size in memory, so anything larger is refused
# at once with a message rather than left to exhaust the machine.
MAX_DOCUMENT_BYTES: Final = 1024**3


class ImportErrors(DocumentErrors):
    """The document was refused; ``errors`` lists every problem as (JSON path, message)."""

    refused = "nothing imported"


@dataclass(frozen=True)
class ImportReport(BulkCounts):
    """How many entities of each kind one import added (the counts of ``bulk_import``)."""

    def summary(self) -> str:
        return (
            f"{self.sources:,} sources, {self.reports:,} reports, {self.places:,} places, "
            f"{self.claims:,} claims, {self.links:,} links, {self.outreach:,} requests for comment"
        )


def import_json(
    engine: Engine,
    data: bytes | str | dict[str, Any],
    *,
    analyst: str,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    defer_index: bool = False,
) -> ImportReport:
    """Import one interchange document (bytes, text or already decoded) into ``engine``'s workspace.

    Raises ``ImportErrors`` (a ``UserError``) and writes nothing when the document
    has any problem; see ``json_validate`` for the rules. ``progress`` hears of
    each step (``desktop.core.progress``); if it raises, nothing is written.
    ``now``: when the import happens (audit time, and the ``recorded`` of what has none).
    ``defer_index`` (SQLite): the new claims' full-text index is left for after the commit;
    ``store.search_index.index_pending`` builds it (the window does, in the background).
    """
    report = progress or no_progress
    with collector_paused():
        report("reading the document", IMPORT_STEPS["reading the document"])
        digest = None if isinstance(data, dict) else hashlib.sha256(_as_bytes(data)).hexdigest()
        now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
        fast = _decode_fast(data)
        # Held only until it is checked: the decoded document takes several times the memory of its
        # text, and the rows built from it are all the write needs.
        pending = [] if fast is not None else [data if isinstance(data, dict) else decode(data)]

        def build(existing: WorkspaceKeys) -> BulkRows:
            report("checking the document", IMPORT_STEPS["checking the document"])
            if fast is not None:
                rows = fast.rows(existing, now=now, analyst=analyst)
                if rows is not None:
                    return rows
                # Something is wrong (or unsure): the careful walk finds and words every problem.
                pending.append(decode(_as_bytes(data)) if not isinstance(data, dict) else data)
            rows, problems = validate_document(pending.pop(), existing, now=now, analyst=analyst)
            if problems:
                raise ImportErrors(problems)
            return rows

        counts = bulk_import(
            engine,
            build,
            analyst=analyst,
            document={"sha256": digest} if digest else None,
            # Only these are looked up in the workspace.
            wanted=fast.wanted if fast is not None else lambda: referenced_ids(pending[0]),
            progress=report,
            now=now,
            defer_index=defer_index,
        )
    report("done", 1.0)
    return ImportReport(**counts.as_dict())


def _decode_fast(data: bytes | str | dict[str, Any]) -> json_fast.FastDocument | None:
    """The document decoded by ``json_fast`` when it is plainly valid (not a dict, not too large)."""
    if isinstance(data, dict) or (isinstance(data, str) and data.startswith("\ufeff")):
        return None  # a byte-order mark is tolerated in bytes only (``decode``)
    raw = _as_bytes(data)
    return json_fast.decode_fast(raw) if len(raw) <= MAX_DOCUMENT_BYTES else None


def decode(data: bytes | str) -> Any:
    """UTF-8 bytes or text → the decoded JSON value; ``ImportErrors`` at ``$`` if it is neither."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_DOCUMENT_BYTES:
        raise ImportErrors([Problem("$", too_large(size))])
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")  # a byte-order mark is tolerated, as most JSON readers do
        except UnicodeDecodeError as exc:
            raise ImportErrors(
                [Problem("$", f"the document is not UTF-8 text (bad byte at offset {exc.start:,})")]
            ) from None
        document = _decode_plain(data, text)
        if document is not _UNSURE:
            return document
    else:
        text = data
    return _decode_checked(text)


_UNSURE: Final[Any] = object()
# Escapes that make the plain decoding unsure (bytes): a surrogate (``\ud800``–``\udfff``: a lone one is
# not text, see ``untrusted``) or an escaped colon (``\u003a``, which would upset the count of colons below).
_UNSURE_ESCAPES: Final = re.compile(rb"\\u(?:[dD][89a-fA-F]|003[aA])")


def _decode_plain(data: bytes, text: str) -> Any:
    """The document decoded into plain dicts, when that is sure to lose nothing; else ``_UNSURE``.

    ``_object`` (a Python call for every object, to find keys given twice) costs
    more than the decoding itself, so a well-formed document is decoded into plain
    dicts, which keep the last of two equal keys, and then checked for keys lost:
    re-encoded by orjson (in C), it has exactly as many colons as the text when no
    key was lost, and fewer when one was — a colon is a key's, or a character of a
    string, which the text and the re-encoding both spell as itself unless the text
    escapes it (``\\u003a``, then ``_UNSURE``). Anything unsure or wrong (a lost key,
    bad JSON, a number orjson cannot write) is decoded again by ``_decode_checked``,
    which finds and words every problem as before.
    """
    if _UNSURE_ESCAPES.search(data) is not None:
        return _UNSURE
    try:
        document = untrusted.loads(text, parse_constant=_no_constant)
        again = orjson.dumps(document)
    except (ValueError, TypeError):  # JSON errors, TooDeep and orjson's own are ValueErrors
        return _UNSURE
    return document if again.count(b":") == data.count(b":") else _UNSURE


def _decode_checked(text: str) -> Any:
    """The document decoded with every check: keys given twice, lone surrogates, NaN, depth."""
    try:
        document = untrusted.loads(text, object_pairs_hook=_object, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ImportErrors([Problem("$", f"the document is not valid JSON: {exc.msg} ({where})")]) from None
    except untrusted.TooDeep as exc:
        raise ImportErrors([Problem("$", str(exc))]) from None
    except ValueError as exc:  # _no_constant, or a number too long for Python to convert
        raise ImportErrors([Problem("$", f"the document is not valid JSON: {exc}")]) from None
    if untrusted.may_hold_surrogates(text):
        # Refused before anything reads the document: such a string cannot be stored, printed or even
        # looked up in the database (ids and references are query parameters).
        lone = untrusted.lone_surrogates(document, member)
        if lone:
            message = "contains a lone surrogate (\\ud800–\\udfff escape without its pair), which is not text"
            raise ImportErrors([Problem(path, message) for path in lone])
    return document


def too_large(size: int) -> str:
    return f"the document is too large ({size / 2**20:,.0f} MiB; at most {MAX_DOCUMENT_BYTES / 2**20:,.0f} MiB)"


def _as_bytes(data: bytes | str) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    flagged = DuplicateKeys(result)
    flagged.duplicates = []
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            flagged.duplicates.append(key)
        seen.add(key)
    return flagged


def _no_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not, and a NaN coordinate is no place.
    raise ValueError(f"{name} is not a JSON number")
