"""Template tables 2-4 from the grid tables of the document model: find them by labels, join their
continuations across pages, map printed labels to keys and parse the cell values."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.cell_values import parse_cell
from extractors.identity_fit import contradicted
from extractors.labels import (
    T2_2019_ONLY_COLS,
    T3_GROUPS,
    T4_KEYS,
    is_t3_col_group,
    is_t3_header_text,
    is_t4_header_text,
    match_t2_col,
    match_t2_row,
    match_t3_col,
    match_t3_label,
    match_t4_col,
    normalize_label,
    split_label_parts,
    split_numbering,
    t4_group,
    t4_outcome,
    template_of_headers,
)
from extractors.table_grids import GridRow, RowCell, bbox_text, grid_rows, is_narrative
from schemas.document import Document
from schemas.records import CellRecord, TableExtraction
from schemas.template import (
    T2,
    T2_2019,
    T2_2021,
    T3,
    T3_APPLICANT_COLS,
    T3_COLS,
    T3_OTHER_ROWS,
    T3_OUTCOME_ROWS,
    T3_SPEC,
    T4,
    T4_GROUPS,
    T4_OUTCOMES,
    T4_SPEC,
    TABLE_KEYS,
)

_T3_DEFAULT_7 = tuple(c.key for c in T3_COLS if c.key != "org_subtotal")
_T3_DEFAULT_8 = tuple(c.key for c in T3_COLS)
_TABLE_NO = {T2: "table 2", T3: "table 3", T4: "table 4"}
_T2_BLOCK, _T2_HEAD_FIRST = T2_2021.header_words  # 第二十条 block headings; 信息内容 over the row labels
_HANDLED, _CARRIED = T3_SPEC.row("handled_total"), T3_SPEC.row("carried_forward")
_TOTAL_WORDS = frozenset(split_numbering(normalize_label(f))[1] for f in (_HANDLED.label, *_HANDLED.aliases))
_CASES = T4_SPEC.rows[0]  # 案件数: table 4's one row
NO_TABLE = "no template table found"


@dataclass
class ColMap:
    """Column keys of a header: in printed order, with the grid columns and the label of each."""

    keys: list[str]
    cols: dict[str, tuple[int, ...]]
    labels: dict[str, str]
    n_cols: int
    table_index: int


@dataclass
class _Pending:
    key: str
    label: str
    row: GridRow


def _col_centers(rows: list[GridRow]) -> dict[int, float]:
    """x-centre of each grid column from the boxes of these rows (a merged cell shares its width evenly)."""
    centers: dict[int, tuple[int, float]] = {}  # col -> (span it came from, centre)
    for row in rows:
        for rc in row.cells:
            box = rc.cell.bbox
            if box is None:
                continue
            width = (box[2] - box[0]) / len(rc.cols)
            for i, c in enumerate(rc.cols):
                if c not in centers or len(rc.cols) < centers[c][0]:
                    centers[c] = (len(rc.cols), box[0] + width * (i + 0.5))
    return {c: x for c, (_, x) in centers.items()}


def _cols_of(rc: RowCell, row: GridRow, ref: GridRow, centers: dict[int, float]) -> tuple[int, ...]:
    """The columns of the reference grid a header cell stands over: its own in the same grid, else by x."""
    if row.table_index == ref.table_index:
        return rc.cols
    box = rc.cell.bbox
    if box is None or not centers:
        return rc.cols if row.n_cols == ref.n_cols else ()
    return tuple(c for c, x in sorted(centers.items()) if box[0] <= x <= box[2])


@dataclass
class _Held:
    """A table-3 row with one value cell right of its labelled columns, held until the table is read."""

    key: str
    label: str
    row: GridRow
    pairs: list[tuple[str, RowCell]]
    extra: RowCell
    emitted: bool  # the pairs were emitted already (placed by header position)


def _sums(h: _Held) -> bool:
    """The held cell is a number equal to the sum of the row's six applicant cells (blank = 0)."""
    parts = dict(h.pairs)
    if not set(T3_APPLICANT_COLS) <= set(parts):
        return False
    extra = parse_cell(h.extra.text)
    values = [parse_cell(parts[c].text) for c in T3_APPLICANT_COLS]
    if not extra.ok or not all(v.ok for v in values):
        return False
    return (extra.value or 0) == sum(v.value or 0 for v in values)


