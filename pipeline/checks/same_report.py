"""Files of one report: where two files of one report_id read a cell differently, the auditor sees both.

A portal's page and its attachment are one report; their readings should agree cell by cell. The report's
best source (pipeline.reports) is compared with each of its other files; cells one file lacks are not a
disagreement (a flattened reading that left a row out is already `partial`), two values that differ are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pipeline.checks.engine import batch_rule, cell_value, content_hash, fmt, num, stable_flag_id
from pipeline.reports import group_reports, record_row
from schemas.records import CellRecord, DocumentRecord, FlagRecord, Severity

RULE = "same_report.files_disagree"
SHOWN = 6  # cells named in the message; refs list every one


def _values(cells: list[CellRecord]) -> dict[str, CellRecord]:
    found: dict[str, CellRecord] = {}
    for cell in cells:
        found.setdefault(cell.ref, cell)
    return found


def _pair(best: DocumentRecord, best_cells: dict[str, CellRecord], other: DocumentRecord,
          other_cells: dict[str, CellRecord]) -> FlagRecord | None:
    differ = []
    for ref, cell in best_cells.items():
        twin = other_cells.get(ref)
        if twin is None:
            continue
        a, b = cell_value(cell), cell_value(twin)
        if a is not None and b is not None and a != b:
            differ.append((ref, cell, twin, a, b))
    if not differ:
        return None
    shown = "；".join(f"{ref} {fmt(a)} / {fmt(b)}" for ref, _, _, a, b in differ[:SHOWN])
    more = f" 等{len(differ)}格" if len(differ) > SHOWN else ""
    ref0, cell0, twin0, a0, b0 = differ[0]
    refs = [d[0] for d in differ]
    return FlagRecord(
        flag_id=stable_flag_id(content_hash(other), RULE, refs, content_hash(best)),
        doc_id=other.doc_id, rule=RULE, severity=Severity.INFO,
        message=(f"同一报告（{best.issuer} {best.year}年）的两个文件读数不同：{shown}{more}"
                 f"（前者{best.source}，后者{other.source}）"),
        refs=" ".join(refs), expected=num(a0), found=num(b0), page=twin0.page,
        evidence=f"{best.source} {ref0}={cell0.raw}; {other.source} {ref0}={twin0.raw}")


@batch_rule(RULE, "同一报告的不同文件（网页与附件、不同格式）逐格读数应一致", lambda cell: False,
            severity="info", whole_cells=True,
            explanation="files with one report_id (one issuer and year, pipeline.issuers): each file is compared "
                        "with the report's best source (pipeline.reports) cell by cell; a cell both read with "
                        "different numbers is listed with both values and both files (info: one reading is "
                        "wrong, the auditor decides which). Cells only one file has are not compared. The flag "
                        "belongs to the other file; its id hashes both files' bytes.",
            example="2019 page 表三 new_received.total 23 / attachment 28")
def check_same_report(results: list[tuple[DocumentRecord, list[CellRecord]]],
                      load_cells: Callable[[DocumentRecord], list[CellRecord]]) -> Iterator[FlagRecord]:
    """Compare the files of each report with its best source, one report's cells in memory at a time."""
    groups = group_reports((doc for doc, _ in results), record_row)
    for files in groups.values():
        if len(files) < 2:
            continue
        best, others = files[0], files[1:]
        best_cells = _values(load_cells(best))
        for other in others:
            found = _pair(best, best_cells, other, _values(load_cells(other)))
            if found is not None:
                yield found
