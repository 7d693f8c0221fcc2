"""PDF page crops for the audit page: the evidence outlined, a table row shown under its table's header rows.

A crop is rendered here from the PDF itself (a PNG data URI): never an image taken from the document.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pipeline.audit.grid import PageTables, page_tables
from pipeline.audit.text import header_rows

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin

MAX_CROPS_PER_DOCUMENT = 12
MAX_CROPS_PER_RUN = 300  # a whole archive's page stays light; later flags show their text only
SCALE = 110 / 72
MARGIN = 24.0
JOIN_GAP = 110.0  # header rows and the evidence rows closer than this are one crop, else two strips
OUTLINE = (214, 0, 0)


@dataclass
class Place:
    """One piece of evidence on one PDF page: table cells (their boxes) or text to find."""

    flag_id: str
    page: int
    boxes: list[Box] = field(default_factory=list)
    text: str = ""
    mark: str = ""  # the part of TEXT to outline (the figure), at its end


@dataclass
class CropJob:
    """The crops of one PDF document."""

    source: str
    places: list[Place]


@dataclass
class Crop:
    """A rendered crop: a PNG data URI and what it shows."""

    uri: str
    page: int
    caption: str


def source_bytes(source: str) -> bytes | None:
    """The bytes of a document named by its source (a path, or archive.zip!member)."""
    from pipeline.discover import InputItem

    path, _, member = source.partition("!")
    members = tuple(member.split("!")) if member else ()
    try:
        return InputItem(source, path, members).read_bytes()
    except (OSError, ValueError, KeyError):
        return None


def union(boxes: Iterable[Box]) -> Box | None:
    """The smallest box holding all BOXES (None for none)."""
    boxes = list(boxes)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def parse_bbox(text: str) -> Box | None:
    """A table_cells.csv bbox ("x0 top x1 bottom") as numbers, None when absent or malformed."""
    parts = (text or "").split()
    if len(parts) != 4:
        return None
    try:
        x0, top, x1, bottom = (float(p) for p in parts)
    except ValueError:
        return None
    return (x0, top, x1, bottom)


def _page_letters(textpage) -> list[tuple[int, str]]:
    """(char index, letter) for every glyph of a pypdfium2 text page that is not a space. The page's text
    is read in one call, one letter a char index; where pdfium leaves chars out of it or puts some in
    (rare), the chars are read one by one instead."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    text = textpage.get_text_range() if count > 0 else ""
    if len(text) != count:
        codes = (pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in range(count))
        text = "".join(chr(code) if 0 < code < 0x110000 else "\0" for code in codes)
    return [(i, letter) for i, letter in enumerate(text) if letter != "\0" and not letter.isspace()]


def glyph_boxes(page, text: str) -> list[Box]:
    """The boxes (top-left origin) of the glyphs of `text` on a pypdfium2 page, whatever spaces lie
    between them; [] where the text is not on the page.

    The page's code points are read first and boxes only for the matched glyphs: reading every
    glyph's box and font size (extractors.readers.pdf_fast.page_chars) cost the audit page most of its time."""
    wanted = "".join(text.split())[:40]
    if not wanted:
        return []
    textpage = page.get_textpage()
    try:
        letters = _page_letters(textpage)
        at = "".join(letter for _, letter in letters).find(wanted)
        if at < 0:
            return []
        boxes = [textpage.get_charbox(i, loose=True) for i, _ in letters[at: at + len(wanted)]]
    finally:
        textpage.close()
    height = page.get_height()
    return [(b[0], height - b[3], b[2], height - b[1]) for b in boxes]


def find_text_bbox(page, text: str) -> Box | None:
    """Where `text` stands on a pypdfium2 page (top-left origin), None where it does not."""
    return union(glyph_boxes(page, text))