def _colmap(rows: list[GridRow], match) -> ColMap | None:
    """Column keys from stacked header rows: the lowest header text that names a key wins per column.

    Header rows cut by a page break stand in two grids: rows of an earlier grid are placed over the
    last grid's columns by the x-position of their boxes."""
    if not rows:
        return None
    ref = rows[-1]
    n_cols = ref.n_cols
    centers = _col_centers([r for r in rows if r.table_index == ref.table_index])
    per_col: dict[int, tuple[str, str]] = {}
    for row in rows:
        for rc in row.cells:
            key = match(rc.text)
            if key:
                for c in _cols_of(rc, row, ref, centers):
                    per_col[c] = (key, " ".join(rc.text.split()))
    keys: list[str] = []
    cols: dict[str, tuple[int, ...]] = {}
    labels: dict[str, str] = {}
    for c in sorted(per_col):
        key, label = per_col[c]
        if key not in cols:
            keys.append(key)
            labels[key] = label
        cols[key] = cols.get(key, ()) + (c,)
    return ColMap(keys, cols, labels, n_cols, ref.table_index) if keys else None


def _order_keys(rows: list[GridRow], match, is_group) -> list[tuple[str, str]] | None:
    """Column keys of stacked header rows read in printed order, for a grid whose header cells lost their
    spans (a text export): each lower row fills the one group heading left open above it
    (自然人 | 法人或其他组织 | 总计 over 商业企业 … 其他 reads 自然人, 商业企业 … 其他, 总计).
    None when a row could fill more than one heading, a heading stays open or a key repeats."""
    seq: list[tuple[str, str] | None] = []
    for row in rows:
        items: list[tuple[str, str] | None] = []
        for rc in row.labels:
            key = match(rc.text)
            if key:
                items.append((key, " ".join(rc.text.split())))
            elif is_group(rc.text):
                items.append(None)
        if not items:
            continue
        if not seq:
            seq = items
            continue
        holes = [i for i, it in enumerate(seq) if it is None]
        if len(holes) != 1:
            return None
        seq = seq[:holes[0]] + items + seq[holes[0] + 1:]
    pairs = [it for it in seq if it is not None]
    if not pairs or len(pairs) != len(seq) or len({k for k, _ in pairs}) != len(pairs):
        return None
    return pairs


def map_values(row: GridRow, keys: list[str] | tuple[str, ...], colmap: ColMap | None) -> list[tuple[str, RowCell]]:
    """Pair a row's value cells with column keys: by order when the counts agree, else by header position."""
    values = list(row.values)
    if len(values) == len(keys):
        return list(zip(keys, values, strict=True))
    if colmap and row.n_cols == colmap.n_cols and list(keys) == colmap.keys:
        label_cells = {id(rc.cell) for rc in row.labels}
        out = []
        for key in keys:
            rc = row.at(colmap.cols[key][0])
            if rc is None or id(rc.cell) in label_cells:
                break
            out.append((key, rc))
        else:
            if len({id(rc.cell) for _, rc in out}) == len(out):
                return out
    while values and len(values) > len(keys) and not values[0].text.strip():
        values.pop(0)
    while values and len(values) > len(keys) and not values[-1].text.strip():
        values.pop()
    if len(values) == len(keys):
        return list(zip(keys, values, strict=True))
    return []


