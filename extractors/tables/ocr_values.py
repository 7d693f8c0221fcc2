"""Template cells read by OCR, checked before they are trusted.

The OCR reader hands over what the engine printed in each cell, its confidence, and the ink marks it found
inside the cell's rules (schemas.document.Cell). Here, knowing the template:

- a digit look-alike (`。` `O` `o` `D` → 0, `l` `I` `|` → 1, `S` → 5, `B` → 8; the reader reads it as the
  digit where the marks are as many as the characters and digit-sized, and keeps what the engine printed)
  stands only where an identity of the template that involves the cell holds with it
  (schemas.template: `identities_for`, `Identity.evaluate`);
- a reading with fewer or more digits than marks (a lost or doubled digit) takes the one value with as
  many digits as marks, one digit away from the reading, that the identities prove;
- a cell read as nothing is blank only where its box holds no ink (or one flat mark: a dash); ink with
  no reading is not blank;
- a reading below CONFIDENT is not trusted.

Whatever is not proven is left as read (or as the look-alike's digit) with a note naming the cell, which
makes the report `partial`; the printed text stays in `raw`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import median

from extractors.readers.ocr_lookalikes import DASH_SHAPE, LOOKALIKES, SEPARATORS, as_digits
from extractors.tables.cell_sink import not_a_value
from schemas.document import BBox, Cell, CellSource, Document
from schemas.records import CellRecord, TableExtraction
from schemas.template import Identity, Relation, identities_for

# The lowest engine confidence a cell reading is trusted at, measured (benchmarks/ocr_confidence.py) on
# 815 OCR readings of template cells with known values: corpus/variants/ocr-mixed.pdf as built and as a
# rough scan, the seed with its table pages as images and as a rough scan, real-001 scanned. The one
# wrong reading (a dash read as 1 in a rough scan) scored 0.679, the right ones 0.75 and above but for 5
# (0.6 %, dashes and specks the geometry settles): the threshold sits between the two.
CONFIDENT = 0.72

_DASHES = frozenset("-—–_一─")
DIGIT_HEIGHT = 0.6  # a mark shorter than this share of the table's digit height is not a digit


@dataclass
class _Doubt:
    """An OCR cell whose value needs proof: the values its marks allow (none where they name none), and why."""

    cell: CellRecord
    candidates: tuple[float, ...]
    why: str


@dataclass
class OcrCheck:
    """What checking one document's OCR cells found: notes (each starting with its ref) and counts."""

    notes: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)  # refs read as a look-alike's digit, proven
    cells: int = 0
    confident: int = 0

    def summary(self) -> str:
        """The document warning: how many template cells OCR read, how many stand, which were corrected."""
        fixed = f", {len(self.corrected)} look-alike(s) read as digits the identities prove: " \
            f"{', '.join(self.corrected)}" if self.corrected else ""
        return f"OCR read {self.cells} template cell(s), {self.confident} confident or proven{fixed}"


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _digit_height(cells: Iterable[CellRecord], sources: Mapping[str, Cell]) -> float | None:
    """The median height of the marks of cells read as plain digits: the size a digit mark has here."""
    heights = [m[3] - m[1] for c in cells if (s := sources.get(c.ref)) is not None and s.ink
               and _clean(c.raw).isdigit() for m in s.ink]
    return median(heights) if heights else None


def _is_dash(marks: tuple[BBox, ...], digit: float | None) -> bool:
    """One flat mark, much wider than high and lower than a digit: a dash printed for nothing."""
    if len(marks) != 1:
        return False
    x0, top, x1, bottom = marks[0]
    height = bottom - top
    return (x1 - x0) >= DASH_SHAPE * height and (digit is None or height < DIGIT_HEIGHT * digit)


def _one_off(digits: str, marks: int) -> tuple[float, ...] | None:
    """Numbers with `marks` digits one digit away from `digits` (a digit lost or doubled); None if the
    counts are further apart."""
    if "." in digits or "," in digits:
        return None
    n = len(digits)
    if marks == n + 1:
        found = {digits[:i] + d + digits[i:] for i in range(n + 1) for d in "0123456789"}
    elif marks == n - 1 and n > 1:
        found = {digits[:i] + digits[i + 1:] for i in range(n)}
    else:
        return None
    return tuple(sorted({float(s) for s in found if s and (len(s) == 1 or s[0] != "0")}))


