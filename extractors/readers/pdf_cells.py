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
from operator import itemgetter
from typing import Any

from pdfplumber import table as plumber_table

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


def intersections_to_cells(intersections: dict[Point, dict[str, list[Any]]]) -> list[BBox]:
    """The rectangular cells the grid points describe, as pdfplumber.table.intersections_to_cells."""
    if any(not (math.isfinite(x) and math.isfinite(y)) for x, y in intersections):
        return plumber_table.intersections_to_cells(intersections)  # NaN never equals itself: theirs
    points = sorted(intersections)
    v_sets = {p: set(map(_BBOX, ix["v"])) for p, ix in intersections.items()}
    h_sets = {p: set(map(_BBOX, ix["h"])) for p, ix in intersections.items()}
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

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    cells: list[BBox] = []
    for pt, (in_column, in_row) in zip(points, places, strict=True):
        below = by_x[pt[0]][in_column + 1:]
        right = by_y[pt[1]][in_row + 1:]
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt: Point, below: list[Point], right: list[Point], intersections: dict[Point, Any],
                   connects: Any) -> BBox | None:
    """pdfplumber's find_smallest_cell for one point: the first corner pair (below, right) that closes."""
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def _corners(cell: BBox) -> tuple[Point, Point, Point, Point]:
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


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
            cell_corners = _corners(cell)
            if not current or any(c in corners for c in cell_corners):
                corners.update(cell_corners)
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


class FastTableFinder(plumber_table.TableFinder):
    """pdfplumber's TableFinder, its cells found by the linear search above and grouped without its
    quadratic list removals."""

    def __init__(self, page: Any, settings: Any = None) -> None:
        self.page = page
        self.settings = plumber_table.TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [plumber_table.Table(self.page, group)
                       for group in cells_to_tables(self.cells)]


def find_tables(page: Any, settings: dict[str, Any] | None = None) -> list[Any]:
    """As pdfplumber's page.find_tables(settings), for a pdfplumber page or a pdf_pdfium_tables.RulePage."""
    return FastTableFinder(page, settings).tables
