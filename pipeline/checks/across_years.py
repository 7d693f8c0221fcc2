"""Across years, on the panel: one issuer's consecutive reports must chain.

Each report counts once (its best source, pipeline.reports), whatever files carry it, and reports are
matched by issuer_key (pipeline.issuers), so name forms and formats do not split an issuer. National
forms: this year's 表三 上年结转 must equal last year's 结转下年度继续办理 (the old table's 历年累计 chain runs on
the same report pairs: pipeline/checks/legacy_across_years.py). One flag per report pair, naming both
reports by issuer and year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from pipeline.checks.engine import batch_rule, cell_value, content_hash, fmt, num, stable_flag_id
from pipeline.issuers import issuer_key
from pipeline.reports import group_reports, record_row
from schemas.legacy import CUMULATIVE, LEGACY_SPEC
from schemas.records import CellRecord, DocumentRecord, FlagRecord, Severity
from schemas.template import T3, T3_CARRIED_FORWARD, T3_CARRIED_OVER, T3_SPEC, bare

RULE = "across_years.carry_over"
_FORWARD = bare(T3_SPEC.row(T3_CARRIED_FORWARD).label)  # 结转下年度继续办理
_SHOWN = 4
_CUMULATIVE = LEGACY_SPEC.col(CUMULATIVE).label  # 历年累计


def _needed(cell: CellRecord) -> bool:
    return cell.table == T3 and cell.row_key in (T3_CARRIED_OVER, T3_CARRIED_FORWARD)


def _row(cells: list[CellRecord], table: str, row: str) -> dict[str, CellRecord]:
    return {c.col_key: c for c in cells if c.table == table and c.row_key == row}


def name(doc: DocumentRecord) -> str:
    return f"{doc.issuer or doc.issuer_key} {doc.year}年报告"


Pair = tuple[tuple[DocumentRecord, list[CellRecord]], tuple[DocumentRecord, list[CellRecord]]]


def pairs(results: list[tuple[DocumentRecord, list[CellRecord]]]) -> Iterator[Pair]:
    """(last year's report, this year's) for each issuer_key, each report read from its best source."""
    reports = group_reports(results, lambda item: record_row(item[0]))
    by_issuer: dict[str, dict[int, tuple[DocumentRecord, list[CellRecord]]]] = defaultdict(dict)
    for files in reports.values():
        doc = files[0][0]
        # a record made before issuer keys (an older checkpoint, a hand-made record) is keyed by its name
        key = doc.issuer_key or (issuer_key(doc.issuer) if not doc.report_id else "")
        if doc.year is None or not key:
            continue
        by_issuer[key].setdefault(doc.year, files[0])
    for years in by_issuer.values():
        for year in sorted(years):
            if year - 1 in years:
                yield years[year - 1], years[year]


def _flag(rule: str, severity: Severity, prev: DocumentRecord, doc: DocumentRecord,
          differ: list[tuple[CellRecord, float, float, str]], what: str, evidence: str) -> FlagRecord:
    refs = [c.ref for c, _, _, _ in differ]
    shown = "；".join(text for _, _, _, text in differ[:_SHOWN]) + (f" 等{len(differ)}项" if len(differ) > _SHOWN else "")
    first, expected, found, _ = differ[0]
    return FlagRecord(
        flag_id=stable_flag_id(content_hash(doc), rule, refs, content_hash(prev)), doc_id=doc.doc_id, rule=rule,
        severity=severity, message=f"{name(doc)}与{name(prev)}{what}：{shown}",
        refs=" ".join(refs), expected=num(expected), found=num(found), page=first.page, evidence=evidence)


def _carry_over(prev: DocumentRecord, prev_cells: list[CellRecord], doc: DocumentRecord,
                cells: list[CellRecord]) -> FlagRecord | None:
    forward = _row(prev_cells, T3, T3_CARRIED_FORWARD)
    differ = []
    for col, this in _row(cells, T3, T3_CARRIED_OVER).items():
        last = forward.get(col)
        a, b = (cell_value(last), cell_value(this)) if last is not None else (None, None)
        if a is None or b is None or a == b:
            continue
        differ.append((this, a, b, f"{this.col_label or col} 上年结转{fmt(b)}，上年“{_FORWARD}”{fmt(a)}"))
    if not differ:
        return None
    evidence = "; ".join(f"{prev.source} {T3}.{T3_CARRIED_FORWARD}.{c.col_key}={forward[c.col_key].raw}, "
                         f"{doc.source} {c.ref}={c.raw}" for c, _, _, _ in differ[:_SHOWN])
    return _flag(RULE, Severity.WARNING, prev, doc, differ, "不衔接（表三“上年结转”应等于上年“结转下年度”）",
                 evidence)


@batch_rule(RULE, f"同一机关相邻两年：本年“上年结转”应等于上年报告“{_FORWARD}”", _needed,
            explanation="reports (each once, read from its best source) of one issuer_key in consecutive years: "
                        "this year's 表三 上年结转 = last year's 结转下年度继续办理, column by column; one flag per "
                        "report pair listing the columns that differ. The flag belongs to the later report; its "
                        "id also hashes the earlier report's sha256.",
            example="2021 上年结转 0 vs 2020 结转下年度 2")
def check_across_years(results: list[tuple[DocumentRecord, list[CellRecord]]]) -> Iterator[FlagRecord]:
    """Compare consecutive reports of one issuer; flags belong to the later report."""
    for (prev, prev_cells), (doc, cells) in pairs(results):
        found = _carry_over(prev, prev_cells, doc, cells)
        if found is not None:
            yield found
