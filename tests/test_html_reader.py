"""HTML reader on the real Pingtan portal pages (shared corpus) and on small handmade pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.readers.html import read_html
from schemas.document import Document, Table

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = SHARED / "corpus" / "inputs"
TRUTH = SHARED / "corpus" / "truth"
T3_COLS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total")
# portal menu, share and footer words seen in the pages, never in the reports themselves
NAV_WORDS = ("畅游平潭", "闽政通APP", "无障碍浏览", "长者模式", "当前位置", "网上调查", "QQ空间", "版权所有")


def _load(stem: str) -> Document:
    path = INPUTS / f"{stem}.html"
    if not path.exists():
        pytest.skip("shared corpus not available")
    return read_html(path.read_bytes(), path.name)


def _table_with(doc: Document, text: str) -> Table:
    return next(t for t in doc.tables if any(text in c.text for c in t.cells))


def _row_values(table: Table, label_start: str) -> list[str]:
    """Texts of the distinct cells (by identity) after the label cell starting with `label_start`."""
    for row in table.grid():
        at = next((i for i, c in enumerate(row) if c is not None and c.text.startswith(label_start)), None)
        if at is not None:
            seen: list = []
            for cell in row[at + 1:]:
                if cell is not None and cell is not row[at] and all(cell is not s for s in seen):
                    seen.append(cell)
            return [c.text for c in seen]
    raise AssertionError(f"no row {label_start!r}")


@pytest.mark.parametrize("stem", ["real-004-pingtan-2019", "real-006-pingtan-2021"])
def test_navigation_dropped_report_kept(stem: str) -> None:
    doc = _load(stem)
    assert doc.format == "html"
    for word in NAV_WORDS:
        assert word not in doc.text, word
    texts = [p.text for p in doc.paragraphs]
    assert "一、总体情况" in texts
    assert "六、其他需要报告的事项" in texts
    assert texts.index("一、总体情况") < texts.index("六、其他需要报告的事项")
    assert len(doc.tables) == 3


def test_titles_from_article_meta() -> None:
    assert _load("real-004-pingtan-2019").metadata["title"] == "平潭综合实验区2019年度政府信息公开工作年度报告"
    doc = _load("real-006-pingtan-2021")
    assert doc.metadata["title"] == "平潭综合实验区2021年度政府信息公开工作年度报告"
    assert doc.metadata["published"] == "2022-02-08 16:34"


@pytest.mark.parametrize("stem", ["real-004-pingtan-2019", "real-006-pingtan-2021"])
def test_table3_new_received_matches_truth(stem: str) -> None:
    doc = _load(stem)
    truth = json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8"))
    t3 = _table_with(doc, "申请人情况")
    expected = [str(truth["tables"]["t3_requests"]["new_received"][k]) for k in T3_COLS]
    assert _row_values(t3, "一、本年新收") == expected
    handled = [str(truth["tables"]["t3_requests"]["handled_total"][k]) for k in T3_COLS]
    assert _row_values(t3, "（七）总计") == handled


def test_pingtan_2019_spans() -> None:
    doc = _load("real-004-pingtan-2019")
    t3 = _table_with(doc, "申请人情况")
    applicants = [c for c in t3.cells if c.text == "申请人情况"]
    assert len(applicants) == 1 and applicants[0].col_span == 7  # colspan="7" in the page
    orgs = [c for c in t3.cells if c.text == "法人或其他组织"]
    assert len(orgs) == 1 and orgs[0].col_span == 5
    grid = t3.grid()
    assert all(grid[0][c] is applicants[0] for c in range(3, 10))
    t4 = _table_with(doc, "行政复议")
    assert [c.col_span for c in t4.cells if c.text == "行政诉讼"] == [10]
    assert t4.n_cols == 15


def test_rowspan_colspan_placement() -> None:
    page = """<html><body><table>
      <tr><td rowspan="2">A</td><td colspan="2">B</td><td>C</td></tr>
      <tr><td>D</td><td rowspan="2" colspan="2">E</td></tr>
      <tr><td colspan="2">F</td></tr>
    </table></body></html>"""
    doc = read_html(page.encode(), "grid.html")
    table = doc.tables[0]
    placed = {c.text: (c.row, c.col, c.row_span, c.col_span) for c in table.cells}
    assert placed == {"A": (0, 0, 2, 1), "B": (0, 1, 1, 2), "C": (0, 3, 1, 1), "D": (1, 1, 1, 1),
                      "E": (1, 2, 2, 2), "F": (2, 0, 1, 2)}
    assert table.text_rows() == [["A", "B", "B", "C"], ["A", "D", "E", "E"], ["F", "F", "E", "E"]]


def test_fallback_body_gb2312_nbsp_br_and_layout_table() -> None:
    menu = "".join(f'<li><a href="/m{i}">栏目菜单第{i}项</a></li>' for i in range(30))
    report = "本机关认真贯彻落实政府信息公开条例，主动公开各类信息。" * 6
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
      <title>某县2023年政府信息公开工作年度报告_政务公开_某县人民政府</title></head><body>
      <div class="top"><ul>{menu}</ul></div>
      <table><tr><td><div class="left">侧栏</div></td><td>
        <p>一、总体情况</p><p>{report}</p>
        <p>第一行&nbsp;&nbsp;文字<br>第二行文字</p>
        <table border="1"><tr><td>行政许可</td><td>12</td></tr></table>
        <p>六、其他需要报告的事项</p>
      </td></tr></table>
      <div class="foot">网站标识码 1234 版权所有 某县人民政府 地址：某县某路</div>
      <script>var x = "脚本里的中文";</script></body></html>"""
    doc = read_html(page.encode("gb18030"), "fallback.html")
    assert doc.metadata["title"] == "某县2023年政府信息公开工作年度报告"
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "一、总体情况"
    assert "第一行 文字" in texts and "第二行文字" in texts
    assert texts[-1] == "六、其他需要报告的事项"
    assert "栏目菜单" not in doc.text and "版权所有" not in doc.text and "脚本" not in doc.text
    assert [t.text_rows() for t in doc.tables] == [[["行政许可", "12"]]]


def test_two_column_layout_table_without_nesting() -> None:
    prose = "我局坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。" * 12
    page = f"""<html><body><table><tr>
      <td><a href="/a">首页</a><a href="/b">机构设置</a></td>
      <td><p>一、总体情况</p><p>{prose}</p><p>二、主动公开政府信息情况</p></td>
    </tr></table></body></html>"""
    doc = read_html(page.encode(), "layout.html")
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == ["一、总体情况", prose, "二、主动公开政府信息情况"]


def test_page_wrapped_in_form_is_read() -> None:
    page = """<html><body><form id="form1"><div class="nav"><a href="/">首页</a></div>
      <div><p>一、总体情况</p><p>本年度主动公开政府信息一百二十条，依申请公开三件。</p></div></form></body></html>"""
    doc = read_html(page.encode(), "aspx.html")
    assert [p.text for p in doc.paragraphs] == ["一、总体情况", "本年度主动公开政府信息一百二十条，依申请公开三件。"]
