"""OCR values that can be trusted (extractors/tables/ocr_values.py): look-alikes of digits read as digits
only where the box's marks and the template's identities agree, blanks checked for ink, unconfident
readings named; and the mixed text-and-image variant corpus/variants/ocr-mixed.pdf read exactly, with
its provenance in every output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.readers.ocr_lookalikes import as_digits
from extractors.tables.ocr_values import CONFIDENT, check_ocr_cells
from extractors.tables.table_grids import recording_sources
from extractors.tables.template_tables import extract_tables
from schemas.document import Cell, CellSource, Document, DocumentBuilder, Table
from schemas.records import CellRecord
from schemas.template import T4, T4_GROUPS, T4_OUTCOMES
from tests.truth_cells import cells_against_truth, csv_rows, run_ocr_variant

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"
MIXED = VARIANTS / "ocr-mixed.pdf"
T4_KEYS = [f"{g}_{o}" for g in T4_GROUPS for o in T4_OUTCOMES]

# ---------------------------------------------------------------- the reader's output, simulated at its boundary

DIGIT = 7.5  # points: the height of a printed digit's mark


def _marks(x0: float, text: str, digits: int | None = None, flat: bool = False) -> tuple:
    """Ink marks for a cell: one digit-sized mark per character (or `digits` of them), or one dash."""
    if flat:
        return ((x0, 10.0, x0 + 8.0, 11.2),)
    n = len(text) if digits is None else digits
    return tuple((x0 + 5 * i, 8.0, x0 + 5 * i + 4, 8.0 + DIGIT) for i in range(n))


def _t4_doc(counts: list[tuple[str, float | None, tuple]]) -> Document:
    """A page OCR'd into 表四 (the seed's layout): three header rows and one row of 15 count cells, each
    given as (text the engine printed, its confidence, the ink marks in the box); as the reader does, a
    look-alike over as many digit-sized marks reads as the digit, the engine's text kept in ocr_text."""
    builder = DocumentBuilder("t4.pdf", "pdf")
    page = builder.page(1, 595.0, 842.0)
    page.ocr = True

    def cell(row: int, col: int, text: str, rs: int = 1, cs: int = 1, conf: float | None = 0.99,
             ink: tuple = ()) -> Cell:
        return Cell(row=row, col=col, text=text, row_span=rs, col_span=cs, page=1,
                    bbox=(30.0 * col, 20.0 * row, 30.0 * (col + cs), 20.0 * (row + rs)),
                    read_by=CellSource.OCR, confidence=conf, ink=ink)

    outcomes = list(T4_OUTCOMES.values())
    cells = [cell(0, 0, "行政复议", cs=5), cell(0, 5, "行政诉讼", cs=10)]
    cells += [cell(1, i, label, rs=2) for i, label in enumerate(outcomes)]
    cells += [cell(1, 5, "未经复议直接起诉", cs=5), cell(1, 10, "复议后起诉", cs=5)]
    cells += [cell(2, 5 + i, label) for i, label in enumerate(outcomes * 2)]
    for i, (text, conf, ink) in enumerate(counts):
        count = cell(3, i, text, conf=conf, ink=ink)
        digits = as_digits(text)
        if digits not in (None, text) and len([m for m in ink if m[3] - m[1] >= DIGIT * 0.6]) == len(text):
            count.text, count.ocr_text = digits, text
        cells.append(count)
    builder.table(Table(cells=cells))
    return builder.build()


def _printed(values: list[str]) -> list[tuple[str, float | None, tuple]]:
    """Count cells read as printed: digits with their marks, empty boxes without ink."""
    return [(v, 0.99 if v else None, _marks(30.0 * i, v)) for i, v in enumerate(values)]


def _check(doc: Document):
    with recording_sources() as sources:
        tables = extract_tables(doc, "t4")
    check = check_ocr_cells(doc, tables, sources)
    return {c.col_key: c for c in tables.cells if c.table == T4}, check, tables


def _noted(check) -> set[str]:
    return {n.split(":", 1)[0] for n in check.notes}


# review: 0 2 1 0 = 3; suit: 4 0 0 1 = 5; post-review suit: 0 0 0 0 = 0
COUNTS = ["0", "2", "1", "0", "3", "4", "0", "0", "1", "5", "0", "0", "0", "0", "0"]


def test_clean_reading_stands_and_says_ocr() -> None:
    cells, check, _ = _check(_t4_doc(_printed(COUNTS)))
    assert [cells[k].value for k in T4_KEYS] == [int(v) for v in COUNTS]
    assert all(c.read_by == CellSource.OCR and c.confidence == 0.99 for c in cells.values())
    assert check.notes == [] and (check.cells, check.confident) == (15, 15)


