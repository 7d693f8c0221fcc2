"""Grid layouts of real archives on small handmade grids: a header cut short, placed by elimination and
kept only where the template's identities hold; a mapping they contradict is reported, never emitted."""

from __future__ import annotations

from extractors.tables.identity_fit import contradicted
from extractors.tables.labels import match_t3_col
from extractors.tables.template_tables import extract_tables
from schemas.document import Cell, Document, Page, Table
from schemas.template import T4, T4_OUTCOMES

_OUTCOMES = list(T4_OUTCOMES.values())  # 结果维持 结果纠正 其他结果 尚未审结 总计


def _doc(rows: list[list[str]]) -> Document:
    cells = [Cell(r, c, text, page=1) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Document(source="x", format="pdf", pages=[Page(number=1, blocks=[Table(cells=cells, page=1)])])


def _t4(values: list[str], upheld: str = "结果") -> Document:
    """Table 4 in the template's three header rows, 行政复议's 结果维持 printed as `upheld`."""
    return _doc([
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        [upheld, *_OUTCOMES[1:]] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        [""] * 5 + _OUTCOMES * 2,
        values,
    ])


_FITS = ["1", "2", "0", "0", "3", "0", "1", "0", "0", "1", "2", "0", "0", "1", "3"]


def test_cut_outcome_header_placed_by_elimination_when_the_group_total_holds() -> None:
    result = extract_tables(_t4(_FITS), "x")
    got = {c.col_key: c for c in result.cells if c.table == T4}
    assert len(got) == 15 and not result.ambiguous, result.problems
    assert got["review_upheld"].value == 1 and got["review_upheld"].col_label == "行政复议 结果"
    assert got["review_total"].value == 3 and got["post_review_suit_total"].value == 3


def test_cut_outcome_header_contradicted_by_the_group_total_is_left_out() -> None:
    values = ["1", "2", "0", "0", "5", *_FITS[5:]]  # 行政复议: 1 + 2 + 0 + 0 is not 5
    result = extract_tables(_t4(values), "x")
    assert not [c for c in result.cells if c.table == T4]
    assert f"{T4}.cases.review_upheld" in result.ambiguous
    assert any("t4_review_total" in p for p in map(str, result.problems)), result.problems


def test_full_headers_keep_the_report_s_own_sums_whatever_they_are() -> None:
    """Read by header words, a group total that does not add up is the report's: emitted, for the checks."""
    values = ["1", "2", "0", "0", "5", *_FITS[5:]]
    result = extract_tables(_t4(values, upheld=_OUTCOMES[0]), "x")
    got = {c.col_key: c.value for c in result.cells if c.table == T4}
    assert got["review_total"] == 5 and not result.ambiguous


def test_table4_with_only_its_group_totals_filled() -> None:
    values = ["", "", "", "", "0"] * 3
    result = extract_tables(_t4(values, upheld=_OUTCOMES[0]), "x")
    cells = [c for c in result.cells if c.table == T4]
    assert len(cells) == 15 and sum(c.blank for c in cells) == 12, result.problems


def test_header_cut_short_by_a_narrow_cell() -> None:
    assert [match_t3_col(t) for t in ("商业", "科研", "社会\n公益", "法律服务", "自 然 人")] == [
        "commercial", "research", "public_interest", "legal_services", "natural_person"]
    assert match_t3_col("法人或其他") is None  # the start of a group heading, not of 小计
    assert match_t3_col("法人") is None


def test_contradicted_tests_only_identities_whose_cells_are_all_numbers() -> None:
    row = {"review_upheld": "1", "review_corrected": "", "review_other": "—", "review_pending": "0",
           "review_total": "1"}
    assert contradicted(T4, row) == []
    assert contradicted(T4, {**row, "review_total": "2"}) == ["t4_review_total"]
    assert contradicted(T4, {**row, "review_total": "两"}) == []


def test_table3_without_header_placed_by_position_only_where_row_totals_hold() -> None:
    """No header row: seven values go to the template's columns in order, unless 总计 contradicts them."""
    rows = [["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"],
            ["二、上年结转政府信息公开申请数量", "2", "0", "1", "0", "0", "0", "9"]]  # 2 + 1 is not 9
    result = extract_tables(_doc(rows), "x")
    got = {(c.row_key, c.col_key): c.value for c in result.cells}
    assert got[("new_received", "natural_person")] == 5 and got[("new_received", "total")] == 6
    assert not any(r == "carried_over" for r, _ in got)
    assert "t3_requests.carried_over.total" in result.ambiguous
