"""Converters' markdown and cut-off excerpts (corpus/variants/md-converter*, cut-t3-*; every cell of each
is held in tests/test_variants.py): what must be left out or said when the identities do not prove a
placement, and what a cut-off text says."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.process import process_bytes

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"


def _text(name: str) -> str:
    return (VARIANTS / f"{name}.txt").read_text(encoding="utf-8")


def _cells(result) -> dict[tuple[str, str, str], object]:
    return {(c.table, c.row_key, c.col_key): c.value for c in result.cells}


def test_a_placeholder_row_its_total_contradicts_is_left_out_never_ok() -> None:
    text = _text("md-converter")
    row = "| 二、上年结转政府信息公开申请数量 |  | 2 | 2 | 3 | 3 | 3 | 2 | 15 |"
    assert row in text
    result = process_bytes(text.replace(row, row.replace("| 15 |", "| 16 |")).encode(), "bad-total.txt")
    doc = result.document
    assert doc.status == "partial" and "ambiguous: row carried_over" in doc.error, doc.error
    assert "columns placed by position, but t3_row_total does not hold" in doc.error


def test_a_note_in_a_cell_is_kept_in_raw() -> None:
    result = process_bytes(_text("md-converter").encode(), "md-converter.txt")
    cell = next(c for c in result.cells if (c.row_key, c.col_key) == ("normative_docs", "issued"))
    assert cell.value == 8 and cell.raw == "8（其中修订3件）"


def test_collapsed_table4_is_left_out_when_its_group_totals_do_not_hold() -> None:
    text = _text("md-converter-2019")
    run = "| 6 6 — 4 16 0 6 6 4 16 - 6 5 1 12 |"
    assert run in text
    result = process_bytes(text.replace(run, run.replace(" 16 0", " 17 0")).encode(), "bad-t4.txt")
    doc = result.document
    assert doc.status == "partial" and "t4_review_litigation" in doc.error
    assert not any(k[0] == "t4_review_litigation" for k in _cells(result))


def test_collapsed_table4_in_cells_is_proven_by_its_totals() -> None:
    text = _text("md-converter")
    truth = json.loads((VARIANTS / "md-converter.truth.json").read_text(encoding="utf-8"))
    counts = "| 0 | 4 | 6 | 5 | 15 | 3 | 2 | 1 | 5 | 11 | 0 | - | 2 | 4 | 6 |"
    assert counts in text
    # one count moved: 行政复议's 总计 no longer holds, so the order is not proven and nothing is emitted
    result = process_bytes(text.replace(counts, counts.replace("| 0 | 4 | 6 | 5 | 15 |", "| 0 | 4 | 6 | 15 | 5 |"))
                           .encode(), "moved.txt")
    assert result.document.status == "partial"
    assert not any(k[0] == "t4_review_litigation" for k in _cells(result))
    assert truth["tables"]["t4_review_litigation"]["cases"]["review_total"] == 15


def test_a_cut_off_table_says_where_the_text_ends() -> None:
    for name, last in (("cut-t3-spaced", "予以公开"), ("cut-t3-merged", "部分公开")):
        doc = process_bytes(_text(name).encode(), f"{name}.txt").document
        assert doc.status == "partial"
        note = next(p for p in doc.error.split("; ") if "the text ends after row" in p)
        assert last in note, note


def test_a_text_that_goes_on_after_a_short_table3_is_not_read_as_cut_off() -> None:
    """Three 表三 rows and then more prose: not an excerpt's end, so not read row by row (the 10-row rule)."""
    text = _text("cut-t3-spaced") + "五、存在的主要问题及改进情况\n本年度工作仍有不足。\n"
    doc = process_bytes(text.encode(), "goes-on.txt").document
    assert doc.status == "partial" and "the text ends after row" not in doc.error
