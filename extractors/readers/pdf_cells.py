"""pdfplumber's table finder with its cell search made linear: the same cells, in the same order.

pdfplumber's `intersections_to_cells` scans every later point for each grid point and rebuilds the edge
sets of both points for every pair it compares, which made it the largest single cost of reading a
table page (about a third of a ruled page's time). `FastTableFinder` computes each point's edge sets
once and finds the points directly below and to the right from indexes built in the same sorted order,
so it returns exactly the cells pdfplumber would (tests/test_pdf_cells.py compares the two on the
corpus); everything else is pdfplumber's own `TableFinder`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import groupby
from operator import itemgetter
from typing import Any

from pdfplumber import table as plumber_table
from pdfplumber import utils as plumber_utils

Point = tuple[float, float]
BBox = tuple[float, float, float, float]
_BBOX = itemgetter("x0", "top", "x1", "bottom")  # an edge's box, as pdfplumber's obj_to_bbox gives it
_BY_X0_TOP = itemgetter("x0", "top")
_BY_TOP_X0 = itemgetter("top", "x0")


def edges_to_intersections(edges: list[dict[str, Any]], x_tolerance: float = 1,
                           y_tolerance: float = 1) -> dict[Point, dict[str, list[Any]]]:
    """The points where vertical and horizontal edges meet, as pdfplumber.table.edges_to_intersections:
    theirs compares every vertical with every horizontal (and sorts the horizontals again for each
    vertical); here each vertical meets only the horizontals whose top lies within its reach, found by
    bisection in the same sorted order, so the points, their order and their edge lists are the same."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=_BY_TOP_X0)
    tops = [h["top"] for h in horizontals]
    if not all(math.isfinite(t) for t in tops):
        return plumber_table.edges_to_intersections(edges, x_tolerance, y_tolerance)
    slack = 0.01  # beyond the tolerance: rounding never hides a horizontal the test below would take
    intersections: dict[Point, dict[str, list[Any]]] = {}
    for v in sorted(verticals, key=_BY_X0_TOP):
        v_top, v_bottom, v_x = v["top"], v["bottom"], v["x0"]
        first = bisect_left(tops, v_top - y_tolerance - slack)
        last = bisect_right(tops, v_bottom + y_tolerance + slack)
        for h in horizontals[first:last]:
            if (v_top <= h["top"] + y_tolerance and v_bottom >= h["top"] - y_tolerance
                    and v_x >= h["x0"] - x_tolerance and v_x <= h["x1"] + x_tolerance):
                vertex = (v_x, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def _edge_ids(intersections: dict[Point, dict[str, list[Any]]], kind: str) -> dict[Point, frozenset[int]]:
    """Each point's edges of one kind as small integers, one per distinct box: pdfplumber compares edges
    by their boxes (two edges with one box are one edge), and a box is built once per edge object."""
    by_box: dict[BBox, int] = {}
    by_object: dict[int, int] = {}
    out: dict[Point, frozenset[int]] = {}
    for point, ix in intersections.items():
        ids = []
        for edge in ix[kind]:
            number = by_object.get(id(edge))
            if number is None:
                number = by_object[id(edge)] = by_box.setdefault(_BBOX(edge), len(by_box))
            ids.append(number)
        out[point] = frozenset(ids)
    return out


def _single_edge_ids(intersections: dict[Point, dict[str, list[Any]]]
                     ) -> tuple[dict[Point, int], dict[Point, int]] | None:
    """Each point's one vertical and one horizontal edge as numbers (equal numbers: equal boxes), or None
    when some point has several (the usual grid has one edge of each kind at every point)."""
    v_first: dict[Point, Any] = {}
    h_first: dict[Point, Any] = {}
    for point, ix in intersections.items():
        v, h = ix["v"], ix["h"]
        if len(v) != 1 or len(h) != 1:
            return None
        v_first[point] = v[0]
        h_first[point] = h[0]
    out = []
    for first in (v_first, h_first):
        objects = {id(e): e for e in first.values()}
        boxes: dict[BBox, int] = {}
        number = {key: boxes.setdefault(_BBOX(e), key) for key, e in objects.items()}
        if len(boxes) == len(objects):  # every edge object its own box: its identity is its number
            out.append({p: id(e) for p, e in first.items()})
        else:
            out.append({p: number[id(e)] for p, e in first.items()})
    return out[0], out[1]


def intersections_to_cells(intersections: dict[Point, dict[str, list[Any]]]) -> list[BBox]:
    """The rectangular cells the grid points describe, as pdfplumber.table.intersections_to_cells."""
    if any(not (math.isfinite(x) and math.isfinite(y)) for x, y in intersections):
        return plumber_table.intersections_to_cells(intersections)  # NaN never equals itself: theirs
    points = sorted(intersections)
    # points after each one on its vertical (below) and horizontal (right), in sorted order
    by_x: dict[float, list[Point]] = {}
    by_y: dict[float, list[Point]] = {}
    places: list[tuple[int, int]] = []
    for pt in points:
        column = by_x.setdefault(pt[0], [])
        row = by_y.setdefault(pt[1], [])
        places.append((len(column), len(row)))
        column.append(pt)
        row.append(pt)
    single = _single_edge_ids(intersections)
    if single is not None:
        return _cells_single(points, places, by_x, by_y, *single)
    v_sets = _edge_ids(intersections, "v")
    h_sets = _edge_ids(intersections, "h")
    cells: list[BBox] = []
    for pt, (in_column, in_row) in zip(points, places, strict=True):
        cell = _smallest_cell(pt, by_x[pt[0]], in_column + 1, by_y[pt[1]], in_row + 1, v_sets, h_sets)
        if cell is not None:
            cells.append(cell)
    return cells


def _cells_single(points: list[Point], places: list[tuple[int, int]], by_x: dict[float, list[Point]],
                  by_y: dict[float, list[Point]], v_id: dict[Point, int], h_id: dict[Point, int]) -> list[BBox]:
    """_smallest_cell for every point where each point has one edge of each kind: two points connect
    when their edges' numbers are equal (see _smallest_cell for which half of the test applies)."""
    cells: list[BBox] = []
    append = cells.append
    for pt, (in_column, in_row) in zip(points, places, strict=True):
        v_pt = v_id[pt]
        rights: list[Point] | None = None
        for below_pt in by_x[pt[0]][in_column + 1:]:
            if v_id[below_pt] != v_pt:
                continue
            if rights is None:
                h_pt = h_id[pt]
                rights = [r for r in by_y[pt[1]][in_row + 1:] if h_id[r] == h_pt]
            h_below = h_id[below_pt]
            y = below_pt[1]
            found = False
            for right_pt in rights:
                corner = (right_pt[0], y)
                v_corner = v_id.get(corner)
                if v_corner is not None and v_corner == v_id[right_pt] and h_id[corner] == h_below:
                    append((pt[0], pt[1], corner[0], y))
                    found = True
                    break
            if found:
                break
    return cells


def _smallest_cell(pt: Point, column: list[Point], below: int, row: list[Point], right: int,
                   v_sets: dict[Point, frozenset[int]], h_sets: dict[Point, frozenset[int]]) -> BBox | None:
    """pdfplumber's find_smallest_cell for one point: the first corner pair (below, right) that closes.

    Points below share pt's x and lie lower, points right share its y and lie further right, so of
    pdfplumber's test that two points connect (same x and a shared vertical edge, or same y and a shared
    horizontal one) only one half can hold for each pair compared here; the points right of pt that
    connect to it are the same for every point below, so they are found once."""
    v_pt = v_sets[pt]
    rights: list[Point] | None = None
    for index in range(below, len(column)):
        below_pt = column[index]
        if v_pt.isdisjoint(v_sets[below_pt]):
            continue
        if rights is None:
            h_pt = h_sets[pt]
            rights = [r for r in row[right:] if not h_pt.isdisjoint(h_sets[r])]
        h_below = h_sets[below_pt]
        for right_pt in rights:
            corner = (right_pt[0], below_pt[1])
            v_corner = v_sets.get(corner)
            if (v_corner is not None and not v_corner.isdisjoint(v_sets[right_pt])
                    and not h_sets[corner].isdisjoint(h_below)):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def cells_to_tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables by shared corners, as pdfplumber.table.cells_to_tables: the same passes
    over the cells not yet placed, in the same order, without removing each placed cell from a list
    (which made theirs quadratic in a table's cells). Repeated cells (which the cell search above never
    gives: one cell per grid point) go to theirs, whose removal of the first equal cell reorders them."""
    if len(set(cells)) != len(cells):
        return plumber_table.cells_to_tables(cells)
    remaining = list(cells)
    corners: set[Point] = set()
    current: list[BBox] = []
    tables: list[list[BBox]] = []
    while remaining:
        placed = len(current)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell  # its four corners, tested without a generator
            a, b, c, d = (x0, top), (x0, bottom), (x1, top), (x1, bottom)
            if not current or a in corners or b in corners or c in corners or d in corners:
                corners.update((a, b, c, d))
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == placed:  # a pass placed nothing: the table is complete
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]


def _snapped(objs: list[dict[str, Any]], attr: str, tolerance: float) -> list[dict[str, Any]]:
    """pdfplumber's snap_objects: values chained within the tolerance form a cluster (objects in their
    order within it, clusters by value); each object moved to its cluster's mean, as a new dict."""
    values = sorted({o[attr] for o in objs})
    cluster: dict[float, int] = {}
    number = -1
    last = 0.0
    for x in values:
        if number < 0 or tolerance == 0 or not x <= last + tolerance:
            number += 1
        cluster[x] = number
        last = x
    groups: list[list[dict[str, Any]]] = [[] for _ in range(number + 1)]
    for o in objs:
        groups[cluster[o[attr]]].append(o)
    out = []
    keys = ("x0", "x1") if attr == "x0" else ("top", "bottom", "doctop")
    for group in groups:
        mean = sum([o[attr] for o in group]) / len(group)
        for o in group:
            value = mean - o[attr]
            moved = dict(o)
            for key in keys:
                if key in o:
                    moved[key] = o[key] + value
            if attr == "top" and "y0" in o:
                moved["y0"] = o["y0"] - value
                moved["y1"] = o["y1"] - value
            out.append(moved)
    return out