def _value(cell: CellRecord) -> float | None:
    """A cell's number as identities sum it: blank 0, unread None."""
    if cell.value is not None:
        return float(cell.value)
    return 0.0 if cell.blank else None


class _Lines:
    """The document's template cells by table, and the identity lines through each cell."""

    def __init__(self, cells: list[CellRecord]) -> None:
        self.at: dict[tuple[str, str, str], CellRecord] = {(c.table, c.row_key, c.col_key): c for c in cells}
        self.rows: dict[str, set[str]] = {}
        self.cols: dict[str, set[str]] = {}
        for t, r, c in self.at:
            self.rows.setdefault(t, set()).add(r)
            self.cols.setdefault(t, set()).add(c)

    def tests(self, cell: CellRecord, values: Mapping[tuple[str, str, str], float | None]) -> list[bool]:
        """Whether each identity line through the cell that can be tested holds (on `values`)."""
        out = []
        for axis, printed in (("rows", self.rows.get(cell.table, set())), ("cols", self.cols.get(cell.table, set()))):
            key = cell.row_key if axis == "rows" else cell.col_key
            for ident in identities_for(cell.table, axis, printed):
                if key not in ident.keys():
                    continue
                ev = ident.evaluate(self._line(ident, cell, values))
                # an equality proves a value; a bound (≤) only rules out what breaks it
                if ev is not None and (ident.relation == Relation.EQ or not ev.holds):
                    out.append(ev.holds)
        return out

    def _line(self, ident: Identity, cell: CellRecord,
              values: Mapping[tuple[str, str, str], float | None]) -> dict[str, float | None]:
        """The printed keys of the identity's line through the cell, with their values."""
        out: dict[str, float | None] = {}
        for k in ident.keys():
            ref = (cell.table, k, cell.col_key) if ident.axis == "rows" else (cell.table, cell.row_key, k)
            if ref in self.at:
                out[k] = values.get(ref)
        return out


def _proven(lines: _Lines, cell: CellRecord, value: float,
            values: dict[tuple[str, str, str], float | None]) -> bool | None:
    """True when an identity line through the cell holds with `value` and none breaks; False when one
    breaks; None when no identity can be tested there."""
    ref = (cell.table, cell.row_key, cell.col_key)
    before = values[ref]
    values[ref] = value
    try:
        results = lines.tests(cell, values)
    finally:
        values[ref] = before
    if not results:
        return None
    return all(results)


def _settle(doubts: list[_Doubt], lines: _Lines, check: OcrCheck) -> None:
    """Prove each doubtful cell's value from the identities: look-alikes (one candidate each) together,
    then lost or doubled digits one by one against what is known."""
    values = {ref: _value(c) for ref, c in lines.at.items()}
    for d in doubts:
        values[(d.cell.table, d.cell.row_key, d.cell.col_key)] = None
    single = [d for d in doubts if len(d.candidates) == 1]
    for d in single:  # each look-alike's digit, as if all were right: an identity over them tests them together
        values[(d.cell.table, d.cell.row_key, d.cell.col_key)] = d.candidates[0]
    settled: list[_Doubt] = []
    for d in single:
        if _proven(lines, d.cell, d.candidates[0], values):
            settled.append(d)
    for d in single:
        if d not in settled:
            values[(d.cell.table, d.cell.row_key, d.cell.col_key)] = None
    for d in doubts:
        if len(d.candidates) == 1:
            continue
        fits = [v for v in d.candidates if _proven(lines, d.cell, v, values)]
        if len(fits) == 1:
            values[(d.cell.table, d.cell.row_key, d.cell.col_key)] = fits[0]
            settled.append(d)
            d.candidates = (fits[0],)
    for d in doubts:
        cell = d.cell
        if d in settled:
            if _clean(cell.raw).replace(",", "") != _num(d.candidates[0]):
                check.corrected.append(cell.ref)  # read otherwise than the engine printed it
            _set(cell, d.candidates[0])
            continue
        if len(d.candidates) == 1:
            _set(cell, d.candidates[0])
            check.notes.append(f"{cell.ref}: OCR read {cell.raw!r} ({d.why}); taken as {_num(d.candidates[0])}, "
                               "which no identity of the table proves")
        else:
            check.notes.append(f"{cell.ref}: OCR read {cell.raw!r} ({d.why}), and no identity of the table "
                               "proves which number is printed")


