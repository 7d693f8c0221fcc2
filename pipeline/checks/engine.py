"""The rule engine: a registry of rules, the context they read, and flag numbering."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord


@dataclass
class Context:
    """What a rule sees for one document: its record, table cells and narrative figures."""

    document: DocumentRecord
    cells: list[CellRecord]
    figures: list[FigureRecord]
    _index: dict[tuple[str, str, str], CellRecord] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for cell in self.cells:
            self._index.setdefault((cell.table, cell.row_key, cell.col_key), cell)

    def cell(self, table: str, row: str, col: str) -> CellRecord | None:
        """The cell at (table, row, col), or None when the extractor did not find it."""
        return self._index.get((table, row, col))

    def has_row(self, table: str, row: str) -> bool:
        """True when at least one cell of the row was found."""
        return any(k[0] == table and k[1] == row for k in self._index)

    def cols_of(self, table: str) -> list[str]:
        """Column keys found in a table, in first-seen order."""
        return list(dict.fromkeys(k[2] for k in self._index if k[0] == table))

    def rows_of(self, table: str) -> list[str]:
        """Row keys found in a table, in first-seen order."""
        return list(dict.fromkeys(k[1] for k in self._index if k[0] == table))

    def figure(self, figure_id: str) -> FigureRecord | None:
        """The figure with this id, if any."""
        return next((f for f in self.figures if f.figure_id == figure_id), None)


def cell_value(cell: CellRecord) -> float | None:
    """A cell's number: a blank cell counts as 0 (the template prints 0 as blank, — or 无)."""
    if cell.value is not None:
        return float(cell.value)
    return 0.0 if cell.blank else None


def fmt(value: float | int | None) -> str:
    """A number as an auditor reads it: no trailing .0, no float noise."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def num(value: float | None) -> float | int | None:
    """A number for the expected/found columns: integral values as int."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 6)


def flag(ctx: Context, rule: str, severity: str, message: str, refs: Iterable[str],
         expected: float | None = None, found: float | None = None, page: int | None = None,
         evidence: str = "") -> FlagRecord:
    """A flag without its id (the engine numbers flags once all rules ran)."""
    return FlagRecord(flag_id="", doc_id=ctx.document.doc_id, rule=rule, severity=severity,
                      message=message, refs=" ".join(dict.fromkeys(refs)), expected=num(expected),
                      found=num(found), page=page, evidence=evidence)


CheckFn = Callable[[Context], Iterable[FlagRecord]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its stable id prefix, what it checks, and the function."""

    id: str
    summary: str
    check: CheckFn


RULES: list[Rule] = []


def rule(rule_id: str, summary: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id (registration order is flag order)."""

    def register(fn: CheckFn) -> CheckFn:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"rule {rule_id} registered twice")
        RULES.append(Rule(rule_id, summary, fn))
        return fn

    return register


def number_flags(doc_id: str, flags: list[FlagRecord], start: int = 1) -> list[FlagRecord]:
    """Give flags their ids f"{doc_id}-r{n:03d}" in the order given."""
    for n, item in enumerate(flags, start):
        item.flag_id = f"{doc_id}-r{n:03d}"
    return flags


def run_rules(ctx: Context, rules: Iterable[Rule] | None = None) -> list[FlagRecord]:
    """Run every rule on one document and number the flags in registry order."""
    out: list[FlagRecord] = []
    for r in RULES if rules is None else rules:
        out.extend(r.check(ctx))
    return number_flags(ctx.document.doc_id, out)
