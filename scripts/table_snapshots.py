"""Render the claim table to PNGs, to check that a change to its painting keeps every pixel.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/table_snapshots.py OUT_DIR [--db WORKSPACE]
    .venv/bin/python scripts/table_snapshots.py --compare BEFORE_DIR AFTER_DIR

Works on a scratch copy of the workspace (default: the 100k benchmark workspace in
``bench/cache``). Its newest claims (the rows the table opens on) are edited first
so the screen holds what painting has to get right: Cyrillic, Arabic and Hebrew
texts, a mixed right-to-left one, an undated claim (italic date), verdicts (the
verdict word before the chip), a disputed verdict (⚠), every status. Then the
table is grabbed at a fixed size in the light and the dark theme, each with no
selection, with rows selected and the current row focused (on the text and on the
status column), with narrow columns (elided places and statuses), scrolled, and at
a larger font. ``--compare`` says which images differ and by how many pixels.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEXTS = (
    "Кремль заявил о переброске резервов под Бахмут; данные не подтверждены независимыми источниками",
    "أعلنت القوات عن تقدم في محيط المدينة وفق مصادر محلية لم يتم التحقق منها",
    "הכוחות דיווחו על התקדמות באזור העיר לפי מקורות מקומיים",
    "Mixed: ЗСУ reported أعلنت القوات near Bakhmut — 12 km, הכוחות 3 km",
    "Short",
    "Ukrainian forces report shelling near Avdiivka overnight; " * 4,
)


def prepare(session: object, model: object) -> None:
    """Edit the newest claims so the first screen holds every kind of cell (see the module docstring)."""
    from desktop.core.read.rows import ClaimRow  # noqa: F401  (the rows the model caches)

    ids = [model.claim_id(r) for r in range(14)]  # type: ignore[attr-defined]
    edits: list[dict[str, object]] = [{"text": t} for t in TEXTS]
    # An undated claim without a place whose status cell looks like no other's: drawn first right after
    # an italic date (the painter's font must be upright again for the cells after it).
    edits += [
        {"claimed": None, "places": [], "verdict": "inconclusive"},
        {"verdict": "confirmed"},
        {"verdict": "refuted"},
    ]
    for claim, changes in zip(ids, edits, strict=False):
        outcome = session.perform(lambda s, c=claim, ch=changes: s.update_claim(c, **ch), "snapshot")  # type: ignore[attr-defined]
        if not outcome.ok:
            raise SystemExit(f"could not edit claim {claim}: {changes}")


def shoot(out: Path, db: str) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.core.workspace import open_workspace
    from desktop.ui.session import WorkspaceSession
    from desktop.ui.table import columns as cols
    from desktop.ui.table.view import ClaimTable
    from desktop.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(db, analyst="snapshots")
    session = WorkspaceSession(workspace)
    table = ClaimTable(session)
    table.resize(1100, 640)
    table.show()
    prepare(session, table.claim_model)
    base_font = app.font()

    def grab(name: str) -> None:
        app.processEvents()
        table.grab().save(str(out / f"{name}.png"))
        table.grab().save(str(out / f"{name}-again.png"))  # what painting keeps between paints, in use

    for theme in ("light", "dark"):
        apply_theme(app, theme)  # type: ignore[arg-type]
        table.first()
        table.clearSelection()
        table.clearFocus()
        grab(f"{theme}-plain")
        table.setFocus()
        table.select_row(2)
        table.selectionModel().select(
            table.model().index(5, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
        grab(f"{theme}-selected-focused")
        table.setCurrentIndex(table.model().index(7, cols.COL_STATUS))
        grab(f"{theme}-current-status-cell")
        window = table.window()
        window.clearFocus()
        grab(f"{theme}-selected-unfocused")
        header = table.horizontalHeader()
        widths = {c: table.columnWidth(c) for c in (cols.COL_STATUS, cols.COL_PLACE, cols.COL_TEXT)}
        header.resizeSection(cols.COL_STATUS, 70)
        header.resizeSection(cols.COL_PLACE, 40)
        grab(f"{theme}-narrow")
        header.resizeSection(cols.COL_STATUS, 140)
        grab(f"{theme}-status-140")
        for column, width in widths.items():
            header.resizeSection(column, width)
        table.move_page(3)
        grab(f"{theme}-scrolled")
        table.first()
        bigger = app.font()
        bigger.setPointSizeF(base_font.pointSizeF() * 1.5)
        table.setFont(bigger)
        grab(f"{theme}-big-font")
        table.setFont(base_font)
        grab(f"{theme}-font-back")
    table.close()
    session.undo_stack.clear()
    workspace.close()


def compare(before: Path, after: Path) -> int:
    from PySide6.QtGui import QImage

    differ = 0
    for image in sorted(before.glob("*.png")):
        other = after / image.name
        if not other.exists():
            print(f"{image.name}: missing in {after}")
            differ += 1
            continue
        a, b = QImage(str(image)), QImage(str(other))
        if a == b:
            continue
        differ += 1
        if a.size() != b.size():
            print(f"{image.name}: sizes differ {a.size().toTuple()} {b.size().toTuple()}")
            continue
        pixels = sum(a.pixel(x, y) != b.pixel(x, y) for y in range(a.height()) for x in range(a.width()))
        print(f"{image.name}: {pixels} pixels differ")
    print(f"{differ} of {len(list(before.glob('*.png')))} images differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--db", default=str(Path(__file__).parent.parent / "bench/cache/ws-v1-100000.sqlite"))
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        from PySide6.QtGui import QGuiApplication

        _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
        return compare(*args.compare)
    if args.out is None:
        parser.error("give OUT_DIR (or --compare BEFORE AFTER)")
    scratch = Path(tempfile.mkdtemp(prefix="table-snapshots-"))
    try:
        copy = scratch / "workspace.sqlite"
        shutil.copyfile(args.db, copy)
        shoot(args.out, str(copy))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
