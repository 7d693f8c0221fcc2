"""Dates: the reporting year in the title vs the record's year, the statistical period, 本年 statements."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks.engine import Context, flag, rule
from schemas.records import FigureRecord, FlagRecord

TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PERIOD = re.compile(r"统计.{0,12}?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日.{0,4}?至.{0,2}?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
# a sentence opening on a year: "2021年，我镇…" / "（二）依申请公开情况。2021年度…"
OPENING_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）][^。]{0,12}?。)?\s*((?:19|20)\d{2})\s*年度?[，,]?")
PLAN = re.compile(r"将|计划|拟|继续|进一步|力争|下一步")


def _sentences(figures: list[FigureRecord]) -> list[tuple[str, list[FigureRecord]]]:
    seen: dict[str, list[FigureRecord]] = {}
    for f in figures:
        if f.sentence:
            seen.setdefault(f.sentence, []).append(f)
    return list(seen.items())


@rule("dates.title_year", "标题中的报告年度应与记录的报告年度一致")
def title_year(ctx: Context) -> Iterator[FlagRecord]:
    doc = ctx.document
    m = TITLE_YEAR.search(doc.title or "")
    if m is None or doc.year is None or int(m.group(1)) == doc.year:
        return
    yield flag(ctx, "dates.title_year", "warning",
               f"标题写{m.group(1)}年，而报告年度记为{doc.year}年", [], expected=doc.year,
               found=int(m.group(1)), evidence=doc.title)


@rule("dates.statistical_period", "统计期限应为报告年度的1月1日至12月31日")
def statistical_period(ctx: Context) -> Iterator[FlagRecord]:
    year = ctx.document.year
    if year is None:
        return
    for sentence, figs in _sentences(ctx.figures):
        m = PERIOD.search(sentence.replace(" ", ""))
        if m is None:
            continue
        start, end = int(m.group(1)), int(m.group(4))
        if start == year and end == year:
            continue
        wrong = start if start != year else end
        yield flag(ctx, "dates.statistical_period", "warning",
                   f"统计期限为{start}年{m.group(2)}月{m.group(3)}日至{end}年{m.group(5)}月{m.group(6)}日，"
                   f"与报告年度{year}年不符", [f"figure:{f.figure_id}" for f in figs],
                   expected=year, found=wrong, page=figs[0].page, evidence=sentence)
        return


@rule("dates.other_year_statement", "以其他年份开头、陈述当年工作的句子（疑沿用往年报告文字）")
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