@dataclass
class _Extractor:
    doc_id: str
    cells: dict[tuple[str, str, str], CellRecord] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    mode: str | None = None
    last_page: int | None = None
    t2_cols: ColMap | None = None
    t3_header: list[GridRow] = field(default_factory=list)
    t3_cols: ColMap | None = None
    t3_order: list[tuple[str, str]] | None = None  # header keys in reading order (see _order_keys)
    t3_group: str = ""
    t3_group_label: str = ""
    t4_header: list[GridRow] = field(default_factory=list)
    t4_group: str = ""
    pending: _Pending | None = None
    prev_header: bool = False
    t4_header_open: bool = False
    t3_header_open: bool = False
    # table-3 rows with one value cell right of the labelled columns (see t3_infer_total)
    t3_unlabeled: list[_Held] = field(default_factory=list)
    # a renumbered 总计 row (（八）总计) read as handled_total until checked, and the row key after it
    t3_renum: str | None = None
    t3_renum_next: str | None = None

    # ------------------------------------------------------------ output

    def emit(self, table: str, row_key: str, col_key: str, rc: RowCell | None, row_label: str,
             col_label: str, page: int | None) -> None:
        ref = (table, row_key, col_key)
        if ref in self.cells:
            if ".".join(ref) not in self.ambiguous:
                self.ambiguous.append(".".join(ref))
            return
        text = rc.text if rc is not None else ""
        parsed = parse_cell(text)
        if not parsed.ok:
            self.problems.append(f"{_TABLE_NO[table]}: cell {row_key}.{col_key} holds text, not a value: "
                                 f"'{text.strip()[:40]}'")
        cell = rc.cell if rc is not None else None
        self.cells[ref] = CellRecord(
            doc_id=self.doc_id, table=table, row_key=row_key, col_key=col_key, value=parsed.value,
            raw=parsed.raw, blank=parsed.blank, row_label=row_label,
            page=cell.page if cell is not None and cell.page is not None else page,
            col_label=col_label, bbox=bbox_text(cell) if cell is not None else "")

    # ------------------------------------------------------------ row dispatch

    def start_table(self, rows: list[GridRow], page: int | None) -> None:
        """A new Table block: keep the current table open only for a continuation on the same/next page."""
        if self.mode and page is not None and self.last_page is not None and page - self.last_page > 1:
            self.mode = None
        if self.mode == T4 and any(k[0] == T4 for k in self.cells):
            self.mode = None  # table 4 is one row; anything after it is not a continuation
        if self.mode == T3 and (T3, "carried_forward", "total") in self.cells:
            self.mode = None
        # a table-3/4 header cut by a page break goes on in the next block: keep its rows
        self.t4_header_open = self.mode == T4 and self.prev_header
        self.t3_header_open = self.mode == T3 and self.prev_header
        self.prev_header = False

    def row(self, row: GridRow) -> None:
        if is_narrative(row):
            text = normalize_label(row.labels[0].text)
            if _T2_BLOCK in text or text == _T2_HEAD_FIRST:
                self.mode = T2
            elif self.mode == T3:
                self.t3_row(row)  # a label-only row: a group heading or a label whose values follow
            elif self.mode == T2 and row.values:
                self.t2_row(row)  # a row left wholly blank: its cells are emitted blank
            self.prev_header = False
            return
        if not row.labels and not row.filled_values:
            return
        if self.header(row):
            return
        self.prev_header = self.t3_header_open = False
        if self.mode == T4 and self.t4_row(row):
            return
        if self.mode == T3 and self.t3_row(row, strict=False):
            return
        if self.mode == T2 and self.t2_row(row):
            return
        # a data row that does not fit the open table: does it start another?
        if row.labels and len(row.values) == 1 and any(is_t4_header_text(rc.text) for rc in row.labels):
            self.mode, self.t4_group = T4, ""
            self.t4_row(row)
        elif row.labels and match_t2_row(row.labels[0].text):
            self.mode = T2
            self.t2_row(row)
        elif row.labels and self.t3_row(row, strict=True):
            self.mode = T3
        elif self.mode in (T2, T3) and row.labels and row.filled_values:
            label = " ".join(" ".join(rc.text.split()) for rc in row.labels)
            self.problems.append(f"{_TABLE_NO[self.mode]}: row label '{label}' matched no key")

    def header(self, row: GridRow) -> bool:
        """Header rows switch the open table and collect column labels."""
        if row.filled_values:
            return False
        texts = [rc.text for rc in row.labels]
        if any(is_t4_header_text(t) for t in texts):
            if self.mode != T4 or not (self.prev_header or self.t4_header_open):
                self.t4_header = []
            self.t4_header_open = False
            self.flush_pending()
            self.mode = T4
            self.t4_header.append(row)
            self.prev_header = True
            return True
        if any(is_t3_header_text(t) for t in texts):
            if self.mode != T3 or not (self.prev_header or self.t3_header_open):
                self.t3_header = []
            self.t3_header_open = False
            self.mode = T3
            self.t3_header.append(row)
            self.t3_cols = _colmap(self.t3_header, match_t3_col)
            self.t3_order = _order_keys(self.t3_header, match_t3_col, is_t3_col_group)
            self.prev_header = True
            return True
        t2_keys = [match_t2_col(t) for t in texts]
        if any(t2_keys) or (texts and normalize_label(texts[0]) == _T2_HEAD_FIRST):
            self.mode = T2
            self.t2_cols = _colmap([row], match_t2_col)
            self.prev_header = True
            return True
        return False

    # ------------------------------------------------------------ table 2

    def t2_row(self, row: GridRow) -> bool:
        key = next((k for k in (match_t2_row(rc.text) for rc in row.labels) if k), None)
        if key is None:
            return False
        label = next(" ".join(rc.text.split()) for rc in row.labels if match_t2_row(rc.text))
        cm = self.t2_cols
        keys = cm.keys if cm else list(T2_2021.cols_of(key))
        pairs = map_values(row, keys, cm)
        if not pairs:
            self.problems.append(f"table 2: row '{label}': {len(row.values)} value cells for columns {keys}")
        for col_key, rc in pairs:
            self.emit(T2, key, col_key, rc, label, cm.labels.get(col_key, "") if cm else "", row.page)
        return True

    # ------------------------------------------------------------ table 3

    def t3_keys(self, n_values: int) -> tuple[list[str], ColMap | None]:
        cm = self.t3_cols
        if cm:
            return cm.keys, cm
        return list(_T3_DEFAULT_8 if n_values == 8 else _T3_DEFAULT_7), None

    def t3_resolve(self, row: GridRow, strict: bool) -> tuple[str | None, str, str, str]:
        """Row key, the group (id, printed label) after this row, and the printed row label."""
        group, group_label = self.t3_group, self.t3_group_label
        key: str | None = None
        label = ""
        group_only = False
        for text in (part for rc in row.labels for part in split_label_parts(rc.text)):
            m = match_t3_label(text, group)
            if strict and m.score < 0.9:
                continue
            text = " ".join(text.split())
            if m.kind == "group":
                group, group_only = m.key, True
                # a cut heading (（四）无 | 法提供) is named by the template's words
                number, words = T3_GROUPS[m.key]
                group_label = text if m.score >= 0.9 else f"（{number[1:-1]}）{words}"
            elif m.kind == "key":
                key, group_only, label = m.key, False, text
                if not m.key.startswith(("denied_", "unable_", "rejected_", "other_")):
                    group, group_label = "", ""
        if key is None and group_only and group == "other":
            key, label = "other_total", group_label  # the group stays open: numbered rows may follow
        elif key is not None and group:
            label = f"{group_label} {label}".strip()
        return key, group, group_label, label

    def t3_row(self, row: GridRow, strict: bool = False) -> bool:
        if row.labels:
            key, group, group_label, label = self.t3_resolve(row, strict)
            if key is None:
                if strict:
                    return False
                if group != self.t3_group:
                    self.t3_group, self.t3_group_label = group, group_label
                    return True
                if row.filled_values:
                    label = " ".join(" ".join(rc.text.split()) for rc in row.labels)
                    if not self.t3_renumbered_total(label, row):
                        self.problems.append(f"table 3: row label '{label}' matched no key")
                return True  # a label fragment (a cut label's tail) with no values: nothing to place
            if self.t3_renum is not None and self.t3_renum_next is None:
                self.t3_renum_next = key
            if self.pending and self.pending.key == "other_total" and key.startswith("other_"):
                self.pending = None  # （六）其他处理 stood as the heading of its numbered rows
            self.flush_pending()
            self.t3_group, self.t3_group_label = group, group_label
            if not row.filled_values:
                if any(k[:2] == (T3, key) for k in self.cells):
                    return True  # the tail of a label cut by a page break, its values read with the head
                self.pending = _Pending(key, label, row)  # its values may stand on the next row/page
                return True
            self.t3_emit(key, label, row)
            return True
        if self.pending and row.filled_values:  # values of a label printed on the row before
            pending, self.pending = self.pending, None
            self.t3_emit(pending.key, pending.label, row)
            return True
        return False

    def t3_renumbered_total(self, label: str, row: GridRow) -> bool:
        """A 总计 row under other numbering (（八）总计): read as handled_total for now; kept only when it
        is the last row before 四、结转 and the table's column identities hold (see t3_check_renumbered)."""
        nums, core = split_numbering(normalize_label(label))
        if not nums or core not in _TOTAL_WORDS or self.t3_renum is not None:
            return False
        if any(k[:2] == (T3, "handled_total") for k in self.cells):
            return False
        before = len(self.cells)
        self.t3_emit("handled_total", label, row)
        if len(self.cells) == before:
            return False
        self.t3_renum, self.t3_renum_next = label, None
        return True

    def t3_check_renumbered(self) -> None:
        if self.t3_renum is None:
            return
        label, self.t3_renum = self.t3_renum, None
        totals = {c: cell for (t, r, c), cell in self.cells.items() if t == T3 and r == "handled_total"}

        def value(row_key: str, col: str) -> float:
            cell = self.cells.get((T3, row_key, col))
            return (cell.value or 0) if cell is not None else 0

        rows = {r for t, r, _ in self.cells if t == T3}
        checks = []
        if "granted" in rows:
            others = ("other_total",) if "other_total" in rows else T3_OTHER_ROWS
            checks.append(all((cell.value or 0) == sum(value(r, c) for r in T3_OUTCOME_ROWS + others)
                              for c, cell in totals.items()))
        if {"new_received", "carried_over", "carried_forward"} <= rows:
            checks.append(all(value("new_received", c) + value("carried_over", c)
                              == (cell.value or 0) + value("carried_forward", c) for c, cell in totals.items()))
        if self.t3_renum_next == "carried_forward" and checks and all(checks):
            self.problems.append(f"table 3: row '{label}' read as {_HANDLED.label} (the last row before "
                                 f"{_CARRIED.label}, the column identities hold)")
            return
        for c in totals:
            del self.cells[(T3, "handled_total", c)]
        self.problems.append(f"table 3: row label '{label}' matched no key")

    def t3_emit(self, key: str, label: str, row: GridRow) -> None:
        keys, cm = self.t3_keys(len(row.values))
        order = self.t3_order
        order_keys = [k for k, _ in order] if order else []
        exact = len(row.values) == len(order_keys) != len(keys)
        pairs = [] if cm and order_keys != keys and exact else map_values(row, keys, cm)
        if not pairs and cm and order and order_keys != keys:
            # the header's cells stand over other positions than the values (spans lost): by reading order
            pairs = map_values(row, order_keys, None)
            if pairs:
                labels = dict(order)
                for col_key, rc in pairs:
                    self.emit(T3, key, col_key, rc, label, labels[col_key], row.page)
                return
        if self.t3_extra_column(key, label, row, keys, pairs):
            return
        if not pairs:
            self.problems.append(f"table 3: row '{label}': {len(row.values)} value cells for {len(keys)} columns")
        if cm is None and pairs and (broken := contradicted(T3, {k: rc.text for k, rc in pairs})):
            # no header: columns placed by the template's order, which the row's own 总计 contradicts
            self.ambiguous.extend(f"{T3}.{key}.{k}" for k, _ in pairs)
            self.problems.append(f"table 3: row '{label}': columns placed by position, but {', '.join(broken)} "
                                 "does not hold; its values are left out")
            return
        for col_key, rc in pairs:
            self.emit(T3, key, col_key, rc, label, cm.labels.get(col_key, "") if cm else "", row.page)

    def t3_extra_column(self, key: str, label: str, row: GridRow, keys: list[str],
                        pairs: list[tuple[str, RowCell]]) -> bool:
        """Hold a value cell right of the labelled columns when 总计 has no label (True: the row is held)."""
        if "total" in keys or not set(T3_APPLICANT_COLS) <= set(keys):
            return False
        values = row.values
        if pairs:
            last = max(values.index(rc) for _, rc in pairs)
            if len(values) == last + 2:
                self.t3_unlabeled.append(_Held(key, label, row, pairs, values[-1], emitted=True))
            return False
        if len(values) == len(keys) + 1:  # counts agree with one more column at the right: hold the row
            pairs = list(zip(keys, values[:-1], strict=True))
            self.t3_unlabeled.append(_Held(key, label, row, pairs, values[-1], emitted=False))
            return True
        return False

    def t3_infer_total(self) -> None:
        """An unlabelled last column of table 3 is `total` only where it is the sum of the six applicant
        columns on every row with values (the template's identity); otherwise it is reported and dropped."""
        held, self.t3_unlabeled = self.t3_unlabeled, []
        if not held:
            return
        fits = any(parse_cell(h.extra.text).value for h in held) and all(_sums(h) for h in held)
        cm = self.t3_cols
        for h in held:
            if not fits and not h.emitted:
                self.problems.append(f"table 3: row '{h.label}': {len(h.row.values)} value cells for "
                                     f"{len(h.pairs)} columns")
                continue
            pairs = ([] if h.emitted else h.pairs) + ([("total", h.extra)] if fits else [])
            for col_key, rc in pairs:
                if (T3, h.key, col_key) not in self.cells or col_key != "total":
                    self.emit(T3, h.key, col_key, rc, h.label, cm.labels.get(col_key, "") if cm else "",
                              h.row.page)
        if not fits:
            self.problems.append("table 3: an unlabelled last column is not the sum of the applicant columns; "
                                 "its values are dropped")

    def flush_pending(self) -> None:
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        if pending.row.values:
            self.t3_emit(pending.key, pending.label, pending.row)
        else:
            self.problems.append(f"table 3: row '{pending.label}' has no values")

    # ------------------------------------------------------------ table 4

    def t4_row(self, row: GridRow) -> bool:
        values = row.values
        if row.labels and len(values) == 1:  # transposed: labels in a column, one value beside them
            texts = [rc.text for rc in row.labels]
            for t in texts:
                self.t4_group = t4_group(t) or self.t4_group
            key = match_t4_col([self.t4_group_label(), *texts])
            if key:
                self.emit(T4, _CASES.key, key, values[0], _CASES.label,
                          " ".join(" ".join(t.split()) for t in texts), row.page)
                return True
            return False
        keys = self.t4_keys(row) or _t4_order_keys(self.t4_header, len(values))
        if len(row.filled_values) < 5 and (keys is None or len(keys) != len(values) or not self.t4_header):
            return False  # few numbers and no header naming every column: not table 4's row
        # a column not named by its header words: placed by elimination, or all by the template's order
        inferred = keys is None or any(label.endswith(_BY_ELIMINATION) for _, label in keys)
        if keys is None:
            if len(values) != len(T4_KEYS):
                self.problems.append(f"table 4: {len(values)} value cells and no readable header")
                return True
            keys = [(k, "") for k in T4_KEYS]  # fifteen values and no usable header: the template order
        pairs = list(zip(keys, values, strict=True))
        if inferred and (broken := contradicted(T4, {k: rc.text for (k, _), rc in pairs})):
            # a mapping not read from the header words that the group totals contradict: never emitted
            self.ambiguous.extend(f"{T4}.{_CASES.key}.{k}" for (k, _), _ in pairs)
            self.problems.append(f"table 4: columns placed by position, but {', '.join(broken)} does not hold; "
                                 "the counts are left out")
            return True
        for (key, label), rc in pairs:
            self.emit(T4, _CASES.key, key, rc, _CASES.label, label.removesuffix(_BY_ELIMINATION), row.page)
        return True

    def t4_group_label(self) -> str:
        return T4_GROUPS.get(self.t4_group, "").split("·")[-1]  # 行政诉讼·复议后起诉 -> 复议后起诉

    def t4_keys(self, row: GridRow) -> list[tuple[str, str]] | None:
        """Column keys of a table-4 data row from the header rows above it (None when unreadable)."""
        if not self.t4_header:
            return None
        out: list[tuple[str | None, str]] = []
        groups: list[str | None] = []
        for rc in row.values:
            texts = [_header_text(h, rc, row.n_cols) for h in self.t4_header]
            out.append((match_t4_col(texts), " ".join(" ".join(t.split()) for t in texts if t.strip())))
            groups.append(next((g for g in map(t4_group, texts) if g), None))
        for i, (key, label) in enumerate(out):
            if key is None:  # an outcome header cut short (结果 for 结果维持): the one its group lacks
                key = _t4_eliminated(groups[i], {k for k, _ in out if k})
                if key is None or groups.count(groups[i]) != len(T4_OUTCOMES):
                    return None
                out[i] = (key, label + _BY_ELIMINATION)
        if len({k for k, _ in out}) != len(out):
            return None  # fewer columns than the template's are read by their headers; coverage names the rest
        return [(k, label) for k, label in out if k]


