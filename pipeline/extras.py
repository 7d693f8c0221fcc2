"""Files for the people who use the output, made from the four finished CSVs: wide table, Parquet, data package.

Each is made by streaming the CSVs, so its memory stays flat however large the archive.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.datapackage import write_datapackage
from pipeline.panel import write_panel
from pipeline.parquet import write_parquet
from pipeline.wide import write_wide


def write_extras(out: Path) -> None:
    """Write reports_wide.csv, panel.csv (from it), a .parquet copy of every CSV, and datapackage.json into OUT."""
    out = Path(out)
    write_wide(out)
    write_panel(out)
    write_datapackage(out, write_parquet(out))
