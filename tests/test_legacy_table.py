"""The pre-2019 statistics table (t_legacy): read from grids and from text, spaced or run together,
with splits proven by syntax, identities or the report's prose and never guessed silently.

The inputs here are small tables written for the case each test names; their values are the printed
ones, read off the text by a person. The real old reports of the maintainers' corpus are held cell by
cell in tests/test_shared_corpus.py; the layout variants in tests/test_legacy_variants.py.
"""

from __future__ import annotations

import json

import pytest

from extractors.tables.legacy import match_label
from pipeline.process import process_bytes
from schemas.document import DocumentBuilder
from schemas.legacy import LEGACY
from tests.conftest import SHARED_TRUTH, shared_file


def _text_report(body: str, year: int = 2012) -> bytes:
    head = f"XX县人民政府{year}年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n"
    return (head + body).encode("utf-8")


def _cells(result) -> dict[tuple[str, str], object]:
    """(row, col) -> value, or '∅' for a blank cell."""
    return {(c.row_key, c.col_key): ("∅" if c.blank else c.value) for c in result.cells if c.table == LEGACY}


# ---------------------------------------------------------------- text, run together


COUNTY_2012 = ("2012年全县主动公开政府信息2026条。全年共受理政府信息公开申请21件。\n"
               "附件1：XX县人民政府2012年政府信息公开情况统计表 指标名称计量单位2012年度历年累计"
               "主动公开信息数条20263542其中：1.网站公开条179533042.政府公报公开条07"
               "受理依申请公开信息总数条2121其中：1.当面申请数条18182.传真申请数条003.电子邮件申请数条33"
               "对申请的答复数条2121其中：1.同意公开答复数条17172.同意部分公开答复数条223.否决公开答复数条22"
               "行政复议数条00")


def test_run_together_digits_split_by_rules_identities_and_prose():
    result = process_bytes(_text_report(COUNTY_2012), "county-2012.txt")
    doc = result.document
    assert doc.template == "old" and doc.status == "ok", doc.error
    cells = _cells(result)
    # 20263542: 20|263542, 202|63542 and 2026|3542 are all syntactic; the prose's 2026条 decides
    assert cells[("proactive_total", "year")] == 2026 and cells[("proactive_total", "cumulative")] == 3542
    # 17953304 -> 1795|3304, the only split whose cells stay under their total 2026|3542; '2.' is glued on
    assert cells[("proactive_website", "year")] == 1795 and cells[("proactive_website", "cumulative")] == 3304
    assert cells[("proactive_gazette", "year")] == 0 and cells[("proactive_gazette", "cumulative")] == 7
    # 2121 = 21|21 (2|121 leaves no room for 当面 + 3 电子邮件 = 2), 1818 = 18|18
    assert cells[("requests_total", "year")] == 21 and cells[("requests_in_person", "cumulative")] == 18
    assert cells[("replies_total", "cumulative")] == 21 and cells[("replies_granted", "year")] == 17
    assert cells[("replies_denied", "year")] == 2 and cells[("admin_review_total", "cumulative")] == 0
    assert len(cells) == 12 * 2 and doc.cells_expected == doc.cells_found == 24
    units = {c.row_key: c.unit for c in result.cells}
    assert units["proactive_total"] == "条" and units["admin_review_total"] == "条"  # printed, even if odd


def test_a_row_nothing_decides_is_left_out_with_its_readings():
    # 2626: 2|626 or 26|26; the prose says 38, which fits neither
    body = ("全年主动公开政府信息38条。\n政府信息公开情况统计表 指标名称计量单位本年度历年累计"
            "主动公开信息数条2626受理依申请公开信息总数条00行政复议数件00")
    result = process_bytes(_text_report(body), "bureau.txt")
    doc = result.document
    assert doc.status == "partial"
    assert "t_legacy.proactive_total" in doc.error and "2|626" in doc.error and "26|26" in doc.error
    assert ("proactive_total", "year") not in _cells(result)
    assert _cells(result)[("requests_total", "year")] == 0
    assert doc.cells_ambiguous == 2


def test_one_value_column_expects_no_cumulative():
    body = ("附件：XX局2010年政府信息公开工作统计表 指标名称计量单位年末统计主动公开信息数条26"
            "受理依申请公开信息总数条3其中：1.当面申请数条12.传真申请数条03.电子邮件申请数条2行政复议数件0")
    result = process_bytes(_text_report(body, 2010), "bureau-2010.txt")
    cells = _cells(result)
    assert result.document.status == "ok", result.document.error
    assert cells == {("proactive_total", "year"): 26, ("requests_total", "year"): 3,
                     ("requests_in_person", "year"): 1, ("requests_fax", "year"): 0,
                     ("requests_email", "year"): 2, ("admin_review_total", "year"): 0}
    assert result.document.cells_expected == 6