_BY_ELIMINATION = " (by elimination)"


def _t4_eliminated(group: str | None, taken: set[str]) -> str | None:
    """The one outcome column of a group no other header names, or None when not exactly one is left."""
    if group is None:
        return None
    left = [f"{group}_{o}" for o in T4_OUTCOMES if f"{group}_{o}" not in taken]
    return left[0] if len(left) == 1 else None


def _t4_order_keys(header: list[GridRow], n_values: int) -> list[tuple[str, str]] | None:
    """Table-4 column keys from header rows read in printed order, for a grid whose header cells lost
    their spans (a text export): each row fills the group headings left open above it, in order; a
    heading takes a run of sub-group headings, or of outcomes up to a repeated one. None unless this
    gives n_values distinct keys."""
    seq: list[tuple[list[str], str | None]] = []  # (group texts, outcome text or None while open)
    for row in header:
        items = [" ".join(rc.text.split()) for rc in row.labels
                 if t4_outcome(rc.text) or is_t4_header_text(rc.text) or t4_group(rc.text)]
        if not items:
            continue
        if not seq:
            seq = [([t], None) if not t4_outcome(t) else ([], t) for t in items]
            continue
        out: list[tuple[list[str], str | None]] = []
        for path, leaf in seq:
            if leaf is not None or not items:
                out.append((path, leaf))
                continue
            run: list[str] = []
            outcomes = bool(t4_outcome(items[0]))
            while items and bool(t4_outcome(items[0])) == outcomes:
                if outcomes and t4_outcome(items[0]) in {t4_outcome(t) for t in run}:
                    break
                run.append(items.pop(0))
            out.extend((path, t) if outcomes else ([*path, t], None) for t in run)
        if items:
            return None
        seq = out
    if len(seq) != n_values or any(leaf is None for _, leaf in seq):
        return None
    keys = [(match_t4_col([*path, leaf or ""]), " ".join([*path, leaf or ""])) for path, leaf in seq]
    if any(k is None for k, _ in keys) or len({k for k, _ in keys}) != len(keys):
        return None
    return [(k, label) for k, label in keys if k]


