"""Dates: the title's reporting year vs the record's year, the statistical period and the body's years."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from pipeline.checks.engine import Context, flag, rule
from schemas.records import FigureRecord, FlagRecord

TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PERIOD = re.compile(r"统计.{0,12}?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日.{0,4}?至.{0,2}?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
ISO_DATE = re.compile(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})$")
# a sentence opening on a year: "2021年，我镇…" / "（二）依申请公开情况。2021年度…"
OPENING_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）][^。]{0,12}?。)?\s*((?:19|20)\d{2})\s*年度?[，,]?")
PLAN = re.compile(r"将|计划|拟|继续|进一步|力争|下一步")
BODY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)")
BODY_YEAR_MIN = 3  # mentions of one other year (and none of the title's) before the body outvotes the title

Date = tuple[int, int, int]


def _sentences(figures: list[FigureRecord]) -> list[tuple[str, list[FigureRecord]]]:
    seen: dict[str, list[FigureRecord]] = {}
    for f in figures:
        if f.sentence:
            seen.setdefault(f.sentence, []).append(f)
    return list(seen.items())


def title_year_of(ctx: Context) -> int | None:
    """The reporting year the title names, else the record's year."""
    m = TITLE_YEAR.search(ctx.document.title or "")
    return int(m.group(1)) if m else ctx.document.year


def _iso(text: str) -> Date | None:
    m = ISO_DATE.match(text or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _period(ctx: Context) -> tuple[Date, Date, str, list[FigureRecord]] | None:
    """The stated period: the record's (from the report's text), else a figure sentence stating one."""
    start, end = _iso(ctx.document.period_start), _iso(ctx.document.period_end)
    if start and end:
        return start, end, "", []
    for sentence, figs in _sentences(ctx.figures):
        m = PERIOD.search(sentence.replace(" ", ""))
        if m:
            g = [int(x) for x in m.groups()]
            return (g[0], g[1], g[2]), (g[3], g[4], g[5]), sentence, figs
    return None


def body_years(figures: list[FigureRecord]) -> Counter[int]:
    """How often each year is named in the sentences holding narrative figures."""
    return Counter(int(y) for sentence, _ in _sentences(figures) for y in BODY_YEAR.findall(sentence))


def _text(d: Date) -> str:
    return f"{d[0]}年{d[1]}月{d[2]}日"


@rule("dates.title_year", "标题中的报告年度应与记录的报告年度一致",
      explanation="the year in the title vs the record's reporting year")
def title_year(ctx: Context) -> Iterator[FlagRecord]:
    doc = ctx.document
    m = TITLE_YEAR.search(doc.title or "")
    if m is None or doc.year is None or int(m.group(1)) == doc.year:
        return
    yield flag(ctx, "dates.title_year", "warning",
               f"标题写{m.group(1)}年，而报告年度记为{doc.year}年", [], expected=doc.year,
               found=int(m.group(1)), evidence=doc.title)


@rule("dates.statistical_period", "统计期限应为标题所示报告年度的1月1日至12月31日", severity="warning / info",
      explanation="the stated period (the record's period_start/period_end, else a figure sentence) against the "
                  "title's year: warning when a 1 Jan – 31 Dec period lies in another year (either bound); info for "
                  "any other period that is not the whole reporting year. Expected/found hold both years; the "
                  "body's year mentions decide which side the message blames",
      example="2022 report “统计数据从2021年1月1日至2021年12月31日”; title 2021 with period and text 2022")
def statistical_period(ctx: Context) -> Iterator[FlagRecord]:
    title = title_year_of(ctx)
    period = _period(ctx)
    if title is None or period is None:
        return
    start, end, sentence, figs = period
    years = {title, ctx.document.year or title}
    stated = f"统计期限为{_text(start)}至{_text(end)}"
    refs = [f"figure:{f.figure_id}" for f in figs]
    page = figs[0].page if figs else None
    evidence = sentence or f"{stated}；标题：{ctx.document.title}"
    full_years = (start[1], start[2]) == (1, 1) and (end[1], end[2]) == (12, 31)
    if full_years and (start[0] not in years or end[0] not in years):
        wrong = start[0] if start[0] not in years else end[0]
        # which side the body supports: the title's year or the period's
        votes = body_years(ctx.figures)
        title_wrong = votes[wrong] > votes[title]
        hint = f"正文多处为{wrong}年，疑标题年度有误" if title_wrong else "疑统计期限沿用或误写了其他年份"
        yield flag(ctx, "dates.statistical_period", "warning",
                   f"{stated}，与标题所示报告年度{title}年不符（{hint}）", refs,
                   expected=wrong if title_wrong else title, found=title if title_wrong else wrong,
                   page=page, evidence=evidence)
    elif not full_years or start[0] != end[0] or start[0] not in years:
        yield flag(ctx, "dates.statistical_period", "info",
                   f"{stated}，不是报告年度{title}年的完整自然年，请核对", refs,
                   expected=title, found=end[0], page=page, evidence=evidence)


@rule("dates.body_year", "未写统计期限时，正文年份不应与标题年度整体不符",
      explanation="no period stated: ≥3 mentions of one other year in figure sentences and none of the title's year",
      example="title 2021, every sentence 2022年…")
def body_year(ctx: Context) -> Iterator[FlagRecord]:
    title = title_year_of(ctx)
    if title is None or _period(ctx) is not None:
        return
    votes = body_years(ctx.figures)
    if votes[title] or not votes:
        return
    year, count = votes.most_common(1)[0]
    if count < BODY_YEAR_MIN or sum(votes.values()) != count:
        return
    yield flag(ctx, "dates.body_year", "warning",
               f"标题所示报告年度为{title}年，而正文陈述数字的句子{count}处写{year}年、无一处写{title}年，疑标题年度有误",
               [], expected=year, found=title, evidence=ctx.document.title)


@rule("dates.other_year_statement", "以其他年份开头、陈述当年工作的句子（疑沿用往年报告文字）", severity="info",
      explanation="a sentence with figures opening on an earlier year (text carried over from an old report?)")
def other_year_statement(ctx: Context) -> Iterator[FlagRecord]:
    year = ctx.document.year
    if year is None:
        return
    for sentence, figs in _sentences(ctx.figures):
        text = sentence.strip()
        m = OPENING_YEAR.match(text)
        if m is None or int(m.group(1)) >= year or PLAN.search(text[: m.end() + 6]):
            continue
        yield flag(ctx, "dates.other_year_statement", "info",
                   f"{year}年度报告中的句子以“{m.group(1)}年”开头陈述工作数字，请核对是否沿用了往年数据",
                   [f"figure:{f.figure_id}" for f in figs], expected=year, found=int(m.group(1)),
                   page=figs[0].page, evidence=sentence)
