"""The `nianbao` command line: `nianbao extract INPUT... -o OUT`."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType

INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)
INTERRUPTED_NOTE = "\ninterrupted: finished documents are kept; run the same command again to resume"
USAGE = 2


def _interrupted_while_loading(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001 - handler signature
    """Ctrl-C while the modules below load, before `main` can catch it: the run's note and code, not a
    traceback and a death by the signal (-2). The loading takes seconds on a loaded machine."""
    os.write(2, (INTERRUPTED_NOTE + "\n").encode())
    os._exit(INTERRUPTED)


if __name__ == "__main__":  # run as a program (python -m pipeline.cli); an import leaves Ctrl-C alone
    signal.signal(signal.SIGINT, _interrupted_while_loading)

import click  # noqa: E402 - after the handler: Ctrl-C while these load exits as during a run

from pipeline import __version__  # noqa: E402
from pipeline.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT  # noqa: E402


class _OneLineErrors(click.Group):
    """Usage errors as one line on stderr (exit 2), not click's usage block; Ctrl-C exits 130."""

    def main(self, *args, **kwargs):  # noqa: ANN201 - click's signature
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            if signal.getsignal(signal.SIGINT) is _interrupted_while_loading:
                signal.signal(signal.SIGINT, signal.default_int_handler)  # from here Ctrl-C unwinds the run
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.ClickException as exc:
            hint = " (see nianbao extract --help)" if isinstance(exc, click.UsageError) else ""
            click.echo(f"error: {' '.join(exc.format_message().split())}{hint}", err=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            click.echo(INTERRUPTED_NOTE, err=True)
            sys.exit(INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)


class ByteSize(click.ParamType):
    """A size in bytes, with an optional K/M/G suffix (powers of 1024): 200M, 1.5G, 1000000."""

    name = "size"
    _UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B")
        unit = text[-1:] if text[-1:] in "KMG" else ""
        try:
            number = float(text[: len(text) - len(unit)])
        except ValueError:
            self.fail(f"{value!r} is not a size such as 200M", param, ctx)
        if number < 0:
            self.fail(f"{value!r} is negative", param, ctx)
        return int(number * self._UNITS[unit])


class OutputError(click.ClickException):
    """An output folder that cannot be written: a usage error (exit 2), found before any work."""

    exit_code = USAGE


def _check_writable(out: Path) -> None:
    """Fail with one line (exit 2) before any work when OUT cannot be created or written."""
    import tempfile

    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".nianbao-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write to output folder {str(out)!r}: "
                                   f"{exc.strerror or type(exc).__name__}") from exc


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """nianbao: turn 政府信息公开工作年度报告 (PDF, DOCX, DOC/WPS, HTML, TXT) into checked CSV data."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder for documents.csv, table_cells.csv, figures.csv, flags.csv.")
@click.option("--from-list", "from_list", type=click.Path(exists=True, dir_okay=False),
              help="A file naming inputs one per line (# comments allowed).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: the cores this process may use; 0 runs in this process).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local process pool, or a dask.distributed cluster.")
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds one document may take before it becomes a failed row (0: no limit).")
@click.option("--max-memory", "max_memory", type=click.IntRange(min=0), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              help="Memory in MB a worker may add while reading one document (0: no cap).")
@click.option("--max-pages", "max_pages", type=click.IntRange(min=0), default=DEFAULT_MAX_PAGES, show_default=True,
              help="A PDF with more pages becomes a failed row without being parsed (0: no limit).")
@click.option("--max-bytes", "max_bytes", type=ByteSize(), default=DEFAULT_MAX_BYTES, show_default="200M",
              help="A larger file becomes a failed row without being read, e.g. 500M (0: no limit).")
@click.option("--follow-symlinks", "follow_symlinks", is_flag=True,
              help="Read symbolic links in input folders that lead outside them (not followed by default).")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any input failed or was missing.")
@click.option("--force", is_flag=True, help="Process every document again, ignoring results of earlier runs.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
@click.option("-v", "--verbose", is_flag=True, help="Log details of internal errors.")
def extract(inputs: tuple[str, ...], out: Path, from_list: str | None, jobs: int | None, executor: str,
            scheduler: str | None, timeout: float, max_memory: int, max_pages: int, max_bytes: int,
            follow_symlinks: bool, strict: bool, force: bool, quiet: bool, verbose: bool) -> None:
    """Extract tables, figures and flags from every report in INPUTS (files, folders, zip archives)."""
    from pipeline.discover import read_list_file
    from pipeline.executors import Guards, available_cores
    from pipeline.run import RunOptions, run_batch

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    names = list(inputs) + (read_list_file(from_list) if from_list else [])
    if not names:
        raise click.UsageError("give at least one INPUT (a file, folder or zip archive) or --from-list FILE")
    if executor == "dask" and jobs is not None:
        click.echo("note: --jobs is ignored with --executor dask (the cluster decides)", err=True)
    _check_writable(out)
    options = RunOptions(
        jobs=available_cores() if jobs is None else jobs,
        executor=executor,
        scheduler=scheduler,
        guards=Guards(timeout=timeout, max_memory_mb=max_memory, max_pages=max_pages, max_bytes=max_bytes),
        force=force,
        progress=not quiet,
        follow_symlinks=follow_symlinks,
    )
    try:
        summary = run_batch(names, out, options)
    finally:
        from pipeline.server import stop

        stop()  # the workers' server waited for, so the run's CPU time counts it and its workers
    for name in summary.missing_inputs:
        click.echo(f"warning: no such file or folder: {name}", err=True)
    if not quiet:
        click.echo(f"{summary.line()} -> {out}", err=True)
    if summary.documents == len(summary.missing_inputs):
        click.echo("error: no input documents found", err=True)
        sys.exit(USAGE)
    if strict and summary.failed:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
