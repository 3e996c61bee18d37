"""Which dropped files the window imports: local ``.json`` files (anything else is refused at the border)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData


def dropped_json_files(mime: QMimeData | None) -> list[Path]:
    """The local JSON files in a drag (empty when it carries anything else as well)."""
    if mime is None or not mime.hasUrls():
        return []
    paths = []
    for url in mime.urls():
        if not url.isLocalFile():
            return []
        path = Path(url.toLocalFile())
        if path.suffix.lower() != ".json" or not path.is_file():
            return []
        paths.append(path)
    return paths
