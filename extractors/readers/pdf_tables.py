"""Ruled tables on a PDF page: visible edges only, open borders closed, grids with merged-cell spans."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from extractors.readers.pdf_cells import find_tables as find_cell_tables
from extractors.readers.pdf_text import Char, chars_text
from schemas.document import BBox, Cell, Table

_TOL = 2.0  # points: coordinates closer than this are one grid line
_THIN = 3.0  # a filled rectangle this thin is drawn as a rule, not a background
_MAX_EDGES = 1500  # more rules than this on a page: a drawing, not a form
_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class Edge:
    """A horizontal (pos = y, lo..hi = x) or vertical (pos = x, lo..hi = y) ruling segment."""

    pos: float
    lo: float
    hi: float


def is_visible_rule(obj: dict[str, Any]) -> bool:
    """Keep page objects that draw rules: lines, curves, stroked or thin rectangles.

    WPS exports paint a white filled box behind every text line and table cell; as table edges
    those turn body text into one-column 'tables' and glue text frames onto real tables.
    """
    if obj.get("object_type") != "rect":
        return True
    thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) <= _THIN
    return bool(obj.get("stroke")) or thin


def _edges(page: Any) -> tuple[list[Edge], list[Edge]]:
    horizontal, vertical = [], []
    for e in page.edges:
        if _orientation(e) == "h":
            horizontal.append(Edge(e["top"], e["x0"], e["x1"]))
        else:
            vertical.append(Edge(e["x0"], e["top"], e["bottom"]))
    return horizontal, vertical


def _orientation(edge: dict[str, Any]) -> str:
    """'h' or 'v' by the edge's shape; pdfplumber compares coordinates exactly, and on a rotated page
    (/Rotate 90) a horizontal rule's ends differ by 1e-13 and it calls the rule vertical."""
    return "h" if edge["bottom"] - edge["top"] < edge["x1"] - edge["x0"] else "v"


def _misread(page: Any) -> bool:
    """True when pdfplumber called some rule by the wrong orientation (see _orientation)."""
    return any(_orientation(e) != e["orientation"] for e in page.edges)


def _snapped(horizontal: list[Edge], vertical: list[Edge]) -> tuple[list[dict], list[dict]]:
    """Rules as line objects with exactly equal ends, which pdfplumber reads with the right orientation."""
    h = [{"object_type": "line", "x0": e.lo, "x1": e.hi, "top": e.pos, "bottom": e.pos, "width": e.hi - e.lo,
          "height": 0.0} for e in horizontal]
    v = [{"object_type": "line", "x0": e.pos, "x1": e.pos, "top": e.lo, "bottom": e.hi, "width": 0.0,
          "height": e.hi - e.lo} for e in vertical]
    return h, v


def _closing(ends: list[tuple[float, float]]) -> list[tuple[float, float, float]]:
    """Group segment ends (end, position) sharing an end; each group of 2+ gives a closing rule."""
    rules = []
    ends.sort()
    group: list[tuple[float, float]] = []
    for item in ends + [(float("inf"), 0.0)]:
        if group and item[0] - group[0][0] > _TOL:
            if len(group) >= 2:
                positions = [p for _, p in group]
                if max(positions) - min(positions) > 10:
                    rules.append((group[0][0], min(positions), max(positions)))
            group = []
        group.append(item)
    return rules


def _touch(a: Edge, a_h: bool, b: Edge, b_h: bool) -> bool:
    """Two rules meet: crossing or touching (perpendicular), or overlapping on one line (parallel)."""
    if a_h == b_h:
        return abs(a.pos - b.pos) <= _TOL and a.lo <= b.hi + _TOL and b.lo <= a.hi + _TOL
    return a.lo - _TOL <= b.pos <= a.hi + _TOL and b.lo - _TOL <= a.pos <= b.hi + _TOL


