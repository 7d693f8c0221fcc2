"""Blank is a reading that needs evidence: a blank cell counts as 0, so a blank read where something was
printed (a value lost in a damaged file, a digit OCR could not read) breaks nothing and reads `ok` unless
the report's own numbers say otherwise. Here they do:

- a template identity that fails with blanks counted as 0, and whose short side holds blanks (a blank
  总计 beside non-zero parts, or a total above the parts where some parts are blank): those blanks may
  hold the difference, so they are not proven blank;
- a narrative figure stating a number for cells the table reads blank (pipeline.process, after checks).

Either makes the report `partial` naming the cells; a table whose printed numbers disagree without a
blank on the short side keeps its identity flag (the report's own inconsistency)."""

from __future__ import annotations

from collections.abc import Iterable

from schemas.records import CellRecord, FlagRecord, Severity
from schemas.template import IDENTITIES, identities_for

NARRATIVE_RULE = "narrative.table_mismatch"


def _lines(table: str, axis: str, index: dict[tuple[str, str, str], CellRecord]) -> dict[str, dict[str, CellRecord]]:
    """Per line an identity of the table runs along (a column for axis rows, a row for axis cols): key -> cell
    (the same for every identity of one table and axis: built once for them all)."""
    out: dict[str, dict[str, CellRecord]] = {}
    for (t, row, col), cell in index.items():
        if t != table:
            continue
        line, key = (col, row) if axis == "rows" else (row, col)
        out.setdefault(line, {})[key] = cell
    return out


def _number(cell: CellRecord) -> float | None:
    if cell.value is not None:
        return float(cell.value)
    return 0.0 if cell.blank else None


def contradicted_blanks(cells: Iterable[CellRecord]) -> list[str]:
    """Notes (each starting with its ref) for blank cells on the short side of a template identity that
    fails with blanks read as 0."""
    index = {(c.table, c.row_key, c.col_key): c for c in cells}
    notes: dict[str, str] = {}
    for table in dict.fromkeys(i.table for i in IDENTITIES):
        for axis in ("rows", "cols"):
            printed = {k[1] if axis == "rows" else k[2] for k in index if k[0] == table}
            lines = _lines(table, axis, index)
            numbers: dict[str, dict[str, float | None]] = {}  # per line, once for all its identities
            for ident in identities_for(table, axis, printed):
                own = ident.keys()
                for line, by_key in lines.items():
                    if line in own:
                        continue  # the identity's own keys are not lines it runs along
                    values = numbers.get(line)
                    if values is None:
                        values = numbers[line] = {k: _number(c) for k, c in by_key.items()}
                    ev = ident.evaluate(values)
                    if ev is None or ev.holds:
                        continue
                    total_side = ident.left or (ident.total,)
                    short = total_side if ev.total < ev.parts_sum else ev.parts
                    for key in short:
                        cell = by_key.get(key)
                        if cell is not None and cell.blank:
                            notes.setdefault(cell.ref, f"{cell.ref}: blank, but identity.{ident.id} says a number "
                                             f"is printed there ({_fmt(ev.total)} vs {_fmt(ev.parts_sum)} "
                                             "with blanks as 0)")
    return list(notes.values())


def narrative_blanks(cells: Iterable[CellRecord], flags: Iterable[FlagRecord]) -> list[str]:
    """Notes for blank cells a narrative figure contradicts: a warning-level narrative/table mismatch whose
    table side is 0 (the cells compared are blank or 0) while the text states a positive number."""
    blank = {c.ref: c for c in cells if c.blank}
    notes: dict[str, str] = {}
    for f in flags:
        if f.rule != NARRATIVE_RULE or f.severity != Severity.WARNING:
            continue
        if _float(f.expected) != 0 or not (_float(f.found) or 0) > 0:
            continue
        for ref in f.refs.split():
            if ref in blank:
                notes.setdefault(ref, f"{ref}: blank, but the narrative states {f.found} for it")
    return list(notes.values())


def _float(text: object) -> float | None:
    try:
        return float(str(text))
    except ValueError:
        return None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
