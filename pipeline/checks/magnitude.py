"""Magnitude plausibility: narrative figures a body of this admin level cannot have; the stray 万."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks import bounds
from pipeline.checks.clauses import Place, locate
from pipeline.checks.engine import Context, flag, fmt, rule
from schemas.records import FigureRecord, FlagRecord

# a count whose printed number before 万 already has four or more integer digits: "34800万剂次"
STRAY_WAN = re.compile(r"(\d{4,}(?:\.\d+)?)\s*万(?!元)")
STRAY_WAN_CATEGORIES = ("people", "households", "doses", "person_times")
# person-times of a mass activity (testing, web traffic, media, tourism) may run to many per resident
MASS_ACTIVITY = re.compile(r"核酸|检测|筛查|访问|浏览|点击|阅读|观看|收看|播放|下载|关注|粉丝|参与|覆盖|受众|触达|传播"
                           r"|曝光|游客|旅游|客流|乘客|客运|出行|通行|网民|网友|线上|网上|在线|累计|总量|流量")
_CATEGORY_NAMES = {"people": "人数", "households": "户数", "doses": "剂次", "person_times": "人次",
                   "money": "金额"}


def stray_wan(fig: FigureRecord) -> bool:
    """True when the figure is a count printed as ≥1000万 (a 万 the writer likely did not mean)."""
    return fig.category in STRAY_WAN_CATEGORIES and STRAY_WAN.search(fig.raw or "") is not None


def stray_limit(fig: FigureRecord, level: str, place: Place | None) -> float | None:
    """The bound a stray-万 count is held to: person-times of a service get the tighter per-resident bound."""
    if fig.category != "person_times":
        return bounds.bound(fig.category, level)
    context = place.before + place.after if place is not None else fig.sentence
    return bounds.stray_person_times_bound(level, MASS_ACTIVITY.search(context) is not None)


@rule("magnitude.stray_wan", "计数写作“≥1000万”且超出该层级可能范围：疑为多写了“万”")
def stray(ctx: Context) -> Iterator[FlagRecord]:
    level = ctx.document.admin_level
    places = locate(ctx.figures)
    for fig in ctx.figures:
        limit = stray_limit(fig, level, places.get(fig.figure_id))
        if not stray_wan(fig) or limit is None:
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


@rule("magnitude.level_bound", "人数、户数、剂次、人次、金额不能超出该行政层级可能的规模")
def level_bound(ctx: Context) -> Iterator[FlagRecord]:
    level = ctx.document.admin_level
    for fig in ctx.figures:
        limit = bounds.bound(fig.category, level)
        if limit is None or fig.value <= limit or stray_wan(fig):
            continue
        name = _CATEGORY_NAMES.get(fig.category, fig.category)
        yield flag(ctx, "magnitude.level_bound", "warning",
                   f"“{fig.raw}”（{name}{fmt(fig.value)}{fig.unit}）超出{bounds.level_name(level)}可能的上限{fmt(limit)}{fig.unit}",
                   [f"figure:{fig.figure_id}"], found=fig.value, page=fig.page, evidence=fig.sentence)
