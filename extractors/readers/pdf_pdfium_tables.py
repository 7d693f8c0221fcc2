"""Table pages from pypdfium2: drawn rules as pdfplumber would see them, fed to the same table finder.

pdfminer (under pdfplumber) costs about 0.1 s a page. pdfium reads a page's glyphs and path objects in a
few ms; here its paths become the line, rect and curve objects pdfminer would make of them (the same
rules for telling a line, a rectangle and a curve apart), and `RulePage` offers pdf_tables.find_tables
what it uses of a pdfplumber page: chars, rects, edges, filter() and find_tables().

Anything this cannot mirror exactly (form XObjects, odd path shapes) makes `rule_page` return None, and
the page goes to pdfplumber.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

from extractors.readers.pdf_cells import find_tables as find_cell_tables
from extractors.readers.pdf_fast import Objects, page_objects_raw
from extractors.readers.pdf_text import Char

Obj = dict[str, Any]
Point = tuple[float, float]


class RulePage:
    """The part of a pdfplumber page that pdf_tables.find_tables reads, built from pdfium objects."""

    def __init__(self, width: float, height: float, chars: list[Char], objects: list[Obj]) -> None:
        self.width = width
        self.height = height
        self.bbox = (0.0, 0.0, width, height)
        self.chars = chars
        self.objects = objects
        self._edges: list[Obj] | None = None

    @property
    def rects(self) -> list[Obj]:
        return [o for o in self.objects if o["object_type"] == "rect"]

    @property
    def edges(self) -> list[Obj]:
        """As pdfplumber: line edges, then rect edges, then curve edges."""
        if self._edges is None:
            kinds: dict[str, list[Obj]] = {"line": [], "rect": [], "curve": []}
            for o in self.objects:
                kinds[o["object_type"]].append(o)
            self._edges = ([line_to_edge(o) for o in kinds["line"]]
                           + [e for o in kinds["rect"] for e in rect_to_edges(o)]
                           + [e for o in kinds["curve"] for e in curve_to_edges(o)])
        return self._edges

    def filter(self, test: Callable[[Obj], bool]) -> RulePage:
        return RulePage(self.width, self.height, self.chars, [o for o in self.objects if test(o)])

    def find_tables(self, settings: dict[str, Any] | None = None) -> list[Any]:
        return find_cell_tables(self, settings)


def _box(kind: str, x0: float, top: float, x1: float, bottom: float, height: float, **extra: Any) -> Obj:
    obj = {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
           "y0": height - bottom, "y1": height - top, "width": x1 - x0, "height": bottom - top}
    obj.update(extra)
    return obj


def _subpaths(raw: Any, matrix: tuple[float, ...]) -> list[list[tuple[str, Point]]] | None:
    """The path's subpaths as pdfminer sees them: (operator, end point in page space) per segment.

    pdfium stores `h` as a line back to the start flagged closed (or the flag alone when already there);
    pdfminer keeps `h` and drops a redundant line to the start before it, so both end the same way.
    """
    a, b, c, d, e, f = matrix
    x = ctypes.c_float()
    y = ctypes.c_float()
    out: list[list[tuple[str, Point]]] = []
    pending_bezier = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            return None
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        px, py = float(x.value), float(y.value)
        point = (a * px + c * py + e, b * px + d * py + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if pending_bezier:
                return None
            out.append([("m", point)])
            continue
        if not out:
            return None
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            pending_bezier += 1
            if pending_bezier < 3:
                continue
            pending_bezier = 0
            out[-1].append(("c", point))
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and not pending_bezier:
            out[-1].append(("l", point))
        else:
            return None
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            sub = out[-1]
            if sub[-1][0] == "l" and sub[-1][1] == sub[0][1]:
                sub[-1] = ("h", sub[0][1])
            else:
                sub.append(("h", sub[0][1]))
    return None if pending_bezier else out


def _paint(sub: list[tuple[str, Point]], stroke: bool, height: float) -> Obj:
    """pdfminer's paint_path for one subpath: an LTLine, LTRect or LTCurve, as pdfplumber's dict."""
    shape = "".join(op for op, _ in sub)
    pts = [p for _, p in sub]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in {"mlh", "ml"}:
        (x0, y0), (x1, y1) = pts[0], pts[1]
        return _box("line", min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1), height,
                    stroke=stroke)
    if shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return _box("rect", min(x0, x2), height - max(y0, y2), max(x0, x2), height - min(y0, y2), height,
                        stroke=stroke)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return _box("curve", min(xs), height - max(ys), max(xs), height - min(ys), height, stroke=stroke,
                pts=[(px, height - py) for px, py in pts])


def page_objects(page: pdfium.PdfPage, height: float, walked: Objects | None = None) -> list[Obj] | None:
    """The page's painted paths as pdfplumber line/rect/curve dicts, or None where not mirrored exactly.
    `walked`: the page's top-level objects from pdf_fast.page_objects_walked (no second walk)."""
    objects: list[Obj] = []
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    try:
        found = walked if walked is not None else list(page_objects_raw(page))
    except pdfium.PdfiumError:
        return None
    for kind, raw in found:
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None  # nested coordinate spaces: leave to pdfminer
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fill), ctypes.byref(stroke)):
            return None
        if not pdfium_c.FPDFPageObj_GetMatrix(raw, ctypes.byref(matrix)):
            return None
        m = (float(matrix.a), float(matrix.b), float(matrix.c), float(matrix.d), float(matrix.e),
             float(matrix.f))
        subpaths = _subpaths(raw, m)
        if subpaths is None:
            return None
        for sub in subpaths:
            if len(sub) > 1:  # pdfminer paints nothing for a lone move
                objects.append(_paint(sub, bool(stroke.value), height))
    return objects


def rule_page(page: pdfium.PdfPage, chars: list[Char], walked: Objects | None = None) -> RulePage | None:
    """A RulePage for a pdfium page (unrotated, uncropped: see pdf_fast.plain_geometry), or None.
    `walked`: the page's top-level objects from pdf_fast.page_objects_walked, if walked already."""
    width, height = float(page.get_width()), float(page.get_height())
    objects = page_objects(page, height, walked)
    if objects is None:
        return None
    return RulePage(width, height, chars, objects)
