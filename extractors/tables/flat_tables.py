"""Recover template tables from flattened text, where a portal page saved as text ran the cells together.

The text is every paragraph plus every grid row (its cells joined by tabs). Each template row label is
located in order (tolerant of spaces, bracket widths, numbering and small typos); the digits between
one label and the next are that row's run, split by `digit_split` into the row's cells. What decides
between readings, strongest first:

1. whitespace in the run (always a cell boundary) and the cell syntax (no leading zeros, `1,234`,
   decimals only in amount columns, a sign only in 本年增/减). A row whose cells stand on lines of
   their own, or in a grid row, never ran together: its cells are whole, and a row with too few of
   them (an empty cell lost) is left out with a reason rather than split to fit;
2. row identities: table 3 total = sum of the six applicant columns (and 小计 = the five
   organisations), table 4 总计 = the four results in each group. Table 4 is one run of 15 counts
   after its headers and is kept only when all three group totals hold; otherwise it is left out and
   its readings listed in `ambiguous`;
3. column identities of table 3 across rows: 总计 = the sum of the outcome rows, and
   新收 + 上年结转 = 总计 + 结转下年度, in every column;
4. what the report's prose says about a table-2 cell (`flat_narrative`: 本年度制发的规范性文件77件
   names the row and the column), outside the tables; a statement no reading fits is set aside;
5. weak tie-breakers for table 2, which has no identity; each use is written to `guessed` (the cells
   are emitted, they are usually right, but the document is then `partial` and its error names them):
   - repeated digits: a run that is one group of digits printed n times (`898989`) reads as n equal cells;
   - zero change: in the 2019 form, when every item row of the (五)(六)(八) blocks (at least three)
     has exactly one reading whose 本年增/减 is a lone 0, those readings are taken.

A row with more than one reading left is reported in `ambiguous` with its readings (the first
SHOWN_READINGS) and only the cells every reading agrees on are emitted; a row with no reading is
reported in `problems`. Nothing is guessed silently.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex as re

from extractors.tables.digit_split import (
    DECIMAL,
    EMPTY,
    INT,
    SIGNED,
    Sum,
    TooManyReadings,
    is_blank,
    splits,
    tokenize,
    value_of,
    values,
)
from extractors.tables.flat_narrative import Statement, statements
from extractors.tables.labels import is_collapsed_t4_header
from schemas.document import Cell, Document, Table
from schemas.records import CellRecord, Problem, TableExtraction
from schemas.template import DECIMAL as TEMPLATE_DECIMAL
from schemas.template import SIGNED as TEMPLATE_SIGNED
from schemas.template import (
    T2_2019,
    T2_2021,
    T3_OTHER_ROWS,
    T3_SPEC,
    T4_GROUPS,
    T4_OUTCOMES,
    T4_SPEC,
    Identity,
    KeySpec,
    TableSpec,
    col_kinds,
    identities_for,
)

Reading = tuple[str, ...]

ROW_WINDOW = 400  # how far after one row label the next may start
MAX_COMBINATIONS = 200_000  # readings combined across table-3 rows before giving up
SHOWN_READINGS = 12  # readings listed in an ambiguity note
MIN_T3_ROWS = 10  # row labels that make table 3 in flattened text, unless the text ends inside it
_NUMERIC_RUN = re.compile(rf"[\s\d.,\-+—–/无{EMPTY}]*")
_UNIT = re.compile(r"\s*(?:万?元|件|项|个|条)")
_CN_NUM = "一二三四五六七八九十"
_NUMBERING = re.compile(rf"^(?:[{_CN_NUM}]+、|\([{_CN_NUM}]+\)|(\d+)\.)\s*")
_PIPES = re.compile(r"[|｜│┃║]")
# a page number left in text saved from a paged original (- 3 -, 第3页 共5页, 3/5): not table digits
_PAGE_NUMBER = re.compile(r"\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                          r"|\d{1,3}\s*/\s*\d{1,3}|page\s*\d{1,3}(?:\s*of\s*\d{1,3})?)\s*", re.I)
_PUNCT = re.compile(r"[\p{P}\p{S}]")
# column kinds from the template (table 2 holds every decimal and signed column)
_DECIMAL_COLS = {c for (_, c), kind in col_kinds().items() if kind == TEMPLATE_DECIMAL}
_SIGNED_COLS = {c for (_, c), kind in col_kinds().items() if kind == TEMPLATE_SIGNED}
# the 2019 form's item rows ((五)(六)(八) blocks): the rows with a 本年增/减 column
_T2_19_ITEM_ROWS = tuple(r.key for r in T2_2019.rows if _SIGNED_COLS & set(T2_2019.cols_of(r.key)))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@dataclass
class Row:
    """One located row: its key, printed label, the digit run after it, and where it stands."""

    key: str
    label: str
    run: str
    start: int
    end: int  # end of the run
    page: int | None = None
    cols: tuple[str, ...] = ()
    readings: list[Reading] = field(default_factory=list)
    note: str = ""  # what narrowed the readings, or why none was taken, for the ambiguity note
    lines: bool = False  # the label and each cell stand on lines of their own (see one_per_line)


def _grid_line(row: Sequence[Cell | None]) -> str:
    """A grid row as one line for flat reading: its distinct cells joined by tabs (cells that never ran
    together), an empty cell between two filled value cells kept as EMPTY (a blank printed empty)."""
    cells: list[Cell] = []
    for cell in row:
        if cell is not None and not any(cell is c for c in cells):
            cells.append(cell)
    texts = [" ".join(c.text.split()) for c in cells]
    numeric = [i for i, t in enumerate(texts) if t and _NUMERIC_RUN.fullmatch(_norm(t))]
    if not numeric:
        return "\t".join(t for t in texts if t)
    first, last = numeric[0], max(i for i, t in enumerate(texts) if t)
    return "\t".join(t if t else EMPTY for i, t in enumerate(texts) if t or first < i < last)


@dataclass
class FlatText:
    """The paragraphs joined (NFKC-normalised) with a lookup from offset to page."""

    text: str
    starts: list[int]
    pages: list[int | None]

    @classmethod
    def of(cls, doc: Document) -> FlatText:
        parts, starts, pages, pos = [], [], [], 0
        for block in doc.blocks():
            lines = [_grid_line(row) for row in block.grid()] if isinstance(block, Table) else [block.text]
            for line in lines:
                # a full-width comma ends a clause, it never groups thousands: kept apart from ','
                line = _norm(line.replace("，", "、"))
                if _PAGE_NUMBER.fullmatch(line):
                    continue
                # a pipe left in text is a cell boundary of a table printed one cell per line
                text = _PIPES.sub(" ", line)
                parts.append(text)
                starts.append(pos)
                pages.append(block.page)
                pos += len(text) + 1
        return cls("\n".join(parts), starts, pages)

    def page_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.pages[i] if i >= 0 else None


# ---------------------------------------------------------------- label matching


def _core_pattern(core: str) -> str:
    """A pattern for a label body: spaces allowed anywhere, punctuation optional and interchangeable."""
    parts = []
    for ch in core:
        if ch.isspace():
            continue
        parts.append(r"[\p{P}\p{S}]?" if _PUNCT.match(ch) else re.escape(ch))
    return r"\s*".join(parts)


@dataclass(frozen=True)
class LabelMatcher:
    """Finds one row's printed label, with its numbering (一、 （一） 1.) when printed."""

    exact: re.Pattern
    fuzzy: re.Pattern | None

    @classmethod
    def of(cls, spec: KeySpec) -> LabelMatcher:
        forms = [_norm(spec.label), *(_norm(a) for a in spec.aliases)]
        cores, ordinal = [], None
        for form in forms:
            m = _NUMBERING.match(form)
            if m and m.group(1):
                ordinal = ordinal or m.group(1)
            core = form[m.end():] if m else form
            # a trailing parenthetical (区分处理的…) is often left out
            cores.append(re.sub(r"\([^()]*\)$", "", core))
        cores = sorted(dict.fromkeys(cores), key=len, reverse=True)
        body = "|".join(_core_pattern(c) for c in cores)
        tail = r"(?:\s*\([^()\d]{0,40}\))?"
        if ordinal:
            prefix = rf"(?:{ordinal}\s*[.、]\s*)?"
        else:
            prefix = rf"(?:[{_CN_NUM}]+\s*、\s*|\(\s*[{_CN_NUM}]+\s*\)\s*)?"
        exact = re.compile(rf"{prefix}(?:{body}){tail}")
        main = cores[0]
        fuzzy = None
        if len(main) >= 6:
            k = 1 if len(main) < 12 else 2
            fuzzy = re.compile(rf"(?e){prefix}(?:{_core_pattern(main)}){{e<={k}}}")
        return cls(exact, fuzzy)

    def find(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        m = self.exact.search(text, start, end)
        if m:
            return m.start(), m.end()
        if self.fuzzy is None:
            return None
        m = self.fuzzy.search(text, start, end)
        if not m:
            return None
        s, e = m.start(), m.end()
        while e > s and (text[e - 1].isdigit() or text[e - 1].isspace()):
            e -= 1
        return s, e


def _label_forms(specs: Sequence[KeySpec]) -> set[str]:
    """The printed forms of these keys (label and aliases), NFKC, a trailing parenthetical dropped."""
    return {re.sub(r"\([^()]*\)$", "", _norm(f)) for k in specs for f in (k.label, *k.aliases)}


def _words(forms: set[str]) -> re.Pattern:
    """One pattern for these printed forms, longest first, spaces allowed between characters."""
    return re.compile("|".join(_core_pattern(f) for f in sorted(forms, key=len, reverse=True)))


# table markers in flat text, from the template: each form's own column headers name it, any
# table-2 column header opens the table; table 4 opens with 行政复议 … 结果维持 and its outcome
# headers (or 合计 for 总计) stand right before its counts
_T2_2021_FORMS, _T2_2019_FORMS = _label_forms(T2_2021.cols), _label_forms(T2_2019.cols)
_T2_HEAD_2021 = _words(_T2_2021_FORMS - _T2_2019_FORMS)
_T2_HEAD_2019 = _words(_T2_2019_FORMS - _T2_2021_FORMS)
_T2_HEAD = _words(_T2_2021_FORMS | _T2_2019_FORMS)
_T4_HEAD = re.compile(rf"{_core_pattern(T4_GROUPS['review'])}.{{0,80}}?{_core_pattern(T4_OUTCOMES['upheld'])}", re.S)
_DIGIT = re.compile(r"\d")
# the table's title as its section heading prints it, with a short note such as (单位:件)
_T4_TITLE = re.compile(rf"{_core_pattern(_norm(T4_SPEC.label))}(?:\s*\([^()]{{0,12}}\))?")
_T4_HEAD_END = _words(set(T4_OUTCOMES.values()) | _label_forms([T3_SPEC.col("total")]))

_MATCHERS: dict[tuple[str, str], LabelMatcher] = {}


def _matcher(table: str, spec: KeySpec) -> LabelMatcher:
    key = (table, spec.key + "|" + spec.label)
    if key not in _MATCHERS:
        _MATCHERS[key] = LabelMatcher.of(spec)
    return _MATCHERS[key]


def numeric_run(text: str, pos: int) -> tuple[str, int]:
    """The digits (spaces, dots, blank markers) starting at pos, and where they end (a unit skipped)."""
    m = _NUMERIC_RUN.match(text, pos)
    run = (m.group() if m else "").rstrip().rstrip(",").rstrip()  # a comma after a run ends a clause
    end = pos + len(run)
    u = _UNIT.match(text, end)
    if u and run.strip() and run.rstrip()[-1].isdigit():
        end = u.end()
    return run.strip(), end


_SPACE = re.compile(r"\s*")
_GAP = re.compile(r"\s+")


def one_per_line(text: str, label_end: int, run: str) -> bool:
    """Whether a row's cells are whole: a line break or a grid's tab after its label and between every
    two cells (a table saved one cell per line, or a grid row). Such cells never ran together, so none
    may be split (a cell left empty and lost leaves the row short, it is not merged)."""
    def hard(gap: str) -> bool:
        return "\n" in gap or "\t" in gap

    gaps = _GAP.findall(run)
    return hard(_SPACE.match(text, label_end).group()) and bool(gaps) and all(hard(g) for g in gaps)


def locate_rows(flat: FlatText, table: str, specs: Sequence[KeySpec], start: int,
                first_window: int = ROW_WINDOW) -> list[Row]:
    """Find each row label in order after `start`, each within ROW_WINDOW of the previous label.

    A row's run stops where the next label starts, so a numbering like `2.` goes with the label.
    """
    text, hits, pos, window = flat.text, [], start, first_window
    for spec in specs:
        hit = _matcher(table, spec).find(text, pos, min(len(text), pos + window))
        if hit is None:
            continue
        hits.append((spec, *hit))
        pos, window = hit[1], ROW_WINDOW
    rows = []
    for i, (spec, s, e) in enumerate(hits):
        bound = hits[i + 1][1] if i + 1 < len(hits) else len(text)
        run, run_end = numeric_run(text[:bound], e)
        rows.append(Row(spec.key, text[s:e].strip(), run, s, run_end, flat.page_at(s),
                        lines=one_per_line(text, e, run)))
    return rows


# ---------------------------------------------------------------- output helpers


@dataclass
class Result:
    """Collects cells, problems and ambiguities while tables are read."""

    doc_id: str
    out: TableExtraction = field(default_factory=TableExtraction)

    def emit(self, table: str, row: Row, reading: Sequence[str | None]) -> None:
        for col, cell in zip(row.cols, reading, strict=True):
            if cell is None:
                continue
            self.out.cells.append(CellRecord(
                doc_id=self.doc_id, table=table, row_key=row.key, col_key=col, value=value_of(cell),
                raw="" if cell == EMPTY else cell, blank=is_blank(cell), row_label=row.label, page=row.page))
        if any(c is not None for c in reading) and table not in self.out.tables_found:
            self.out.tables_found.append(table)

    def problem(self, table: str, text: str) -> None:
        """Note a problem about one table."""
        self.out.problems.append(Problem(text, table))

    def settle(self, table: str, row: Row, readings: Sequence[Reading]) -> None:
        """Emit a row read one way; for several readings, emit what they agree on and report it."""
        if not readings:
            self.problem(table, f"{table}.{row.key}: no reading of {row.run!r} fits")
            return
        if len(readings) == 1:
            self.emit(table, row, readings[0])
            return
        agreed = [cells[0] if len(set(cells)) == 1 else None for cells in zip(*readings, strict=True)]
        self.emit(table, row, agreed)
        self.out.ambiguous.append(f"{table}.{row.key} {row.run!r}: {len(readings)} readings "
                                  f"({_shown(readings)}){row.note}")


def _shown(readings: Sequence[Reading]) -> str:
    """Readings as an analyst reads them: cells joined by |, readings by /, the first SHOWN_READINGS."""
    more = len(readings) - SHOWN_READINGS
    return " / ".join("|".join(r) for r in readings[:SHOWN_READINGS]) + (f" … {more} more" if more > 0 else "")


def _kinds(cols: Sequence[str]) -> list[str]:
    return [DECIMAL if c in _DECIMAL_COLS else SIGNED if c in _SIGNED_COLS else INT for c in cols]


# ---------------------------------------------------------------- table 2


def _repeated(reading: Reading) -> bool:
    return len(reading) > 1 and len(set(reading)) == 1 and not is_blank(reading[0])


@dataclass
class Table2:
    """Table 2 as located: its form, its rows with their readings, and the span of text it covers."""

    spec: TableSpec
    rows: list[Row]
    span: tuple[int, int]


def _t2_head(flat: FlatText, limit: int) -> re.Match | None:
    """The first table-2 column header followed closely by a row of the table (a row label, then its
    counts): a header word the prose happens to use opens no table."""
    specs = [(s.key, r) for s in (T2_2021, T2_2019) for r in s.rows]
    text = flat.text
    for head in _T2_HEAD.finditer(text, 0, limit):
        stop = min(limit, head.end() + ROW_WINDOW)
        for table, row in specs:
            hit = _matcher(table, row).find(text, head.end(), stop)
            if hit and numeric_run(text, hit[1])[0]:
                return head
    return None


def _table2(flat: FlatText, res: Result, limit: int) -> Table2 | None:
    """Locate table 2 and read each row's run; the rows are settled once the prose is known."""
    text = flat.text
    head = _t2_head(flat, limit)
    if head is None:
        return None
    region = text[head.start():min(limit, head.start() + 1500)]
    is_2021 = len(_T2_HEAD_2021.findall(region)) > len(_T2_HEAD_2019.findall(region))
    spec: TableSpec = T2_2021 if is_2021 else T2_2019
    res.out.template = "2021" if is_2021 else "2019"
    rows = locate_rows(flat, spec.key, spec.rows, head.start())
    rows = [r for r in rows if r.run]
    for row in rows:
        row.cols = spec.cols_of(row.key)
        row.readings = _readings(spec.key, row, _kinds(row.cols), [], res)
    return Table2(spec, rows, (head.start(), max((r.end for r in rows), default=head.end())))


def _narrow_by_prose(t2: Table2, said: Sequence[Statement]) -> None:
    """Keep the readings of each open row that agree with what the prose states about its cells.

    A statement no reading agrees with is about something else (another body, another count): it is
    left aside and named in the row's note."""
    for row in t2.rows:
        if len(row.readings) < 2:
            continue
        for st in (s for s in said if s.row == row.key):
            i = row.cols.index(st.col)
            unit = _money_unit(t2.spec, st.col)
            kept = [r for r in row.readings if st.allows(value_of(r[i]), unit)]
            if kept:
                row.readings = kept
                row.note += f"; narrowed by the prose: {st.sentence!r}"
            else:
                row.note += f"; the prose's {st.printed}{st.unit} ({st.sentence!r}) fits no reading"


def _money_unit(spec: TableSpec, col: str) -> str | None:
    """元 or 万元 for an amount column (by its printed label), None for a count."""
    if col not in _DECIMAL_COLS:
        return None
    return "万元" if "万元" in spec.col(col).label else "元"


def _settle_table2(t2: Table2, res: Result) -> None:
    """The weak tie-breakers where the document left a row open, then every row settled."""
    if t2.spec is T2_2019:
        _zero_change(t2.rows, res)
    for row in t2.rows:
        if len(row.readings) > 1:
            same = [r for r in row.readings if _repeated(r)]
            if len(same) == 1:
                res.out.guessed.append(
                    f"{t2.spec.key}.{row.key} {row.run!r}: read as {'|'.join(same[0])} by the weak "
                    f"repeated-digits rule ({len(row.readings)} readings)")
                row.readings = same
        res.settle(t2.spec.key, row, row.readings)


def _zero_change(rows: list[Row], res: Result) -> None:
    """The 2019 zero-change tie-breaker (see the module docstring)."""
    items = [r for r in rows if r.key in _T2_19_ITEM_ROWS]
    if len(items) < 3:
        return
    picks = []
    for row in items:
        ci = row.cols.index("change")
        zero = [r for r in row.readings if r[ci] == "0"]
        if len(zero) != 1:
            return
        picks.append(zero)
    for row, pick in zip(items, picks, strict=True):
        if len(row.readings) > 1:
            res.out.guessed.append(
                f"{T2_2019.key}.{row.key} {row.run!r}: read as {'|'.join(pick[0])} by the weak zero-change "
                f"rule ({len(row.readings)} readings)")
        row.readings = pick


# ---------------------------------------------------------------- table 3


def _t3_specs(flat: FlatText, start: int) -> list[KeySpec]:
    """Table-3 rows of the form printed: three 其他处理 rows (2021) or one (2019/2020)."""
    three = T3_SPEC.row("other_no_correction")
    hit = _matcher(T3_SPEC.key, three).find(flat.text, start, min(len(flat.text), start + 3000))
    drop = {"other_total"} if hit else set(T3_OTHER_ROWS)
    return [r for r in T3_SPEC.rows if r.key not in drop]


def _t3_anchor(flat: FlatText, start: int) -> int | None:
    """Where table 3's first row stands: its label, digits, then the second row's label close by."""
    text = flat.text
    first, second = (_matcher(T3_SPEC.key, T3_SPEC.rows[i]) for i in (0, 1))
    pos = start
    while (hit := first.find(text, pos, len(text))) is not None:
        run, end = numeric_run(text, hit[1])
        if run and second.find(text, end, min(len(text), end + ROW_WINDOW)):
            return hit[0]
        pos = hit[1]
    return None


def _table3(flat: FlatText, res: Result, start: int) -> tuple[int, int]:
    """Table 3's rows, each split by its row identities, then narrowed by the column identities."""
    text = flat.text
    anchor = _t3_anchor(flat, start)
    if anchor is None:
        return 0, 0
    head = text[max(start, anchor - 300):anchor]
    subtotal = _words(_label_forms([T3_SPEC.col("org_subtotal")]))
    cols = [c.key for c in T3_SPEC.cols if c.key != "org_subtotal" or subtotal.search(head)]
    specs = _t3_specs(flat, anchor)
    rows = locate_rows(flat, T3_SPEC.key, specs, anchor, first_window=60)
    if len(rows) < len(specs) and _cut_off(flat, rows, specs):
        res.problem(T3_SPEC.key, f"{T3_SPEC.key}: the text ends after row '{rows[-1].label}' "
                                 f"({len(rows)} of {len(specs)} rows): the rest of the table is not in the file")
    elif len(rows) < MIN_T3_ROWS:
        res.problem(T3_SPEC.key, f"{T3_SPEC.key}: only {len(rows)} row labels found in flattened text")
        return 0, 0
    rules = _row_sums(T3_SPEC.key, cols)
    for row in rows:
        row.cols = tuple(cols)
        row.readings = _readings(T3_SPEC.key, row, [INT] * len(cols), rules, res)
    _solve_columns(rows, res)
    for row in rows:
        res.settle(T3_SPEC.key, row, row.readings)
    return anchor, rows[-1].end


def _cut_off(flat: FlatText, rows: list[Row], specs: Sequence[KeySpec]) -> bool:
    """Table 3's first rows in the template's order, each with its cells, and the text ending right after
    the last of them: a page cut off inside the table (a crawler's excerpt). Its rows are read; coverage
    names the rows missing."""
    keys = [r.key for r in rows]
    if len(rows) < 2 or keys != [s.key for s in specs[:len(rows)]] or not all(r.run for r in rows):
        return False
    return not flat.text[rows[-1].end:].strip()


def _readings(table: str, row: Row, kinds: list[str], rules: list[Sum], res: Result) -> list[Reading]:
    """A row's readings: the only one its printed form allows, else those its row identities allow."""
    whole = len(tokenize(row.run, SIGNED in kinds))
    if row.lines and whole != len(kinds):
        res.problem(table, f"{row.key}: {whole} cells on lines of their own for {len(kinds)} columns "
                                f"({row.run!r}): a cell left empty is lost, the row is left out")
        return []
    try:
        loose = splits(row.run, kinds, limit=2)
        return loose if len(loose) == 1 else splits(row.run, kinds, sums=rules)
    except TooManyReadings:
        res.problem(table, f"{row.key}: run {row.run!r} too long to split into {len(kinds)} cells")
        return []


def _row_sums(table: str, cols: Sequence[str]) -> list[Sum]:
    """The template's identities within one row of the table (总计 = the applicant columns; a group's 总计 =
    its four results), as sums over cell positions for `splits`."""
    return [Sum(cols.index(i.total), tuple(cols.index(p) for p in i.parts))
            for i in identities_for(table, "cols", cols)]


def _solve_columns(rows: list[Row], res: Result) -> None:
    """Keep the readings of table-3 rows that let every column identity hold."""
    by_key = {r.key: r for r in rows if r.readings}
    identities = identities_for(T3_SPEC.key, "rows", by_key)
    open_rows = [r for r in by_key.values() if len(r.readings) > 1]
    if not identities or not open_rows:
        return
    combos = 1
    for r in open_rows:
        combos *= len(r.readings)
    if combos > MAX_COMBINATIONS:
        res.problem(T3_SPEC.key, f"{T3_SPEC.key}: {combos} combinations of readings, too many to test")
        return
    fixed = {k: values(r.readings[0]) for k, r in by_key.items() if len(r.readings) == 1}
    keep: list[set[Reading]] = [set() for _ in open_rows]
    for combo in itertools.product(*(r.readings for r in open_rows)):
        vals = dict(fixed)
        vals.update({r.key: values(c) for r, c in zip(open_rows, combo, strict=True)})
        if all(_holds(vals, ident) for ident in identities):
            for i, c in enumerate(combo):
                keep[i].add(c)
    if not any(keep):
        res.problem(T3_SPEC.key, f"{T3_SPEC.key}: no reading of the rows satisfies the column identities")
        return
    for r, kept in zip(open_rows, keep, strict=True):
        r.readings = [c for c in r.readings if c in kept]


def _holds(vals: dict[str, tuple], ident: Identity) -> bool:
    """The identity holds in every column of the readings (blank cells read as 0)."""
    width = len(next(iter(vals.values())))
    return all((ev := ident.evaluate({k: v[i] for k, v in vals.items()})) is None or ev.holds
               for i in range(width))


# ---------------------------------------------------------------- table 4


def _t4_run_start(text: str, start: int) -> int | None:
    """Where table 4's counts begin: right after the last outcome header word before the first digit,
    or, where no column headers are printed, right after the table's title (its section heading)."""
    head = _T4_HEAD.search(text, start)
    digit = _DIGIT.search(text, head.end(), min(len(text), head.end() + 300)) if head else None
    ends = list(_T4_HEAD_END.finditer(text, head.end(), digit.start())) if head and digit else []
    if ends and digit:
        pos = ends[-1].end()
        while pos < digit.start() and text[pos].isspace():
            pos += 1
        # a blank marker (— / 无) may stand before the first digit; a row label (案件数) before both
        return pos if numeric_run(text, pos)[0] else digit.start()
    collapsed = _collapsed_t4_run(text, start)
    if collapsed is not None:
        return collapsed
    title = _T4_TITLE.search(text, start)
    if title is None:
        return None
    pos = title.end()
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos if numeric_run(text, pos)[0] else None


_LINE = re.compile(r"[^\n]+")


def _collapsed_t4_run(text: str, start: int) -> int | None:
    """Where the counts start under table 4's header collapsed into one line (行政复议行政诉讼, as a
    converter leaves it), the counts on the next line; None when no such line stands before counts."""
    for line in _LINE.finditer(text, start):
        if not is_collapsed_t4_header(line.group()):
            continue
        pos = line.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if numeric_run(text, pos)[0]:
            return pos
    return None


def _t4_header_end(text: str, pos: int) -> int:
    """Where the whitespace before the counts at pos begins (the end of the last header word)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _table4(flat: FlatText, res: Result, start: int) -> tuple[int, int]:
    """Table 4 from one run of 15 counts; kept only when the three group totals prove the split."""
    text = flat.text
    pos = _t4_run_start(text, start)
    if pos is None:
        return 0, 0
    run, end = numeric_run(text, pos)
    if not run:
        return 0, 0
    cols = [c.key for c in T4_SPEC.cols]
    if one_per_line(text, _t4_header_end(text, pos), run) and len(tokenize(run, False)) != len(cols):
        res.problem(T4_SPEC.key, f"{T4_SPEC.key}: {len(tokenize(run, False))} cells on lines of their own for "
                                f"{len(cols)} columns ({run!r}): a cell left empty is lost, the table is left out")
        return pos, end
    rules = _row_sums(T4_SPEC.key, cols)
    row = Row("cases", T4_SPEC.rows[0].label, run, pos, end, flat.page_at(pos), tuple(cols))
    try:
        proven = splits(run, [INT] * len(cols), sums=rules)
        loose = [] if proven else splits(run, [INT] * len(cols), limit=SHOWN_READINGS + 1)
    except TooManyReadings:
        res.problem(T4_SPEC.key, f"{T4_SPEC.key}: run {run!r} too long to split into {len(cols)} cells")
        return pos, end
    if not proven and loose:
        res.out.ambiguous.append(
            f"{T4_SPEC.key}.cases {run!r}: left out, no reading keeps each group's 总计 = the sum of its four "
            f"results ({len(loose)} readings: {_shown(loose)})")
        return pos, end
    res.settle(T4_SPEC.key, row, proven)
    return pos, end


# ---------------------------------------------------------------- entry point


def extract_flat_tables(doc: Document, doc_id: str) -> TableExtraction:
    """Template tables 2-4 read from flattened paragraph text (see the module docstring)."""
    flat = FlatText.of(doc)
    res = Result(doc_id)
    t3_anchor = _t3_anchor(flat, 0)
    t2 = _table2(flat, res, t3_anchor if t3_anchor is not None else len(flat.text))
    end2 = t2.span[1] if t2 else 0
    start3, end3 = _table3(flat, res, end2)
    span4 = _table4(flat, res, end3 or end2)
    if t2 is not None:
        spans = [t2.span, (start3, end3), span4]
        _narrow_by_prose(t2, statements(flat.text, t2.spec, spans))
        _settle_table2(t2, res)
    if res.out.template == "unknown" and T3_SPEC.key in res.out.tables_found:
        keys = {c.row_key for c in res.out.cells}
        res.out.template = "2019" if "other_total" in keys else "2021"
    return res.out
