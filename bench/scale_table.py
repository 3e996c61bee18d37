"""The scale benchmark's table (``bench.scale``): each step's target, whether Crosscheck met it and by how
much it missed, the rendered text, and the check that the contenders showed the same rows."""

from __future__ import annotations

import json
from typing import Any

from bench.scale_plan import IMPORT_CLAIMS
from bench.scale_run import RESULTS

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


def measure(v: float | None, unit: str) -> str:
    """A table cell for a figure: "—" for none, milliseconds past a second as seconds."""
    if v is None:
        return "—"
    return f"{v:,.1f} {unit}" if v < 1000 or unit != "ms" else f"{v / 1000:,.2f} s"


def verdict(row: dict[str, Any]) -> str:
    """A row's "met?" cell."""
    return "—" if row["met"] is None else ("yes" if row["met"] else "NO: " + row["miss"])


def text_table(title: str, header: tuple[str, ...], lines: list[list[str]], rows: list[dict[str, Any]]) -> str:
    """The terminal's table: columns padded to their widest cell, then each row's notes."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    out = [title, ""]
    out.append(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    out.append("-|-".join("-" * w for w in widths))
    out += [" | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)) for line in lines]
    out.append("")
    out += [f"- {r['label']}: {r['notes']}" for r in rows if r["notes"]]
    return "\n".join(out)


def render(size: int, rows: list[dict[str, Any]]) -> str:
    header = ("step", "peer", "floor", "Crosscheck", "× peer", "target", "met?")
    lines = [[r["label"], measure(r["peer"], r["unit"]), measure(r["floor"], r["unit"]),
              measure(r["crosscheck"], r["unit"]),
              "—" if r["ratio_to_peer"] is None else f"{r['ratio_to_peer']:.2f}", r["target"], verdict(r)]
             for r in rows]  # fmt: skip
    return text_table(f"Scale benchmark, {size:,} claims", header, lines, rows)


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
