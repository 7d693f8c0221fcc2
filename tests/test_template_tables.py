"""Template-table extractor on real reports (every truth cell) and on small handmade grids."""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path

import pytest

from extractors.tables.template_tables import extract_tables
from schemas.document import Cell, Document, Page, Paragraph, Table

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = SHARED / "corpus" / "inputs"
TRUTH = SHARED / "corpus" / "truth"
READERS = {"txt": ("extractors.readers.txt", "read_txt"), "pdf": ("extractors.readers.pdf", "read_pdf"),
           "docx": ("extractors.readers.docx", "read_docx"), "html": ("extractors.readers.html", "read_html")}
_CACHE: dict[str, tuple] = {}  # each document is read once per test run
DOCUMENTS = ["seed-enhe-2022.txt", "seed-enhe-2022.pdf", "seed-enhe-2022.docx", "real-001-hongze-2023.pdf",
             "real-003-huaian-2024.pdf", "real-004-pingtan-2019.html", "real-006-pingtan-2021.html"]


def _extract(name: str):
    path = INPUTS / name
    if name in _CACHE:
        return _CACHE[name]
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    module, func = READERS[name.rsplit(".", 1)[1]]
    try:
        reader = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError):
        pytest.skip(f"no reader {module}.{func} yet")
    stem = name.rsplit(".", 1)[0]
    _CACHE[name] = (extract_tables(reader(path.read_bytes(), name), stem),
                    json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8")))
    return _CACHE[name]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_truth_cell(name: str) -> None:
    result, truth = _extract(name)
    got = {(c.table, c.row_key, c.col_key): c for c in result.cells}
    wrong = []
    for table, rows in truth["tables"].items():
        for row, cols in rows.items():
            for col, want in cols.items():
                cell = got.get((table, row, col))
                if cell is None or cell.value is None or not math.isclose(cell.value, want, abs_tol=1e-6):
                    wrong.append(f"{table}.{row}.{col}: {cell.value if cell else 'missing'} (want {want})")
    assert not wrong, wrong[:10]
    assert result.template == ("2019" if truth["template"] == "2019" else "2021")
    assert result.tables_found == ["t2_active", "t3_requests", "t4_review_litigation"]
    # nothing beyond the template: every cell found is a truth cell
    extra = [k for k in got if truth["tables"].get(k[0], {}).get(k[1], {}).get(k[2]) is None]
    assert not extra, extra


@pytest.mark.parametrize("name", ["real-001-hongze-2023.pdf", "real-003-huaian-2024.pdf"])
def test_pdf_cells_carry_page_and_box(name: str) -> None:
    result, _ = _extract(name)
    assert all(c.page is not None for c in result.cells)
    assert all(len(c.bbox.split()) == 4 for c in result.cells)


def test_table3_joined_across_pages_real_003() -> None:
    """real-003: table 3 breaks inside （四）无|法提供; rows on both pages land in the right keys."""
    result, _ = _extract("real-003-huaian-2024.pdf")
    got = {(c.row_key, c.col_key): c for c in result.cells if c.table == "t3_requests"}
    assert got[("unable_not_held", "total")].value == 769 and got[("unable_not_held", "total")].page == 4
    assert got[("unable_needs_creation", "total")].value == 11 and got[("unable_needs_creation", "total")].page == 5
    assert got[("carried_forward", "natural_person")].value == 103


def test_single_other_row_real_001() -> None:
    """real-001 prints one （六）其他处理 row and a typo label 2.其他法律行政止公开."""
    result, _ = _extract("real-001-hongze-2023.pdf")
    keys = {c.row_key for c in result.cells if c.table == "t3_requests"}
    assert "other_total" in keys and "other_misc" not in keys
    assert "denied_prohibited_by_law" in keys
    assert not [p for p in map(str, result.problems) if "matched no key" in p]


def test_2019_table2_columns_real_004() -> None:
    result, _ = _extract("real-004-pingtan-2019.html")
    got = {(c.row_key, c.col_key): c for c in result.cells if c.table == "t2_active"}
    assert got[("central_procurement", "amount_yuan")].value == 75394432.52
    assert got[("central_procurement", "amount_yuan")].raw == "75394432.52元"
    assert got[("other_external_services", "decisions")].value == 153
    assert not any(k[1] == "issued" for k in got)


# ---------------------------------------------------------------- handmade grids


def _table(rows: list[list[str]], page: int | None = None) -> Table:
    cells = [Cell(r, c, text, page=page) for r, row in enumerate(rows) for c, text in enumerate(row) if text is not None]
    return Table(cells=cells, page=page)


def _doc(*blocks_by_page: list) -> Document:
    pages = [Page(number=i + 1, blocks=list(blocks)) for i, blocks in enumerate(blocks_by_page)]
    return Document(source="x", format="pdf", pages=pages)


_T3_HEAD = [["", "", "申请人情况", "", "", "", "", "", ""],
            ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "商业\n企业", "科研\n机构", "社会\n公益\n组织", "法律\n服务\n机构", "其他", ""]]


