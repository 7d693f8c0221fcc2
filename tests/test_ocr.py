"""OCR of scanned PDFs: scan detection, ruled grids from page images, and real reports scanned by make_scan."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from extractors.readers.ocr import is_scanned_page, ocr_available

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = SHARED / "corpus" / "inputs"
TRUTH = SHARED / "corpus" / "truth"


def test_is_scanned_page() -> None:
    a4 = (595.0, 842.0)
    assert is_scanned_page(0, [(0, 0, 595, 842)], *a4)
    assert is_scanned_page(3, [(10, 12, 590, 830)], *a4)  # a stray glyph or two on a scan
    assert not is_scanned_page(0, [(50, 50, 150, 120)], *a4)  # a logo only: a blank page, not a scan
    assert not is_scanned_page(900, [(0, 0, 595, 842)], *a4)  # text over a background image
    assert not is_scanned_page(0, [], *a4)


def test_ocr_available_follows_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "rapidocr_onnxruntime" else real(name, *a))
    assert ocr_available() is False


def _table_image(angle: float):
    """A gray, noisy, slightly rotated 4x4 ruled table: column 0 merged over rows 0-1, and a header
    merged over columns 1-3 of row 0 (its rules left out); some text inside that must not count as rules."""
    cv2 = pytest.importorskip("cv2")
    np = pytest.importorskip("numpy")
    img = np.full((900, 1200), 225, np.uint8)
    xs, ys = [100, 400, 600, 800, 1000], [200, 260, 320, 380, 440]
    for y in ys:
        cv2.line(img, (xs[0] if y != ys[1] else xs[1], y), (xs[-1], y), 30, 2)
    for x in xs:
        cv2.line(img, (x, ys[0] if x not in xs[2:4] else ys[1]), (x, ys[-1]), 30, 2)
    cv2.putText(img, "21", (680, 360), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 40, 2)
    cv2.putText(img, "HILL", (120, 420), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 40, 3)
    rot = cv2.getRotationMatrix2D((600, 450), angle, 1.0)
    img = cv2.warpAffine(img, rot, (1200, 900), borderValue=225)
    return np.clip(img + np.random.default_rng(0).normal(0, 8, img.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("angle", [0.0, 0.45, -0.5])
def test_grid_from_ruling_lines(angle: float) -> None:
    img = _table_image(angle)
    from extractors.readers.ocr_tables import find_grids, ink_mask, rotate, ruling_lines, skew_angle

    skew = skew_angle(ink_mask(img))
    assert abs(skew + angle) <= 0.1  # the rotation that undoes the skew
    grids = find_grids(*ruling_lines(ink_mask(rotate(img, skew, 225)), 30), 30)
    assert len(grids) == 1
    assert (len(grids[0].ys) - 1, len(grids[0].xs) - 1) == (4, 4)
    cells = {(c.row, c.col, c.row_span, c.col_span) for c in grids[0].cells}
    expected = {(0, 0, 2, 1), (0, 1, 1, 3), (1, 1, 1, 1), (1, 2, 1, 1), (1, 3, 1, 1)}
    expected |= {(r, c, 1, 1) for r in (2, 3) for c in range(4)}
    assert cells == expected


def test_make_scan_has_no_text_layer(tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    from corpus.make_scan import make_scan
    from extractors.readers.ocr import scanned_pages

    source = INPUTS / "real-001-hongze-2023.pdf"
    if not source.exists():
        pytest.skip(f"{source} is not present here")
    scan = make_scan(source.read_bytes(), seed=3, pages=[1, 3])
    with pdfplumber.open(io.BytesIO(scan)) as pdf:
        assert len(pdf.pages) == 2
        assert not pdf.pages[0].chars
        assert abs(float(pdf.pages[0].width) - 595) < 2 and abs(float(pdf.pages[0].height) - 842) < 2
    assert scanned_pages(scan) == [1, 2]
    assert scanned_pages(source.read_bytes()) == []


@pytest.fixture(scope="module")
def hongze_scan():
    """real-001 (5 pages) scanned by make_scan and read back by OCR (slow: about a minute)."""
    pytest.importorskip("rapidocr_onnxruntime")
    source = INPUTS / "real-001-hongze-2023.pdf"
    if not source.exists():
        pytest.skip(f"{source} is not present here")
    from corpus.make_scan import make_scan
    from extractors.readers.ocr import ocr_pdf

    doc = ocr_pdf(make_scan(source.read_bytes(), seed=0), "real-001-hongze-2023.scan.pdf")
    return doc, json.loads((TRUTH / "real-001-hongze-2023.json").read_text())


def _row(doc, label: str) -> list[str]:
    for table in doc.tables:
        for row in table.text_rows():
            if any(cell.startswith(label) for cell in row[:3]):
                return row
    raise AssertionError(f"no table row labelled {label}")


def test_scan_pages_and_text(hongze_scan) -> None:
    doc, _ = hongze_scan
    assert doc.page_count == 5 and [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    assert all(p.ocr for p in doc.pages)
    texts = [p.text for p in doc.paragraphs]
    assert "三、收到和处理政府信息公开申请情况" in texts
    assert texts[:2] == ["洪泽区人民政府", "2023年政府信息公开工作年度报告"]
    assert any(t.startswith("（二）依申请公开情况。") and t.endswith("均在法定期限答复。") for t in texts)
    assert not any(t.strip("- ").isdigit() for t in texts)  # page numbers dropped


def test_scan_grid_cells(hongze_scan) -> None:
    doc, _ = hongze_scan
    assert _row(doc, "行政事业性收费")[-1] == "7730.28"
    assert _row(doc, "行政处罚")[-1] == "4119"
    assert _row(doc, "一、本年新收政府信息公开申请数量")[-7:] == ["21", "0", "0", "0", "0", "0", "21"]
    assert _row(doc, "（一）予以公开")[-7:] == ["0"] * 7  # under the merged vertical group label
    assert _row(doc, "（二）部分公开")[-7:] == ["4", "0", "0", "0", "0", "0", "4"]
    assert _row(doc, "1.本机关不掌握相关政府信息")[-7:] == ["10", "0", "0", "0", "0", "0", "10"]


def test_scan_template_cells(hongze_scan) -> None:
    from extractors.tables.template_tables import extract_tables

    doc, truth = hongze_scan
    result = extract_tables(doc, "real-001-hongze-2023")
    got = {(c.table, c.row_key, c.col_key): c.value for c in result.cells}
    cells = [(t, r, c, v) for t, rows in truth["tables"].items() for r, cols in rows.items() for c, v in cols.items()]
    wrong = [(t, r, c, v, got.get((t, r, c))) for t, r, c, v in cells
             if got.get((t, r, c)) is None or not math.isclose(got[(t, r, c)], v, abs_tol=1e-6)]
    assert len(wrong) <= len(cells) * 0.005, wrong[:10]
    assert result.tables_found == ["t2_active", "t3_requests", "t4_review_litigation"]
