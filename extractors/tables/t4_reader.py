"""表四, read from grid tables: its one row of fifteen counts under stacked header rows (a group over its
outcomes, cut by a page break or printed without spans), or transposed down a column. A column its
header words do not name is placed by elimination or by the template's order, and kept only where the
group totals hold."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.cell_sink import CellSink
from extractors.tables.identity_fit import contradicted
from extractors.tables.labels import T4_KEYS, is_t4_header_text, match_t4_col, t4_group, t4_outcome
from extractors.tables.table_grids import GridRow, RowCell
from schemas.template import T4, T4_GROUPS, T4_OUTCOMES, T4_SPEC

_CASES = T4_SPEC.rows[0]  # 案件数: table 4's one row


@dataclass
class T4Reader:
    """The state of 表四 while it is read: its header rows and, transposed, the open group."""

    sink: CellSink
    header_rows: list[GridRow] = field(default_factory=list)
    group: str = ""

    @property
    def done(self) -> bool:
        """Table 4 is one row: once read, a grid after it is not a continuation."""
        return self.sink.has_table(T4)

    @staticmethod
    def is_header(row: GridRow) -> bool:
        return any(is_t4_header_text(rc.text) for rc in row.labels)

    @staticmethod
    def starts_transposed(row: GridRow) -> bool:
        """A data row with a group label and one value: table 4 transposed."""
        return bool(row.labels) and len(row.values) == 1 and T4Reader.is_header(row)

    def add_header(self, row: GridRow, continuing: bool) -> None:
        if not continuing:
            self.header_rows = []
        self.header_rows.append(row)
        self.sink.header_shape(T4, self.header_rows)

    def row(self, row: GridRow) -> bool:
        values = row.values
        if row.labels and len(values) == 1:  # transposed: labels in a column, one value beside them
            texts = [rc.text for rc in row.labels]
            for t in texts:
                self.group = t4_group(t) or self.group
            key = match_t4_col([self.group_label(), *texts])
            if key:
                self.sink.emit(T4, _CASES.key, key, values[0], _CASES.label,
                               " ".join(" ".join(t.split()) for t in texts), row.page)
                return True
            return False
        keys = self.keys(row) or _t4_order_keys(self.header_rows, len(values))
        if len(row.filled_values) < 5 and (keys is None or len(keys) != len(values) or not self.header_rows):
            return False  # few numbers and no header naming every column: not table 4's row
        # a column not named by its header words: placed by elimination, or all by the template's order
        inferred = keys is None or any(label.endswith(_BY_ELIMINATION) for _, label in keys)
        if keys is None:
            if len(values) != len(T4_KEYS):
                self.sink.problem(T4, f"table 4: {len(values)} value cells and no readable header")
                return True
            keys = [(k, "") for k in T4_KEYS]  # fifteen values and no usable header: the template order
        pairs = list(zip(keys, values, strict=True))
        if inferred and (broken := contradicted(T4, {k: rc.text for (k, _), rc in pairs})):
            # a mapping not read from the header words that the group totals contradict: never emitted
            self.sink.ambiguous.extend(f"{T4}.{_CASES.key}.{k}" for (k, _), _ in pairs)
            self.sink.problem(T4, f"table 4: columns placed by position, but {', '.join(broken)} does not hold; "
                                      "the counts are left out")
            return True
        for (key, label), rc in pairs:
            self.sink.emit(T4, _CASES.key, key, rc, _CASES.label, label.removesuffix(_BY_ELIMINATION), row.page)
        return True

    def group_label(self) -> str:
        return T4_GROUPS.get(self.group, "").split("·")[-1]  # 行政诉讼·复议后起诉 -> 复议后起诉

    def keys(self, row: GridRow) -> list[tuple[str, str]] | None:
        """Column keys of a table-4 data row from the header rows above it (None when unreadable)."""
        if not self.header_rows:
            return None
        out: list[tuple[str | None, str]] = []
        groups: list[str | None] = []
        # each header row's text over every grid column, worked out once for all the row's values
        above = [_texts_by_col(h) if h.n_cols == row.n_cols else None for h in self.header_rows]
        for rc in row.values:
            texts = [by_col[rc.first_col] if by_col is not None else _header_text(h, rc, row.n_cols)
                     for h, by_col in zip(self.header_rows, above, strict=True)]
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


def _texts_by_col(header: GridRow) -> list[str]:
    """_header_text of a header row in the same grid, for a value in each grid column in turn (one pass
    along the row rather than one per value)."""
    out: list[str] = []
    last = ""
    for c in range(header.n_cols):
        rc = header.at(c)
        if rc is not None and rc.text.strip():
            last = rc.text
        elif rc is not None and not (t4_group(last) and not t4_outcome(last)):
            last = ""  # an empty cell continues a group heading only, never an outcome
        out.append(last)
    return out


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
