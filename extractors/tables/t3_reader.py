"""表三, read row by row from grid tables: columns from its stacked header rows, rows by their printed
labels within the （三）…（六） groups, values of a label printed on the row or page before, a 总计 column
left unlabelled, and a renumbered 总计 row, each kept only where the template's identities hold."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.cell_sink import CellSink
from extractors.tables.cell_values import parse_cell
from extractors.tables.grid_columns import ColMap, colmap, map_values, order_keys
from extractors.tables.identity_fit import contradicted
from extractors.tables.labels import (
    T3_GROUPS,
    is_t3_col_group,
    is_t3_header_text,
    match_t3_col,
    match_t3_label,
    normalize_label,
    split_label_parts,
    split_numbering,
)
from extractors.tables.remap import HeldRow, proven_remap
from extractors.tables.table_grids import GridRow, RowCell
from schemas.template import IDENTITIES, T3, T3_SPEC, Identity, identities_for

_T3_DEFAULT_7 = tuple(c.key for c in T3_SPEC.cols if c.key != "org_subtotal")
_T3_DEFAULT_8 = tuple(c.key for c in T3_SPEC.cols)
_HANDLED, _CARRIED = T3_SPEC.row("handled_total"), T3_SPEC.row("carried_forward")
T3_ROW_TOTAL = next(i for i in IDENTITIES if i.id == "t3_row_total")  # 总计 = the six applicant columns
_TOTAL_WORDS = frozenset(split_numbering(normalize_label(f))[1] for f in (_HANDLED.label, *_HANDLED.aliases))


@dataclass
class _Pending:
    key: str
    label: str
    row: GridRow


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
    """The held cell is a number equal to the sum of the row's six applicant cells (blank = 0): the
    template's 总计 identity read with the held cell as the row's 总计."""
    texts = {k: rc.text for k, rc in h.pairs} | {T3_ROW_TOTAL.total: h.extra.text}
    parsed = {k: parse_cell(t) for k, t in texts.items()}
    if not all(v.ok for v in parsed.values()):
        return False
    ev = T3_ROW_TOTAL.evaluate({k: v.value or 0 for k, v in parsed.items()})
    return ev is not None and ev.holds


def _tested(pairs: list[tuple[str, RowCell]]) -> bool:
    """The row's 总计 is a number other than 0, so its identities tell column sets apart."""
    total = dict(pairs).get("total")
    return total is not None and bool(parse_cell(total.text).value)


