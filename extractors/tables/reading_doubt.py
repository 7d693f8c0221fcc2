"""Readings the table's own shape puts in doubt. A grid row out of its table's shape (a cell dropped, a
span damaged: see table_grids.RowCell.irregular) may have moved its values or slid an empty cell under a
template column, so what was read there is not proven by the source:

- a blank read in such a row beside numbers of the same row, in a table that marks up every cell (the
  document model's Table.markup: HTML, Word), is not evidence that nothing is printed there (a report
  printing 0 where a cell was lost reads `ok` otherwise, since a blank counts as 0);
- an error-level identity that breaks on such a row may be the reading's doing, not the report's.

Either makes the report `partial` with the cells named. A report whose printed numbers really do not add
up, read from rows of a regular shape, keeps its flag and its `ok`."""

from __future__ import annotations

from collections.abc import Iterable

from schemas.records import CellRecord, FlagRecord, Severity

_SHAPE = "read from a row whose cells do not fit the table's columns (a cell lost or a span damaged)"
IDENTITY_RULE = "identity."


def unproven_blanks(cells: Iterable[CellRecord], lost: Iterable[str]) -> list[str]:
    """Notes (each starting with its ref) for blanks read from an irregular row that holds numbers, in a
    table that marks up every cell (LOST: the refs read from such rows; text and PDF grids are rebuilt
    from positions, where a blank often is a cell printed empty, and their truth says blank)."""
    doubtful = set(lost)
    cells = list(cells)
    filled = {(c.table, c.row_key) for c in cells if c.ref in doubtful and not c.blank}
    return [f"{c.ref}: blank {_SHAPE}; the source may print a number there"
            for c in cells if c.blank and c.ref in doubtful and (c.table, c.row_key) in filled]


REMAPPED = "re-read under another column mapping than their damaged header's"


def identities_in_doubt(flags: Iterable[FlagRecord], irregular: Iterable[str], why: str = _SHAPE) -> list[str]:
    """Notes for error-level identity flags that involve a cell read from an irregular row (or, with
    WHY = REMAPPED, a cell re-read under the mapping the row identities proved: extractors/tables/remap.py)."""
    doubtful = set(irregular)
    out = []
    for f in flags:
        if not f.rule.startswith(IDENTITY_RULE) or f.severity != Severity.ERROR:
            continue
        refs = [r for r in f.refs.split() if r in doubtful]
        if refs:
            out.append(f"{f.rule} does not hold on cells {why}: the reading may have moved them "
                       f"({', '.join(refs)})")
    return out
