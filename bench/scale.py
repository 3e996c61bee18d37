"""The scale benchmark: ``python -m bench.scale [--size N]`` (see ``bench/README.md``).

For one workspace size it:

1. builds or reuses the cached synthetic workspace and import document
   (``bench.generate``) and copies the workspace to a scratch file that every
   contender then uses in turn (the cache stays pristine);
2. prepares the plan every contender follows: the filter texts and the SQL that
   says the same, the link pairs, the repeat counts;
3. runs each contender in a fresh process (``bench.worker``) — floor, peer,
   Crosscheck — then the imports, then whole-process start-up (``bench.launch``);
4. checks the contenders showed the same rows, prints the table and writes it
   as JSON to ``bench/results/scale-<size>.json``.

Timings are medians of several runs. Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import generate, sql
from bench.common import FLOOR_PAGE, median

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = sys.executable
IMPORT_CLAIMS = 100_000


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # An installed application runs from compiled .pyc files: let the untimed first runs write them
    # (with PYTHONDONTWRITEBYTECODE set, every start would compile the application's sources again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def code_version() -> dict[str, Any]:
    """The commit measured, and the files under desktop/ that differed from it (colleagues' work in progress)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"head": git("rev-parse", "HEAD"), "uncommitted": git("status", "--short", "--", "desktop").splitlines()}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the plan ---------------------------------------------------------------------------------


def make_plan(size: int, meta: dict[str, Any], work: Path, args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy as sa

    from desktop.core import db
    from desktop.core.search import claim, compile_filter
    from desktop.core.sqlfunctions import register

    filters: dict[str, dict[str, Any]] = {}
    f = meta["filter"]
    sources = " ".join(f'source:"{name}"' for name in f["source_names"])
    text = f"status:{f['status']} {sources}"
    engine = db.make_engine(db.resolve_location(str(work)))
    try:
        # The source ids Crosscheck's source: terms resolve to (a name matches as a folded substring of names
        # and aliases), so the peer and the floor filter on exactly the same sources.
        where = compile_filter(sources, "sqlite").where
        with engine.connect() as connection:
            ids = sorted(connection.execute(sa.text("SELECT id FROM source")).scalars())
            assert where is not None
            matched = sorted(connection.execute(sa.select(claim.c.source_id).distinct().where(where)).scalars())
        assert matched and set(matched) <= set(ids)
    finally:
        engine.dispose()
    filters["filter_fields"] = {"text": text, "where": sql.status_and_sources(f["status"], matched)}
    for label, term in meta["terms"].items():
        result = compile_filter(term["term"], "sqlite")
        assert result.fts_query is not None
        filters[f"fts_{label}"] = {"text": term["term"], "where": sql.fts(result.fts_query), "match": result.fts_query}

    con = sqlite3.connect(work)
    register(con)
    for spec in filters.values():
        spec["count"] = con.execute(sql.count(spec["where"])).fetchone()[0]
    need = args.repeat + 1

    def unlinked_pairs(where: str) -> list[tuple[int, int]]:
        """Pairs of neighbouring rows on the first page of ``where`` with no link between them yet."""
        top = [r[0] for r in con.execute(sql.page(where, FLOOR_PAGE)).fetchall()]
        pairs: list[tuple[int, int]] = []
        for a, b in zip(top[0::2], top[1::2], strict=False):
            linked = con.execute(
                "SELECT 1 FROM link WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)", (a, b, b, a)
            ).fetchone()
            if not linked:
                pairs.append((a, b))
        if len(pairs) < need:
            raise RuntimeError(f"only {len(pairs)} unlinked pairs on the first page of {where!r}; need {need}")
        return pairs[:need]

    top = [r[0] for r in con.execute(sql.page("", FLOOR_PAGE)).fetchall()]
    pairs = unlinked_pairs("")
    pairs_filtered = unlinked_pairs(filters["filter_fields"]["where"])
    con.close()
    return {
        "size": size,
        "db": str(work),
        "pristine": str(generate.workspace_path(size)),
        "empty": str(generate.empty_workspace()),
        "document": str(generate.document(IMPORT_CLAIMS)),
        "scratch": str(generate.CACHE / f"scratch-{size}.sqlite"),
        "repeat": args.repeat,
        "repeat_last": args.repeat_last,
        "page_downs": args.page_downs,
        "repeat_import": args.repeat_import,
        "repeat_import_workspace": args.repeat_import_workspace,
        "filters": filters,
        "pairs": pairs,
        "pairs_filtered": pairs_filtered,
        "first_page": top,
    }


# --- running ------------------------------------------------------------------------------------


def _busy_cpus(interval: float = 1.0) -> float:
    """How many CPUs other processes kept busy over ``interval`` seconds (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields), idle

    total0, idle0 = sample()
    time.sleep(interval)
    total1, idle1 = sample()
    spent = max(1, total1 - total0)
    return (1 - (idle1 - idle0) / spent) * (os.cpu_count() or 1)


WAIT_QUIET_S = 120.0  # --wait / --no-wait (a busy machine; the busy CPUs seen are recorded either way)


def wait_quiet(limit_s: float | None = None) -> float:
    """Wait (up to ``limit_s``) until other work uses less than half a CPU: the machine is shared.

    Returns the busy CPUs last seen (recorded with each result, so a noisy run shows)."""
    deadline = time.monotonic() + (WAIT_QUIET_S if limit_s is None else limit_s)
    busy = _busy_cpus()
    while busy > 0.5 and time.monotonic() < deadline:
        busy = _busy_cpus(2.0)
    return busy


def run_worker(contender: str, plan_file: Path, into: str | None = None) -> dict[str, Any]:
    out = plan_file.with_name(f"{plan_file.stem}-{contender}-{into or 'browse'}.out.json")
    busy = wait_quiet()
    command = [PYTHON, "-m", "bench.worker", contender, str(plan_file), str(out)]
    if into:
        command += ["--import", into]
    log(f"[{contender}{' import ' + into if into else ''}]")
    subprocess.run(command, check=True, env=_env(), cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text())
    result["busy_cpus_before"] = round(busy, 2)
    out.unlink()
    return result


def run_startup(db: Path, peer: bool, repeat: int) -> dict[str, Any]:
    """Whole-process start-up to the first painted table, ``repeat`` times (after one untimed run)."""
    runs: list[dict[str, float]] = []
    peaks: list[int] = []
    settings = generate.CACHE / "settings"  # a clean QSettings home: no remembered filter or layout
    wait_quiet()
    for i in range(repeat + 1):
        shutil.rmtree(settings, ignore_errors=True)
        env = _env()
        env["XDG_CONFIG_HOME"] = str(settings)
        command = [PYTHON, "-m", "bench.launch", "--db", str(db)] + (["--peer"] if peer else [])
        start = time.monotonic()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
        line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][-1]
        phases = json.loads(line)["phases"]
        if i == 0:
            continue  # the first run also pays for the OS file cache and .pyc files
        runs.append({name: (moment - start) * 1000 for name, moment in phases.items()})
        peaks.append(json.loads(line)["peak_kb"])
    names = list(runs[0])
    return {"ms": [r["painted"] for r in runs], "median_ms": median([r["painted"] for r in runs]),
            "phases_median_ms": {n: median([r[n] for r in runs]) for n in names},
            "peak_kb": median([float(p) for p in peaks])}  # fmt: skip


CAPABILITY_TIMEOUT_S = 40 * 60


def run_capabilities(size: int) -> dict[str, Any]:
    """The new capabilities' benchmarks, each its own script in a fresh process (each writes its own JSON).

    bench_similar (suggestions), bench_history (as-of replay with a tenth of the claims changed since,
    and the history panel), bench_reader (a 100 kB report opened in the reader)."""
    found: dict[str, Any] = {"failed": {}}
    commands = {
        "similar": ["bench.bench_similar", "--size", str(size)],
        # The core's replay (the budget); --no-window leaves out the window's replay into a scratch
        # workspace, which bench_history can also time.
        "history": ["bench.bench_history", "--size", str(size), "--changes", str(size // 10), "--no-window"],
        "reader": ["bench.bench_reader", "--size", str(size)],
    }
    for name, arguments in commands.items():
        busy = wait_quiet()
        log(f"[{name}]")
        start = time.monotonic()
        try:
            done = subprocess.run([PYTHON, "-m", *arguments], env=_env(), cwd=ROOT, capture_output=True, text=True,
                                  timeout=CAPABILITY_TIMEOUT_S, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            found["failed"][name] = f"did not finish in {CAPABILITY_TIMEOUT_S // 60} minutes"
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            found["failed"][name] = f"exit {done.returncode}: {last[:200]}"
            continue
        text = done.stdout.strip()
        result: dict[str, Any] = json.loads(text[text.index("{") :])  # one JSON object (one line or indented)
        result["busy_cpus_before"] = round(busy, 2)
        result["wall_s"] = round(time.monotonic() - start, 1)
        found[name] = result
    return found


def recorded_capabilities(size: int) -> dict[str, Any]:
    """The capabilities' latest results for ``size`` from their own JSON files (when not run this time)."""
    found: dict[str, Any] = {"failed": {}}
    for name in ("similar", "history", "reader"):
        path = RESULTS / f"{name}-{size}.json"
        if path.exists():
            result = json.loads(path.read_text())
            result["recorded_earlier"] = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(path.stat().st_mtime))
            found[name] = result
    return found


def bare_qapplication_kb() -> float:
    """Peak RSS of a process that only creates a QApplication (median of three)."""
    peaks = []
    for _ in range(3):
        done = subprocess.run([PYTHON, "-m", "bench.launch", "--db", "-", "--bare"], env=_env(), cwd=ROOT,
                              capture_output=True, text=True, check=True)  # fmt: skip
        peaks.append(float(json.loads(done.stdout.strip().splitlines()[-1])["peak_kb"]))
    return median(peaks)


# --- the table ----------------------------------------------------------------------------------

# step → (label, target text, check(peer, floor, crosscheck) → (met, how far off))
Targets = dict[str, tuple[str, str]]
LABELS: Targets = {
    "open": ("open → first paint", "≤ 1.5× peer"),
    "page_down": ("page down → repainted", "≤ 16 ms (one frame; bench's own bar)"),
    "last_row": ("jump to last row → painted", "≤ 16 ms"),
    "filter_fields": ("filter status + 5 sources → repainted", "≤ 15 ms and ≥ 3× faster than peer"),
    "fts_rare": ("full-text, rare term → repainted", "≤ 1.5× peer"),
    "fts_medium": ("full-text, medium term → repainted", "≤ 1.5× peer"),
    "fts_common": ("full-text, common term → first page", "≤ 100 ms"),
    "mark_link": ("mark a link → statuses repainted", "≤ 20 ms"),
    "mark_link_filtered": ("mark a link, source filter on → repainted", "≤ 20 ms (not in the issue)"),
    "import_empty": ("import 100k claims (JSON) into an empty workspace", "≥ 50,000 claims/s"),
    "import_workspace": ("import 100k claims (JSON) into this workspace", "≥ 50,000 claims/s"),
    "memory": ("peak RSS over a bare QApplication: table steps", "≤ +90 MB, flat 100k → 1M"),
    "memory_window": ("peak RSS over a bare QApplication: window start", "≤ +90 MB, flat 100k → 1M"),
    "startup": ("process start → painted window", "≤ 2× peer (the textbook app)"),
    "similar": ("similar-claim suggestions for one claim", "≤ 50 ms"),
    "history_panel": ("history panel of one claim", "≤ 20 ms"),
    "as_of": ("as-of replay (+ derivation), a tenth of the claims changed since", "≤ 10 s"),
    "reader": ("open a 100 kB report in the reader → painted", "≤ 50 ms"),
}


def _verdict(step: str, peer: float | None, cc: float | None, extra: dict[str, Any]) -> tuple[bool | None, str]:
    """Whether Crosscheck met the step's target, and by how much it missed (text)."""
    if cc is None:
        return None, "not measured"

    def within(limit: float, value: float, unit: str = "ms") -> tuple[bool, str]:
        if value <= limit:
            return True, ""
        return False, f"{value - limit:,.1f} {unit} over ({value / limit:.1f}× the limit)"

    if step == "open" or step in ("fts_rare", "fts_medium"):
        assert peer is not None
        return within(1.5 * peer, cc)
    if step in ("page_down", "last_row"):
        return within(16.0, cc)
    if step == "filter_fields":
        assert peer is not None
        ok1, miss1 = within(15.0, cc)
        ok2 = cc * 3 <= peer
        miss2 = "" if ok2 else f"only {peer / cc:.1f}× faster than peer (needs 3×)" if cc < peer else \
            f"{cc / peer:.1f}× slower than peer (needs 3× faster)"  # fmt: skip
        return ok1 and ok2, "; ".join(m for m in (miss1, miss2) if m)
    if step == "fts_common":
        return within(100.0, cc)
    if step in ("mark_link", "mark_link_filtered"):
        return within(20.0, cc)
    if step.startswith("import"):
        rate = extra["claims"] / (cc / 1000.0)
        if rate >= 50_000:
            return True, ""
        return False, f"{rate:,.0f} claims/s: {50_000 / rate:.1f}× too slow"
    if step == "startup":
        assert peer is not None
        return within(2 * peer, cc)
    if step == "similar" or step == "reader":
        return within(50.0, cc)
    if step == "history_panel":
        return within(20.0, cc)
    if step == "as_of":
        return within(10.0, cc / 1000, "s")
    if step in ("memory", "memory_window"):
        ok, miss = within(90.0, cc, "MB")
        other = extra.get("other_size_mb")
        if other is not None:
            grows = extra["size"] > extra["other_size"] and cc > other * 1.10 + 5
            if grows:
                ok = False
                miss = "; ".join(m for m in (miss, f"grows {other:.0f} → {cc:.0f} MB from "
                                             f"{extra['other_size']:,} to {extra['size']:,} claims") if m)  # fmt: skip
        return ok, miss
    return None, ""


def build_table(size: int, plan: dict[str, Any], results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def value(contender: str, step: str) -> float | None:
        found = results.get(contender, {}).get("steps", {}).get(step)
        return None if found is None else float(found["median_ms"])

    for step in ("open", "page_down", "last_row", "filter_fields", "fts_rare", "fts_medium", "fts_common",
                 "mark_link", "mark_link_filtered"):  # fmt: skip
        peer, floor, cc = value("peer", step), value("floor", step), value("crosscheck", step)
        met, miss = _verdict(step, peer, cc, {})
        notes = ""
        if step.startswith(("filter", "fts")):
            count_ms = value("floor", f"count:{step}")
            counted = "—" if count_ms is None else f"{count_ms:.1f} ms"
            notes = f"{plan['filters'][step]['count']:,} matches; floor exact count {counted}"
            if step.startswith("fts"):
                notes += f"; MATCH {plan['filters'][step]['match']} (same FTS5 query for all three)"
        if step == "page_down":
            times = results.get("crosscheck", {}).get("steps", {}).get(step, {}).get("ms", [])
            peer_times = results.get("peer", {}).get("steps", {}).get(step, {}).get("ms", [])
            if times:
                notes = f"max of {len(times)}: crosscheck {max(times):.1f} ms, peer {max(peer_times or [0]):.1f} ms"
        if step == "mark_link_filtered":
            notes = "the same write on two rows of the status + sources filter, with the filter on"
        if step == "last_row":
            first = results.get("crosscheck", {}).get("steps", {}).get(step, {}).get("warmup_ms") or [None]
            cold = "—" if first[0] is None else f"{first[0]:.1f} ms"
            notes = (f"peer: fetchMore until canFetchMore() is false, then Ctrl+End; Crosscheck: ClaimTable.last(); "
                     f"Crosscheck's first jump in the process (untimed warm-up): {cold}")  # fmt: skip
        rows.append(_row(step, peer, floor, cc, met, miss, notes))

    for step in ("import_empty", "import_workspace"):
        floor_step = results.get("floor-" + step, {}).get("steps", {}).get(step)
        cc_step = results.get("crosscheck-" + step, {}).get("steps", {}).get(step)
        floor = None if floor_step is None else float(floor_step["median_ms"])
        cc = None if cc_step is None else float(cc_step["median_ms"])
        claims = (cc_step or floor_step or {}).get("claims", IMPORT_CLAIMS)
        met, miss = _verdict(step, floor, cc, {"claims": claims})
        rate = "" if cc is None else f"crosscheck {claims / (cc / 1000):,.0f} claims/s"
        floor_rate = "" if floor is None else f"floor {claims / (floor / 1000):,.0f} claims/s"
        runs = len((cc_step or floor_step or {}).get("ms", []))
        index = "" if not cc_step or "index_median_ms" not in cc_step else (
            f"then the search index, built after the commit while the window is usable: "
            f"{cc_step['index_median_ms'] / 1000:.2f} s")  # fmt: skip
        notes = "; ".join(x for x in (rate, index, floor_rate, f"{runs} run(s)", "peer = floor (raw executemany)")
                          if x)  # fmt: skip
        rows.append(_row(step, floor, floor, cc, met, miss, notes))

    mem: dict[str, float] = {}
    for contender in ("peer", "floor", "crosscheck"):
        found = results.get(contender)
        if found:
            mem[contender] = (found["peak_rss_kb"] - found["baseline_rss_kb"]) / 1024
    other = _other_memory(size)
    extra = {"size": size, **other}
    met, miss = _verdict("memory", mem.get("peer"), mem.get("crosscheck"), extra)
    base = results.get("crosscheck", {}).get("baseline_rss_kb", 0) / 1024
    notes = f"bare QApplication {base:.0f} MB; peak over the browse steps (imports measured apart)"
    if other.get("other_size_mb") is not None:
        notes += f"; crosscheck at {other['other_size']:,} claims: +{other['other_size_mb']:.0f} MB"
    rows.append(_row("memory", mem.get("peer"), mem.get("floor"), mem.get("crosscheck"), met, miss, notes, "MB"))

    bare = results.get("bare-qapplication", {}).get("peak_kb")
    if bare is not None:
        win = {c: (results[f"startup-{c}"]["peak_kb"] - bare) / 1024 for c in ("peer", "crosscheck")}
        other = _other_memory(size, "memory_window")
        extra = {"size": size, **other}
        met, miss = _verdict("memory", win["peer"], win["crosscheck"], extra)
        notes = (f"whole process once its window is whole (Crosscheck: MainWindow, ready; peer: its app) minus "
                 f"a process with a bare QApplication ({bare / 1024:.0f} MB)")  # fmt: skip
        if other.get("other_size_mb") is not None:
            notes += f"; crosscheck at {other['other_size']:,} claims: +{other['other_size_mb']:.0f} MB"
        rows.append(_row("memory_window", win["peer"], None, win["crosscheck"], met, miss, notes, "MB"))

    st_peer = results.get("startup-peer", {}).get("median_ms")
    st_cc = results.get("startup-crosscheck", {}).get("median_ms")
    phases = results.get("startup-crosscheck", {}).get("phases_median_ms", {})
    notes = ", ".join(f"{k} {v:.0f}" for k, v in phases.items() if k != "main")
    met, miss = (None, "") if st_peer is None or st_cc is None else _verdict("startup", st_peer, st_cc, {})
    rows.append(_row("startup", st_peer, None, st_cc, met, miss, "crosscheck phases (ms since launch): " + notes))
    rows.extend(_capability_rows(results.get("capabilities", {})))
    return rows


def _capability_rows(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The new capabilities' own benchmarks (run by ``run_capabilities``), as rows of the table."""
    rows: list[dict[str, Any]] = []
    similar, history, reader = found.get("similar"), found.get("history"), found.get("reader")
    if similar is not None and "median_ms" in similar:
        value = float(similar["median_ms"])
        met, miss = _verdict("similar", None, value, {})
        notes = (f"bench/bench_similar.py: median of {similar['probes']} claims spread over the ids; "
                 f"p95 {similar['p95_ms']} ms, worst {similar['max_ms']} ms")  # fmt: skip
        if "cpu_median_ms" in similar:
            notes += f"; CPU median {similar['cpu_median_ms']} ms"
        if "load_average_1min" in similar:
            notes += f"; load average {similar['load_average_1min']}"
        rows.append(_row("similar", None, None, value, met, miss, notes))
    if history is not None and "replay_s" in history:
        panel = float(history["history_panel_median_ms"])
        met, miss = _verdict("history_panel", None, panel, {})
        worst = history["history_panel_max_ms"]
        notes = f"bench/bench_history.py: median of 200 claims (words.entries_about); worst {worst} ms"
        rows.append(_row("history_panel", None, None, panel, met, miss, notes))
        replay = float(history["replay_and_derive_s"]) * 1000
        met, miss = _verdict("as_of", None, replay, {})
        notes = (f"bench/bench_history.py: {history.get('audit_rows', '?')} audit rows after T "
                 f"({history.get('claim_edits', '?')} claim edits, {history.get('link_removals', '?')} link "
                 f"removals); replay {history['replay_s']} s + derivation {history['derive_s']} s")  # fmt: skip
        if "replay_and_derive_cpu_s" in history:
            notes += f"; CPU {history['replay_and_derive_cpu_s']} s"
        if "load_average_1m" in history:
            notes += f"; load average {history['load_average_1m']}"
        rows.append(_row("as_of", None, None, replay, met, miss, notes))
    if reader is not None and "median_ms" in reader:
        value = float(reader["median_ms"])
        met, miss = _verdict("reader", None, value, {})
        notes = (f"bench/bench_reader.py: {reader['report_bytes']:,} bytes, {reader['spans']} quoted spans; "
                 f"ReaderPane.show_report until the text has painted; "
                 f"load average {reader['load_average_1min']}")  # fmt: skip
        rows.append(_row("reader", None, None, value, met, miss, notes))
    for row in rows:
        source = {"similar": similar, "history_panel": history, "as_of": history, "reader": reader}[row["step"]]
        if source and source.get("recorded_earlier"):
            row["notes"] += f"; recorded {source['recorded_earlier']}, not in this run"
    for name, problem in found.get("failed", {}).items():
        label = {"similar": "similar", "history": "as_of", "reader": "reader"}[name]
        rows.append(_row(label, None, None, None, None, "", f"not measured: {problem}"))
    return rows


def _row(step: str, peer: float | None, floor: float | None, cc: float | None, met: bool | None, miss: str,
         notes: str, unit: str = "ms") -> dict[str, Any]:  # fmt: skip
    label, target = LABELS[step]
    ratio = None if peer in (None, 0) or cc is None else cc / peer  # type: ignore[operator]
    return {"step": step, "label": label, "unit": unit, "peer": peer, "floor": floor, "crosscheck": cc,
            "ratio_to_peer": ratio, "target": target, "met": met, "miss": miss, "notes": notes}  # fmt: skip


def _other_memory(size: int, step: str = "memory") -> dict[str, Any]:
    for path in sorted(RESULTS.glob("scale-*.json")):
        other = json.loads(path.read_text())
        if other.get("size") == size:
            continue
        for row in other.get("rows", []):
            if row["step"] == step and row.get("crosscheck") is not None:
                return {"other_size": other["size"], "other_size_mb": row["crosscheck"]}
    return {}


def render(size: int, rows: list[dict[str, Any]]) -> str:
    def fmt(v: float | None, unit: str) -> str:
        if v is None:
            return "—"
        return f"{v:,.1f} {unit}" if v < 1000 or unit != "ms" else f"{v / 1000:,.2f} s"

    header = ("step", "peer", "floor", "Crosscheck", "× peer", "target", "met?")
    lines = [[r["label"], fmt(r["peer"], r["unit"]), fmt(r["floor"], r["unit"]), fmt(r["crosscheck"], r["unit"]),
              "—" if r["ratio_to_peer"] is None else f"{r['ratio_to_peer']:.2f}", r["target"],
              "—" if r["met"] is None else ("yes" if r["met"] else "NO: " + r["miss"])] for r in rows]  # fmt: skip
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    out = [f"Scale benchmark, {size:,} claims", ""]
    out.append(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    out.append("-|-".join("-" * w for w in widths))
    for line in lines:
        out.append(" | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)))
    out.append("")
    for r in rows:
        if r["notes"]:
            out.append(f"- {r['label']}: {r['notes']}")
    return "\n".join(out)


def check_consistency(plan: dict[str, Any], results: dict[str, dict[str, Any]]) -> list[str]:
    """Did the contenders show the same rows? (first row after open, filters; the last row)."""
    problems: list[str] = []
    expected_first = plan["first_page"][0]
    for contender in ("peer", "floor", "crosscheck"):
        checks = results.get(contender, {}).get("checks", {})
        if not checks:
            continue
        if checks["open"]["first"] != [expected_first]:
            problems.append(f"{contender}: first row after open {checks['open']['first']} != {expected_first}")
        for step, spec in plan["filters"].items():
            got = checks.get(step, {})
            if contender == "crosscheck" and got.get("rows") != spec["count"]:
                problems.append(f"crosscheck: {step} shows {got.get('rows')} rows, SQL count {spec['count']}")
    firsts = {c: results[c]["checks"].get(s, {}).get("first") for c in ("peer", "floor", "crosscheck")
              if c in results for s in plan["filters"]}  # fmt: skip
    del firsts
    for step in plan["filters"]:
        seen = {c: results[c]["checks"][step]["first"] for c in ("peer", "floor", "crosscheck") if c in results}
        if len({tuple(v) for v in seen.values()}) > 1:
            problems.append(f"{step}: first rows differ {seen}")
    lasts = {c: results[c]["checks"]["last_row"]["last"] for c in ("peer", "floor", "crosscheck") if c in results}
    if len({tuple(v) for v in lasts.values()}) > 1:
        problems.append(f"last row differs {lasts}")
    for contender in ("peer", "crosscheck"):
        for step, found in results.get(contender, {}).get("steps", {}).items():
            if found.get("paints") is not None and min(found["paints"] or [1]) < 1:
                problems.append(f"{contender}: {step} did not paint in some run ({found['paints']})")
    return problems


# --- main ---------------------------------------------------------------------------------------


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    code = code_version()
    pristine, meta = generate.workspace(size)
    generate.document(IMPORT_CLAIMS)
    generate.empty_workspace()
    work = generate.CACHE / f"work-{size}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(pristine, work)
    log(f"workspace ready ({time.perf_counter() - t0:.1f} s): {meta['counts']}")
    plan = make_plan(size, meta, work, args)
    plan_file = generate.CACHE / f"plan-{size}.json"
    plan_file.write_text(json.dumps(plan, indent=1, ensure_ascii=False))
    results: dict[str, dict[str, Any]] = {}
    parts = set(args.only.split(","))
    if "browse" in parts:
        for contender in ("floor", "peer", "crosscheck"):
            results[contender] = run_worker(contender, plan_file)
    if "import" in parts:
        intos = ["empty"] + (["workspace"] if not args.skip_import_workspace else [])
        for into in intos:
            for contender in ("floor", "crosscheck"):
                results[f"{contender}-import_{into}"] = run_worker(contender, plan_file, into)
    if "startup" in parts:
        log("[startup]")
        results["startup-peer"] = run_startup(work, True, args.repeat)
        results["startup-crosscheck"] = run_startup(work, False, args.repeat)
        results["bare-qapplication"] = {"peak_kb": bare_qapplication_kb()}
    if "capabilities" in parts:
        results["capabilities"] = run_capabilities(size)
    else:
        results["capabilities"] = recorded_capabilities(size)
    rows = build_table(size, plan, results)
    problems = check_consistency(plan, results)
    report = {
        "size": size,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "sqlite (python)": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },  # fmt: skip
        "code": {"before": code, "after": code_version()},
        "workspace": {k: meta[k] for k in ("counts", "statuses", "terms", "filter", "bytes", "generator", "schema")},
        "plan": {
            k: plan[k]
            for k in (
                "repeat",
                "repeat_last",
                "page_downs",
                "repeat_import",
                "repeat_import_workspace",
                "filters",
                "pairs",
                "pairs_filtered",
            )
        },  # fmt: skip
        "rows": rows,
        "consistency_problems": problems,
        "raw": results,
        "wall_s": time.perf_counter() - t0,
    }
    text = render(size, rows)
    print(text)
    if problems:
        print("\nCONSISTENCY PROBLEMS:\n" + "\n".join("- " + p for p in problems))
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"scale-{size}.json"
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(report, indent=1, ensure_ascii=False))
        os.replace(tmp, out)
        log(f"wrote {out.relative_to(ROOT)}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    return report


def main(argv: list[str] | None = None) -> int:
    global WAIT_QUIET_S
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, action="append", help="claims in the workspace (repeatable); "
                        "default 100000 then 1000000")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per step (median reported)")
    parser.add_argument("--repeat-last", type=int, default=5, help="timed runs of the jump to the last row")
    parser.add_argument("--page-downs", type=int, default=20, help="consecutive page downs timed")
    parser.add_argument("--repeat-import", type=int, default=3)
    parser.add_argument("--repeat-import-workspace", type=int, default=1)
    parser.add_argument("--skip-import-workspace", action="store_true")
    parser.add_argument("--only", default="browse,import,startup,capabilities",
                        help="comma-separated: browse, import, startup, capabilities")  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results")
    parser.add_argument("--wait", type=float, default=WAIT_QUIET_S, metavar="SECONDS",
                        help="longest wait for a quiet machine before each part (default %(default)s)")  # fmt: skip
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine (--wait 0)")
    args = parser.parse_args(argv)
    WAIT_QUIET_S = 0.0 if args.no_wait else args.wait
    for size in args.size or [100_000, 1_000_000]:
        run_size(size, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
