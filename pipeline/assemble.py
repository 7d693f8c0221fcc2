"""The four output CSVs, written in input order while the workers run.

Results arrive in whatever order the workers finish; each is written as soon as every input before
it is written, so the CSVs are the same whatever the number of workers. A result that arrives ahead
of its turn waits in memory, up to a limit, then in the checkpoint (pipeline.store) only, so one slow
document cannot make the main process hold an archive. Writing here, rather than after the last
worker finishes, keeps the run's serial tail from growing with the archive.

Flags of batch rules (across years, files of one report that disagree) need every report first: they
follow the documents' own flags at the end of flags.csv. documents.csv is written at the end too (one
small row per file, held in memory): a file reading blank where another file of its report reads a number
is made `partial` there (pipeline.sibling_blanks), which needs every file of the report. Those rules are given what they read of each
document (pipeline.checks.batch_cells); a rule that compares every cell of the files of one report gets
them one report at a time, from memory for the files written last (MAX_KEPT_CELLS) and from the checkpoint
for the rest, so the end re-reads nothing a run of an ordinary size still holds.

So that the evidence of those flags need not wait for the end, the batch rules are also run over each
report's files written so far, as each arrives (reports of at most MAX_FORESEEN_FILES files), and what
they flag is told to `batch_foreseen`: a forecast only, which the end's flags confirm or replace.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from pipeline.corrections import Corrections
from pipeline.reports import report_of
from pipeline.store import ResultStore
from pipeline.writers import CsvWriter, csv_writers
from schemas.records import CellRecord, DocumentRecord, DocumentResult, FlagRecord

log = logging.getLogger(__name__)

MAX_WAITING = 64  # results held in memory while an earlier document is still running
# cells kept in memory after their rows are written, for the rules that compare the files of one report at
# the end (about 250 files' worth, oldest dropped first: a file dropped is read again from the checkpoint)
MAX_KEPT_CELLS = 50_000
MAX_FORESEEN_FILES = 4  # a report's files compared as each arrives (a larger report: at the end only)


class PlannedInput(Protocol):
    """What the assembler needs of a planned input: its source name and its bytes' sha256."""

    sha256: str

    @property
    def source(self) -> str: ...


@dataclass
class Counts:
    documents: int = 0
    duplicates: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    reports: int = 0  # distinct report_id (one report however many files carry it)
    flags: Counter[str] = field(default_factory=Counter)  # by severity


