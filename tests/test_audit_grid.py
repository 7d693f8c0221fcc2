"""The crops' tables (pipeline/audit/grid.py) are the PDF reader's: the same cells, boxes and spans on
every ruled page of the project's PDFs (and the shared real reports where present), and the header text
a crop reads from them on demand is the text the reader gives those cells, whether read from a cell's
rounded box or, where that cannot tell, from the tables found with the glyphs."""

from __future__ import annotations

import pytest

import pipeline.audit.grid as grid
from extractors.readers.pdf_fast import page_chars
from extractors.readers.pdf_pdfium_tables import rule_page
from extractors.readers.pdf_tables import find_tables
from tests.pdf_pages import plain_pages


def _shape(table) -> list[tuple]:  # noqa: ANN001
    return [(c.row, c.col, c.row_span, c.col_span, c.bbox) for c in table.cells]


@pytest.mark.parametrize("slack", [grid._SLACK, 1000.0])  # 1000 pt: no text sure, every row read the exact way
def test_crop_tables_are_the_readers_with_the_same_text_where_asked(monkeypatch, slack) -> None:
    monkeypatch.setattr(grid, "_SLACK", slack)
    tables = lazily_read = 0
    texts: list[list[str]] = []
    for path, number, page in plain_pages():
        ruled = rule_page(page, page_chars(page))
        reader = find_tables(ruled, number) if ruled is not None else []
        crop = grid.page_tables(page, number)
        assert [_shape(t) for t in crop] == [_shape(t) for t in reader], (path.name, number)
        for ours, theirs in zip(crop, reader, strict=True):
            rows = theirs.text_rows()
            texts += rows
            assert crop.rows_above(page, ours, len(rows)) == rows, (path.name, number)
            lazily_read += not crop.texted
        tables += len(reader)
    assert tables >= 40 and lazily_read >= 40  # the corpus's tables, most read on demand: not a vacuous pass
    assert any("本年处理决定数量" in "".join(row) for row in texts)  # real text compared, not empty rows
