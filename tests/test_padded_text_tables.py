"""Text tables whose header rows and body rows are padded with different numbers of empty cells (portal
exports of tables with a row-spanned label column): header words stand one position off the values
below them. The grid reader must place the values right, proven by the template's identities, or leave
a row out with a reason where the padding cannot be told apart — never shift values silently."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.readers.txt import read_txt
from extractors.tables.identity_fit import contradicted
from extractors.tables.template_tables import extract_tables
from pipeline.process import process_bytes
from schemas.template import T2, T3, T4, T4_SPEC

VARIANT = Path(__file__).resolve().parents[1] / "corpus" / "variants" / "flat-padded-header"


def _cells(result) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for c in result.cells:
        out.setdefault(c.table, {}).setdefault(c.row_key, {})[c.col_key] = c.raw
    return out


def test_padded_variant_is_read_whole_and_its_identities_hold() -> None:
    text = VARIANT.with_suffix(".txt").read_bytes()
    lines = text.decode("utf-8").splitlines()
    # the class: a header row opens with an empty cell, a body row closes with one
    assert any(line.startswith("|  | 信息内容") for line in lines)
    assert any(line.startswith("| 规章 |") and line.endswith("|  |") for line in lines)
    result = process_bytes(text, VARIANT.name + ".txt")
    assert result.document.status == "ok", result.document.error
    cells = _cells(result)
    truth = json.loads(VARIANT.with_suffix(".truth.json").read_text(encoding="utf-8"))["tables"]
    for table in (T2, T3, T4):
        assert set(cells[table]) == set(truth[table]), table
        for row, cols in truth[table].items():
            assert set(cells[table][row]) == set(cols), (table, row)
    # the proof: every table-3 row sums to its 总计, table 4's three groups to theirs
    for row, cols in cells[T3].items():
        assert contradicted(T3, cols) == [], (row, cols)
    assert contradicted(T4, cells[T4]["cases"]) == []
    assert cells[T2]["rules"] == {"issued": "4", "repealed": "5", "in_force": "42"}
    assert cells[T3]["new_received"]["natural_person"] == "169" and cells[T3]["new_received"]["total"] == "449"
    assert len(cells[T4]["cases"]) == len(T4_SPEC.cols)


def test_padding_at_both_edges_that_cannot_be_told_leaves_the_row_out() -> None:
    """规章 with empty cells at both ends beyond its three columns: `|  | 4 | 5 |  |  |` could be 4|5|blank
    or blank|4|5 — the row is left out and named, neither reading emitted."""
    text = ("二、主动公开政府信息情况\n| | 第二十条第（一）项 |\n| | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "| 规章 |  | 4 | 5 |  |  |\n| 行政规范性文件 | 8 | 1 | 27 |  |\n")
    out = extract_tables(read_txt(text.encode("utf-8"), "t.txt"), "t")
    got = {(c.row_key, c.col_key): c.raw for c in out.cells}
    assert not any(r == "rules" for r, _ in got), got
    assert got == {("normative_docs", "issued"): "8", ("normative_docs", "repealed"): "1",
                   ("normative_docs", "in_force"): "27"}
    assert any("规章" in p for p in map(str, out.problems)), out.problems
