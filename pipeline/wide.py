"""reports_wide.csv: one row per report — its metadata (region included), every template cell as a column, flag counts.

A report is a report_id, however many files carry it (a portal's page and its attachment): its row is
its best source's (pipeline.reports), `files` says how many files it has; documents.csv keeps every
file's row for provenance.

Cell columns are named `table.row_key.col_key` in template order (2021 and 2019 keys, union), then the
pre-2019 statistics table's (schemas/legacy.py: every row key, `year` and `cumulative`); a cell the
report does not have, or printed blank, is empty. An old table's row that matches no key (other_<n>, n
its position in that report's table) is a position, not a measure comparable across reports: it stays
in table_cells.csv and has no column here. Duplicate files (same bytes) are not repeated.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.csvsafe import dict_rows, neutralise, restore_arrow
from pipeline.loader import INTEGER, NUMBER, STREAM_BLOCK, WIDE_FILE, record_kinds
from pipeline.reports import best_sources, report_of
from pipeline.writers import open_temp
from schemas.legacy import LEGACY, LEGACY_ROWS, LEGACY_SPEC, legacy_row
from schemas.records import SEVERITIES, DocumentRecord, columns
from schemas.template import (
    DECIMAL,
    T2_2019,
    T2_2021,
    T3_SPEC,
    T4_SPEC,
    TABLE_KEYS,
    TableSpec,
    all_keys,
    col_kinds,
)

FLAG_COLUMNS = tuple(f"flags_{s}" for s in ("error", "warning", "info"))
FILES_COLUMN = "files"  # files of the report (its best source's row is the wide table's)
# every table table_cells.csv may name: the national template's, then the pre-2019 statistics table
CELL_TABLES = (*TABLE_KEYS, LEGACY)
_KINDS = col_kinds()
assert set(SEVERITIES) == {c.removeprefix("flags_") for c in FLAG_COLUMNS}


@dataclass(frozen=True)
class CellColumn:
    """One template cell as a wide-table column."""

    table: str
    row_key: str
    col_key: str
    row_label: str
    col_label: str
    kind: str = INTEGER  # the loader's kind: INTEGER for counts, NUMBER for amounts
    unit: str = ""  # the unit the form prints for the row (the old table's), empty where the form has none

    @property
    def name(self) -> str:
        return f"{self.table}.{self.row_key}.{self.col_key}"

    @property
    def title(self) -> str:
        unit = f"（{self.unit}）" if self.unit else ""
        return f"{self.row_label}{unit}·{self.col_label}"


def _label(specs: tuple[TableSpec, ...], row_key: str, col_key: str) -> tuple[str, str]:
    for spec in specs:
        if any(r.key == row_key for r in spec.rows) and col_key in spec.cols_of(row_key):
            return spec.row(row_key).label, spec.col(col_key).label
    return row_key, col_key


def _kind(kind: str) -> str:
    return NUMBER if kind == DECIMAL else INTEGER


def cell_columns() -> list[CellColumn]:
    """Every canonical cell of both template versions, in template order, then every keyed cell of the
    pre-2019 statistics table (typed by its row: amounts in 元/万元 are decimals). The old table's
    other_<n> rows have no column: they are positions in one report's table, not shared measures."""
    specs = (T2_2021, T2_2019, T3_SPEC, T4_SPEC)
    result = []
    for table, rows in all_keys().items():
        table_specs = tuple(s for s in specs if s.key == table)
        for row_key, col_keys in rows.items():
            for col_key in col_keys:
                result.append(CellColumn(table, row_key, col_key, *_label(table_specs, row_key, col_key),
                                         kind=_kind(_KINDS.get((table, col_key), ""))))
    shared = {label for label, n in Counter(r.label for r in LEGACY_ROWS).items() if n > 1}
    for row in LEGACY_ROWS:
        parent = legacy_row(row.parent)
        # a label two rows print (被依法纠错数 under 行政复议数 and under 行政诉讼数) is titled with its total's
        label = f"{parent.label}·{row.label}" if row.label in shared and parent else row.label
        for col_key in LEGACY_SPEC.cols_of(row.key):
            result.append(CellColumn(LEGACY, row.key, col_key, label, LEGACY_SPEC.col(col_key).label,
                                     kind=_kind(row.kind), unit=row.unit))
    return result


def wide_kinds() -> dict[str, str]:
    """Column -> kind of the wide table (for the loader, Parquet and the data package)."""
    kinds = record_kinds(DocumentRecord)
    kinds.update({c.name: c.kind for c in cell_columns()})
    kinds[FILES_COLUMN] = INTEGER
    kinds.update(dict.fromkeys(FLAG_COLUMNS, INTEGER))
    return kinds


