"""Across years: this year's 上年结转 must equal last year's 结转下年度 for the same issuer."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.checks.engine import cell_value, fmt, num, number_flags
from schemas.records import CellRecord, DocumentRecord, FlagRecord
from schemas.template import T3

RULE = "across_years.carry_over"
FIRST_NUMBER = 901  # across-year flags are numbered after a document's own flags (r001…r900)
_SPACE = re.compile(r"\s+")


def issuer_key(document: DocumentRecord) -> str:
    """The issuer a report belongs to, compared without spaces."""
    return _SPACE.sub("", document.issuer or "")


def _row(cells: list[CellRecord], row: str) -> dict[str, CellRecord]:
    return {c.col_key: c for c in cells if c.table == T3 and c.row_key == row}


def _pair_flags(prev: DocumentRecord, prev_cells: list[CellRecord], doc: DocumentRecord,
                cells: list[CellRecord]) -> list[FlagRecord]:
    forward = _row(prev_cells, "carried_forward")
    over = _row(cells, "carried_over")
    out = []
    for col, this in over.items():
        last = forward.get(col)
        if last is None:
            continue
        a, b = cell_value(last), cell_value(this)
        if a is None or b is None or a == b:
            continue
        label = this.col_label or col
        out.append(FlagRecord(
            flag_id="", doc_id=doc.doc_id, rule=RULE, severity="warning",
            message=(f"{doc.year}年报告表三“上年结转”（{label}）为{fmt(b)}，而{prev.year}年报告"
                     f"“结转下年度继续办理”（{label}）为{fmt(a)}（{prev.doc_id}）"),
            refs=this.ref, expected=num(a), found=num(b), page=this.page,
            evidence=f"{prev.source} {last.ref}={last.raw}; {doc.source} {this.ref}={this.raw}"))
    return out


def check_across_years(results: list[tuple[DocumentRecord, list[CellRecord]]]) -> list[FlagRecord]:
    """Compare consecutive reports of the same issuer; flags belong to the later report."""
    by_issuer: dict[str, dict[int, tuple[DocumentRecord, list[CellRecord]]]] = defaultdict(dict)
    for doc, cells in results:
        if doc.year is None or not issuer_key(doc) or doc.duplicate_of:
            continue
        by_issuer[issuer_key(doc)].setdefault(doc.year, (doc, cells))
    flags: dict[str, list[FlagRecord]] = defaultdict(list)
    for years in by_issuer.values():
        for year in sorted(years):
            if year - 1 not in years:
                continue
            (prev, prev_cells), (doc, cells) = years[year - 1], years[year]
            flags[doc.doc_id].extend(_pair_flags(prev, prev_cells, doc, cells))
    out: list[FlagRecord] = []
    for doc, _ in results:
        if doc.doc_id in flags:
            out.extend(number_flags(doc.doc_id, flags.pop(doc.doc_id), FIRST_NUMBER))
    return out
