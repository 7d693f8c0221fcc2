"""Write the output CSVs of shared spec/output.md: UTF-8 with BOM, one header row, quoted where needed.

Every file is written to a temporary name and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord, columns

CSV_FILES: dict[str, type] = {
    "documents": DocumentRecord,
    "table_cells": CellRecord,
    "figures": FigureRecord,
    "flags": FlagRecord,
}


def format_value(value: object) -> str:
    """A cell as text: blank for None, true/false for booleans, integral floats without '.0'."""
    kind = type(value)  # text first: most fields are text, and this runs for every field of every row
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_value(float(value))
    return str(value)


class CsvWriter:
    """One output CSV, written to NAME.csv.tmp and renamed to NAME.csv on close."""

    def __init__(self, path: Path, record_type: type) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self._fh = open(self.tmp, "w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._fh)
        self._csv.writerow(columns(record_type))

    def write(self, records: Iterable[object]) -> None:
        # records are flat dataclasses: their __dict__ holds the fields in column order (astuple deep-copies)
        self._csv.writerows([format_value(v) for v in vars(record).values()] for record in records)

    def close(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self._fh.close()
        self.tmp.unlink(missing_ok=True)


@contextmanager
def csv_writers(out: Path):
    """Open the four CSV writers; all are renamed into place together only if the block succeeds."""
    out.mkdir(parents=True, exist_ok=True)
    writers = {name: CsvWriter(out / f"{name}.csv", rtype) for name, rtype in CSV_FILES.items()}
    try:
        yield writers
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    for writer in writers.values():
        writer.close()
