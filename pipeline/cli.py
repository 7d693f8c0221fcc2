"""The `nianbao` command line: `nianbao extract INPUT... -o OUT`."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.executors import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Guards
from pipeline.process import DEFAULT_MAX_PAGES


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """nianbao: turn 政府信息公开工作年度报告 (PDF, DOCX, DOC/WPS, HTML, TXT) into checked CSV data."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder for documents.csv, table_cells.csv, figures.csv, flags.csv.")
@click.option("--from-list", "from_list", type=click.Path(exists=True, dir_okay=False),
              help="A file naming inputs one per line (# comments allowed).")
@click.option("-j", "--jobs", type=int, default=None,
              help="Worker processes (default: the machine's cores; 0 runs in this process).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local process pool, or a dask.distributed cluster.")
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask).")
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds one document may take before it becomes a failed row (0: no limit).")
@click.option("--max-memory", "max_memory", type=int, default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              help="Address-space cap per worker in MB (0: no cap).")
@click.option("--max-pages", "max_pages", type=int, default=DEFAULT_MAX_PAGES, show_default=True,
              help="A PDF with more pages becomes a failed row without being parsed (0: no limit).")
@click.option("--force", is_flag=True, help="Process every document again, ignoring results of earlier runs.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
@click.option("-v", "--verbose", is_flag=True, help="Log details of internal errors.")
def extract(inputs: tuple[str, ...], out: Path, from_list: str | None, jobs: int | None, executor: str,
            scheduler: str | None, timeout: float, max_memory: int, max_pages: int, force: bool, quiet: bool,
            verbose: bool) -> None:
    """Extract tables, figures and flags from every report in INPUTS (files, folders, zip archives)."""
    from pipeline.discover import read_list_file
    from pipeline.run import RunOptions, run_batch

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    names = list(inputs) + (read_list_file(from_list) if from_list else [])
    if not names:
        raise click.UsageError("give at least one INPUT (a file, folder or zip archive) or --from-list FILE")
    if executor == "dask" and jobs is not None:
        click.echo("note: --jobs is ignored with --executor dask (the cluster decides)", err=True)
    options = RunOptions(
        jobs=(os.cpu_count() or 1) if jobs is None else jobs,
        executor=executor,
        scheduler=scheduler,
        guards=Guards(timeout=timeout, max_memory_mb=max_memory, max_pages=max_pages),
        force=force,
        progress=not quiet,
    )
    summary = run_batch(names, out, options)
    for name in summary.missing_inputs:
        click.echo(f"warning: no such file or folder: {name}", err=True)
    if not quiet:
        click.echo(f"{summary.line()} -> {out}", err=True)
    if summary.documents == 0:
        click.echo("error: no input documents found", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
