"""Template identities (schemas.template.IDENTITIES): totals that must equal the sum of their parts."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.engine import Context, cell_value, flag, fmt, rule
from schemas.records import CellRecord, FlagRecord
from schemas.template import IDENTITIES, T3, T3_OTHER_ROWS, T3_SPEC, Identity

_LABELS = {k.key: k.label for k in (*T3_SPEC.rows, *T3_SPEC.cols)}


def _variant_applies(ctx: Context, ident: Identity) -> bool:
    """Pick the 其他处理 variant matching the rows present (three other_* rows vs one other_total)."""
    three = any(ctx.has_row(T3, r) for r in T3_OTHER_ROWS)
    if ident.id == "t3_handled_total":
        return three or not ctx.has_row(T3, "other_total")
    if ident.id == "t3_handled_total_2019":
        return not three and ctx.has_row(T3, "other_total")
    return True


def _lines(ctx: Context, ident: Identity) -> list[str]:
    """The columns (axis rows) or rows (axis cols) along which an identity is checked."""
    return ctx.cols_of(ident.table) if ident.axis == "rows" else ctx.rows_of(ident.table)


def _get(ctx: Context, ident: Identity, line: str, key: str) -> CellRecord | None:
    if ident.axis == "rows":
        return ctx.cell(ident.table, key, line)
    return ctx.cell(ident.table, line, key)


def _side(ctx: Context, ident: Identity, line: str, keys: tuple[str, ...]) -> list[CellRecord] | None:
    """The cells of keys along one line, None when one is missing or holds no number."""
    cells = []
    for k in keys:
        cell = _get(ctx, ident, line, k)
        if cell is None or (cell.value is None and not cell.blank):  # cell_value(cell) is None
            return None
        cells.append(cell)
    return cells


def _values(ident: Identity, cells: list[CellRecord]) -> dict[str, float | None]:
    """The cells' numbers keyed as the identity names them (row keys along a column, column keys along a
    row), blanks as 0: what `Identity.evaluate` tests."""
    return {(c.row_key if ident.axis == "rows" else c.col_key): cell_value(c) for c in cells}


def _total(cells: list[CellRecord]) -> float:
    return sum(cell_value(c) or 0.0 for c in cells)


def _evidence(cells: list[CellRecord]) -> str:
    return "；".join(f"{c.row_label or c.row_key}·{c.col_label or c.col_key}={c.raw or fmt(c.value)}"
                    for c in cells)


def _where(ident: Identity, line: str, cell: CellRecord) -> str:
    if ident.table == T3 and ident.axis == "rows":
        return f"表三“{cell.col_label or _LABELS.get(line, line)}”列"
    if ident.table == T3:
        return f"表三“{cell.row_label or _LABELS.get(line, line)}”行"
    return "表四"


def _check_sum(ctx: Context, ident: Identity, line: str, total: CellRecord | None,
               parts: list[CellRecord] | None) -> FlagRecord | None:
    """The identity along one line, given its total cell and its parts' cells (_side) there."""
    if total is None or parts is None or cell_value(total) is None:
        return None
    if total.blank and all(p.blank for p in parts):
        return None
    ev = ident.evaluate(_values(ident, [total, *parts]))
    if ev is None or ev.holds:
        return None
    expected, found = ev.parts_sum, ev.total
    nonzero = [p for p in parts if cell_value(p)]
    if total.blank:
        return None  # a blank total beside non-zero parts: _blank_totals
    # A written total over parts that are all blank is a gap rather than arithmetic proven wrong
    # (reports that print zeros as blanks): info.
    if all(p.blank for p in parts):
        severity = "info"
        message = (f"{_where(ident, line, total)}各项均未填写而总计为{fmt(found)}；“{ident.label}”无法核对")
    else:
        severity = "error"
        message = (f"{_where(ident, line, total)}“{ident.label}”不成立：总计为{fmt(found)}，"
                   f"各项之和为{fmt(expected)}（{'+'.join(fmt(cell_value(p)) for p in nonzero) or '0'}）")
    return flag(ctx, f"identity.{ident.id}", severity, message, [total.ref] + [p.ref for p in nonzero],
                expected=expected, found=found, page=total.page, evidence=_evidence([total, *nonzero]))


