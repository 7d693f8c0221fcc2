"""Header rows that converters (PDF-to-markdown tools, LLM pipelines) put over a table whose header they
could not read: numbered placeholders (数据1 … 数据7, 列1, Column 1) beside generic words (项目, 子项).
Such a header names no column; it only counts them, and the template's order by position is tested by
the identities of each row (extractors/tables/t3_reader.py)."""

from __future__ import annotations

import unicodedata

import regex as re

from extractors.tables.table_grids import GridRow

# a numbered placeholder, as converters write them
_NUMBERED = re.compile(r"^(?:数据|数值|列|字段|值|栏|column|col|field|data|value)\s*_?\d{1,2}$", re.I)
# words a converter puts over the label columns when it keeps no header
_GENERIC = frozenset({"项目", "子项", "指标", "类别", "名称", "内容", "分类", "序号", "item", "name", "label"})
MIN_NUMBERED = 3


def placeholder_width(row: GridRow) -> int | None:
    """The number of value columns a placeholder header counts, or None when the row is not one."""
    numbered = 0
    for rc in row.cells:
        text = unicodedata.normalize("NFKC", rc.text).strip()
        if not text:
            continue
        if _NUMBERED.match(text):
            numbered += 1
        elif text.lower() not in _GENERIC:
            return None
    return numbered if numbered >= MIN_NUMBERED else None


__all__ = ["placeholder_width"]