def _near_pairs(items: list[tuple[Edge, bool]]) -> Iterator[tuple[int, int]]:
    """Pairs (i, j) of rules that may touch (see _touch), each once: those whose vertical extents come
    within _TOL of each other, found by a sweep from the top instead of comparing every pair (a page
    of ruled cells draws hundreds of rules). Every pair when some coordinate is not finite."""
    if not all(math.isfinite(v) for e, _ in items for v in (e.pos, e.lo, e.hi)):
        yield from ((i, j) for i in range(len(items)) for j in range(i + 1, len(items)))
        return
    spans = [(e.pos, e.pos) if is_h else (e.lo, e.hi) for e, is_h in items]
    order = sorted(range(len(items)), key=spans.__getitem__)
    reach = _TOL + 0.01  # a little beyond _TOL: rounding never hides a pair _touch would join
    for n, i in enumerate(order):
        limit = spans[i][1] + reach
        for j in order[n + 1:]:
            if spans[j][0] > limit:
                break
            yield (i, j) if i < j else (j, i)


def _components(horizontal: list[Edge], vertical: list[Edge]) -> list[tuple[list[Edge], list[Edge]]]:
    """Connected groups of rules (one per drawn table), so closing rules never bridge two tables."""
    items = [(e, True) for e in horizontal] + [(e, False) for e in vertical]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _near_pairs(items):
        a, a_h = items[i]
        b, b_h = items[j]
        if _touch(a, a_h, b, b_h):
            parent[root(i)] = root(j)
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, (e, is_h) in enumerate(items):
        group = groups.setdefault(root(i), ([], []))
        group[0 if is_h else 1].append(e)
    return list(groups.values())


def closing_lines(horizontal: list[Edge], vertical: list[Edge]) -> tuple[list[dict], list[dict]]:
    """Rules that close tables cut by a page break: where 2+ verticals end at one y, a horizontal there.

    Likewise where 2+ horizontals end at one x. Only within one connected group of rules;
    duplicates of drawn rules are harmless (pdfplumber merges them).
    """
    h_lines, v_lines = [], []
    for group_h, group_v in _components(horizontal, vertical):
        for ends in ([(e.lo, e.pos) for e in group_v], [(e.hi, e.pos) for e in group_v]):
            for y, x0, x1 in _closing(ends):
                h_lines.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                                "width": x1 - x0, "height": 0.0})
        for ends in ([(e.lo, e.pos) for e in group_h], [(e.hi, e.pos) for e in group_h]):
            for x, y0, y1 in _closing(ends):
                v_lines.append({"object_type": "line", "x0": x, "x1": x, "top": y0, "bottom": y1,
                                "width": 0.0, "height": y1 - y0})
    return h_lines, v_lines


def _bounds(values: list[float]) -> list[float]:
    """Distinct grid coordinates: values within _TOL of each other collapse to their first."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _rounded(box: BBox) -> BBox:
    """A box to 0.01 pt, as cells keep it."""
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


def _index(bounds: list[float], v: float) -> int:
    i = bisect_left(bounds, v - _TOL)
    return min(i, len(bounds) - 1)


def _covered(edges: list[Edge], pos: float, lo: float, hi: float) -> bool:
    """True when rules at `pos` cover most of lo..hi."""
    total = 0.0
    for e in edges:
        if abs(e.pos - pos) <= _TOL:
            total += max(0.0, min(hi, e.hi) - max(lo, e.lo))
    return total >= 0.6 * (hi - lo)


class _Rounding(dict[float, float]):
    """round(v, 2) for any value, where the values cannot be told apart as dictionary keys."""

    def __missing__(self, v: float) -> float:
        return round(v, 2)


class CharsByHeight:
    """A page's glyphs ordered by their vertical centre, so a cell's text is found without scanning
    the whole page for every cell (a table has a hundred cells, a page a thousand glyphs).

    The glyphs of one band of height (a table row: its cells share top and bottom) are sorted by their
    horizontal centre once, so each cell of the row takes its glyphs by two bisections."""

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        middles = [(ch["top"] + ch["bottom"]) / 2 for ch in chars]
        order = sorted(range(len(chars)), key=middles.__getitem__)
        self._middles = [middles[i] for i in order]
        self._order = order
        self._centres = [(ch["x0"] + ch["x1"]) / 2 for ch in chars]
        # a coordinate that is not finite breaks sorting and bisection: such a page scans every band
        self._finite = all(map(math.isfinite, middles)) and all(map(math.isfinite, self._centres))
        self._bands: dict[tuple[float, float], tuple[list[float], list[int]]] = {}

    def _band(self, top: float, bottom: float) -> tuple[list[float], list[int]]:
        """The glyphs whose vertical centre lies in top..bottom: their centres ascending, and indexes."""
        band = self._bands.get((top, bottom))
        if band is None:
            rows = self._order[bisect_left(self._middles, top): bisect_right(self._middles, bottom)]
            centres = self._centres
            rows.sort(key=centres.__getitem__)
            band = ([centres[i] for i in rows], rows)
            self._bands[(top, bottom)] = band
        return band

    def text_in(self, box: BBox) -> str:
        """The text of the glyphs whose centre lies in the box, in the page's glyph order."""
        x0, top, x1, bottom = box
        if self._finite:
            centres, rows = self._band(top, bottom)
            inside = rows[bisect_left(centres, x0): bisect_right(centres, x1)]
            if len(inside) > 1:
                inside.sort()
        else:
            rows = self._order[bisect_left(self._middles, top): bisect_right(self._middles, bottom)]
            inside = sorted([i for i in rows if x0 <= self._centres[i] <= x1])
        chars = self.chars
        return chars_text([chars[i] for i in inside])


