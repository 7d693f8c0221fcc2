"""Fast path for PDF pages: pdfium reads a page's glyphs and tells which pages may hold tables.

pdfminer (under pdfplumber) costs about 0.1 s a page; pdfium reads a page's glyphs in a few ms.
Pages that draw a rule (a stroked or thin path) get their rules from pdf_pdfium_tables.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.readers.pdf_text import Char

_THIN = 3.0  # as pdf_tables: a filled box this thin is a rule
_SIMPLE = 5  # a plain rectangle is at most move + 3 lines + close


def open_pdfium(data: bytes) -> pdfium.PdfDocument | None:
    """The document for pdfium, or None when pdfium cannot open it (pdfplumber then decides)."""
    try:
        return pdfium.PdfDocument(data)
    except Exception:  # PdfiumError, or anything its loader raises on odd input
        return None


def may_hold_table(page: pdfium.PdfPage) -> bool:
    """True when the page draws a path that could be a table rule (stroked, thin, or not a plain box)."""
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=4):
        if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)):
            return True
        if stroke.value:
            return True
        left, bottom, right, top = obj.get_bounds()
        if min(right - left, top - bottom) <= _THIN:
            return True
        if pdfium_c.FPDFPath_CountSegments(obj.raw) > _SIMPLE:
            return True
    return False


def plain_geometry(page: pdfium.PdfPage) -> bool:
    """Unrotated page whose boxes start at the origin: pdfium and pdfplumber coordinates then agree."""
    if page.get_rotation() % 360:
        return False
    media = page.get_mediabox()
    crop = page.get_cropbox()
    return media[0] == 0 and media[1] == 0 and all(abs(a - b) < 0.5 for a, b in zip(media, crop, strict=False))


UNMAPPED = "\ufffd"


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """The page's glyphs as pdfplumber-like chars (top-left origin), generated spaces left out.

    Calls pdfium's C functions directly with one reused rectangle and matrix: the Python wrappers cost
    more than pdfium's own work on a page of a thousand glyphs."""
    height = page.get_height()
    textpage = page.get_textpage()
    chars: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    is_generated = pdfium_c.FPDFText_IsGenerated
    unicode_of = pdfium_c.FPDFText_GetUnicode
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    font_size = pdfium_c.FPDFText_GetFontSize
    text_matrix = pdfium_c.FPDFText_GetMatrix
    try:
        raw = textpage.raw
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            if is_generated(raw, i) == 1:
                continue
            code = unicode_of(raw, i)
            if code in (10, 13):
                continue
            # a glyph without a Unicode mapping is kept as U+FFFD, so the page can go to pdfplumber,
            # which reports it, instead of losing the glyph silently
            text = UNMAPPED if code in (0, 0xFFFE, 0xFFFF) else chr(code)
            if not loose_box(raw, i, rect_ref):
                raise pdfium.PdfiumError("Failed to get charbox.")
            left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            size = float(font_size(raw, i))
            if text_matrix(raw, i, matrix_ref):
                size *= (matrix.c ** 2 + matrix.d ** 2) ** 0.5
            size = size or (top - bottom)
            key = (text, round(left), round(height - top))
            if key in seen:  # a glyph drawn twice (fake bold)
                continue
            seen.add(key)
            chars.append({"text": text, "x0": left, "x1": right, "top": height - top,
                          "bottom": height - bottom, "size": size})
    finally:
        textpage.close()
    return chars


def boxes_trusted(chars: list[Char]) -> bool:
    """False when some glyph's box is far larger than its font size (pdfium boxes vertical-writing
    glyphs, WPS rotated cell text, by the whole rotated run, which would put them in the wrong cell)
    or a glyph has no Unicode mapping (pdfplumber reads and reports those)."""
    return all(c["text"] != UNMAPPED and max(c["x1"] - c["x0"], c["bottom"] - c["top"]) <= 2 * c["size"] + 1
               for c in chars)


def page_info(page: Any) -> tuple[float, float]:
    """Width and height in points."""
    return float(page.get_width()), float(page.get_height())
