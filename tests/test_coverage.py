"""Coverage and what `ok` means: every canonical cell of a detected table is found, blank, or reported
missing/ambiguous, and a document with such a hole is `partial`, its error naming the rows or columns.

Held against truth written independently of the pipeline: the variants' generator input and the
verified truth of ../shared/corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.readers import read_document
from extractors.readers.txt import read_txt
from extractors.tables.template_tables import extract_tables
from pipeline.process import _extract, process_bytes
from schemas.document import Table
from schemas.records import DocumentRecord, DocumentResult
from schemas.template import T3, T3_COLS, T4, T4_SPEC
from tests.conftest import CORPUS, SHARED_INPUTS, SHARED_TRUTH
from tests.test_variants import NAMES, _run, formats


def _shared() -> list[Path]:
    if not SHARED_INPUTS.is_dir():
        return []
    return sorted(p for p in SHARED_INPUTS.iterdir() if (SHARED_TRUTH / f"{p.stem}.json").exists())


def _cases() -> list:
    out = [pytest.param("variant", f"{n}.{f}", id=f"{n}.{f}") for n in NAMES for f in formats(n)]
    return out + [pytest.param("shared", p.name, id=p.name) for p in _shared()]


def _result(kind: str, name: str) -> tuple[DocumentResult, dict]:
    if kind == "variant":
        stem, fmt = name.rsplit(".", 1)
        return _run(stem, fmt)
    path = SHARED_INPUTS / name
    truth = json.loads((SHARED_TRUTH / f"{path.stem}.json").read_text(encoding="utf-8"))
    return process_bytes(path.read_bytes(), path.name), truth


@pytest.mark.parametrize(("kind", "name"), _cases())
def test_no_document_ok_with_a_canonical_cell_missing(kind: str, name: str) -> None:
    result, truth = _result(kind, name)
    doc = result.document
    got = {(c.table, c.row_key, c.col_key) for c in result.cells}
    detected = {c.table for c in result.cells}
    want = {(t, r, c) for t, rows in (truth["tables"] or {}).items() if t in detected for r, cols in rows.items() for c in cols}
    absent = sorted(want - got)
    if not detected:
        assert doc.cells_expected is None, doc
        return
    # a text cut off inside a table (cut-t3-*): its truth holds the rows printed; a partial variant whose
    # truth has notes (span-*, t3-nbsp-blanks) prints every row, and is held as a complete one below
    if truth.get("status") == "partial" and not truth.get("notes"):
        assert doc.status == "partial" and not absent, (doc.status, absent)
        assert doc.cells_found == len(want) and doc.cells_missing == doc.cells_expected - len(want), doc
        return
    # the template (version and layout) expects exactly the cells the truth lists for the detected tables
    assert doc.cells_expected == len(want), (doc.cells_expected, len(want))
    assert doc.cells_found + doc.cells_missing + doc.cells_ambiguous == doc.cells_expected
    assert doc.cells_missing + doc.cells_ambiguous >= len(absent), absent
    if absent:
        assert doc.status == "partial", (doc.status, absent)
        for table, row, col in absent:  # the error names each hole by its row or its column
            note = next(p for p in doc.error.split("; ") if p.startswith(table))
            assert row in note or col in note, (table, row, col, doc.error)
    if doc.status == "ok":
        assert not absent and doc.cells_found == doc.cells_expected


def test_flattened_text_with_unread_rows_is_partial_and_names_them() -> None:
    """平潭 2019 and 2021 as saved text: 表二 runs with several readings are left out, and said so."""
    for name, table_row in (("real-004-pingtan-2019.txt", "t2_active: 2 cells ambiguous: row central_procurement"),
                            ("real-006-pingtan-2021.txt", "t2_active: 3 cells ambiguous: row normative_docs")):
        path = SHARED_INPUTS / name
        if not path.exists():
            pytest.skip(f"{path} is not present here")
        doc = process_bytes(path.read_bytes(), name).document
        assert doc.status == "partial" and table_row in doc.error, (doc.status, doc.error)
        assert doc.cells_expected - doc.cells_found == int(table_row.split(": ")[1].split()[0])


def _drop_column(table: Table, col: int) -> None:
    """The grid without one column, as a report whose table lost a column would print it."""
    keep = []
    for cell in table.cells:
        if cell.col <= col < cell.col + cell.col_span:
            if cell.col_span == 1:
                continue
            cell.col_span -= 1
        elif cell.col > col:
            cell.col -= 1
        keep.append(cell)
    table.cells[:] = keep


def _seed_without(fmt: str, header: str, table_key: str) -> DocumentRecord:
    path = CORPUS / f"enhe-2022.{fmt}"
    doc = read_document(path.read_bytes(), path.name, fmt)
    tables = doc.tables
    at, col = next((i, c.col) for i, t in enumerate(tables) for c in t.cells
                   if "".join(c.text.split()) == header and c.col_span == 1
                   and any(table_key == T4 or "自然人" in x.text for x in t.cells))
    n_cols = tables[at].n_cols
    for table in tables[at:]:  # the table and its continuations on the following pages
        if table.n_cols != n_cols or (table is not tables[at] and any("复议" in c.text for c in table.cells)):
            break
        _drop_column(table, col)
    result = DocumentResult(DocumentRecord(doc_id="seed", source=path.name, sha256=""))
    _extract(doc, result)
    return result.document


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_column_lost_from_table_3_makes_the_document_partial(fmt: str) -> None:
    research = next(c for c in T3_COLS if c.key == "research")
    doc = _seed_without(fmt, research.label, T3)
    assert doc.status == "partial", doc
    assert doc.cells_missing == 25 and doc.cells_found == 175 and doc.cells_expected == 200
    assert doc.error.startswith(f"{T3}: 25 cells missing: column research (rows new_received, carried_over"), doc.error


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_column_lost_from_table_4_is_named(fmt: str) -> None:
    """The other 14 columns are still read by their header words; the lost one is named."""
    doc = _seed_without(fmt, "尚未审结", T4)  # the first 尚未审结: 行政复议's
    assert doc.status == "partial", doc
    assert doc.cells_found == 199 and doc.cells_missing == 1, doc
    pending = next(c.key for c in T4_SPEC.cols if c.key.endswith("pending"))
    assert f"{T4}: 1 cell missing: column {pending} (row cases)" in doc.error, doc.error


def test_a_guessed_row_makes_flattened_text_partial_and_keeps_its_cells() -> None:
    """flat-merged.txt with 规范性文件 printed `121212` and no prose about it: six digits have many readings
    for three cells; the weak repeated-digits rule reads 12|12|12 (kept: usually right), but the document
    is `partial` and its error names the row, never `ok` with the guess in the warnings."""
    path = CORPUS / "variants" / "flat-merged.txt"
    text = path.read_text(encoding="utf-8")
    prose = "本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。"
    assert prose in text and "规范性文件77132470" in text
    text = text.replace(prose, "").replace("规范性文件77132470", "规范性文件121212")
    result = process_bytes(text.encode("utf-8"), "flat-guessed.txt")
    doc = result.document
    got = {(c.table, c.row_key, c.col_key): c.value for c in result.cells}
    row = {k[2]: v for k, v in got.items() if k[:2] == ("t2_active", "normative_docs")}
    assert row == {"issued": 12, "repealed": 12, "in_force": 12}
    assert doc.status == "partial", (doc.status, doc.warnings)
    assert "t2_active: 3 cells guessed: row normative_docs" in doc.error, doc.error
    assert "repeated-digits" in doc.error and "repeated-digits" not in (doc.warnings or "")
    assert doc.cells_found == doc.cells_expected and not doc.cells_missing and not doc.cells_ambiguous


def test_the_untouched_merged_variant_stays_ok() -> None:
    """The same text with its prose: the prose decides the row, nothing is guessed, the document is ok."""
    path = CORPUS / "variants" / "flat-merged.txt"
    doc = process_bytes(path.read_bytes(), path.name).document
    assert doc.status == "ok", (doc.status, doc.error)


def test_a_table_filled_from_flat_text_drops_the_grid_reader_s_stale_problems() -> None:
    """flat-pipe-rows.txt with 表四's fifteen counts broken over two pipe rows (10 + 5): the grid reader
    cannot place either row ("table 4: 10 value cells and no readable header"), the flat reading proves
    all fifteen by the group totals; the grid's problems about table 4 are then stale and must not
    reach the warnings, while the counts are those of the truth."""
    path = CORPUS / "variants" / "flat-pipe-rows.txt"
    row = "| 0 | 4 | 6 | 5 | 15 | 3 | 2 | 1 | 5 | 11 | 0 | - | 2 | 4 | 6 |"
    text = path.read_text(encoding="utf-8")
    assert row in text
    text = text.replace(row, "| 0 | 4 | 6 | 5 | 15 | 3 | 2 | 1 | 5 | 11 |\n| 0 | - | 2 | 4 | 6 |")
    grid = extract_tables(read_txt(text.encode("utf-8"), "t4-split.txt"), "t")
    assert {p.table for p in grid.problems} == {T4} and any("table 4:" in p.text for p in grid.problems)
    result = process_bytes(text.encode("utf-8"), "t4-split.txt")
    doc = result.document
    truth = json.loads((CORPUS / "variants" / "flat-pipe-rows.truth.json").read_text(encoding="utf-8"))
    got = {c.col_key: c.value for c in result.cells if c.table == T4}
    assert got == truth["tables"][T4]["cases"]
    assert doc.status == "ok", doc.error
    assert "table 4" not in (doc.warnings or "") and T4 not in (doc.warnings or ""), doc.warnings


def test_grid_problems_stay_for_a_table_the_flat_reading_left_holed() -> None:
    """Only a table the grids did not find, or one the merged cells complete, drops the grid's problems."""
    from pipeline.process import _stale_tables
    from schemas.records import CellRecord, TableExtraction

    def cells(cols: list[str]) -> list[CellRecord]:
        return [CellRecord(doc_id="d", table=T4, row_key="cases", col_key=c, value=0, raw="0", blank=False,
                           row_label="", page=None) for c in cols]

    all_cols = [c.key for c in T4_SPEC.cols]
    grid = TableExtraction(cells=cells(all_cols[:5]), template="2021", tables_found=[T4])
    holed = TableExtraction(cells=cells(all_cols[:10]), template="2021", tables_found=[T4])
    whole = TableExtraction(cells=cells(all_cols), template="2021", tables_found=[T4])
    assert _stale_tables(grid, holed, {T4}) == set()
    assert _stale_tables(grid, whole, {T4}) == {T4}
    assert _stale_tables(TableExtraction(template="2021"), holed, {T4}) == {T4}  # the grids never found it
