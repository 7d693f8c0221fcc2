"""Coverage of the template tables: every canonical cell of a detected table found, blank, missing or
ambiguous. Computed once, from the final TableExtraction (grids and flattened text merged), so that
`ok` can mean complete whatever source the cells came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from schemas.legacy import ALL_TABLE_KEYS, LEGACY, LEGACY_SPEC
from schemas.records import TableExtraction
from schemas.template import T3, T3_OTHER_ROWS, TableSpec, template_tables

# an ambiguity note starts with the ref it is about: table.row.col (one cell) or table.row (a row's cells)
_REF = re.compile(r"^([a-z0-9_]+)\.([a-z0-9_]+)(?:\.([a-z0-9_]+))?")
_SHOWN = 6  # keys named per group in a note before "…"

Cell = tuple[str, str]  # (row_key, col_key)


@dataclass
class TableCoverage:
    """One detected table: the cells its template prints, and which of them were found or not."""

    spec: TableSpec
    expected: set[Cell]
    found: set[Cell]
    ambiguous: set[Cell]
    guessed: set[Cell] = field(default_factory=set)  # found, but chosen by a weak tie-breaker
    unproven: set[Cell] = field(default_factory=set)  # read blank, but the source does not prove the blank


    @property
    def missing(self) -> set[Cell]:
        return self.expected - self.found - self.ambiguous

    def note(self) -> str:
        """'t3_requests: 2 cells missing: column research (rows granted, …)', '' when complete."""
        parts = []
        if self.missing:
            parts.append(f"{_count(self.missing)} missing: {_describe(self.missing, self.expected, self.spec)}")
        if self.ambiguous:
            parts.append(f"{_count(self.ambiguous)} ambiguous: {_describe(self.ambiguous, self.expected, self.spec)}")
        if self.guessed:
            parts.append(f"{_count(self.guessed)} guessed: {_describe(self.guessed, self.expected, self.spec)}")
        if self.unproven:
            parts.append(f"{_count(self.unproven)} blank unproven: "
                         f"{_describe(self.unproven, self.expected, self.spec)}")
        return f"{self.spec.key}: " + "; ".join(parts) if parts else ""


@dataclass
class Coverage:
    """All detected tables of a document; counts are None when no table was read."""

    tables: list[TableCoverage] = field(default_factory=list)

    def _count(self, attr: str) -> int | None:
        return sum(len(getattr(t, attr)) for t in self.tables) if self.tables else None

    @property
    def expected(self) -> int | None:
        return self._count("expected")

    @property
    def found(self) -> int | None:
        return self._count("found")

    @property
    def missing(self) -> int | None:
        return self._count("missing")

    @property
    def ambiguous(self) -> int | None:
        return self._count("ambiguous")

    @property
    def guessed(self) -> int | None:
        return self._count("guessed")

    @property
    def unproven(self) -> int | None:
        return self._count("unproven")

    @property
    def complete(self) -> bool:
        """Every expected cell found, none of them a guess, and every blank proven."""
        return not self.missing and not self.ambiguous and not self.guessed and not self.unproven

    def notes(self) -> list[str]:
        return [n for n in (t.note() for t in self.tables) if n]


def _count(cells: set[Cell]) -> str:
    return f"{len(cells)} cell{'s' if len(cells) > 1 else ''}"


def _plural(word: str, keys: list[str]) -> str:
    shown = ", ".join(keys[:_SHOWN]) + (", …" if len(keys) > _SHOWN else "")
    return f"{word}{'s' if len(keys) > 1 else ''} {shown}"


def _describe(cells: set[Cell], expected: set[Cell], spec: TableSpec) -> str:
    """Name the cells by whole rows, then by column or by row, whichever takes fewer groups (template order)."""
    # rows the table printed beyond the form's keys (the old table's other_<n>) come after them, in order
    printed = sorted({r for r, _ in expected} - {r.key for r in spec.rows}, key=lambda r: (len(r), r))
    row_at = {k: i for i, k in enumerate([*(r.key for r in spec.rows), *printed])}
    col_at = {c.key: i for i, c in enumerate(spec.cols)}
    whole = sorted((r for r in {r for r, _ in cells} if {c for c in expected if c[0] == r} <= cells),
                   key=row_at.__getitem__)
    rest = sorted((c for c in cells if c[0] not in whole), key=lambda c: (row_at[c[0]], col_at[c[1]]))
    by_col: dict[str, list[str]] = {}
    by_row: dict[str, list[str]] = {}
    for r, c in rest:
        by_col.setdefault(c, []).append(r)
        by_row.setdefault(r, []).append(c)
    groups = [_plural("row", whole)] if whole else []
    if by_col and len(by_col) <= len(by_row):
        groups += [f"column {c} ({_plural('row', rs)})" for c, rs in by_col.items()]
    else:
        groups += [f"row {r} ({_plural('column', cs)})" for r, cs in by_row.items()]
    return "; ".join(groups)


# per table spec (module constants, held here with their id): each row key's columns, as spec.cols_of says
_COLS_BY_ROW: dict[int, tuple[TableSpec, dict[str, tuple[str, ...]]]] = {}


def _cols_by_row(spec: TableSpec) -> dict[str, tuple[str, ...]]:
    """Row key -> spec.cols_of(row key) for every row of a spec, worked out once per spec (never changed
    by the caller: expected_cells builds a new mapping where a layout drops a column)."""
    held = _COLS_BY_ROW.get(id(spec))
    if held is None or held[0] is not spec:
        held = _COLS_BY_ROW[id(spec)] = (spec, {r.key: spec.cols_of(r.key) for r in spec.rows})
    return held[1]


def expected_cells(spec: TableSpec, template: str, rows_seen: set[str], cols_seen: set[str]) -> set[Cell]:
    """The cells a table of this template version prints, given the rows and columns it was read with:
    table 3 prints either one （六）其他处理 row or its three numbered rows, and its 小计 column only in
    some layouts; a cell the layout does not print is not expected."""
    rows = [r.key for r in spec.rows]
    cols = _cols_by_row(spec)
    if spec.key == T3:
        single = spec.row("other_total").key
        three = set(T3_OTHER_ROWS)
        use_three = bool(rows_seen & three) or (single not in rows_seen and template != "2019")
        rows = [r for r in rows if (r in three) == use_three or (r != single and r not in three)]
        subtotal = spec.col("org_subtotal").key
        if subtotal not in cols_seen:
            cols = {r: tuple(c for c in cs if c != subtotal) for r, cs in cols.items()}
    return {(r, c) for r in rows for c in cols[r]}


def note_ref(note: str) -> tuple[str, str, str | None] | None:
    """(table, row, col or None) a note starts with, None when it names no template table."""
    m = _REF.match(note.strip())
    return (m.group(1), m.group(2), m.group(3)) if m and m.group(1) in ALL_TABLE_KEYS else None


def _refs(notes: list[str]) -> dict[str, list[tuple[str, str | None]]]:
    """table -> (row, col or None for the whole row) of each note (ambiguous or guessed)."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    for ref in filter(None, map(note_ref, notes)):
        out.setdefault(ref[0], []).append(ref[1:])
    return out