def test_a_zero_read_as_a_full_stop_is_zero_where_the_total_proves_it() -> None:
    counts = _printed(COUNTS)
    counts[0] = ("。", 0.91, _marks(0.0, "0"))  # a digit-sized mark read as 。
    counts[6] = ("O", 0.88, _marks(180.0, "0"))
    cells, check, _ = _check(_t4_doc(counts))
    first, other = cells["review_upheld"], cells["suit_corrected"]
    assert (first.value, first.blank, first.raw) == (0, False, "。")
    assert (other.value, other.blank, other.raw) == (0, False, "O")
    assert check.notes == []
    assert check.corrected == ["t4_review_litigation.cases.review_upheld", "t4_review_litigation.cases.suit_corrected"]


def test_a_look_alike_no_identity_proves_is_guessed() -> None:
    values = list(COUNTS)
    values[4] = "4"  # the printed total does not hold: 0 + 2 + 1 + 0 is 3
    counts = _printed(values)
    counts[0] = ("。", 0.91, _marks(0.0, "0"))
    cells, check, _ = _check(_t4_doc(counts))
    assert cells["review_upheld"].value == 0 and cells["review_upheld"].raw == "。"
    assert _noted(check) == {"t4_review_litigation.cases.review_upheld"}
    assert "no identity of the table proves" in check.notes[0]
    assert check.corrected == []


def test_a_whole_group_of_look_alikes_is_proven_together() -> None:
    counts = _printed(COUNTS)
    for i in range(10, 15):  # 复议后起诉: every 0 read as 。
        counts[i] = ("。", 0.8, _marks(30.0 * i, "0"))
    cells, check, _ = _check(_t4_doc(counts))
    assert [cells[k].value for k in T4_KEYS[10:]] == [0] * 5 and check.notes == []


def test_a_full_stop_without_a_digit_mark_is_a_blank() -> None:
    counts = _printed(COUNTS)
    counts[0] = ("。", 0.35, ())  # a hyphen or a speck: no mark of a digit's size
    cells, check, _ = _check(_t4_doc(counts))
    assert (cells["review_upheld"].value, cells["review_upheld"].blank) == (None, True)
    assert check.notes == [] and check.corrected == []


def test_ink_without_a_reading_is_not_blank() -> None:
    counts = _printed(COUNTS)
    counts[3] = ("", None, _marks(90.0, "0"))  # the engine dropped what it read (below its floor)
    cells, check, _ = _check(_t4_doc(counts))
    cell = cells["review_pending"]
    assert (cell.value, cell.blank) == (None, False)
    assert _noted(check) == {"t4_review_litigation.cases.review_pending"}
    assert "holds ink" in check.notes[0]


def test_an_empty_box_and_a_dash_stay_blank() -> None:
    values = list(COUNTS)
    values[1], values[2], values[4] = "", "—", ""  # review prints nothing but blanks: 0 + … = blank
    values[0] = values[3] = ""
    counts = _printed(values)
    counts[2] = ("—", 0.95, _marks(60.0, "", flat=True))
    cells, check, _ = _check(_t4_doc(counts))
    assert all(cells[k].blank and cells[k].value is None for k in T4_KEYS[:5])
    assert check.notes == []


def test_a_lost_digit_is_restored_where_the_identity_proves_one_number() -> None:
    values = list(COUNTS)
    values[5], values[9] = "14", "15"  # suit: 14 + 0 + 0 + 1 = 15
    counts = _printed(values)
    counts[5] = ("4", 0.97, _marks(150.0, "14"))  # two marks, one digit read
    cells, check, _ = _check(_t4_doc(counts))
    assert cells["suit_upheld"].value == 14 and cells["suit_upheld"].raw == "4"
    assert check.notes == [] and check.corrected == ["t4_review_litigation.cases.suit_upheld"]


def test_a_doubled_digit_no_identity_can_settle_is_named() -> None:
    counts = _printed(COUNTS)
    counts[9] = ("55", 0.97, _marks(270.0, "5"))  # one mark, two digits read
    counts[5] = ("", None, _marks(150.0, "4"))  # and the part it would be proven by is unread
    cells, check, _ = _check(_t4_doc(counts))
    assert {"t4_review_litigation.cases.suit_total",
            "t4_review_litigation.cases.suit_upheld"} == _noted(check)


def test_an_unconfident_reading_is_named() -> None:
    counts = _printed(COUNTS)
    counts[7] = ("0", CONFIDENT - 0.05, _marks(210.0, "0"))
    _, check, _ = _check(_t4_doc(counts))
    assert _noted(check) == {"t4_review_litigation.cases.suit_other"}
    assert (check.cells, check.confident) == (15, 14)


