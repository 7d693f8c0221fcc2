"""表二, read from grid tables: each 第二十条 block's header row names its columns, rows by their label."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.tables.cell_sink import CellSink
from extractors.tables.grid_columns import ColMap, colmap, map_values
from extractors.tables.labels import match_t2_col, match_t2_row, normalize_label
from extractors.tables.table_grids import GridRow
from schemas.template import T2, T2_2021

_T2_BLOCK, _T2_HEAD_FIRST = T2_2021.header_words  # 第二十条 block headings; 信息内容 over the row labels


def is_block_heading(text: str) -> bool:
    """A 第二十条 block heading, or the 信息内容 header cell standing alone."""
    norm = normalize_label(text)
    return _T2_BLOCK in norm or norm == _T2_HEAD_FIRST


@dataclass
class T2Reader:
    """The state of 表二 while it is read: the columns of the open block."""

    sink: CellSink
    cols: ColMap | None = None

    def header(self, row: GridRow) -> bool:
        """A header row of a block (its column labels, or 信息内容 first): True when it is one."""
        texts = [rc.text for rc in row.labels]
        if any(match_t2_col(t) for t in texts) or (texts and normalize_label(texts[0]) == _T2_HEAD_FIRST):
            self.cols = colmap([row], match_t2_col)
            return True
        return False

    def row(self, row: GridRow) -> bool:
        key = next((k for k in (match_t2_row(rc.text) for rc in row.labels) if k), None)
        if key is None:
            return False
        label = next(" ".join(rc.text.split()) for rc in row.labels if match_t2_row(rc.text))
        cm = self.cols
        keys = cm.keys if cm else list(T2_2021.cols_of(key))
        pairs = map_values(row, keys, cm)
        if not pairs:
            self.sink.problem(T2, f"table 2: row '{label}': {len(row.values)} value cells for columns {keys}")
        for col_key, rc in pairs:
            self.sink.emit(T2, key, col_key, rc, label, cm.labels.get(col_key, "") if cm else "", row.page)
        return True

    # ------------------------------------------------------------ table 3