def _set(cell: CellRecord, value: float) -> None:
    cell.value, cell.blank = int(value) if float(value).is_integer() else value, False


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_ocr_cells(doc: Document, tables: TableExtraction, sources: Mapping[tuple[str, str, str], Cell]
                    ) -> OcrCheck:
    """Check the template cells read by OCR (see the module doc); corrects proven cells in place, drops
    the not-a-value problem of each cell it settles, and returns the notes of the cells left in doubt.

    `sources` maps (table, row_key, col_key) to the grid cell each record was read from
    (table_grids.recording_sources)."""
    check = OcrCheck()
    ocr_pages = {p.number for p in doc.pages if p.ocr}
    by_ref = {".".join(k): v for k, v in sources.items()}
    for cell in tables.cells:  # provenance of records made without it (the old table) and of flat text
        source = by_ref.get(cell.ref)
        if source is not None:
            cell.read_by, cell.confidence = source.read_by, source.confidence
        elif cell.page in ocr_pages:
            cell.read_by = CellSource.OCR
    ocr = [c for c in tables.cells if c.read_by == CellSource.OCR]
    if not ocr:
        return check
    digit = _digit_height(ocr, by_ref)
    doubts: list[_Doubt] = []
    settled_text: set[str] = set()
    shown: set[str] = set()  # blanks the geometry shows: no mark of a digit in the box (or a dash)
    unread: list[str] = []
    for cell in ocr:
        source = by_ref.get(cell.ref)
        marks = source.ink if source is not None else None
        text = _clean(cell.raw)
        digits = as_digits(text)
        if marks is None:  # read from OCR text, not from a grid cell: nothing to check it against
            if not cell.blank:
                check.notes.append(f"{cell.ref}: read from OCR text outside a table grid (no confidence "
                                   "or ink to check it against)")
            continue
        big = [m for m in marks if digit is None or m[3] - m[1] >= DIGIT_HEIGHT * digit]
        if not text or (set(text) <= _DASHES):
            if not marks or _is_dash(marks, digit):
                shown.add(cell.ref)
                continue  # the box is empty (or holds one dash): blank, as read
            cell.value, cell.blank = None, False
            unread.append(cell.ref)
            read = f"a dash ({cell.raw!r})" if text else "nothing"
            check.notes.append(f"{cell.ref}: OCR read {read} in a box that holds ink ({len(marks)} mark(s), "
                               "not one dash): not blank, the number is unread")
            continue
        if digits is None:
            continue  # prose or a number with its unit: parsed as any text cell is
        if not big and set(text) <= set(LOOKALIKES) | SEPARATORS:
            shown.add(cell.ref)
            continue  # no mark of a digit's size: a dot or a speck read as a look-alike, not a digit
        plain = digits.replace(",", "").replace(".", "")
        if len(big) == len(plain) and digits == text:
            continue  # digits, as many as the marks
        if len(big) == len(plain) or not big:
            candidate = float(digits.replace(",", ""))
            doubts.append(_Doubt(cell, (candidate,), "a look-alike of a digit"))
        else:
            options = _one_off(plain, len(big))
            why = f"{len(plain)} digit(s) where the box shows {len(big)} mark(s)"
            if options is None:
                doubts.append(_Doubt(cell, (), why))
            else:
                # the reading itself is kept where the identities prove it (marks touching or split)
                doubts.append(_Doubt(cell, (float(digits), *options) if digits == text else options, why))
        settled_text.add(cell.ref)
    _settle(doubts, _Lines(tables.cells), check)
    # a cell settled here is no longer 'text, not a value'
    stale = {not_a_value(c.table, c.row_key, c.col_key, c.raw) for c in ocr if c.ref in settled_text}
    tables.problems = [p for p in tables.problems if p.text not in stale]
    for cell in ocr:  # the rest stand on the engine's confidence
        if cell.ref not in settled_text and cell.ref not in unread and cell.ref not in shown \
                and cell.confidence is not None and cell.confidence < CONFIDENT:
            check.notes.append(f"{cell.ref}: OCR read {cell.raw!r} with confidence {cell.confidence:.2f}, below "
                               f"{CONFIDENT}")
    doubted = {n.split(":", 1)[0] for n in check.notes}
    check.cells = len(ocr)
    check.confident = sum(1 for c in ocr if c.ref not in doubted)
    return check


__all__ = ["CONFIDENT", "OcrCheck", "check_ocr_cells"]