def build_table(cell_boxes: list[BBox], chars: list[Char], horizontal: list[Edge],
                vertical: list[Edge], page_number: int, glyphs: CharsByHeight | None = None) -> Table:
    """A Table from pdfplumber cell boxes: spans from grid lines; unruled gaps become cells too.

    `glyphs`: the page's glyph index when several tables of one page share it."""
    xs = _bounds([v for b in cell_boxes for v in (b[0], b[2])])
    ys = _bounds([v for b in cell_boxes for v in (b[1], b[3])])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = [[False] * n_cols for _ in range(n_rows)]
    glyphs = glyphs if glyphs is not None else CharsByHeight(chars)
    text_in = glyphs.text_in
    cells: list[Cell] = []
    rows = {v: _index(ys, v) for v in {v for b in cell_boxes for v in (b[1], b[3])}}  # cells share edges
    cols = {v: _index(xs, v) for v in {v for b in cell_boxes for v in (b[0], b[2])}}
    rounded = {v: round(v, 2) for v in (*rows, *cols)}  # each grid line rounded once, as _rounded would
    if 0.0 in rounded or not all(type(v) is float for v in rounded):  # 0.0 == -0.0 and 1 == 1.0 as keys
        rounded = _Rounding()
    for box in sorted(cell_boxes, key=lambda b: (b[1], b[0])):
        left, top, right, bottom = box
        r0, r1 = rows[top], rows[bottom]
        c0, c1 = cols[left], cols[right]
        if r1 <= r0 or c1 <= c0 or owner[r0][c0]:
            continue
        for r in range(r0, r1):
            owner[r][c0:c1] = [True] * (c1 - c0)
        cells.append(Cell(r0, c0, text_in(box), r1 - r0, c1 - c0, page_number,
                          (rounded[left], rounded[top], rounded[right], rounded[bottom])))
    cells.extend(_gap_cells(owner, xs, ys, glyphs, horizontal, vertical, page_number))
    cells.sort(key=lambda c: (c.row, c.col))
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return Table(cells=cells, page=page_number, bbox=_rounded(bbox))


def _gap_cells(owner: list[list[bool]], xs: list[float], ys: list[float], glyphs: CharsByHeight,
               horizontal: list[Edge], vertical: list[Edge], page_number: int) -> list[Cell]:
    """Grid positions no ruled cell covers (a border missing, e.g. a cell cut by the page break).

    Neighbouring gaps with no rule between them are one cell when together they form a rectangle.
    """
    n_rows, n_cols = len(owner), len(owner[0]) if owner else 0
    seen = [[False] * n_cols for _ in range(n_rows)]
    out: list[Cell] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] or seen[r][c]:
                continue
            component, stack = [], [(r, c)]
            seen[r][c] = True
            while stack:
                cr, cc = stack.pop()
                component.append((cr, cc))
                steps = (
                    (cr, cc + 1, not _covered(vertical, xs[cc + 1], ys[cr], ys[cr + 1]) if cc + 1 < n_cols
                     else False),
                    (cr + 1, cc, not _covered(horizontal, ys[cr + 1], xs[cc], xs[cc + 1]) if cr + 1 < n_rows
                     else False),
                    (cr, cc - 1, not _covered(vertical, xs[cc], ys[cr], ys[cr + 1]) if cc > 0 else False),
                    (cr - 1, cc, not _covered(horizontal, ys[cr], xs[cc], xs[cc + 1]) if cr > 0 else False),
                )
                for nr, nc, open_ in steps:
                    if open_ and not owner[nr][nc] and not seen[nr][nc]:
                        seen[nr][nc] = True
                        stack.append((nr, nc))
            rows = [p[0] for p in component]
            cols = [p[1] for p in component]
            r0, r1, c0, c1 = min(rows), max(rows) + 1, min(cols), max(cols) + 1
            if len(component) == (r1 - r0) * (c1 - c0):
                boxes = [(r0, r1, c0, c1)]
            else:
                boxes = [(pr, pr + 1, pc, pc + 1) for pr, pc in component]
            for br0, br1, bc0, bc1 in boxes:
                box = (xs[bc0], ys[br0], xs[bc1], ys[br1])
                out.append(Cell(row=br0, col=bc0, text=glyphs.text_in(box), row_span=br1 - br0,
                                col_span=bc1 - bc0, page=page_number,
                                bbox=_rounded(box)))
    return out


