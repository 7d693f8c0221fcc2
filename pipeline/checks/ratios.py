"""Ratios: subsidy per 亩 and per household in one sentence; rates above 100%."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from pipeline.checks import bounds
from pipeline.checks.engine import Context, flag, fmt, rule
from schemas.records import FigureRecord, FlagRecord

SUBSIDY = re.compile(r"补贴|补助|奖补")
NOT_SUBSIDY = re.compile(r"征收|征地|补偿|投资|建设")
RATE = re.compile(r"率|占比|比例|比重|覆盖")
NOT_RATE = re.compile(r"增长|增加|提高|提升|上升|下降|减少|同比|环比|较|完成|超额|目标|计划|达到?.*倍")


def _by_sentence(figures: list[FigureRecord]) -> dict[str, list[FigureRecord]]:
    groups: dict[str, list[FigureRecord]] = defaultdict(list)
    for f in figures:
        if f.sentence:
            groups[f.sentence].append(f)
    return groups


def _pair(sentence_figs: list[FigureRecord], category: str, unit: str) -> tuple[FigureRecord, FigureRecord] | None:
    """The one money figure and the one figure in `unit` of a sentence (None if not exactly one)."""
    money = [f for f in sentence_figs if f.category == "money" and f.unit == "元" and not f.approx]
    other = [f for f in sentence_figs if f.category == category and f.unit == unit and not f.approx]
    if len(money) != 1 or len(other) != 1 or other[0].value <= 0:
        return None
    return money[0], other[0]


def _ratio_flags(ctx: Context, rule_id: str, category: str, unit: str,
                 band: tuple[float, float]) -> Iterator[FlagRecord]:
    for sentence, figs in _by_sentence(ctx.figures).items():
        if not SUBSIDY.search(sentence) or NOT_SUBSIDY.search(sentence):
            continue
        pair = _pair(figs, category, unit)
        if pair is None:
            continue
        money, other = pair
        ratio = money.value / other.value
        low, high = band
        if low <= ratio <= high:
            continue
        yield flag(ctx, rule_id, "warning",
                   f"补助金额{fmt(money.value)}元 ÷ {fmt(other.value)}{unit} = {ratio:.4g}元/{unit}，"
                   f"不在合理范围{fmt(low)}–{fmt(high)}元/{unit}内，疑数量级有误",
                   [f"figure:{money.figure_id}", f"figure:{other.figure_id}"], found=round(ratio, 4),
                   page=money.page, evidence=sentence)


@rule("ratio.subsidy_per_mu", "同一句中的补贴金额与面积之比（元/亩）应在合理范围内",
      explanation="one subsidy amount (元) and one area (亩) in a sentence: 元/亩 within bounds.YUAN_PER_MU (1–5000)",
      example="恩和镇 3185037.64元 / 41908.39亩 = 76 元/亩: ok")
def per_mu(ctx: Context) -> Iterator[FlagRecord]:
    yield from _ratio_flags(ctx, "ratio.subsidy_per_mu", "area", "亩", bounds.YUAN_PER_MU)


@rule("ratio.subsidy_per_household", "同一句中的补贴金额与户数之比（元/户）应在合理范围内",
      explanation="one subsidy amount (元) and one household count in a sentence: 元/户 within 1–500000",
      example="恩和镇 3185037.64元 / 7571户 = 421: ok")
def per_household(ctx: Context) -> Iterator[FlagRecord]:
    yield from _ratio_flags(ctx, "ratio.subsidy_per_household", "households", "户", bounds.YUAN_PER_HOUSEHOLD)


@rule("ratio.percent_over_100", "比率、占比类百分数不能超过100%",
      explanation="a rate (率, 占比, 比例, 覆盖) above 100% (growth, completion and targets excepted)",
      example="满意率105%")
def percent_over_100(ctx: Context) -> Iterator[FlagRecord]:
    places = ctx.places()
    for fig in ctx.figures:
        if fig.category != "percent" or fig.value <= 100:
            continue
        place = places.get(fig.figure_id)
        clause = place.before if place else ""
        if not RATE.search(clause) or NOT_RATE.search(clause):
            continue
        yield flag(ctx, "ratio.percent_over_100", "warning",
                   f"“{clause}{fig.raw}”：比率为{fmt(fig.value)}%，超过100%", [f"figure:{fig.figure_id}"],
                   expected=100, found=fig.value, page=fig.page, evidence=fig.sentence)
