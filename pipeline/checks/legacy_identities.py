"""The old statistics table (t_legacy, reports up to 2018): its identities, evaluated from schemas/legacy.py.

Each identity of LEGACY_IDENTITIES is tested in every printed value column (本年度, 历年累计) with
`Identity.evaluate`; CUMULATIVE_AT_LEAST_YEAR is tested in every row that prints both columns. Nothing
here restates a row, a label or a relation: the template is data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from pipeline.checks.engine import Context, cell_value, flag, fmt, rule
from schemas.legacy import (
    CUMULATIVE_AT_LEAST_YEAR,
    LEGACY,
    LEGACY_COLS,
    LEGACY_IDENTITIES,
    LEGACY_SPEC,
    legacy_row,
)
from schemas.records import CellRecord, FlagRecord
from schemas.template import Evaluation, Identity, Relation

_COL_LABELS = {c.key: c.label for c in LEGACY_COLS}
_TABLE = LEGACY_SPEC.label  # how the messages name the old table


def rule_id(ident: Identity) -> str:
    """legacy.identity.<id>, the identity's id without its `legacy_` prefix."""
    return f"legacy.identity.{ident.id.removeprefix('legacy_')}"


CUMULATIVE_RULE = "legacy.cumulative_ge_year"


def row_label(cell: CellRecord) -> str:
    """The row as printed, else as the schema names it."""
    spec = legacy_row(cell.row_key)
    return cell.row_label or (spec.label if spec is not None else cell.row_key)


def col_label(cell: CellRecord) -> str:
    """The column as printed (2013年度), else as the schema names it (本年度, 历年累计)."""
    return cell.col_label or _COL_LABELS.get(cell.col_key, cell.col_key)


def evidence(cells: list[CellRecord]) -> str:
    return "；".join(f"{row_label(c)}·{col_label(c)}={c.raw or fmt(c.value)}" for c in cells)


def _value(cell: CellRecord) -> str:
    return "空白" if cell.blank and cell.value is None else fmt(cell_value(cell))


@dataclass
class _Line:
    """An identity evaluated in one column, with the cells it read."""

    ident: Identity
    col: str
    result: Evaluation
    total: CellRecord
    parts: list[CellRecord]


def _evaluate(ctx: Context, ident: Identity, col: str) -> _Line | None:
    """The identity in one column: `values` holds the rows printed there (a blank cell counts as 0, as the
    national rule counts it; a cell printed but unread is None and leaves the identity untested)."""
    cells = {k: c for k in ident.keys() if (c := ctx.cell(LEGACY, k, col)) is not None}
    values = {k: cell_value(c) for k, c in cells.items()}
    result = ident.evaluate(values)
    if result is None:
        return None
    return _Line(ident, col, result, cells[ident.total], [cells[k] for k in result.parts])


def _siblings_elsewhere(line: _Line, held: list[_Line]) -> bool:
    """True when the parts this identity summed are, in a total that holds on the same column, siblings
    of this identity's total: the table prints them beside it, not under it (信息不存在 beside 不予公开
    in the national form, under 否决 in the Shanghai family)."""
    parts = set(line.result.parts)
    return any(h.ident.total != line.ident.total and line.ident.total in h.result.parts
               and parts <= set(h.result.parts) for h in held)


def _where(cell: CellRecord) -> str:
    return f"{_TABLE}“{col_label(cell)}”列"


def _parts_text(parts: list[CellRecord]) -> str:
    nonzero = [p for p in parts if cell_value(p)]
    return "+".join(f"{row_label(p)}{fmt(cell_value(p))}" for p in nonzero) or "0"


