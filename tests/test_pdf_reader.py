"""PDF reader on real reports (WPS exports, a LibreOffice render) and on broken input."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest

from extractors.errors import ReaderError
from extractors.readers.pdf import read_pdf
from extractors.readers.pdf_tables import _trim_text_rows
from extractors.readers.pdf_text import Line, clean_spaces, is_furniture, join_lines
from schemas.document import Cell, Document, Table

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = SHARED / "corpus" / "inputs"


def _need(name: str) -> Path:
    path = INPUTS / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@cache
def _read(name: str) -> Document:
    path = _need(name)
    return read_pdf(path.read_bytes(), name)


def _table_with(doc: Document, text: str) -> Table:
    return next(t for t in doc.tables if any(text in c.text for c in t.cells))


def _row_values(table: Table, label: str) -> list[str]:
    """Texts of the cells right of the cell holding `label`, one per distinct cell."""
    cell = next(c for c in table.cells if label in c.text)
    row = [c for c in table.cells if c.row == cell.row and c.col > cell.col]
    return [c.text for c in sorted(row, key=lambda c: c.col)]


def _minimal_pdf(encrypt: bool = False, pages: int = 1) -> bytes:
    """A hand-written PDF with text pages (or none); optionally password-protected (/Encrypt, RC4)."""
    content = b"BT /F1 24 Tf 72 700 Td (Hello) Tj ET"
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    n = 3 + pages
    for _ in range(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {n} 0 R "
                    f"/Resources << /Font << /F1 {n + 1} 0 R >> >> >>".encode())
    objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    extra = b""
    if encrypt:  # an owner/user key pair no empty password opens
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"ab" * 32
                    + b"> /U <" + b"cd" * 32 + b"> >>")
        doc_id = b"<0123456789abcdef0123456789abcdef>"
        extra = b" /Encrypt %d 0 R /ID [%s %s]" % (len(objs), doc_id, doc_id)
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, extra, xref)
    return out


# ---------------------------------------------------------------- text helpers


def test_spaces_between_cjk_dropped_numbers_kept() -> None:
    assert clean_spaces("户 ， 补 助 面 积 41847.86 亩") == "户，补助面积41847.86亩"
    assert clean_spaces("21 0 0 0") == "21 0 0 0"
    assert join_lines(["洪泽湖大道 90", "号，邮编"]) == "洪泽湖大道90号，邮编"
    assert join_lines(["open", "data"]) == "open data"


def test_page_number_furniture() -> None:
    for text in ("- 3 -", "— 3 —", "3", "第3页 共5页", "第 3 页"):
        assert is_furniture(Line(text, 280, 800, 300, 812, 12), 842), text
    assert not is_furniture(Line("3", 280, 400, 300, 412, 12), 842)  # mid-page: content
    assert not is_furniture(Line("2023年12月", 280, 800, 300, 812, 12), 842)


# ---------------------------------------------------------------- real-001 (WPS export)


def test_hongze_pages_and_frames_as_text() -> None:
    doc = _read("real-001-hongze-2023.pdf")
    assert doc.format == "pdf" and doc.page_count == 5 and len(doc.pages) == 5
    assert all(t.n_cols >= 2 for t in doc.tables)  # bordered text frames are not tables
    page1 = doc.pages[0]
    assert not any(isinstance(b, Table) for b in page1.blocks)
    texts = [p.text for p in doc.paragraphs if p.page == 1]
    assert "一、总体情况" in texts
    assert any(t.startswith("本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》") for t in texts)
    assert any("邮编：223100，电话：0517-87222589" in t for t in texts)
    assert doc.metadata["title"] == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert not any(p.text in ("- 1 -", "- 3 -") for p in doc.paragraphs)


def test_hongze_request_table_cells_and_spans() -> None:
    doc = _read("real-001-hongze-2023.pdf")
    table = _table_with(doc, "一、本年新收政府信息公开申请数量")
    assert table.page == 3
    # truth: t3 new_received natural_person 21, others 0, total 21
    assert _row_values(table, "一、本年新收政府信息公开申请数量") == ["21", "0", "0", "0", "0", "0", "21"]
    assert _row_values(table, "1.本机关不掌握相关政府信息") == ["10", "0", "0", "0", "0", "0", "10"]
    legal = next(c for c in table.cells if c.text == "法人或其他组织")
    assert legal.col_span == 5 and legal.row_span == 1
    vertical = next(c for c in table.cells if c.text == "三、本年度办理结果")
    assert vertical.row_span == 12 and vertical.col_span == 1
    assert any(c.text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" for c in table.cells)
    assert any(c.text == "社会公益组织" for c in table.cells)
    # each merged cell stored once
    positions = [(c.row, c.col) for c in table.cells]
    assert len(positions) == len(set(positions))
    grid = table.grid()
    assert all(cell is not None for row in grid for cell in row)
    # the heading between table 2's tail and table 3 is a paragraph, not in either table
    assert any(p.text == "三、收到和处理政府信息公开申请情况" and p.page == 3 for p in doc.paragraphs)


def test_hongze_active_and_review_tables() -> None:
    doc = _read("real-001-hongze-2023.pdf")
    t2 = _table_with(doc, "行政规范性文件")
    assert t2.page == 2 and t2.n_cols == 4
    assert _row_values(t2, "行政规范性文件") == ["0", "5", "5"]  # truth: issued 0, repealed 5, in force 5
    fees = _table_with(doc, "行政事业性收费")
    assert _row_values(fees, "行政事业性收费") == ["7730.28"]
    t4 = _table_with(doc, "复议后起诉")
    assert t4.page == 4 and t4.n_cols == 15
    values = [c.text for c in t4.cells if c.row == t4.n_rows - 1]
    # truth: review upheld 10, corrected 1, post-review suit upheld 5, all else 0
    assert values == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    # continuation on page 4: first rows' merged label cell was cut by the page break, still a cell
    cont = _table_with(doc, "3.补正后申请内容仍不明确")
    assert cont.page == 4 and cont.n_cols == 10
    assert _row_values(cont, "（七）总计") == ["21", "0", "0", "0", "0", "0", "21"]


# ---------------------------------------------------------------- real-003 (WPS export)


def test_huaian_tables() -> None:
    doc = _read("real-003-huaian-2024.pdf")
    assert doc.page_count == 6
    assert all(t.n_cols >= 2 for t in doc.tables)
    t3 = _table_with(doc, "一、本年新收政府信息公开申请数量")
    assert t3.page == 4
    assert _row_values(t3, "一、本年新收政府信息公开申请数量") == ["3001", "53", "0", "0", "61", "4", "3119"]
    t4 = _table_with(doc, "复议后起诉")
    assert t4.page == 5
    assert [c.text for c in t4.cells if c.row == t4.n_rows - 1][:5] == ["72", "64", "178", "37", "351"]
    assert _row_values(_table_with(doc, "行政处罚"), "行政处罚") == ["3985758"]


# ---------------------------------------------------------------- seed (LibreOffice render)


def test_seed_paragraphs_and_tables() -> None:
    doc = _read("seed-enhe-2022.pdf")
    assert doc.page_count == 11
    assert any("补助面积41847.86亩" in p.text for p in doc.paragraphs)
    assert "2022年政府信息公开工作年度报告" in [p.text for p in doc.paragraphs if p.page == 1]
    t2 = _table_with(doc, "第二十条第（一）项")
    assert t2.page == 6 and t2.n_cols == 4
    assert _row_values(t2, "行政处罚") == ["6"]  # truth: penalty decisions 6
    t3 = _table_with(doc, "申请人情况")
    assert t3.page == 6 and t3.n_cols == 9
    assert next(c for c in t3.cells if c.text == "法人或其他组织").col_span == 5
    cont = _table_with(doc, "（七）总计")
    assert cont.page == 7 and cont.n_cols == 10
    t4 = _table_with(doc, "行政诉讼")
    assert t4.page == 7
    # text outside tables is not repeated inside them
    assert not any("申请人情况" in p.text for p in doc.paragraphs)


# ---------------------------------------------------------------- broken input


def test_encrypted_pdf() -> None:
    with pytest.raises(ReaderError, match=r"^encrypted PDF \(password required\)$"):
        read_pdf(_minimal_pdf(encrypt=True), "locked.pdf")
    assert read_pdf(_minimal_pdf(), "plain.pdf").text == "Hello"


def test_no_pages() -> None:
    with pytest.raises(ReaderError, match="no pages"):
        read_pdf(_minimal_pdf(pages=0), "empty.pdf")


def test_truncated_and_garbage() -> None:
    data = _need("real-001-hongze-2023.pdf").read_bytes()
    for cut in (len(data) // 2, len(data) - 40):
        with pytest.raises(ReaderError, match=r"^corrupt or truncated PDF: "):
            read_pdf(data[:cut], "cut.pdf")
    with pytest.raises(ReaderError, match=r"^corrupt or truncated PDF: "):
        read_pdf(b"%PDF-1.4\nnot really a pdf", "junk.pdf")


def test_image_only_pdf(tmp_path: Path, monkeypatch) -> None:
    """Without the [ocr] extra an image-only PDF is a clear partial row naming the extra."""
    import extractors.readers.ocr

    monkeypatch.setattr(extractors.readers.ocr, "ocr_available", lambda: False)
    pdfium = pytest.importorskip("pypdfium2")
    pytest.importorskip("PIL")
    src = pdfium.PdfDocument(str(_need("real-001-hongze-2023.pdf")))
    image = src[0].render(scale=0.5).to_pil().convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PDF")
    with pytest.raises(ReaderError, match=r"^image-only PDF \(scanned, no text layer\); OCR needs") as info:
        read_pdf(buf.getvalue(), "scan.pdf")
    assert info.value.status == "partial"


# ---------------------------------------------------------------- fast path and fallbacks


def _blocks(doc: Document) -> list[tuple]:
    return [(p.number, b.text_rows() if isinstance(b, Table) else b.text) for p in doc.pages for b in p.blocks]


CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ALL_PDFS = sorted([*CORPUS.glob("*.pdf"), *(CORPUS / "variants").glob("*.pdf"), *INPUTS.glob("*.pdf")])


def _model(doc: Document) -> list[tuple]:
    """Every block exactly (cells with positions and spans, paragraph texts), boxes left out."""
    out: list[tuple] = []
    for page in doc.pages:
        for b in page.blocks:
            if isinstance(b, Table):
                out.append((page.number, b.page, [(c.row, c.col, c.row_span, c.col_span, c.text, c.page)
                                                  for c in b.cells]))
            else:
                out.append((page.number, b.page, b.text, b.start, b.end))
    return out


def _boxes(doc: Document, tables: bool) -> list:
    if tables:  # from the rules: the same to the hundredth
        return [t.bbox for t in doc.tables] + [c.bbox for t in doc.tables for c in t.cells]
    return [p.bbox for p in doc.paragraphs]  # from glyph boxes: pdfium loose boxes, a few points taller


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_fast_path_reads_like_pdfplumber(path: Path) -> None:
    """pdfium (text pages and ruled table pages) gives the document pdfplumber alone gives."""
    data = path.read_bytes()
    fast, slow = read_pdf(data, path.name, fast=True), read_pdf(data, path.name, fast=False)
    assert _model(fast) == _model(slow)
    assert fast.text == slow.text and fast.warnings == slow.warnings and fast.metadata == slow.metadata
    sizes = [(p.width, p.height) for p in slow.pages]
    assert [v for p in fast.pages for v in (p.width, p.height)] == pytest.approx(
        [v for s in sizes for v in s])
    for tables, tolerance in ((True, 0.011), (False, 6.0)):
        for a, b in zip(_boxes(fast, tables), _boxes(slow, tables), strict=True):
            assert (a is None) == (b is None)
            if a is not None:
                assert a == pytest.approx(b, abs=tolerance)


@pytest.mark.parametrize("name", ["seed-enhe-2022.pdf", "real-003-huaian-2024.pdf"])
def test_fast_path_cached_read(name: str) -> None:
    data = _need(name).read_bytes()
    assert _blocks(read_pdf(data, name, fast=True)) == _blocks(_read(name))


def _rounded(obj: dict) -> tuple:
    return tuple(round(obj[k], 2) for k in ("x0", "top", "x1", "bottom"))


def _edge_keys(edges: list[dict]) -> list[tuple]:
    return sorted((e["object_type"], e["orientation"], *_rounded(e)) for e in edges)


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_pdfium_rules_match_pdfminer(path: Path) -> None:
    """Drawn rules read from pdfium are the line/rect/curve edges pdfplumber finds, stroke flags included."""
    import pdfplumber
    import pypdfium2

    from extractors.readers.pdf_fast import plain_geometry
    from extractors.readers.pdf_pdfium_tables import rule_page

    data = path.read_bytes()
    fast = pypdfium2.PdfDocument(data)
    checked = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, page in enumerate(pdf.pages):
                ruled = rule_page(fast[index], []) if plain_geometry(fast[index]) else None
                if ruled is None:
                    continue
                checked += 1
                assert _edge_keys(ruled.edges) == _edge_keys(page.edges), (path.name, index + 1)
                strokes = sorted((*_rounded(r), bool(r["stroke"])) for r in page.rects)
                assert sorted((*_rounded(r), bool(r["stroke"])) for r in ruled.rects) == strokes
    finally:
        fast.close()
    assert checked


def test_text_frame_rows_trimmed_from_filled_box_table() -> None:
    frame = "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》编制"
    cells = [Cell(0, 0, frame, col_span=2, bbox=(0, 0, 100, 10)),
             Cell(1, 0, "第二十条第（一）项", col_span=2, bbox=(0, 10, 100, 20)),
             Cell(2, 0, "规章", bbox=(0, 20, 50, 30)), Cell(2, 1, "0", bbox=(50, 20, 100, 30)),
             Cell(3, 0, frame, col_span=2, bbox=(0, 30, 100, 40))]
    trimmed = _trim_text_rows(Table(cells=cells, bbox=(0, 0, 100, 40)))
    assert trimmed is not None
    assert trimmed.text_rows() == [["第二十条第（一）项", "第二十条第（一）项"], ["规章", "0"]]
    assert trimmed.bbox == (0, 10, 100, 30)


def test_make_line_gives_line_text_and_the_box_and_median_size_of_its_ink():
    """make_line's single pass agrees with line_text and the ink's box and median size computed apart,
    on lines with spaces, missing or zero sizes and wide gaps."""
    import random
    from statistics import median

    from extractors.readers.pdf_text import line_text, make_line

    rng = random.Random(3)
    for _ in range(500):
        chars, x = [], rng.uniform(0, 50)
        for _ in range(rng.randrange(1, 12)):
            top = rng.uniform(100, 104)
            ch = {"text": rng.choice(["年", "1", "a", " ", "\u3000", "。", "12"]), "x0": x,
                  "x1": x + rng.uniform(0, 12), "top": top, "bottom": top + rng.uniform(0, 12)}
            if rng.random() < 0.8:
                ch["size"] = rng.choice([0, 9.0, 10.5, 12.0])
            chars.append(ch)
            x = ch["x1"] + rng.choice([0.0, 1.0, 3.0, 30.0])
        ink = [c for c in chars if c["text"].strip()] or chars
        line = make_line(chars)
        assert line.text == line_text(chars)
        assert (line.x0, line.top, line.x1, line.bottom) == (
            min(c["x0"] for c in ink), min(c["top"] for c in ink), max(c["x1"] for c in ink),
            max(c["bottom"] for c in ink))
        assert line.size == median(c.get("size") or c["bottom"] - c["top"] for c in ink)
