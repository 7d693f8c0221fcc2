"""Grid rows as the template extractor sees them: distinct cells split into label cells and value cells."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from extractors.tables.cell_values import is_value_text
from schemas.document import Cell, Table


@dataclass
class RowCell:
    """A distinct cell of one grid row, with the grid columns it covers in this row."""

    cell: Cell
    cols: tuple[int, ...]
    # the row stands out of the table's shape (positions no cell covers, or reaching past the width most
    # rows have): a cell dropped or a span damaged there may have moved this cell, or left it blank
    irregular: bool = False
    markup: bool = False  # the table marks up every cell (schemas.document.Table.markup)

    @property
    def text(self) -> str:
        return self.cell.text or ""

    @property
    def first_col(self) -> int:
        return self.cols[0]


@dataclass
class GridRow:
    """One row of a Table with its distinct cells (merged cells once) and their roles."""

    table_index: int
    row_index: int
    n_cols: int
    cells: list[RowCell]
    page: int | None
    labels: list[RowCell] = field(default_factory=list)  # non-empty text cells that are not values
    values: list[RowCell] = field(default_factory=list)  # cells after the last label cell
    # the row's lookups, built once when first asked (its cells and roles are set by grid_rows and kept)
    _filled: list[RowCell] | None = field(default=None, init=False, repr=False, compare=False)
    _by_col: dict[int, RowCell] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled_values(self) -> list[RowCell]:
        if self._filled is None:
            self._filled = [c for c in self.values if c.text.strip()]
        return self._filled

    def at(self, col: int) -> RowCell | None:
        """The cell covering grid column col (the first in row order), None when none does."""
        if self._by_col is None:
            by_col: dict[int, RowCell] = {}
            for c in self.cells:
                for i in c.cols:
                    by_col.setdefault(i, c)
            self._by_col = by_col
        return self._by_col.get(col)


def grid_rows(table: Table, table_index: int) -> list[GridRow]:
    """The rows of a table, each with distinct cells in column order and label/value roles."""
    out = []
    grid = table.grid()
    n_cols = table.n_cols  # once per table: a property over all its cells
    extents = [_extent(row) for row in grid]  # once per row: the table's shape and each row's test read them
    shape = _row_shape(extents)
    markup = table.markup
    for r, row in enumerate(grid):
        cells: list[RowCell] = []
        last: Cell | None = None
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if cell is last:
                cells[-1].cols += (c,)
            else:
                cells.append(RowCell(cell, (c,), markup=markup))
                last = cell
        if shape is not None and _stands_out(extents[r], shape):
            for rc in cells:
                rc.irregular = True
        page = next((rc.cell.page for rc in cells if rc.cell.page is not None), table.page)
        grow = GridRow(table_index, r, n_cols, cells, page)
        label_idx = [i for i, rc in enumerate(cells)
                     if (text := rc.cell.text or "").strip() and not is_value_text(text)]
        grow.labels = [cells[i] for i in label_idx]
        grow.values = cells[label_idx[-1] + 1:] if label_idx else list(cells)
        out.append(grow)
    return out


def _extent(row: list[Cell | None]) -> tuple[int, bool]:
    """A row's shape: where its last covered position ends, and whether a position before it is uncovered."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return end, any(c is None for c in row[:end])


def _stands_out(extent: tuple[int, bool], shape: tuple[int, bool]) -> bool:
    """A row ending elsewhere than most, or with a gap where most rows have none."""
    return extent[0] != shape[0] or (extent[1] and not shape[1])


def _row_shape(extents: list[tuple[int, bool]]) -> tuple[int, bool] | None:
    """The shape most rows of a table share (full rows, gapless), None when no shape is shared by most
    rows (a grid read from page lines, a table of ragged rows by design): no row then stands out.
    EXTENTS: each grid row's (see _extent); a row covering no position has none."""
    shapes = [e for e in extents if e[0]]
    if len(shapes) < 3:
        return None
    common = max(set(shapes), key=shapes.count)
    return common if shapes.count(common) * 2 > len(shapes) else None


def is_narrative(row: GridRow) -> bool:
    """A row holding one text cell and nothing else (a framed paragraph or a block heading)."""
    return len(row.labels) == 1 and not row.filled_values and sum(1 for c in row.cells if c.text.strip()) == 1


_BOX4 = "%.1f %.1f %.1f %.1f"


def bbox_text(cell: Cell) -> str:
    """'x0 top x1 bottom' of a cell's box, or '' when the reader had none."""
    if cell.bbox is None:
        return ""
    box = cell.bbox
    if len(box) == 4:  # one %-format of the tuple (as format(v, ".1f") each): this runs for every cell record
        return _BOX4 % (box if type(box) is tuple else tuple(box))
    return " ".join(f"{v:.1f}" for v in box)


# Where each cell record was read from: the audit page reads a document again and asks which grid cell
# a flagged record came from, so its excerpt shows that cell whatever the row's label (表四's count row
# prints none; a transposed table prints it as a column header). Off (None) in a normal run.
_SOURCES: ContextVar[dict[tuple[str, str, str], Cell] | None] = ContextVar("cell_sources", default=None)


def note_source(table: str, row_key: str, col_key: str, cell: Cell | None) -> None:
    """Record the grid cell a cell record was read from, when someone is recording."""
    sources = _SOURCES.get()
    if sources is not None and cell is not None:
        sources.setdefault((table, row_key, col_key), cell)


@contextmanager
def recording_sources() -> Iterator[dict[tuple[str, str, str], Cell]]:
    """Within it, (table, row_key, col_key) -> the grid cell each record was read from."""
    sources: dict[tuple[str, str, str], Cell] = {}
    token = _SOURCES.set(sources)
    try:
        yield sources
    finally:
        _SOURCES.reset(token)
