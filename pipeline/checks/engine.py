"""The rule engine: a registry of rules, the context they read, and stable flag ids."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.checks.clauses import Place, locate, squeeze
from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord, Severity

FLAG_ID_PREFIX = "f-"
FLAG_ID_HEX = 16
FIGURE_REF = "figure:"


@dataclass
class Context:
    """What a rule sees for one document: its record, table cells and narrative figures."""

    document: DocumentRecord
    cells: list[CellRecord]
    figures: list[FigureRecord]
    _index: dict[tuple[str, str, str], CellRecord] = field(default_factory=dict, repr=False)
    _figures: dict[str, FigureRecord] = field(default_factory=dict, repr=False)
    _figure_keys: dict[str, str] = field(default_factory=dict, repr=False)
    _places: dict[str, Place] | None = field(default=None, repr=False)
    # per table, its row and column keys in first-seen order: built once, read by every rule and line
    _rows: dict[str, dict[str, None]] = field(default_factory=dict, repr=False)
    _cols: dict[str, dict[str, None]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for cell in self.cells:
            key = (cell.table, cell.row_key, cell.col_key)
            if key not in self._index:
                self._index[key] = cell
                self._rows.setdefault(cell.table, {})[cell.row_key] = None
                self._cols.setdefault(cell.table, {})[cell.col_key] = None
        for fig in self.figures:
            self._figures.setdefault(fig.figure_id, fig)
        self._figure_keys = figure_content_keys(self.figures)

    def places(self) -> dict[str, Place]:
        """Every figure located in its sentence (clauses.locate), once per document for all its rules."""
        if self._places is None:
            self._places = locate(self.figures)
        return self._places

    def cell(self, table: str, row: str, col: str) -> CellRecord | None:
        """The cell at (table, row, col), or None when the extractor did not find it."""
        return self._index.get((table, row, col))

    def has_table(self, table: str) -> bool:
        """True when at least one cell of the table was found (a set lookup, not a pass over the cells)."""
        return table in self._rows

    def has_row(self, table: str, row: str) -> bool:
        """True when at least one cell of the row was found."""
        return row in self._rows.get(table, ())

    def cols_of(self, table: str) -> list[str]:
        """Column keys found in a table, in first-seen order."""
        return list(self._cols.get(table, ()))

    def rows_of(self, table: str) -> list[str]:
        """Row keys found in a table, in first-seen order."""
        return list(self._rows.get(table, ()))

    def figure(self, figure_id: str) -> FigureRecord | None:
        """The figure with this id, if any."""
        return self._figures.get(figure_id)

    def ref_key(self, ref: str) -> str:
        """A ref as content: cells keep their canonical key, a figure becomes what it says and where."""
        if ref.startswith(FIGURE_REF):
            return self._figure_keys.get(ref[len(FIGURE_REF):], ref)
        return ref


def figure_content_keys(figures: Iterable[FigureRecord]) -> dict[str, str]:
    """figure_id -> a key made of the figure's text, not its number: the printed figure (with its unit),
    its sentence, and which occurrence of that text in the sentence it is. Figure ids count figures in
    document order, so one more figure found earlier in the text would renumber every later one; the
    category is an interpretation a later extractor may refine, so it is left out too."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out: dict[str, str] = {}
    ordered = sorted(figures, key=lambda f: (f.start if f.start is not None else 0, f.figure_id))
    squeezed: dict[str, str] = {}  # per sentence: the figures of one sentence share it
    for fig in ordered:
        if fig.sentence not in squeezed:
            squeezed[fig.sentence] = squeeze(fig.sentence)
        base = (squeeze(fig.raw), squeezed[fig.sentence])
        seen[base] += 1
        out[fig.figure_id] = FIGURE_REF + _digest("\x1f".join((*base, str(seen[base]))))[:FLAG_ID_HEX]
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stable_flag_id(content_hash: str, rule_id: str, ref_keys: Iterable[str], discriminator: str = "") -> str:
    """f-<16 hex>: a hash of the document's sha256, the rule id, the refs (as content) and, where a rule
    can fire twice on the same refs, a discriminator taken from the finding's content."""
    parts = [content_hash, rule_id, " ".join(sorted(set(ref_keys))), discriminator]
    return FLAG_ID_PREFIX + _digest("\x1f".join(parts))[:FLAG_ID_HEX]


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


