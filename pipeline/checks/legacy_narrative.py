"""Narrative vs the old statistics table: an old report's prose restates the table's counts
(2013年主动公开政府信息4970条, 受理政府信息公开申请21件); each figure whose clause names a row (the phrases of
LEGACY_PROSE in the subject lexicon, schemas/subjects.py) is compared with that row's `year` cell, and
is consistent when any number the table may explain it with (schemas.subjects.legacy_candidates) equals it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.clauses import Place
from pipeline.checks.engine import FIGURE_REF, Context, cell_value, flag, fmt, rule
from pipeline.checks.legacy_identities import col_label, row_label
from schemas.legacy import LEGACY, LEGACY_COLS, LEGACY_SPEC, YEAR, legacy_row
from schemas.records import CellRecord, FigureRecord, FlagRecord
from schemas.subjects import (
    ANY_WORDS,
    LEGACY_PROSE,
    LEGACY_PROSE_SCOPES,
    PROSE_ITEM_UNITS,
    ProsePhrase,
    legacy_candidates,
)

RULE = "legacy.narrative_vs_table"
_TABLE = LEGACY_SPEC.label
_YEAR_COL = next(c.label for c in LEGACY_COLS if c.key == YEAR)  # 本年度
_AROUND = " "  # stands for the figure between the clause before it and the words after it (text is squeezed)

def units_agree(fig: FigureRecord, table: CellRecord) -> bool:
    """The figure counts what the row counts: both in units of documents, applications or cases
    (PROSE_ITEM_UNITS), or the row's own unit (60个单位 is not a count of 条 of information)."""
    spec = legacy_row(table.row_key)
    unit = table.unit or (spec.unit if spec is not None else "")
    return fig.unit == unit or (fig.unit in PROSE_ITEM_UNITS and unit in PROSE_ITEM_UNITS)


# the clause is not a plain statement of this year's count: a change, a running total, an earlier year
NOT_THIS_COUNT = re.compile(r"累计|历年|以来|同比|较上年|比上年|较去年|增加|减少|增长|下降|上升|提高|去年|上年")
_YEAR = re.compile(r"((?:19|20)\d\d)年")


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(".*?".join(re.escape(part) for part in words.split(ANY_WORDS)))


_PHRASES: tuple[tuple[ProsePhrase, re.Pattern[str]], ...] = tuple((p, _pattern(p.words)) for p in LEGACY_PROSE)


def match_phrase(place: Place) -> ProsePhrase | None:
    """The first phrase of LEGACY_PROSE found in the clause around a figure (None: no row is named); the
    words after the figure count (收到1份有关政府信息公开行政复议申请)."""
    around = place.before + _AROUND + place.after
    for phrase, pattern in _PHRASES:
        if pattern.search(around):
            return phrase
    return None


def scope_word(place: Place) -> str:
    """A word of LEGACY_PROSE_SCOPES in the clause before the figure: the figure is said of a part."""
    return next((w for w in LEGACY_PROSE_SCOPES if w in place.before), "")


@dataclass(frozen=True)
class Explanation:
    """A number of the old table the prose may state: its label, value and cells."""

    label: str
    value: float
    cells: list[CellRecord]


def _name(cell: CellRecord) -> str:
    """A row as the lexicon names it (网站公开), else as the table printed it."""
    spec = legacy_row(cell.row_key)
    return spec.label if spec is not None else row_label(cell)


def explanations(ctx: Context, row: str) -> list[Explanation]:
    """The numbers the table may explain a figure on this row with (the row, its total, its 'of which'
    parts, the sums its identities define, over the rows the table prints: 县政府公开办主动公开信息数为1795条
    is the 网站公开 row)."""
    out = []
    for candidate in legacy_candidates(row):
        cells = [c for k in candidate.keys if (c := ctx.cell(*k)) is not None and cell_value(c) is not None]
        if not cells or (len(candidate.keys) == 1 and len(cells) != 1):
            continue
        label = "”+“".join(_name(c) for c in cells)
        out.append(Explanation(label, sum(cell_value(c) or 0.0 for c in cells), cells))
    return out


def _other_year(ctx: Context, place: Place) -> bool:
    year = ctx.document.year
    return year is not None and any(int(y) != year for y in _YEAR.findall(place.before))


@dataclass(frozen=True)
class Finding:
    severity: str
    why: str  # for an info: what else the prose may count


def judge(fig: FigureRecord, place: Place, phrase: ProsePhrase, table: CellRecord,
          family: list[Explanation]) -> Finding | None:
    """None when the table explains the figure; otherwise how sure the difference is."""
    value = cell_value(table)
    if value is None or any(e.value == fig.value for e in family):
        return None
    if fig.approx:
        return None if fig.value <= value <= fig.value * 1.5 else Finding("info", "正文为约数")
    scope = scope_word(place)
    if scope:
        if fig.value <= value:
            return None  # a part of the total (县直各单位主动公开政府信息3933条 of 4970)
        return Finding("info", f"正文所述为“{scope}”等部分范围，却大于表格总数")
    if not phrase.certain:
        return Finding("info", f"正文“{phrase.words}”所计可能与表格“{row_label(table)}”口径不同")
    return Finding("warning", "")