def _blank_totals(ctx: Context, ident: Identity,
                  read: list[tuple[CellRecord | None, list[CellRecord] | None]]) -> FlagRecord | None:
    """Totals left blank (or dashed) beside non-zero parts: the table is incomplete or wrong either way.
    One warning per identity (a whole 总计 column left empty is one omission), `found` empty. READ: each
    line's total and parts, as _check_sum was given them."""
    gaps: list[tuple[CellRecord, list[CellRecord], float]] = []
    for total, parts in read:
        if total is None or parts is None or not total.blank:
            continue
        nonzero = [p for p in parts if cell_value(p)]
        if nonzero:
            gaps.append((total, nonzero, _total(parts)))
    if not gaps:
        return None
    first, _, _ = gaps[0]
    stated = "；".join(f"{_where(ident, line_key(ident, t), t)}各项之和{fmt(e)}（{'+'.join(fmt(cell_value(p)) for p in nz)}）"
                      for t, nz, e in gaps)
    message = (f"“{ident.label}”：{len(gaps)}处总计未填写（空白或“—”）而各项非零——{stated}；"
               f"表格不完整或有误，请核对原表")
    refs = [r for t, nz, _ in gaps for r in (t.ref, *(p.ref for p in nz))]
    expected = gaps[0][2] if len(gaps) == 1 else None
    return flag(ctx, f"identity.{ident.id}", "warning", message, refs, expected=expected, found=None,
                page=first.page, evidence=_evidence([c for t, nz, _ in gaps for c in (t, *nz)]))


def line_key(ident: Identity, total: CellRecord) -> str:
    """The line (column or row key) a total cell stands on."""
    return total.col_key if ident.axis == "rows" else total.row_key


def _check_balance(ctx: Context, ident: Identity, line: str) -> FlagRecord | None:
    left = _side(ctx, ident, line, ident.left)
    right = _side(ctx, ident, line, ident.right)
    if left is None or right is None or all(c.blank for c in left + right):
        return None
    ev = ident.evaluate(_values(ident, left + right))
    if ev is None or ev.holds:
        return None
    lsum, rsum = ev.total, ev.parts_sum
    a, b = left
    c, d = right
    message = (f"{_where(ident, line, a)}勾稽关系不成立：新收{fmt(cell_value(a))}+上年结转{fmt(cell_value(b))}"
               f"={fmt(lsum)}，而办理总计{fmt(cell_value(c))}+结转下年度{fmt(cell_value(d))}={fmt(rsum)}")
    return flag(ctx, f"identity.{ident.id}", "error", message, [x.ref for x in left + right],
                expected=lsum, found=rsum, page=c.page, evidence=_evidence(left + right))


def _check(ctx: Context, ident: Identity) -> Iterator[FlagRecord]:
    if not _variant_applies(ctx, ident):
        return
    # the identity's own keys are not lines it runs along
    own = {ident.total, *ident.parts, *ident.left, *ident.right}
    lines = [ln for ln in _lines(ctx, ident) if ln not in own]
    if ident.left:
        for line in lines:
            if (result := _check_balance(ctx, ident, line)) is not None:
                yield result
        return
    # each line's cells are looked up once, for its own test and for the blank totals across lines
    read = [(_get(ctx, ident, line, ident.total), _side(ctx, ident, line, ident.parts)) for line in lines]
    for line, (total, parts) in zip(lines, read, strict=True):
        if (result := _check_sum(ctx, ident, line, total, parts)) is not None:
            yield result
    if (gap := _blank_totals(ctx, ident, read)) is not None:
        yield gap


# real cases, for docs/rules.md (an identity without one is documented without an example)
EXAMPLES = {
    "t3_handled_total": "自然人 column: 总计 69 but the outcome rows add to 70",
    "t3_handled_total_2019": "2019/2020 forms, 洪泽 2023",
    "t3_balance": "平潭 2021 with 结转下年度 2: 70+0 ≠ 69+2",
    "t3_row_total": "上海 2019: 总计 column blank on 11 outcome rows (予以公开 258+12+1+1) → one warning",
    "t4_review_total": "洪泽 2023: 行政复议 总计 0 but 10+1 = 11",
    "t4_post_review_suit_total": "洪泽 2023: 复议后起诉 总计 0 but 5",
}
_BLANKS = ("A total left blank or dashed beside non-zero parts is one **warning** per identity and report "
           "(`found` empty: nothing was printed); a written total over parts that are all blank is **info**; "
           "any other difference is an **error**.")


def _explanation(ident: Identity) -> str:
    if ident.left:
        return f"{ident.table}, in each column: 新收 + 上年结转 = 办理总计 + 结转下年度"
    along = "in each column" if ident.axis == "rows" else "in each row"
    return f"{ident.table}, {along}. {_BLANKS}"


def _register(ident: Identity) -> None:
    rule(f"identity.{ident.id}", ident.label, severity="error" if ident.left else "error / warning / info",
         explanation=_explanation(ident), example=EXAMPLES.get(ident.id, ""))(lambda ctx: _check(ctx, ident))


for _ident in IDENTITIES:
    _register(_ident)
