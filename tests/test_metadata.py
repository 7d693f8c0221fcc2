"""Title, issuer, year, period and admin level from real title forms."""

from __future__ import annotations

import pytest
import regex as re

from extractors.metadata import admin_level, extract_metadata
from extractors.readers.html import read_html
from extractors.readers.txt import read_txt


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


# --- layout classes: short real-shaped texts (what portal pages, WPS and LibreOffice PDFs print) ---

PREAMBLE_30 = "根据《中华人民共和国政府信息公开条例》和国办公开办函\n〔2021〕30号要求，现公布"


@pytest.mark.parametrize(("text", "title", "issuer", "year"), [
    # the report words broken over two lines, then the preamble sentence that names the report again
    ("示范县青山镇人民政府2021年政府信息公开工作\n年度报告\n" + PREAMBLE_30 + "示范县青山镇人民政府2021年政府信息公开"
     "工作年度报告。本报告统计数据从2021年1月1日至2021年12月31日。\n一、总体情况\n",
     "示范县青山镇人民政府2021年政府信息公开工作年度报告", "示范县青山镇人民政府", 2021),
    # no title block: the preamble sentence is the only place the report is named
    (PREAMBLE_30 + "示范市交通运输局2022年政府信息公开工作年度报告。\n一、总体情况\n",
     "示范市交通运输局2022年政府信息公开工作年度报告", "示范市交通运输局", 2022),
    # 根据…规定，现公布 + a bare 区统计局 that the text names in full later
    ("根据《中华人民共和国政府信息公开条例》规定，现公布区统计局2023年政府信息公开工作年度报告。\n一、总体情况\n"
     "2023年，洪泽区统计局坚持以公开为常态、不公开为例外。\n",
     "区统计局2023年政府信息公开工作年度报告", "洪泽区统计局", 2023),
    # 特编制 / 编制《…》
    ("为做好政府信息公开工作，特编制示范县林业局2021年政府信息公开工作年度报告。\n一、总体情况\n",
     "示范县林业局2021年政府信息公开工作年度报告", "示范县林业局", 2021),
    ("本机关编制了《示范县水利局2022年政府信息公开工作年度报告》。\n一、总体情况\n",
     "示范县水利局2022年政府信息公开工作年度报告", "示范县水利局", 2022),
    # 现将 …报告如下
    ("现将示范县商务局2023年政府信息公开工作年度报告公布如下。\n一、总体情况\n",
     "示范县商务局2023年政府信息公开工作年度报告", "示范县商务局", 2023),
    # a generic title; the body is named only by the signature and date at the end
    ("2023年政府信息公开工作年度报告\n一、总体情况\n我局坚持以公开为常态。\n六、其他需要报告的事项\n无。\n"
     "示范县财政局\n2024年1月15日\n",
     "2023年政府信息公开工作年度报告", "示范县财政局", 2023),
    # a document number and a site's section name around the title block are no part of it
    ("示政办〔2024〕3号\n政务公开\n示范县人民政府\n2023年政府信息公开工作年度报告\n2024年1月20日\n一、总体情况\n",
     "示范县人民政府2023年政府信息公开工作年度报告", "示范县人民政府", 2023),
    # the year in brackets after the report words, on the title's last line
    ("淮安市交通运输局\n政府信息公开工作年度报告\n（2023年度）\n一、总体情况\n",
     "淮安市交通运输局政府信息公开工作年度报告（2023年度）", "淮安市交通运输局", 2023),
    # a bare place in the title stands for its organ
    ("示范区白云街道2023年政府信息公开工作年度报告\n一、总体情况\n",
     "示范区白云街道2023年政府信息公开工作年度报告", "示范区白云街道办事处", 2023),
    ("恩施州2023年政府信息公开工作年度报告\n一、总体情况\n",
     "恩施州2023年政府信息公开工作年度报告", "恩施州人民政府", 2023),
    ("上海市浦东新区2023年政府信息公开工作年度报告\n一、总体情况\n2023年，上海市浦东新区人民政府坚持以公开为常态。\n",
     "上海市浦东新区2023年政府信息公开工作年度报告", "上海市浦东新区人民政府", 2023),
    # the body's name on the line after a generic title
    ("2023年政府信息公开工作年度报告\n示范县交通运输局\n一、总体情况\n",
     "示范县交通运输局2023年政府信息公开工作年度报告", "示范县交通运输局", 2023),
    # the title only as a running header (the same line on every page)
    ("一、总体情况\n本局坚持以公开为常态。\n示范市教育局2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
     "本局主动公开信息。\n示范市教育局2022年政府信息公开工作年度报告\n",
     "示范市教育局2022年政府信息公开工作年度报告", "示范市教育局", 2022),
])
def test_title_and_issuer_by_layout(text, title, issuer, year):
    meta = _meta(text)
    assert (meta.title, meta.issuer, meta.year) == (title, issuer, year)