def test_text_cells_are_left_alone() -> None:
    doc = _t4_doc(_printed(COUNTS))
    for table in doc.tables:
        for c in table.cells:
            c.read_by, c.confidence, c.ink = CellSource.TEXT, None, None
    doc.pages[0].ocr = False
    cells, check, _ = _check(doc)
    assert check.cells == 0 and all(c.read_by == CellSource.TEXT for c in cells.values())


# ---------------------------------------------------------------- a real rendering: 0 read as 。


DIGIT_FONT = ("DejaVuSansCondensed-Bold.ttf", 18)  # about 6.5 pt at 200 dpi: the engine reads many a 0 as 。


def _render_t4(counts: list[str]):
    """表四 drawn with PIL at 200 dpi: headers in Noto Sans CJK, counts in a small bold DejaVu face
    (DIGIT_FONT), ruled."""
    np = pytest.importorskip("numpy")
    from PIL import Image, ImageDraw, ImageFont

    try:
        cjk = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 22)
        digits = ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/{DIGIT_FONT[0]}", DIGIT_FONT[1])
    except OSError:
        pytest.skip("Noto Sans CJK or DejaVu Sans fonts not installed")
    width, height, x0, y0, cw = 1654, 900, 60, 200, 102
    rows = [y0, y0 + 60, y0 + 150, y0 + 240, y0 + 300]
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    xs = [x0 + cw * i for i in range(16)]
    for y in (rows[0], rows[4], rows[3]):
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    draw.line([(xs[0], rows[1]), (xs[-1], rows[1])], fill=0, width=2)
    draw.line([(xs[5], rows[2]), (xs[-1], rows[2])], fill=0, width=2)
    for i, x in enumerate(xs):
        top = rows[0] if i in (0, 5, 15) else rows[1] if i in (10,) or i < 5 else rows[2]
        draw.line([(x, top), (x, rows[4])], fill=0, width=2)

    def put(text: str, box: tuple[int, int, int, int], font) -> None:
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        draw.text(((box[0] + box[2] - (right - left)) / 2 - left, (box[1] + box[3] - (bottom - top)) / 2 - top),
                  text, font=font, fill=0)

    def stacked(text: str, box: tuple[int, int, int, int]) -> None:  # 结果维持 on two lines
        mid = (box[1] + box[3]) // 2
        put(text[:2], (box[0], box[1], box[2], mid + 4), cjk)
        put(text[2:], (box[0], mid - 4, box[2], box[3]), cjk)

    put("行政复议", (xs[0], rows[0], xs[5], rows[1]), cjk)
    put("行政诉讼", (xs[5], rows[0], xs[15], rows[1]), cjk)
    put("未经复议直接起诉", (xs[5], rows[1], xs[10], rows[2]), cjk)
    put("复议后起诉", (xs[10], rows[1], xs[15], rows[2]), cjk)
    labels = list(T4_OUTCOMES.values())
    for i, label in enumerate(labels):
        stacked(label, (xs[i], rows[1], xs[i + 1], rows[3]))
        stacked(label, (xs[5 + i], rows[2], xs[6 + i], rows[3]))
        stacked(label, (xs[10 + i], rows[2], xs[11 + i], rows[3]))
    for i, text in enumerate(counts):
        put(text, (xs[i], rows[3], xs[i + 1], rows[4]), digits)
    return np.asarray(img)


def _read_rendering(counts: list[str]) -> Document:
    pytest.importorskip("rapidocr_onnxruntime")
    from extractors.readers.ocr import DPI, add_page, read_page_image

    builder = DocumentBuilder("rendered-t4.pdf", "pdf")
    found = read_page_image(_render_t4(counts), DPI)
    add_page(builder, 1, found, 595.0, 324.0, 72 / DPI)
    return builder.build()


@pytest.fixture(scope="module")
def rendered() -> tuple[Document, Document]:
    """The same 表四 rendered twice: its printed totals holding, and the suit group's total misprinted 6."""
    wrong = list(COUNTS)
    wrong[9] = "6"
    return _read_rendering(COUNTS), _read_rendering(wrong)


def _confused(cells: dict[str, CellRecord]) -> set[str]:
    """Cells whose 0 the engine printed as 。 (raw keeps what it printed)."""
    return {c.ref for c in cells.values() if c.raw == "。"}


def test_rendered_zeros_read_as_full_stops_are_proven_by_the_totals(rendered) -> None:
    doc, _ = rendered
    cells, check, _ = _check(doc)
    confused = _confused(cells)
    assert len(confused) >= 2  # the engine's own confusion, not a simulated one
    suits = {cells[k].ref for k in T4_KEYS[5:]}
    assert confused & suits and confused & suits <= set(check.corrected)
    noted = _noted(check)
    for key, want in zip(T4_KEYS, COUNTS, strict=True):
        cell = cells[key]
        # every cell is right, or named: never a wrong number in silence
        assert cell.value == int(want) or cell.ref in noted, (cell.ref, cell.raw, cell.value)
        if cell.ref in noted and cell.value is None:
            assert not cell.blank  # ink with no reading is not a blank
    assert not confused & noted or all(cells[k].value == 0 for k in T4_KEYS if cells[k].ref in confused)