def _line_boxes(boxes: list[Box]) -> list[Box]:
    """Glyph boxes joined line by line (a figure broken over two lines gets two outlines)."""
    lines: list[list[Box]] = []
    for box in boxes:
        if lines and abs(box[1] - lines[-1][-1][1]) < (box[3] - box[1]) / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [b for b in (union(line) for line in lines) if b]


def _page_tables(page, number: int) -> PageTables:
    """The ruled tables of a pypdfium2 page, found as the PDF reader finds them (none where it cannot)."""
    try:
        return page_tables(page, number)
    except Exception:  # noqa: BLE001 - without the grid the crop shows the row alone
        log.debug("no tables for the crop on page %s", number, exc_info=True)
        return PageTables(number, [], texted=True)


# (the PDF's digest, page number) -> the page's tables, most recent last: a document's own flags and its batch
# flags are rendered as two jobs (pipeline.report_writers), the grid of their pages found once
_TABLES: OrderedDict[tuple[bytes, int], PageTables] = OrderedDict()
TABLES_KEPT = 64


def _tables_of(digest: bytes, page, number: int) -> PageTables:
    """_page_tables of page NUMBER of the PDF with DIGEST, found once per process for the last pages asked."""
    key = (digest, number)
    if key in _TABLES:
        _TABLES.move_to_end(key)
        return _TABLES[key]
    found = _TABLES[key] = _page_tables(page, number)
    while len(_TABLES) > TABLES_KEPT:
        _TABLES.popitem(last=False)
    return found


def _table_holding(tables: Iterable, box: Box):
    """The table whose cells hold the centre of BOX, or None."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for table in tables:
        bounds = table.bbox or union(c.bbox for c in table.cells if c.bbox)
        if bounds and bounds[0] - 2 <= cx <= bounds[2] + 2 and bounds[1] - 2 <= cy <= bounds[3] + 2:
            return table
    return None


def _row_band(table, index: int) -> tuple[float, float] | None:
    """Top and bottom of grid row INDEX (cells merged down over later rows do not stretch it)."""
    boxes = [c.bbox for c in table.cells if c.bbox and c.row == index]
    return (min(b[1] for b in boxes), min(b[3] for b in boxes)) if boxes else None


def table_bands(table, boxes: list[Box], rows_above: Callable[[int], list[list[str]]]) -> list[tuple[float, float]]:
    """Vertical bands of the page to show for cells at BOXES in TABLE: the header rows that name their
    columns (header_rows), and the rows holding the cells; rows close together make one band.
    ROWS_ABOVE(n): the text of the table's grid rows 0..n-1 (PageTables.rows_above)."""
    centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in boxes]
    hit_rows = sorted({c.row for c in table.cells if c.bbox for x, y in centres
                       if c.bbox[0] <= x <= c.bbox[2] and c.bbox[1] <= y <= c.bbox[3]})
    if not hit_rows:
        return []
    shown = header_rows(rows_above(hit_rows[0]), hit_rows[0])
    bands = sorted(filter(None, (_row_band(table, i) for i in shown)))
    evidence = union(boxes)
    if evidence is not None:
        bands.append((evidence[1], evidence[3]))
    merged: list[tuple[float, float]] = []
    for top, bottom in sorted(bands):
        if merged and top - merged[-1][1] <= JOIN_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


