"""Narrative vs table: a figure whose clause states what a template cell holds must equal the cell."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.clauses import Place
from pipeline.checks.engine import Context, cell_value, flag, fmt, rule
from pipeline.checks.t4_outcomes import OUTCOMES, outcome_flags
from schemas.records import CellRecord, FigureRecord, FlagRecord
from schemas.subjects import TOPICS, Candidate, Topic
from schemas.template import T2_2019, T2_2021, T2_ISSUED, T2_NORMATIVE_DOCS, T2_RULES

RULE = "narrative.table_mismatch"

_RULES_LABEL = T2_2021.row(T2_RULES).label  # 规章
_NORMATIVE_SHORT = T2_2019.row(T2_NORMATIVE_DOCS).label  # 规范性文件
_ISSUED = T2_2021.col(T2_ISSUED).label  # 本年制发件数


# the clause is not a plain statement of this year's count: a change, a cumulative or earlier figure
_NOT_THIS_COUNT = re.compile(r"同比|较上年|比上年|较去年|增加|减少|增长|下降|上升|提高|累计|历年|去年|上年(?!度?结转)"
                             rf"|现行有效|废止|清理|其中.*?({'|'.join(OUTCOMES)})")
# a different kind of request or case than the template's 政府信息公开申请
_OTHER_MATTER = re.compile(r"建议|提案|信访|投诉|举报|热线|留言|来信|诉求|意见")
# a narrower body than the issuer, or a sector / column of the issuer's work
_NARROWER = re.compile(r"政府办|办公室|代表.{0,8}(政府|受理|办理)|本级|所属|下属|各级|各部门|各单位|系统|部门|本机关"
                       r"|生态|环境|环保|市场监管|交通|税务|公安|城管|卫健|教育|住建|自然资源|农业|专栏|栏目|领域|网站")
# the whole territory: broader than a report by an office or a department
_WHOLE_AREA = re.compile(r"全(省|市|区|县|州|盟|旗|镇|乡|街道)")
_OFFICE = re.compile(r"办公室|办公厅|政府办|办$")
# publishing decisions is not the same count as making them
_PUBLISHED = re.compile(r"发布|公示|公布|公开|上网")
# 规章 / 规范性文件: acts on them other than making them this year (not 本年制发 at all) …
_OTHER_ACT = re.compile(r"刊登|刊发|转载|转发|清理|集中发布|汇编|备案|审查|审核|梳理|评估|解读|宣传|报送|征求|起草|修订|修改"
                        r"|收录|整理|归集|上传|录入")
# … and the verbs that do say they were made this year; any other verb (公开, 发布) leaves it uncertain
_MADE = re.compile(r"制发|制定|出台|印发|新制|发文|签发")
# a list closed by 等 before the figure: the figure may count more kinds than the ones named
_ETC = re.compile(r"等(?!级|候|同|待|次)[^，,。；;]{0,10}$")
# two quantities joined right before the figure (予以公开及部分公开42件): the figure is their sum
_JOIN = re.compile(r"(及|和|与|以及|、|或|加)$")
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


def _candidates(fig: FigureRecord, place: Place) -> list[tuple[int, int, Topic]]:
    """(keyword start, keyword end, topic) of every topic the clause names, in clause order (of two ending
    at the same place, the one listed first in TOPICS comes last: it is the one matched)."""
    out: list[tuple[int, int, int, Topic]] = []
    for rank, topic in enumerate(TOPICS):
        if not _unit_ok(fig, topic):
            continue
        if topic.about_requests:
            if "申请" not in place.head + place.after or _OTHER_MATTER.search(place.before) \
                    or re.search(r"复议|诉讼", place.before):
                continue
        pos = _last_keyword(topic, place)
        if pos < 0:
            continue
        if pos == 10**6:
            out.append((pos, pos, rank, topic))
            continue
        start = max(m.start() for m in topic.keyword.finditer(place.before) if m.end() == pos)
        out.append((start, pos, rank, topic))
    return [(start, end, topic) for start, end, _, topic in sorted(out, key=lambda c: (c[1], -c[2]))]


def match_topics(fig: FigureRecord, place: Place) -> list[Topic]:
    """The table quantities the clause around a figure states: the nearest one, and those joined to it by
    及/和/、 right before it (予以公开及部分公开42件 → 予以公开 + 部分公开)."""
    found = _candidates(fig, place)
    if not found:
        return []
    start, _, topic = found[-1]
    chosen = [topic]
    for other_start, other_end, other in reversed(found[:-1]):
        between = place.before[other_end:start]
        if other in chosen or not _JOIN.fullmatch(between or "x"):
            break
        chosen.insert(0, other)
        start = other_start
    return chosen


def match_topic(fig: FigureRecord, place: Place) -> Topic | None:
    """The table quantity the clause around a figure states, if any (nearest keyword wins)."""
    topics = match_topics(fig, place)
    return topics[-1] if topics else None


def _cells_of(ctx: Context, candidate: Candidate) -> list[CellRecord] | None:
    """The candidate's cells, when the report prints every one of them with a value."""
    cells = [ctx.cell(*key) for key in candidate.keys]
    if all(c is not None and cell_value(c) is not None for c in cells):
        return [c for c in cells if c is not None]
    return None