def _header_text(header: GridRow, value: RowCell, n_cols: int) -> str:
    """The header text above a value cell: by grid column in the same grid (an empty position under a
    merged group heading takes that heading), else by the x-position of the boxes (a header cut by a page break)."""
    if header.n_cols == n_cols:
        last = ""
        for c in range(value.first_col + 1):
            rc = header.at(c)
            if rc is not None and rc.text.strip():
                last = rc.text
            elif rc is not None and not (t4_group(last) and not t4_outcome(last)):
                last = ""  # an empty cell continues a group heading only, never an outcome
        return last
    box = value.cell.bbox
    if box is None:
        return ""
    x = (box[0] + box[2]) / 2
    for rc in header.cells:
        hb = rc.cell.bbox
        if hb is not None and hb[0] <= x <= hb[2]:
            return rc.text
    return ""


def _not_found(ex: _Extractor) -> None:
    """Name each template table no cell was read for (coverage of the others is counted in extractors/coverage.py)."""
    for table in TABLE_KEYS:
        if not any(k[0] == table for k in ex.cells):
            ex.problems.append(f"{table} not found")


def _drop_foreign_t2(ex: _Extractor, template: str) -> None:
    """Keep table-2 cells only where the template version has that row/column."""
    spec = T2_2019 if template == "2019" else T2_2021
    rows = {r.key for r in spec.rows}
    for ref in [r for r in ex.cells if r[0] == T2]:
        _, row_key, col_key = ref
        if row_key not in rows or col_key not in spec.cols_of(row_key):
            cell = ex.cells.pop(ref)
            if not cell.blank:
                ex.problems.append(f"table 2: {row_key}.{col_key} is not a {template} template cell "
                                   f"(value {cell.raw!r} dropped)")


