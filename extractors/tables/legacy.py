"""The pre-2019 statistics table (`t_legacy`, schemas/legacy.py) from any format.

Two front ends read the printed table into the same rows — a label, a unit and the row's cells or its
digit run: `grid_table` from a grid (HTML, DOCX, PDF), `flat_table` from text (a page saved as text,
with its cells spaced or run together). One core (`read_rows`) then matches each label to a key (a row
that matches none is kept as `other_<n>`), reads each row's cells, and decides a run that splits more
than one way by the spec's rules, strongest first:

1. the cell syntax (no leading zeros, decimals only in amount rows) and 历年累计 ≥ 本年度;
2. the exhaustive identities and the "of which" bounds of `schemas/legacy.py`, across rows, per column;
3. the report's own prose (2012年主动公开政府信息2026条) naming the row with one of the readings.

Where more than one reading survives, the row's cells are left out and the readings listed
(`ambiguous`); a row printed with fewer cells than the table has columns is read with its cells from
the left and the rest blank, and that choice is written to `guessed`. Either makes the report partial.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex as re

from extractors.tables.cell_values import parse_cell
from extractors.tables.digit_split import DECIMAL, INT, TooManyReadings, is_blank, splits, value_of
from extractors.tables.flat_tables import FlatText
from extractors.tables.labels import normalize_label, similarity, split_numbering
from extractors.tables.table_grids import RowCell, bbox_text, grid_rows, note_source
from schemas.document import Document, Table
from schemas.legacy import (
    CODE_HEADER,
    CUMULATIVE,
    CUMULATIVE_AT_LEAST_YEAR,
    LEGACY,
    LEGACY_IDENTITIES,
    LEGACY_ROWS,
    LEGACY_SPEC,
    LEGACY_UNITS,
    OTHER_ROW_PREFIX,
    PARTS_INTRO,
    YEAR,
    YEAR_HEADER_PATTERN,
    LegacyRow,
    legacy_row,
)
from schemas.records import CellRecord, Problem, TableExtraction
from schemas.template import DECIMAL as TEMPLATE_DECIMAL
from schemas.template import Form, Identity

Reading = tuple[str, ...]

MAX_LABEL = 48  # characters of a printed row label at most (longer text is prose, not a row)
MAX_COMBINATIONS = 100_000  # readings combined across the rows of one identity
SHOWN_READINGS = 6  # readings listed in an ambiguity note
FUZZY = 0.86  # label similarity that matches a key when no printed form matches exactly
MIN_LABEL_HITS = 3  # distinct row labels after a 统计表 title that show a table is printed

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _spaced(word: str) -> str:
    """A pattern for a word printed with spaces between its characters (指 标 名 称)."""
    return r"\s*".join(re.escape(ch) for ch in word)


# ---------------------------------------------------------------- label matching


def _core(label: str) -> str:
    """A printed label reduced for matching: no numbering, 其中, quotes, spaces; 其它 as 其他."""
    norm = normalize_label(_nfkc(label)).translate(_QUOTES).replace("其它", "其他")
    for intro in PARTS_INTRO:
        norm = re.sub(rf"^{intro}[:：]?", "", norm)
    _, rest = split_numbering(norm)
    rest = re.sub(r"^(?:\d{1,2}[.、]?|\(\d{1,2}\)|[①-⑳])(?=\D)", "", rest)  # 1同意… (a number without its dot)
    return rest.strip(":：;。,、.")


def _forms() -> dict[str, list[LegacyRow]]:
    out: dict[str, list[LegacyRow]] = {}
    for row in LEGACY_ROWS:
        for form in (row.label, *row.aliases):
            out.setdefault(_core(form), []).append(row)
    return out


_FORMS = _forms()
_PARENTS = {r.parent for r in LEGACY_ROWS if r.parent}


def match_label(label: str, totals: Sequence[str] = ()) -> str | None:
    """The row key a printed label names, or None. Where two rows share a label (被依法纠错数 under 行政复议
    and 行政诉讼), the one under the latest total printed before it (`totals`, newest last) is taken."""
    core = _core(label)
    if not core:
        return None
    rows = _FORMS.get(core)
    if rows is None:
        scored = [(similarity(core, form), form) for form in _FORMS if len(form) >= 4]
        best = max(scored, default=(0.0, ""))
        if best[0] < FUZZY or [s for s, _ in scored].count(best[0]) > 1:
            return None
        rows = _FORMS[best[1]]
    if len(rows) > 1:
        for total in reversed(totals):
            under = [r for r in rows if r.parent == total]
            if under:
                return under[0].key
    return rows[0].key


# ---------------------------------------------------------------- the printed table


@dataclass
class PrintedRow:
    """One row as printed: its label and unit, and its cells (a grid or spaced text) or its digit run."""

    position: int  # 1-based among the table's data rows
    label: str
    unit: str
    run: str = ""  # flat text: the characters after the unit (cells spaced or run together)
    cells: tuple[RowCell | None, ...] | None = None  # a grid: one cell per value column (None: none there)
    page: int | None = None


@dataclass
class PrintedTable:
    """The statistics table as printed: its value columns (col keys, header texts) and its rows."""

    cols: tuple[str, ...]
    col_labels: tuple[str, ...]
    rows: list[PrintedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    guessed_cols: bool = False  # no header named the columns


_HEADER_WORDS: dict[str, list[str]] = {
    col.key: sorted({_nfkc(w) for w in (col.label, *col.aliases)}, key=len, reverse=True) for col in LEGACY_SPEC.cols}
# cumulative words first: 累计 must not be read as the 本年 of 本年累计
_COL_HEADER = re.compile(
    "|".join([f"(?P<cumulative>{'|'.join(_spaced(w) for w in _HEADER_WORDS[CUMULATIVE])})",
              f"(?P<year>{YEAR_HEADER_PATTERN}|{'|'.join(_spaced(w) for w in _HEADER_WORDS[YEAR])})"]))
_NAME_HEADER, _UNIT_HEADER = (_spaced(_nfkc(w)) for w in LEGACY_SPEC.header_words)
_NEXT_COL_HEADER = re.compile(r"\s*(?:" + _COL_HEADER.pattern + ")")


def header_col(text: str) -> str | None:
    """The column key a header cell names (本年度, 2013年度, 年末统计 -> year; 历年累计 -> cumulative)."""
    t = re.sub(r"\s+", "", _nfkc(text or ""))
    if not t:
        return None
    m = _COL_HEADER.fullmatch(t)
    return None if m is None else ("cumulative" if m.group("cumulative") else "year")


# ---------------------------------------------------------------- grids


def _is_header_row(texts: Sequence[str]) -> bool:
    joined = re.sub(r"\s+", "", _nfkc("".join(texts)))
    return bool(re.search(_NAME_HEADER, joined) or re.search(_UNIT_HEADER, joined))


def grid_table(doc: Document) -> PrintedTable | None:
    """The statistics table from the document's grids: the first grid whose header row prints 指标名称 or
    计量单位, with the grids that continue it (same width, no header of their own) on the next pages."""
    tables = doc.tables
    for index, table in enumerate(tables):
        rows = table.text_rows()
        head = next((i for i, r in enumerate(rows[:4]) if _is_header_row(r)), None)
        if head is None:
            continue
        out = _grid_columns(rows[head])
        if out is None:
            continue
        out_table, label_cols, unit_col, value_cols = out
        parts = [(table, head + 1)]
        for nxt in tables[index + 1:index + 4]:
            nrows = nxt.text_rows()
            if nxt.n_cols != table.n_cols or not nrows or _is_header_row(nrows[0]):
                break
            parts.append((nxt, 0))
        for t, first in parts:
            _grid_rows(t, first, out_table, label_cols, unit_col, value_cols)
        return out_table if out_table.rows else None
    return None


def _grid_columns(header: Sequence[str]) -> tuple[PrintedTable, list[int], int | None, list[int]] | None:
    """Where the label, unit and value columns of a grid stand, from its header row."""
    unit_col = next((i for i, t in enumerate(header) if re.search(_UNIT_HEADER, re.sub(r"\s+", "", _nfkc(t)))), None)
    values = [(i, header_col(t)) for i, t in enumerate(header)]
    value_cols = [i for i, k in values if k]
    if not value_cols:
        return None
    # a merged header cell repeats over its span: one value column per distinct header cell text run
    keep: list[int] = []
    for i in value_cols:
        if keep and keep[-1] == i - 1 and header[i] == header[keep[-1]]:
            continue
        keep.append(i)
    cols = tuple(header_col(header[i]) or YEAR for i in keep)
    if len(set(cols)) != len(cols):
        return None
    first_value = keep[0]
    code = _spaced(CODE_HEADER)
    label_cols = [i for i in range(first_value)
                  if i != unit_col and not re.fullmatch(code, re.sub(r"\s+", "", _nfkc(header[i])))]
    table = PrintedTable(cols=cols, col_labels=tuple(" ".join(header[i].split()) for i in keep))
    return table, label_cols, unit_col, keep


def _grid_rows(table: Table, first: int, out: PrintedTable, label_cols: list[int], unit_col: int | None,
               value_cols: list[int]) -> None:
    for grow in grid_rows(table, 0)[first:]:
        if len(grow.cells) == 1 and grow.n_cols > 1:
            continue  # a block heading over the whole width (一、主动公开情况): no row of the table
        at = grow.at
        label_parts: list[str] = []
        for col in label_cols:
            rc = at(col)
            text = " ".join((rc.text if rc else "").split())
            if text and text not in label_parts:
                label_parts.append(text)
        label = "".join(label_parts)
        unit_rc = at(unit_col) if unit_col is not None else None
        cells = tuple(at(c) for c in value_cols)
        if not label and not any(c is not None and c.text.strip() for c in cells):
            continue
        if not label:
            out.notes.append(f"{LEGACY}: a row of values without a label after row {len(out.rows)}")
            continue
        unit = " ".join((unit_rc.text if unit_rc else "").split())
        if unit_col is None:
            unit, label = _unit_in_label(label)
        out.rows.append(PrintedRow(len(out.rows) + 1, label, unit, cells=cells, page=grow.page))


def _unit_in_label(label: str) -> tuple[str, str]:
    """A label that ends in its unit in brackets (行政复议数（件）): (unit, label)."""
    m = re.search(rf"[（(]({'|'.join(LEGACY_UNITS)})[)）]$", label)
    return (m.group(1), label[:m.start()]) if m else ("", label)


# ---------------------------------------------------------------- flat text

_UNITS = "|".join(LEGACY_UNITS)
_BLANK_MARK = r"(?:[—–]+|-+|/)"
# the cells after a unit: digits, decimals, thousands commas, blank marks, and the spaces between them
_RUN = re.compile(rf"(?:\d|,(?=\d{{3}})|\.(?=\d)|{_BLANK_MARK}|\s|∅)+")
_ITEM_SEP = re.compile(r"\s*[.、．]\s*(?=\p{Han}|[“\"(（])")
_HEADER = re.compile(rf"{_NAME_HEADER}\s*(?:{_spaced(CODE_HEADER)}\s*)?(?:{_UNIT_HEADER})?")
_TITLE = re.compile(r"统\s*计\s*(?:表|数\s*据)")
_DATE_AFTER = re.compile(r"\s*[年月日]")
_TABLE_END = re.compile(r"附\s*件|注\s*[:：]|备\s*注|说\s*明\s*[:：]")


def flat_table(flat: FlatText) -> tuple[PrintedTable, int, int] | None:
    """The statistics table from text: the header (指标名称 计量单位 本年度 历年累计) or, without one, a
    统计表 title, then rows of label, unit and cells until the text stops looking like rows.
    Returns the table and the span of text it took."""
    text = flat.text
    for start, cols, col_labels, guessed, units in _flat_starts(text):
        table = PrintedTable(cols=cols, col_labels=col_labels, guessed_cols=guessed)
        end = _flat_rows(text, start, table, flat, _ROW_WITH_UNIT if units else _ROW)
        if sum(1 for r in table.rows if match_label(r.label)) >= min(MIN_LABEL_HITS, len(table.rows)) and table.rows:
            if guessed:
                table.cols = _cols_from_runs(table)
                table.col_labels = ("",) * len(table.cols)
            return table, start, end
    return None


def _flat_starts(text: str) -> Iterable[tuple[int, tuple[str, ...], tuple[str, ...], bool, bool]]:
    """Candidate starts of the table's rows: after each header (with the columns it names, and whether it
    prints 计量单位), then after each 统计表 title (columns unknown, units expected)."""
    for m in _HEADER.finditer(text):
        pos = m.end()
        cols: list[str] = []
        labels: list[str] = []
        units = bool(re.search(_UNIT_HEADER, m.group()))
        while True:
            h = _NEXT_COL_HEADER.match(text, pos)
            if h is None or len(cols) == 2:
                break
            cols.append("cumulative" if h.group("cumulative") else "year")
            labels.append(" ".join(h.group().split()))
            pos = h.end()
        if cols and len(set(cols)) == len(cols):
            yield pos, tuple(cols), tuple(labels), False, units
    for m in _TITLE.finditer(text):
        yield m.end(), (YEAR, CUMULATIVE), ("", ""), True, True


# a row: its label (ending in a Han character or a closing bracket: never in an item number), its unit,
# and the run of its cells
# Digits stand in a label only as its item number (1. 2、 (3) ①, or 1同意… without the dot) or inside
# quotes or brackets (“免予公开范围1”数): any other digit is a cell, so a row printed without its unit
# never swallows the next one.
_LABEL_CHAR = (r"(?:[^\n\d]|(?<![\d.])\d{1,2}(?=\s*[.、．]?\s*\p{Han})"
               r"|(?<=[(（“\"]|范围)\d{1,2}(?=[)）”\"]))")
_LABEL = rf"(?P<label>{_LABEL_CHAR}{{1,{MAX_LABEL}}}?(?<=[\p{{Han}}”\"）)]))"
# the SH form's 代码 column (01–55) may stand between the label and the unit
_CODE = r"(?:\s*\d{2}(?=\s*(?:" + "|".join(LEGACY_UNITS) + r")))?"
_CELLS = rf"\s*(?P<run>(?:\d|{_BLANK_MARK}|∅)(?:{_RUN.pattern})?)"
_ROW = re.compile(rf"\s*{_LABEL}{_CODE}\s*(?P<unit>{_UNITS})?{_CELLS}")
_ROW_WITH_UNIT = re.compile(rf"\s*{_LABEL}{_CODE}\s*(?P<unit>{_UNITS}){_CELLS}")


def _flat_rows(text: str, pos: int, table: PrintedTable, flat: FlatText, pattern: re.Pattern) -> int:
    """Read rows from `pos` on into `table`; returns where the table ends."""
    end = pos
    glued = ""  # the item number the previous run ended with (…121062.政府公报 -> '2')
    while True:
        m = pattern.match(text, pos)
        if m is None and pattern is not _ROW:
            # a row printed without its unit in a table that has them: only under a label the form knows
            m = _ROW.match(text, pos)
            if m is None or match_label(glued + m.group("label")) is None:
                break
        if m is None:
            break
        label = glued + m.group("label")
        glued = ""
        if (_TABLE_END.match(label.strip()) or not re.search(r"\p{Han}", label)
                or _DATE_AFTER.match(text, m.end())):
            break  # a note, a signature or a date (示范区管委会 2013年3月16日): the table has ended
        unit = m.group("unit") or ""
        run = m.group("run")
        after = m.end()
        # the run's last digits may be the next row's item number glued on (…条00 3.电子邮件申请数)
        if _ITEM_SEP.match(text, after):
            run, glued = _split_item_number(run, label)
        run = run.rstrip()
        table.rows.append(PrintedRow(len(table.rows) + 1, " ".join(label.split()), unit, run=run,
                                     page=flat.page_at(m.start("run"))))
        pos = end = after
    return end


def _item_number(label: str) -> int | None:
    m = re.match(r"\s*(?:其中\s*[:：]?)?\s*(\d{1,2})(?:\s*[.、．]|(?=\p{Han}))", _nfkc(label))
    return int(m.group(1)) if m else None


def _split_item_number(run: str, label: str) -> tuple[str, str]:
    """(the run, the next label's item number) for a run the next row's number is glued to: the number
    that follows this row's own (1 -> 2), else the last digit."""
    stripped = run.rstrip()
    own = _item_number(label)
    want = str(own + 1) if own is not None else "1"
    if stripped.endswith(want):
        return stripped[:-len(want)], want
    if len(stripped) > 1 and stripped[-1].isdigit():
        return stripped[:-1], stripped[-1]
    return run, ""


def _cols_from_runs(table: PrintedTable) -> tuple[str, ...]:
    """A table printed without a header: two columns when a row's spaced run shows two cells, else one."""
    counts = [len(r.run.split()) for r in table.rows if r.run]
    return (YEAR, CUMULATIVE) if counts and max(counts) >= 2 else (YEAR,)


# ---------------------------------------------------------------- the core: rows -> cells


@dataclass
class RowReading:
    """A printed row matched to a key, with the readings of its cells still possible."""

    row: PrintedRow
    key: str
    spec: LegacyRow | None
    readings: list[Reading]
    note: str = ""
    guessed: str = ""


def _kinds(spec: LegacyRow | None, n: int) -> list[str]:
    return [DECIMAL if spec is not None and spec.kind == TEMPLATE_DECIMAL else INT] * n


def _ordered(reading: Reading, cols: Sequence[str]) -> bool:
    """历年累计 ≥ 本年度 where both are numbers."""
    ev = CUMULATIVE_AT_LEAST_YEAR.evaluate({c: value_of(v) for c, v in zip(cols, reading, strict=True)})
    return ev is None or ev.holds


def _row_readings(row: PrintedRow, spec: LegacyRow | None, cols: Sequence[str]) -> tuple[list[Reading], str]:
    """Every reading of a row's cells (a grid row has one), and a note when a cell had to be guessed."""
    n = len(cols)
    if row.cells is not None:
        texts = tuple((rc.text if rc is not None else "") for rc in row.cells)
        unread = [t for t in texts if not parse_cell(t).ok]
        if unread:  # a cell holding words is no reading of a number: the row stays unread, never a blank
            return [], f"a cell holds text, not a value: {unread[0].strip()[:40]!r}"
        return [texts], ""
    run = row.run
    try:
        found = splits(run, _kinds(spec, n))
    except TooManyReadings:
        return [], f"{run!r} is too long to split"
    found = [r for r in found if _ordered(r, cols)]
    if found or n < 2:
        return found, ""
    # fewer cells printed than columns: a cell printed empty, and text cannot show which
    short = [r for r in splits(run, _kinds(spec, n - 1)) if len(r) == n - 1]
    if len(short) == 1:
        reading = short[0] + ("",) * (n - len(short[0]))
        return [reading], (f"one value ({' '.join(short[0])}) printed for {n} columns: read as "
                           f"{cols[0]}, {', '.join(cols[len(short[0]):])} blank (the text cannot show which cell is empty)")
    return [], ""


def _values(reading: Reading) -> tuple[float | int | None, ...]:
    return tuple(value_of(c) for c in reading)


def _identity_filter(rows: dict[str, RowReading], cols: Sequence[str]) -> None:
    """Keep only readings that some combination of the other rows' readings lets every identity hold in
    every column (repeated until nothing changes)."""
    identities: list[Identity] = list(LEGACY_IDENTITIES)
    changed = True
    while changed:
        changed = False
        for ident in identities:
            keys = [k for k in ident.keys() if k in rows and rows[k].readings]
            if ident.total not in keys or len(keys) < 2:
                continue
            if all(len(rows[k].readings) == 1 for k in keys):
                continue
            options = [rows[k].readings for k in keys]
            size = 1
            for o in options:
                size *= len(o)
            if size > MAX_COMBINATIONS:
                continue
            alive: list[set[Reading]] = [set() for _ in keys]
            for combo in itertools.product(*options):
                if all(_holds(ident, keys, combo, i) for i in range(len(cols))):
                    for j, reading in enumerate(combo):
                        alive[j].add(reading)
            for j, k in enumerate(keys):
                kept = [r for r in rows[k].readings if r in alive[j]]
                if kept and len(kept) < len(rows[k].readings):
                    rows[k].readings = kept
                    rows[k].note = rows[k].note or f"decided by {ident.label}"
                    changed = True


def _holds(ident: Identity, keys: Sequence[str], combo: Sequence[Reading], col: int) -> bool:
    values = {k: value_of(r[col]) for k, r in zip(keys, combo, strict=True)}
    ev = ident.evaluate(values)
    return ev is None or ev.holds


_PROSE_NUMBER = re.compile(r"(?<![\d.])(\d{1,9})\s*(?:条|件|个|份|次|人|项)")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_END = re.compile(r"[，,、：:（(]")
_PROSE_REACH = 16  # characters between a subject and the number its clause states
_SUBJECT_TAIL = re.compile(r"(?:政府信息|信息|文件)?(?:总)?数(?:量)?$")


def _subjects(spec: LegacyRow) -> list[str]:
    """What prose calls a row: its printed forms without numbering and the trailing 信息数/总数."""
    out = {_SUBJECT_TAIL.sub("", _core(f)) for f in (spec.label, *spec.aliases)}
    return sorted((s for s in out if len(s) >= 4), key=len, reverse=True)


def _prose_filter(rows: dict[str, RowReading], prose: str) -> None:
    """A row still read more than one way keeps the reading whose 本年度 value the report's prose states
    for the row's subject (2018年全区主动公开政府信息2069条); a statement no reading fits is set aside."""
    sentences = [s.group() for s in _SENTENCE.finditer(prose)]
    for rr in rows.values():
        if len(rr.readings) < 2 or rr.spec is None:
            continue
        subjects = _subjects(rr.spec)
        stated: set[int] = set()
        for sentence in sentences:
            flat = re.sub(r"\s+", "", sentence)
            for subject in subjects:
                at = flat.find(subject)
                while at >= 0:
                    # the number the subject's own clause states (主动公开政府信息23条), not a part named
                    # after it (…，其中通过政府网站公开1条)
                    after = at + len(subject)
                    m = _PROSE_NUMBER.search(flat, after, after + _PROSE_REACH)
                    if m and not _CLAUSE_END.search(flat, after, m.start()):
                        stated.add(int(m.group(1)))
                    at = flat.find(subject, after)
        kept = [r for r in rr.readings if value_of(r[0]) in stated]
        if len(kept) == 1:
            rr.readings = kept
            rr.note = f"decided by the report's prose ({value_of(kept[0][0])})"


def _shown(readings: Sequence[Reading]) -> str:
    shown = ", ".join("|".join(c or "∅" for c in r) for r in readings[:SHOWN_READINGS])
    return shown + (", …" if len(readings) > SHOWN_READINGS else "")


def read_rows(table: PrintedTable, doc_id: str, prose: str) -> TableExtraction:
    """The core: printed rows -> cell records, with what is ambiguous, guessed or unread said."""
    cols = table.cols
    rows: dict[str, RowReading] = {}
    totals: list[str] = []
    problems = [Problem(n, LEGACY) for n in table.notes]
    for row in table.rows:
        key = match_label(row.label, totals)
        if key is None or key in rows:
            if key in rows:
                problems.append(Problem(f"{LEGACY}: row '{row.label}' printed twice: the second kept as "
                                        f"{OTHER_ROW_PREFIX}{row.position}", LEGACY))
            key = f"{OTHER_ROW_PREFIX}{row.position}"
        spec = legacy_row(key)
        if key in _PARENTS:
            totals.append(key)
        readings, note = _row_readings(row, spec, cols)
        rows[key] = RowReading(row, key, spec, readings, note=note if not readings else "",
                               guessed=note if readings else "")
    # each decided row may decide others through an identity: repeat until nothing changes
    while True:
        before = sum(len(r.readings) for r in rows.values())
        _identity_filter(rows, cols)
        _prose_filter(rows, prose)
        if sum(len(r.readings) for r in rows.values()) == before:
            break

    out = TableExtraction(template=Form.OLD.value, tables_found=[LEGACY] if rows else [])
    expected: set[tuple[str, str]] = set()
    for key, rr in rows.items():
        expected |= {(key, c) for c in cols}
        if not rr.readings:
            why = rr.note or f"{rr.row.run!r} cannot be read as {len(cols)} cell{'s' if len(cols) > 1 else ''}"
            out.ambiguous.append(f"{LEGACY}.{key}: '{rr.row.label}' {why}")
            continue
        if len(rr.readings) > 1:
            out.ambiguous.append(f"{LEGACY}.{key}: '{rr.row.label}' reads {len(rr.readings)} ways "
                                 f"({_shown(rr.readings)}; {' | '.join(table.col_labels) or '/'.join(cols)})")
            continue
        if rr.guessed:
            out.guessed.append(f"{LEGACY}.{key}: {rr.guessed}")
        out.cells += _cells(rr, rr.readings[0], table, doc_id)
    if table.guessed_cols:
        out.guessed += [f"{LEGACY}.{k}: no header names the columns: read as {', '.join(cols)}" for k in rows]
    out.problems = problems
    out.expected_cells[LEGACY] = expected
    return out


def _cells(rr: RowReading, reading: Reading, table: PrintedTable, doc_id: str) -> list[CellRecord]:
    out = []
    for i, (col, text) in enumerate(zip(table.cols, reading, strict=True)):
        rc = rr.row.cells[i] if rr.row.cells is not None else None
        if rc is not None or rr.row.cells is not None:
            parsed = parse_cell(text)
            value, blank, raw = parsed.value, parsed.blank, parsed.raw
        else:
            value, blank, raw = value_of(text), is_blank(text), text.replace("∅", "")
        page = rc.cell.page if rc is not None and rc.cell.page is not None else rr.row.page
        note_source(LEGACY, rr.key, col, rc.cell if rc is not None else None)
        out.append(CellRecord(doc_id=doc_id, table=LEGACY, row_key=rr.key, col_key=col, value=value, raw=raw,
                              blank=blank, row_label=rr.row.label, page=page, col_label=table.col_labels[i],
                              bbox=bbox_text(rc.cell) if rc is not None else "", unit=rr.row.unit))
    return out


# ---------------------------------------------------------------- entry point


def extract_legacy_table(doc: Document, doc_id: str) -> TableExtraction | None:
    """The statistics table of an old report as t_legacy cells, or None when the document prints none."""
    flat = FlatText.of(doc)
    grid = grid_table(doc)
    best = read_rows(grid, doc_id, flat.text) if grid is not None else None
    if best is not None and not best.ambiguous and not best.guessed:
        return best
    # no grid, or one read with holes (a grid reader that cut the table): the text reading, if better
    found = flat_table(flat)
    if found is not None:
        table, start, end = found
        text = read_rows(table, doc_id, flat.text[:start] + "\n" + flat.text[end:])
        if best is None or _unresolved(text) < _unresolved(best):
            best = text
    return best


def _unresolved(ex: TableExtraction) -> tuple[int, int]:
    """How far a reading is from complete: rows left out, then cells guessed (fewer is better)."""
    return len(ex.ambiguous), len(ex.guessed) - len(ex.cells)


def prints_legacy_table(doc: Document) -> bool:
    """Whether the text shows a statistics table (a 统计表 title followed by row labels with units), for
    telling 'no table printed' from 'a table printed but not read'."""
    flat = FlatText.of(doc).text
    for m in _TITLE.finditer(flat):
        window = flat[m.end():m.end() + 1500]
        hits = {r.key for r in LEGACY_ROWS for f in (r.label, *r.aliases) if len(f) >= 4 and _nfkc(f) in window}
        if len(hits) >= MIN_LABEL_HITS:
            return True
    return False
