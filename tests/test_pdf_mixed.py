"""A text PDF whose table pages are scans (tables pasted in as pictures) is read whole with the OCR extra."""

from __future__ import annotations

import io

import pytest

from pipeline.process import process_bytes
from tests.conftest import CORPUS


def _with_scanned_pages(source, scanned: set[int]) -> bytes:
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    rendered = pdfium.PdfDocument(str(source))
    reader, writer = PdfReader(source), PdfWriter()
    for index, page in enumerate(reader.pages):
        if index in scanned:
            image = rendered[index].render(scale=200 / 72, grayscale=True).to_pil().convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format="PDF", resolution=200)
            page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_scanned_table_pages_inside_a_text_pdf():
    pytest.importorskip("pypdf")
    from extractors.readers.ocr import ocr_available

    if not ocr_available():
        pytest.skip("the [ocr] extra is not installed")
    # pages 6 and 7 of the seed render hold tables 2-4 (all of table 3 and 4 are 0; 行政处罚 6)
    result = process_bytes(_with_scanned_pages(CORPUS / "enhe-2022.pdf", {5, 6}), "mixed.pdf")
    assert result.document.status == "ok", result.document.error
    cells = {(c.table, c.row_key, c.col_key): c.value for c in result.cells}
    assert len(cells) == 200
    assert cells[("t2_active", "penalty", "decisions")] == 6
    assert {v for k, v in cells.items() if k[0] == "t3_requests"} == {0}