class OutputAssembler:
    """Writes each input's rows in input order as results become available; `finish` completes the files.

    `planned[i]` is input i; `first_of` maps a sha256 to the first input with those bytes; `transient`
    holds results that are not in the checkpoint (unreadable inputs, executor failures); every other
    first occurrence is either `arrive`d during the run or already in `store` from an earlier run.
    """

    def __init__(self, out: Path, planned: Sequence[PlannedInput], first_of: dict[str, int],
                 store: ResultStore, transient: dict[int, DocumentResult], pending: set[int],
                 corrections: Corrections | None = None,
                 written: Callable[[DocumentResult], None] | None = None,
                 batch_flagged: Callable[[list[DocumentResult]], None] | None = None,
                 batch_foreseen: Callable[[list[DocumentResult]], None] | None = None) -> None:
        self.out = out
        self.planned = planned
        self.first_of = first_of
        self.store = store
        self.transient = transient
        self.pending = set(pending)  # inputs still running
        self.corrections = corrections  # applied to each result as it is written, never to the checkpoint
        self.written = written  # told of each document whose rows are written (pipeline.report_writers)
        self.batch_flagged = batch_flagged  # told of the documents the batch rules flag, with those flags
        # told, as each file is written, of the documents the batch rules flag over its report's files so far
        self.batch_foreseen = batch_foreseen
        self.files_of: dict[str, list[int]] = {}  # report_id -> its files' places in `carry`
        self.waiting: dict[int, DocumentResult] = {}
        self.next_index = 0
        self.counts = Counts()
        self.carry: list[tuple[DocumentRecord, list[CellRecord]]] = []
        sha_counts = Counter(p.sha256 for p in planned if p.sha256)
        self.duplicated = {sha for sha, n in sha_counts.items() if n > 1}
        self.first_records: dict[str, DocumentRecord] = {}  # for inputs that have duplicates
        # documents.csv rows in input order, written at the end: (record, or for a duplicate the sha256 of
        # the record it copies, with its source and the first source)
        self.rows: list[DocumentRecord | tuple[str, str, str]] = []
        # sha256 -> the cells as written (corrections in place), newest last; `stored`: the sha256 of results
        # known to be in the checkpoint (arrived this run or resumed), so their cells need no look there
        self.kept: dict[str, list[CellRecord]] = {}
        self.kept_cells = 0
        self.kept_whole = True  # every document's cells written so far are in `kept` (see written_cells)
        self.stored: set[str] = set()
        self._writers_cm = csv_writers(out)
        self.writers: dict[str, CsvWriter] = {}  # opened on __enter__

    def __enter__(self) -> OutputAssembler:
        self.writers = self._writers_cm.__enter__()
        self._drain()
        return self

    def __exit__(self, *exc) -> bool | None:
        return self._writers_cm.__exit__(*exc)

    def arrive(self, index: int, result: DocumentResult, transient: bool = False) -> None:
        """A worker finished input `index`: write it (and whatever waited on it) if its turn has come."""
        self.pending.discard(index)
        if transient:
            self.transient[index] = result
        elif index == self.next_index or len(self.waiting) < MAX_WAITING:
            self.waiting[index] = result
        self._drain()

    def finish(self) -> Counts:
        """Write what is left, then the batch rules' flags; the files are renamed into place on exit."""
        from pipeline.checks import run_batch_rules

        if self.pending:
            raise RuntimeError(f"{len(self.pending)} inputs never finished")
        self._drain()
        from pipeline.sibling_blanks import apply_sibling_blanks

        apply_sibling_blanks((doc for doc, _ in self.carry), self._cells_of)
        for row in self.rows:
            if isinstance(row, tuple):
                sha, source, first = row
                row = replace(self.first_records[sha], source=source, duplicate_of=first)
            self.writers["documents"].write([row])
            self.counts.statuses[row.status] += 1  # as documents.csv shows it, duplicates included
        batch_flags = run_batch_rules(self.carry, load_cells=self._cells_of)
        self.writers["flags"].write(batch_flags)
        if self.batch_flagged is not None and batch_flags:
            self._tell_batch_flags(batch_flags)
        self.counts.flags.update(str(f.severity) for f in batch_flags)
        self.counts.reports = len({report_of(vars(doc)) for doc, _ in self.carry})
        return self.counts

    def _tell_batch_flags(self, flags: list[FlagRecord]) -> None:
        """Tell `batch_flagged` of the documents with batch flags (each with its cells as the rules read them)."""
        assert self.batch_flagged is not None
        self.batch_flagged(self._flagged(self.carry, flags))

    def _flagged(self, carried: Sequence[tuple[DocumentRecord, list[CellRecord]]],
                 flags: list[FlagRecord]) -> list[DocumentResult]:
        """The documents of CARRIED that FLAGS name, each with its cells and those flags only, in input order."""
        by_doc: dict[str, list[FlagRecord]] = {}
        for flag in flags:
            by_doc.setdefault(flag.doc_id, []).append(flag)
        return [DocumentResult(document, self._cells_of(document), [], by_doc.pop(document.doc_id))
                for document, _ in carried if document.doc_id in by_doc]

    def _foresee(self, document: DocumentRecord) -> None:
        """The batch rules over the files of DOCUMENT's report written so far (it was just carried): what
        they flag, told to `batch_foreseen` (a report of one file, or of more than MAX_FORESEEN_FILES, is
        left to the end)."""
        from pipeline.checks import run_batch_rules

        files = self.files_of.setdefault(document.report_id, [])
        files.append(len(self.carry) - 1)
        if not 2 <= len(files) <= MAX_FORESEEN_FILES or self.batch_foreseen is None:
            return
        carried = [self.carry[at] for at in files]
        flags = run_batch_rules(carried, load_cells=self._cells_of)
        if flags:
            self.batch_foreseen(self._flagged(carried, flags))

    def _cells_of(self, document: DocumentRecord) -> list[CellRecord]:
        """Every cell of a document with the auditor's corrections in place: as kept since its rows were
        written, else read again from the checkpoint (none for one that is not in it)."""
        sha = document.sha256
        if sha in self.kept:
            return self.kept[sha]
        if sha and (sha in self.stored or self.store.has(sha)):
            result = self.store.get(sha)
            if self.corrections is not None:
                self.corrections.apply(result, recheck=False)
            return result.cells
        return []

    def _keep(self, sha256: str, cells: list[CellRecord]) -> None:
        """Hold a written document's cells for the end, within MAX_KEPT_CELLS (the oldest go first)."""
        self.kept[sha256] = cells
        self.kept_cells += len(cells)
        while self.kept_cells > MAX_KEPT_CELLS and self.kept:
            self.kept_cells -= len(self.kept.pop(next(iter(self.kept))))
            self.kept_whole = False

    def written_cells(self) -> list[list[CellRecord]] | None:
        """Every cell of table_cells.csv as written, in its order, from memory (the audit page's read of
        the cells flags name); None where some were not kept (an archive over MAX_KEPT_CELLS: read the CSV)."""
        return list(self.kept.values()) if self.kept_whole else None

    def _drain(self) -> None:
        while self.next_index < len(self.planned) and self.next_index not in self.pending:
            self._write(self.next_index)
            self.next_index += 1

    def _result(self, index: int) -> tuple[DocumentResult, bool]:
        """(result, is_duplicate) for input `index`; a duplicate carries no rows of its own."""
        plan = self.planned[index]
        if index in self.transient:
            return self.transient.pop(index), False
        first = self.first_of[plan.sha256]
        if first != index:
            base = self.first_records[plan.sha256]
            return DocumentResult(replace(base, source=plan.source, duplicate_of=self.planned[first].source)), True
        result = self.waiting.pop(index, None) or self.store.get(plan.sha256)
        result.document.source = plan.source
        self.stored.add(plan.sha256)
        return result, False

    def _write(self, index: int) -> None:
        result, duplicate = self._result(index)
        document = result.document
        if not document.report_id:  # unreadable, or checkpointed without one: a report of its own
            document.report_id = report_of(vars(document))
        self.counts.documents += 1
        if duplicate:  # its row is the first file's, as the post-pass leaves it (see finish)
            self.rows.append((self.planned[index].sha256, document.source, document.duplicate_of))
            self.counts.duplicates += 1
            return
        self.rows.append(document)
        if self.corrections is not None:
            self.corrections.apply(result)  # before the rows and the batch rules see the cells
        if document.sha256 in self.duplicated:
            self.first_records[document.sha256] = document
        if document.sha256 in self.stored:  # the checkpoint's reading: the rules at the end compare it
            self._keep(document.sha256, result.cells)
        elif result.cells:  # written, but not kept: the cells in memory are no longer the whole CSV
            self.kept_whole = False
        self.writers["table_cells"].write(result.cells)
        self.writers["figures"].write(result.figures)
        self.writers["flags"].write(result.flags)
        self.counts.flags.update(str(f.severity) for f in result.flags)
        if self.written is not None:
            self.written(result)
        from pipeline.checks import batch_cells

        self.carry.append((document, batch_cells(result.cells)))
        if self.batch_foreseen is not None:
            try:
                self._foresee(document)
            except Exception:  # noqa: BLE001 - a forecast only: the end runs the rules over every file
                log.debug("no forecast of the batch flags for %s", document.source, exc_info=True)
