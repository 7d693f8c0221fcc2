"""DOCX reader on the committed render of the seed report, on handmade edge cases and on bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from extractors.errors import ReaderError
from extractors.readers.docx import read_docx
from schemas.document import Document, Paragraph, Table

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOCX = ROOT / "corpus" / "enhe-2022.docx"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="module")
def enhe() -> Document:
    return read_docx(CORPUS_DOCX.read_bytes(), "corpus/enhe-2022.docx")


def _para(doc: Document, text: str) -> Paragraph:
    return next(p for p in doc.paragraphs if p.text == text)


def _table_with(doc: Document, text: str) -> Table:
    return next(t for t in doc.tables if any(c.text == text for c in t.cells))


def _only(table: Table, text: str):
    found = [c for c in table.cells if c.text == text]
    assert len(found) == 1, f"{text!r} stored {len(found)} times"
    return found[0]


def test_metadata_and_format(enhe: Document) -> None:
    assert enhe.format == "docx"
    assert [p.number for p in enhe.pages] == [None]
    assert enhe.metadata["title"] == "中宁县恩和镇人民政府2022年政府信息公开工作年度报告"
    assert len(enhe.tables) == 3


def test_body_order(enhe: Document) -> None:
    blocks = list(enhe.blocks())
    overview = _para(enhe, "一、总体情况")
    t2 = _table_with(enhe, "第二十条第（一）项")
    heading3 = _para(enhe, "三、收到和处理政府信息公开申请情况")
    t3 = _table_with(enhe, "申请人情况")
    heading4 = _para(enhe, "四、政府信息公开行政复议、行政诉讼情况")
    t4 = _table_with(enhe, "行政复议")
    order = [blocks.index(b) for b in (overview, t2, heading3, t3, heading4, t4)]
    assert order == sorted(order)
    # a table holds no text of its own: it stands at the offset where the next paragraph begins
    assert overview.start < t2.start <= heading3.start < t3.start <= heading4.start < t4.start
    # the heading stands right before its table in the block sequence
    assert blocks[blocks.index(t3) - 1] is heading3
    assert blocks[blocks.index(t4) - 1] is heading4
    # text offsets point at the paragraph text
    assert enhe.text[heading3.start:heading3.end] == heading3.text
    # the seed's **bold** runs come back as plain text, and the last paragraph is the fee statement
    assert enhe.paragraphs[-1].text == "2022 年未收取信息公开处理费。"


def test_table3_merged_cells_once(enhe: Document) -> None:
    t3 = _table_with(enhe, "申请人情况")
    assert (t3.n_rows, t3.n_cols) == (28, 10)
    applicants = _only(t3, "申请人情况")
    assert (applicants.row, applicants.col, applicants.row_span, applicants.col_span) == (0, 3, 1, 6)
    orgs = _only(t3, "法人或其他组织")
    assert (orgs.row, orgs.col, orgs.row_span, orgs.col_span) == (1, 4, 1, 5)
    total = _only(t3, "总计")
    assert (total.row, total.col, total.row_span, total.col_span) == (0, 9, 3, 1)
    outcome = _only(t3, "三、本年度办理结果")
    assert (outcome.col, outcome.row_span) == (0, 22)
    denied = _only(t3, "(三) 不予公开")
    assert (denied.col, denied.row_span) == (1, 8)
    # no two cells share a grid position, and every position is covered once
    positions = [(r, c) for cell in t3.cells for r in range(cell.row, cell.row + cell.row_span)
                 for c in range(cell.col, cell.col + cell.col_span)]
    assert len(positions) == len(set(positions)) == 28 * 10
    grid = t3.grid()
    assert all(grid[1][c] is orgs for c in range(4, 9))


def test_table3_rows_and_values(enhe: Document) -> None:
    t3 = _table_with(enhe, "申请人情况")
    rows = t3.text_rows()
    assert rows[3][0] == "一、本年新收政府信息公开申请数量"
    assert rows[3][3:] == ["0"] * 7
    assert rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert rows[22][2] == "5.要求行政机关确认或重新出具已获取信息"
    assert rows[22][1] == "(五) 不予处理"
    assert rows[26][1] == rows[26][2] == "(七) 总计"
    assert rows[27][0] == "四、结转下年度继续办理"


def test_table2_and_table4_spans(enhe: Document) -> None:
    t2 = _table_with(enhe, "第二十条第（一）项")
    assert _only(t2, "第二十条第（一）项").col_span == 4
    penalty_row = next(r for r in t2.text_rows() if r[0] == "行政处罚")
    assert penalty_row[1:] == ["6", "6", "6"]  # one value cell spanning the three value columns
    t4 = _table_with(enhe, "行政复议")
    assert (t4.n_rows, t4.n_cols) == (4, 15)
    assert _only(t4, "行政复议").col_span == 5
    assert _only(t4, "行政诉讼").col_span == 10
    assert _only(t4, "未经复议直接起诉").col_span == 5
    assert _only(t4, "复议后起诉").col == 10
    upheld = [c for c in t4.cells if c.text == "结果\n维持"]
    assert [(c.row, c.col, c.row_span) for c in upheld] == [(1, 0, 2), (2, 5, 1), (2, 10, 1)]
    assert t4.text_rows()[3] == ["0"] * 15


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_frame_nested_and_vmerge_handmade() -> None:
    document = docx.Document()
    document.add_paragraph("标题段落")
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).paragraphs[0].add_run("框内第一段正文，说明本年度工作情况。")
    frame.cell(0, 0).add_paragraph("框内第二段正文。")
    data = document.add_table(rows=3, cols=3)
    data.cell(0, 0).merge(data.cell(2, 0)).paragraphs[0].add_run("纵向合并")
    data.cell(0, 1).merge(data.cell(0, 2)).paragraphs[0].add_run("横向合并")
    data.cell(1, 1).paragraphs[0].add_run("1")
    inner = data.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).paragraphs[0].add_run("内表甲")
    inner.cell(0, 1).paragraphs[0].add_run("内表乙")
    document.add_paragraph("结尾段落")
    doc = read_docx(_docx_bytes(document), "handmade.docx")
    assert [p.text for p in doc.paragraphs] == ["标题段落", "框内第一段正文，说明本年度工作情况。", "框内第二段正文。",
                                                "结尾段落"]
    assert len(doc.tables) == 1
    cells = {c.text: c for c in doc.tables[0].cells}
    assert (cells["纵向合并"].row_span, cells["纵向合并"].col_span) == (3, 1)
    assert (cells["横向合并"].row, cells["横向合并"].col_span) == (0, 2)
    assert cells["1"].row == cells["1"].col == 1
    assert "内表甲 内表乙" in cells
    assert cells["内表甲 内表乙"].col == 2


def test_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReaderError, match="^not a Word document: a spreadsheet"):
        read_docx(buffer.getvalue(), "book.docx")


def test_plain_zip_and_random_bytes() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ReaderError, match="^not a Word document"):
        read_docx(buffer.getvalue(), "archive.docx")
    with pytest.raises(ReaderError, match="^corrupt DOCX"):
        read_docx(bytes(range(256)) * 40, "random.docx")


def test_truncated_docx() -> None:
    data = CORPUS_DOCX.read_bytes()
    for cut in (len(data) // 2, len(data) - 100):
        with pytest.raises(ReaderError) as err:
            read_docx(data[:cut], "truncated.docx")
        assert str(err.value).startswith("corrupt DOCX")
        assert "\n" not in str(err.value)


def test_shared_seed_docx() -> None:
    path = SHARED / "corpus" / "inputs" / "seed-enhe-2022.docx"
    if not path.exists():
        pytest.skip("shared corpus not available")
    doc = read_docx(path.read_bytes(), path.name)
    assert len(doc.tables) == 3
    t3 = _table_with(doc, "申请人情况")
    assert _only(t3, "法人或其他组织").col_span == 5
    assert _only(t3, "（三）不予公开").row_span == 8
    assert doc.paragraphs[0].text == "中宁县恩和镇人民政府"
