"""The run's report processes, started with the run so the files built after it cost less of its tail.

Processes forked from the workers' server (pipeline.server): one loads pandas and pyarrow while the
documents are read and writes the analyst files (pipeline.extras) at the end; another renders the audit
page's crops and excerpts of each flagged document as soon as its rows are written, then whatever the
page still needs; when the batch rules have flagged documents (files of one report that disagree), the
crops of those flags are rendered at once over that process and a second one (the workers' cores are free
by then), to be joined with the crops of the documents' own flags. Those flags are also foreseen while
the documents are read (pipeline.assemble runs the batch rules over each report's files so far): their
crops are begun then in the second process, where the page's crop budget is likely to leave room.
Evidence made early is used only where the page's own plan, made from the finished CSVs, asks for the
very same places (a later flag, a review or the run's crop budget can change a job: what differs is made
again), so the page is the same as one built after the run.
"""

from __future__ import annotations

import logging
import os
import signal
from bisect import bisect_left, insort
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
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
from schemas.records import CellRecord, DocumentResult, FigureRecord

log = logging.getLogger(__name__)


# what rendering a crop imports on first use (pipeline.audit.crops imports them lazily)
_RENDERING = ("PIL.Image", "PIL.ImageDraw", "PIL.PngImagePlugin", "pypdfium2", "extractors.readers.pdf_tables",
              "extractors.readers.pdf_fast", "pipeline.audit.grid")


def _init_report_process(modules: Sequence[str], nice: int = 0) -> None:
    """A report process dies with the run, leaves Ctrl-C to it, and loads MODULES before it is needed
    (NICE: lowers its priority by that much)."""
    from importlib import import_module

    from pipeline.executors import die_with_parent

    die_with_parent()
    if nice:
        os.nice(nice)
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


@dataclass(frozen=True)
class _Standing:
    """A document's own flags as the page's crop plan weighs them."""

    rank: int  # 0 errors, 1 warnings, 2 neither (the plan takes documents in this order)
    places: int  # the places of its crops (at most MAX_CROPS_PER_DOCUMENT)
    started: bool  # they are being rendered (or there are none)
    information: bool  # some flag is neither error nor warning (its places come after the others')


# how far the evidence processes yield the CPU to the workers where the workers leave them a core (the
# system may place them on a worker's core all the same: there the worker must come first)
EVIDENCE_NICE = 19
_NO_FLAGS = _Standing(2, 0, True, False)  # a document without flags of its own


def _named_cells(cells: Sequence[CellRecord], flags: Sequence[dict[str, str]]) -> dict[str, dict[str, str]]:
    """ref -> the cell as the page reads it back, for the cells FLAGS name (the plans look no others up)."""
    named = {ref for flag in flags for ref in flag.get("refs", "").split()}
    return {f"{c['table']}.{c['row_key']}.{c['col_key']}": c for c in _rows([c for c in cells if c.ref in named])}


def _named_figures(figures: Sequence[FigureRecord], flags: Sequence[dict[str, str]]) -> dict[str, dict[str, str]]:
    """figure_id -> the figure as the page reads it back, for the figures FLAGS name (`figure:` refs: the
    plans look no others up, and the page loads no others)."""
    named = {ref[7:] for flag in flags for ref in flag.get("refs", "").split() if ref.startswith("figure:")}
    return {f["figure_id"]: f for f in _rows([f for f in figures if f.figure_id in named])} if named else {}


def _rank(flags: Sequence[dict[str, str]]) -> int:
    """The plan's rank of a document with FLAGS (pipeline.audit.crops.by_severity)."""
    return min(({"error": 0, "warning": 1}.get(f.get("severity", ""), 2) for f in flags), default=2)


