"""The crops' tables (pipeline/audit/grid.py) are the PDF reader's: the same cells, boxes and spans on
every ruled page of the project's PDFs (and the shared real reports where present), and the header text
a crop reads from them on demand is the text the reader gives those cells."""

from __future__ import annotations

from extractors.readers.pdf_fast import open_pdfium, page_chars, plain_geometry
from extractors.readers.pdf_pdfium_tables import rule_page
from extractors.readers.pdf_tables import find_tables
from pipeline.audit.grid import page_tables
from tests.conftest import CORPUS, SHARED_INPUTS

PDFS = sorted(CORPUS.glob("*.pdf")) + sorted((CORPUS / "variants").glob("*.pdf"))
if SHARED_INPUTS.is_dir():
    PDFS += sorted(SHARED_INPUTS.glob("*.pdf"))


def _shape(table) -> list[tuple]:  # noqa: ANN001
    return [(c.row, c.col, c.row_span, c.col_span, c.bbox) for c in table.cells]


def test_crop_tables_are_the_readers_with_the_same_text_where_asked() -> None:
    tables = lazily_read = 0
    for path in PDFS:
        doc = open_pdfium(path.read_bytes())
        assert doc is not None, path
        try:
            for index in range(len(doc)):
                page = doc[index]
                try:
                    if not plain_geometry(page):
                        continue
                    ruled = rule_page(page, page_chars(page))
                    reader = find_tables(ruled, index + 1) if ruled is not None else []
                    crop = page_tables(page, index + 1)
                    assert [_shape(t) for t in crop] == [_shape(t) for t in reader], (path.name, index + 1)
                    for ours, theirs in zip(crop, reader, strict=True):
                        rows = theirs.text_rows()
                        assert crop.rows_above(page, ours, len(rows)) == rows, (path.name, index + 1)
                        lazily_read += not crop.texted
                    tables += len(reader)
                finally:
                    page.close()
        finally:
            doc.close()
    assert tables >= 40 and lazily_read >= 40  # the corpus's tables, most read on demand: not a vacuous pass