def test_label_split_from_values_over_page_break() -> None:
    """A row whose label ends one page and whose values start the next is one row."""
    first = _table(_T3_HEAD + [["一、本年新收政府信息公开申请数量", "", "5", "1", "0", "0", "0", "0", "6"],
                               ["二、上年结转政府信息公开申请数量", "", None, None, None, None, None, None, None]],
                   page=1)
    second = _table([["", "", "2", "0", "0", "0", "0", "0", "2"]], page=2)
    result = extract_tables(_doc([first], [Paragraph("- 1 -", page=1), second]), "d")
    got = {(c.row_key, c.col_key): c.value for c in result.cells}
    assert got[("carried_over", "natural_person")] == 2 and got[("carried_over", "total")] == 2
    assert got[("new_received", "total")] == 6


def test_unmatched_label_is_reported_not_forced() -> None:
    table = _table(_T3_HEAD + [["一、本年新收政府信息公开申请数量", "", "5", "1", "0", "0", "0", "0", "6"],
                               ["（八）本年度新增的地方特色事项", "", "1", "0", "0", "0", "0", "0", "1"]])
    result = extract_tables(_doc([table]), "d")
    assert any("本年度新增的地方特色事项" in p and "matched no key" in p for p in map(str, result.problems))
    assert {c.row_key for c in result.cells} == {"new_received"}


def test_org_subtotal_column_and_blank_forms() -> None:
    head = [["", "", "自然人", "法人或其他组织", "", "", "", "", "", "总计"],
            ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", ""]]
    table = _table(head + [["一、本年新收政府信息公开申请数量", "", "３", "—", "/", "无", "", "1", "1", "4件"]])
    result = extract_tables(_doc([table]), "d")
    got = {c.col_key: c for c in result.cells}
    assert got["org_subtotal"].value == 1 and got["total"].value == 4 and got["natural_person"].value == 3
    assert got["commercial"].blank and got["commercial"].value is None and got["commercial"].raw == "—"
    assert got["legal_services"].blank and not got["other_org"].blank


def test_transposed_table4() -> None:
    rows = [["行政复议", "结果维持", "1"], ["", "结果纠正", "0"], ["", "其他结果", "0"], ["", "尚未审结", "0"],
            ["", "总计", "1"], ["行政诉讼未经复议直接起诉", "结果维持", "2"], ["", "结果纠正", "0"],
            ["", "其他结果", "0"], ["", "尚未审结", "0"], ["", "总计", "2"], ["行政诉讼复议后起诉", "结果维持", "0"],
            ["", "结果纠正", "0"], ["", "其他结果", "0"], ["", "尚未审结", "3"], ["", "总计", "3"]]
    result = extract_tables(_doc([_table(rows)]), "d")
    got = {c.col_key: c.value for c in result.cells if c.table == "t4_review_litigation"}
    assert len(got) == 15
    assert got["review_upheld"] == 1 and got["suit_total"] == 2 and got["post_review_suit_pending"] == 3


def test_framed_paragraphs_ignored() -> None:
    frame = _table([["一、总体情况 2023年，本机关公开规章1件。"], ["行政许可 550"]])
    result = extract_tables(_doc([frame]), "d")
    assert result.cells == [] and result.template == "unknown"


def test_group_heading_row_then_numbered_rows() -> None:
    """（六）其他处理 on its own row heads numbered rows: it is not the single other_total row."""
    rows = _T3_HEAD + [["（六）其他处理", "", "", "", "", "", "", "", ""],
                       ["", "3.其他", "1", "0", "0", "0", "0", "0", "1"],
                       ["（三）不予公开 1.属于国家秘密", "", "2", "0", "0", "0", "0", "0", "2"]]
    result = extract_tables(_doc([_table(rows)]), "d")
    got = {(c.row_key, c.col_key): c for c in result.cells}
    assert {k[0] for k in got} == {"other_misc", "denied_state_secret"}
    assert got[("denied_state_secret", "total")].value == 2
    assert got[("other_misc", "natural_person")].row_label == "（六）其他处理 3.其他"


def test_headerless_continuation_by_value_order() -> None:
    first = _table(_T3_HEAD + [["一、本年新收政府信息公开申请数量", "", "5", "1", "0", "0", "0", "0", "6"]], page=1)
    second = _table([["四、结转下年度继续办理", "7", "0", "0", "0", "0", "0", "7"]], page=2)  # other grid
    result = extract_tables(_doc([first], [second]), "d")
    got = {(c.row_key, c.col_key): c for c in result.cells}
    assert got[("carried_forward", "total")].value == 7 and got[("carried_forward", "total")].page == 2
    assert got[("carried_forward", "total")].col_label == "总计"


def test_table4_header_cut_by_page_break_seed_pdf() -> None:
    """seed PDF: table 4's header rows stand on two pages in two grids; columns matched by position."""
    result, _ = _extract("seed-enhe-2022.pdf")
    labels = {c.col_key: c.col_label for c in result.cells if c.table == "t4_review_litigation"}
    assert labels["review_upheld"] == "行政复议 结果 维持"
    assert labels["post_review_suit_total"].startswith("行政诉讼 复议后起诉")


# ---------------------------------------------------------------- table 3 header cut by a page break

_X = (70, 140, 210, 280, 315, 350, 385, 420, 455, 490, 525)  # column edges of a 10-column table 3


def _boxed(rows: list[list[tuple[str, int, int]]], page: int, top: float = 100) -> Table:
    """A table of (text, col, col_span) cells with boxes at the _X column edges, one 14pt row each."""
    cells = [Cell(r, c, text, col_span=span, page=page, bbox=(_X[c], top + 14 * r, _X[c + span], top + 14 * r + 14))
             for r, row in enumerate(rows) for text, c, span in row]
    return Table(cells=cells, page=page)


_ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def _t3_data(with_last: bool = True, last: str | None = None) -> list[list[tuple[str, int, int]]]:
    rows = [("一、本年新收政府信息公开申请数量", [5, 1, 0, 2, 0, 1]), ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0]),
            ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0])]
    out = []
    for label, values in rows:
        cells = [(label, 0, 3)] + [(str(v), 3 + i, 1) for i, v in enumerate(values)]
        if with_last:
            cells.append((last if last is not None else str(sum(values)), 9, 1))
        out.append(cells)
    return out


