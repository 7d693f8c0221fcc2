"""Magnitude plausibility: narrative figures a body of this admin level cannot have; the stray 万."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks import bounds
from pipeline.checks.clauses import Place
from pipeline.checks.engine import Context, flag, fmt, rule
from schemas.records import FigureRecord, FlagRecord
from schemas.subjects import CountClass, count_class

# a count whose printed number before 万 already has four or more integer digits: "34800万剂次"
STRAY_WAN = re.compile(r"(\d{4,}(?:\.\d+)?)\s*万(?!元)")
# every count category (money excepted: 万元 is its ordinary unit)
STRAY_WAN_CATEGORIES = ("people", "households", "doses", "person_times", "messages", "items", "cases", "times",
                        "area")
# person-times of a mass activity (testing, web traffic, media, tourism) may run to many per resident
MASS_ACTIVITY = re.compile(r"核酸|检测|筛查|访问|浏览|点击|阅读|观看|收看|播放|下载|关注|粉丝|参与|覆盖|受众|触达|传播"
                           r"|曝光|游客|旅游|客流|乘客|客运|出行|通行|网民|网友|线上|网上|在线|累计|总量|流量")
_CATEGORY_NAMES = {"people": "人数", "households": "户数", "doses": "剂次", "person_times": "人次",
                   "money": "金额", "messages": "信息条数", "items": "信息件数", "cases": "件数", "times": "次数",
                   "area": "面积"}


def stray_wan(fig: FigureRecord) -> bool:
    """True when the figure is a count printed as ≥1000万 (a 万 the writer likely did not mean)."""
    return fig.category in STRAY_WAN_CATEGORIES and STRAY_WAN.search(fig.raw or "") is not None


def _mass(fig: FigureRecord, place: Place | None) -> bool:
    context = place.before + place.after if place is not None else fig.sentence
    return MASS_ACTIVITY.search(context) is not None


def counted(fig: FigureRecord, place: Place | None) -> CountClass | None:
    """The count class of the subject lexicon the clause names (data records, page views), if any."""
    context = place.before + place.after if place is not None else fig.sentence
    return count_class(context, fig.unit)


def limit_for(fig: FigureRecord, level: str, place: Place | None) -> float | None:
    """The bound of a figure: its count class's (data records are not information items), else its unit's."""
    return _limit(fig, level, place, counted(fig, place))


def _limit(fig: FigureRecord, level: str, place: Place | None, found: CountClass | None) -> float | None:
    """limit_for, given the figure's count class (read once per figure by its callers)."""
    if found is not None:
        return None if found.per_resident is None else bounds.PEOPLE[bounds.level(level)] * found.per_resident
    return bounds.bound(fig.category, level, fig.unit, _mass(fig, place))


def stray_limit(fig: FigureRecord, level: str, place: Place | None) -> float | None:
    """The bound a stray-万 count is held to: person-times of a service get the tighter per-resident bound;
    None for a count whose ordinary unit is 万 (8232万条 data records, 2300万次 page views)."""
    found = counted(fig, place)
    if found is not None and found.wan_ordinary:
        return None
    if fig.category != "person_times":
        return bounds.bound(fig.category, level, fig.unit, _mass(fig, place))
    return bounds.stray_person_times_bound(level, _mass(fig, place))


@rule("magnitude.stray_wan", "计数写作“≥1000万”且超出该层级可能范围：疑为多写了“万”", severity="warning / info",
      explanation="every count category (people, households, doses, person-times, messages, items, cases, "
                  "times, area) printed as ≥1000万 — four or more digits before 万 — is the classic stray 万; "
                  "expected = value/10⁴. A warning when the value is above the level's bound "
                  "(pipeline/checks/bounds.py), info otherwise. Person-times of a service are held to 5 per "
                  "resident of the level; mass activities (核酸检测, 网站访问/浏览, 游客, 累计…) keep 100 per resident. "
                  "Counts whose ordinary unit is 万 — data records (汇聚数据8232万条) and page views, the count "
                  "classes of schemas/subjects.py — are not held to it.",
      example="恩和镇 “34800万剂次” (348 000 000 doses in a township) → 34800; “临时救助4110万人次” in a township → "
              "4110; a province's 网站访问量1500万人次 → info")
def stray(ctx: Context) -> Iterator[FlagRecord]:
    level = ctx.document.admin_level
    places = ctx.places()
    for fig in ctx.figures:
        if not stray_wan(fig):  # the cheap test first: the bound reads the clause's words
            continue
        limit = stray_limit(fig, level, places.get(fig.figure_id))
        if limit is None:
            continue
        reading = fig.value / 1e4
        if fig.value > limit:
            severity, why = "warning", f"超出{bounds.level_name(level)}可能的上限{fmt(limit)}{fig.unit}"
        else:
            severity, why = "info", "数额虽在该层级可能范围内，但写法少见"
        yield flag(ctx, "magnitude.stray_wan", severity,
                   f"“{fig.raw}”即{fmt(fig.value)}{fig.unit}，{why}；“万”前已是四位以上数字，"
                   f"疑多写“万”，应为{fmt(reading)}{fig.unit}",
                   [f"figure:{fig.figure_id}"], expected=reading, found=fig.value, page=fig.page,
                   evidence=fig.sentence)


@rule("magnitude.level_bound", "人数、户数、剂次、人次、信息条数、件数、次数、面积、金额不能超出该行政层级可能的规模",
      explanation="each count category has a bound per admin level (pipeline/checks/bounds.py, with its "
                  "reasoning): counts per resident of the largest body of the level (people and households 1, "
                  "doses 5, person-times 100, messages 100, items 1, cases 5, times 10 — 100 for mass activities); the count classes of schemas/subjects.py replace the unit's bound "
                  "(data records 10 000, page views 1 000 per resident: they are not information items), "
                  "area by the largest territory of the level, money by budgets. A figure above it is a warning.",
      example="a township sending 5亿条 text messages (bound 1.5亿); a county with 800万户")
def level_bound(ctx: Context) -> Iterator[FlagRecord]:
    level = ctx.document.admin_level
    places = ctx.places()
    for fig in ctx.figures:
        place = places.get(fig.figure_id)
        found = counted(fig, place)
        limit = _limit(fig, level, place, found)
        ordinary = found is not None and found.wan_ordinary
        if limit is None or fig.value <= limit or (stray_wan(fig) and not ordinary):
            continue
        name = found.name if found is not None else _CATEGORY_NAMES.get(fig.category, fig.category)
        yield flag(ctx, "magnitude.level_bound", "warning",
                   f"“{fig.raw}”（{name}{fmt(fig.value)}{fig.unit}）超出{bounds.level_name(level)}可能的上限{fmt(limit)}{fig.unit}",
                   [f"figure:{fig.figure_id}"], found=fig.value, page=fig.page, evidence=fig.sentence)