def _broken(ctx: Context, line: _Line) -> FlagRecord:
    """A total written beside parts that do not add up (error), or over parts all blank (info)."""
    ident, total, parts = line.ident, line.total, line.parts
    found, expected = line.result.total, line.result.parts_sum
    nonzero = [p for p in parts if cell_value(p)]
    if all(p.blank for p in parts):
        severity = "info"
        message = (f"{_where(total)}“{row_label(total)}”为{fmt(found)}，而其各项"
                   f"（{'、'.join(row_label(p) for p in parts)}）均未填写；“{ident.label}”无法核对")
    elif ident.relation == Relation.LE:
        severity = "error"
        message = (f"{_where(total)}“{ident.label}”不成立：其中{_parts_text(parts)}，"
                   f"大于“{row_label(total)}”{fmt(found)}")
    else:
        severity = "error"
        message = (f"{_where(total)}“{ident.label}”不成立：“{row_label(total)}”为{fmt(found)}，"
                   f"而各项之和为{fmt(expected)}（{_parts_text(parts)}）")
    return flag(ctx, rule_id(ident), severity, message, [total.ref] + [p.ref for p in nonzero or parts],
                expected=expected, found=found, page=total.page, evidence=evidence([total, *parts]))


def _blank_totals(ctx: Context, ident: Identity, gaps: list[_Line]) -> FlagRecord:
    """Totals left blank (or dashed) beside non-zero parts: one warning per identity, `found` empty."""
    stated = "；".join(f"{_where(g.total)}“{row_label(g.total)}”未填写，而{_parts_text(g.parts)}" for g in gaps)
    message = f"“{gaps[0].ident.label}”：{stated}；表格不完整或有误，请核对原表"
    refs = [r for g in gaps for r in (g.total.ref, *(p.ref for p in g.parts if cell_value(p)))]
    expected = gaps[0].result.parts_sum if len(gaps) == 1 else None
    return flag(ctx, rule_id(ident), "warning", message, refs, expected=expected, found=None,
                page=gaps[0].total.page, evidence=evidence([c for g in gaps for c in (g.total, *g.parts)]))


def _hierarchy(ctx: Context, line: _Line, held: list[_Line]) -> _Line | None:
    """A broken identity with alternative part lists, read with the hierarchy the rest of the table shows:
    the part list holding the most printed rows that no total holding on this column claims (in a
    Shanghai-family table 信息不存在 sums right under no other total, so it is a part of 否决公开答复总数)."""
    claimed = {k for h in held if h.col == line.col and h.ident.total != line.ident.total for k in h.result.parts}
    tries = [_evaluate(ctx, replace(line.ident, parts=alt, alternatives=()), line.col)
             for alt in (line.ident.parts, *line.ident.alternatives)]
    found = [t for t in tries if t is not None]
    if not found:
        return None
    best = max(found, key=lambda t: len(set(t.result.parts) - claimed))
    return _Line(line.ident, line.col, best.result, best.total, best.parts)


def _block_closed(ctx: Context, line: _Line) -> bool:
    """The table prints a row of another block after this identity's last part: the parts it prints are
    all it has. A table that ends inside the block (cut off by the page or the archive) may have lost parts."""
    if not line.ident.over_printed:
        return True
    order = ctx.rows_of(LEGACY)
    keys = set(line.ident.keys())
    last = max((order.index(k) for k in line.result.parts if k in order), default=len(order))
    return any(r not in keys for r in order[last + 1:])


def _cut_off(ctx: Context, line: _Line) -> FlagRecord:
    """A sum that does not hold where the table stops inside the block: worth a look, not proven wrong."""
    total, parts = line.total, line.parts
    message = (f"{_where(total)}“{row_label(total)}”为{fmt(line.result.total)}，而所印各项之和为"
               f"{fmt(line.result.parts_sum)}（{_parts_text(parts)}）；表格在此处截止，其余各项可能未印出，"
               f"“{line.ident.label}”无法核对")
    return flag(ctx, rule_id(line.ident), "info", message, [total.ref] + [p.ref for p in parts],
                expected=line.result.parts_sum, found=line.result.total, page=total.page,
                evidence=evidence([total, *parts]))


def _lines(ctx: Context) -> list[_Line]:
    lines = [line for col in ctx.cols_of(LEGACY) for ident in LEGACY_IDENTITIES
             if (line := _evaluate(ctx, ident, col)) is not None]
    held = [ln for ln in lines if ln.result.holds]
    out = []
    for line in lines:
        if not line.result.holds and line.ident.alternatives:
            line = _hierarchy(ctx, line, held) or line
        out.append(line)
    return out


