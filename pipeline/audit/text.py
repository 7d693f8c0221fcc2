"""Evidence in the document's own words for unpaged formats (TXT, HTML, DOCX): the paragraph around a
narrative figure, or the table row of a cell under the table's header rows, each with its position.

The document is read again (the reader and the same simplification the pipeline applies), so the
figure offsets of figures.csv point into the same text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import regex as re

log = logging.getLogger(__name__)

TEXT_FORMATS = ("txt", "html", "docx")
MAX_TEXT_DOCUMENTS = 80  # documents read again for their excerpts in one run
MAX_HEADER_ROWS = 4
WINDOW = 120  # characters of context either side of a figure

_NUMBER = re.compile(r"[-−]?\d[\d,，]*(?:\.\d+)?%?")
_VALUES = re.compile(r"[\s|:：]*(?:[-−—/]|\d[\d,，.]*)(?:[\s|]*(?:[-−—/]|\d[\d,，.]*))*")


def _numeric(row: list[str]) -> bool:
    return any(_NUMBER.fullmatch(text.strip()) for text in row)


def header_rows(rows: list[list[str]], target: int) -> list[int]:
    """The rows to show above row TARGET of a table grid so its numbers can be read: the table's leading
    rows without a number (its column headers), and the nearest such rows above TARGET (a section's own
    header, as 表二's 第二十条第（五）项 / 本年处理决定数量), each block at most MAX_HEADER_ROWS."""
    lead: list[int] = []
    for index, row in enumerate(rows[:target]):
        if _numeric(row):
            break
        lead.append(index)
    near: list[int] = []
    index = target - 1
    while index >= 0 and index not in lead and not _numeric(rows[index]):
        near.insert(0, index)
        index -= 1
    return lead[:MAX_HEADER_ROWS] + near[-MAX_HEADER_ROWS:]


def spans(table, index: int) -> list[tuple[str, int, list[int]]]:
    """Row INDEX of a table as (text, colspan, grid columns) per cell, merged cells once; a cell merged
    down from a row above shows empty."""
    grid = table.grid()
    out: list[tuple[str, int, list[int]]] = []
    for col, cell in enumerate(grid[index] if index < len(grid) else []):
        if out and col > 0 and cell is not None and cell is grid[index][col - 1]:
            text, width, cols = out[-1]
            out[-1] = (text, width + 1, [*cols, col])
            continue
        text = cell.text if cell is not None and cell.row == index else ""
        out.append((text, 1, [col]))
    return out


Span = tuple[str, int, list[int]]  # a cell as shown: text, colspan, the grid columns it covers


@dataclass
class Excerpt:
    """Evidence as text: a paragraph window with the figures marked, or the part of a table a flag
    names (its header rows, the rows of its cells with their labels, its columns and their 总计)."""

    flag_id: str
    position: str  # "paragraph 12 of 40", "table 3 of 4, rows 7, 9"
    segments: list[tuple[str, bool]] = field(default_factory=list)  # paragraph text, marked or not
    header: list[list[Span]] = field(default_factory=list)  # the table's header rows
    body: list[list[Span] | None] = field(default_factory=list)  # rows shown; None where rows are left out
    marked: list[tuple[int, int]] = field(default_factory=list)  # (index in BODY, grid column) of flagged cells
    heads: list[int] = field(default_factory=list)  # indexes in BODY of a section's own header rows

    @property
    def row(self) -> list[Span]:
        """The first row holding a flagged cell."""
        first = min((r for r, _ in self.marked), default=0)
        return (self.body[first] or []) if first < len(self.body) else []


@dataclass
class TextJob:
    """The excerpts to find in one TXT/HTML/DOCX document: figures (offsets, raw, sentence) and cells."""

    source: str
    format: str
    figures: list[tuple[str, int | None, str, str]] = field(default_factory=list)  # flag, start, raw, sentence
    cells: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)  # flag, label, raws, col labels
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # flag, cell ref (table.row.col), row label


def _squash(text: str) -> str:
    return "".join(text.split())


def _figure_at(paragraphs, start: int | None, raw: str, sentence: str) -> tuple[int, int] | None:
    """(paragraph index, offset in it) of a figure: by its character offset, else by its sentence."""
    for index, para in enumerate(paragraphs):
        if start is not None and para.start <= start <= para.end:
            at = start - para.start
            if para.text.startswith(raw, at):
                return index, at
    for index, para in enumerate(paragraphs):
        if sentence and sentence[:20] in para.text:
            at = para.text.find(raw, para.text.find(sentence[:20]))
            if at >= 0:
                return index, at
    return None


