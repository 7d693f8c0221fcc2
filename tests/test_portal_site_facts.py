"""Saved portal pages: the reader keeps what the page says of its site, and a bare issuer (区统计局) is
completed from it only when the page and the text name one place."""

from __future__ import annotations

import pytest

from extractors.metadata import extract_metadata
from extractors.readers.html import read_html
from extractors.readers.page_facts import MAX_FACT
from pipeline.process import process_bytes

# the report body a district bureau posts: its preamble and text say only 区统计局 / 我局
BUREAU_BODY = ("<p>区统计局2023年政府信息公开工作年度报告</p>"
               "<p>根据《中华人民共和国政府信息公开条例》规定，现公布区统计局2023年政府信息公开工作年度报告。"
               "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。</p>"
               "<p>一、总体情况</p><p>2023年，区统计局认真贯彻落实《条例》，坚持以公开为常态、不公开为例外。</p>")


def saved_page(body: str, *, title: str = "", site: str = "", breadcrumb: str = "", source: str = "",
               sponsor: str = "", article_title: str = "",
               heading: str = "区统计局2023年政府信息公开工作年度报告") -> bytes:
    """A saved portal page as content systems lay them out: meta tags, a navigation bar with the
    breadcrumb, an article info line, the body in .TRS_Editor, a footer naming the sponsor."""
    metas = "".join(f'<meta name="{name}" content="{value}">' for name, value in (
        ("SiteName", site), ("ColumnName", "政府信息公开年报"), ("ArticleTitle", article_title)) if value)
    crumb = f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {breadcrumb}</div>' if breadcrumb else ""
    info = f"<span>来源：{source}</span>&nbsp;&nbsp;<span>发布时间：2024-01-18</span>" if source else ""
    foot = f"<footer><p>主办：{sponsor}&nbsp;&nbsp;网站标识码：3100000001</p></footer>" if sponsor else ""
    html = (f'<html><head><meta charset="utf-8"><title>{title}</title>{metas}</head><body>'
            f'<nav><a href="/">首页</a><a href="/zwgk">政务公开</a></nav>{crumb}'
            f'<div class="article"><h1>{article_title or heading}</h1><div class="info">{info}</div>'
            f'<div class="TRS_Editor">{body}</div></div>{foot}</body></html>')
    return html.encode("utf-8")


def test_reader_keeps_the_site_facts():
    page = saved_page(BUREAU_BODY, title="区统计局2023年政府信息公开工作年度报告_南京市鼓楼区人民政府",
                      site="南京市鼓楼区人民政府", breadcrumb="<a>政务公开</a> &gt; <a>区统计局</a>",
                      source="鼓楼区统计局", sponsor="南京市鼓楼区人民政府办公室")
    meta = read_html(page, "p.html").metadata
    assert meta["page_title"] == "区统计局2023年政府信息公开工作年度报告_南京市鼓楼区人民政府"
    assert meta["site_name"] == "南京市鼓楼区人民政府"
    assert meta["column"] == "政府信息公开年报"
    assert meta["source_line"] == "鼓楼区统计局"  # cut before 发布时间
    assert meta["sponsor"] == "南京市鼓楼区人民政府办公室"  # cut before 网站标识码
    assert meta["breadcrumb"] == "首页 > 政务公开 > 区统计局"


def test_label_and_value_in_separate_cells():
    # a disclosure catalogue's info table: <td>发布机构</td><td>…</td>
    html = ("<html><head><title>x</title></head><body><table><tr><td>发布机构：</td><td>上海市浦东新区统计局</td>"
            "<td>发文日期</td><td>2024-01-18</td></tr></table>" f"<div class='TRS_Editor'>{BUREAU_BODY}</div>"
            "</body></html>").encode()
    assert read_html(html, "p.html").metadata["source_line"] == "上海市浦东新区统计局"


def test_sponsor_late_in_a_long_footer_line():
    footer = ("<div class='foot'>" + "版权所有：本网站所有内容，未经许可不得转载。" * 8
              + " 主办：上海市浦东新区人民政府办公室 承办：上海市浦东新区大数据中心</div>")
    html = f"<html><body><div class='TRS_Editor'>{BUREAU_BODY}</div>{footer}</body></html>".encode()
    assert read_html(html, "p.html").metadata["sponsor"] == "上海市浦东新区人民政府办公室"


def test_facts_are_bounded_and_clean():
    page = saved_page(BUREAU_BODY, title="区" * 5000 + "\u202e\x07", site="网" * 400)
    meta = read_html(page, "p.html").metadata
    assert len(meta["page_title"]) == MAX_FACT and len(meta["site_name"]) == MAX_FACT
    assert "\u202e" not in meta["page_title"] and "\x07" not in meta["page_title"]


# each fact alone names the district; the body never does
@pytest.mark.parametrize("facts", [
    {"title": "区统计局2023年政府信息公开工作年度报告_上海市浦东新区人民政府"},
    {"site": "上海市浦东新区人民政府门户网站"},
    {"sponsor": "上海市浦东新区人民政府办公室"},
    {"source": "上海市浦东新区统计局"},
    {"title": "政府信息公开年报-浦东新区政府网", "sponsor": "上海市浦东新区人民政府办公室"},
])
def test_bare_bureau_placed_by_the_page(facts):
    record = process_bytes(saved_page(BUREAU_BODY, **facts), "pudong.html").document
    assert record.issuer == "上海市浦东新区统计局"
    assert (record.region_code, record.province, record.county) == ("310115", "上海市", "浦东新区")
    assert record.admin_level == "department"


