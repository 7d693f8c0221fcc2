"""The crops' tables (pipeline/audit/grid.py) are the PDF reader's: the same cells, boxes and spans on
every ruled page of the project's PDFs (and the shared real reports where present), and the header text
a crop reads from them on demand is the text the reader gives those cells."""

from __future__ import annotations

from extractors.readers.pdf_fast import page_chars
from extractors.readers.pdf_pdfium_tables import rule_page
from extractors.readers.pdf_tables import find_tables
from pipeline.audit.grid import page_tables
from tests.pdf_pages import plain_pages


def _shape(table) -> list[tuple]:  # noqa: ANN001
    return [(c.row, c.col, c.row_span, c.col_span, c.bbox) for c in table.cells]


def test_crop_tables_are_the_readers_with_the_same_text_where_asked() -> None:
    tables = lazily_read = 0
    for path, number, page in plain_pages():
        ruled = rule_page(page, page_chars(page))
        reader = find_tables(ruled, number) if ruled is not None else []
        crop = page_tables(page, number)
        assert [_shape(t) for t in crop] == [_shape(t) for t in reader], (path.name, number)
        for ours, theirs in zip(crop, reader, strict=True):
            rows = theirs.text_rows()
            assert crop.rows_above(page, ours, len(rows)) == rows, (path.name, number)
            lazily_read += not crop.texted
        tables += len(reader)
    assert tables >= 40 and lazily_read >= 40  # the corpus's tables, most read on demand: not a vacuous pass
