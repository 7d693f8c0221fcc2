"""A header whose spans are damaged (colspan -1, 0, 1e9 read as 1; a gridSpan lost) maps value columns to
the wrong keys while the data rows keep their shape. The re-read: the rows read under that header are
mapped again by the columns' printed order (the template's order, or the header words in reading order);
the new mapping is used only where it is proven — the header's mapping breaks a row identity, every row's
identities hold under the new one, at least one row tests them (a non-zero total), and every mapping that
holds places the same cells under the same keys. Column identities (one column down the rows) do not
change under a mapping applied to whole rows; checks still run on the re-read cells, and an error there
keeps the report `partial` (pipeline.process)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.tables.cell_values import parse_cell
from extractors.tables.grid_columns import map_values
from extractors.tables.identity_fit import contradicted
from extractors.tables.table_grids import GridRow, RowCell
from schemas.template import identities_for

Mapping_ = dict[tuple[str, str], RowCell]  # (row key, col key) -> the grid cell read there


@dataclass
class HeldRow:
    """A data row read under a header out of its table's shape: its row key, printed label and grid row."""

    key: str
    label: str
    row: GridRow


def assignment(rows: Iterable[HeldRow], keys: Sequence[str]) -> Mapping_ | None:
    """Every row's value cells paired with KEYS by order (None when a row's cells do not pair)."""
    out: Mapping_ = {}
    for held in rows:
        pairs = map_values(held.row, tuple(keys), None)
        if not pairs:
            return None
        out.update({(held.key, k): rc for k, rc in pairs})
    return out


def _by_row(texts: dict[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for (row, col), text in texts.items():
        rows.setdefault(row, {})[col] = text
    return rows


def holds(table: str, texts: dict[tuple[str, str], str]) -> bool:
    """No row identity of TABLE is broken on these cell texts."""
    return not any(contradicted(table, row) for row in _by_row(texts).values())


def tested(table: str, texts: dict[tuple[str, str], str]) -> bool:
    """Some row prints a non-zero total for one of its identities (all-zero rows hold under any mapping)."""
    for row in _by_row(texts).values():
        for ident in identities_for(table, "cols", row):
            if parse_cell(row.get(ident.total, "")).value:
                return True
    return False


def _texts(mapping: Mapping_) -> dict[tuple[str, str], str]:
    return {ref: rc.text for ref, rc in mapping.items()}


def proven_remap(table: str, rows: list[HeldRow], current: dict[tuple[str, str], str],
                 alternatives: Iterable[Sequence[str]]) -> Mapping_ | None:
    """The one mapping of ROWS the row identities prove, where the CURRENT reading (cell texts as read
    under the damaged header) breaks them; None when the current one holds, or no or several fit."""
    if not rows or holds(table, current):
        return None
    fits: dict[tuple[tuple[tuple[str, str], int], ...], Mapping_] = {}
    for keys in alternatives:
        mapping = assignment(rows, keys)
        if mapping is None or not holds(table, _texts(mapping)) or not tested(table, _texts(mapping)):
            continue
        fits.setdefault(tuple(sorted((ref, id(rc.cell)) for ref, rc in mapping.items())), mapping)
    return next(iter(fits.values())) if len(fits) == 1 else None