def coverage(tables: TableExtraction, template: str) -> Coverage:
    """Coverage of every table the extraction detected, for the document's template version."""
    specs = template_tables(template)
    amb, guess, unproven = _refs(tables.ambiguous), _refs(tables.guessed), _refs(tables.unproven)
    out = Coverage()
    by_table: dict[str, set[Cell]] = {}  # each table's cells, in one pass over them all
    for c in tables.cells:
        by_table.setdefault(c.table, set()).add((c.row_key, c.col_key))
    for key in ALL_TABLE_KEYS:
        if key not in tables.tables_found:
            continue
        spec = LEGACY_SPEC if key == LEGACY else specs[key]
        got = by_table.get(key, set())
        # a form that leaves its rows to the report (the old table) is expected as printed
        expected = tables.expected_cells.get(key) or expected_cells(
            spec, template, {r for r, _ in got}, {c for _, c in got})
        ambiguous: set[Cell] = set()
        for row, col in amb.get(key, []):
            ambiguous |= {(row, col)} if col else {c for c in expected if c[0] == row} - got
        ambiguous &= expected
        found = (got & expected) - ambiguous
        guessed = {c for row, col in guess.get(key, []) for c in found if c[0] == row and col in (None, c[1])}
        doubt = {c for row, col in unproven.get(key, []) for c in found if c[0] == row and col in (None, c[1])}
        out.tables.append(TableCoverage(spec, expected, found, ambiguous, guessed, doubt))
    return out