class _Spending:
    """The page's crop budget as the documents read so far spend it, in the plan's order (rank, then input
    position; pipeline.audit.crops.plan_crops), and as the documents still to come are likely to: what is
    left for a document is what the end would likely leave it."""

    def __init__(self, documents: int) -> None:
        self.documents = documents  # the run's inputs
        # rank -> (input position, source) of its documents, in input order; a document's crops and rank
        self.order: list[list[tuple[int, str]]] = [[], [], []]
        self.crops: dict[str, tuple[int, int, int]] = {}  # source -> (rank, position, crops)
        self.totals = [0, 0, 0]  # rank -> the crops of its documents so far

    def spend(self, source: str, rank: int, crops: int, position: dict[str, int]) -> None:
        """SOURCE, at RANK, takes CROPS (replacing what it took before)."""
        before = self.crops.pop(source, None)
        if before is not None:
            old_rank, at, old_crops = before
            self.totals[old_rank] -= old_crops
            del self.order[old_rank][bisect_left(self.order[old_rank], (at, source))]
        if crops <= 0:
            return
        at = position.get(source, 0)
        self.totals[rank] += crops
        self.crops[source] = (rank, at, crops)
        insort(self.order[rank], (at, source))  # an append, but for a batch flag on an earlier file

    def left(self, source: str, rank: int, position: dict[str, int]) -> int:
        """The crops likely left for SOURCE at RANK: after the documents read so far that come before it
        (each takes one at least, so this looks at MAX_CROPS_PER_RUN of them at most) and after what the
        documents still to come would spend at a rank before it, at the rate of those read so far."""
        read = max(1, len(position))
        spent = sum(self.totals[:rank]) * max(0, self.documents - read) // read
        at = position.get(source, len(position))
        for level, ordered in enumerate(self.order[:rank + 1]):
            for other_at, other in ordered:
                if spent >= MAX_CROPS_PER_RUN or (level == rank and other_at >= at):
                    break
                if other != source:
                    spent += self.crops[other][2]
        return max(0, MAX_CROPS_PER_RUN - spent)


