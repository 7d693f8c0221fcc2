"""Parquet copies of every output CSV (and the wide table), typed: counts int64, values double, flags bool."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.loader import WIDE_FILE, read_csv_typed
from pipeline.writers import CSV_FILES

PARQUET_STEMS = (*CSV_FILES, Path(WIDE_FILE).stem)


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """An Arrow table of a typed frame, text as plain utf8 strings."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    schema = pa.schema([f.with_type(pa.string()) if pa.types.is_large_string(f.type) else f for f in table.schema],
                       metadata=table.schema.metadata)  # keeps pandas' dtypes (Int64, boolean) for read_parquet
    return table.cast(schema)


def write_parquet(out: Path, frames: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write OUT/NAME.parquet next to every NAME.csv present (FRAMES: typed tables already read, by stem)."""
    frames = frames or {}
    written = []
    for stem in PARQUET_STEMS:
        source = out / f"{stem}.csv"
        if not source.exists():
            continue
        path = out / f"{stem}.parquet"
        tmp = path.with_name(path.name + ".tmp")
        frame = frames[stem] if stem in frames else read_csv_typed(source)
        pq.write_table(to_arrow(frame), tmp, compression="zstd")
        os.replace(tmp, path)
        written.append(path)
    return written
