"""Across years: this year's 上年结转 must equal last year's 结转下年度 for the same issuer."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from pipeline.checks.engine import batch_rule, cell_value, content_hash, fmt, num, stable_flag_id
from schemas.records import CellRecord, DocumentRecord, FlagRecord, Severity
from schemas.template import T3, T3_CARRIED_FORWARD, T3_CARRIED_OVER, T3_SPEC, bare

RULE = "across_years.carry_over"
_FORWARD = bare(T3_SPEC.row(T3_CARRIED_FORWARD).label)  # 结转下年度继续办理
_SPACE = re.compile(r"\s+")


def issuer_key(document: DocumentRecord) -> str:
    """The issuer a report belongs to, compared without spaces."""
    return _SPACE.sub("", document.issuer or "")


def _needed(cell: CellRecord) -> bool:
    return cell.table == T3 and cell.row_key in (T3_CARRIED_OVER, T3_CARRIED_FORWARD)


def _row(cells: list[CellRecord], row: str) -> dict[str, CellRecord]:
    return {c.col_key: c for c in cells if c.table == T3 and c.row_key == row}


def _pair_flags(prev: DocumentRecord, prev_cells: list[CellRecord], doc: DocumentRecord,
                cells: list[CellRecord]) -> Iterator[FlagRecord]:
    forward = _row(prev_cells, T3_CARRIED_FORWARD)
    for col, this in _row(cells, T3_CARRIED_OVER).items():
        last = forward.get(col)
        if last is None:
            continue
        a, b = cell_value(last), cell_value(this)
        if a is None or b is None or a == b:
            continue
        label = this.col_label or col
        # the earlier report's bytes tell this finding apart from one against another earlier report
        flag_id = stable_flag_id(content_hash(doc), RULE, [this.ref, last.ref], content_hash(prev))
        yield FlagRecord(
            flag_id=flag_id, doc_id=doc.doc_id, rule=RULE, severity=Severity.WARNING,
            message=(f"{doc.year}年报告表三“上年结转”（{label}）为{fmt(b)}，而{prev.year}年报告"
                     f"“{_FORWARD}”（{label}）为{fmt(a)}（{prev.doc_id}）"),
            refs=this.ref, expected=num(a), found=num(b), page=this.page,
            evidence=f"{prev.source} {last.ref}={last.raw}; {doc.source} {this.ref}={this.raw}")


@batch_rule(RULE, f"同一机关相邻两年：本年“上年结转”应等于上年报告“{_FORWARD}”", _needed,
            explanation="same issuer (compared without spaces), consecutive years, duplicates left out: "
                        "this year's 表三 上年结转 = last year's 结转下年度继续办理, column by column. "
                        "The flag belongs to the later report; its id also hashes the earlier report's sha256.",
            example="2021 上年结转 0 vs 2020 结转下年度 2")
def check_across_years(results: list[tuple[DocumentRecord, list[CellRecord]]]) -> Iterator[FlagRecord]:
    """Compare consecutive reports of the same issuer; flags belong to the later report."""
    by_issuer: dict[str, dict[int, tuple[DocumentRecord, list[CellRecord]]]] = defaultdict(dict)
    for doc, cells in results:
        if doc.year is None or not issuer_key(doc) or doc.duplicate_of:
            continue
        by_issuer[issuer_key(doc)].setdefault(doc.year, (doc, cells))
    for years in by_issuer.values():
        for year in sorted(years):
            if year - 1 in years:
                (prev, prev_cells), (doc, cells) = years[year - 1], years[year]
                yield from _pair_flags(prev, prev_cells, doc, cells)
