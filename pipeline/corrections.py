"""Auditors' corrections: OUT/corrections.csv, read on every run, puts a cell's right value in place of a
misread one.

Columns: doc_id (or sha256: either names the report), table, row_key, col_key, value, note, reviewer,
date. The auditor owns corrections.csv (the audit page writes it, like reviews.csv): the tool never
writes, moves or deletes it.

A correction is applied in the main process to each document's result as it is written (a fresh one
or one taken from the checkpoint): the checkpoint keeps the reading as extracted, so a correction added,
changed or removed takes effect on the next run, resumed or forced, and no checkpoint ever holds a stale
corrected result. The corrected cell keeps what was read in `original_value` and names the correction in
`corrected_by`; the document's checks are run again on the corrected cells (the identities of the
table then hold or fail on the right values). A correction whose document is not in the run, or whose
cell the reading does not hold, is listed in corrections_orphaned.csv with the reason (the tool owns that
file and rewrites or removes it on every run); a line that cannot be read is said in the run summary.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path

from pipeline.csvsafe import neutralise
from pipeline.reviews import auditor_text
from pipeline.writers import open_temp
from schemas.records import CellRecord, DocumentResult

log = logging.getLogger(__name__)

CORRECTIONS_FILE = "corrections.csv"
ORPHANS_FILE = "corrections_orphaned.csv"
BLANK_WORDS = ("", "blank", "空白", "-", "—", "/", "无")


@dataclass(frozen=True)
class Correction:
    """One line of corrections.csv: the value a cell should have, and who said so."""

    doc_id: str
    sha256: str
    table: str
    row_key: str
    col_key: str
    value: str
    note: str = ""
    reviewer: str = ""
    date: str = ""

    @property
    def ref(self) -> str:
        return f"{self.table}.{self.row_key}.{self.col_key}"

    def names(self, doc_id: str, sha256: str) -> bool:
        """True when this correction is about the report with these identities."""
        return bool((self.doc_id and self.doc_id == doc_id) or (self.sha256 and self.sha256 == sha256))

    def number(self) -> float | int | None:
        """The corrected value as a number (None: the cell is blank). Raises ValueError on other text."""
        text = self.value.strip().replace(",", "").replace("，", "")
        if text in BLANK_WORDS:
            return None
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number

    def label(self) -> str:
        """What corrected_by says: the reviewer and date, or the file when the line names no one."""
        return " ".join(filter(None, [self.reviewer, self.date])) or CORRECTIONS_FILE


CORRECTION_COLUMNS = tuple(f.name for f in fields(Correction))
ORPHAN_COLUMNS = (*CORRECTION_COLUMNS, "reason")


@dataclass
class Corrections:
    """The corrections of one run, and what became of them."""

    items: list[Correction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines refused, with their line number
    applied: set[int] = field(default_factory=set)  # indexes into items
    cell_gone: dict[int, str] = field(default_factory=dict)  # index -> reason (document present, cell not)
    documents_seen: set[int] = field(default_factory=set)

    def for_document(self, doc_id: str, sha256: str) -> list[tuple[int, Correction]]:
        return [(i, c) for i, c in enumerate(self.items) if c.names(doc_id, sha256)]

    def apply(self, result: DocumentResult, recheck: bool = True) -> bool:
        """Put this document's corrections into its cells (the last line for a cell wins) and run its
        checks again; returns True when a cell changed."""
        record = result.document
        mine = self.for_document(record.doc_id, record.sha256)
        if not mine:
            return False
        cells = {c.ref: c for c in result.cells}
        changed = False
        for index, correction in mine:
            self.documents_seen.add(index)
            cell = cells.get(correction.ref)
            if cell is None:
                self.cell_gone[index] = "cell not in this run's reading of the report"
                continue
            value = correction.number()  # read() refused lines whose value is not a number
            _correct(cell, value, correction.label())
            self.applied.add(index)
            changed = True
        if changed and recheck and record.status != "failed":
            from pipeline.checks import run_checks

            result.flags = run_checks(record, result.cells, result.figures)
        return changed

    def orphans(self) -> list[tuple[Correction, str]]:
        """Corrections that did not apply, with the reason."""
        out = []
        for index, correction in enumerate(self.items):
            if index in self.applied:
                continue
            reason = self.cell_gone.get(index) or (
                "report not in this run" if index not in self.documents_seen else "not applied")
            out.append((correction, reason))
        return out

    def line(self) -> str:
        """The run summary's words about corrections ('' when there is no corrections.csv)."""
        if not (self.items or self.problems):
            return ""
        text = f"corrections: {len(self.applied)} applied"
        orphans = self.orphans()
        if orphans:
            text += f", {len(orphans)} without their report or cell (see {ORPHANS_FILE})"
        if self.problems:
            text += f", {len(self.problems)} lines of {CORRECTIONS_FILE} ignored"
        return text


def _correct(cell: CellRecord, value: float | int | None, by: str) -> None:
    if not cell.corrected_by:  # a second correction of the same cell keeps the reading's value
        cell.original_value = cell.value if not cell.blank else None
    cell.value, cell.blank, cell.corrected_by = value, value is None, by


def read_corrections(out: Path) -> Corrections:
    """OUT/corrections.csv as corrections, and the lines refused (each with its reason)."""
    path = out / CORRECTIONS_FILE
    found = Corrections()
    if not path.is_file():
        return found
    try:
        rows = list(csv.reader(io.StringIO(auditor_text(path), newline="")))
    except (OSError, ValueError, csv.Error) as exc:
        found.problems.append(f"{CORRECTIONS_FILE} not read: {exc}")
        return found
    if not rows:
        return found
    header = [h.strip().lower() for h in rows[0]]
    needed = {"table", "row_key", "col_key", "value"}
    if not needed <= set(header) or not {"doc_id", "sha256"} & set(header):
        found.problems.append(f"{CORRECTIONS_FILE} needs the columns doc_id or sha256, table, row_key, col_key "
                              f"and value (found: {', '.join(header)})")
        return found
    for number, row in enumerate(rows[1:], start=2):
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        if not any(values.values()):
            continue
        correction = Correction(*(values.get(k, "") for k in CORRECTION_COLUMNS))
        if not (correction.doc_id or correction.sha256) or not all((correction.table, correction.row_key,
                                                                     correction.col_key)):
            found.problems.append(f"{CORRECTIONS_FILE} line {number}: needs doc_id or sha256, table, row_key "
                                  "and col_key")
            continue
        try:
            correction.number()
        except ValueError:
            found.problems.append(f"{CORRECTIONS_FILE} line {number}: value {correction.value!r} is not a number "
                                  "(or empty for a blank cell)")
            continue
        found.items.append(correction)
    return found


def write_orphans(out: Path, corrections: Corrections) -> None:
    """OUT/corrections_orphaned.csv: the corrections that did not apply and why (removed when none)."""
    path = out / ORPHANS_FILE
    orphans = corrections.orphans()
    for problem in corrections.problems:
        log.warning(problem)
    if not orphans:
        path.unlink(missing_ok=True)
        return
    log.warning("%d corrections in %s did not apply: listed in %s", len(orphans), CORRECTIONS_FILE, ORPHANS_FILE)
    fh, tmp = open_temp(path)  # O_EXCL: never written through a planted link
    with fh:
        writer = csv.writer(fh)
        writer.writerow(ORPHAN_COLUMNS)
        writer.writerows([neutralise(v) for v in (*astuple(c), reason)] for c, reason in orphans)
    os.replace(tmp, path)