def _edge_group(edge: dict[str, Any]) -> tuple[str, float]:
    return ("h", edge["top"]) if edge["orientation"] == "h" else ("v", edge["x0"])


def _joined(edges: list[dict[str, Any]], orientation: str, tolerance: float) -> list[dict[str, Any]]:
    """pdfplumber's join_edge_group: edges on one line that overlap or come within the tolerance
    become one, its far end extended (as resize_object does: the size follows the end)."""
    if len(edges) == 1:
        return edges
    lo, hi = ("x0", "x1") if orientation == "h" else ("top", "bottom")
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                value = e[hi]
                grown = dict(last)
                grown[hi] = value
                if hi == "x1":
                    grown["width"] = value - last["x0"]
                else:
                    diff = value - last["bottom"]
                    grown["height"] = last["height"] + diff
                    if "y0" in last:
                        grown["y0"] = last["y0"] - diff
                joined[-1] = grown
        else:
            joined.append(e)
    return joined


def merge_edges(edges: list[dict[str, Any]], snap_x_tolerance: float, snap_y_tolerance: float,
                join_x_tolerance: float, join_y_tolerance: float) -> list[dict[str, Any]]:
    """pdfplumber.table.merge_edges (snap each line's edges to one position, join those along a line),
    the same edges in the same order, without its generic per-edge helpers. Edges that are not plain
    dicts with an orientation and finite coordinates in order go to theirs."""
    plain = all(type(e) is dict and e.get("orientation") in ("h", "v") and e["x0"] <= e["x1"]
                and e["top"] <= e["bottom"] and math.isfinite(e["x0"] + e["x1"] + e["top"] + e["bottom"])
                for e in edges)
    if not plain:  # (theirs also asserts each joined edge ends after it starts)
        return plumber_table.merge_edges(edges, snap_x_tolerance, snap_y_tolerance, join_x_tolerance,
                                         join_y_tolerance)
    if snap_x_tolerance > 0 or snap_y_tolerance > 0:
        edges = (_snapped([e for e in edges if e["orientation"] == "v"], "x0", snap_x_tolerance)
                 + _snapped([e for e in edges if e["orientation"] == "h"], "top", snap_y_tolerance))
    out: list[dict[str, Any]] = []
    for key, group in groupby(sorted(edges, key=_edge_group), key=_edge_group):
        out.extend(_joined(list(group), key[0], join_x_tolerance if key[0] == "h" else join_y_tolerance))
    return out


