"""A reading the table's own shape puts in doubt is never `ok` (issue 24, classes 4 and 5): a blank read
from a row that lost a cell, or an identity broken on cells mapped under a damaged span, makes the report
`partial` naming the cells; a report whose printed numbers really do not add up, read from rows of a
regular shape, keeps its `ok` and its error flag."""

from __future__ import annotations

import pytest
import regex as re

from pipeline.process import process_bytes
from schemas.records import Status
from tests.conftest import shared_file
from tests.hostile import seed_html

PINGTAN = "real-006-pingtan-2021.html"
HONGZE = "real-001-hongze-2023.pdf"


def _cells(result):
    return {c.ref: (c.value, c.blank) for c in result.cells}


def _drop_td(html: str, marker: str, nth: int) -> str:
    """The page with the nth <td>…</td> after MARKER removed (the row loses one cell; the rest slide left)."""
    at = html.index(marker)
    starts = [m.start() for m in re.finditer(r"<td\b", html[at:])]
    start = at + starts[nth]
    end = html.index("</td>", start) + len("</td>")
    return html[:start] + html[end:]


def test_dropped_cell_leaves_no_blank_under_ok():
    """The seed as HTML with one 0 of 予以公开 dropped: the row's values slide left and its 总计 reads
    the empty cell after it; all zeros, so no identity breaks. The blank is named, the report partial."""
    html = seed_html().decode()
    base = process_bytes(html.encode(), "seed.html")
    assert base.document.status == Status.OK
    assert _cells(base)["t3_requests.granted.total"] == (0, False)
    damaged = process_bytes(_drop_td(html, "(一) 予以公开", 1).encode(), "seed.html")
    assert _cells(damaged)["t3_requests.granted.total"] == (None, True)
    assert damaged.document.status == Status.PARTIAL
    assert "t3_requests.granted.total: blank read from a row whose cells do not fit" in damaged.document.error


def _damage_org_span(html: str, span: str) -> str:
    """法人或其他组织's colspan="5" made invalid (read as 1, as browsers do)."""
    at = html.rindex('colspan="5"', 0, html.index("法人或其他组织"))  # the header cell over five columns
    return html[:at] + f'colspan="{span}"' + html[at + len('colspan="5"'):]


@pytest.mark.parametrize("span", ["-1", "0", "1e9"])
def test_damaged_header_span_is_re_read(span):
    """The damaged span moves 总计 and the organisation headers over other columns (every value column
    maps to another key, and 总计 = the applicant columns breaks on every row with numbers); the rows
    keep their shape, and the template's column order makes every row identity hold: the table is
    re-read that way, every cell as in the undamaged page, `ok` with the re-mapping said."""
    html = shared_file(PINGTAN).read_bytes().decode("utf-8")
    base = process_bytes(html.encode(), PINGTAN)
    assert base.document.status == Status.OK
    damaged = process_bytes(_damage_org_span(html, span).encode(), PINGTAN)
    assert _cells(damaged) == _cells(base)
    assert damaged.document.status == Status.OK, damaged.document.error
    assert "columns re-mapped" in damaged.document.warnings
    assert not [f for f in damaged.flags if f.severity == "error"]


def test_damaged_header_span_without_proof_is_not_ok():
    """The same damage with a data row that also lost a cell: that row pairs with no mapping, so the
    re-read is not proven; the header's reading stays, and the report is `partial` naming the cells."""
    html = shared_file(PINGTAN).read_bytes().decode("utf-8")
    damaged = process_bytes(_drop_td(_damage_org_span(html, "0"), "予以公开", 1).encode(), PINGTAN)
    assert damaged.document.status == Status.PARTIAL
    assert "columns re-mapped" not in damaged.document.warnings
    assert "identity.t3_row_total does not hold on cells read from a row whose cells do not fit" in (
        damaged.document.error)


def test_dropped_value_cell_of_a_real_report_is_not_ok():
    """A real report's 予以公开 row losing its second cell (a 0): values slide under other columns."""
    html = shared_file(PINGTAN).read_bytes().decode("utf-8")
    damaged = process_bytes(_drop_td(html, "予以公开", 1).encode(), PINGTAN)
    assert damaged.document.status == Status.PARTIAL
    assert "t3_requests.granted" in damaged.document.error


def test_printed_inconsistency_stays_ok_with_its_flag():
    """洪泽 2023 prints 行政复议 总计 0 beside 10 + 1: the report's own numbers, read from regular rows."""
    result = process_bytes(shared_file(HONGZE).read_bytes(), HONGZE)
    errors = {f.rule for f in result.flags if f.severity == "error"}
    assert "identity.t4_review_total" in errors
    assert result.document.status == Status.OK, result.document.error