# ---------------------------------------------------------------- text, spaced or a cell per line


def test_spaced_cells_with_a_lone_value_are_read_but_said_to_be_guessed():
    body = ("平潭式统计表 指 标 名 称 计 量 单 位 2013年度 历年累计 主动公开信息数 条 72804 76424 "
            "其中：1、网站公开 条 72804 76424 2、政府公报公开 条 0 受理依申请公开信息总数 条 0 0 "
            "行政申诉、举报数 件 0 0 附件下载")
    result = process_bytes(_text_report(body, 2013), "zone-2013.txt")
    doc = result.document
    cells = _cells(result)
    assert cells[("proactive_website", "cumulative")] == 76424
    # one number for two columns: which cell is empty the text cannot show; read as 本年度 and said so
    assert cells[("proactive_gazette", "year")] == 0 and cells[("proactive_gazette", "cumulative")] == "∅"
    assert doc.status == "partial" and "guessed" in doc.error and "proactive_gazette" in doc.error
    assert cells[("complaints_reports", "year")] == 0 and len(cells) == 10


def test_a_cell_per_line_and_rows_without_units_or_with_a_code_column():
    per_line = ("政府信息公开情况统计表\n指标名称\n计量单位\n本年度\n历年累计\n主动公开信息数\n条\n2026\n3542\n"
                "其中：1.网站公开\n条\n1795\n3304\n2.政府公报公开\n条\n0\n7\n行政复议数\n件\n0\n0")
    cells = _cells(process_bytes(_text_report(per_line), "per-line.txt"))
    assert cells == {("proactive_total", "year"): 2026, ("proactive_total", "cumulative"): 3542,
                     ("proactive_website", "year"): 1795, ("proactive_website", "cumulative"): 3304,
                     ("proactive_gazette", "year"): 0, ("proactive_gazette", "cumulative"): 7,
                     ("admin_review_total", "year"): 0, ("admin_review_total", "cumulative"): 0}
    # a row printed without its unit does not swallow the next one
    no_unit = ("统计表 指标名称 计量单位 本年度 历年累计 主动公开信息数 条 20 35 其中：1.网站公开 17 33 "
               "2.政府公报公开 条 0 7 行政复议数 件 1 2")
    cells = _cells(process_bytes(_text_report(no_unit), "no-unit.txt"))
    assert cells[("proactive_website", "year")] == 17 and cells[("proactive_gazette", "cumulative")] == 7
    # the SH form's 代码 column is neither label nor value; “免予公开范围1”数 keeps its digit
    coded = "统计表 指标名称 代码 计量单位 本年度 主动公开信息数 01 条 20 “免予公开范围1”数 02 条 3 行政复议数 03 件 1"
    cells = _cells(process_bytes(_text_report(coded), "coded.txt"))
    assert cells == {("proactive_total", "year"): 20, ("denied_state_secret", "year"): 3,
                     ("admin_review_total", "year"): 1}


def test_unmatched_rows_are_kept_with_their_label_and_shared_labels_follow_their_total():
    body = ("统计表 指标名称 计量单位 本年度 历年累计 行政复议数 件 3 5 维持具体行政行为数 件 1 2 被依法纠错数 件 1 2 "
            "其他情形数 件 1 1 网站专栏页面访问量 人次 1960 5000 行政诉讼数 件 2 4 "
            "维持具体行政行为或者驳回原告诉讼请求数 件 1 2 被依法纠错数 件 1 1 其他情形数 件 0 1 "
            "政府信息公开收费减免金额 元 12.5 30.00")
    result = process_bytes(_text_report(body), "national.txt")
    cells = _cells(result)
    assert cells[("admin_review_corrected", "year")] == 1 and cells[("admin_suit_corrected", "cumulative")] == 1
    assert cells[("admin_suit_other", "year")] == 0 and cells[("admin_review_other", "cumulative")] == 1
    other = [c for c in result.cells if c.row_key == "other_5"]
    assert [(c.col_key, c.value, c.row_label, c.unit) for c in other] == [
        ("year", 1960, "网站专栏页面访问量", "人次"), ("cumulative", 5000, "网站专栏页面访问量", "人次")]
    assert cells[("fees_waived", "year")] == 12.5 and cells[("fees_waived", "cumulative")] == 30.0
    assert result.document.status == "ok", result.document.error


@pytest.mark.parametrize("label, key", [
    ("其中：1.同意公开答复数", "replies_granted"),
    ("其中：1同意公开答复数", "replies_granted"),  # the dot left out
    ("6.其它形式申请数", "requests_other"),
    ("接受行政诉讼、举报数", "complaints_reports"),  # sic: not 行政诉讼数
    ("行政诉讼数", "admin_suit_total"),
    ("受理政府信息公开申请总数", "requests_total"),
    ("“非本部门掌握”数", "replies_not_held"),
    ("网站专栏页面访问量", None),
    ("公文类信息数", None),
])
def test_printed_labels_match_their_keys(label, key):
    assert match_label(label) == key


