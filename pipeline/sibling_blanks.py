"""Blank needs evidence across the files of one report: a portal's page and its attachment are one report
(pipeline.reports), and where one file reads a cell blank while another reads a number there, the blank is
not proven (a value lost to damage, a digit OCR dropped). The other file is evidence only where its own
reading is `ok` (complete and proven: a `partial` file's cells may be moved) and it agrees with this file
on every cell both read as numbers (two files that print other numbers are other versions of the text, or
one misreads: same_report.files_disagree shows them, and a blank there is one more difference). The file reading blank becomes `partial` naming
the cells, and those cells count as ambiguous rather than found, so it never ranks as the report's best
source over the file that reads the number.

A post-pass over the run's records after every file is read (pipeline.assemble, before documents.csv is
written), like corrections: the checkpoint keeps each file's own reading, so a resumed run gives the same
statuses. The auditor still sees both readings in same_report.files_disagree (info)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.reports import group_reports, record_row
from schemas.records import CellRecord, DocumentRecord, Status

SHOWN = 6  # cells named in the note; the count says how many more
NOTE = "blank where another file of the same report reads a number"


@dataclass(frozen=True)
class Contradiction:
    """A cell one file reads blank and a sibling file reads as a non-zero number."""

    ref: str
    sibling: str  # the sibling's source
    value: float


def contradictions(blank_file: list[CellRecord], sibling: list[CellRecord], source: str) -> list[Contradiction]:
    """Cells BLANK_FILE reads blank where SIBLING (from SOURCE) reads a number other than 0 (a 0 printed
    as blank, dash or 无 is the same reading)."""
    return Reading.of(blank_file).contradicted_by(Reading.of(sibling), source)


def agree(a: list[CellRecord], b: list[CellRecord]) -> bool:
    """Every cell both files read as a number is the same number."""
    return Reading.of(a).agrees_with(Reading.of(b))


@dataclass(frozen=True)
class Reading:
    """What the pass compares of one file's cells, made once per file rather than once per pair."""

    numbers: dict[str, float | int]  # ref -> value, of the cells read as numbers (a repeated ref: the last)
    valued: tuple[tuple[str, float | int], ...]  # every cell read as a number, in order, repeats included
    nonzero: dict[str, float]  # ref -> value, of the numbers other than 0 (a repeated ref: the last such)
    blanks: tuple[str, ...]  # refs of the cells read blank, in order
    plain: bool  # no ref read twice as a number and no NaN: `numbers` stands for `valued`

    @classmethod
    def of(cls, cells: list[CellRecord]) -> Reading:
        valued = tuple((c.ref, c.value) for c in cells if c.value is not None)
        numbers = dict(valued)
        nonzero = {ref: float(value) for ref, value in valued if value != 0}
        plain = len(numbers) == len(valued) and all(value == value for _, value in valued)  # NaN != NaN
        return cls(numbers, valued, nonzero, tuple(c.ref for c in cells if c.blank), plain)

    def agrees_with(self, other: Reading) -> bool:
        """Every cell both read as a number is the same number (set operations where both are plain)."""
        theirs = other.numbers
        if self.plain and other.plain:
            return len(self.numbers.items() & theirs.items()) == len(self.numbers.keys() & theirs.keys())
        return all(theirs[ref] == value for ref, value in self.valued if ref in theirs)

    def contradicted_by(self, other: Reading, source: str) -> list[Contradiction]:
        """This file's blanks where OTHER (from SOURCE) reads a number other than 0, in this file's order."""
        return [Contradiction(ref, source, other.nonzero[ref]) for ref in self.blanks if ref in other.nonzero]


def note(found: list[Contradiction]) -> str:
    """The partial note: the cells, each with the sibling's value and file."""
    shown = "; ".join(f"{c.ref} ({_fmt(c.value)} in {c.sibling})" for c in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return f"{len(found)} cell{'s' if len(found) > 1 else ''} {NOTE}: {shown}{more}"


def mark(document: DocumentRecord, found: list[Contradiction]) -> None:
    """Make DOCUMENT partial for FOUND (never a failed one ok), its cells ambiguous rather than found."""
    if not found or document.status == Status.FAILED:
        return
    document.status = Status.PARTIAL
    document.error = "; ".join(filter(None, [note(found), document.error]))
    if document.cells_found is not None:
        document.cells_found -= len(found)
        document.cells_ambiguous = (document.cells_ambiguous or 0) + len(found)


def apply_sibling_blanks(documents: Iterable[DocumentRecord],
                         load_cells: Callable[[DocumentRecord], list[CellRecord]]) -> int:
    """Mark every file that reads blank where a sibling of its report reads a number; one report's cells
    in memory at a time. Returns the number of files marked."""
    marked = 0
    for files in group_reports(documents, record_row).values():
        if len(files) < 2:
            continue
        # files reading the very same cells share one Reading, so each distinct pair is compared once
        distinct: dict[tuple[tuple[tuple[str, float | int], ...], tuple[str, ...]], int] = {}
        readings: list[Reading] = []
        kind: list[int] = []
        for doc in files:
            reading = Reading.of(load_cells(doc))
            kind.append(distinct.setdefault((reading.valued, reading.blanks), len(readings)))
            if kind[-1] == len(readings):
                readings.append(reading)
        agreed: dict[tuple[int, int], bool] = {}
        proven = [doc.status == Status.OK for doc in files]  # before this pass marks any of them
        for i, doc in enumerate(files):
            seen: dict[str, Contradiction] = {}
            mine = readings[kind[i]]
            for j, other in enumerate(files):
                if j == i or not proven[j]:
                    continue
                pair = (kind[i], kind[j])
                if pair not in agreed:
                    agreed[pair] = mine.agrees_with(readings[kind[j]])
                if agreed[pair]:
                    for c in mine.contradicted_by(readings[kind[j]], other.source):
                        seen.setdefault(c.ref, c)
            if seen and doc.status != Status.FAILED:
                mark(doc, list(seen.values()))
                marked += 1
    return marked


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"
