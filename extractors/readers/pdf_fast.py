"""Fast path for PDF pages: pdfium reads a page's glyphs and tells which pages may hold tables.

pdfminer (under pdfplumber) costs about 0.1 s a page; pdfium reads a page's glyphs in a few ms.
Pages that draw a rule (a stroked or thin path) get their rules from pdf_pdfium_tables.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Iterator
from operator import itemgetter
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


def _bare(function: Any, restype: Any) -> Any:
    """pdfium's C function `function` called without ctypes' argument checks: a third of the cost of a
    call through pypdfium2.raw, whose per-argument conversion costs more than pdfium's own work for one
    glyph. Callers pass only a c_void_p handle, Python ints and byref() structures."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"pdfium has no {function!r}")
    bare: Any = ctypes.CFUNCTYPE(restype)(address)
    bare.argtypes = None
    return bare


_IS_GENERATED = _bare(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)
_UNICODE = _bare(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_LOOSE_BOX = _bare(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_FONT_SIZE = _bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_TEXT_MATRIX = _bare(pdfium_c.FPDFText_GetMatrix, ctypes.c_int)
_TEXT_OBJECT = _bare(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_PAGE_OBJECT = _bare(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p)
_OBJECT_TYPE = _bare(pdfium_c.FPDFPageObj_GetType, ctypes.c_int)


def _handle(pointer: Any) -> ctypes.c_void_p:
    """A pypdfium2.raw pointer as the c_void_p the bare functions take."""
    return ctypes.c_void_p(ctypes.cast(pointer, ctypes.c_void_p).value)


Objects = list[tuple[int, Any]]  # a page's top-level objects as page_objects_raw gives them


def _paths(page: pdfium.PdfPage, form: Any = None, level: int = 0, max_depth: int = 4,
           top: Objects | None = None) -> Iterator[Any]:
    """The page's path objects (raw handles), those inside form XObjects too, down to `max_depth` levels,
    in the order pypdfium2's page.get_objects(filter=(PATH,), max_depth) yields them, without building
    a wrapper object per page object (most of that call's cost). `top`: the top-level objects, walked
    once already."""
    if form is None:
        objects: Iterator[tuple[int, Any]] = iter(top) if top is not None else page_objects_raw(page)
    else:
        objects = _form_objects(form)
    for kind, obj in objects:
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
            yield from _paths(page, obj, level + 1, max_depth)


def _form_objects(form: Any) -> Iterator[tuple[int, Any]]:
    count = pdfium_c.FPDFFormObj_CountObjects(form)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    for i in range(count):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        yield pdfium_c.FPDFPageObj_GetType(obj), obj


def page_objects_raw(page: pdfium.PdfPage, images: bool = False) -> Iterator[tuple[int, Any]]:
    """(type, handle) of each of the page's top-level objects; the handle (a pypdfium2.raw pointer) is
    given for paths and forms only (and images with `images`), None for the rest (a page's hundreds of
    text runs need no handle).
    Raises PdfiumError where pdfium cannot give an object."""
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    handle = _handle(page.raw)
    get_object, get_type = _PAGE_OBJECT, _OBJECT_TYPE
    wanted: tuple[int, ...] = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
    if images:
        wanted += (pdfium_c.FPDF_PAGEOBJ_IMAGE,)
    pointer = pdfium_c.FPDF_PAGEOBJECT
    for i in range(count):
        address = get_object(handle, i)
        if not address:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = get_type(ctypes.c_void_p(address))
        yield kind, (ctypes.cast(address, pointer) if kind in wanted else None)


def page_objects_walked(page: pdfium.PdfPage) -> Objects:
    """The page's top-level objects once, with handles of paths, forms and images: what may_hold_table
    and image_boxes share, so finding pasted pictures costs no second walk of a page's objects."""
    return list(page_objects_raw(page, images=True))


def image_boxes(page: pdfium.PdfPage, objects: Objects | None = None,
                max_depth: int = 4) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom; points, top-left origin) of the page's image objects, those inside
    form XObjects too: where a table pasted in as a picture may be (see pdf_images). `objects`: the
    top-level objects from page_objects_walked."""
    height = page.get_height()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    out: list[tuple[float, float, float, float]] = []

    def walk(objects: Iterator[tuple[int, Any]], level: int) -> None:
        for kind, obj in objects:
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
                out.append((left.value, height - top.value, right.value, height - bottom.value))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
                walk(_form_objects(obj), level + 1)

    walk(iter(objects) if objects is not None else page_objects_raw(page, images=True), 0)
    return out


def may_hold_table(page: pdfium.PdfPage, objects: Objects | None = None) -> bool:
    """True when the page draws a path that could be a table rule (stroked, thin, or not a plain box).
    `objects`: the top-level objects from page_objects_walked."""
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    for obj in _paths(page, top=objects):
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            return True
        if stroke.value:
            return True
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        if min(right.value - left.value, top.value - bottom.value) <= _THIN:
            return True
        if pdfium_c.FPDFPath_CountSegments(obj) > _SIMPLE:
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


_NO_UNICODE = (0, 0xFFFE, 0xFFFF)


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """The page's glyphs as pdfplumber-like chars (top-left origin), generated spaces left out."""
    return page_glyphs(page)[0]


_SPACE = 32
_RECT = struct.Struct("=4f")  # an FS_RECTF: left, top, right, bottom


def page_glyphs(page: pdfium.PdfPage) -> tuple[list[Char], bool]:
    """The page's glyphs as pdfplumber-like chars (top-left origin), generated spaces left out, and
    whether their boxes can be trusted (see boxes_trusted), found in the same pass.

    Calls pdfium's C functions directly (see _bare) with one reused rectangle and matrix: the Python
    wrappers cost more than pdfium's own work on a page of a thousand glyphs. Three calls a glyph:
    pdfium generates only spaces and line breaks, so a glyph that is neither is never asked whether it
    was generated; a glyph's size (font size scaled by its matrix) is its text object's, asked once per
    object (spaces, which pdfium may generate inside an object with another matrix, ask for their own).
    A glyph drawn twice (fake bold) is dropped by _drop_repeats after the loop, at C speed."""
    height = page.get_height()
    textpage = page.get_textpage()
    chars: list[Char] = []
    sizes: dict[int, float] = {}  # text object -> its glyphs' size
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    is_generated, unicode_of, loose_box = _IS_GENERATED, _UNICODE, _LOOSE_BOX
    font_size, text_matrix, text_object = _FONT_SIZE, _TEXT_MATRIX, _TEXT_OBJECT
    append, known, box_of = chars.append, sizes.get, _RECT.unpack_from
    space, unmapped = _SPACE, UNMAPPED
    doubted: list[int] = []  # indexes in `chars` of glyphs boxes_trusted would refuse
    try:
        raw = _handle(textpage.raw)
        for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
            code = unicode_of(raw, i)
            if code <= space and (code == 10 or code == 13 or (code == space and is_generated(raw, i) == 1)):
                continue  # a line break, or a space pdfium generated
            # a glyph without a Unicode mapping is kept as U+FFFD, so the page can go to pdfplumber,
            # which reports it, instead of losing the glyph silently
            if 0 < code < 0xFFFD or code > 0xFFFF:  # not in _NO_UNICODE, nor U+FFFD itself
                text = chr(code)
                mapped = True
            else:
                text = unmapped if code in _NO_UNICODE else chr(code)
                mapped = text != unmapped
            if not loose_box(raw, i, rect_ref):
                raise pdfium.PdfiumError("Failed to get charbox.")
            left, top, right, bottom = box_of(rect)
            owner = text_object(raw, i) if code != space else None
            size = known(owner) if owner else None
            if size is None:
                size = font_size(raw, i)
                if text_matrix(raw, i, matrix_ref):
                    size *= (matrix.c ** 2 + matrix.d ** 2) ** 0.5
                if owner:
                    sizes[owner] = size
            size = size or (top - bottom)
            y0 = height - top
            y1 = height - bottom
            width, tall = right - left, y1 - y0
            if not mapped or not (tall if tall > width else width) <= 2 * size + 1:
                doubted.append(len(chars))  # as boxes_trusted
            append({"text": text, "x0": left, "x1": right, "top": y0, "bottom": y1, "size": size})
    finally:
        textpage.close()
    return _drop_repeats(chars, doubted)


_TEXT, _X0, _TOP = itemgetter("text"), itemgetter("x0"), itemgetter("top")


def _drop_repeats(chars: list[Char], doubted: list[int]) -> tuple[list[Char], bool]:
    """The glyphs less those drawn again where one of the same text already stands (fake bold: the
    same (text, round(x0), round(top)) as an earlier glyph), and whether every glyph kept is trusted
    (no index in `doubted` kept). The keys are built and compared in bulk: most pages repeat none."""
    keys = list(zip(map(_TEXT, chars), map(round, map(_X0, chars)), map(round, map(_TOP, chars)), strict=True))
    if len(set(keys)) == len(keys):
        return chars, not doubted
    seen: set[tuple[str, int, int]] = set()
    kept: list[Char] = []
    refused = set(doubted)
    trusted = True
    for index, (ch, key) in enumerate(zip(chars, keys, strict=True)):
        if key in seen:
            continue
        seen.add(key)
        kept.append(ch)
        if index in refused:
            trusted = False
    return kept, trusted


def boxes_trusted(chars: list[Char]) -> bool:
    """False when some glyph's box is far larger than its font size (pdfium boxes vertical-writing
    glyphs, WPS rotated cell text, by the whole rotated run, which would put them in the wrong cell)
    or a glyph has no Unicode mapping (pdfplumber reads and reports those)."""
    for c in chars:
        if c["text"] == UNMAPPED or not max(c["x1"] - c["x0"], c["bottom"] - c["top"]) <= 2 * c["size"] + 1:
            return False
    return True


def page_info(page: Any) -> tuple[float, float]:
    """Width and height in points."""
    return float(page.get_width()), float(page.get_height())