def _documents(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The header of documents.csv and its rows, one at a time."""
    if not path.exists():
        return [], iter(())
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])

    def rows() -> Iterator[dict[str, str]]:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            yield from dict_rows(fh)  # text restored: the wide table neutralises it again as it writes
    return header, rows()


def _cell_triples(path: Path) -> Iterator[tuple[str, str, str]]:
    """(doc_id, table.row_key.col_key, value as printed) for each row of table_cells.csv, read a few MB
    at a time by Arrow (by the csv module when some of those columns are missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    names = ["doc_id", "table", "row_key", "col_key", "value"]
    try:
        reader = pa_csv.open_csv(path, read_options=pa_csv.ReadOptions(block_size=STREAM_BLOCK),
                                 convert_options=pa_csv.ConvertOptions(
                                     include_columns=names, column_types=dict.fromkeys(names, pa.string()),
                                     strings_can_be_null=False))
    except (pa.ArrowInvalid, KeyError):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for cell in dict_rows(fh):
                yield (cell.get("doc_id", ""), ".".join(cell.get(k, "") for k in names[1:4]), cell.get("value", ""))
        return
    for batch in reader:
        refs = pc.binary_join_element_wise(batch["table"], batch["row_key"], batch["col_key"], ".")
        values = restore_arrow(batch["value"])
        yield from zip(batch["doc_id"].to_pylist(), refs.to_pylist(), values.to_pylist(), strict=True)


def _cell_runs(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(doc_id, {table.row_key.col_key: value as printed}) for each run of one document's rows in
    table_cells.csv; the first value of a repeated cell wins."""
    if not path.exists():
        return
    current: str | None = None
    values: dict[str, str] = {}
    for doc_id, ref, value in _cell_triples(path):
        if doc_id != current:
            if current is not None:
                yield current, values
            current, values = doc_id, {}
        values.setdefault(ref, value)
    if current is not None:
        yield current, values


class _CellsInOrder:
    """Each document's cells, taken as documents.csv lists the documents: the pipeline writes both files in
    input order, so one pass over each is enough and no more than one document's cells is held."""

    def __init__(self, path: Path) -> None:
        self._runs = _cell_runs(path)
        self._next = next(self._runs, None)

    def take(self, doc_id: str) -> dict[str, str]:
        if self._next is None or self._next[0] != doc_id:
            return {}
        values = self._next[1]
        self._next = next(self._runs, None)
        return values

    def complete(self) -> bool:
        """True when every document's cells were taken (False: the files' orders differ)."""
        return self._next is None


class _CellsByDocument:
    """Every document's cells in memory: for CSVs not written in the same order (edited by hand, say)."""

    def __init__(self, path: Path) -> None:
        self._cells: dict[str, dict[str, str]] = {}
        for doc_id, values in _cell_runs(path):
            merged = self._cells.setdefault(doc_id, {})
            for ref, value in values.items():
                merged.setdefault(ref, value)

    def take(self, doc_id: str) -> dict[str, str]:
        return self._cells.get(doc_id, {})

    def complete(self) -> bool:
        return True


def _flag_counts(path: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    if path.exists():
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for flag in dict_rows(fh):
                counts.setdefault(flag.get("doc_id", ""), Counter())[flag.get("severity", "")] += 1
    return counts


def _wide(out: Path, cells: _CellsInOrder | _CellsByDocument) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows (one at a time) of the wide table, the cells taken from CELLS."""
    doc_header, documents = _documents(out / "documents.csv")
    doc_header = doc_header or columns(DocumentRecord)
    best = best_sources(_documents(out / "documents.csv")[1])  # report_id -> (best doc_id, files)
    flag_counts = _flag_counts(out / "flags.csv")
    cols = cell_columns()
    header = doc_header + [FILES_COLUMN] + [c.name for c in cols] + list(FLAG_COLUMNS)

    def rows() -> Iterator[list[str]]:
        for doc in documents:
            if doc.get("duplicate_of"):
                continue
            doc_id = doc.get("doc_id", "")
            chosen, files = best.get(report_of(doc), (doc_id, 1))
            if doc_id != chosen:  # another file of a report whose row is its best source's
                if doc_id:
                    cells.take(doc_id)  # passed over in order: the cells of the next document follow
                continue
            values = cells.take(doc_id) if doc_id else {}
            counts = flag_counts.get(doc_id, Counter()) if doc_id else Counter()
            yield ([doc.get(name, "") for name in doc_header] + [str(files)]
                   + [values.get(c.name, "") for c in cols]
                   + [str(counts[c.removeprefix("flags_")]) for c in FLAG_COLUMNS])
    return header, rows()


def build_wide(out: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the wide table, from the CSVs in OUT (values as the CSVs print them)."""
    cells = _CellsInOrder(out / "table_cells.csv")
    header, stream = _wide(out, cells)
    rows = list(stream)
    if not cells.complete():  # the two CSVs list documents in different orders
        header, stream = _wide(out, _CellsByDocument(out / "table_cells.csv"))
        rows = list(stream)
    return header, rows


def _write_rows(path: Path, header: list[str], rows: Iterator[list[str]]) -> Path:
    """Write a new temporary file beside PATH (O_EXCL), formula-like text neutralised; returns its name."""
    fh, tmp = open_temp(path)
    with fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([neutralise(v) for v in row] for row in rows)
    return tmp


def write_wide(out: Path) -> Path:
    """Write OUT/reports_wide.csv (UTF-8 with BOM), atomically, a row at a time; returns its path."""
    path = out / WIDE_FILE
    cells = _CellsInOrder(out / "table_cells.csv")
    tmp = _write_rows(path, *_wide(out, cells))
    if not cells.complete():  # the two CSVs list documents in different orders: hold the cells, write again
        tmp.unlink()
        tmp = _write_rows(path, *_wide(out, _CellsByDocument(out / "table_cells.csv")))
    os.replace(tmp, path)
    return path