def extract_tables(doc: Document, doc_id: str) -> TableExtraction:
    """Template tables 2-4 of a document, as cell records with problems found along the way."""
    ex = _Extractor(doc_id)
    for index, table in enumerate(doc.tables):
        if table.n_cols <= 1:
            continue  # a bordered frame around body text
        rows = grid_rows(table, index)
        ex.start_table(rows, table.page)
        for row in rows:
            ex.row(row)
            if row.page is not None and (row.labels or row.filled_values):
                ex.last_page = row.page
    ex.flush_pending()
    ex.t3_infer_total()
    ex.t3_check_renumbered()
    t2_cols = {c for t, _, c in ex.cells if t == T2}
    if t2_cols & T2_2019_ONLY_COLS:
        template = "2019"
    elif ex.cells:
        template = "2021"
    else:
        template = "unknown"
        # a table printed with labels and no values still shows its form by the table-2 headers
        texts = [c.text for t in doc.tables for c in t.cells] + [p.text for p in doc.paragraphs]
        heads = template_of_headers(texts)
        if heads:
            template = heads
            ex.problems.append(f"template {heads} read from the {T2} column headers only: "
                               "the template tables hold no values")
    if ex.cells:
        _drop_foreign_t2(ex, template)
        _not_found(ex)
    else:
        ex.problems.append(NO_TABLE)
    found = [t for t in (T2, T3, T4) if any(k[0] == t for k in ex.cells)]
    return TableExtraction(cells=list(ex.cells.values()), template=template, tables_found=found,
                           problems=ex.problems, ambiguous=ex.ambiguous)
