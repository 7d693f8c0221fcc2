"""Table grids from a scanned page image: ink mask, deskew, ruling lines by morphology, cells with spans.

All coordinates here are pixels of the (deskewed) page image; the OCR reader converts them to points.
Needs numpy and OpenCV (pulled in by the `ocr` extra).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

PxBox = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


@dataclass
class Segment:
    """A ruling line: `pos` across it (y of a horizontal rule, x of a vertical), `lo`..`hi` along it."""

    pos: float
    lo: int
    hi: int
    width: int = 1  # thickness in pixels


@dataclass
class GridCell:
    """One cell of a detected grid, at its top-left slot, with its pixel box."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: PxBox
    text: str = ""
    score: float | None = None  # the recogniser's lowest confidence over the text (None: nothing read)
    marks: list[PxBox] = field(default_factory=list)  # ink marks side by side inside the cell's rules
    printed: str | None = None  # the recogniser's text where `text` reads its marks otherwise (一 as —)


@dataclass
class Grid:
    """A ruled table found on the page image: slot boundaries and the cells covering them."""

    xs: list[int]
    ys: list[int]
    cells: list[GridCell] = field(default_factory=list)
    horizontal: list[Segment] = field(default_factory=list)
    vertical: list[Segment] = field(default_factory=list)

    @property
    def box(self) -> PxBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark-on-light ink as 0/255, robust to gray paper and uneven lighting (local threshold)."""
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _sharpness(mask: np.ndarray, angle: float) -> float:
    """How crisp the rows of ink are after rotating by `angle` (sum of squared profile steps)."""
    h, w = mask.shape
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    profile = cv2.warpAffine(mask, rot, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(profile)).sum())


def skew_angle(mask: np.ndarray, limit: float = 3.0) -> float:
    """The rotation (degrees, counter-clockwise) that straightens the page: rows of ink sharpest.

    Searched coarsely on a reduced mask, then finely at full resolution."""
    small = cv2.resize(mask, (mask.shape[1] // 4, mask.shape[0] // 4), interpolation=cv2.INTER_AREA)
    coarse = max(np.arange(-limit, limit + 1e-9, 0.25), key=lambda a: _sharpness(small, float(a)))
    fine = np.arange(coarse - 0.3, coarse + 0.3 + 1e-9, 0.05)
    return round(float(max(fine, key=lambda a: _sharpness(mask, float(a)))), 2)


def rotate(img: np.ndarray, angle: float, fill: int) -> np.ndarray:
    """Rotate an image about its centre by `angle` degrees (counter-clockwise), keeping its size."""
    if abs(angle) < 1e-3:
        return img
    h, w = img.shape[:2]
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, rot, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _segments(lines: np.ndarray, horizontal: bool, min_len: int) -> list[Segment]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if horizontal and w >= min_len:
            out.append(Segment(y + h / 2, int(x), int(x + w), int(h)))
        elif not horizontal and h >= min_len:
            out.append(Segment(x + w / 2, int(y), int(y + h), int(w)))
    return out


def ruling_lines(mask: np.ndarray, unit: int) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical rule candidates of a page mask (tall strokes of big text among them).

    `unit` is about one text line height in pixels: rules must be much longer than any stroke.
    """
    bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    h_len = max(3 * unit, 40)
    h_lines = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    v_len = max(int(1.3 * unit), 20)
    v_lines = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    # scanner shadows along the image edges are not rules
    height, width = mask.shape
    margin_y, margin_x = height * 0.01, width * 0.01
    horizontal = [s for s in _segments(h_lines, True, h_len) if margin_y < s.pos < height - margin_y]
    vertical = [s for s in _segments(v_lines, False, v_len) if margin_x < s.pos < width - margin_x]
    return horizontal, vertical


def _touch(h: Segment, v: Segment, tol: int) -> bool:
    return h.lo - tol <= v.pos <= h.hi + tol and v.lo - tol <= h.pos <= v.hi + tol


def _clusters(values: list[float], tol: float) -> list[int]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(round(sum(c) / len(c))) for c in out]


