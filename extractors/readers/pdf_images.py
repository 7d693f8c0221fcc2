"""Tables pasted in as pictures on pages that have a text layer: which image boxes to OCR.

A Word report with a screenshot of an Excel table, printed to PDF, has narrative glyphs and one large
image holding the table. Such an image is found by its size (a share of the page's width and height)
and by holding no glyph of the text layer; logos, seals and signatures are too small, and a seal or a
background stamped over text has glyphs inside its box.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points, top-left origin

# A pasted table spans most of the text column: the variant's tables 2-4 as images (ocr-pasted) measure
# 0.73-0.76 of an A4 page's width and 0.09 (table 4: a header and one row) to 0.54 of its height; a
# round seal of 3.5 cm is 0.17 x 0.12, a signature or logo smaller still. Width is what tells them apart.
MIN_IMAGE_WIDTH = 0.45  # share of the page width
MIN_IMAGE_HEIGHT = 0.06  # share of the page height (about 50 pt on A4: a header row and one row of numbers)
MARGIN = 2.0  # points a glyph may reach into the image box (text set tight above or below it)


def _inside(char: dict[str, Any], box: Box) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] + MARGIN < x < box[2] - MARGIN and box[1] + MARGIN < y < box[3] - MARGIN


def pasted_regions(images: Sequence[Box], chars: Sequence[dict[str, Any]], width: float,
                   height: float) -> list[Box]:
    """The image boxes (clipped to the page) large enough to hold a table and free of text-layer glyphs,
    top to bottom; overlapping ones are merged (an image cut into strips is one picture)."""
    if width <= 0 or height <= 0:
        return []
    big: list[Box] = []
    for x0, top, x1, bottom in images:
        box = (max(x0, 0.0), max(top, 0.0), min(x1, width), min(bottom, height))
        if box[2] - box[0] >= MIN_IMAGE_WIDTH * width and box[3] - box[1] >= MIN_IMAGE_HEIGHT * height:
            big.append(box)
    merged: list[list[float]] = []
    for box in sorted(big, key=lambda b: b[1]):
        if merged and box[1] <= merged[-1][3] and box[0] < merged[-1][2] and merged[-1][0] < box[2]:
            last = merged[-1]
            last[0], last[2], last[3] = min(last[0], box[0]), max(last[2], box[2]), max(last[3], box[3])
        else:
            merged.append(list(box))
    regions = [(b[0], b[1], b[2], b[3]) for b in merged]
    return [r for r in regions if not any(c["text"].strip() and _inside(c, r) for c in chars)]


def image_not_read(number: int) -> str:
    """The reason a report is partial where a table image could not be OCR'd (the extra is missing)."""
    return f"a table printed as an image on page {number}; install the ocr extra: pip install 'nianbao[ocr]'"


def read_regions(builder: Any, number: int, regions: list[Box], data: bytes) -> tuple[list[Any], list[Any]]:
    """OCR the image regions of page `number` (the page last opened in `builder`): text lines and tables
    in page points, the page marked as partly OCR'd; without the [ocr] extra nothing is read and the
    document says so in `unread` (the report is partial, never ok)."""
    from extractors.readers.ocr import ocr_available, ocr_regions

    if not regions:
        return [], []
    if not data or not ocr_available():
        builder.doc.unread.append(image_not_read(number))
        return [], []
    lines, tables = ocr_regions(data, number, regions)
    page = builder.doc.pages[-1]
    page.ocr = True
    page.ocr_regions = [tuple(round(v, 2) for v in r) for r in regions]
    return lines, tables
