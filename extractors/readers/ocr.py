"""OCR for scanned PDFs (optional extra `nianbao[ocr]`): page images to paragraphs and ruled table grids.

Pages are rendered with pypdfium2, deskewed, and read with RapidOCR (PP-OCR models shipped inside the
`rapidocr-onnxruntime` wheel, so nothing is downloaded). Tables are rebuilt from the ruling lines of
the image (see ocr_tables) and every detected text line is cut at cell borders before recognition, so
each cell's text is read from inside that cell only.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import median
from typing import Any

import numpy as np

from extractors.readers.ocr_lookalikes import DASH_READINGS, DASH_SHAPE, as_digits, digit_count
from extractors.readers.pdf_text import Line, add_page_blocks, join_lines
from schemas.document import Cell, CellSource, Document, DocumentBuilder, Table

DPI = 200  # render resolution: ~30 px per line of 10.5 pt text
DET_SCALE = 0.6  # text detection runs on a smaller copy of the page (about 120 dpi)
MIN_SCORE = 0.5  # recognition confidence below which free text is dropped
MIN_CELL_SCORE = 0.3  # ... and cell text (short numbers score lower)
RETRY_BELOW = 0.6  # readings below this confidence are tried again on a wider crop
DIGIT_MARK = 0.35  # a digit's mark is at least this share of a text line high (。 and specks are lower)
REGION_PAD = 24  # pixels of paper put around an image region before it is read (its rules touch its edges)
INK_MARK = 0.25  # ... and any ink mark (a hyphen) this share long and this many pixels per line height big


def ocr_available() -> bool:
    """True when the `ocr` extra (rapidocr-onnxruntime with its models, OpenCV) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr_onnxruntime", "cv2"))


def is_scanned_page(n_chars: int, image_boxes: Sequence[tuple[float, float, float, float]],
                    width: float, height: float) -> bool:
    """A page is a scan when it has (almost) no text layer but an image covering most of it."""
    if n_chars > 20 or width <= 0 or height <= 0:
        return False
    covered = 0.0
    for x0, top, x1, bottom in image_boxes:
        w = max(0.0, min(x1, width) - max(x0, 0.0))
        h = max(0.0, min(bottom, height) - max(top, 0.0))
        covered = max(covered, w * h)
    return covered >= 0.5 * width * height


def scanned_pages(data: bytes) -> list[int]:
    """1-based numbers of the pages of a PDF that look scanned (see is_scanned_page)."""
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            n_chars = sum(1 for c in page.chars if c["text"].strip())
            boxes = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images]
            if is_scanned_page(n_chars, boxes, float(page.width), float(page.height)):
                out.append(number)
            page.close()
    return out


@lru_cache(maxsize=1)
def _engine() -> Any:
    """The RapidOCR engine, loaded once per process on first use."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


@dataclass
class _Piece:
    """A text line (or the part of one inside a table cell) to recognise, in page pixels."""

    box: tuple[int, int, int, int]
    cell: Any = None  # the GridCell it belongs to, None for free text
    text: str = ""
    score: float = 0.0


def _crop(gray: np.ndarray, box: tuple[int, int, int, int], pad: int) -> np.ndarray:
    """A BGR crop for the recogniser, padded with the page's own background; tall crops turned sideways."""
    import cv2

    x0, y0, x1, y1 = box
    h, w = gray.shape
    crop = gray[max(y0 - pad, 0):min(y1 + pad, h), max(x0 - pad, 0):min(x1 + pad, w)]
    if crop.shape[0] >= 1.5 * crop.shape[1] and crop.shape[0] > 60:
        crop = np.rot90(crop)
    return cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_GRAY2BGR)


def _recognise(gray: np.ndarray, pieces: list[_Piece], pad: int = 0, retry: tuple[int, ...] = (3, 6)) -> None:
    """Read every piece (batched); unsure ones are read again with more margin and the surer reading kept."""
    if not pieces:
        return
    results, _ = _engine().text_rec([_crop(gray, p.box, pad) for p in pieces])
    for piece, (text, score, *_) in zip(pieces, results, strict=True):
        piece.text, piece.score = text.strip(), float(score)
    for extra in retry:
        unsure = [p for p in pieces if p.score < RETRY_BELOW]
        if not unsure:
            break
        results, _ = _engine().text_rec([_crop(gray, p.box, extra) for p in unsure])
        for piece, (text, score, *_) in zip(unsure, results, strict=True):
            if float(score) > piece.score and text.strip():
                piece.text, piece.score = text.strip(), float(score)


