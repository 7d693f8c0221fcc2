"""`extract` and `load`: the two calls an analyst needs, with the CLI's options as keyword arguments."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.executors import DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT, Guards
from pipeline.loader import Output
from pipeline.loader import load as _load
from pipeline.run import RunOptions, RunSummary, run_batch

__all__ = ["Output", "RunSummary", "extract", "load"]


def extract(inputs: str | Path | Iterable[str | Path], out: str | Path, *, jobs: int = 1,
            timeout: float = DEFAULT_TIMEOUT, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
            max_pages: int = DEFAULT_MAX_PAGES, force: bool = False, progress: bool = False,
            executor: str = "local", scheduler: str | None = None) -> RunSummary:
    """Read every report in INPUTS (files, folders, zip archives) and write the output files into OUT.

    The same run as `nianbao extract INPUTS -o OUT`: documents.csv, table_cells.csv, figures.csv,
    flags.csv, reports_wide.csv, Parquet copies, datapackage.json and audit.html. Keyword options are the
    CLI's: `jobs` worker processes (0 runs in this process), `timeout` seconds per document, `max_memory_mb`
    per worker, `max_pages` per PDF, `force` to process again what an earlier run into OUT already did,
    `progress` for a progress bar, `executor="dask"` with `scheduler="tcp://HOST:8786"` for a cluster.
    Returns the run's summary (counts of ok, partial, failed, duplicate and resumed documents).
    """
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    names = [str(name) for name in inputs]
    if not names:
        raise ValueError("extract() needs at least one input file or folder")
    options = RunOptions(jobs=jobs, executor=executor, scheduler=scheduler, force=force, progress=progress,
                         guards=Guards(timeout=timeout, max_memory_mb=max_memory_mb, max_pages=max_pages))
    return run_batch(names, Path(out), options)


def load(out: str | Path) -> Output:
    """The tables of an output folder as typed pandas DataFrames: `.documents`, `.cells`, `.figures`,
    `.flags` and `.wide` (counts as nullable integers; a blank template cell is missing, never 0)."""
    folder = Path(out)
    if not (folder / "documents.csv").exists():
        raise FileNotFoundError(f"{folder} holds no documents.csv: run nianbao.extract(inputs, {str(out)!r}) first")
    return _load(folder)
