"""Narrative 行政复议/行政诉讼 breakdowns (…N件，其中结果维持M件…) against the 表四 outcome cells."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks.clauses import Place
from pipeline.checks.engine import Context, cell_value, flag, fmt
from schemas.records import CellRecord, FlagRecord
from schemas.template import T4, T4_GROUP_WORDS, T4_GROUPS, T4_OUTCOMES

# an outcome as prose names it (维持, 纠正, 其他结果, 尚未审结: the template's label, 结果 optional) -> its key
OUTCOMES = {label.removeprefix("结果"): key for key, label in T4_OUTCOMES.items() if key != "total"}
_OUTCOME = re.compile(rf"^(其中)?(结果)?({'|'.join(OUTCOMES)})$")
# the group the breakdown belongs to: the last 行政复议 / 行政诉讼 named before the figure
_HEADS = tuple(dict.fromkeys(label.split("·")[0] for label in T4_GROUPS.values()))  # 行政复议, 行政诉讼
_GROUP = re.compile("|".join((*_HEADS, T4_GROUPS["post_review_suit"].split("·")[1], T4_GROUP_WORDS["suit"][1], "起诉")))
_GROUPS = {head: tuple(g for g, label in T4_GROUPS.items() if label.split("·")[0] == head) for head in _HEADS}
_UNITS = ("件", "起", "宗", "个")
_SKIP = re.compile(r"同比|较上年|比上年|增加|减少|累计|历年|去年|上年")


def _cells(ctx: Context, groups: tuple[str, ...], outcome: str) -> list[CellRecord] | None:
    cells = [ctx.cell(T4, "cases", f"{g}_{outcome}") for g in groups]
    if any(c is None or cell_value(c) is None for c in cells):
        return None
    return [c for c in cells if c is not None]


def outcome_flags(ctx: Context, rule_id: str, places: dict[str, Place]) -> Iterator[FlagRecord]:
    """A warning for each stated 维持/纠正/其他结果/尚未审结 count that differs from 表四."""
    for fig in ctx.figures:
        place = places.get(fig.figure_id)
        if place is None or fig.unit not in _UNITS or fig.approx:
            continue
        m = _OUTCOME.match(place.before)
        groups = [g.group(0) for g in _GROUP.finditer(place.head)]
        if m is None or not groups or groups[-1] not in _GROUPS or _SKIP.search(place.head):
            continue
        cells = _cells(ctx, _GROUPS[groups[-1]], OUTCOMES[m.group(3)])
        if cells is None:
            continue
        table = sum(cell_value(c) or 0.0 for c in cells)
        if fig.value == table:
            continue
        yield flag(ctx, rule_id, "warning",
                   f"正文{groups[-1]}“{place.before}{fig.raw}”为{fmt(fig.value)}，而表四对应“{m.group(3)}”为{fmt(table)}",
                   [f"figure:{fig.figure_id}"] + [c.ref for c in cells], expected=table, found=fig.value,
                   page=fig.page, evidence=fig.sentence)

