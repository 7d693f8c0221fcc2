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
    numbers = {c.ref: float(c.value) for c in sibling if c.value is not None and c.value != 0}
    return [Contradiction(c.ref, source, numbers[c.ref]) for c in blank_file if c.blank and c.ref in numbers]


def agree(a: list[CellRecord], b: list[CellRecord]) -> bool:
    """Every cell both files read as a number is the same number."""
    numbers = {c.ref: c.value for c in b if c.value is not None}
    return all(numbers[c.ref] == c.value for c in a if c.value is not None and c.ref in numbers)


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
        cells = [load_cells(doc) for doc in files]
        proven = [doc.status == Status.OK for doc in files]  # before this pass marks any of them
        for i, doc in enumerate(files):
            seen: dict[str, Contradiction] = {}
            for j, other in enumerate(files):
                if j != i and proven[j] and agree(cells[i], cells[j]):
                    for c in contradictions(cells[i], cells[j], other.source):
                        seen.setdefault(c.ref, c)
            if seen and doc.status != Status.FAILED:
                mark(doc, list(seen.values()))
                marked += 1
    return marked


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"