def _coverage(segments: list[Segment], pos: int, lo: int, hi: int, tol: int) -> float:
    """Fraction of lo..hi covered by segments lying at `pos` (within tol)."""
    covered = np.zeros(max(hi - lo, 1), dtype=bool)
    for s in segments:
        if abs(s.pos - pos) <= tol:
            covered[max(s.lo - lo, 0):max(min(s.hi - lo, hi - lo), 0)] = True
    return float(covered.mean())


def _grid(horizontal: list[Segment], vertical: list[Segment], tol: int) -> Grid | None:
    """Slots from clustered rule positions, merged into cells where a separating rule is missing."""
    ys = _clusters([s.pos for s in horizontal], tol)
    xs = _clusters([s.pos for s in vertical], tol)
    # the frame: a table's outer rules may be missing; bound it by the extent of its rules
    x_lo = min(s.lo for s in horizontal)
    x_hi = max(s.hi for s in horizontal)
    y_lo = min(s.lo for s in vertical)
    y_hi = max(s.hi for s in vertical)
    if not xs or xs[0] - x_lo > 2 * tol:
        xs.insert(0, x_lo)
    if xs[-1] < x_hi - 2 * tol:
        xs.append(x_hi)
    if not ys or ys[0] - y_lo > 2 * tol:
        ys.insert(0, y_lo)
    if ys[-1] < y_hi - 2 * tol:
        ys.append(y_hi)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 2:
        return None
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and _coverage(vertical, xs[c + 1], ys[r], ys[r + 1], tol) < 0.5:
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and _coverage(horizontal, ys[r + 1], xs[c], xs[c + 1], tol) < 0.5:
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    grid = Grid(xs=xs, ys=ys, horizontal=horizontal, vertical=vertical)
    owner = [[False] * n_cols for _ in range(n_rows)]
    for slots in sorted(groups.values(), key=lambda s: min(s)):
        r0, c0 = min(r for r, _ in slots), min(c for _, c in slots)
        r1, c1 = max(r for r, _ in slots) + 1, max(c for _, c in slots) + 1
        if any(owner[r][c] for r in range(r0, r1) for c in range(c0, c1)):
            # not a rectangle (an L-shaped gap): keep the slots no cell holds yet as single cells
            for r, c in slots:
                if not owner[r][c]:
                    owner[r][c] = True
                    grid.cells.append(GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1])))
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r][c] = True
        grid.cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1])))
    grid.cells.sort(key=lambda g: (g.row, g.col))
    return grid


def find_grids(horizontal: list[Segment], vertical: list[Segment], unit: int) -> list[Grid]:
    """Group touching rules into tables and build each one's grid (top to bottom)."""
    tol = max(4, unit // 5)
    n_h = len(horizontal)
    items: list[tuple[bool, Segment]] = [(True, s) for s in horizontal] + [(False, s) for s in vertical]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for j, v in enumerate(vertical):
        ends = [h for h in horizontal if _touch(h, v, tol)]
        at_top = any(abs(h.pos - v.lo) <= tol for h in ends)
        at_bottom = any(abs(h.pos - v.hi) <= tol for h in ends)
        # a rule runs from rule to rule; a stroke of text merely touching one rule does not
        if not (at_top and at_bottom) and not ((at_top or at_bottom) and v.hi - v.lo >= 2.5 * unit):
            continue
        for i in (i for i, h in enumerate(horizontal) if _touch(h, v, tol)):
            parent[find(n_h + j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    grids = []
    for members in groups.values():
        hs = [items[i][1] for i in members if items[i][0]]
        vs = [items[i][1] for i in members if not items[i][0]]
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _grid(hs, vs, tol)
        if grid is not None and len(grid.cells) >= 2:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def rule_mask(shape: tuple[int, ...], grids: list[Grid], margin: int = 2) -> np.ndarray:
    """Pixels of the rules that make up the grids (0/255), a little widened, to wipe before reading text."""
    out = np.zeros(shape[:2], dtype=np.uint8)
    for grid in grids:
        for s in grid.horizontal:
            half = s.width / 2 + margin
            cv2.rectangle(out, (s.lo - margin, int(s.pos - half)), (s.hi + margin, int(s.pos + half)), 255, -1)
        for s in grid.vertical:
            half = s.width / 2 + margin
            cv2.rectangle(out, (int(s.pos - half), s.lo - margin), (int(s.pos + half), s.hi + margin), 255, -1)
    return out