class ReportWriters:
    """The analyst-files process and the evidence processes of one run."""

    def __init__(self, formats: Sequence[str] = (), server: bool = True, documents: int = 0,
                 spare_core: bool = False) -> None:
        """FORMATS: the batch's (for the workers' server); SERVER False where no document is to be read
        (a rerun resumed whole): the processes are then forked from this one, not from a server that
        would load jieba for nothing. DOCUMENTS: the run's inputs (for the forecast of the crop budget).
        SPARE_CORE: the workers leave a core free; the evidence processes then yield to the workers
        wherever they run (where the workers take every core, the evidence is as much the run's work as
        the documents: yielding would leave all of it to the end)."""
        from pipeline.server import worker_context

        self.context = worker_context(formats) if server else None
        self.extras = ProcessPoolExecutor(1, mp_context=self.context, initializer=_init_report_process,
                                          initargs=(("pipeline.extras",),))
        nice = EVIDENCE_NICE if spare_core else 0
        self.evidence = self._evidence_process(nice)
        # a second evidence process, for the batch flags' crops only: they are known when the documents are
        # all read, and the workers' cores are free then; started now, its imports done by then (the batch
        # crops are the last thing the page waits for)
        self.after = self._evidence_process(nice)
        self._turn = 0
        for pool in (self.extras, self.evidence, self.after):  # their imports run while the documents are read
            pool.submit(int)
        self.early: dict[str, Future] = {}  # repr(job) -> its result on the way
        self.foreseen: dict[str, Future] = {}  # repr(job) -> the crops of a foreseen batch flag's job on the way
        self._foreseen_crops = 0
        self._spending = _Spending(documents)  # the run's crop budget as the documents read so far spend it
        # source -> the crops on the way of a run of its places: a document's own flags', then its batch flags'
        self.pieces: dict[str, list[tuple[list[Place], Future]]] = {}
        self._crops = self._texts = 0
        self._position: dict[str, int] = {}  # source -> its place in input order
        self._own: dict[str, _Standing] = {}  # source -> what its own flags ask of the page's crops

    def written(self, result: DocumentResult) -> None:
        """A document's rows are written: make its page evidence now, within the run's budgets (a failure
        here only leaves the page to make it at the end)."""
        try:
            self._start_evidence(result)
        except Exception:  # noqa: BLE001 - early evidence is a head start, never a condition of the run
            log.debug("no early evidence for %s", result.document.source, exc_info=True)

    def _start_evidence(self, result: DocumentResult) -> None:
        self._position.setdefault(result.document.source, len(self._position))  # the page's order within a rank
        flags = _rows(result.flags)
        if not flags:
            return
        document = _rows([result.document])
        doc_id = document[0].get("doc_id", "")
        flags.sort(key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9))  # as pipeline.audit.data orders them
        cells = {doc_id: _named_cells(result.cells, flags)}
        figures = _named_figures(result.figures, flags)
        flags_by_doc = {doc_id: flags}
        jobs = plan_crops(document, flags_by_doc, cells, figures)
        places = jobs[0].places if jobs else []
        started = self._crops < MAX_CROPS_PER_RUN
        if started:
            for crop_job in jobs:
                self._crops += len(crop_job.places)
                self.early[repr(crop_job)] = self._render(crop_job)
        self._spending.spend(result.document.source, _rank(flags), len(places), self._position)
        self._own[result.document.source] = _Standing(_rank(flags), len(places), started or not places,
                                                      any(_rank([f]) == 2 for f in flags))
        if self._texts < MAX_TEXT_DOCUMENTS:
            for text_job in plan_excerpts(document, flags_by_doc, cells, figures):
                self._texts += 1
                self.early[repr(text_job)] = self.evidence.submit(find_excerpts, text_job)

    def batch_flagged(self, results: Sequence[DocumentResult]) -> None:
        """The run's batch rules flagged these documents (each result: the record, its cells and those flags
        only): render the crops of their evidence now, where the page will show them after the crops of
        the document's own flags (the page's plan is followed: its budget, documents with errors first;
        where it differs, the page renders them itself)."""
        try:
            self._start_batch_evidence(results)
        except Exception:  # noqa: BLE001 - a head start only
            log.debug("no early evidence for the batch flags", exc_info=True)

    def batch_foreseen(self, results: Sequence[DocumentResult]) -> None:
        """The batch rules, over some report's files read so far, flag these documents (as batch_flagged):
        begin the crops the end would render for them, in the second process, within the run's budget
        (a forecast: the end takes them only where it asks for the very same places)."""
        try:
            for result in results:
                source = result.document.source
                rank, places, serious = self._batch_places(result)
                own = self._own.get(source, _NO_FLAGS)
                rank = min(rank, own.rank)
                job = self._batch_job(source, places, serious, self._spending.left(source, rank, self._position))
                self._spending.spend(source, rank, min(MAX_CROPS_PER_DOCUMENT, own.places + len(places)),
                                     self._position)
                if job is None or repr(job) in self.foreseen or self._foreseen_crops >= MAX_CROPS_PER_RUN:
                    continue
                self._foreseen_crops += len(job.places)
                self.foreseen[repr(job)] = self.after.submit(render_crops, job)
        except Exception:  # noqa: BLE001 - a head start only
            log.debug("no early evidence for the foreseen batch flags", exc_info=True)

    @staticmethod
    def _batch_places(result: DocumentResult) -> tuple[int, list[Place], bool]:
        """A batch-flagged document's rank, the places of its batch flags' evidence (as the page plans
        them), and whether any of those flags is an error or a warning."""
        flags = _rows(result.flags)
        document = _rows([result.document])
        doc_id = document[0].get("doc_id", "")
        flags.sort(key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9))
        cells = {doc_id: _named_cells(result.cells, flags)}
        jobs = plan_crops(document, {doc_id: flags}, cells, {})
        return _rank(flags), jobs[0].places if jobs else [], any(_rank([f]) < 2 for f in flags)

    def _batch_job(self, source: str, places: list[Place], serious: bool, budget: int) -> CropJob | None:
        """The crops the page adds for a document's batch flags after its own flags' (None: none, or
        the page renders them itself), with BUDGET crops left in the run."""
        own = self._own.get(source, _NO_FLAGS)
        take = min(budget, MAX_CROPS_PER_DOCUMENT, own.places + len(places))
        if take > own.places and own.started and not (serious and own.information):
            return CropJob(source, places[:take - own.places])
        return None

    def _start_batch_evidence(self, results: Sequence[DocumentResult]) -> None:
        batch = {result.document.source: self._batch_places(result) for result in results}
        ranked = sorted(set(self._own) | set(batch), key=lambda source: (
            min(self._own.get(source, _NO_FLAGS).rank, batch[source][0] if source in batch else 2),
            self._position.get(source, len(self._position))))
        budget = MAX_CROPS_PER_RUN  # as plan_crops spends it over the finished run
        for source in ranked:
            if budget <= 0:
                break
            own = self._own.get(source, _NO_FLAGS)
            _, places, serious = batch.get(source, (2, [], False))
            job = self._batch_job(source, places, serious, budget)
            budget -= min(budget, MAX_CROPS_PER_DOCUMENT, own.places + len(places))
            if job is not None:
                self._render(job, after=True)

    def _evidence_process(self, nice: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(1, mp_context=self.context, initializer=_init_report_process,
                                   initargs=(("pipeline.audit.crops", "pipeline.audit.text", *_RENDERING), nice))

    def _render(self, job: CropJob, after: bool = False) -> Future:
        """Start rendering JOB's crops, kept as a piece of its document's (AFTER the documents: over both
        evidence processes in turn)."""
        foreseen = self.foreseen.pop(repr(job), None)
        if foreseen is not None:  # begun while the documents were read
            self.pieces.setdefault(job.source, []).append((job.places, foreseen))
            return foreseen
        pool = self.evidence
        if after:
            self._turn += 1
            pool = self.after if self._turn % 2 else self.evidence
        future = pool.submit(render_crops, job)
        self.pieces.setdefault(job.source, []).append((job.places, future))
        return future

    def close(self, kill: bool = False) -> None:
        """Let the processes go (KILL: at once, the run being interrupted)."""
        for pool in filter(None, (self.extras, self.evidence, self.after)):
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
