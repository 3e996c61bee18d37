"""Opening a 100 kB report in the reader: ``python -m bench.bench_reader [--size N] [--kb 100] [--spans 40]``.

The issue's budget: ≤ 50 ms from asking for a report to its text painted in the
reader pane, in a workspace of a million claims. Not part of the test run; it
reports.

On a scratch copy of the cached synthetic workspace (``bench.generate``), the
store (``Store.create_report``, ``Store.create_claim`` — the one write path)
adds a report of ``--kb`` kilobytes of UTF-8 text (paragraphs of claim-like
sentences from the benchmark's vocabulary, about 15 % of them Cyrillic, so the
text is not ASCII) and ``--spans`` claims quoting passages of it, spread through
the text. Then, in this process, a ``ReaderPane`` (the window's own widget,
shown offscreen at 700×800) opens the report through ``show_report`` — the read
of the report and its quoted spans, the plain text set, the spans highlighted —
and the harness waits for the text's viewport to paint (``bench.common.painted``).
The pane is emptied (``show_report(None)``, untimed) before each run; one
untimed warm-up, then ``--repeat`` timed runs, median reported. Writes
``bench/results/reader-<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import generate  # noqa: E402
from bench.common import median, painted, settle  # noqa: E402
from bench.textgen import Vocabulary, claim_text  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def report_text(kilobytes: int, seed: int = 11) -> str:
    """About ``kilobytes`` kB of UTF-8: paragraphs of three to eight claim-like sentences."""
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng, latin=5_000, cyrillic=2_000)
    paragraphs: list[str] = []
    size = 0
    while size < kilobytes * 1000:
        sentences = (claim_text(rng, vocabulary, rng.random() < 0.15, None) for _ in range(rng.randint(3, 8)))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(paragraphs)


def add_report(path: Path, kilobytes: int, spans: int) -> tuple[int, int, int]:
    """The report (id, UTF-8 bytes) and how many claims quote it, written through the store."""
    from desktop.core.workspace import open_workspace

    text = report_text(kilobytes)
    workspace = open_workspace(str(path), analyst="bench", create=False)
    try:
        store = workspace.store
        with workspace.engine.connect() as connection:
            source = int(connection.exec_driver_sql("SELECT min(id) FROM source").scalar_one())
        report = store.create_report("Bench report", text=text, source_id=source).value
        assert report is not None
        step = len(text) // (spans + 1)
        for i in range(spans):
            start = (i + 1) * step
            end = start + min(200, step // 2)
            store.create_claim(text[start:end].strip() or "quoted passage", source, report_id=report,
                               quote_start=start, quote_end=end)  # fmt: skip
    finally:
        workspace.close()
    return report, len(text.encode("utf-8")), spans


def measure(size: int, kilobytes: int, spans: int, repeat: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    pristine, _meta = generate.workspace(size)
    scratch = generate.CACHE / f"reader-{size}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(scratch) + suffix).unlink(missing_ok=True)
    shutil.copyfile(pristine, scratch)
    try:
        report, size_bytes, quoted = add_report(scratch, kilobytes, spans)

        from desktop.core.workspace import open_workspace
        from desktop.ui.reader.pane import ReaderPane
        from desktop.ui.session import WorkspaceSession

        workspace = open_workspace(str(scratch), analyst="bench", create=False)
        session = WorkspaceSession(workspace)
        pane = ReaderPane(session)
        pane.resize(700, 800)
        pane.show()
        app.processEvents()
        times: list[float] = []
        warmup: list[float] = []
        for i in range(repeat + 1):
            pane.show_report(None)
            painted(pane.text)
            settle()
            start = time.perf_counter()
            shown = pane.show_report(report)
            painted(pane.text)
            elapsed = (time.perf_counter() - start) * 1000
            assert shown and len(pane.spans) == quoted, "the report and its spans must be shown"
            (times if i else warmup).append(elapsed)
        pane.close()
        session.deleteLater()
        workspace.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)
    return {
        "size": size,
        "report_bytes": size_bytes,
        "spans": quoted,
        "repeat": repeat,
        "ms": [round(t, 2) for t in times],
        "warmup_ms": [round(t, 2) for t in warmup],
        "median_ms": round(median(times), 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--kb", type=int, default=100, help="size of the report's text, kB of UTF-8")
    parser.add_argument("--spans", type=int, default=40, help="claims quoting the report")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.size, args.kb, args.spans, args.repeat)
    print(json.dumps(result))
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"reader-{args.size}.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