def _tables_from(page: Any, chars: list[Char], page_number: int) -> list[Table]:
    horizontal, vertical = _edges(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    if len(horizontal) + len(vertical) <= _MAX_EDGES:
        h_extra, v_extra = closing_lines(horizontal, vertical)
    else:  # a drawing, not a form: skip the quadratic grouping
        h_extra, v_extra = [], []
    settings = dict(_SETTINGS, explicit_horizontal_lines=h_extra, explicit_vertical_lines=v_extra)
    horizontal += [Edge(e["top"], e["x0"], e["x1"]) for e in h_extra]
    vertical += [Edge(e["x0"], e["top"], e["bottom"]) for e in v_extra]
    if _misread(page):  # give every rule explicitly, with the orientation its shape says
        h_lines, v_lines = _snapped(horizontal, vertical)
        settings = dict(vertical_strategy="explicit", horizontal_strategy="explicit",
                        explicit_horizontal_lines=h_lines, explicit_vertical_lines=v_lines)
    tables = []
    glyphs = None
    for found in find_cell_tables(page, settings):
        glyphs = glyphs or CharsByHeight(chars)
        table = build_table([tuple(c) for c in found.cells], chars, horizontal, vertical, page_number, glyphs)
        if table.n_cols >= 2 and table.n_rows >= 1:
            tables.append(table)
    return tables


def _trim_text_rows(table: Table) -> Table | None:
    """Drop full-width one-cell rows glued on a table's ends (a text frame touching it).

    Of the leading ones only the last stays, when short (a caption row like 第二十条第（一）项).
    """
    def frame_row(r: int) -> bool:
        cells = [c for c in table.cells if c.row == r]
        return len(cells) == 1 and cells[0].col_span == table.n_cols and cells[0].row_span == 1

    first, last = 0, table.n_rows - 1
    while first <= last and frame_row(first):
        first += 1
    while last >= first and frame_row(last):
        last -= 1
    if first > 0 and first <= last:
        caption = next(c for c in table.cells if c.row == first - 1)
        if len(caption.text) < 20:
            first -= 1
    if first == 0 and last == table.n_rows - 1:
        return table
    kept = [c for c in table.cells if first <= c.row and c.row + c.row_span - 1 <= last]
    if not kept:
        return None
    for cell in kept:
        cell.row -= first
    boxes = [c.bbox for c in kept if c.bbox]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    trimmed = Table(cells=kept, page=table.page, bbox=bbox)
    return trimmed if trimmed.n_cols >= 2 else None


def has_hidden_boxes(page: Any) -> bool:
    """Whether the page draws boxes that are not visible rules (filled cells), which find_tables falls
    back on when the visible rules give no table."""
    return any(o.get("object_type") == "rect" and not is_visible_rule(o) for o in page.rects)


def find_tables(page: Any, page_number: int) -> list[Table]:
    """Ruled tables of a pdfplumber page with two or more columns (one-column frames are body text).

    Edges come from visible rules; only when those give no table do filled boxes count as well
    (a table drawn as filled cells), and then body-text rows glued on at either end are dropped.
    """
    chars = page.chars
    tables = _tables_from(page.filter(is_visible_rule), chars, page_number)
    if tables or not has_hidden_boxes(page):
        return tables
    trimmed = (_trim_text_rows(t) for t in _tables_from(page, chars, page_number))
    return [t for t in trimmed if t is not None]