# ---------------------------------------------------------------- grids


def test_html_grid_with_merged_label_cells_blanks_and_an_amount():
    html = """<html><head><title>XX县2013年政府信息公开工作年度报告</title></head><body>
    <h1>XX县人民政府2013年政府信息公开工作年度报告</h1><p>2013年主动公开政府信息1853条。</p>
    <p>附件：政府信息公开情况统计表</p>
    <table><tr><td colspan=2>指 标 名 称</td><td>计量单位</td><td>2013年度</td><td>历年累计</td></tr>
    <tr><td colspan=2>主动公开信息数</td><td>条</td><td>1853</td><td>5395</td></tr>
    <tr><td rowspan=2>其中：</td><td>1.网站公开</td><td>条</td><td>1713</td><td>5017</td></tr>
    <tr><td>2.政府公报公开</td><td>条</td><td>0</td><td>&nbsp;</td></tr>
    <tr><td colspan=2>受理依申请公开信息总数</td><td>条</td><td>7</td><td>28</td></tr>
    <tr><td colspan=2>2.传真申请数</td><td>条</td><td>—</td><td>0</td></tr>
    <tr><td colspan=2>公文类信息数</td><td>条</td><td>3</td><td>6</td></tr>
    <tr><td colspan=2>政府信息公开收费减免金额</td><td>元</td><td>0.00</td><td>12.5</td></tr>
    </table></body></html>"""
    result = process_bytes(html.encode("utf-8"), "county-2013.html")
    doc = result.document
    assert doc.status == "ok" and doc.template == "old", doc.error
    cells = _cells(result)
    assert cells[("proactive_gazette", "year")] == 0 and cells[("proactive_gazette", "cumulative")] == "∅"
    assert cells[("requests_fax", "year")] == "∅"  # a dash is blank, never 0
    assert cells[("fees_waived", "year")] == 0 and cells[("fees_waived", "cumulative")] == 12.5
    assert cells[("other_6", "year")] == 3
    assert {c.col_label for c in result.cells} == {"2013年度", "历年累计"}
    assert doc.cells_expected == doc.cells_found == 14


def test_a_grid_cell_holding_words_leaves_the_row_unread():
    b = DocumentBuilder("x.docx", "docx")
    b.paragraph("XX局2011年政府信息公开工作年度报告 政府信息公开")
    from schemas.document import Cell, Table
    rows = [["指标名称", "计量单位", "本年度"], ["主动公开信息数", "条", "见附件"], ["行政复议数", "件", "0"]]
    b.table(Table(cells=[Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)]))
    from extractors.tables.legacy import extract_legacy_table
    ex = extract_legacy_table(b.build(), "d")
    assert ex is not None
    assert [(c.row_key, c.value) for c in ex.cells] == [("admin_review_total", 0)]
    assert ex.ambiguous and "见附件" in ex.ambiguous[0]


# ---------------------------------------------------------------- reports without a table


def test_an_old_report_without_a_table_is_ok_and_says_none_is_expected():
    body = "一、概述\n2011年本局主动公开政府信息120条，未收到政府信息公开申请。"
    doc = process_bytes(_text_report(body, 2011), "no-table.txt").document
    assert doc.status == "ok" and doc.template == "old"
    assert "no table cells expected" in doc.warnings and doc.cells_expected is None


def test_a_table_printed_but_not_read_makes_the_report_partial():
    # the rows are there, but no unit, header or number a reader could take them by
    body = ("附件：政府信息公开情况统计表\n主动公开信息数：详见网站\n受理依申请公开信息总数：详见网站\n"
            "对申请的答复总数：详见网站\n行政复议数：详见网站")
    doc = process_bytes(_text_report(body, 2011), "unread.txt").document
    assert doc.status == "partial" and "could not be read" in doc.error


# ---------------------------------------------------------------- the maintainers' real old reports


@pytest.mark.parametrize("stem", ["real-011-pingtan-2018", "real-016-pingtan-2013", "real-020-pingtan-county-2012"])
def test_real_old_reports_every_printed_cell(stem):
    source = shared_file(f"{stem}.txt")
    truth = json.loads((SHARED_TRUTH / f"{stem}.json").read_text(encoding="utf-8"))
    result = process_bytes(source.read_bytes(), source.name)
    blanks = {(r, c) for t, r, c, _ in truth["blank_cells"] if t == LEGACY}
    want = {(r, c): ("∅" if (r, c) in blanks else v)
            for r, cols in truth["tables"][LEGACY].items() for c, v in cols.items()}
    assert _cells(result) == want
    assert result.document.template == "old"
