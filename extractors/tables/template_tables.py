"""Template tables 2-4 from the grid tables of the document model: each grid row goes to the reader of
the table it belongs to (t2_reader, t3_reader, t4_reader); this module only decides which table a row
belongs to — by header rows, by labels, and by continuation of the open table across a page break."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.cell_sink import TABLE_NO, CellSink
from extractors.tables.labels import (
    T2_2019_ONLY_COLS,
    is_collapsed_t4_header,
    match_t2_row,
    template_of_headers,
)
from extractors.tables.placeholders import placeholder_width
from extractors.tables.t2_reader import T2Reader, is_block_heading
from extractors.tables.t3_reader import T3Reader
from extractors.tables.t4_reader import T4Reader
from extractors.tables.table_grids import GridRow, grid_rows, is_narrative
from schemas.document import Document
from schemas.records import TableExtraction
from schemas.template import T2, T2_2019, T2_2021, T3, T3_SPEC, T4, TABLE_KEYS

NO_TABLE = "no template table found"
T3_WIDTHS = (len(T3_SPEC.cols) - 1, len(T3_SPEC.cols))  # table 3's value columns without and with 小计


@dataclass
class _Dispatch:
    """Which table is open, and whether the rows just read were header rows (a header cut by a page break)."""

    sink: CellSink
    t2: T2Reader = field(init=False)
    t3: T3Reader = field(init=False)
    t4: T4Reader = field(init=False)
    mode: str | None = None
    last_page: int | None = None
    prev_header: bool = False
    t4_header_open: bool = False
    t3_header_open: bool = False

    def __post_init__(self) -> None:
        self.t2, self.t3, self.t4 = T2Reader(self.sink), T3Reader(self.sink), T4Reader(self.sink)

    def start_table(self, page: int | None) -> None:
        """A new Table block: keep the current table open only for a continuation on the same/next page."""
        if self.mode and page is not None and self.last_page is not None and page - self.last_page > 1:
            self.mode = None
        if (self.mode == T4 and self.t4.done) or (self.mode == T3 and self.t3.done):
            self.mode = None  # the table's last row is read: anything after it is not a continuation
        # a table-3/4 header cut by a page break goes on in the next block: keep its rows
        self.t4_header_open = self.mode == T4 and self.prev_header
        self.t3_header_open = self.mode == T3 and self.prev_header
        self.prev_header = False

    def row(self, row: GridRow) -> None:
        if is_narrative(row):
            if is_collapsed_t4_header(row.labels[0].text):  # 行政复议行政诉讼: a converter's one-cell header
                self.t4.add_header(row, continuing=False)
                self.t3.flush_pending()
                self.mode, self.prev_header = T4, True
            elif is_block_heading(row.labels[0].text):
                self.mode = T2
            elif self.mode == T3:
                self.t3.row(row)  # a label-only row: a group heading or a label whose values follow
            elif self.mode == T2 and row.values:
                self.t2.row(row)  # a row left wholly blank: its cells are emitted blank
            self.prev_header = False
            return
        if not row.labels and not row.filled_values:
            return
        if self.header(row):
            return
        self.prev_header = self.t3_header_open = False
        if self.mode == T4 and self.t4.row(row):
            return
        if self.mode == T3 and self.t3.row(row, strict=False):
            return
        if self.mode == T2 and self.t2.row(row):
            return
        # a data row that does not fit the open table: does it start another?
        if T4Reader.starts_transposed(row):
            self.mode, self.t4.group = T4, ""
            self.t4.row(row)
        elif row.labels and match_t2_row(row.labels[0].text):
            self.mode = T2
            self.t2.row(row)
        elif row.labels and self.t3.row(row, strict=True):
            self.mode = T3
        elif self.mode in (T2, T3) and row.labels and row.filled_values:
            label = " ".join(" ".join(rc.text.split()) for rc in row.labels)
            self.sink.problem(self.mode, f"{TABLE_NO[self.mode]}: row label '{label}' matched no key")

    def header(self, row: GridRow) -> bool:
        """Header rows switch the open table and collect column labels."""
        if row.filled_values:
            return False
        width = placeholder_width(row)
        if width is not None:
            if width in T3_WIDTHS:
                self.t3.placeholder_header(width)
            self.prev_header = True
            return True
        if T4Reader.is_header(row):
            self.t4.add_header(row, continuing=self.mode == T4 and (self.prev_header or self.t4_header_open))
            self.t4_header_open = False
            self.t3.flush_pending()
            self.mode, self.prev_header = T4, True
            return True
        if T3Reader.is_header(row):
            self.t3.add_header(row, continuing=self.mode == T3 and (self.prev_header or self.t3_header_open))
            self.t3_header_open = False
            self.mode, self.prev_header = T3, True
            return True
        if self.t2.header(row):
            self.mode, self.prev_header = T2, True
            return True
        return False


def _not_found(sink: CellSink) -> None:
    """Name each template table no cell was read for (coverage of the others is counted in extractors/tables/coverage.py)."""
    for table in TABLE_KEYS:
        if not sink.has_table(table):
            sink.problem(table, f"{table} not found")


def _drop_foreign_t2(sink: CellSink, template: str) -> None:
    """Keep table-2 cells only where the template version has that row/column."""
    spec = T2_2019 if template == "2019" else T2_2021
    rows = {r.key for r in spec.rows}
    for ref in [r for r in sink.cells if r[0] == T2]:
        _, row_key, col_key = ref
        if row_key not in rows or col_key not in spec.cols_of(row_key):
            cell = sink.cells.pop(ref)
            if not cell.blank:
                sink.problem(T2, f"table 2: {row_key}.{col_key} is not a {template} template cell "
                                     f"(value {cell.raw!r} dropped)")


def _template(doc: Document, sink: CellSink) -> str:
    """2019 when 表二 has a column only the 2019 form prints; a table with no values shows it by its headers."""
    if {c for t, _, c in sink.cells if t == T2} & T2_2019_ONLY_COLS:
        return "2019"
    if sink.cells:
        return "2021"
    texts = [c.text for t in doc.tables for c in t.cells] + [p.text for p in doc.paragraphs]
    heads = template_of_headers(texts)
    if heads:
        sink.problem(None, f"template {heads} read from the {T2} column headers only: "
                             "the template tables hold no values")
    return heads or "unknown"


def extract_tables(doc: Document, doc_id: str) -> TableExtraction:
    """Template tables 2-4 of a document, as cell records with problems found along the way."""
    sink = CellSink(doc_id)
    ex = _Dispatch(sink)
    for index, table in enumerate(doc.tables):
        if table.n_cols <= 1:
            continue  # a bordered frame around body text
        ex.start_table(table.page)
        for row in grid_rows(table, index):
            ex.row(row)
            if row.page is not None and (row.labels or row.filled_values):
                ex.last_page = row.page
    ex.t3.finish()
    template = _template(doc, sink)
    if sink.cells:
        _drop_foreign_t2(sink, template)
        _not_found(sink)
    else:
        sink.problem(None, NO_TABLE)
    found = [t for t in (T2, T3, T4) if sink.has_table(t)]
    return TableExtraction(cells=list(sink.cells.values()), template=template, tables_found=found,
                           problems=sink.problems, ambiguous=sink.ambiguous,
                           irregular=sorted(r for r in sink.irregular if tuple(r.split(".")) in sink.cells),
                           lost=sorted(r for r in sink.lost if tuple(r.split(".")) in sink.cells),
                           remapped=sorted(r for r in sink.remapped if tuple(r.split(".")) in sink.cells))


__all__ = ["NO_TABLE", "extract_tables"]
