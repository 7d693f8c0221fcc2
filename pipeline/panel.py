"""panel.csv: one row per issuer_key × year — the report (report_id) and harmonized measures (schemas.panel).

Built from reports_wide.csv, which already holds one row per report read from its best source. A measure
is read from the cells its form names (summed where several, blanks skipped; empty when the form does
not measure it or the report printed none of them). A measure with prose phrases (schemas.panel:
`proactive_items`) is read, for a form without cells for it, from the best source's narrative figures
(figures.csv, pipeline.panel_prose), and its `<name>_source` column says `table` or `prose`. A report without an issuer_key (a name that does not
pin down one body) has a row of its own, issuer_key empty. Where one issuer has two reports in a year
(a 政务公开 report beside the 政府信息公开 one, pipeline.issuers), the row is the 条例 report's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipeline.csvsafe import dict_rows
from pipeline.loader import INTEGER, NUMBER, STRING, WIDE_FILE, record_kinds
from pipeline.wide import FILES_COLUMN, _write_rows, cell_columns
from schemas.panel import MEASURES, Measure, ValueSource
from schemas.records import DocumentRecord
from schemas.template import Form

PANEL_FILE = "panel.csv"
# the report's columns, then one column per measure
REPORT_COLUMNS = ("issuer_key", "year", "report_id", "issuer", "title", "admin_level", "region_code", "province",
                  "prefecture", "county", "township", "template", "status", "doc_id", "source", FILES_COLUMN)


def measure_columns() -> list[str]:
    """The measures' columns, each followed by its source column where it has one."""
    return [c for m in MEASURES for c in (m.name, m.source_column) if c]


def panel_kinds() -> dict[str, str]:
    """Column -> kind of panel.csv."""
    documents = record_kinds(DocumentRecord)
    kinds = {name: documents.get(name, STRING) for name in REPORT_COLUMNS}
    kinds[FILES_COLUMN] = INTEGER
    cell_kinds = {c.name: c.kind for c in cell_columns()}
    for measure in MEASURES:
        refs = [ref for refs in measure.sources.values() for ref in refs]
        kinds[measure.name] = NUMBER if any(cell_kinds.get(r) == NUMBER for r in refs) else INTEGER
        if measure.source_column:
            kinds[measure.source_column] = STRING
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
    return _text(float(sum(numbers)))


def _text(total: float) -> str:
    return str(int(total)) if total.is_integer() else repr(total)


# prose values of a report: doc_id of its best source -> measure name -> the value the narrative states
ProseValues = Mapping[str, Mapping[str, float]]


def measure_cells(measure: Measure, report: Mapping[str, str], prose: ProseValues) -> list[str]:
    """The measure's column(s) for one report: its value, then where it came from (table / prose)."""
    form = report.get("template", "")
    value = measure_value(measure, form, dict(report))
    if not measure.source_column:
        return [value]
    if value != "":
        return [value, ValueSource.TABLE.value]
    stated = prose.get(report.get("doc_id", ""), {}).get(measure.name)
    if stated is None or _form_measures(measure, form):
        return ["", ""]
    return [_text(stated), ValueSource.PROSE.value]


def _form_measures(measure: Measure, form: str) -> bool:
    """The form has cells for the measure (then a blank is blank, not a gap for the prose to fill)."""
    try:
        return Form(form) in measure.sources
    except ValueError:
        return False


def read_prose(out: Path, reports: list[dict[str, str]]) -> dict[str, dict[str, float]]:
    """The prose values of the reports' best sources, for the measures the form has no cells for."""
    from pipeline.panel_prose import prose_value, read_figures

    wanted = {r.get("doc_id", "") for r in reports if any(m.prose and not _form_measures(m, r.get("template", ""))
                                                         for m in MEASURES)}
    figures = read_figures(out, wanted - {""})
    found: dict[str, dict[str, float]] = {}
    for report in reports:
        doc_id, year = report.get("doc_id", ""), report.get("year", "")
        for measure in MEASURES:
            if measure.prose and doc_id in figures and not _form_measures(measure, report.get("template", "")):
                stated = prose_value(figures[doc_id], measure.prose, int(year) if year.isdigit() else None)
                if stated is not None:
                    found.setdefault(doc_id, {})[measure.name] = stated.value
    return found


def build_panel(out: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the panel, from OUT/reports_wide.csv."""
    path = out / WIDE_FILE
    if not path.exists():
        return panel_rows(())
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reports = [{k: v for k, v in r.items() if k in _WANTED or k.startswith(_CELL_PREFIXES)}
                   for r in dict_rows(fh)]
    return panel_rows(reports, read_prose(out, reports))


_WANTED = set(REPORT_COLUMNS)
_CELL_PREFIXES = tuple({ref.split(".")[0] + "." for m in MEASURES for refs in m.sources.values() for ref in refs})


def panel_rows(reports: Iterable[dict[str, str]], prose: ProseValues | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the panel from the wide table's rows (as dicts of text), with the prose values
    of the reports' best sources (read_prose) where the form has no cells for a measure."""
    header = [*REPORT_COLUMNS, *measure_columns()]
    chosen: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for report in reports:
        row = [report.get(c, "") for c in REPORT_COLUMNS]
        row += [cell for m in MEASURES for cell in measure_cells(m, report, prose or {})]
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


__all__ = ["PANEL_FILE", "build_panel", "measure_cells", "measure_columns", "measure_value", "panel_kinds",
           "panel_rows", "read_prose", "write_panel"]