def test_rendered_ink_without_a_reading_is_named(rendered) -> None:
    doc, _ = rendered
    unread = [c for t in doc.tables for c in t.cells if c.row == 3 and not c.text and c.ink]
    assert unread  # the engine dropped a small digit; the box's ink says something is printed there
    cells, check, _ = _check(doc)
    named = {n.split(":", 1)[0] for n in check.notes if "holds ink" in n}
    for cell in cells.values():
        if not cell.raw and cell.ref in named:
            assert (cell.value, cell.blank) == (None, False)
    assert len(named) == len(unread)


def test_rendered_full_stop_under_a_total_that_does_not_hold_is_guessed(rendered) -> None:
    _, doc = rendered
    cells, check, _ = _check(doc)
    suit = {cells[f"suit_{o}"].ref for o in T4_OUTCOMES if o != "total"}
    doubtful = _confused(cells) & suit
    assert doubtful and doubtful <= _noted(check)
    assert not doubtful & set(check.corrected)
    assert all("no identity of the table proves" in n for n in check.notes if n.split(":", 1)[0] in doubtful)


# ---------------------------------------------------------------- the variant: a text PDF with table pages as images


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """corpus/variants/ocr-mixed.pdf through the whole pipeline (CSV, Parquet, data package); slow."""
    out = run_ocr_variant(MIXED, tmp_path_factory.mktemp("ocr-mixed"))
    truth = json.loads((VARIANTS / "ocr-mixed.truth.json").read_text(encoding="utf-8"))
    return out, truth


def test_mixed_variant_reads_every_cell_exactly(mixed_run) -> None:
    out, truth = mixed_run
    [doc] = csv_rows(out / "documents.csv")
    assert doc["status"] == "ok", doc["error"]
    wrong = cells_against_truth(out, truth)
    assert not wrong, wrong
    blanks = set(truth["blank_cells"])
    # printed zeros, and dashes or empty boxes (blanks), all stand in the image tables
    zeros = sum(1 for rows in truth["tables"].values() for cols in rows.values() for v in cols.values() if v == 0)
    assert zeros >= 10 and len(blanks) >= 20


def test_mixed_variant_says_which_pages_and_cells_ocr_read(mixed_run) -> None:
    out, truth = mixed_run
    [doc] = csv_rows(out / "documents.csv")
    pages = ", ".join(map(str, truth["image_pages"]))
    assert f"text from OCR on {len(truth['image_pages'])} page(s): {pages}" in doc["warnings"]
    assert "OCR read 200 template cell(s), 200 confident or proven" in doc["warnings"]
    rows = csv_rows(out / "table_cells.csv")
    assert {r["read_by"] for r in rows} == {"ocr"}  # every table stands on the image pages
    read = [r for r in rows if r["raw"].strip()]
    assert read and all(CONFIDENT <= float(r["confidence"]) <= 1 for r in read if r["raw"][0].isdigit())
    assert all(r["confidence"] == "" for r in rows if not r["raw"].strip())  # empty boxes: nothing recognised


def test_mixed_variant_provenance_in_parquet_loader_and_datapackage(mixed_run) -> None:
    out, _ = mixed_run
    from nianbao import load

    cells = load(out).cells
    assert str(cells["read_by"].dtype) == "string" and str(cells["confidence"].dtype) == "Float64"
    assert set(cells["read_by"]) == {"ocr"}
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(out / "table_cells.parquet")
    assert str(table.schema.field("read_by").type) == "string"
    assert str(table.schema.field("confidence").type) == "double"
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "table-cells")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["read_by"]["constraints"]["enum"] == ["text", "ocr"]
    assert fields["confidence"]["type"] == "number"
    documents = next(r for r in package["resources"] if r["name"] == "documents")
    assert "constraints" not in {f["name"]: f for f in documents["schema"]["fields"]}["source"]


def test_records_hold_a_closed_set_of_sources() -> None:
    with pytest.raises(ValueError):
        CellRecord(doc_id="d", table=T4, row_key="cases", col_key="review_total", value=1, raw="1", blank=False,
                   row_label="", page=1, read_by="scan")  # type: ignore[arg-type]
    assert CellRecord(doc_id="d", table=T4, row_key="cases", col_key="review_total", value=1, raw="1",
                      blank=False, row_label="", page=1, read_by="ocr").read_by is CellSource.OCR  # type: ignore[arg-type]