def _figure_excerpts(doc, flag_id: str, figures: list[tuple[int | None, str, str]]) -> list[Excerpt]:
    """One excerpt a paragraph: the window around the flag's figures in it, each figure marked."""
    paragraphs = doc.paragraphs
    hits: dict[int, list[tuple[int, int]]] = {}
    for start, raw, sentence in figures:
        found = _figure_at(paragraphs, start, raw, sentence)
        if found:
            hits.setdefault(found[0], []).append((found[1], found[1] + len(raw)))
    out = []
    for index, spans in sorted(hits.items()):
        text = paragraphs[index].text
        spans = sorted(set(spans))
        lo, hi = max(0, spans[0][0] - WINDOW), min(len(text), max(end for _, end in spans) + WINDOW)
        segments, cursor = [("…" if lo else "", False)], lo
        for begin, end in spans:
            begin = max(begin, cursor)
            segments += [(text[cursor:begin], False), (text[begin:end], True)]
            cursor = max(cursor, end)
        segments.append((text[cursor:hi] + ("…" if hi < len(text) else ""), False))
        out.append(Excerpt(flag_id, f"paragraph {index + 1} of {len(paragraphs)}, from character "
                                    f"{paragraphs[index].start + spans[0][0] + 1} of the text",
                           [(t, m) for t, m in segments if t]))
    return out


def _cell_excerpt(doc, flag_id: str, label: str, raws: list[str], col_labels: list[str]) -> Excerpt | None:
    """A row found by its label and values (cells the re-reading did not place: a grid the table readers
    did not take)."""
    tables = doc.tables
    want = _squash(label)
    for t_number, table in enumerate(tables, 1):
        rows = table.text_rows()
        for r_number, row in enumerate(rows, 1):
            squashed = [_squash(text) for text in row]
            if not want or not any(want == s or (len(want) > 1 and want in s) for s in squashed):
                continue
            if not any(raw.strip() and _squash(raw) in squashed for raw in raws):
                continue
            shown = header_rows(rows, r_number - 1)
            marked = _marked_columns([rows[i] for i in shown], squashed, raws, col_labels)
            return Excerpt(flag_id, f"table {t_number} of {len(tables)}, row {r_number}",
                           header=[spans(table, i) for i in shown], body=[spans(table, r_number - 1)],
                           marked=[(0, col) for col in marked])
    return None


def _total_words() -> tuple[str, ...]:
    """How a 总计 column or row is headed: the template's total column label and its aliases."""
    from schemas.template import T3_SPEC

    key = next(k for k in T3_SPEC.cols if k.key == "total")
    return (key.label, *key.aliases)


def _sources(doc) -> dict[tuple[str, str, str], tuple[int, int, int]]:
    """ref -> (table index, row, column) of the grid cell each cell record is read from, by the same
    table readers the run used (national forms, else the pre-2019 table)."""
    from extractors.tables.table_grids import recording_sources
    from pipeline.process import extract_template_tables

    with recording_sources() as sources:
        records = extract_template_tables(doc, "audit").cells
    raw = {(c.table, c.row_key, c.col_key): c.raw for c in records}
    where = {id(cell): (t, cell.row, cell.col) for t, table in enumerate(doc.tables) for cell in table.cells}
    out = {}
    for ref, cell in sources.items():
        # the record kept is the reading the run kept: its value must stand in that cell
        if ref in raw and id(cell) in where and _squash(raw[ref]) in _squash(cell.text or ""):
            out[ref] = where[id(cell)]
    return out


def _related(grid, lines: list[int], across: bool, keep: set[int], words: tuple[str, ...]) -> set[int]:
    """Columns headed 总计 that total the flagged ones KEEP (ACROSS: rows labelled 总计, the grid read
    transposed): a total under the same header (or group label) cell as a flagged one; for columns also
    one headed in the top header row, the table's own 总计. LINES are the header rows (label columns)."""
    found: set[int] = set()
    n = len(grid[0]) if not across else len(grid)
    at = (lambda line, pos: grid[line][pos]) if not across else (lambda line, pos: grid[pos][line])
    for pos in range(n):
        if pos in keep:
            continue
        for line in lines:
            cell = at(line, pos)
            if cell is None or not any(w in _squash(cell.text or "") for w in words):
                continue
            above = lines.index(line)
            if (above == 0 and not across) or above > 0 and any(at(lines[above - 1], pos) is at(lines[above - 1], k) for k in keep):
                found.add(pos)
            break
    return found


