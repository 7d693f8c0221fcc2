"""Title, issuer, year, period and admin level from real title forms."""

from __future__ import annotations

import pytest

from extractors.metadata import admin_level, extract_metadata
from extractors.txt import read_txt


def _meta(text: str):
    return extract_metadata(read_txt(text.encode("utf-8"), "x.txt"))


def test_issuer_qualified_by_its_parent_division():
    # real-001: the title prints 洪泽区人民政府, the opening sentence 淮安市洪泽区人民政府办公室
    meta = _meta("洪泽区人民政府\n2023年政府信息公开工作年度报告\n本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。"
                 "报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。\n")
    assert (meta.title, meta.issuer, meta.year, meta.admin_level) == (
        "洪泽区人民政府2023年政府信息公开工作年度报告", "淮安市洪泽区人民政府", 2023, "county")
    assert (meta.period_start, meta.period_end) == ("2023-01-01", "2023-12-31")


def test_year_first_title_names_the_body_after_the_year():
    meta = _meta("2019年上海市人民政府办公厅政府信息公开工作年度报告\n本年度报告中所列数据统计期限从2019年1月1日到12月31日止。\n")
    assert meta.issuer == "上海市人民政府办公厅" and meta.year == 2019
    assert meta.period_end == "2019-12-31"


def test_body_name_on_its_own_line_between_title_lines():
    meta = _meta("2022年政府信息公开工作年度报告\n桃江县松木塘镇人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n")
    assert meta.title == "桃江县松木塘镇人民政府2022年政府信息公开工作年度报告"
    assert meta.admin_level == "township"


def test_year_from_the_opening_text_when_no_title():
    assert _meta("一、总体情况\n2019年，我乡明确专人负责政务公开工作。\n").year == 2019


@pytest.mark.parametrize(("issuer", "level"), [
    ("中宁县恩和镇人民政府", "township"), ("某某街道办事处", "township"), ("淮安市洪泽区人民政府", "county"),
    ("中宁县人民政府", "county"), ("淮安市人民政府", "prefecture"), ("江苏省人民政府", "province"),
    ("北京市人民政府", "province"), ("上海市人民政府办公厅", "province"), ("中宁县教育局", "department"),
    ("广东省交通运输厅", "department"), ("平潭综合实验区管委会", "zone"), ("", "unknown"),
])
def test_admin_level_from_issuer(issuer, level):
    assert admin_level(issuer) == level