@pytest.mark.parametrize("text", [
    PREAMBLE_30 + "示范县绿水乡人民政府2022年政府信息公开工作年度报告。\n",
    "根据《中华人民共和国政府信息公开条例》规定,现公布区统计局2023年政府信息公开工作年度报告。\n",
    "按照上级要求，现予公布示范区管理委员会2023年政府信息公开工作年度报告。\n",
])
def test_no_preamble_words_left_in_the_issuer(text):
    issuer = _meta(text).issuer
    assert issuer and not re.search(r"根据|规定|要求|公布|现将|编制|〔|》|，|,", issuer), issuer


@pytest.mark.parametrize(("issuer", "rank", "level"), [
    ("上海市浦东新区人民政府", None, "county"),  # a 新区 with a people's government is a district
    ("上海市浦东新区人民政府", "county", "county"),
    ("河北雄安新区管理委员会", None, "zone"),  # a national new area is run by a 管委会
    ("苏州工业园区管理委员会", None, "zone"),
    ("示范区发展和改革委员会", None, "department"),  # a zone's department is a department
    ("淮安市人民政府办公室", None, "prefecture"),  # an office has its government's level
    ("淮安市人民政府办公室", "prefecture", "prefecture"),
    ("广东省人民政府办公厅", None, "province"),
    ("昆山市人民政府", "county", "county"),  # a county-level city: the division table says so
    ("恩施土家族苗族自治州人民政府", None, "prefecture"),
    ("北京市海淀区学院路街道办事处", None, "township"),
    ("中宁县恩和镇人民政府", "county", "township"),
    ("示范县人力资源和社会保障局", None, "department"),
    ("淮安市洪泽区人民政府", "county", "county"),
    ("示范县政府办", None, "county"),
])
def test_admin_level_from_the_division_hierarchy(issuer, rank, level):
    assert admin_level(issuer, rank) == level


# --- portal pages: the page's own title and publisher name the body the preamble only half names ---

PORTAL_PREAMBLE = ("<p>根据《中华人民共和国政府信息公开条例》规定，现公布区统计局2023年政府信息公开工作年度报告。"
                   "本报告统计数据从2023年1月1日至2023年12月31日。</p><p>一、总体情况</p><p>2023年，我局坚持以公开为常态。</p>")


def _page(title: str, body: str, source: str = ""):
    meta = f'<meta name="ContentSource" content="{source}">' if source else ""
    html = (f'<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
            f'<body><div class="article">{body}</div></body></html>')
    return extract_metadata(read_html(html.encode("utf-8"), "page.html"))


@pytest.mark.parametrize(("title", "body", "source", "want_title", "issuer"), [
    # the article title names 区统计局, the page's ContentSource the body in full
    ("区统计局2023年政府信息公开工作年度报告", PORTAL_PREAMBLE, "洪泽区统计局",
     "区统计局2023年政府信息公开工作年度报告", "洪泽区统计局"),
    # the page title is the site's government only: the report is named by the preamble, the place by the site
    ("淮安市洪泽区人民政府", PORTAL_PREAMBLE, "",
     "区统计局2023年政府信息公开工作年度报告", "淮安市洪泽区统计局"),
    # a generic title; the publisher is the body
    ("2023年政府信息公开工作年度报告", "<p>一、总体情况</p><p>2023年，我局坚持以公开为常态。</p>", "示范县审计局",
     "2023年政府信息公开工作年度报告", "示范县审计局"),
    # the site name before the report's title
    ("示范县人民政府-示范县审计局2023年政府信息公开工作年度报告", "<p>一、总体情况</p>", "",
     "示范县审计局2023年政府信息公开工作年度报告", "示范县审计局"),
])
def test_portal_page_forms(title, body, source, want_title, issuer):
    meta = _page(title, body, source)
    assert (meta.title, meta.issuer, meta.year) == (want_title, issuer, 2023)