def judge_sum(fig: FigureRecord, cells: list[CellRecord]) -> Finding | None:
    """A clause counting several rows together (行政复议、提起行政诉讼N件): the table explains the figure
    when the rows add up to it; otherwise it is only worth a look, since such a clause may count
    applications as well as cases."""
    if any(cell_value(c) is None for c in cells) or sum(cell_value(c) or 0 for c in cells) == fig.value:
        return None
    return None if fig.approx else Finding("info", "正文合并计数，口径可能不同")


@rule(RULE, f"旧版年报正文所述数字应与“{_TABLE}”{_YEAR_COL}数一致", severity="warning / info",
      explanation="old reports (the pre-2019 statistics table): a narrative figure whose clause names a "
                  "table row — the phrases of LEGACY_PROSE in schemas/legacy.py, tried in order, e.g. 主动公开政府信息 "
                  "→ proactive_total, 受理/收到…申请 → requests_total, 行政复议 → admin_review_total — is compared "
                  "with the row's year cell. No flag when the figure equals the row, its total or one of its "
                  "'of which' rows (the table explains it), or when the clause names a part of the issuer "
                  "(县直, 区直, 各乡镇, 各部门, 公开办: LEGACY_PROSE_SCOPES) and the figure does not exceed the total. "
                  "A **warning** when the phrase states the row itself; **info** when the prose may count something "
                  "else (a review application received vs 行政复议数; a part above the total; an approximate figure). "
                  "Clauses of changes, running totals (累计) or another year are skipped; a blank cell is not "
                  "compared.",
      example="平潭综合实验区 2013: “2013年主动公开政府信息4970条” vs 主动公开信息数 72804 → warning; "
              "“收到1份有关政府信息公开行政复议申请” vs 行政复议数 0 → info; “县直各单位主动公开政府信息3933条” → no flag")
def legacy_narrative(ctx: Context) -> Iterator[FlagRecord]:
    if not ctx.has_table(LEGACY):
        return
    places = ctx.places()
    for fig in ctx.figures:
        place = places.get(fig.figure_id)
        if place is None or NOT_THIS_COUNT.search(place.before) \
                or _other_year(ctx, place):
            continue
        phrase = match_phrase(place)
        table = ctx.cell(LEGACY, phrase.row, YEAR) if phrase is not None else None
        if phrase is None or table is None or table.value is None or not units_agree(fig, table):
            continue
        together = [table] + [c for k in phrase.also if (c := ctx.cell(LEGACY, k, YEAR)) is not None]
        family: list[Explanation] = []
        expected: float | None
        if phrase.also and len(together) == 1 + len(phrase.also):
            found, expected = judge_sum(fig, together), sum(cell_value(c) or 0.0 for c in together)
        else:
            family = explanations(ctx, phrase.row)
            found, expected = judge(fig, place, phrase, table, family), cell_value(table)
            together = [table]
        if found is None:
            continue
        note = f"（{found.why}，仅供核对）" if found.why else ""
        note += _others(fig, together, family if not phrase.also else [])
        stated = ("+".join(f"“{row_label(c)}”{fmt(cell_value(c))}" for c in together) if len(together) > 1
                  else f"“{row_label(table)}”")
        message = (f"正文“{place.before}{fig.raw}{place.after}”为{fmt(fig.value)}，而{_TABLE}"
                   f"{stated}{col_label(table)}{'合计' if len(together) > 1 else ''}为{fmt(expected)}{note}")
        yield flag(ctx, RULE, found.severity, message, [f"{FIGURE_REF}{fig.figure_id}", *(c.ref for c in together)],
                   expected=expected, found=fig.value, page=fig.page,
                   evidence=fig.sentence)


def _others(fig: FigureRecord, compared: list[CellRecord], family: list[Explanation]) -> str:
    """The table's other numbers the figure could have stated, nearest first (none of them equal it)."""
    refs = {c.ref for c in compared}
    seen: set[frozenset[str]] = {frozenset(refs)}
    others = []
    for e in sorted(family, key=lambda e: abs(e.value - fig.value)):
        if (cells := frozenset(c.ref for c in e.cells)) not in seen:
            seen.add(cells)
            others.append(e)
    if not others:
        return ""
    listed = "，".join(f"“{e.label}”{fmt(e.value)}" for e in others[:4])
    return f"；表中可比的其他数亦不相符（最接近者在前）：{listed}"
