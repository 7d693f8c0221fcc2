"""Cell sanity: values a template cell cannot hold (negative, fractional counts, a fee ×10⁴)."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks import bounds
from pipeline.checks.engine import Context, flag, fmt, rule
from schemas.legacy import cell_kind
from schemas.records import FlagRecord
from schemas.template import DECIMAL, SIGNED, T2, T2_2019, T2_2021, T4_SPEC

# what a cell may hold comes from the forms (schemas.legacy.cell_kind): the 2019 form's 本年增/减 may be
# negative, amounts (表二 fees and procurement, the old table's 元/万元 rows) may have decimals
_CHANGE = T2_2019.col("change").label
_FEES = T2_2021.row("fees").label
_CASES = T4_SPEC.row("cases").label


def _evidence(row_label: str, col: str, raw: str) -> str:
    return f"{row_label}·{col}：{raw}"


@rule("cell.negative", f"计数单元格不能为负数（2019版表二“{_CHANGE}”列除外）", severity="error",
      explanation="a negative cell (except the 2019 表二 本年增/减 column)", example="行政处罚 −1")
def negative(ctx: Context) -> Iterator[FlagRecord]:
    for c in ctx.cells:
        if c.value is None or c.value >= 0 or cell_kind(c.table, c.row_key, c.col_key) == SIGNED:
            continue
        yield flag(ctx, "cell.negative", "error",
                   f"{c.row_label or c.row_key}（{c.col_label or c.col_key}）为负数{fmt(c.value)}，该栏不可能为负",
                   [c.ref], found=c.value, page=c.page, evidence=_evidence(c.row_label, c.col_key, c.raw))


@rule("cell.fractional_count", f"件数、{_CASES}等计数单元格必须是整数", severity="error",
      explanation="a count that is not an integer (fees and procurement amounts excepted)", example="予以公开 2.5")
def fractional(ctx: Context) -> Iterator[FlagRecord]:
    for c in ctx.cells:
        if c.value is None or cell_kind(c.table, c.row_key, c.col_key) == DECIMAL or float(c.value).is_integer():
            continue
        yield flag(ctx, "cell.fractional_count", "error",
                   f"{c.row_label or c.row_key}（{c.col_label or c.col_key}）为小数{fmt(c.value)}，计数应为整数",
                   [c.ref], found=c.value, page=c.page, evidence=_evidence(c.row_label, c.col_key, c.raw))


@rule("cell.fee_unit", f"表二{_FEES}（万元）超出该层级可能的数额，疑为按元填报",
      explanation="表二 行政事业性收费 (万元) above the level's bound (bounds.FEES_10K_YUAN): a 元 figure typed "
                  "into the 万元 column; expected = value/10⁴",
      example="county fee 77302800 万元 → 7730.28")
def fee_unit(ctx: Context) -> Iterator[FlagRecord]:
    c = ctx.cell(T2, "fees", "amount_10k_yuan")
    if c is None or c.value is None:
        return
    limit = bounds.FEES_10K_YUAN[bounds.level(ctx.document.admin_level)]
    if c.value <= limit:
        return
    yield flag(ctx, "cell.fee_unit", "warning",
               f"表二{_FEES}{fmt(c.value)}万元（即{fmt(c.value / 1e4)}亿元），超出"
               f"{bounds.level_name(ctx.document.admin_level)}合理上限{fmt(limit)}万元，疑将“元”填入“万元”栏，应为{fmt(c.value / 1e4)}万元",
               [c.ref], expected=c.value / 1e4, found=c.value, page=c.page,
               evidence=_evidence(c.row_label, c.col_key, c.raw))