def _detect(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Axis-aligned boxes of text lines, from PP-OCR detection on a reduced copy of the page."""
    import cv2

    small = cv2.resize(gray, None, fx=DET_SCALE, fy=DET_SCALE, interpolation=cv2.INTER_AREA)
    boxes, _ = _engine().text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    out = []
    for quad in [] if boxes is None else boxes:
        xs, ys = quad[:, 0] / DET_SCALE, quad[:, 1] / DET_SCALE
        out.append((int(xs.min()), int(ys.min()), int(np.ceil(xs.max())), int(np.ceil(ys.max()))))
    return out


def _cell_text(pieces: list[_Piece]) -> tuple[str, float | None]:
    """Cell text as the engine printed it (pieces in reading order, lines top to bottom; look-alikes of
    digits are left for the table checks to settle) and its lowest confidence (None: nothing read)."""
    pieces = sorted((p for p in pieces if p.text and p.score >= MIN_CELL_SCORE), key=lambda p: p.box[1])
    lines: list[list[_Piece]] = []
    for p in pieces:
        if lines and p.box[1] < (lines[-1][0].box[1] + lines[-1][0].box[3]) / 2:
            lines[-1].append(p)
        else:
            lines.append([p])
    text = join_lines("".join(p.text for p in sorted(ln, key=lambda p: p.box[0])) for ln in lines)
    return text, min((p.score for p in pieces), default=None)


def is_dash_mark(marks: list[tuple[int, int, int, int]], unit: int) -> bool:
    """One flat stroke (or two in a row: ——), much wider than high and low: what a dash looks like."""
    if not 1 <= len(marks) <= 2:
        return False
    return all(x1 - x0 >= DASH_SHAPE * (y1 - y0) and y1 - y0 <= unit * 0.35 for x0, y0, x1, y1 in marks)


def _reading(text: str, marks: list[tuple[int, int, int, int]], unit: int) -> str:
    """What a cell's marks show, where the recogniser's text is a look-alike: one dash mark is a dash
    (read 一, -, 。), and look-alikes of digits (。 O l S B) are the digits where every character stands
    over a mark of a digit's size. The table checks must still prove such digits (ocr_values)."""
    if text in DASH_READINGS and is_dash_mark(marks, unit):
        return "—"
    digits = as_digits(text)
    if digits is None or digits == text:
        return text
    tall = [m for m in marks if m[3] - m[1] >= unit * DIGIT_MARK]
    return digits if len(tall) == digit_count(text) else text


def _split_by_cells(box: tuple[int, int, int, int], grid: Any, unit: int) -> list[_Piece]:
    """The parts of a detected line box inside each grid cell it crosses (slivers dropped)."""
    x0, y0, x1, y1 = box
    out = []
    for cell in grid.cells:
        cx0, cy0, cx1, cy1 = cell.box
        ix0, iy0, ix1, iy1 = max(x0, cx0 + 2), max(y0, cy0 + 2), min(x1, cx1 - 2), min(y1, cy1 - 2)
        if ix1 - ix0 >= unit * 0.3 and iy1 - iy0 >= min(unit * 0.4, (y1 - y0) * 0.5):
            out.append(_Piece((ix0, iy0, ix1, iy1), cell))
    return out


def _blobs(mask: np.ndarray, box: tuple[int, int, int, int], unit: int) -> list[tuple[int, int, int, int, int]]:
    """Boxes (page pixels) and areas of the ink marks inside a box too big to be a speck of dust (a
    hyphen is one; text pieces keep the bigger ones: see _is_text)."""
    import cv2

    x0, y0, x1, y1 = box
    sub = mask[max(y0, 0):y1, max(x0, 0):x1]
    if sub.size == 0:
        return []
    _, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    return [(x0 + x, y0 + y, x0 + x + w, y0 + y + h, area) for x, y, w, h, area in stats[1:]
            if max(w, h) >= unit * INK_MARK and area >= unit * INK_MARK]


def _is_text(blob: tuple[int, int, int, int, int], unit: int) -> bool:
    """A mark big enough to be read as text (a lone digit), not a dot or a dash."""
    x0, y0, x1, y1, area = blob
    return max(x1 - x0, y1 - y0) >= unit * 0.5 and area >= unit * 0.7


def _marks(blobs: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Ink marks side by side: blobs whose columns overlap are one mark (the parts of one glyph)."""
    out: list[list[int]] = []
    for x0, y0, x1, y1, _ in sorted(blobs):
        if out and x0 <= out[-1][2]:
            last = out[-1]
            last[1], last[2], last[3] = min(last[1], y0), max(last[2], x1), max(last[3], y1)
        else:
            out.append([x0, y0, x1, y1])
    return [(a, b, c, d) for a, b, c, d in out]


def _cell_blobs(mask: np.ndarray, cells: list[Any], unit: int) -> dict[int, list[tuple[int, int, int, int, int]]]:
    """id(cell) -> the ink blobs inside the cell, a few pixels in from its rules (rules wiped from mask)."""
    m = 4
    return {id(c): _blobs(mask, (c.box[0] + m, c.box[1] + m, c.box[2] - m, c.box[3] - m), unit) for c in cells}


def _ink_pieces(blobs: dict[int, list[tuple[int, int, int, int, int]]], cells: list[Any], pieces: list[_Piece],
                unit: int) -> list[_Piece]:
    """Ink the detector missed inside cells: marks beside a line widen that line's piece (a lone 一 before
    、), other marks become a piece of their own (a lone digit)."""
    by_cell: dict[int, list[_Piece]] = {}
    for p in pieces:
        by_cell.setdefault(id(p.cell), []).append(p)
    out = []
    for cell in cells:
        own = by_cell.get(id(cell), [])
        loose = []
        for b in (b for b in blobs[id(cell)] if _is_text(b, unit)):
            cy = (b[1] + b[3]) / 2
            if any(p.box[0] <= b[0] + 1 and b[2] - 1 <= p.box[2] and p.box[1] <= cy <= p.box[3] for p in own):
                continue
            line = next((p for p in own if p.box[1] <= cy <= p.box[3]), None)
            if line is not None:
                line.box = (min(line.box[0], b[0] - 2), line.box[1], max(line.box[2], b[2] + 2), line.box[3])
            else:
                loose.append(b)
        if loose:
            box = (min(b[0] for b in loose) - 2, min(b[1] for b in loose) - 2,
                   max(b[2] for b in loose) + 2, max(b[3] for b in loose) + 2)
            out.append(_Piece(box, cell))
    return out


@dataclass
class PageText:
    """What OCR found on one page image: free text lines and table grids, in pixels."""

    lines: list[_Piece]
    grids: list[Any]
    unit: int


def read_page_image(gray: np.ndarray, dpi: int = DPI) -> PageText:
    """OCR one grayscale page image: deskew, find ruled grids, detect lines, cut them at cells, recognise."""
    import cv2

    from extractors.readers.ocr_tables import (
        find_grids,
        ink_mask,
        rotate,
        rule_mask,
        ruling_lines,
        skew_angle,
    )

    unit = max(12, round(dpi * 0.15))
    paper = int(np.percentile(gray, 90))
    gray = rotate(gray, skew_angle(ink_mask(gray)), paper)
    mask = ink_mask(gray)
    grids = find_grids(*ruling_lines(mask, unit), unit)
    # wipe the rules so that detection and recognition see text only
    rules = rule_mask(gray.shape, grids)
    clean = gray.copy()
    clean[rules > 0] = paper
    mask[rules > 0] = 0
    free: list[_Piece] = []
    cell_pieces: list[_Piece] = []
    for box in _detect(clean):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        grid = next((g for g in grids if g.box[0] <= cx <= g.box[2] and g.box[1] <= cy <= g.box[3]), None)
        if grid is None:
            free.append(_Piece(box))
        else:
            cell_pieces.extend(_split_by_cells(box, grid, unit))
    all_cells = [c for g in grids for c in g.cells]
    blobs = _cell_blobs(mask, all_cells, unit)
    cell_pieces += _ink_pieces(blobs, all_cells, cell_pieces, unit)
    # a 3x3 median takes scanner noise and JPEG speckle off the strokes before recognition
    _recognise(cv2.medianBlur(clean, 3), free + cell_pieces)
    by_cell: dict[int, list[_Piece]] = {}
    for p in cell_pieces:
        by_cell.setdefault(id(p.cell), []).append(p)
    for cell in all_cells:
        cell.text, cell.score = _cell_text(by_cell.get(id(cell), []))
        cell.marks = _marks(blobs[id(cell)])
        read = _reading(cell.text, cell.marks, unit)
        if read != cell.text:
            cell.text, cell.printed = read, cell.text
    lines = sorted((p for p in free if p.text and p.score >= MIN_SCORE), key=lambda p: (p.box[1], p.box[0]))
    return PageText(lines=lines, grids=grids, unit=unit)


def _to_table(grid: Any, scale: float, page_number: int, origin: tuple[float, float] = (0.0, 0.0)) -> Table:
    """A grid in pixels as a Table in page points (`origin`: where the image's top-left is on the page)."""
    def pts(box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        x0, top, x1, bottom = box
        return (round(origin[0] + x0 * scale, 2), round(origin[1] + top * scale, 2),
                round(origin[0] + x1 * scale, 2), round(origin[1] + bottom * scale, 2))

    cells = [Cell(row=c.row, col=c.col, text=c.text, row_span=c.row_span, col_span=c.col_span,
                  page=page_number, bbox=pts(c.box), read_by=CellSource.OCR, ocr_text=c.printed,
                  confidence=None if c.score is None else round(c.score, 3),
                  ink=tuple(pts(m) for m in c.marks)) for c in grid.cells]
    return Table(cells=cells, page=page_number, bbox=pts(grid.box))


def _to_lines(pieces: list[_Piece], scale: float, origin: tuple[float, float] = (0.0, 0.0)) -> list[Line]:
    """Merge pieces on the same text row into Lines (points, the image's top-left at `origin`), top to bottom."""
    ox, oy = origin
    rows: list[list[_Piece]] = []
    for p in pieces:
        if rows and abs(p.box[1] - rows[-1][0].box[1]) < (p.box[3] - p.box[1]) * 0.5:
            rows[-1].append(p)
        else:
            rows.append([p])
    lines = []
    for row in rows:
        row.sort(key=lambda p: p.box[0])
        height = median(p.box[3] - p.box[1] for p in row) * scale
        lines.append(Line(text=join_lines(p.text for p in row), x0=ox + row[0].box[0] * scale,
                          top=oy + min(p.box[1] for p in row) * scale, x1=ox + row[-1].box[2] * scale,
                          bottom=oy + max(p.box[3] for p in row) * scale, size=round(height * 0.75, 1)))
    return sorted(lines, key=lambda ln: ln.top)


def add_page(builder: DocumentBuilder, number: int, found: PageText, width: float, height: float,
             scale: float) -> None:
    """Add one OCR'd page's blocks to a document in reading order (tables at their place in the flow)."""
    page = builder.page(number, width, height)
    page.ocr = True
    tables = [_to_table(g, scale, number) for g in found.grids]
    add_page_blocks(builder, _to_lines(found.lines, scale), tables, height)


def _render(pdf: Any, number: int) -> tuple[np.ndarray, float, float]:
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        gray = np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    finally:
        page.close()
    return gray, float(width), float(height)


def ocr_into(builder: DocumentBuilder, data: bytes, number: int) -> None:
    """OCR page `number` (1-based) of a PDF and add it to a document being built (for mixed PDFs)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        gray, width, height = _render(pdf, number)
    finally:
        pdf.close()
    add_page(builder, number, read_page_image(gray, DPI), width, height, 72 / DPI)


def ocr_regions(data: bytes, number: int, regions: list[tuple[float, float, float, float]]
                ) -> tuple[list[Line], list[Table]]:
    """OCR the given boxes (x0, top, x1, bottom in points) of page `number` (1-based), each rendered alone
    at the resolution whole pages are read at: its text lines and tables, in page points."""
    import pypdfium2 as pdfium

    lines: list[Line] = []
    tables: list[Table] = []
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[number - 1]
        try:
            width, height = page.get_size()
            for x0, top, x1, bottom in regions:
                crop = (x0, height - bottom, width - x1, top)  # points cut off left, bottom, right, top
                bitmap = page.render(scale=DPI / 72, grayscale=True, crop=crop)
                gray = np.asarray(bitmap.to_pil().convert("L"))
                scale = (x1 - x0) / gray.shape[1] if gray.shape[1] else 72 / DPI
                # a margin of paper around the picture: rules at its very edge are found as on a page
                gray = np.pad(gray, REGION_PAD, constant_values=int(np.percentile(gray, 90)) if gray.size else 255)
                found = read_page_image(gray, DPI)
                origin = (x0 - REGION_PAD * scale, top - REGION_PAD * scale)
                lines += _to_lines(found.lines, scale, origin)
                tables += [_to_table(g, scale, number, origin) for g in found.grids]
        finally:
            page.close()
    finally:
        pdf.close()
    return lines, tables


def ocr_pdf(data: bytes, source: str, pages: list[int] | None = None) -> Document:
    """OCR a PDF's pages (1-based `pages`, default all) into the document model, pages marked ocr=True."""
    import pypdfium2 as pdfium

    builder = DocumentBuilder(source, "pdf")
    pdf = pdfium.PdfDocument(data)
    try:
        total = len(pdf)
        numbers = pages or list(range(1, total + 1))
        for number in numbers:
            gray, width, height = _render(pdf, number)
            add_page(builder, number, read_page_image(gray, DPI), width, height, 72 / DPI)
    finally:
        pdf.close()
    doc = builder.build()
    doc.page_count = total
    doc.warnings.append(f"text from OCR on {len(numbers)} page(s)")
    return doc
