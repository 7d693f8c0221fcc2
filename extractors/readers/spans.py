"""Cell spans as the HTML standard reads them, for every reader (HTML colspan/rowspan, DOCX gridSpan/vMerge).

colspan below 1 is 1 and above 1000 is 1000; rowspan above 65534 is 65534, and rowspan 0 runs to the end
of the table. Placing cells is bounded too (cells, and positions reserved by rowspans), and a grid made wide
only by huge spans has its empty columns collapsed.
"""

from __future__ import annotations

import bisect

import regex as re

from schemas.document import MAX_TABLE_CELLS, MAX_TABLE_COLS, Cell

MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
_LEADING_INT = re.compile(r"\s*\+?(\d+)")


class GridTooLarge(Exception):
    """A table whose grid would grow beyond the limits (an attack, or a broken export)."""


def parse_int(value: str | None) -> int | None:
    """The HTML 'rules for parsing non-negative integers': leading digits after spaces, else None."""
    m = _LEADING_INT.match(value or "")
    return int(m.group(1)[:12]) if m else None


def colspan(value: str | None) -> int:
    n = parse_int(value)
    return 1 if n is None or n < 1 else min(n, MAX_COLSPAN)


def rowspan(value: str | None, rows_left: int) -> int:
    """A rowspan clipped to the rows below (0 runs to the end of the table, as in HTML)."""
    n = parse_int(value)
    if n is None:
        n = 1
    if n == 0:
        n = rows_left
    return max(1, min(n, MAX_ROWSPAN, rows_left))


MAX_SPAN_MARKS = 2_000_000  # grid positions rowspans may reserve while one table is placed


class GridPlacer:
    """Places cells row by row as browsers do (the next free column), in time bounded by the limits."""

    def __init__(self) -> None:
        self.busy: dict[int, int] = {}  # column -> first row no longer covered by a rowspan
        self.cells = 0
        self.marks = 0

    def place(self, row: int, col: int, col_span: int, row_span: int) -> int:
        """The column where a cell starting at (row, col or later) lands; raises GridTooLarge."""
        while self.busy.get(col, 0) > row:
            col += 1
        self.cells += 1
        if row_span > 1:
            self.marks += col_span
            for c in range(col, col + col_span):
                self.busy[c] = max(self.busy.get(c, 0), row + row_span)
        if self.cells > MAX_TABLE_CELLS or self.marks > MAX_SPAN_MARKS:
            raise GridTooLarge(f"a table of over {self.cells} cells or {self.marks} spanned positions "
                               f"is beyond the size limit")
        return col


def compact_columns(cells: list[Cell]) -> list[Cell]:
    """When spans made a grid wider than MAX_TABLE_COLS, drop the columns where no cell starts (a span of
    1000 over a 10-column table): each cell then spans the start columns it covered. Narrower grids are
    returned as they are."""
    if max((c.col + c.col_span for c in cells), default=0) <= MAX_TABLE_COLS:
        return cells
    starts = sorted({c.col for c in cells})
    index = {col: i for i, col in enumerate(starts)}
    for cell in cells:
        end = bisect.bisect_left(starts, cell.col + cell.col_span)
        first = index[cell.col]
        cell.col, cell.col_span = first, max(1, end - first)
    return cells
