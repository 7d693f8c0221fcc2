"""Parquet copies of every output CSV (and the wide table), typed: counts int64, values double, flags bool.

Each file is copied a few MB at a time (pipeline.loader.typed_batches), so a province's archive is
converted without holding its tables; a file with a field that does not parse as its column's type
is read whole and coerced instead, as the loader does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.loader import (
    WIDE_FILE,
    arrow_types,
    csv_header,
    csv_kinds,
    frame_kinds,
    pandas_dtypes,
    read_csv_typed,
    typed_batches,
)
from pipeline.writers import CSV_FILES, open_temp

PARQUET_STEMS = (*CSV_FILES, Path(WIDE_FILE).stem, "panel")
# a row group is written once this many rows or bytes are read: larger groups compress better and
# read faster, smaller ones hold less memory while the file is copied
ROW_GROUP_ROWS = 128 * 1024
ROW_GROUP_BYTES = 64 * 2**20


def _plain_text(schema: pa.Schema) -> pa.Schema:
    """Text as plain utf8 strings, keeping pandas' dtypes (Int64, boolean) in the metadata for read_parquet."""
    return pa.schema([f.with_type(pa.string()) if pa.types.is_large_string(f.type) else f for f in schema],
                     metadata=schema.metadata)


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """An Arrow table of a typed frame, text as plain utf8 strings."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.cast(_plain_text(table.schema))


def _schema(header: list[str], kinds: dict[str, str]) -> pa.Schema:
    """The Parquet schema of a CSV read as `kinds` says, with the pandas metadata a whole frame would carry."""
    dtypes = pandas_dtypes()
    empty = pd.DataFrame({name: pd.Series([], dtype=dtypes[arrow_type])
                          for name, arrow_type in arrow_types(header, kinds).items()})
    return _plain_text(pa.Schema.from_pandas(empty, preserve_index=False))


def _stream(source: Path, target: IO[bytes], kinds: dict[str, str]) -> dict[str, str] | None:
    """Copy SOURCE to TARGET batch by batch; the columns' kinds as written, or None when a field does
    not parse as its column's type (TARGET is then incomplete and must be discarded)."""
    header = csv_header(source)
    try:
        batches = typed_batches(source, kinds)
        schema = _schema(header, kinds)
        with pq.ParquetWriter(target, schema, compression="zstd") as writer:
            group: list[pa.RecordBatch] = []
            rows = size = 0
            for batch in batches:
                group.append(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
                rows, size = rows + batch.num_rows, size + batch.nbytes
                if rows >= ROW_GROUP_ROWS or size >= ROW_GROUP_BYTES:
                    writer.write_table(pa.Table.from_batches(group), row_group_size=ROW_GROUP_ROWS)
                    group, rows, size = [], 0, 0
            if group:
                writer.write_table(pa.Table.from_batches(group), row_group_size=ROW_GROUP_ROWS)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None
    return {name: kinds.get(name, "string") for name in header}


def write_parquet(out: Path) -> dict[str, dict[str, str]]:
    """Write OUT/NAME.parquet next to every NAME.csv present; returns, by stem, each column's kind as
    the file was read (the data package describes the files with it)."""
    written: dict[str, dict[str, str]] = {}
    for stem in PARQUET_STEMS:
        source = out / f"{stem}.csv"
        if not source.exists():
            continue
        path = out / f"{stem}.parquet"
        fh, tmp = open_temp(path, binary=True)  # O_EXCL: never written through a planted link
        with fh:
            kinds = _stream(source, fh, csv_kinds(stem))
            if kinds is None:
                fh.seek(0)
                fh.truncate()
                frame = read_csv_typed(source)
                pq.write_table(to_arrow(frame), fh, compression="zstd")
                kinds = frame_kinds(frame)
        os.replace(tmp, path)
        written[stem] = kinds
    return written