def test_keywords_and_description_place_the_bureau():
    keywords = '<meta name="keywords" content="浦东新区统计局,政府信息公开,年度报告">'
    description = ('<meta name="description" content="根据《中华人民共和国政府信息公开条例》规定，'
                   '现公布上海市浦东新区统计局2023年政府信息公开工作年度报告。">')
    for meta, issuer in ((keywords, "浦东新区统计局"), (description, "上海市浦东新区统计局")):
        page = saved_page(BUREAU_BODY, title="政府信息公开年报").replace(b"</head>", meta.encode() + b"</head>")
        assert extract_metadata(read_html(page, "p.html")).issuer == issuer


def test_shared_district_name_settled_by_its_city():
    # 鼓楼区 is a district of 南京市, 福州市, 徐州市 and 开封市: the footer's 南京市 settles it
    page = saved_page(BUREAU_BODY, title="区统计局2023年政府信息公开工作年度报告_鼓楼区人民政府",
                      sponsor="南京市鼓楼区人民政府办公室", breadcrumb="<a>部门信息公开</a> &gt; <a>区统计局</a>")
    record = process_bytes(page, "gulou.html").document
    assert record.issuer == "南京市鼓楼区统计局"
    assert (record.region_code, record.prefecture, record.county) == ("320106", "南京市", "鼓楼区")


@pytest.mark.parametrize("facts", [
    # the page title and the footer name two districts
    {"title": "区统计局2023年政府信息公开工作年度报告_上海市浦东新区人民政府", "sponsor": "南京市鼓楼区人民政府办公室"},
    # the site names one district and the source line another
    {"site": "南京市鼓楼区人民政府", "source": "福州市鼓楼区统计局"},
])
def test_conflicting_places_leave_the_issuer_bare(facts):
    record = process_bytes(saved_page(BUREAU_BODY, **facts), "two.html").document
    assert record.issuer == "区统计局"
    assert record.region_code == ""


def test_site_place_against_the_text_leaves_the_issuer_bare():
    body = BUREAU_BODY + "<p>二、主动公开政府信息情况</p><p>鼓楼区统计局在门户网站公开统计公报12条。</p>"
    meta = extract_metadata(read_html(saved_page(body, site="上海市浦东新区人民政府"), "p.html"))
    assert meta.issuer == "区统计局"


def test_no_place_on_the_page_stays_bare():
    meta = extract_metadata(read_html(saved_page(BUREAU_BODY, title="政府信息公开年报", site="统计局"), "p.html"))
    assert meta.issuer == "区统计局"


TOWNSHIP_BODY = ("<p>根据《中华人民共和国政府信息公开条例》规定，现公布{name}2023年政府信息公开工作年度报告。"
                 "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。</p>"
                 "<p>一、总体情况</p><p>2023年，我镇坚持以公开为常态、不公开为例外。</p>")


def test_township_report_on_the_county_site_keeps_the_township():
    page = saved_page(TOWNSHIP_BODY.format(name="青华镇人民政府"), site="沭阳县人民政府", source="沭阳县人民政府",
                      title="青华镇人民政府2023年政府信息公开工作年度报告_沭阳县人民政府门户网站",
                      article_title="青华镇人民政府2023年政府信息公开工作年度报告", sponsor="沭阳县人民政府办公室")
    record = process_bytes(page, "town.html").document
    assert record.issuer == "青华镇人民政府"
    assert record.admin_level == "township"


def test_bare_township_on_the_county_site_stays_bare():
    # the county's name places no 镇: the township is not named anywhere, so it is not invented
    page = saved_page(TOWNSHIP_BODY.format(name="镇人民政府"), site="沭阳县人民政府", sponsor="沭阳县人民政府办公室",
                      article_title="镇人民政府2023年政府信息公开工作年度报告")
    meta = extract_metadata(read_html(page, "town.html"))
    assert meta.issuer == "镇人民政府"


def test_site_name_noise_left_out_of_the_issuer():
    page = saved_page(BUREAU_BODY.replace("区统计局", "鼓楼区人民政府"),
                      article_title="南京市鼓楼区人民政府门户网站2023年政府信息公开工作年度报告")
    assert extract_metadata(read_html(page, "p.html")).issuer == "南京市鼓楼区人民政府"


@pytest.mark.parametrize(("voice", "issuer"), [
    ("我镇", ""),  # a township's report posted by the county: the county is not its issuer
    ("我县", "沭阳县人民政府"),  # the county's own report: the page's publisher is its issuer
])
def test_publisher_taken_only_when_the_report_speaks_as_it(voice, issuer):
    body = ("<p>本报告根据《中华人民共和国政府信息公开条例》要求编制。统计期限自2023年1月1日起至2023年12月31日止。</p>"
            f"<p>一、总体情况</p><p>2023年，{voice}坚持以公开为常态、不公开为例外。</p>")
    page = saved_page(body, title="2023年政府信息公开工作年度报告_沭阳县人民政府", site="沭阳县人民政府",
                      heading="2023年政府信息公开工作年度报告")
    page = page.replace(b"</head>", '<meta name="Author" content="沭阳县人民政府"></head>'.encode())
    assert extract_metadata(read_html(page, "p.html")).issuer == issuer
