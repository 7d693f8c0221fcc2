"""The run's report processes, started with the run so the files built after it cost less of its tail.

Two processes (forked from the workers' server, pipeline.server): one loads pandas and pyarrow while
the documents are read and writes the analyst files (pipeline.extras) at the end; the other renders
the audit page's crops and excerpts of each flagged document as soon as its rows are written, then
whatever the page still needs. Evidence made early is used only where the page's own plan, made from
the finished CSVs, asks for the very same job (a later flag, a review or the run's crop budget can
change a job: that one is made again), so the page is the same as one built after the run.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from pipeline.audit.crops import (
    MAX_CROPS_PER_DOCUMENT,
    MAX_CROPS_PER_RUN,
    CropJob,
    Place,
    plan_crops,
    render_crops,
)
from pipeline.audit.data import SEVERITY_ORDER, RunInfo
from pipeline.audit.text import MAX_TEXT_DOCUMENTS, find_excerpts, plan_excerpts
from pipeline.csvsafe import restore_row
from pipeline.writers import format_value
from schemas.records import DocumentResult

log = logging.getLogger(__name__)


def _init_report_process(modules: Sequence[str]) -> None:
    """A report process dies with the run, leaves Ctrl-C to it, and loads MODULES before it is needed."""
    from importlib import import_module

    from pipeline.executors import die_with_parent

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in modules:
        try:
            import_module(name)
        except Exception:  # noqa: BLE001 - a failure shows up, clearly, where the module is used
            pass


def _rows(records: Sequence[object]) -> list[dict[str, str]]:
    """Records as the audit page reads them back from their CSV (text, formula guards removed)."""
    return [dict(zip(vars(r), restore_row([format_value(v) for v in vars(r).values()]), strict=True))
            for r in records]


class ReportWriters:
    """The analyst-files process and the evidence process of one run."""

    def __init__(self, formats: Sequence[str] = (), server: bool = True) -> None:
        """FORMATS: the batch's (for the workers' server); SERVER False where no document is to be read
        (a rerun resumed whole): the processes are then forked from this one, not from a server that
        would load jieba for nothing."""
        from pipeline.server import worker_context

        context = worker_context(formats) if server else None
        self.extras = ProcessPoolExecutor(1, mp_context=context, initializer=_init_report_process,
                                          initargs=(("pipeline.extras",),))
        self.evidence = ProcessPoolExecutor(1, mp_context=context, initializer=_init_report_process,
                                            initargs=(("pipeline.audit.crops", "pipeline.audit.text"),))
        self.extras.submit(int)  # start both now, so their imports run while the documents are read
        self.evidence.submit(int)
        self.early: dict[str, Future] = {}  # repr(job) -> its result on the way
        # source -> the crops on the way of a run of its places: a document's own flags', then its batch flags'
        self.pieces: dict[str, list[tuple[list[Place], Future]]] = {}
        self._crops = self._texts = 0

    def written(self, result: DocumentResult) -> None:
        """A document's rows are written: make its page evidence now, within the run's budgets (a failure
        here only leaves the page to make it at the end)."""
        try:
            self._start_evidence(result)
        except Exception:  # noqa: BLE001 - early evidence is a head start, never a condition of the run
            log.debug("no early evidence for %s", result.document.source, exc_info=True)

    def _start_evidence(self, result: DocumentResult) -> None:
        flags = _rows(result.flags)
        if not flags or self._crops >= MAX_CROPS_PER_RUN and self._texts >= MAX_TEXT_DOCUMENTS:
            return
        document = _rows([result.document])
        doc_id = document[0].get("doc_id", "")
        flags.sort(key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9))  # as pipeline.audit.data orders them
        cells = {doc_id: {f"{c['table']}.{c['row_key']}.{c['col_key']}": c for c in _rows(result.cells)}}
        figures = {f["figure_id"]: f for f in _rows(result.figures)}
        flags_by_doc = {doc_id: flags}
        if self._crops < MAX_CROPS_PER_RUN:
            for crop_job in plan_crops(document, flags_by_doc, cells, figures):
                self._crops += len(crop_job.places)
                self.early[repr(crop_job)] = self._render(crop_job)
        if self._texts < MAX_TEXT_DOCUMENTS:
            for text_job in plan_excerpts(document, flags_by_doc, cells, figures):
                self._texts += 1
                self.early[repr(text_job)] = self.evidence.submit(find_excerpts, text_job)

    def batch_flagged(self, result: DocumentResult) -> None:
        """The run's batch rules flagged a document (RESULT: its record, cells and those flags only): render
        the crops of their evidence now, to follow its own flags' (the page's plan puts its information
        flags after the document's own; where it does not, the page renders them itself)."""
        try:
            flags = _rows(result.flags)
            # past the run's budget only for a document whose own flags' crops are on the way (the page
            # crops it, unless documents with worse flags took the budget)
            if not flags or self._crops >= MAX_CROPS_PER_RUN and result.document.source not in self.pieces:
                return
            document = _rows([result.document])
            doc_id = document[0].get("doc_id", "")
            flags.sort(key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9))
            cells = {doc_id: {f"{c['table']}.{c['row_key']}.{c['col_key']}": c for c in _rows(result.cells)}}
            for job in plan_crops(document, {doc_id: flags}, cells, {}):
                room = MAX_CROPS_PER_DOCUMENT - sum(len(places) for places, _ in self.pieces.get(job.source, ()))
                places = job.places[:max(0, room)]
                if places:
                    self._crops += len(places)
                    self._render(CropJob(job.source, places))
        except Exception:  # noqa: BLE001 - a head start only
            log.debug("no early evidence for %s", result.document.source, exc_info=True)

    def _render(self, job: CropJob) -> Future:
        """Start rendering JOB's crops, kept as a piece of its document's."""
        future = self.evidence.submit(render_crops, job)
        self.pieces.setdefault(job.source, []).append((job.places, future))
        return future

    def close(self, kill: bool = False) -> None:
        """Let both processes go (KILL: at once, the run being interrupted)."""
        for pool in (self.extras, self.evidence):
            if kill:
                for process in list(getattr(pool, "_processes", {}).values()):
                    try:
                        os.kill(process.pid, signal.SIGKILL)
                    except (ProcessLookupError, AttributeError):
                        pass
            pool.shutdown(wait=not kill, cancel_futures=True)