def test_header_fragment_joined_with_next_page_grid() -> None:
    """Table 3's header rows cut at a page end: 总计 stands in the page-1 fragment, its column on page 2."""
    fragment = _boxed([[("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 3), ("申请人情况", 3, 6),
                        ("总计", 9, 1)], [("", 3, 1), ("法人或其他组织", 4, 5)]], page=1, top=700)
    fragment.cells[0].row_span = fragment.cells[2].row_span = 2
    rest = _boxed([[("", 0, 3), ("自然人", 3, 1)] + [(t, 4 + i, 1) for i, t in enumerate(_ORGS)] + [("", 9, 1)]]
                  + _t3_data(), page=2)
    result = extract_tables(_doc([fragment], [rest]), "d")
    got = {(c.row_key, c.col_key): c for c in result.cells}
    assert got[("new_received", "total")].value == 9 and got[("new_received", "total")].col_label == "总计"
    assert got[("new_received", "natural_person")].value == 5 and got[("new_received", "other_org")].value == 1
    assert got[("carried_forward", "total")].value == 0
    assert not [p for p in map(str, result.problems) if "unlabelled" in p or "value cells" in p]


def _unlabelled(last: str | None = None) -> Table:
    head = [[("", 0, 3), ("自然人", 3, 1)] + [(t, 4 + i, 1) for i, t in enumerate(_ORGS)] + [("", 9, 1)]]
    data = _t3_data()
    if last is not None:
        data[1][-1] = (last, 9, 1)
    return _boxed(head + data, page=1)


def test_unlabelled_last_column_is_total_only_when_it_adds_up() -> None:
    result = extract_tables(_doc([_unlabelled()]), "d")
    got = {(c.row_key, c.col_key): c for c in result.cells}
    assert got[("new_received", "total")].value == 9 and got[("carried_over", "total")].value == 1
    # one row off: the column is not the identity's total; nothing is guessed
    result = extract_tables(_doc([_unlabelled(last="7")]), "d")
    assert not [c for c in result.cells if c.col_key == "total"]
    assert {c.col_key for c in result.cells} == set(_T3_APPLICANT)
    assert any("unlabelled last column" in p for p in map(str, result.problems))


_T3_APPLICANT = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org")


def test_province_rows_unmatched_and_never_shift_others() -> None:
    """其中：…, 9.其他 in 不予公开 and （八）其他 are not template rows: reported, never forced onto 3.其他."""
    rows = _T3_HEAD + [["一、本年新收政府信息公开申请数量", "", "5", "1", "0", "0", "0", "0", "6"],
                       ["其中：通过网络提交的申请", "", "4", "0", "0", "0", "0", "0", "4"],
                       ["（三）不予公开", "8.属于行政查询事项", "1", "0", "0", "0", "0", "0", "1"],
                       ["", "9.其他", "2", "0", "0", "0", "0", "0", "2"],
                       ["（六）其他处理", "3.其他", "3", "0", "0", "0", "0", "0", "3"],
                       ["（七）总计", "", "6", "0", "0", "0", "0", "0", "6"],
                       ["（八）其他", "", "7", "0", "0", "0", "0", "0", "7"]]
    result = extract_tables(_doc([_table(rows)]), "d")
    got = {(c.row_key, c.col_key): c.value for c in result.cells}
    assert {k[0] for k in got} == {"new_received", "denied_admin_query", "other_misc", "handled_total"}
    assert got[("new_received", "total")] == 6 and got[("other_misc", "total")] == 3
    assert got[("handled_total", "total")] == 6 and not result.ambiguous
    unmatched = [p for p in map(str, result.problems) if "matched no key" in p]
    assert len(unmatched) == 3 and any("（八）其他" in p for p in unmatched)


def test_header_rows_without_spans_read_in_order() -> None:
    """A text export loses the header spans: 自然人 | 法人或其他组织 | 总计 over the five organisations
    maps by reading order when the count matches; a group label may stand as its own cell."""
    rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
            ["自然人", "法人或其他组织", "总计"],
            ["商业 企业", "科研 机构", "社会公益组织", "法律服务机构", "其他"],
            ["一、本年新收政府信息公开申请数量", "58", "7", "0", "0", "1", "0", "66"],
            ["三、本年度办理结果", "（一）予以公开", "2", "1", "0", "0", "0", "0", "3"]]
    result = extract_tables(_doc([_table(rows)]), "d")
    got = {(c.row_key, c.col_key): c for c in result.cells}
    assert got[("new_received", "natural_person")].value == 58
    assert got[("new_received", "commercial")].value == 7
    assert got[("new_received", "legal_services")].value == 1
    assert got[("new_received", "total")].value == 66 and got[("new_received", "total")].col_label == "总计"
    assert got[("granted", "total")].value == 3 and got[("granted", "natural_person")].value == 2
    assert not any("value cells" in p for p in map(str, result.problems))


