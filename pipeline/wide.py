"""reports_wide.csv: one row per report — its metadata, its region, every template cell as a column, flag counts.

Cell columns are named `table.row_key.col_key` in template order (2021 and 2019 keys, union); a cell the
report does not have, or printed blank, is empty. Duplicate files (same bytes) are not repeated.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.loader import INTEGER, NUMBER, STRING, WIDE_FILE, record_kinds
from pipeline.regions import parse_region
from schemas.records import SEVERITIES, DocumentRecord, columns
from schemas.template import T2_2019, T2_2021, T3_SPEC, T4_SPEC, TableSpec, all_keys

REGION_COLUMNS = ("province", "prefecture", "county", "region_code")
FLAG_COLUMNS = tuple(f"flags_{s}" for s in ("error", "warning", "info"))
MONEY_COLUMNS = ("amount_10k_yuan", "amount_yuan")
assert set(SEVERITIES) == {c.removeprefix("flags_") for c in FLAG_COLUMNS}


@dataclass(frozen=True)
class CellColumn:
    """One template cell as a wide-table column."""

    table: str
    row_key: str
    col_key: str
    row_label: str
    col_label: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.row_key}.{self.col_key}"

    @property
    def title(self) -> str:
        return f"{self.row_label}·{self.col_label}"

    @property
    def kind(self) -> str:
        return NUMBER if self.col_key in MONEY_COLUMNS else INTEGER


def _label(specs: tuple[TableSpec, ...], row_key: str, col_key: str) -> tuple[str, str]:
    for spec in specs:
        if any(r.key == row_key for r in spec.rows) and col_key in spec.cols_of(row_key):
            return spec.row(row_key).label, spec.col(col_key).label
    return row_key, col_key


def cell_columns() -> list[CellColumn]:
    """Every canonical cell of both template versions, in template order."""
    specs = (T2_2021, T2_2019, T3_SPEC, T4_SPEC)
    result = []
    for table, rows in all_keys().items():
        table_specs = tuple(s for s in specs if s.key == table)
        for row_key, col_keys in rows.items():
            for col_key in col_keys:
                result.append(CellColumn(table, row_key, col_key, *_label(table_specs, row_key, col_key)))
    return result


def wide_kinds() -> dict[str, str]:
    """Column -> kind of the wide table (for the loader, Parquet and the data package)."""
    kinds = record_kinds(DocumentRecord)
    kinds.update(dict.fromkeys(REGION_COLUMNS, STRING))
    kinds.update({c.name: c.kind for c in cell_columns()})
    kinds.update(dict.fromkeys(FLAG_COLUMNS, INTEGER))
    return kinds


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.exists():
        return [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def build_wide(out: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the wide table, from the CSVs in OUT (values as the CSVs print them)."""
    doc_header, documents = _read(out / "documents.csv")
    doc_header = doc_header or columns(DocumentRecord)
    cells_by_doc: dict[str, dict[str, str]] = {}
    for cell in _read(out / "table_cells.csv")[1]:
        ref = f"{cell.get('table', '')}.{cell.get('row_key', '')}.{cell.get('col_key', '')}"
        cells_by_doc.setdefault(cell.get("doc_id", ""), {}).setdefault(ref, cell.get("value", ""))
    flag_counts: dict[str, Counter[str]] = {}
    for flag in _read(out / "flags.csv")[1]:
        flag_counts.setdefault(flag.get("doc_id", ""), Counter())[flag.get("severity", "")] += 1
    cols = cell_columns()
    header = doc_header + list(REGION_COLUMNS) + [c.name for c in cols] + list(FLAG_COLUMNS)
    rows = []
    for doc in documents:
        if doc.get("duplicate_of"):
            continue
        doc_id = doc.get("doc_id", "")
        region = parse_region(doc.get("issuer", ""), doc.get("title", ""), doc.get("admin_level", ""))
        cells = cells_by_doc.get(doc_id, {}) if doc_id else {}
        counts = flag_counts.get(doc_id, Counter()) if doc_id else Counter()
        rows.append([doc.get(name, "") for name in doc_header]
                    + [region.province, region.prefecture, region.county, region.code]
                    + [cells.get(c.name, "") for c in cols]
                    + [str(counts[c.removeprefix("flags_")]) for c in FLAG_COLUMNS])
    return header, rows


def write_wide(out: Path) -> Path:
    """Write OUT/reports_wide.csv (UTF-8 with BOM), atomically; returns its path."""
    header, rows = build_wide(out)
    path = out / WIDE_FILE
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)
    return path