def _table_excerpt(doc, flag_id: str, t_index: int, places: list[tuple[int, int]], words: tuple[str, ...]) -> Excerpt:
    """The part of table T_INDEX that shows cells PLACES (row, column): its header rows, the rows of the
    cells with each section's header row, the row labels (in one column), the cells' columns and the 总计
    that totals them (a row 总计 too where the table runs down), nothing else, so the flagged cells are
    in view without scrolling."""
    table = doc.tables[t_index]
    grid, rows = table.grid(), table.text_rows()
    numeric = [i for i, row in enumerate(rows) if _numeric(row)]
    value_cols = [c for c in range(table.n_cols) if any(_NUMBER.fullmatch(rows[i][c].strip()) for i in numeric)]
    first_value = min(value_cols, default=0)
    # the columns left of the values that label the data rows (a header cell above them is no label)
    label_cols = [c for c in range(first_value) if all(p[1] != c for p in places)
                  and any(rows[i][c].strip() and not _NUMBER.fullmatch(rows[i][c].strip()) for i in numeric)]
    flagged_rows = sorted({r for r, _ in places})
    lead = header_rows(rows, min(flagged_rows))
    lead = [i for i in lead if not numeric or i < numeric[0]]
    keep_cols = {c for _, c in places}
    keep_cols |= _related(grid, lead, False, keep_cols, words) if lead else set()
    body_rows = set(flagged_rows)
    for r in flagged_rows:
        body_rows |= {i for i in header_rows(rows, r) if i not in lead}
    if label_cols:  # a table running down: 总计 rows under the same group label as a flagged row
        body_rows |= {r for r in _related(grid, label_cols, True, set(flagged_rows), words) if r not in lead}
    cols = sorted(keep_cols)

    def shown(index: int, head: bool = False) -> list[Span]:
        row = grid[index]
        out: list[Span] = []
        if label_cols:  # a data row's labels in full; a header row's own (not those merged down into it)
            texts = list(dict.fromkeys(row[c].text for c in label_cols if row[c] is not None and row[c].text
                                       and not (head and row[c].row != index)))
            out.append((" ".join(texts), 1, label_cols))
        for col in cols:
            cell = row[col]
            if out and len(out) > (1 if label_cols else 0) and cell is not None and grid[index][out[-1][2][-1]] is cell:
                text, width, covered = out[-1]
                out[-1] = (text, width + 1, [*covered, col])
                continue
            out.append((cell.text if cell is not None and cell.row == index else "", 1, [col]))
        return out

    body: list[list[Span] | None] = []
    marked: list[tuple[int, int]] = []
    heads: list[int] = []
    heads_at = {i for i in body_rows if i not in flagged_rows and not _numeric(rows[i])}
    previous = None
    for index in sorted(body_rows):
        if previous is not None and index > previous + 1:
            body.append(None)
        marked += [(len(body), c) for r, c in places if r == index]
        if index not in flagged_rows and not _numeric(rows[index]):
            heads.append(len(body))
        body.append(shown(index, index in heads_at))
        previous = index
    header = [shown(i, True) for i in lead]
    header = [row for row in header if any(text.strip() for text, _, _ in row)]  # merged down from above: empty
    where = ", ".join(str(r + 1) for r in flagged_rows)
    return Excerpt(flag_id, f"table {t_index + 1} of {len(doc.tables)}, row{'s' if len(flagged_rows) > 1 else ''} "
                            f"{where}", header=header, body=body, marked=sorted(marked), heads=heads)


def _cell_in_text(doc, flag_id: str, label: str, raws: list[str]) -> Excerpt | None:
    """A cell of a table that is no grid (portal text whose cells ran together, 规范性文件693665): the
    paragraph where its row label is followed by numbers holding the value, label and numbers marked."""
    want, values = label.strip(), [_squash(r) for r in raws if r.strip()]
    if not want or not values:
        return None
    paragraphs = doc.paragraphs
    for number, para in enumerate(paragraphs, 1):
        at = para.text.find(want)
        while at >= 0:
            run = _VALUES.match(para.text, at + len(want))
            if run and run.group().strip() and any(v in _squash(run.group()) for v in values):
                end = run.end()
                lo, hi = max(0, at - WINDOW), min(len(para.text), end + WINDOW)
                segments = [("…" if lo else "", False), (para.text[lo:at], False), (para.text[at:end], True),
                            (para.text[end:hi] + ("…" if hi < len(para.text) else ""), False)]
                return Excerpt(flag_id, f"paragraph {number} of {len(paragraphs)}, from character "
                                        f"{para.start + at + 1} of the text", [(t, m) for t, m in segments if t])
            at = para.text.find(want, at + 1)
    return None


