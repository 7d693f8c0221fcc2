"""Load an output folder into typed pandas DataFrames: `load(OUT)` -> documents, cells, figures, flags, wide.

Counts are nullable Int64, values Float64, booleans boolean, text string; an empty CSV field is <NA>
(a blank template cell is missing, never 0).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from pipeline.writers import CSV_FILES

# one of the Frictionless Table Schema types; the pandas dtype of each follows
INTEGER, NUMBER, BOOLEAN, STRING = "integer", "number", "boolean", "string"
DTYPES = {INTEGER: "Int64", NUMBER: "Float64", BOOLEAN: "boolean", STRING: "string"}
WIDE_FILE = "reports_wide.csv"


def _kind_of_annotation(annotation: object) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    if "float" in text:
        return NUMBER
    if "bool" in text:
        return BOOLEAN
    if "int" in text:
        return INTEGER
    return STRING


def record_kinds(record_type: type) -> dict[str, str]:
    """Column -> kind for a record dataclass, from its field annotations."""
    return {f.name: _kind_of_annotation(f.type) for f in fields(record_type)}


def csv_kinds(name: str) -> dict[str, str]:
    """Column -> kind of one of the four output CSVs (by stem: documents, table_cells, …) or the wide table."""
    if name in CSV_FILES:
        return record_kinds(CSV_FILES[name])
    if name == "reports_wide":
        from pipeline.wide import wide_kinds

        return wide_kinds()
    return {}


def _convert(column: pd.Series, kind: str) -> pd.Series:
    text = column.astype("string").str.strip()
    text = text.mask(text == "")
    if kind == BOOLEAN:
        lowered = text.str.lower()
        return lowered.map({"true": True, "false": False, "1": True, "0": False}, na_action="ignore").astype("boolean")
    if kind in (INTEGER, NUMBER):
        numbers = pd.to_numeric(text, errors="coerce").astype("Float64")
        if kind == INTEGER:
            whole = numbers.dropna()
            if bool((whole == whole.round()).all()):
                return numbers.astype("Int64")
        return numbers
    return text


def read_csv_typed(path: Path, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """Read one output CSV with every column typed; columns the schema does not know stay text."""
    kinds = csv_kinds(path.stem) if kinds is None else kinds
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for name in frame.columns:
        frame[name] = _convert(frame[name], kinds.get(name, STRING))
    return frame


@dataclass
class Output:
    """The tables of one output folder."""

    documents: pd.DataFrame
    cells: pd.DataFrame
    figures: pd.DataFrame
    flags: pd.DataFrame
    wide: pd.DataFrame


def load(out: str | Path) -> Output:
    """Every table of OUT with the right dtypes; the wide table is built in memory if the file is missing."""
    out = Path(out)
    frames = {name: read_csv_typed(out / f"{name}.csv") for name in CSV_FILES}
    wide_path = out / WIDE_FILE
    if wide_path.exists():
        wide = read_csv_typed(wide_path)
    else:
        from pipeline.wide import build_wide

        header, rows = build_wide(out)
        kinds = csv_kinds("reports_wide")
        wide = pd.DataFrame(rows, columns=header, dtype="string")
        for name in wide.columns:
            wide[name] = _convert(wide[name], kinds.get(name, STRING))
    return Output(frames["documents"], frames["table_cells"], frames["figures"], frames["flags"], wide)