def write_reports(out: Path, writers: ReportWriters | None, run: RunInfo | None = None) -> list[str]:
    """The analyst files and the audit page of a finished run: over the run's report processes where
    there are some, else here one after the other; returns warning lines for files not written."""
    from pipeline.audit import write_audit

    if writers is None:
        return [_guarded("reports_wide.csv, Parquet, datapackage.json", _Extras(out)),
                _guarded("audit.html", lambda: write_audit(out, run=run))]
    extras_name = "reports_wide.csv, Parquet, datapackage.json"
    try:
        extras = writers.extras.submit(_guarded, extras_name, _Extras(out))
    except RuntimeError:  # the process is gone (a broken pool): written here instead
        extras = None
    page = _guarded("audit.html", lambda: write_audit(out, executor=writers.evidence, run=run, early=writers.early,
                                                      pieces=writers.pieces))
    try:
        if extras is not None:
            return [page, extras.result()]
    except Exception:  # noqa: BLE001 - the process died under it: write them here
        log.debug("the extras process failed", exc_info=True)
    return [page, _guarded(extras_name, _Extras(out))]


class _Extras:
    """write_extras(out) as a picklable callable for the extras process."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def __call__(self) -> None:
        from pipeline.extras import write_extras

        write_extras(self.out)


def _guarded(name: str, write) -> str:  # noqa: ANN001 - any callable
    """Run one report writer; a warning line, or '' when written (a report never costs the CSVs)."""
    try:
        write()
    except Exception as exc:  # noqa: BLE001
        return f"warning: {name} not written: {type(exc).__name__}: {exc}"
    return ""
