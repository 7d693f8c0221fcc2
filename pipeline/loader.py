"""Load an output folder into typed pandas DataFrames: `load(OUT)` -> documents, cells, figures, flags, wide, panel.

Counts are nullable Int64, values Float64, booleans boolean, text string; an empty CSV field is <NA>
(a blank template cell is missing, never 0). The wide table's cell columns are typed by pipeline.wide:
the national template's by column, the pre-2019 statistics table's (t_legacy) by row (元/万元 rows are
Float64); table_cells' `unit` and `read_by` (text / ocr) are text, its `confidence` Float64.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from pipeline.csvsafe import restore, restore_arrow
from pipeline.writers import CSV_FILES, WIDE_FILE

# one of the Frictionless Table Schema types; the pandas dtype of each follows
INTEGER, NUMBER, BOOLEAN, STRING = "integer", "number", "boolean", "string"
DTYPES = {INTEGER: "Int64", NUMBER: "Float64", BOOLEAN: "boolean", STRING: "string"}
# bytes of CSV per streamed batch; Arrow reads a few dozen blocks ahead, so this sets the memory it holds
STREAM_BLOCK = 1 << 20


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
    if name == "panel":
        from pipeline.panel import panel_kinds

        return panel_kinds()
    return {}


def _convert(column: pd.Series, kind: str) -> pd.Series:
    text = column.astype("string").map(restore, na_action="ignore").astype("string").str.strip()
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


def csv_header(path: Path) -> list[str]:
    """The column names of one output CSV (none when it is empty)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh), [])


def arrow_types(header: list[str], kinds: dict[str, str]) -> dict[str, object]:
    """Column -> Arrow type for the columns of HEADER (columns the schema does not know are text)."""
    import pyarrow as pa

    types = {INTEGER: pa.int64(), NUMBER: pa.float64(), BOOLEAN: pa.bool_(), STRING: pa.string()}
    return {name: types[kinds.get(name, STRING)] for name in header}


def _convert_options(header: list[str], kinds: dict[str, str]):
    import pyarrow.csv as pa_csv

    return pa_csv.ConvertOptions(column_types=arrow_types(header, kinds), null_values=[""], strings_can_be_null=True,
                                 true_values=["true", "True", "TRUE", "1"], false_values=["false", "False", "FALSE", "0"])


def _tidy_text(columns: list) -> list:
    """Text as the pandas path leaves it: restored (pipeline.csvsafe), stripped, and blank is missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tidy = []
    for column in columns:
        if pa.types.is_string(column.type):
            stripped = pc.utf8_trim_whitespace(restore_arrow(column))
            column = pc.if_else(pc.equal(stripped, ""), pa.scalar(None, pa.string()), stripped)
        tidy.append(column)
    return tidy


def _usable_header(header: list[str]) -> bool:
    return bool(header) and len(set(header)) == len(header)


def typed_batches(path: Path, kinds: dict[str, str]):
    """Arrow record batches of one output CSV, typed as the one-pass reader types it, a few MB at a time,
    so a whole archive's table can be copied (to Parquet) without holding it. Raises pyarrow.ArrowInvalid
    at the first field that does not parse as its column's type, and ValueError for a header it cannot use."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    header = csv_header(path)
    if not _usable_header(header):
        raise ValueError(f"{path.name}: no header, or a repeated column name")
    reader = pa_csv.open_csv(path, read_options=pa_csv.ReadOptions(block_size=STREAM_BLOCK),
                             convert_options=_convert_options(header, kinds))
    if reader.schema.names != header:
        raise ValueError(f"{path.name}: columns read do not match the header")
    for batch in reader:
        yield pa.RecordBatch.from_arrays(_tidy_text(batch.columns), names=header)


def _read_with_arrow(path: Path, kinds: dict[str, str]) -> pd.DataFrame | None:
    """The typed frame parsed by Arrow's CSV reader in one pass, or None when some field does not
    parse as its column's type (the column-by-column pandas path then coerces it). Converting column
    by column cost about 3 ms a column, and the wide table has over 300."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    header = csv_header(path)
    if not _usable_header(header):
        return None
    try:
        table = pa_csv.read_csv(path, convert_options=_convert_options(header, kinds))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.column_names != header:
        return None
    table = pa.table(_tidy_text(table.columns), names=header)
    return table.to_pandas(types_mapper=pandas_dtypes().get)


def pandas_dtypes() -> dict:
    """Arrow type -> the pandas dtype the loader gives it."""
    import pyarrow as pa

    return {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
            pa.string(): pd.StringDtype()}


def frame_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Column -> kind of a typed frame, from its dtypes (what the loader made of the file)."""
    kind_of = {dtype: kind for kind, dtype in DTYPES.items()}
    return {name: kind_of.get(str(frame[name].dtype), STRING) for name in frame.columns}


def read_csv_typed(path: Path, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """Read one output CSV with every column typed; columns the schema does not know stay text."""
    kinds = csv_kinds(path.stem) if kinds is None else kinds
    fast = _read_with_arrow(path, kinds)
    if fast is not None:
        return fast
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
    panel: pd.DataFrame  # one row per issuer_key × year (pipeline.panel)


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
    panel_path = out / "panel.csv"
    if panel_path.exists():
        panel = read_csv_typed(panel_path)
    else:  # built in memory from the wide table
        from pipeline.panel import build_panel, panel_rows

        if wide_path.exists():
            header, rows = build_panel(out)
        else:
            wide_header, wide_rows = header, rows
            header, rows = panel_rows(dict(zip(wide_header, row, strict=True)) for row in wide_rows)
        kinds = csv_kinds("panel")
        panel = pd.DataFrame(rows, columns=header, dtype="string")
        for name in panel.columns:
            panel[name] = _convert(panel[name], kinds.get(name, STRING))
    return Output(frames["documents"], frames["table_cells"], frames["figures"], frames["flags"], wide, panel)
