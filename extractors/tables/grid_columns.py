"""Column keys of a grid table from its header rows: by the header words over each column (across a
page break by the x-position of the boxes), in printed order where spans were lost, and a data row's
value cells paired with those keys."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.tables.table_grids import GridRow, RowCell


@dataclass
class ColMap:
    """Column keys of a header: in printed order, with the grid columns and the label of each."""

    keys: list[str]
    cols: dict[str, tuple[int, ...]]
    labels: dict[str, str]
    n_cols: int
    table_index: int
    start: int = 0  # the first grid column with header text (the row-label column, when not padded)


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


def colmap(rows: list[GridRow], match) -> ColMap | None:
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
    same = [rc for r in rows if r.table_index == ref.table_index for rc in r.cells if rc.text.strip()]
    start = min((rc.first_col for rc in same), default=0)
    return ColMap(keys, cols, labels, n_cols, ref.table_index, start) if keys else None


def order_keys(rows: list[GridRow], match, is_group) -> list[tuple[str, str]] | None:
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
    """Pair a row's value cells with column keys: by order when the counts agree, else by header position
    (unless that loses filled cells: the header stands shifted over the body, as text exports pad header
    and body rows differently), else by order once the empty
    cells at the edges are dropped — only when one way of dropping them fits; otherwise nothing."""
    values = list(row.values)
    if len(values) == len(keys):
        return list(zip(keys, values, strict=True))
    if colmap and row.n_cols == colmap.n_cols and list(keys) == colmap.keys:
        out = _by_position(row, keys, colmap)
        if out and len(_trim_fits(values, keys)) > 1 and not _lined_up(row, colmap):
            return []  # empty cells at both edges, and a header off the labels: where the values go cannot be told
        if out:
            return out
    return _trimmed(values, keys)


def _lined_up(row: GridRow, colmap: ColMap) -> bool:
    """The header's first column is the row's label column, or the grid has geometry (boxes place the
    cells; only text exports lose the padding)."""
    if any(rc.cell.bbox is not None for rc in row.cells):
        return True
    return bool(row.labels) and row.labels[0].first_col == colmap.start


def _by_position(row: GridRow, keys: list[str] | tuple[str, ...], colmap: ColMap) -> list[tuple[str, RowCell]]:
    """The value cells under each key's header column, [] when a key has none or the header is shifted."""
    label_cells = {id(rc.cell) for rc in row.labels}
    out = []
    for key in keys:
        rc = row.at(colmap.cols[key][0])
        if rc is None or id(rc.cell) in label_cells:
            return []
        out.append((key, rc))
    if len({id(rc.cell) for _, rc in out}) != len(out):
        return []
    mapped = {id(rc.cell) for _, rc in out}
    lost = [i for i, rc in enumerate(row.values) if id(rc.cell) not in mapped and rc.text.strip()]
    last = max(i for i, rc in enumerate(row.values) if id(rc.cell) in mapped)
    # a filled value would be lost: the header stands shifted over the body, unless it is the one cell
    # right after the mapped ones (an unlabelled last column, which table 3 tests by its identity)
    if lost and lost != [last + 1]:
        return []
    return out


def _trim_fits(values: list[RowCell], keys: list[str] | tuple[str, ...]) -> list[int]:
    """The numbers of surplus empty cells that can be dropped at the left (the rest at the right)."""
    surplus = len(values) - len(keys)
    if surplus <= 0:
        return []
    lead = next((i for i, v in enumerate(values) if v.text.strip()), len(values))
    trail = next((i for i, v in enumerate(reversed(values)) if v.text.strip()), len(values))
    return [n for n in range(surplus + 1) if n <= lead and surplus - n <= trail]


def _trimmed(values: list[RowCell], keys: list[str] | tuple[str, ...]) -> list[tuple[str, RowCell]]:
    """By order after dropping surplus empty cells at the edges, when exactly one way of dropping fits."""
    fits = _trim_fits(values, keys)
    if len(fits) != 1:
        return []  # no way, or several (empty cells at both edges): which cells are which cannot be told
    surplus = len(values) - len(keys)
    kept = values[fits[0]:len(values) - (surplus - fits[0])]
    return list(zip(keys, kept, strict=True))