def check_identity(ctx: Context, ident: Identity) -> Iterator[FlagRecord]:
    """One identity over every printed column of the table."""
    if not ctx.has_table(LEGACY):
        return
    lines = _lines(ctx)
    held = [ln for ln in lines if ln.result.holds]
    gaps: list[_Line] = []
    for line in lines:
        if line.ident is not ident or line.result.holds or _siblings_elsewhere(line, held):
            continue
        if line.total.blank:
            gaps.append(line)
        elif not _block_closed(ctx, line):
            yield _cut_off(ctx, line)
        else:
            yield _broken(ctx, line)
    if gaps:
        yield _blank_totals(ctx, ident, gaps)


# real cases, for docs/rules.md
EXAMPLES = {
    "legacy_replies_total": "平潭公安局 2018: 对申请的答复总数 0|0 but 同意公开答复数 1|3 → an error in each column",
    "legacy_requests_channels": "平潭县 2012: 受理依申请公开信息总数 21 = 当面 18 + 电子邮件 3 (holds; a 22 would be an error)",
    "legacy_proactive_website_of_total": "平潭县 2012: 主动公开信息数 2026 ≥ 网站公开 1795 (holds; never required equal)",
    "legacy_replies_denied": "Shanghai-family tables number 信息不存在 under 否决公开答复总数: summed there, not under 答复总数",
}
_EXPLAIN = ("The old statistics table, in each printed column (year, cumulative), evaluated by `Identity.evaluate` from "
            "schemas/legacy.py (only the rows printed; the Shanghai-family hierarchy as an alternative; rows "
            "that sum right as siblings of this total in another identity are not its parts). ")
_SEVERITIES = ("A written total whose parts do not add up is an **error** (**info** where the table ends inside "
               "the block: the parts may be cut off); a total left blank or dashed beside "
               "non-zero parts is one **warning** per identity and report (`found` empty); a written total over "
               "parts all blank is **info**.")
_SEVERITIES_LE = ("“Of which” parts only: a part above its total is an **error** (equality is never required: "
                  "channels overlap); a total left blank beside a non-zero part is one **warning**.")


def _register(ident: Identity) -> None:
    le = ident.relation == Relation.LE
    rule(rule_id(ident), ident.label, severity="error / warning" if le else "error / warning / info",
         explanation=_EXPLAIN + (_SEVERITIES_LE if le else _SEVERITIES) + f" Applies when {ident.when}.",
         example=EXAMPLES.get(ident.id, ""))(lambda ctx: check_identity(ctx, ident))


for _ident in LEGACY_IDENTITIES:
    _register(_ident)


@rule(CUMULATIVE_RULE, CUMULATIVE_AT_LEAST_YEAR.label, severity="error",
      explanation="t_legacy, in each row that prints both value columns with a number in each: the running total "
                  "since the series began (cumulative) includes this year's value, so it can never be smaller — even "
                  "where the series restarted. A blank cell is not compared (CUMULATIVE_AT_LEAST_YEAR in "
                  "schemas/legacy.py).",
      example="主动公开信息数 本年度 2069, 历年累计 1206 → error (a digit lost when the cells ran together)")
def cumulative_ge_year(ctx: Context) -> Iterator[FlagRecord]:
    ident = CUMULATIVE_AT_LEAST_YEAR
    for row in ctx.rows_of(LEGACY):
        cells = {k: c for k in ident.keys() if (c := ctx.cell(LEGACY, row, k)) is not None}
        # a blank cell is nothing printed here: not a 0 to compare
        result = ident.evaluate({k: c.value for k, c in cells.items()})
        if result is None or result.holds:
            continue
        total, part = cells[ident.total], cells[ident.parts[0]]
        message = (f"{_TABLE}“{row_label(total)}”：{col_label(total)}{fmt(result.total)}小于"
                   f"{col_label(part)}{fmt(result.parts_sum)}；“{ident.label}”不成立（累计数含本年数，"
                   f"即使统计重新起算也不会更小）")
        yield flag(ctx, CUMULATIVE_RULE, "error", message, [total.ref, part.ref], expected=result.parts_sum,
                   found=result.total, page=total.page, evidence=evidence([part, total]))
