"""Blank needs evidence in the file (issue 24, item 4): a number of 表三/表四 left empty (a value lost to
damage) is never `ok` — every such cell stands in a template identity, which then fails with the blank
on its short side, and the report names the cell; a blank a narrative figure states a number for is named
too. A report whose printed numbers disagree with no blank on the short side keeps its `ok` and its flag
(tests/test_reading_doubt.py: 洪泽 2023)."""

from __future__ import annotations

import random
from pathlib import Path

import regex as re

from extractors.tables.blank_evidence import contradicted_blanks
from pipeline.process import process_bytes
from schemas.records import CellRecord, Status
from tests.hostile import seed_html

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"
PAGE = VARIANTS / "span-html-total-under.html"  # base-2021 as a portal page: non-zero values throughout
_VALUE = re.compile(r"<td>([1-9]\d*)</td>")


def _cell(ref: str, value: float | None) -> CellRecord:
    table, row, col = ref.split(".")
    return CellRecord(doc_id="d", table=table, row_key=row, col_key=col, value=value, raw="",
                      blank=value is None, row_label="", page=None)


def _row(values: dict[str, float | None], row: str = "granted") -> list[CellRecord]:
    return [_cell(f"t3_requests.{row}.{col}", v) for col, v in values.items()]


APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org")


def test_blank_total_beside_parts_is_named() -> None:
    cells = _row(dict(zip(APPLICANTS, (3, 1, 0, 0, 0, 0), strict=True)) | {"total": None})
    notes = contradicted_blanks(cells)
    assert [n.split(":")[0] for n in notes] == ["t3_requests.granted.total"]


def test_blank_part_under_a_larger_total_is_named() -> None:
    cells = _row(dict(zip(APPLICANTS, (3, None, 0, None, 0, 0), strict=True)) | {"total": 5})
    assert sorted(n.split(":")[0] for n in contradicted_blanks(cells)) == [
        "t3_requests.granted.commercial", "t3_requests.granted.public_interest"]


def test_no_blank_on_the_short_side_names_nothing() -> None:
    """Parts above the total: the blanks among the parts cannot explain it (the report's own numbers)."""
    cells = _row(dict(zip(APPLICANTS, (3, None, 4, 0, 0, 0), strict=True)) | {"total": 5})
    assert contradicted_blanks(cells) == []
    cells = _row(dict(zip(APPLICANTS, (3, None, 2, 0, 0, 0), strict=True)) | {"total": 5})
    assert contradicted_blanks(cells) == []  # holds with the blank as 0


def _blanked(html: str, spans: list[re.Match]) -> str:
    for m in sorted(spans, key=lambda m: m.start(), reverse=True):
        html = html[:m.start()] + "<td></td>" + html[m.end():]
    return html


def test_numbers_left_empty_are_never_ok() -> None:
    """40 pages with one non-zero 表三/表四 value emptied and 10 with three (fixed seed): each `partial`
    with every emptied cell that reads blank named."""
    html = PAGE.read_text(encoding="utf-8")
    base = process_bytes(html.encode(), PAGE.name)
    assert base.document.status == Status.OK
    start = html.index("申请人情况")
    values = [m for m in _VALUE.finditer(html) if m.start() > start]
    assert len(values) > 100
    rng = random.Random(24)
    cases = [[m] for m in rng.sample(values, 40)] + [rng.sample(values, 3) for _ in range(10)]
    for spans in cases:
        result = process_bytes(_blanked(html, spans).encode(), PAGE.name)
        read = {c.ref: c for c in result.cells}
        blanked = [ref for ref, c in read.items() if c.blank and not (base_cell := _ref(base, ref)).blank
                   and base_cell.value]
        assert blanked, [m.group(0) for m in spans]
        assert result.document.status == Status.PARTIAL, (blanked, result.document.warnings)
        for ref in blanked:
            assert ref in result.document.error, (ref, result.document.error)


def _ref(result, ref: str) -> CellRecord:
    return next(c for c in result.cells if c.ref == ref)


def test_blank_the_narrative_states_a_number_for() -> None:
    """The seed page with 行政处罚 (6) emptied: no identity touches 表二, but the text says 行政处罚11件."""
    html = seed_html().decode()
    damaged = html.replace("<td>行政处罚</td><td>6</td>", "<td>行政处罚</td><td></td>", 1)
    assert damaged != html
    result = process_bytes(damaged.encode(), "seed.html")
    assert result.document.status == Status.PARTIAL
    assert "t2_active.penalty.decisions: blank, but the narrative states 11" in result.document.error
