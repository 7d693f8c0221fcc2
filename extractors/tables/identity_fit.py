"""The template's identities as a test of a column mapping: a mapping read from position or by
elimination is kept only where the sums the template guarantees hold on the values it gives."""

from __future__ import annotations

from extractors.tables.cell_values import parse_cell
from schemas.template import IDENTITIES, Identity, identities_for


def _value(text: str | None) -> float | None:
    """A cell's number, 0 for a blank, None for text that is not a value."""
    parsed = parse_cell(text)
    if not parsed.ok:
        return None
    return parsed.value or 0


def row_identities(table: str) -> tuple[Identity, ...]:
    """The identities that sum columns within one row of the table (axis "cols")."""
    return tuple(i for i in IDENTITIES if i.table == table and i.axis == "cols" and i.total)


def contradicted(table: str, row: dict[str, str]) -> list[str]:
    """Ids of the table's row identities that the row's cell texts (column key -> text) break; an
    identity whose cells are not all in the row, or not all numbers, is not tested."""
    values = {k: _value(t) for k, t in row.items()}
    return [i.id for i in identities_for(table, "cols", row)
            if (ev := i.evaluate(values)) is not None and not ev.holds]