def _marked_columns(header: list[list[str]], row: list[str], raws: list[str], col_labels: list[str]) -> list[int]:
    """Columns of the row that hold a flagged value: where the column's header words match the cell's
    column label, else every cell printing one of the values."""
    values = {_squash(r) for r in raws if r.strip()}
    marked = []
    for col, text in enumerate(row):
        if text not in values:
            continue
        words = _squash("".join(h[col] for h in header if col < len(h)))
        if not header or any(words and (words in _squash(lab) or _squash(lab).endswith(words[-4:]))
                             for lab in col_labels if lab):
            marked.append(col)
    return marked or [col for col, text in enumerate(row) if text in values]


def find_excerpts(job: TextJob) -> dict[str, list[Excerpt]]:
    """flag_id -> excerpts of its evidence in the document (runs in a report process)."""
    from extractors.normalize import simplify
    from extractors.readers import read_document
    from pipeline.audit.crops import source_bytes

    data = source_bytes(job.source)
    if data is None:
        return {}
    try:
        doc = read_document(data, job.source, job.format)
        simplify(doc)
    except Exception:  # noqa: BLE001 - the excerpt is a nicety; the flag keeps its evidence text
        log.debug("could not read %s for excerpts", job.source, exc_info=True)
        return {}
    out: dict[str, list[Excerpt]] = {}
    by_flag: dict[str, list[tuple[int | None, str, str]]] = {}
    for flag_id, start, raw, sentence in job.figures:
        by_flag.setdefault(flag_id, []).append((start, raw, sentence))
    for flag_id, figures in by_flag.items():
        out.setdefault(flag_id, []).extend(_figure_excerpts(doc, flag_id, figures))
    placed: set[tuple[str, str]] = set()  # (flag, row label) shown from the readers' own cells
    if job.refs:
        try:
            sources = _sources(doc)
        except Exception:  # noqa: BLE001 - fall back to finding rows by their labels
            log.debug("could not place the cells of %s", job.source, exc_info=True)
            sources = {}
        words = _total_words()
        by_flag_table: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for flag_id, ref, label in job.refs:
            place = sources.get(tuple(ref.split(".", 2)))  # type: ignore[arg-type]
            if place is not None:
                by_flag_table.setdefault((flag_id, place[0]), []).append(place[1:])
                placed.add((flag_id, label))
        for (flag_id, t_index), places in by_flag_table.items():
            out.setdefault(flag_id, []).append(_table_excerpt(doc, flag_id, t_index, sorted(set(places)), words))
    for flag_id, label, raws, col_labels in job.cells:
        if (flag_id, label) in placed:
            continue
        excerpt = _cell_excerpt(doc, flag_id, label, raws, col_labels) or _cell_in_text(doc, flag_id, label, raws)
        if excerpt:
            out.setdefault(flag_id, []).append(excerpt)
    return out


def plan_excerpts(documents: list[dict[str, str]], flags_by_doc, cells_by_doc, figures) -> list[TextJob]:
    """Which TXT/HTML/DOCX documents are read again for excerpts: those with flags, errors first, then
    warnings, each in input order,
    at most MAX_TEXT_DOCUMENTS."""
    jobs: list[TextJob] = []
    seen: set[str] = set()
    from pipeline.audit.crops import by_severity

    for doc in by_severity(documents, flags_by_doc):  # errors first: the budget goes to them
        if len(jobs) >= MAX_TEXT_DOCUMENTS:
            break
        doc_id = doc.get("doc_id", "")
        if doc.get("format") not in TEXT_FORMATS or not doc_id or doc_id in seen or not flags_by_doc.get(doc_id):
            continue
        seen.add(doc_id)
        job = TextJob(doc["source"], doc["format"])
        cells = cells_by_doc.get(doc_id, {})
        for flag in flags_by_doc[doc_id]:
            refs = flag.get("refs", "").split()
            for ref in refs:
                figure = figures.get(ref.split(":", 1)[1]) if ref.startswith("figure:") else None
                if figure:
                    start = figure.get("start", "")
                    job.figures.append((flag["flag_id"], int(start) if start.isdigit() else None,
                                        figure.get("raw", ""), figure.get("sentence", "")))
            by_row: dict[str, list[dict[str, str]]] = {}
            for ref in refs:
                if ref in cells:
                    by_row.setdefault(cells[ref].get("row_label", ""), []).append(cells[ref])
            for ref in refs:
                if ref in cells:
                    job.refs.append((flag["flag_id"], ref, cells[ref].get("row_label", "")))
            for label, row_cells in by_row.items():
                job.cells.append((flag["flag_id"], label, [c.get("raw", "") for c in row_cells],
                                  [c.get("col_label", "") for c in row_cells]))
        if job.figures or job.cells:
            jobs.append(job)
    return jobs