def content_hash(document: DocumentRecord) -> str:
    """What a document's flag ids are derived from: its bytes' sha256 (doc_id where there is none)."""
    return document.sha256 or document.doc_id


def flag(ctx: Context, rule: str, severity: Severity | str, message: str, refs: Iterable[str],
         expected: float | None = None, found: float | None = None, page: int | None = None,
         evidence: str = "", key: str = "") -> FlagRecord:
    """A flag with its stable id; `key` tells apart two findings of one rule on the same refs."""
    refs = list(dict.fromkeys(refs))
    flag_id = stable_flag_id(content_hash(ctx.document), rule, (ctx.ref_key(r) for r in refs), key)
    return FlagRecord(flag_id=flag_id, doc_id=ctx.document.doc_id, rule=rule, severity=Severity(severity),
                      message=message, refs=" ".join(refs), expected=num(expected),
                      found=num(found), page=page, evidence=evidence)


CheckFn = Callable[[Context], Iterable[FlagRecord]]
# a batch rule sees every report of the run: (document, the cells it asked for) in input order
BatchFn = Callable[..., Iterable[FlagRecord]]  # (results) or, for whole_cells rules, (results, load_cells)


@dataclass(frozen=True)
class Rule:
    """A registered rule: its stable id, what it checks, the text docs/rules.md and the audit page show,
    and the function (per document, or over the whole batch)."""

    id: str
    summary: str
    check: Callable
    severity: str = "warning"  # the severities it raises, as docs/rules.md lists them
    explanation: str = ""  # what exactly it checks and when it stays quiet (docs/rules.md, audit page)
    example: str = ""  # a real case it catches or lets pass
    details: tuple[tuple[str, str, str], ...] = ()  # (matching rule, what it does, example sentence)
    batch: bool = False
    needs: Callable[[CellRecord], bool] | None = None  # batch rules: the cells they read of each report
    # batch rules that compare every cell of a few documents: called with (results, load_cells), load_cells
    # giving one document's cells (read again from the checkpoint rather than held for the whole run)
    whole_cells: bool = False


RULES: list[Rule] = []


def _register(entry: Rule) -> None:
    if any(r.id == entry.id for r in RULES):
        raise ValueError(f"rule {entry.id} registered twice")
    RULES.append(entry)


def rule(rule_id: str, summary: str, *, severity: str = "warning", explanation: str = "",
         example: str = "", details: tuple[tuple[str, str, str], ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a per-document check under a stable id (registration order is the order of flags)."""

    def register(fn: CheckFn) -> CheckFn:
        _register(Rule(rule_id, summary, fn, severity, explanation or summary, example, details))
        return fn

    return register


def batch_rule(rule_id: str, summary: str, needs: Callable[[CellRecord], bool], *, severity: str = "warning",
               explanation: str = "", example: str = "", whole_cells: bool = False) -> Callable[[BatchFn], BatchFn]:
    """Register a check over every report of a run (e.g. across years); `needs` picks the cells it reads
    (carried through the run); `whole_cells` rules are also given a loader of any document's cells."""

    def register(fn: BatchFn) -> BatchFn:
        _register(Rule(rule_id, summary, fn, severity, explanation or summary, example, batch=True,
                       needs=needs, whole_cells=whole_cells))
        return fn

    return register


def unique_ids(flags: list[FlagRecord]) -> list[FlagRecord]:
    """Where two flags share an id (one rule, same refs), tell them apart by their message, then evidence;
    only findings identical in every word are numbered, in the order given."""
    for discriminate in (lambda f: f.message, lambda f: f.evidence):
        groups: dict[str, list[FlagRecord]] = defaultdict(list)
        for item in flags:
            groups[item.flag_id].append(item)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            return flags
        for group in clashes:
            for item in group:
                item.flag_id = stable_flag_id(item.flag_id, item.rule, (), discriminate(item))
    seen: dict[str, int] = defaultdict(int)
    for item in flags:
        seen[item.flag_id] += 1
        if seen[item.flag_id] > 1:
            item.flag_id = stable_flag_id(item.flag_id, item.rule, (), str(seen[item.flag_id]))
    return flags


def run_rules(ctx: Context, rules: Iterable[Rule] | None = None) -> list[FlagRecord]:
    """Run every per-document rule on one document (flags in registry order, each with its stable id)."""
    out: list[FlagRecord] = []
    for r in RULES if rules is None else rules:
        if not r.batch:
            out.extend(r.check(ctx))
    return unique_ids(out)