def _total(cells: list[CellRecord]) -> float:
    return sum(cell_value(c) or 0.0 for c in cells)


def _printed(ctx: Context, topic: Topic) -> list[tuple[Candidate, list[CellRecord]]]:
    """The topic's candidates the report prints, in the lexicon's order (the first is the one compared)."""
    out = []
    for candidate in topic.candidates:
        cells = _cells_of(ctx, candidate)
        if cells is not None:
            out.append((candidate, cells))
    return out


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


def _whole_area_of_office(ctx: Context, place: Place) -> bool:
    """全区/全市… in a report by an office or a department: broader than the body the table is about."""
    doc = ctx.document
    return (doc.admin_level == "department" or bool(_OFFICE.search(doc.issuer or ""))) \
        and _WHOLE_AREA.search(place.before) is not None


def _severity(ctx: Context, fig: FigureRecord, topics: list[Topic], place: Place, table: float) -> str | None:
    """None when the two agree within what the wording allows; info when the subject is not certain."""
    topic = topics[-1]
    if fig.value == table:
        return None
    if fig.approx:
        return None if fig.value <= table <= fig.value * 1.5 else "info"
    if any(t.broader is not None and t.broader.search(place.before) for t in topics):
        return "info"
    if _NARROWER.search(place.before) or _whole_area_of_office(ctx, place) or _ETC.search(place.before):
        return "info"
    if topic.decisions and _PUBLISHED.search(place.before):
        return "info"
    if topic.documents and (not _MADE.search(place.before) or _OTHER_ACT.search(place.before)):
        return "info"  # 公开/发布 N件 (published this year, made when?), or made beside another act (起草并印发)
    return "warning"


def _other_act(topics: list[Topic], place: Place) -> bool:
    """规章 / 规范性文件 published elsewhere, reprinted, reviewed or cleaned up, with no verb of making:
    not 本年制发 (a verb of making beside another act leaves it uncertain: info, see _severity)."""
    return any(t.documents for t in topics) and _OTHER_ACT.search(place.before) is not None \
        and _MADE.search(place.before) is None


# how a clause's subject is matched to table cells: each rule with a sentence it decides (docs/rules.md)
SUBJECT_MODEL: tuple[tuple[str, str, str], ...] = (
    ("clause", "a figure's subject is the clause before it, from the last ，。；：brackets ！？ (the enumeration "
     "comma 、 does not end it); the nearest table quantity named in it wins",
     "“共收到公民、法人或其他组织提出的政府信息公开申请3件” → 新收"),
    ("compound subject", "two or three quantities joined by 及/和/与/以及/、/或 right before the figure are "
     "compared with the sum of their cells", "“其中予以公开及部分公开42件” → 予以公开 + 部分公开"),
    ("explained by the table", "a figure agrees when any candidate of its subject (schemas/subjects.py: the "
     "cell it names, or a sum the template defines for it) equals it: 收到/受理 → 新收, 新收 + 上年结转; "
     "办理/答复/办结 → 办理结果总计, 新收 + 上年结转, 新收; 予以公开/同意公开 → 予以公开, 予以公开 + 部分公开; "
     "不予公开/无法提供/不予处理 → the block's reasons summed; 行政复议/行政诉讼 → 表四 totals or their outcomes. "
     "A flag names the cell compared and every other candidate with its value, the nearest first",
     "“共收到政府信息公开申请75件” with 新收 74 and 上年结转 1 → no flag; “申请中同意公开答复9件” → 予以公开 9"),
    ("other acts on documents", "规章/规范性文件 that were 刊登, 转载/转发, 集中发布, 清理, 汇编, 备案, 审查, 梳理, 解读, "
     "修订… (without a verb of making) are not 本年制发: not compared; with one (起草并印发) info; 现行有效, 废止 and changes (同比, 增加) are skipped for every quantity",
     "“在区政府公报刊登规章5件”, “集中发布行政规范性文件8件” → no flag"),
    ("规章制度", "a body's internal 规章制度 are not 规章 (立法法): not compared", "“修订完善内部规章制度12项” → no flag"),
    ("making verb", "a 规章/规范性文件 count is a warning only with a verb of making (制发, 制定, 出台, 印发, 发文); "
     "公开/发布 N件 may count documents made earlier: info", "“全年公开行政规范性文件5件” vs 制发 2 → info"),
    ("narrower body", "a sub-body, a sector or a column of the issuer (部门, 各部门, 本机关, 政府办, 办公室, 代表…受理, "
     "本级, 所属, 专栏, 生态环境…): info", "“区政府办代表区政府受理申请17件” vs 新收 21 → info"),
    ("broader area", "全区/全市/全县… in a report by an office (…办公室) or a department: info; a government "
     "speaking of its own territory is compared", "区政府办公室的报告 “全区共收到政府信息公开申请130件” → info"),
    ("other category", "部门规章, 部门规范性文件, 党内规范性文件, 政策性文件 are not the table's 规章 / 行政规范性文件: "
     "info", "“制发部门规范性文件3件” vs 行政规范性文件 2 → info"),
    ("open list", "a list closed by 等 before the figure may count more kinds than those named: info",
     "“作出行政处罚、行政强制等决定110件” → info"),
    ("published decisions", "发布/公示/公开 行政处罚/许可/强制 N件 counts publications, not decisions: info",
     "“在生态环境信息公开专栏发布行政处罚23件” → info"),
    ("approximate", "余/约/多 figures agree when the cell lies between N and 1.5 N; otherwise info",
     "“受理申请30余件” vs 新收 34 → no flag"),
    ("other matter, year", "建议, 提案, 信访, 投诉, 热线… are not 政府信息公开申请; a clause naming another year than "
     "the report's is skipped", "“2021年共收到政府信息公开申请2件” in a 2022 report → no flag"),
)


