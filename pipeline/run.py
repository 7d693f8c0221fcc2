"""A whole batch: discover inputs, skip what is already done, run the rest, write the outputs.

Results are checkpointed per document (pipeline.store) as they arrive and written to the CSVs in
input order (pipeline.assemble), so the output is the same whatever the number of workers and
however often the run was interrupted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline import __version__
from pipeline.assemble import OutputAssembler
from pipeline.audit.data import RunInfo
from pipeline.corrections import read_corrections
from pipeline.corrections import write_orphans as write_corrections_orphans
from pipeline.discover import InputItem, discover
from pipeline.executors import Guards, available_cores, batch_formats, run_dask, run_pool, run_serial
from pipeline.report_writers import ReportWriters, write_reports
from pipeline.reviews import apply_reviews
from pipeline.server import worker_context
from pipeline.store import ResultStore
from schemas.records import SEVERITIES, DocumentRecord, DocumentResult, Status


@dataclass
class RunOptions:
    jobs: int = 1  # 0 = in this process
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    guards: Guards = field(default_factory=Guards)
    force: bool = False  # ignore the checkpoint and process everything again
    progress: bool = True
    dask_client: object | None = None  # tests pass a LocalCluster client
    follow_symlinks: bool = False  # read symlinks in input folders that lead outside them


@dataclass
class RunSummary:
    documents: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    duplicates: int = 0
    resumed: int = 0  # taken from an earlier run's checkpoint
    passed_over: int = 0  # files a folder walk left alone (code, data, README)
    missing_inputs: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    writing: float = 0.0  # seconds from the last document's result to the end: the files that need them all
    reviews: str = ""  # what reviews.csv did (pipeline.reviews), '' when there is none
    reports: int = 0  # distinct report_id: one report however many files carry it
    flags: dict[str, int] = field(default_factory=dict)  # by severity, every file's (flags.csv)
    # by severity, the reports' best sources' only (reports_wide.csv): each report's findings once
    report_flags: dict[str, int] | None = None
    audit_page: str = ""  # where the audit page is

    def line(self) -> str:
        def by_severity(counts: dict[str, int]) -> str:
            return ", ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES[::-1])
        flags = by_severity(self.flags)
        if self.report_flags is not None:
            flags = (f"{by_severity(self.report_flags)} in the reports' best sources ({flags} over all files "
                     "in flags.csv)")
        return (f"{self.reports} reports in {self.documents} files: {self.ok} ok, {self.partial} partial, "
                f"{self.failed} failed (files, as documents.csv counts them; {self.duplicates} duplicates, "
                f"{self.resumed} from an earlier run); flags: {flags}"
                + (f"; audit page: {self.audit_page}" if self.audit_page else "")
                + f"; in {self.elapsed:.1f} s"
                + (f"; {self.passed_over} non-report files passed over" if self.passed_over else "")
                + (f"; {self.reviews}" if self.reviews else ""))


@dataclass
class _Planned:
    item: InputItem
    sha256: str = ""
    size: int = 0
    read_error: str = ""

    @property
    def source(self) -> str:
        return self.item.source


def _plan(items: Sequence[InputItem], max_bytes: int = 0) -> list[_Planned]:
    planned = []
    for item in items:
        try:
            sha, size = item.digest(max_bytes)  # streamed, and refused over --max-bytes before reading
        except (OSError, ValueError, KeyError) as exc:
            planned.append(_Planned(item, read_error=" ".join(str(exc).split())[:300] or type(exc).__name__))
            continue
        planned.append(_Planned(item, sha, size))
    return planned


def _execute(items: list[InputItem], options: RunOptions) -> Iterator[tuple[int, DocumentResult]]:
    if not items:
        return iter(())
    if options.executor == "dask":
        return run_dask(items, options.scheduler, options.guards, client=options.dask_client)
    if options.jobs <= 0:
        return run_serial(items, options.guards)
    return run_pool(items, min(options.jobs, len(items)), options.guards)


def _progress(total: int, enabled: bool) -> Callable[[], None]:
    if not enabled or total == 0:
        return lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True,
               disable=not sys.stderr.isatty())
    def step() -> None:
        bar.update(1)
        if bar.n >= total:
            bar.close()
    return step


def run_batch(inputs: Sequence[str], out: Path, options: RunOptions | None = None) -> RunSummary:
    """Process every input into OUT; returns counts for the closing summary line."""
    options = options or RunOptions()
    started = time.monotonic()
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    out.mkdir(parents=True, exist_ok=True)
    found = discover(inputs, exclude=out, follow_symlinks=options.follow_symlinks)
    store = ResultStore(out, __version__)
    if _needs_server(options, found.items, store):  # warmed while this process reads the inputs' digests
        worker_context(batch_formats(found.items))
    planned = _plan(found.items, options.guards.max_bytes)
    transient: dict[int, DocumentResult] = {}  # results not worth keeping (unreadable, timeout, crash)

    first_of: dict[str, int] = {}
    to_run: list[int] = []
    resumed = 0
    for index, plan in enumerate(planned):
        if not plan.sha256:
            transient[index] = DocumentResult(DocumentRecord(
                doc_id="", source=plan.item.source, sha256="", status=Status.FAILED,
                error=f"cannot read input: {plan.read_error}", pipeline_version=__version__))
            continue
        if plan.sha256 in first_of:
            continue
        first_of[plan.sha256] = index
        if not options.force and store.has(plan.sha256):
            resumed += 1
        else:
            to_run.append(index)

    step = _progress(len(to_run), options.progress)
    run_items = [planned[i].item for i in to_run]
    corrections = read_corrections(out)  # read once; applied to every result as it is written
    # the report processes start with the run (not for Dask or --jobs 0, which keep this process alone)
    writers = (_report_writers(batch_formats(run_items), server=bool(run_items), documents=len(planned),
                               spare_core=0 < min(options.jobs, len(run_items)) < available_cores())
               if options.executor != "dask" and options.jobs != 0 else None)
    try:
        with OutputAssembler(out, planned, first_of, store, transient, pending=set(to_run), corrections=corrections,
                             written=writers.written if writers is not None else None,
                             batch_flagged=writers.batch_flagged if writers is not None else None,
                             batch_foreseen=writers.batch_foreseen if writers is not None else None) as assembler:
            for position, result in _execute(run_items, options):
                index = to_run[position]
                plan = planned[index]
                record = result.document
                if not record.sha256:  # the executor gave up on it (timeout, crash): keep it for this run only
                    from pipeline.process import doc_id_of

                    record.sha256, record.doc_id, record.size_bytes = plan.sha256, doc_id_of(plan.sha256), plan.size
                    assembler.arrive(index, result, transient=True)
                else:
                    store.put(result)
                    assembler.arrive(index, result)
                step()
            last_result = time.monotonic()
            counts = assembler.finish()
        write_corrections_orphans(out, corrections)
        reviews = apply_reviews(out)  # before the files built from flags.csv

        run = RunInfo(started=started_at, version=__version__, inputs=[str(i) for i in inputs], resumed=resumed,
                      passed_over=len(found.passed_over), missing_inputs=list(found.missing),
                      written_cells=assembler.written_cells)
        for line in filter(None, write_reports(out, writers, run)):
            print(line, file=sys.stderr)
    except BaseException:  # Ctrl-C or a failure: the report processes go at once
        if writers is not None:
            writers.close(kill=True)
        raise
    if writers is not None:
        writers.close()
    summary = RunSummary(documents=counts.documents, duplicates=counts.duplicates, ok=counts.statuses["ok"],
                         partial=counts.statuses["partial"], failed=counts.statuses["failed"])
    summary.missing_inputs = found.missing
    summary.passed_over = len(found.passed_over)
    summary.resumed = resumed
    summary.reviews = "; ".join(filter(None, [reviews.line(), corrections.line()]))
    summary.reports, summary.flags = counts.reports, dict(counts.flags)
    summary.report_flags = _report_flags(out)
    if (out / "audit.html").exists():
        summary.audit_page = str(out / "audit.html")
    summary.elapsed = time.monotonic() - started
    summary.writing = time.monotonic() - last_result
    return summary


def _needs_server(options: RunOptions, items: Sequence[InputItem], store: ResultStore) -> bool:
    """True where the workers' server (pipeline.server) can start before the inputs are planned: local
    workers, and every input to be read (a forced run, or no checkpoint yet; a resumed run may read none,
    and then starts no server)."""
    return (bool(items) and options.executor != "dask" and options.jobs != 0
            and (options.force or store.empty()))


def _report_flags(out: Path) -> dict[str, int] | None:
    """Flags by severity over the reports' best sources (reports_wide.csv's flags_* columns); None where
    the wide table was not written."""
    from pipeline.csvsafe import dict_rows
    from pipeline.writers import WIDE_FILE

    path = out / WIDE_FILE
    if not path.exists():
        return None
    counts = dict.fromkeys(SEVERITIES, 0)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in dict_rows(fh):
            for severity in SEVERITIES:
                value = row.get(f"flags_{severity}", "")
                counts[severity] += int(value) if value.isdigit() else 0
    return counts


def _report_writers(formats: tuple[str, ...], server: bool, documents: int, spare_core: bool) -> ReportWriters | None:
    """The run's report processes, or None where none can be started (the files are then written here)."""
    try:
        return ReportWriters(formats, server, documents, spare_core)
    except (OSError, RuntimeError):
        return None
