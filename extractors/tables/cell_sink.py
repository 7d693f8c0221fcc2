"""Where the table readers put what they read: one cell record per template cell (a second reading of
the same cell is ambiguous, never a silent overwrite), and the problems met on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.cell_values import parse_cell
from extractors.tables.table_grids import GridRow, RowCell, bbox_text, note_source
from schemas.document import CellSource
from schemas.records import CellRecord, Problem
from schemas.template import T2, T3, T4

TABLE_NO = {T2: "table 2", T3: "table 3", T4: "table 4"}


def not_a_value(table: str, row_key: str, col_key: str, text: str) -> str:
    """The problem a cell holding text that is neither a number nor a blank form is noted with."""
    return f"{TABLE_NO[table]}: cell {row_key}.{col_key} holds text, not a value: '{text.strip()[:40]}'"


@dataclass
class CellSink:
    """The cells, problems and ambiguities of one document's template tables."""

    doc_id: str
    cells: dict[tuple[str, str, str], CellRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    irregular: set[str] = field(default_factory=set)  # refs of cells read from a row out of its table's shape
    # those of them read from a table that marks up every cell: a cell was lost there (see reading_doubt)
    lost: set[str] = field(default_factory=set)
    # tables whose open header has a row out of the table's shape: every cell mapped under it is irregular
    irregular_header: set[str] = field(default_factory=set)
    markup_header: set[str] = field(default_factory=set)  # of those, the ones whose table marks up every cell
    remapped: set[str] = field(default_factory=set)  # refs re-read under the mapping the identities prove

    def emit(self, table: str, row_key: str, col_key: str, rc: RowCell | None, row_label: str,
             col_label: str, page: int | None) -> None:
        ref = (table, row_key, col_key)
        if ref in self.cells:
            if ".".join(ref) not in self.ambiguous:
                self.ambiguous.append(".".join(ref))
            return
        text = rc.text if rc is not None else ""
        parsed = parse_cell(text)
        if not parsed.ok:
            self.problem(table, not_a_value(table, row_key, col_key, text))
        cell = rc.cell if rc is not None else None
        note_source(table, row_key, col_key, cell)
        if (rc is not None and rc.irregular) or table in self.irregular_header:
            self.irregular.add(".".join(ref))
            if (rc is not None and rc.irregular and rc.markup) or table in self.markup_header:
                self.lost.add(".".join(ref))
        self.cells[ref] = CellRecord(
            doc_id=self.doc_id, table=table, row_key=row_key, col_key=col_key, value=parsed.value,
            # raw is what is printed: as the OCR engine read it, where the reader read the marks otherwise
            raw=cell.ocr_text if cell is not None and cell.ocr_text is not None else parsed.raw,
            blank=parsed.blank, row_label=row_label,
            page=cell.page if cell is not None and cell.page is not None else page,
            col_label=col_label, bbox=bbox_text(cell) if cell is not None else "",
            read_by=cell.read_by if cell is not None else CellSource.TEXT,
            confidence=cell.confidence if cell is not None else None)

    def header_shape(self, table: str, rows: list[GridRow]) -> None:
        """Note whether a table's header rows (as now open) keep the table's shape."""
        if any(rc.irregular for row in rows for rc in row.cells):
            self.irregular_header.add(table)
        else:
            self.irregular_header.discard(table)
        if any(rc.irregular and rc.markup for row in rows for rc in row.cells):
            self.markup_header.add(table)
        else:
            self.markup_header.discard(table)

    def problem(self, table: str | None, text: str) -> None:
        """Note a problem about one table (None: about no one table)."""
        self.problems.append(Problem(text, table))

    def has_table(self, table: str) -> bool:
        return any(k[0] == table for k in self.cells)