@rule(RULE, f"正文所述数字（申请、复议诉讼、处罚许可强制、{_RULES_LABEL}{_NORMATIVE_SHORT}）应与表格对应单元格一致",
      severity="warning / info",
      explanation="a clause stating a table quantity (收到/受理…申请 → 新收; 上年结转; 办结/答复; 结转下年度/顺延; "
                  "予以公开; 部分公开; 行政复议 → 表四 review 总计; 行政诉讼 → suit + post_review_suit 总计; "
                  "行政处罚/许可/强制 → 表二 decisions; 规章, 规范性文件 → 表二 本年制发) differs from the cell (or "
                  "the sum of cells). A warning only when the subject matches with certainty; every doubt in the "
                  "subject model below makes it info at most. A 表四 breakdown (“行政复议351件，其中结果维持72件…”) "
                  "is compared outcome by outcome (pipeline/checks/t4_outcomes.py). Documents without tables "
                  "are skipped.",
      example="恩和镇 2022: “进行行政处罚11件” vs 表二 行政处罚 6 → warning; 淮安 2024: “市政府及市政府办政策性文件"
              "11件” vs 8 → info",
      details=SUBJECT_MODEL)
def narrative_vs_table(ctx: Context) -> Iterator[FlagRecord]:
    if not ctx.cells:
        return
    places = ctx.places()
    for fig in ctx.figures:
        place = places.get(fig.figure_id)
        if place is None or _NOT_THIS_COUNT.search(place.before) or _other_year(ctx, place):
            continue
        topics = match_topics(fig, place)
        if not topics or _other_act(topics, place):
            continue
        explained = explain(ctx, fig, topics)
        if explained is None:
            continue
        compared, others = explained
        table = _total(compared.cells)
        severity = _severity(ctx, fig, topics, place, table)
        if severity is None:
            continue
        scope = "（表述范围与表格不同，仅供核对）" if severity == "info" else ""
        message = f"正文“{place.before}{fig.raw}”为{fmt(fig.value)}，而{compared.label}为{fmt(table)}{scope}"
        message += _why(fig, compared, others)
        nearest = others[0].cells if others else []
        refs = [f"figure:{fig.figure_id}"] + list(dict.fromkeys(c.ref for c in compared.cells + nearest))
        yield flag(ctx, RULE, severity, message, refs, expected=table, found=fig.value, page=fig.page,
                   evidence=fig.sentence)
    yield from outcome_flags(ctx, RULE, places)


@dataclass(frozen=True)
class Explanation:
    """A number of the report's tables a figure's subject may state: its label and cells."""

    label: str
    cells: list[CellRecord]


def explain(ctx: Context, fig: FigureRecord, topics: list[Topic]) -> tuple[Explanation, list[Explanation]] | None:
    """None when the report's tables explain the figure (a candidate of its subject equals it; for an
    approximate figure, one lies between N and 1.5 N) or print none of its subject's cells; otherwise the
    candidate compared (the subject's first, or the sum of each joined subject's first) and the others,
    nearest first."""
    printed = [_printed(ctx, t) for t in topics]
    if any(not p for p in printed):
        return None
    if len(topics) == 1:
        options = [Explanation(c.label(), cells) for c, cells in printed[0]]
    else:  # a compound subject (予以公开及部分公开): the sum of each one's first candidate
        options = [Explanation("与".join(t.label for t in topics) + "之和", [c for p in printed for c in p[0][1]])]
    for option in options:
        value = _total(option.cells)
        if value == fig.value or (fig.approx and fig.value <= value <= fig.value * 1.5):
            return None
    others = sorted(options[1:], key=lambda o: abs(_total(o.cells) - fig.value))
    return options[0], others


def _why(fig: FigureRecord, compared: Explanation, others: list[Explanation]) -> str:
    """What else the table could have explained the figure with, and the nearest miss."""
    if not others:
        return ""
    listed = "，".join(f"{o.label}为{fmt(_total(o.cells))}" for o in others)
    nearest = others[0]
    gap = abs(_total(nearest.cells) - fig.value)
    if gap < abs(_total(compared.cells) - fig.value):
        return f"；表格中可比的其他数亦不相符：{listed}（最接近的是{nearest.label}，相差{fmt(gap)}）"
    return f"；表格中可比的其他数亦不相符：{listed}"
