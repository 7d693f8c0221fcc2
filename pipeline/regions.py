"""Issuer normalization: the province, prefecture and county named in a report's issuer and title.

Only the division names the report prints are used (淮安市洪泽区人民政府 -> prefecture 淮安市, county 洪泽区);
no division table is bundled, so a level the report does not name stays empty and `code` is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCE_SUFFIXES = ("省", "自治区", "特别行政区")
_PREFECTURE_SUFFIXES = ("自治州", "地区", "盟")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "旗", "区")
# a name ending in one of the division suffixes, as short as possible (the alternation tries longer suffixes first)
_SEGMENT = re.compile(r"\p{Han}{1,12}?(?:省|自治区|特别行政区|自治州|自治县|自治旗|地区|盟|市|县|旗|区)")
# development zones and the like are not divisions: parsing stops there
_ZONE = re.compile(r"(开发区|高新区|实验区|试验区|示范区|园区|保税区|合作区|自贸区|风景区|景区|管理区|港区)$")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


@dataclass(frozen=True)
class Region:
    """Division names of an issuer; empty where the report does not name that level."""

    province: str = ""
    prefecture: str = ""
    county: str = ""
    code: str = ""  # the national division code, where a division table gives it (none is bundled)


def _segments(name: str) -> list[str]:
    """The division names at the start of NAME, one after another (淮安市洪泽区人民政府 -> 淮安市, 洪泽区)."""
    found, pos = [], 0
    while True:
        match = _SEGMENT.match(name, pos)
        if not match or _ZONE.search(match.group(0)):
            return found
        found.append(match.group(0))
        pos = match.end()


def _classify(segments: list[str], admin_level: str) -> Region:
    province = prefecture = county = ""
    for i, seg in enumerate(segments):
        later = segments[i + 1:]
        if seg in _MUNICIPALITIES or seg.endswith(_PROVINCE_SUFFIXES):
            province = province or seg
        elif seg.endswith(_PREFECTURE_SUFFIXES):
            prefecture = prefecture or seg
        elif seg.endswith("市"):
            # a city under a prefecture, or named alone by a county-level government, is a county-level city
            below_prefecture = bool(prefecture) or (province in _MUNICIPALITIES)
            alone_as_county = admin_level == "county" and not later and not prefecture
            if (below_prefecture or alone_as_county) and not county:
                county = seg
            elif not prefecture:
                prefecture = seg
        elif seg.endswith(_COUNTY_SUFFIXES):
            county = county or seg
    return Region(province, prefecture, county)


def _issuer_part(title: str) -> str:
    match = _YEAR.search(title)
    return (title[: match.start()] if match else "").removeprefix("关于")


def parse_region(issuer: str, title: str = "", admin_level: str = "") -> Region:
    """Province / prefecture / county names from the issuer, completed from the title's issuer part."""
    issuer = "".join((issuer or "").split())
    title = "".join((title or "").split())
    region = _classify(_segments(issuer), admin_level)
    other = _classify(_segments(_issuer_part(title)), admin_level)
    if region == Region():
        return other
    # fill a level the issuer leaves out only when the title agrees on the levels both name
    agree = all(not a or not b or a == b for a, b in zip(
        (region.province, region.prefecture, region.county), (other.province, other.prefecture, other.county),
        strict=True))
    if not agree:
        return region
    return Region(region.province or other.province, region.prefecture or other.prefecture,
                  region.county or other.county)
