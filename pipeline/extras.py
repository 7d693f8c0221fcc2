"""Files for the people who use the output, made from the four finished CSVs: wide table, Parquet, data package."""

from __future__ import annotations

from pathlib import Path

from pipeline.datapackage import write_datapackage
from pipeline.loader import read_csv_typed
from pipeline.parquet import PARQUET_STEMS, write_parquet
from pipeline.wide import write_wide


def write_extras(out: Path) -> None:
    """Write reports_wide.csv, a .parquet copy of every CSV, and datapackage.json into OUT."""
    out = Path(out)
    write_wide(out)
    frames = {stem: read_csv_typed(out / f"{stem}.csv") for stem in PARQUET_STEMS if (out / f"{stem}.csv").exists()}
    write_parquet(out, frames)
    write_datapackage(out, frames)
