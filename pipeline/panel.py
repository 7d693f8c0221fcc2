"""panel.csv: one row per issuer_key × year — the report (report_id) and harmonized measures (schemas.panel).

Built from reports_wide.csv, which already holds one row per report read from its best source. A measure
is read from the cells its form names (summed where several, blanks skipped; empty when the form does
not measure it or the report printed none of them). A report without an issuer_key (a name that does not
pin down one body) has a row of its own, issuer_key empty. Where one issuer has two reports in a year
(a 政务公开 report beside the 政府信息公开 one, pipeline.issuers), the row is the 条例 report's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.csvsafe import dict_rows
from pipeline.loader import INTEGER, NUMBER, STRING, WIDE_FILE, record_kinds
from pipeline.wide import FILES_COLUMN, _write_rows, cell_columns
from schemas.panel import MEASURES, Measure
from schemas.records import DocumentRecord
from schemas.template import Form

PANEL_FILE = "panel.csv"
# the report's columns, then one column per measure
REPORT_COLUMNS = ("issuer_key", "year", "report_id", "issuer", "title", "admin_level", "region_code", "province",
                  "prefecture", "county", "township", "template", "status", "doc_id", "source", FILES_COLUMN)


def panel_kinds() -> dict[str, str]:
    """Column -> kind of panel.csv."""
    documents = record_kinds(DocumentRecord)
    kinds = {name: documents.get(name, STRING) for name in REPORT_COLUMNS}
    kinds[FILES_COLUMN] = INTEGER
    cell_kinds = {c.name: c.kind for c in cell_columns()}
    for measure in MEASURES:
        refs = [ref for refs in measure.sources.values() for ref in refs]
        kinds[measure.name] = NUMBER if any(cell_kinds.get(r) == NUMBER for r in refs) else INTEGER
    return kinds


def measure_value(measure: Measure, form: str, values: dict[str, str]) -> str:
    """The measure for a report of FORM from its wide-table values (text as printed), '' where none."""
    try:
        refs = measure.sources.get(Form(form), ())
    except ValueError:
        return ""
    numbers = [float(values[r]) for r in refs if values.get(r, "") != ""]
    if not numbers:
        return ""
    total = float(sum(numbers))
    return str(int(total)) if total.is_integer() else repr(total)


def build_panel(out: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the panel, from OUT/reports_wide.csv."""
    path = out / WIDE_FILE
    if not path.exists():
        return panel_rows(())
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return panel_rows(dict_rows(fh))


def panel_rows(reports: Iterable[dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the panel from the wide table's rows (as dicts of text)."""
    header = [*REPORT_COLUMNS, *(m.name for m in MEASURES)]
    chosen: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for report in reports:
        row = [report.get(c, "") for c in REPORT_COLUMNS]
        row += [measure_value(m, report.get("template", ""), report) for m in MEASURES]
        key = (report.get("issuer_key", ""), report.get("year", ""))
        if not key[0] or not key[1]:
            key = ("\uffff" + report.get("report_id", report.get("doc_id", "")), key[1])
        rank = 0 if "信息公开" in report.get("title", "") else 1  # the 条例 report before another kind
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, row)

    def order(key: tuple[str, str]) -> tuple[str, int]:
        return key[0], int(key[1]) if key[1].isdigit() else 0
    return header, [chosen[k][1] for k in sorted(chosen, key=order)]


def write_panel(out: Path) -> Path:
    """Write OUT/panel.csv (UTF-8 with BOM, formula-like text neutralised), atomically; returns its path."""
    path = out / PANEL_FILE
    header, rows = build_panel(out)
    tmp = _write_rows(path, header, iter(rows))
    os.replace(tmp, path)
    return path


__all__ = ["PANEL_FILE", "build_panel", "panel_rows", "measure_value", "panel_kinds", "write_panel"]
