"""The re-read under a damaged header (extractors/tables/remap.py) is used only where proven: the header's
reading breaks a row identity, the new mapping holds on every row, some row tests it, and it is unique."""

from __future__ import annotations

from extractors.tables.remap import HeldRow, proven_remap
from extractors.tables.table_grids import grid_rows
from schemas.document import Cell, Table
from schemas.template import T3

COLS7 = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total")
# the header's (wrong) reading: 总计 read one column left, other_org under the last column
HEADER = ("natural_person", "commercial", "research", "public_interest", "legal_services", "total", "other_org")


def _rows(values: list[list[str]]) -> list[HeldRow]:
    table = Table(cells=[Cell(r, c, text) for r, row in enumerate(values) for c, text in enumerate(["行"] + row)])
    return [HeldRow(f"row{i}", "行", g) for i, g in enumerate(grid_rows(table, 0))]


def _current(rows: list[HeldRow], keys: tuple[str, ...]) -> dict[tuple[str, str], str]:
    return {(h.key, k): rc.text for h in rows for k, rc in zip(keys, h.row.values, strict=True)}


def test_header_breaking_identity_is_re_read_by_order() -> None:
    rows = _rows([["3", "1", "0", "2", "0", "1", "7"], ["0", "0", "0", "0", "0", "0", "0"]])
    mapping = proven_remap(T3, rows, _current(rows, HEADER), [COLS7, HEADER])
    assert mapping is not None
    assert {ref: rc.text for ref, rc in mapping.items() if ref[0] == "row0"}["row0", "total"] == "7"
    assert mapping["row0", "other_org"].text == "1"


def test_header_that_holds_is_kept() -> None:
    rows = _rows([["3", "1", "0", "2", "0", "1", "7"]])
    assert proven_remap(T3, rows, _current(rows, COLS7), [COLS7]) is None


def test_all_zero_rows_prove_nothing() -> None:
    """Rows of zeros hold under any mapping: no re-read (and the header's reading never broke anyway)."""
    rows = _rows([["0"] * 7, ["0"] * 7])
    broken = _current(rows, HEADER) | {("row0", "total"): "5"}  # a header reading that does break
    assert proven_remap(T3, rows, broken, [COLS7, HEADER]) is None


def test_two_mappings_that_hold_differently_are_not_unique() -> None:
    """7 = 7 read two ways: the last column or the one before it both sum the others: no proof."""
    rows = _rows([["0", "0", "0", "0", "0", "7", "7"]])
    swapped = ("natural_person", "commercial", "research", "public_interest", "legal_services", "total", "other_org")
    broken = {("row0", k): "1" for k in COLS7}
    assert proven_remap(T3, rows, broken, [COLS7, swapped]) is None


def test_a_row_that_does_not_pair_blocks_the_re_read() -> None:
    """A row with a cell lost pairs with no 7-column mapping: nothing is re-read."""
    rows = _rows([["3", "1", "0", "2", "0", "1", "7"], ["3", "1", "0", "2", "1", "7"]])
    assert proven_remap(T3, rows, _current(rows[:1], HEADER), [COLS7]) is None


def test_an_error_identity_on_re_mapped_cells_is_named() -> None:
    """Checks run on the re-read cells; an error there is never `ok` (pipeline.process adds the note)."""
    from extractors.tables.reading_doubt import REMAPPED, identities_in_doubt
    from schemas.records import FlagRecord, Severity

    flag = FlagRecord(flag_id="f", doc_id="d", rule="identity.t3_handled_total", severity=Severity.ERROR,
                      message="", refs="t3_requests.handled_total.research t3_requests.granted.research",
                      expected=3, found=2, page=None, evidence="")
    notes = identities_in_doubt([flag], ["t3_requests.granted.research"], REMAPPED)
    assert notes and REMAPPED in notes[0] and "t3_requests.granted.research" in notes[0]
    assert identities_in_doubt([flag], ["t3_requests.granted.total"], REMAPPED) == []
