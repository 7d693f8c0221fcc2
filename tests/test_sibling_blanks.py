"""Blank needs evidence across the files of one report (issue 24, item 4): the seed as a portal page whose
行政强制 count is left empty, beside the seed's text file printing 3 there (the seed prints 0: both are
edited so that the page blanks a number). No identity and no narrative figure touches that cell, so the
page alone reads `ok`; its sibling reads 3, so the page is `partial` naming the cell, the report's best
source is the text file, and a resumed run gives the same statuses."""

from __future__ import annotations

from pipeline.process import process_bytes
from pipeline.reports import best_sources
from pipeline.run import RunOptions, run_batch
from pipeline.sibling_blanks import agree, contradictions
from schemas.records import CellRecord
from tests.conftest import CORPUS
from tests.hostile import seed_html
from tests.test_pipeline import by_name, read_rows

FORCE = "t2_active.coercion.decisions"


def _blanked_page() -> bytes:
    html = seed_html().decode()
    assert html.count("<td>行政强制</td><td>0</td>") == 1
    return html.replace("<td>行政强制</td><td>0</td>", "<td>行政强制</td><td></td>").encode()


def _text_with_number() -> bytes:
    text = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    assert text.count("行政强制\t0\t") == 1
    return text.replace("行政强制\t0\t", "行政强制\t3\t").encode()


def _cell(ref: str, value: float | None, blank: bool) -> CellRecord:
    table, row, col = ref.split(".")
    return CellRecord(doc_id="d", table=table, row_key=row, col_key=col, value=value, raw="", blank=blank,
                      row_label="", page=None)


def test_blank_against_number_zero_and_blank() -> None:
    """A blank is contradicted by a non-zero number only: 0, a blank or a missing cell agree with it."""
    mine = [_cell("t.a.x", None, True), _cell("t.b.x", None, True), _cell("t.c.x", None, True),
            _cell("t.d.x", 4, False)]
    theirs = [_cell("t.a.x", 3, False), _cell("t.b.x", 0, False), _cell("t.d.x", None, True)]
    found = contradictions(mine, theirs, "other.txt")
    assert [(c.ref, c.value, c.sibling) for c in found] == [("t.a.x", 3.0, "other.txt")]


def test_files_that_print_other_numbers_are_no_evidence() -> None:
    """Two files reading another number in some cell are not readings of one printed table."""
    mine = [_cell("t.a.x", None, True), _cell("t.b.x", 2, False), _cell("t.c.x", 0, False)]
    assert agree(mine, [_cell("t.a.x", 3, False), _cell("t.b.x", 2, False), _cell("t.c.x", None, True)])
    assert not agree(mine, [_cell("t.a.x", 3, False), _cell("t.b.x", 5, False)])


def test_the_page_alone_reads_ok() -> None:
    """Nothing in the page itself says 行政强制 is not blank: the in-file rules cannot see it."""
    result = process_bytes(_blanked_page(), "seed.html")
    cells = {c.ref: c for c in result.cells}
    assert cells[FORCE].blank
    assert result.document.status == "ok", result.document.error


def test_sibling_number_makes_the_blank_partial(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-page.html").write_bytes(_blanked_page())  # first in input order, and a table format
    (folder / "b-text.txt").write_bytes(_text_with_number())
    out = tmp_path / "out"
    statuses = []
    for _ in range(2):  # the second run takes both files from the checkpoint
        summary = run_batch([str(folder)], out, RunOptions(jobs=0, progress=False))
        docs = by_name(read_rows(out / "documents.csv"))
        page, text = docs["a-page.html"], docs["b-text.txt"]
        statuses.append((page["status"], text["status"], summary.ok, summary.partial))
        assert page["report_id"] == text["report_id"]
        assert page["status"] == "partial"
        assert f"1 cell blank where another file of the same report reads a number: {FORCE} (3 in " in page["error"]
        assert text["status"] == "ok"
        assert best_sources(read_rows(out / "documents.csv"))[page["report_id"]][0] == text["doc_id"]
    assert statuses[0] == statuses[1] == ("partial", "ok", 1, 1)
    assert summary.resumed == 2


def test_a_cell_read_twice_is_compared_as_read() -> None:
    """A file that reads one ref twice (3, then 4) agrees with no sibling reading 4 there: each reading
    is compared, not the last one alone (the pass's set comparison is for files without repeats)."""
    twice = [_cell("t.a.x", 3, False), _cell("t.a.x", 4, False), _cell("t.b.x", None, True)]
    assert not agree(twice, [_cell("t.a.x", 4, False), _cell("t.b.x", 2, False)])
    assert agree([_cell("t.a.x", 4, False), _cell("t.b.x", None, True)], [_cell("t.a.x", 4, False)])
    assert not agree([_cell("t.a.x", float("nan"), False)], [_cell("t.a.x", float("nan"), False)])


def test_identical_siblings_name_the_first_in_report_order() -> None:
    """Two ok files reading the very same cells (one Reading shared) are each evidence against a third
    that reads a blank: the note names the first of them in the report's order, once."""
    from pipeline.sibling_blanks import apply_sibling_blanks
    from schemas.records import DocumentRecord

    def doc(name: str) -> DocumentRecord:
        return DocumentRecord(doc_id=name, source=name, sha256=name, status="ok", report_id="r", format="pdf",
                              cells_found=2, cells_missing=0, cells_ambiguous=0)

    blank, first, second = doc("blank.pdf"), doc("first.pdf"), doc("second.pdf")
    cells = {"blank.pdf": [_cell("t.a.x", None, True), _cell("t.b.x", 2, False)],
             "first.pdf": [_cell("t.a.x", 5, False), _cell("t.b.x", 2, False)],
             "second.pdf": [_cell("t.a.x", 5, False), _cell("t.b.x", 2, False)]}
    assert apply_sibling_blanks([blank, first, second], lambda d: cells[d.source]) == 1
    assert (blank.status, first.status, second.status) == ("partial", "ok", "ok")
    assert blank.error == "1 cell blank where another file of the same report reads a number: t.a.x (5 in first.pdf)"
    assert (blank.cells_found, blank.cells_ambiguous) == (1, 1)


def test_cells_dropped_from_memory_are_read_from_the_checkpoint(tmp_path, monkeypatch) -> None:
    """The end's rules get a file's cells from memory or, past MAX_KEPT_CELLS, from the checkpoint: the
    statuses and flags are the same either way."""
    import pipeline.assemble

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-page.html").write_bytes(_blanked_page())
    (folder / "b-text.txt").write_bytes(_text_with_number())
    (folder / "c-text.txt").write_bytes((CORPUS / "enhe-2022.txt").read_bytes())  # prints 0 there: disagrees
    outputs = []
    for kept in (pipeline.assemble.MAX_KEPT_CELLS, 0):
        monkeypatch.setattr(pipeline.assemble, "MAX_KEPT_CELLS", kept)
        out = tmp_path / f"out-{kept}"
        run_batch([str(folder)], out, RunOptions(jobs=0, progress=False))
        outputs.append([(out / name).read_bytes() for name in ("documents.csv", "flags.csv")])
        docs = by_name(read_rows(out / "documents.csv"))
        assert docs["a-page.html"]["status"] == "partial"
        rules = {f["rule"] for f in read_rows(out / "flags.csv")}
        assert "same_report.files_disagree" in rules  # the text files read the cell 3 and 0
    assert outputs[0] == outputs[1]