@dataclass
class T3Reader:
    """The state of 表三 while its rows are read: header, the open group, a label waiting for values."""

    sink: CellSink
    header_rows: list[GridRow] = field(default_factory=list)
    cols: ColMap | None = None
    order: list[tuple[str, str]] | None = None  # header keys in reading order (see grid_columns.order_keys)
    group: str = ""
    group_label: str = ""
    pending: _Pending | None = None
    # rows with one value cell right of the labelled columns (see infer_total)
    unlabeled: list[_Held] = field(default_factory=list)
    # a renumbered 总计 row (（八）总计) read as handled_total until checked, and the row key after it
    renum: str | None = None
    renum_next: str | None = None
    # no header naming the columns (a converter's placeholder header 数据1 … 数据N, or none): the value
    # columns the placeholder header counts, and the column set the identities proved on an earlier row
    width: int | None = None
    proven: tuple[str, ...] | None = None
    # rows read under a header out of the table's shape (a span damaged): re-read at the end (see reread)
    damaged: list[HeldRow] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """The table's last row (四、结转下年度继续办理) is read: a grid after it is not a continuation."""
        return (T3, _CARRIED.key, "total") in self.sink.cells

    @staticmethod
    def is_header(row: GridRow) -> bool:
        return any(is_t3_header_text(rc.text) for rc in row.labels)

    def add_header(self, row: GridRow, continuing: bool) -> None:
        """A header row: a new header unless it continues the rows just read (a header cut by a page break)."""
        if not continuing:
            self.header_rows = []
        self.width = None
        self.header_rows.append(row)
        self.sink.header_shape(T3, self.header_rows)
        self.cols = colmap(self.header_rows, match_t3_col)
        self.order = order_keys(self.header_rows, match_t3_col, is_t3_col_group)

    def finish(self) -> None:
        self.flush_pending()
        self.infer_total()
        self.check_renumbered()
        self.reread()

    def reread(self) -> None:
        """Rows read under a damaged header, mapped again by the columns' printed order where the row
        identities prove that mapping and break the header's (extractors/tables/remap.py)."""
        held, self.damaged = self.damaged, []
        keys = {h.key for h in held}
        if len(keys) != len(held):
            return  # a row read twice (ambiguous already): which reading to re-map cannot be told
        current = {(r, c): cell.raw for (t, r, c), cell in self.sink.cells.items() if t == T3 and r in keys}
        alternatives = [_T3_DEFAULT_7, _T3_DEFAULT_8] + ([[k for k, _ in self.order]] if self.order else [])
        mapping = proven_remap(T3, held, current, alternatives)
        if mapping is None:
            return
        labels = self.cols.labels if self.cols else {}
        order = dict(self.order or [])
        stale = tuple(f"table 3: row '{h.label}'" for h in held)
        self.sink.problems = [p for p in self.sink.problems if not p.text.startswith(stale)]
        for ref in [r for r in self.sink.cells if r[0] == T3 and r[1] in keys]:
            del self.sink.cells[ref]
            self.sink.irregular.discard(".".join(ref))
            self.sink.lost.discard(".".join(ref))
        by_key = {h.key: h for h in held}
        for (row_key, col_key), rc in mapping.items():
            h = by_key[row_key]
            self.sink.emit(T3, row_key, col_key, rc, h.label, labels.get(col_key) or order.get(col_key, ""),
                           h.row.page)
            name = f"{T3}.{row_key}.{col_key}"
            if not rc.irregular:
                self.sink.irregular.discard(name)
                self.sink.lost.discard(name)
            self.sink.remapped.add(name)
        self.sink.problem(T3, f"table 3: the header's spans do not fit the table's columns; its {len(held)} "
                              "rows re-read by the columns' printed order, where every row identity holds "
                              "(columns re-mapped)")

    def placeholder_header(self, width: int) -> None:
        """A header row of placeholders (数据1 … 数据N): the columns are the template's, by position."""
        self.header_rows, self.cols, self.order, self.width = [], None, None, width
        self.sink.header_shape(T3, [])

    def keys(self, n_values: int) -> tuple[list[str], ColMap | None]:
        cm = self.cols
        if cm:
            return cm.keys, cm
        n = self.width or (len(self.proven) if self.proven else n_values)
        return list(_T3_DEFAULT_8 if n == 8 else _T3_DEFAULT_7), None

    def by_position(self, row: GridRow) -> list[tuple[str, RowCell]] | None:
        """Without a header naming the columns: the template's 7 or 8 columns by position, the one the
        row's own identities prove (or, where they cannot tell, the one proven on an earlier row).
        None when neither fits; the pairs of the default choice when nothing tells them apart."""
        fits = []
        for keys in (_T3_DEFAULT_7, _T3_DEFAULT_8):
            if self.width and len(keys) != self.width:
                continue
            pairs = map_values(row, keys, None)
            if pairs and not contradicted(T3, {k: rc.text for k, rc in pairs}):
                fits.append((keys, pairs))
        if len(fits) == 1 and _tested(fits[0][1]):
            self.proven = fits[0][0]
        if len(fits) > 1 and self.proven:
            fits = [f for f in fits if f[0] == self.proven]
        return fits[0][1] if len(fits) == 1 else None

    def resolve(self, row: GridRow, strict: bool) -> tuple[str | None, str, str, str]:
        """Row key, the group (id, printed label) after this row, and the printed row label."""
        group, group_label = self.group, self.group_label
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

    def row(self, row: GridRow, strict: bool = False) -> bool:
        if row.labels:
            key, group, group_label, label = self.resolve(row, strict)
            if key is None:
                if strict:
                    return False
                if group != self.group:
                    self.group, self.group_label = group, group_label
                    return True
                if row.filled_values:
                    label = " ".join(" ".join(rc.text.split()) for rc in row.labels)
                    if not self.renumbered_total(label, row):
                        self.sink.problem(T3, f"table 3: row label '{label}' matched no key")
                return True  # a label fragment (a cut label's tail) with no values: nothing to place
            if self.renum is not None and self.renum_next is None:
                self.renum_next = key
            if self.pending and self.pending.key == "other_total" and key.startswith("other_"):
                self.pending = None  # （六）其他处理 stood as the heading of its numbered rows
            self.flush_pending()
            self.group, self.group_label = group, group_label
            if not row.filled_values:
                if any(k[:2] == (T3, key) for k in self.sink.cells):
                    return True  # the tail of a label cut by a page break, its values read with the head
                self.pending = _Pending(key, label, row)  # its values may stand on the next row/page
                return True
            self.emit_row(key, label, row)
            return True
        if self.pending and row.filled_values:  # values of a label printed on the row before
            pending, self.pending = self.pending, None
            self.emit_row(pending.key, pending.label, row)
            return True
        return False

    def renumbered_total(self, label: str, row: GridRow) -> bool:
        """A 总计 row under other numbering (（八）总计): read as handled_total for now; kept only when it
        is the last row before 四、结转 and the table's column identities hold (see check_renumbered)."""
        nums, core = split_numbering(normalize_label(label))
        if not nums or core not in _TOTAL_WORDS or self.renum is not None:
            return False
        if any(k[:2] == (T3, "handled_total") for k in self.sink.cells):
            return False
        before = len(self.sink.cells)
        self.emit_row("handled_total", label, row)
        if len(self.sink.cells) == before:
            return False
        self.renum, self.renum_next = label, None
        return True

    def check_renumbered(self) -> None:
        if self.renum is None:
            return
        label, self.renum = self.renum, None
        totals = {c: cell for (t, r, c), cell in self.sink.cells.items() if t == T3 and r == "handled_total"}

        rows = {r for t, r, _ in self.sink.cells if t == T3}

        def holds(ident: Identity) -> bool:
            """In every column of the renumbered row, blank or absent cells read as 0."""
            for col in totals:
                values = {}
                for key in ident.keys():
                    cell = self.sink.cells.get((T3, key, col))
                    values[key] = (cell.value or 0) if cell is not None else 0
                ev = ident.evaluate(values)
                if ev is not None and not ev.holds:
                    return False
            return True

        # the identities the rows read so far print, the renumbered row taken as the handled total
        checks = [holds(i) for i in identities_for(T3, "rows", rows)]
        if self.renum_next == "carried_forward" and checks and all(checks):
            self.sink.problem(T3, f"table 3: row '{label}' read as {_HANDLED.label} (the last row before "
                                      f"{_CARRIED.label}, the column identities hold)")
            return
        for c in totals:
            del self.sink.cells[(T3, "handled_total", c)]
        self.sink.problem(T3, f"table 3: row label '{label}' matched no key")

    def emit_row(self, key: str, label: str, row: GridRow) -> None:
        keys, cm = self.keys(len(row.values))
        if cm is not None and T3 in self.sink.irregular_header:
            self.damaged.append(HeldRow(key, label, row))
        order = self.order
        order_keys = [k for k, _ in order] if order else []
        exact = len(row.values) == len(order_keys) != len(keys)
        pairs = [] if cm and order_keys != keys and exact else map_values(row, keys, cm)
        if not pairs and cm and order and order_keys != keys:
            # the header's cells stand over other positions than the values (spans lost): by reading order
            pairs = map_values(row, order_keys, None)
            if pairs:
                labels = dict(order)
                for col_key, rc in pairs:
                    self.sink.emit(T3, key, col_key, rc, label, labels[col_key], row.page)
                return
        if self.extra_column(key, label, row, keys, pairs):
            return
        if cm is None and (placed := self.by_position(row)) is not None:
            pairs = placed
        if not pairs:
            self.sink.problem(T3, f"table 3: row '{label}': {len(row.values)} value cells for {len(keys)} columns")
        if cm is None and pairs and (broken := contradicted(T3, {k: rc.text for k, rc in pairs})):
            # no header: columns placed by the template's order, which the row's own 总计 contradicts
            self.sink.ambiguous.extend(f"{T3}.{key}.{k}" for k, _ in pairs)
            self.sink.problem(T3, f"table 3: row '{label}': columns placed by position, but {', '.join(broken)} "
                                      "does not hold; its values are left out")
            return
        for col_key, rc in pairs:
            self.sink.emit(T3, key, col_key, rc, label, cm.labels.get(col_key, "") if cm else "", row.page)

    def extra_column(self, key: str, label: str, row: GridRow, keys: list[str],
                        pairs: list[tuple[str, RowCell]]) -> bool:
        """Hold a value cell right of the labelled columns when 总计 has no label (True: the row is held)."""
        if T3_ROW_TOTAL.total in keys or not set(T3_ROW_TOTAL.parts) <= set(keys):
            return False
        values = row.values
        if pairs:
            last = max(values.index(rc) for _, rc in pairs)
            if len(values) == last + 2:
                self.unlabeled.append(_Held(key, label, row, pairs, values[-1], emitted=True))
            return False
        if len(values) == len(keys) + 1:  # counts agree with one more column at the right: hold the row
            pairs = list(zip(keys, values[:-1], strict=True))
            self.unlabeled.append(_Held(key, label, row, pairs, values[-1], emitted=False))
            return True
        return False

    def infer_total(self) -> None:
        """An unlabelled last column of table 3 is `total` only where it is the sum of the six applicant
        columns on every row with values (the template's identity); otherwise it is reported and dropped."""
        held, self.unlabeled = self.unlabeled, []
        if not held:
            return
        fits = any(parse_cell(h.extra.text).value for h in held) and all(_sums(h) for h in held)
        cm = self.cols
        for h in held:
            if not fits and not h.emitted:
                self.sink.problem(T3, f"table 3: row '{h.label}': {len(h.row.values)} value cells for "
                                          f"{len(h.pairs)} columns")
                continue
            pairs = ([] if h.emitted else h.pairs) + ([("total", h.extra)] if fits else [])
            for col_key, rc in pairs:
                if (T3, h.key, col_key) not in self.sink.cells or col_key != "total":
                    self.sink.emit(T3, h.key, col_key, rc, h.label, cm.labels.get(col_key, "") if cm else "",
                                   h.row.page)
        if not fits:
            self.sink.problem(T3, "table 3: an unlabelled last column is not the sum of the applicant columns; "
                                      "its values are dropped")

    def flush_pending(self) -> None:
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        if pending.row.values:
            self.emit_row(pending.key, pending.label, pending.row)
        else:
            self.sink.problem(T3, f"table 3: row '{pending.label}' has no values")

    # ------------------------------------------------------------ table 4
