"""Tables pasted in as pictures between narrative text (corpus/variants/ocr-pasted.pdf): the image
regions alone are OCR'd into their text pages, a seal over text is not, and without the OCR extra the
report is partial, never ok."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.readers.pdf_images import MIN_IMAGE_HEIGHT, MIN_IMAGE_WIDTH, pasted_regions
from pipeline.process import process_bytes
from tests.truth_cells import cells_against_truth, csv_rows, run_ocr_variant

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"
PASTED = VARIANTS / "ocr-pasted.pdf"


def _truth() -> dict:
    return json.loads((VARIANTS / "ocr-pasted.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pasted_run(tmp_path_factory):
    """The variant through the whole pipeline (slow: OCR of four table pictures)."""
    return run_ocr_variant(PASTED, tmp_path_factory.mktemp("ocr-pasted"))


def test_pasted_tables_read_every_cell_exactly(pasted_run) -> None:
    truth = _truth()
    [doc] = csv_rows(pasted_run / "documents.csv")
    assert doc["status"] == "ok", doc["error"]
    wrong = cells_against_truth(pasted_run, truth)
    assert not wrong, wrong
    blanks = set(truth["blank_cells"])
    zeros = sum(1 for rows in truth["tables"].values() for cols in rows.values() for v in cols.values() if v == 0)
    assert zeros >= 10 and len(blanks) >= 20  # printed zeros, dashes and empty boxes all stand in the pictures


def test_pasted_tables_say_which_pages_and_regions_ocr_read(pasted_run) -> None:
    truth = _truth()
    [doc] = csv_rows(pasted_run / "documents.csv")
    pages = truth["image_pages"]
    assert truth["seal_page"] not in pages
    named = ", ".join(f"{n} (2 image(s) on a text page)" for n in pages)
    assert f"text from OCR on {len(pages)} page(s): {named}" in doc["warnings"]
    rows = csv_rows(pasted_run / "table_cells.csv")
    assert {r["read_by"] for r in rows} == {"ocr"} and {int(r["page"]) for r in rows} == set(pages)


def test_regions_in_page_points_beside_the_text_layer() -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    from extractors.readers.pdf import read_pdf

    truth = _truth()
    doc = read_pdf(PASTED.read_bytes(), "ocr-pasted.pdf")
    by_number = {p.number: p for p in doc.pages}
    seal = by_number[truth["seal_page"]]
    assert not seal.ocr and not seal.ocr_regions  # a seal over text is no table
    for number in truth["image_pages"]:
        page = by_number[number]
        assert page.ocr and len(page.ocr_regions) == 2
        tables = [b for b in page.blocks if hasattr(b, "cells")]
        assert len(tables) == 2
        for table, region in zip(tables, page.ocr_regions, strict=True):
            # the grid found in the picture lies inside the picture's box on the page, to a few points
            assert all(abs(a - b) <= 6 for a, b in zip(table.bbox, region, strict=True)), (table.bbox, region)
    # the narrative of the text layer stays, in reading order: the title first, section three's heading
    # between the pictures of tables 2 and 3
    first = by_number[truth["image_pages"][0]].blocks
    assert not hasattr(first[0], "cells") and "政府信息公开工作年度" in first[0].text
    kinds = ["table" if hasattr(b, "cells") else b.text for b in first]
    between = kinds[kinds.index("table") + 1:len(kinds) - 1 - kinds[::-1].index("table")]
    assert between and all(k != "table" for k in between) and any("收到和处理政府信息公开申请" in k for k in between)


def test_without_the_ocr_extra_a_pasted_table_makes_the_report_partial(monkeypatch) -> None:
    if not PASTED.exists():
        pytest.skip("ocr-pasted.pdf not built (corpus/build_ocr_variants.py)")
    import extractors.readers.ocr as ocr

    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    result = process_bytes(PASTED.read_bytes(), "ocr-pasted.pdf")
    assert result.document.status == "partial"
    for number in _truth()["image_pages"]:
        assert f"a table printed as an image on page {number}; install the ocr extra" in result.document.error


def test_small_images_and_images_under_text_are_not_tables() -> None:
    width, height = 595.0, 842.0
    seal = (350.0, 250.0, 450.0, 350.0)  # 0.17 x 0.12 of A4
    table = (80.0, 300.0, 520.0, 500.0)
    glyph = {"text": "年", "x0": 200.0, "x1": 210.0, "top": 400.0, "bottom": 410.0}
    assert pasted_regions([seal], [], width, height) == []
    assert pasted_regions([table], [], width, height) == [table]
    assert pasted_regions([table], [glyph], width, height) == []  # a background or stamp under text
    # a glyph just above the picture (text set tight against it) does not hide the table
    above = {"text": "表", "x0": 200.0, "x1": 210.0, "top": 291.0, "bottom": 301.0}
    assert pasted_regions([table], [above], width, height) == [table]
    # an image cut into strips is one picture; a banner is too low
    strips = [(80.0, 300.0, 520.0, 400.0), (80.0, 400.0, 520.0, 500.0)]
    assert pasted_regions(strips, [], width, height) == [table]
    banner = (0.0, 0.0, width, MIN_IMAGE_HEIGHT * height - 1)
    assert pasted_regions([banner], [], width, height) == []
    narrow = (80.0, 300.0, 80.0 + MIN_IMAGE_WIDTH * width - 1, 500.0)
    assert pasted_regions([narrow], [], width, height) == []
