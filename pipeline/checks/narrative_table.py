"""Narrative vs table: a figure whose clause states what a template cell holds must equal the cell."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.clauses import Place, locate
from pipeline.checks.engine import Context, cell_value, flag, fmt, rule
from pipeline.checks.t4_outcomes import outcome_flags
from schemas.records import CellRecord, FigureRecord, FlagRecord
from schemas.template import T2, T3, T4

RULE = "narrative.table_mismatch"

_REQ_UNITS = ("件",)
_CASE_UNITS = ("件", "起", "宗", "个")
_DOC_UNITS = ("件", "个", "份", "部", "项")


@dataclass(frozen=True)
class Topic:
    """A table quantity a narrative clause can state."""

    key: str
    label: str  # how the message names the table quantity
    keyword: re.Pattern[str]  # must occur in the clause before the figure (or after, see `after`)
    cells: tuple[tuple[tuple[str, str, str], ...], ...]  # alternatives; each one is summed
    units: tuple[str, ...]
    requires: re.Pattern[str] | None = None  # must also occur in the clause
    after: re.Pattern[str] | None = None  # may instead occur right after the figure
    about_requests: bool = False  # the sentence must be about 申请 (table 3)
    broader: re.Pattern[str] | None = None  # a broader category than the table's -> info at most
    excludes: re.Pattern[str] | None = None  # a narrower outcome named in the clause: not this quantity


def _t3(row: str) -> tuple[tuple[tuple[str, str, str], ...], ...]:
    return (((T3, row, "total"),),)


_RECEIVE = re.compile(r"收到|受理|新收|接收|收悉|共收")
_CARRY_FWD = re.compile(r"结转(至|到)?下一?年|转入下一?年|顺延(至|到)?下一?年|下一?年度?继续办理|跨年")

TOPICS: tuple[Topic, ...] = (
    Topic("carried_forward", "表三“结转下年度继续办理”总计", _CARRY_FWD, _t3("carried_forward"), _REQ_UNITS,
          after=re.compile(r"^件?(申请)?(" + _CARRY_FWD.pattern + ")"), about_requests=True),
    Topic("carried_over", "表三“上年结转申请”总计", re.compile(r"上一?年度?结转|往年结转"), _t3("carried_over"),
          _REQ_UNITS, about_requests=True),
    Topic("new_received", "表三“本年新收申请”总计", re.compile(r"申请"), _t3("new_received"), _REQ_UNITS,
          requires=_RECEIVE, after=re.compile(r"^件?(政府信息公开|信息公开)?申请"), about_requests=True),
    Topic("granted", "表三“予以公开”总计", re.compile(r"予以公开|同意公开"), _t3("granted"), _REQ_UNITS,
          about_requests=True),
    Topic("handled", "表三“办理结果总计”", re.compile(r"办结|答复|办理完毕|处理完毕|办理|处理"),
          _t3("handled_total"), _REQ_UNITS, about_requests=True,
          excludes=re.compile(r"不予|部分|无法|其他处理|予以公开|结转")),
    Topic("review", "表四“行政复议”总计", re.compile(r"行政复议"), (((T4, "cases", "review_total"),),),
          _CASE_UNITS),
    Topic("suit", "表四“行政诉讼”总计（直接起诉+复议后起诉）", re.compile(r"行政诉讼"),
          (((T4, "cases", "suit_total"), (T4, "cases", "post_review_suit_total")),), _CASE_UNITS),
    Topic("penalty", "表二“行政处罚”处理决定数", re.compile(r"行政处罚|处罚决定"),
          (((T2, "penalty", "decisions"),),), _CASE_UNITS + ("项",)),
    Topic("licensing", "表二“行政许可”处理决定数", re.compile(r"行政许可|许可决定"),
          (((T2, "licensing", "decisions"),),), _CASE_UNITS + ("项",)),
    Topic("coercion", "表二“行政强制”处理决定数", re.compile(r"行政强制"),
          (((T2, "coercion", "decisions"),),), _CASE_UNITS + ("项",)),
    Topic("rules", "表二“规章”本年制发件数", re.compile(r"规章"),
          (((T2, "rules", "issued"),), ((T2, "rules", "new_published"),), ((T2, "rules", "new_made"),)),
          _DOC_UNITS),
    Topic("normative_docs", "表二“行政规范性文件”本年制发件数", re.compile(r"规范性文件|政策性文件|政策文件"),
          (((T2, "normative_docs", "issued"),), ((T2, "normative_docs", "new_published"),),
           ((T2, "normative_docs", "new_made"),)), _DOC_UNITS,
          broader=re.compile(r"政策性文件|政策文件")),
)

# the clause is not a plain statement of this year's count: a change, a cumulative or earlier figure
_NOT_THIS_COUNT = re.compile(r"同比|较上年|比上年|较去年|增加|减少|增长|下降|上升|提高|累计|历年|去年|上年(?!度?结转)"
                             r"|现行有效|废止|清理|其中.*?(维持|纠正|其他结果|尚未审结)")
# a different kind of request or case than the template's 政府信息公开申请
_OTHER_MATTER = re.compile(r"建议|提案|信访|投诉|举报|热线|留言|来信|诉求|意见")
# a narrower body than the issuer, or a sector / column of the issuer's work
_NARROWER = re.compile(r"政府办|办公室|代表.{0,8}(政府|受理|办理)|本级|所属|下属|各级|各部门|各单位|系统"
                       r"|生态|环境|环保|市场监管|交通|税务|公安|城管|卫健|教育|住建|自然资源|农业|专栏|栏目|领域|网站")
# publishing decisions is not the same count as making them
_PUBLISHED = re.compile(r"发布|公示|公布|公开|上网")
_DECISION_TOPICS = {"penalty", "licensing", "coercion"}
_YEAR = re.compile(r"(\d{4})年")


def _unit_ok(fig: FigureRecord, topic: Topic) -> bool:
    return fig.unit in topic.units


def _last_keyword(topic: Topic, place: Place) -> int:
    """End of the last keyword match in the clause before the figure (-1: none, 10**6: right after)."""
    if topic.requires is not None and not topic.requires.search(place.before):
        return -1
    if topic.after is not None and topic.after.search(place.after):
        return 10**6
    ends = [m.end() for m in topic.keyword.finditer(place.before)]
    if not ends:
        return -1
    if topic.excludes is not None and topic.excludes.search(place.before):
        return -1
    return max(ends)


def match_topic(fig: FigureRecord, place: Place) -> Topic | None:
    """The table quantity the clause around a figure states, if any (nearest keyword wins)."""
    best: tuple[int, Topic] | None = None
    for topic in TOPICS:
        if not _unit_ok(fig, topic):
            continue
        if topic.about_requests:
            if "申请" not in place.head + place.after or _OTHER_MATTER.search(place.before) \
                    or re.search(r"复议|诉讼", place.before):
                continue
        pos = _last_keyword(topic, place)
        if pos >= 0 and (best is None or pos > best[0]):
            best = (pos, topic)
    return best[1] if best else None


def _table_cells(ctx: Context, topic: Topic) -> list[CellRecord] | None:
    """The first alternative whose cells were all found."""
    for alt in topic.cells:
        cells = [ctx.cell(*key) for key in alt]
        if all(c is not None and cell_value(c) is not None for c in cells):
            return [c for c in cells if c is not None]
    return None


def _report_years(ctx: Context) -> set[int]:
    """The reporting year, and the year of a stated one-year period (a title year may be mistyped)."""
    doc = ctx.document
    years = {doc.year} if doc.year is not None else set()
    start, end = doc.period_start[:4], doc.period_end[:4]
    if start.isdigit() and start == end:
        years.add(int(start))
    return years


def _other_year(ctx: Context, place: Place) -> bool:
    years = _report_years(ctx)
    return bool(years) and any(int(y) not in years for y in _YEAR.findall(place.before))


def _severity(fig: FigureRecord, topic: Topic, place: Place, table: float) -> str | None:
    """None when the two agree within what the wording allows; info when the scope differs."""
    if fig.value == table:
        return None
    if fig.approx:
        return None if fig.value <= table <= fig.value * 1.5 else "info"
    if topic.broader is not None and topic.broader.search(place.before):
        return "info"
    if _NARROWER.search(place.before):
        return "info"
    if topic.key in _DECISION_TOPICS and _PUBLISHED.search(place.before):
        return "info"
    return "warning"


@rule(RULE, "正文所述数字（申请、复议诉讼、处罚许可强制、规章规范性文件）应与表格对应单元格一致")
def narrative_vs_table(ctx: Context) -> Iterator[FlagRecord]:
    if not ctx.cells:
        return
    places = locate(ctx.figures)
    for fig in ctx.figures:
        place = places.get(fig.figure_id)
        if place is None or _NOT_THIS_COUNT.search(place.before) or _other_year(ctx, place):
            continue
        topic = match_topic(fig, place)
        if topic is None:
            continue
        cells = _table_cells(ctx, topic)
        if cells is None:
            continue
        table = sum(cell_value(c) or 0.0 for c in cells)
        severity = _severity(fig, topic, place, table)
        if severity is None:
            continue
        scope = "（表述范围与表格不同，仅供核对）" if severity == "info" else ""
        message = (f"正文“{place.before}{fig.raw}”为{fmt(fig.value)}，"
                   f"而{topic.label}为{fmt(table)}{scope}")
        yield flag(ctx, RULE, severity, message, [f"figure:{fig.figure_id}"] + [c.ref for c in cells],
                   expected=table, found=fig.value, page=fig.page, evidence=fig.sentence)
    yield from outcome_flags(ctx, RULE, places)