GREYS = 16  # palette: 16 grey levels for the print, then the outline's red
RED = GREYS
_PALETTE = [v for level in range(GREYS) for v in (level * 17,) * 3] + list(OUTLINE)
_TO_GREY = [value * GREYS // 256 for value in range(256)]


def _palette_image(size: tuple[int, int], data: bytes = b""):
    """A palette image (16 greys and red): a PNG of black print on white is a fraction of an RGB one's
    size, and built by lookup rather than by quantizing, which cost the page a second per 100 crops."""
    from PIL import Image

    image = Image.frombytes("P", size, data) if data else Image.new("P", size, GREYS - 1)
    image.putpalette(_PALETTE)
    return image


def _render(page, band: Box, outlines: list[Box]):
    """One band of the page as a palette image, each outline drawn red."""
    from PIL import ImageDraw

    width, height = page.get_size()
    left, upper = max(0.0, band[0]), max(0.0, band[1])
    right, lower = min(width, band[2]), min(height, band[3])
    grey = page.render(scale=SCALE, crop=(left, height - lower, width - right, upper), grayscale=True).to_pil()
    image = (grey if grey.mode == "L" else grey.convert("L")).point(_TO_GREY)  # grey levels 0..15 as indices
    image.putpalette(_PALETTE)  # an L image takes a palette as a P image, its bytes not copied again
    draw = ImageDraw.Draw(image)
    for x0, top, x1, bottom in outlines:
        if bottom < upper or top > lower:
            continue
        draw.rectangle([(x0 - left) * SCALE - 2, (top - upper) * SCALE - 2, (x1 - left) * SCALE + 2,
                        (bottom - upper) * SCALE + 2], outline=RED, width=3)
    return image


def _stack(images: list):
    """Images one above the other, a grey rule between them (header strip over the evidence strip)."""
    width = max(i.width for i in images)
    gap = 8
    out = _palette_image((width, sum(i.height for i in images) + gap * (len(images) - 1)))
    y = 0
    for n, image in enumerate(images):
        out.paste(image, (0, y))
        y += image.height
        if n < len(images) - 1:
            out.paste(GREYS // 2, (0, y + gap // 2 - 1, width, y + gap // 2 + 1))
            y += gap
    return out


def _data_uri(image) -> str:
    """A PNG data URI of a palette image (zlib at level 6: level 5, even with Z_FILTERED, saves a third of
    the time but makes the dev corpus's crops 2 % larger)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def crop_place(page, place: Place, tables: PageTables | None) -> Crop | None:
    """The crop of one place: table cells with their row and the table's header rows, or text with the
    lines around it; the evidence outlined in red. TABLES: the page's (_page_tables)."""
    try:
        width, height = page.get_size()
        if place.boxes:
            evidence = union(place.boxes)
            if evidence is None:
                return None
            outlines = list(place.boxes)
            table = _table_holding(tables or [], evidence)
            if table is not None and tables is not None and not tables.readable(page):
                table = None  # no glyphs, no grid: the reader finds no table there either
            bounds = (table.bbox or union(c.bbox for c in table.cells if c.bbox)) if table else None
            x0, x1 = (bounds[0] - 8, bounds[2] + 8) if bounds else (MARGIN, width - MARGIN)
            rows = (x0, evidence[1] - 6, x1, evidence[3] + 6)
            bands = (table_bands(table, place.boxes, partial(tables.rows_above, page, table))
                     if table is not None and tables is not None else [])
            if len(bands) > 1 or (bands and bands[0][0] < evidence[1] - 1):
                image = _stack([_render(page, (x0, top - 3, x1, bottom + 3), outlines) for top, bottom in bands])
                caption = f"page {place.page}: the flagged cells outlined, under the table's header rows"
            else:
                image = _render(page, rows, outlines)
                caption = f"page {place.page}: the flagged cells outlined in their row"
        else:
            glyphs = glyph_boxes(page, place.text)
            if not glyphs:
                return None
            found = union(glyphs)
            if found is None:
                return None
            marked = len("".join(place.mark.split())) or len(glyphs)
            image = _render(page, (MARGIN, found[1] - 30, width - MARGIN, found[3] + 30),
                            _line_boxes(glyphs[-marked:]))
            caption = f"page {place.page}: the sentence, the figure outlined"
        return Crop(_data_uri(image), place.page, caption)
    except Exception:  # noqa: BLE001 - a crop is a nicety; never fail the report for it
        log.debug("crop failed", exc_info=True)
        return None


def evidence_places(flag: dict[str, str], cells_by_ref, figures) -> list[Place]:
    """The places a flag's evidence stands on: each narrative figure, and its cells page by page."""
    places: list[Place] = []
    refs = flag.get("refs", "").split()
    for ref in refs:
        figure = figures.get(ref.split(":", 1)[1]) if ref.startswith("figure:") else None
        if figure and str(figure.get("page", "")).isdigit():
            raw, sentence = figure.get("raw", ""), figure.get("sentence", "")
            at = sentence.find(raw)
            text = sentence[max(0, at - 12): at + len(raw)] if at >= 0 else raw
            places.append(Place(flag["flag_id"], int(figure["page"]), text=text, mark=raw))
    by_page: dict[int, list[Box]] = defaultdict(list)
    for ref in refs:
        cell = cells_by_ref.get(ref)
        box = parse_bbox(cell.get("bbox", "")) if cell else None
        if cell and box and str(cell.get("page", "")).isdigit():
            by_page[int(cell["page"])].append(box)
    for page, boxes in sorted(by_page.items()):
        places.append(Place(flag["flag_id"], page, boxes=boxes))
    return places


def by_severity(documents: list[dict[str, str]], flags_by_doc) -> list[dict[str, str]]:
    """Documents with error flags first, then warnings, then the rest, each in input order."""
    rank = {"error": 0, "warning": 1}

    def worst(doc: dict[str, str]) -> int:
        return min((rank.get(f.get("severity", ""), 2) for f in flags_by_doc.get(doc.get("doc_id", ""), [])), default=2)

    return sorted(documents, key=worst)


def plan_crops(documents: list[dict[str, str]], flags_by_doc, cells_by_doc, figures) -> list[CropJob]:
    """Which evidence gets a page crop: the flags of PDF documents (errors and warnings before information),
    documents with errors first, then warnings, each in input order, at most MAX_CROPS_PER_DOCUMENT a document and MAX_CROPS_PER_RUN in all."""
    jobs: list[CropJob] = []
    budget = MAX_CROPS_PER_RUN
    seen: set[str] = set()
    for doc in by_severity(documents, flags_by_doc):  # errors first: the budget goes to them
        if budget <= 0:
            break
        if doc.get("format") != "pdf" or not doc["doc_id"] or doc["doc_id"] in seen:
            continue
        seen.add(doc["doc_id"])
        flags = sorted(flags_by_doc.get(doc["doc_id"], []), key=lambda f: f.get("severity") not in ("error", "warning"))
        places = [place for flag in flags  # serious flags first: information flags take what is left
                  for place in evidence_places(flag, cells_by_doc.get(doc["doc_id"], {}), figures)]
        places = places[:min(budget, MAX_CROPS_PER_DOCUMENT)]
        if places:
            jobs.append(CropJob(doc["source"], places))
            budget -= len(places)
    return jobs


def render_crops(job: CropJob) -> dict[str, list[Crop]]:
    """flag_id -> the crops of its evidence (runs in a report process)."""
    data = source_bytes(job.source)
    if data is None:
        return {}
    import pypdfium2 as pdfium

    digest = hashlib.blake2b(data, digest_size=16).digest()
    crops: dict[str, list[Crop]] = {}
    pages: dict[int, Any] = {}  # flags share pages (the tables'): each is loaded, and its grid found, once
    tables: dict[int, PageTables] = {}
    try:
        pdf = pdfium.PdfDocument(data)
        with closing(pdf):
            try:
                for place in job.places:
                    if not 1 <= place.page <= len(pdf):
                        continue
                    if place.page not in pages:
                        pages[place.page] = pdf[place.page - 1]
                    if place.boxes and place.page not in tables:
                        tables[place.page] = _tables_of(digest, pages[place.page], place.page)
                    crop = crop_place(pages[place.page], place, tables.get(place.page))
                    if crop:
                        crops.setdefault(place.flag_id, []).append(crop)
            finally:
                for page in pages.values():
                    page.close()
    except Exception:  # noqa: BLE001
        log.debug("could not open %s for crops", job.source, exc_info=True)
    return crops