class FastTableFinder(plumber_table.TableFinder):
    """pdfplumber's TableFinder, its edges merged, its cells found by the linear search above and
    grouped without its quadratic list removals."""

    def __init__(self, page: Any, settings: Any = None) -> None:
        self.page = page
        self.settings = plumber_table.TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [plumber_table.Table(self.page, group)
                       for group in cells_to_tables(self.cells)]

    def get_edges(self) -> list[dict[str, Any]]:
        """As TableFinder.get_edges for rules drawn ("lines") or given ("explicit", as page objects),
        merged by merge_edges above; any other strategy or setting goes to theirs."""
        s = self.settings
        vertical = self._kind_edges("v", s.vertical_strategy, s.explicit_vertical_lines)
        horizontal = self._kind_edges("h", s.horizontal_strategy, s.explicit_horizontal_lines)
        if vertical is None or horizontal is None:
            return list(super().get_edges())
        edges = merge_edges(vertical + horizontal, s.snap_x_tolerance, s.snap_y_tolerance,
                            s.join_x_tolerance, s.join_y_tolerance)
        return list(plumber_utils.filter_edges(edges, min_length=s.edge_min_length))

    def _kind_edges(self, kind: str, strategy: str, explicit: Any) -> list[dict[str, Any]] | None:
        """The page's rules of one orientation then the given ones, or None where theirs must decide."""
        if strategy not in ("lines", "explicit") or (strategy == "explicit" and len(explicit or []) < 2):
            return None  # words as edges, or a setting theirs rejects with its own error
        given = []
        for desc in explicit or []:
            if not isinstance(desc, dict):
                return None  # a bare coordinate: a rule across the page, theirs builds it
            given += [e for e in plumber_utils.obj_to_edges(desc) if e["orientation"] == kind]
        if strategy == "explicit":
            return given
        prefilter = self.settings.edge_min_length_prefilter
        return list(plumber_utils.filter_edges(self.page.edges, kind, min_length=prefilter)) + given


def find_tables(page: Any, settings: dict[str, Any] | None = None) -> list[Any]:
    """As pdfplumber's page.find_tables(settings), for a pdfplumber page or a pdf_pdfium_tables.RulePage."""
    return FastTableFinder(page, settings).tables
