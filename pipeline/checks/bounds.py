"""Plausibility bounds by administrative level, as data (what a body of that level can have).

Sources / reasoning (2020 census and public budget figures, rounded up generously so that only
order-of-magnitude slips trip them):
- people: the most populous towns (虎门镇, 长安镇, 东莞) are just under ~1 million residents; the
  largest county-level districts (浦东新区 5.7 million) stay under 6 million; the largest prefectures
  (成都 21 million) under 25 million; the largest province (广东 127 million) under 150 million.
  Departments and unknown bodies may speak for the whole country (1.41 billion).
- households: never more than people.
- doses: vaccine doses per person per year are small (four COVID doses in 2021-2022 plus routine
  vaccines), so at most ~5 per resident.
- person_times: services and inspections per person per year; 100 covers even the 2022 weekly
  nucleic-acid testing of a whole population.
- person_times printed with a stray 万 (four or more digits before 万, i.e. ≥ 10 million): services to
  persons (救助, 资助, 服务群众, 接待) reach each resident a few times a year at most, so 5 per resident;
  mass activities (核酸检测, 网站访问/浏览/点击) keep the 100 above. 恩和镇 4110万人次 临时救助, 1300万人次
  雨露计划 and 平潭 26800万人次 服务群众 are ×10⁴ slips; a province's 网站访问量 1500万人次 is not.
- Every other count is bounded per resident of the largest body of the level (PER_RESIDENT), so that
  only an order-of-magnitude slip trips it:
  - messages (条 of 短信/推送/提醒): emergency and service alerts reach a resident a few times a week at
    the very most (the 2020-2022 epidemic alerts included), so 100 per resident per year; a township
    (≤ 1.5 million residents) claiming half a billion messages is 333 per resident of the largest town.
  - items (条/篇 of information published, 件 of documents): a body publishes thousands to hundreds of
    thousands of items a year (淮安 2024: tens of thousands), never one per resident: 1 per resident.
  - cases (件/起/份 of requests, hotline calls, permits handled): 北京 12345 took ~20 million calls a year
    for 21 million residents (~1 per resident); 政务服务 办件 run to a few per resident: 5 per resident.
  - times (次 of meetings, inspections, broadcasts): 10 per resident; mass activities (网站访问/浏览,
    核酸检测, 播放 …, see magnitude.MASS_ACTIVITY) 100 per resident, as for person-times.
- area (亩, 公顷 ×15, 平方米 ×0.0015): not per resident but the largest territory of the level: the
  largest townships of 西藏/新疆 stay under 10万 km² (1 km² = 1500 亩 → 1.5e8 亩); the largest county
  若羌 20.2万 km² (3.03e8 亩); the largest prefecture 巴音郭楞 47.2万 km² (7.1e8 亩); the largest province
  新疆 166.5万 km² (2.5e9 亩); the country 960万 km² (1.44e10 亩).
- money (元): the largest township budgets are a few 亿; a township narrative may cite investment
  totals, so allow 500亿 (5e10); county 5e11, prefecture 5e12 (上海 GDP ~4.7万亿), province 2e13,
  country 2e14 (national GDP ~1.3e14).
- fees_10k_yuan: table 2 行政事业性收费 in 万元. Real reports: county 洪泽 7 730, zone 平潭 24 252,
  prefecture 淮安 96 172. A figure in 元 typed into the 万元 column is ×10⁴, so bounds sit well above
  the real values and well below their ×10⁴ slips.
"""

from __future__ import annotations

PEOPLE: dict[str, float] = {
    "township": 1.5e6,
    "county": 6e6,
    "zone": 1e7,
    "prefecture": 2.5e7,
    "province": 1.5e8,
    "department": 1.5e9,
    "unknown": 1.5e9,
}
DOSES_PER_PERSON = 5
PERSON_TIMES_PER_PERSON = 100
STRAY_PERSON_TIMES_PER_PERSON = 5
MASS_ACTIVITY_PER_PERSON = 100  # person-times / times of web visits, mass testing, broadcasts
# count category -> largest plausible count per resident of the largest body of the level (see above)
PER_RESIDENT: dict[str, float] = {
    "people": 1,
    "households": 1,
    "doses": DOSES_PER_PERSON,
    "person_times": PERSON_TIMES_PER_PERSON,
    "messages": 100,
    "items": 1,
    "cases": 5,
    "times": 10,
}
AREA_MU: dict[str, float] = {
    "township": 1.5e8,
    "county": 3.5e8,
    "zone": 3.5e8,
    "prefecture": 7.5e8,
    "province": 2.6e9,
    "department": 1.5e10,
    "unknown": 1.5e10,
}
MU_PER_UNIT = {"亩": 1.0, "公顷": 15.0, "平方米": 0.0015}

MONEY_YUAN: dict[str, float] = {
    "township": 5e10,
    "county": 5e11,
    "zone": 5e11,
    "prefecture": 5e12,
    "province": 2e13,
    "department": 2e14,
    "unknown": 2e14,
}

FEES_10K_YUAN: dict[str, float] = {
    "township": 5e3,
    "county": 5e5,
    "zone": 5e5,
    "prefecture": 2e6,
    "province": 1e7,
    "department": 1e7,
    "unknown": 1e7,
}

# narrative ratios: 元 per 亩 of a per-area subsidy (耕地地力保护补贴 ~100, 一次性种粮补贴 ~10-20,
# 高标准农田 construction ~3000) and 元 per household of a household subsidy (危房改造 up to ~4万,
# 易地搬迁 up to ~10万+).
YUAN_PER_MU = (1.0, 5000.0)
YUAN_PER_HOUSEHOLD = (1.0, 5e5)


LEVEL_NAMES = {"township": "乡镇（街道）", "county": "县级", "zone": "开发区（管委会）", "prefecture": "地市级",
               "province": "省级", "department": "部门", "unknown": "未知层级"}


def level_name(admin_level: str) -> str:
    """The level as an auditor reads it in a Chinese message."""
    return LEVEL_NAMES[level(admin_level)]


def level(admin_level: str) -> str:
    """The admin level key used by the bound tables (unknown for anything unrecognized)."""
    return admin_level if admin_level in PEOPLE else "unknown"


def bound(category: str, admin_level: str, unit: str = "", mass_activity: bool = False) -> float | None:
    """Largest plausible value of a narrative figure of this category (in its own unit) for this level."""
    lv = level(admin_level)
    if category == "money":
        return MONEY_YUAN[lv]
    if category == "area":
        per_unit = MU_PER_UNIT.get(unit or "亩")
        return None if per_unit is None else AREA_MU[lv] / per_unit
    per_person = PER_RESIDENT.get(category)
    if per_person is None:
        return None
    if mass_activity and category in ("person_times", "times"):
        per_person = max(per_person, MASS_ACTIVITY_PER_PERSON)
    return PEOPLE[lv] * per_person


def stray_person_times_bound(admin_level: str, mass_activity: bool) -> float:
    """Largest plausible person-times printed as ≥1000万: services per resident, or a mass activity."""
    per_person = PERSON_TIMES_PER_PERSON if mass_activity else STRAY_PERSON_TIMES_PER_PERSON
    return PEOPLE[level(admin_level)] * per_person
