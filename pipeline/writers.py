"""Write the output CSVs of shared spec/output.md: UTF-8 with BOM, one header row, quoted where needed.

Every file is written to a fresh temporary file in the output folder (created exclusively, so never
through a planted link) and renamed into place, so a reader never sees half a file. Text cells that a
spreadsheet would run as formulas are neutralised (pipeline.csvsafe).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.csvsafe import neutralise
from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord, columns

CSV_FILES: dict[str, type] = {
    "documents": DocumentRecord,
    "table_cells": CellRecord,
    "figures": FigureRecord,
    "flags": FlagRecord,
}
WIDE_FILE = "reports_wide.csv"  # one row per report (pipeline.wide), named here so reading it needs no pandas


def format_value(value: object) -> str:
    """A cell as text: blank for None, true/false for booleans, integral floats without '.0', and text
    that could start a spreadsheet formula neutralised."""
    kind = type(value)  # text first: most fields are text, and this runs for every field of every row
    if isinstance(value, str):  # type(value) is str: the fast path, narrowed for the type checker
        return neutralise(value) if value[:1] in _TRIGGERS else value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, float) and kind is float:
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_value(float(value))
    if isinstance(value, str):
        return format_value(str(value))
    return str(value)


_TRIGGERS = frozenset("=+-@\t\r'")


def open_temp(path: Path, binary: bool = False, encoding: str = "utf-8-sig") -> tuple[IO, Path]:
    """A new temporary file beside PATH, open for writing (O_EXCL: never an existing file or a planted
    link), for a writer that renames it onto PATH when done."""
    fd, name = _mkstemp(path)
    if binary:
        return os.fdopen(fd, "wb"), Path(name)
    return os.fdopen(fd, "w", encoding=encoding, newline=""), Path(name)


def _mkstemp(path: Path) -> tuple[int, str]:
    """mkstemp beside PATH, with the permissions a plain open() would give (mkstemp makes them 0600)."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)
    return fd, name


class CsvWriter:
    """One output CSV, written to a fresh temporary file and renamed to NAME.csv on close."""

    def __init__(self, path: Path, record_type: type) -> None:
        self.path = path
        self._fh, self.tmp = open_temp(path)
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
