"""Across years, old statistics table: this year's 历年累计 should be last year's plus this year's value
(cumulative(Y) = cumulative(Y−1) + year(Y)) for the same issuer. Evidence only: archives restart their
series, so a break is info and never a pass/fail check (shared spec/template-legacy.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.across_years import name as report_name
from pipeline.checks.across_years import pairs as report_pairs
from pipeline.checks.engine import batch_rule, content_hash, fmt, num, stable_flag_id
from pipeline.checks.legacy_identities import col_label, row_label
from schemas.legacy import CUMULATIVE, LEGACY, LEGACY_COLS, LEGACY_SPEC, YEAR
from schemas.records import CellRecord, DocumentRecord, FlagRecord, Severity

RULE = "legacy.cumulative_chain"
_CUMULATIVE = next(c.label for c in LEGACY_COLS if c.key == CUMULATIVE)  # 历年累计
_YEAR_COL = next(c.label for c in LEGACY_COLS if c.key == YEAR)  # 本年度
_TABLE = LEGACY_SPEC.label


def _needed(cell: CellRecord) -> bool:
    return cell.table == LEGACY and cell.col_key in (YEAR, CUMULATIVE)


def _values(cells: list[CellRecord]) -> dict[tuple[str, str], CellRecord]:
    """(row, col) -> the cell, numbers only: a blank cell is nothing printed to chain."""
    return {(c.row_key, c.col_key): c for c in cells if _needed(c) and c.value is not None}


@dataclass(frozen=True)
class Break:
    """A row whose running total does not continue last year's."""

    last: CellRecord  # last year's cumulative
    year: CellRecord  # this year's value
    this: CellRecord  # this year's cumulative

    @property
    def expected(self) -> float:
        return float(self.last.value or 0) + float(self.year.value or 0)

    @property
    def restarted(self) -> bool:
        """The series begins again this year: its running total is this year's value alone."""
        return self.this.value == self.year.value and float(self.last.value or 0) > 0


def breaks(prev_cells: list[CellRecord], cells: list[CellRecord]) -> list[Break]:
    """The rows printed with numbers in both reports whose chain does not hold, in this year's row order."""
    last, now = _values(prev_cells), _values(cells)
    out = []
    for (row, col), this in now.items():
        before, year = last.get((row, CUMULATIVE)), now.get((row, YEAR))
        if col != CUMULATIVE or before is None or year is None:
            continue
        found = Break(before, year, this)
        if abs(float(this.value or 0) - found.expected) > 1e-6:
            out.append(found)
    return out


def _pair_flag(prev: DocumentRecord, doc: DocumentRecord, found: list[Break]) -> FlagRecord:
    stated = "；".join(
        f"“{row_label(b.this)}”{prev.year}年{col_label(b.last)}{fmt(b.last.value)}+{doc.year}年"
        f"{col_label(b.year)}{fmt(b.year.value)}={fmt(b.expected)}，而{doc.year}年报告为{fmt(b.this.value)}"
        + ("（似从本年重新起算）" if b.restarted else "")
        for b in found)
    message = (f"{report_name(doc)}{_TABLE}“{_CUMULATIVE}”未接续{report_name(prev)}：{stated}。"
               f"档案或统计口径常有重新起算，仅作参考，可用于核对连写数字的拆分")
    refs = [b.this.ref for b in found]
    one = found[0] if len(found) == 1 else None
    # the earlier report's bytes tell this finding apart from one against another earlier report
    return FlagRecord(
        flag_id=stable_flag_id(content_hash(doc), RULE, refs, content_hash(prev)), doc_id=doc.doc_id, rule=RULE,
        severity=Severity.INFO, message=message, refs=" ".join(refs),
        expected=num(one.expected) if one else None, found=num(float(one.this.value or 0)) if one else None,
        page=found[0].this.page,
        evidence="; ".join(f"{prev.source} {b.last.ref}={b.last.raw}; {doc.source} {b.year.ref}={b.year.raw}, "
                           f"{b.this.ref}={b.this.raw}" for b in found))


@batch_rule(RULE, f"同一机关相邻两年：本年“{_CUMULATIVE}”宜等于上年“{_CUMULATIVE}”加{_YEAR_COL}数（仅作参考）", _needed,
            severity="info",
            explanation="old reports (the pre-2019 statistics table): the same issuer_key in consecutive years, each "
                        "report once (its best source); for every row printed with numbers in both reports: "
                        "cumulative(Y) = cumulative(Y−1) + year(Y). A break is **info** only: archives restart their "
                        "series (the message says when this year's cumulative equals this year's value). One flag "
                        "per pair of reports, listing every row; it belongs to the later report and its id also "
                        "hashes the earlier report's sha256.",
            example="平潭综合实验区 2013→2014 主动公开 76424 + 2543 = 78967 holds; the zone series restarts in 2017 "
                    "(85376 → 10037) → info")
def check_cumulative_chain(results: list[tuple[DocumentRecord, list[CellRecord]]]) -> Iterator[FlagRecord]:
    """Consecutive reports of one issuer (each once, from its best source; pipeline/checks/across_years.py)."""
    for (prev, prev_cells), (doc, cells) in report_pairs(results):
        found = breaks(prev_cells, cells)
        if found:
            yield _pair_flag(prev, doc, found)