def _renumbered(total: str) -> Table:
    return _table(_T3_HEAD + [["一、本年新收政府信息公开申请数量", "", "5", "0", "0", "0", "0", "0", "5"],
                              ["二、上年结转政府信息公开申请数量", "", "1", "0", "0", "0", "0", "0", "1"],
                              ["（一）予以公开", "", "4", "0", "0", "0", "0", "0", "4"],
                              ["（六）其他处理", "", "1", "0", "0", "0", "0", "0", "1"],
                              ["（八）总计", "", total, "0", "0", "0", "0", "0", total],
                              ["四、结转下年度继续办理", "", "1", "0", "0", "0", "0", "0", "1"]])


def test_renumbered_total_read_when_identities_hold() -> None:
    result = extract_tables(_doc([_renumbered("5")]), "d")
    got = {(c.row_key, c.col_key): c.value for c in result.cells}
    assert got[("handled_total", "total")] == 5 and got[("handled_total", "natural_person")] == 5
    assert not any("matched no key" in p for p in map(str, result.problems))
    # the identities fail: the row is not forced onto （七）总计
    result = extract_tables(_doc([_renumbered("9")]), "d")
    assert not [c for c in result.cells if c.row_key == "handled_total"]
    assert any("（八）总计" in p and "matched no key" in p for p in map(str, result.problems))


def test_template_from_headers_of_a_blank_table() -> None:
    paras = [Paragraph(t) for t in ("第二十条第(一)项", "信息内容", "本年新制作数量", "本年新公开数量", "规章")]
    result = extract_tables(_doc(paras), "d")
    assert result.cells == [] and result.template == "2019"
    assert any("column headers only" in p for p in map(str, result.problems))


def test_table4_header_rows_without_spans_read_in_order() -> None:
    outcomes = ["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"]  # 总计 printed first
    rows = [["行政复议", "行政诉讼"], outcomes + ["未经复议直接起诉", "复议后起诉"], outcomes + outcomes,
            [str(v) for v in (3, 1, 0, 0, 2, 9, 8, 0, 0, 1, 0, 0, 0, 0, 0)]]
    result = extract_tables(_doc([_table(rows)]), "d")
    got = {c.col_key: c for c in result.cells if c.table == "t4_review_litigation"}
    assert len(got) == 15 and got["review_total"].value == 3 and got["review_pending"].value == 2
    assert got["suit_total"].value == 9 and got["suit_upheld"].value == 8
    assert got["suit_total"].col_label == "行政诉讼 未经复议直接起诉 总计"
