"""PDF reader: glyphs and ruled tables into the document model, page by page in reading order.

pdfium reads the pages it can mirror exactly (glyphs from pdf_fast, drawn rules from pdf_pdfium_tables);
pdfplumber reads the rest (rotated or cropped pages, form XObjects, vertical writing, scans) and is
the reference the fast path is tested against. Tables come from visible rules only (see pdf_tables);
text outside tables is grouped into lines and paragraphs (see pdf_text). Every pdfminer failure is
turned into a ReaderError a person understands.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.utils import PDFDocEncoding

from extractors.errors import ReaderError, is_out_of_memory
from extractors.readers.pdf_fast import (
    image_boxes,
    may_hold_table,
    open_pdfium,
    page_chars,
    page_glyphs,
    page_info,
    page_objects_walked,
    plain_geometry,
)
from extractors.readers.pdf_images import Box, pasted_regions, read_regions
from extractors.readers.pdf_limits import CMapTooLarge, StreamTooLarge, check_streams
from extractors.readers.pdf_limits import install as bound_streams
from extractors.readers.pdf_pdfium_tables import rule_page
from extractors.readers.pdf_tables import find_tables
from extractors.readers.pdf_text import add_page_blocks, group_lines, make_line
from schemas.document import Document, DocumentBuilder, Table
from schemas.records import Status

bound_streams()  # pdfminer inflates no stream beyond MAX_STREAM_BYTES

IMAGE_ONLY = "image-only PDF (scanned, no text layer); OCR needs: pip install 'nianbao[ocr]'"
_META_KEYS = {"Title": "title", "Author": "author", "Subject": "subject", "Creator": "creator",
              "Producer": "producer", "CreationDate": "created", "ModDate": "modified"}
FAST_TABLES = True  # pages with rules read from pdfium too (False: those go to pdfplumber, as before)


def _ocr_pages(data: bytes, source: str) -> Document | None:
    """OCR of scanned PDFs: a Document (pages marked ocr=True), or None where the [ocr] extra is absent."""
    from extractors.readers.ocr import ocr_available, ocr_pdf

    if not ocr_available():
        return None
    return ocr_pdf(data, source)


def _decode_meta(value: Any) -> str:
    """A PDF info string: UTF-16 with either byte-order mark, else PDFDocEncoding."""
    if not isinstance(value, bytes):
        return str(value) if isinstance(value, str | int | float) else ""
    if value.startswith((b"\xfe\xff", b"\xff\xfe")):
        text = value.decode("utf-16", errors="replace")
    elif value.startswith(b"\xef\xbb\xbf"):
        text = value[3:].decode("utf-8", errors="replace")
    else:
        text = "".join(PDFDocEncoding[b] for b in value)
    return text.replace("\x00", "").strip()


def _metadata(pdf: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for info in getattr(pdf.doc, "info", None) or []:
        for key, name in _META_KEYS.items():
            raw = info.get(key)
            if hasattr(raw, "resolve"):
                raw = raw.resolve()
            text = _decode_meta(raw)
            if text and name not in meta:
                meta[name] = text
    return meta


def _unwrap(exc: BaseException) -> BaseException:
    """The pdfminer exception inside pdfplumber's wrapper."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def _reader_error(exc: BaseException, data: bytes) -> ReaderError:
    inner = _unwrap(exc)
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
        return ReaderError("encrypted PDF (password required)")
    reason = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    if b"%%EOF" not in data[-2048:]:
        reason = f"file ends early, no %%EOF marker ({reason})"
    return ReaderError(f"corrupt or truncated PDF: {reason[:160]}")


def _outside(chars: list[dict[str, Any]], tables: list[Table]) -> list[dict[str, Any]]:
    """The glyphs whose centre lies in no table's box (all of them on a page without tables)."""
    boxes = [t.bbox for t in tables if t.bbox]
    if not boxes:
        return chars
    free = []
    for ch in chars:
        x = (ch["x0"] + ch["x1"]) / 2
        y = (ch["top"] + ch["bottom"]) / 2
        for b in boxes:
            if b[0] <= x <= b[2] and b[1] <= y <= b[3]:
                break
        else:
            free.append(ch)
    return free


def _add_blocks(builder: DocumentBuilder, chars: list[dict[str, Any]], tables: list[Table],
                height: float, pasted: tuple[int, list[Box], bytes] | None = None) -> None:
    """Add a page's tables and the paragraphs of its text outside them, top to bottom; `pasted` (page
    number, image regions, the PDF) adds what OCR reads in tables pasted in as pictures."""
    lines = [make_line(ln) for ln in group_lines(_outside(chars, tables))]
    if pasted is not None and pasted[1]:
        more_lines, more_tables = read_regions(builder, *pasted)
        lines, tables = sorted(lines + more_lines, key=lambda ln: ln.top), tables + more_tables
    add_page_blocks(builder, lines, tables, height)


def _has_text(chars: list[dict[str, Any]]) -> bool:
    return any(c["text"].strip() for c in chars)


FastPage = tuple[float, float, list[dict[str, Any]], list[Table], list[Box]]  # width, height, glyphs,
# tables, image boxes


def _fast_page(fast: Any, index: int, number: int) -> FastPage | None:
    """Size, glyphs and ruled tables of a page pdfium can read alone (plain geometry, text found), else None.

    Pages that draw rules get their tables from the same finder as pdfplumber pages, on pdfium's paths
    (see pdf_pdfium_tables); where those cannot be mirrored exactly, pdfplumber reads the page."""
    try:
        page = fast[index]
    except Exception:  # pdfium could not load this page: pdfplumber will say why
        return None
    try:
        if not plain_geometry(page):
            return None
        chars, trusted = page_glyphs(page)
        if not trusted or not _has_text(chars):
            return None
        width, height = page_info(page)
        objects = page_objects_walked(page)  # one walk: pictures and the rule test share it
        images = image_boxes(page, objects)
        if not may_hold_table(page, objects):
            return width, height, chars, [], images
        ruled = rule_page(page, chars, objects) if FAST_TABLES else None
        if ruled is None:
            return None
        return width, height, chars, find_tables(ruled, number), images
    except Exception:  # never let the fast path cost a page
        return None
    finally:
        page.close()


def _read_page(pdf: Any, fast: Any, index: int, builder: DocumentBuilder, data: bytes = b"") -> bool:
    """Add page `index` (0-based); pdfium reads the pages it can, pdfplumber the rest. True if it had text.

    A scanned page inside a text PDF (a table pasted in as a picture, a signed page) is OCR'd when the
    [ocr] extra is installed."""
    number = index + 1
    quick = _fast_page(fast, index, number) if fast is not None else None
    if quick is not None:
        width, height, chars, tables, images = quick
        builder.page(number, width, height)
        _add_blocks(builder, chars, tables, height, (number, pasted_regions(images, chars, width, height), data))
        return True
    page = pdf.pages[index].dedupe_chars()
    height = float(page.height)
    builder.page(number, float(page.width), height)
    chars = page.chars
    if not _has_text(chars):
        return bool(data) and _ocr_scanned_page(page, data, number, builder)
    if any(c["text"].startswith("(cid:") for c in chars):
        builder.doc.warnings.append(f"page {number}: glyphs without Unicode mapping, text partly unreadable")
    images = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images]
    regions = pasted_regions(images, chars, float(page.width), height)
    _add_blocks(builder, chars, find_tables(page, number), height, (number, regions, data))
    return True


def _ocr_scanned_page(page: Any, data: bytes, number: int, builder: DocumentBuilder) -> bool:
    """Replace an empty page by its OCR reading when the page is a full-page image; True if it did."""
    from extractors.readers.ocr import is_scanned_page, ocr_available

    boxes = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images]
    if not boxes or not is_scanned_page(0, boxes, float(page.width), float(page.height)) or not ocr_available():
        return False
    from extractors.readers.ocr import ocr_into

    builder.doc.pages.pop()  # the empty page just opened for it
    ocr_into(builder, data, number)
    return True


def _read_with_pdfium(data: bytes, source: str, exc: BaseException) -> Document | None:
    """The text of a PDF pdfminer rejects but pdfium opens (a shifted xref table, a NaN MediaBox), read
    with pypdfium2 alone; None when pdfium cannot open it either or finds no text. Says so in warnings."""
    pdf = open_pdfium(data)
    if pdf is None:
        return None
    builder = DocumentBuilder(source, "pdf")
    try:
        for index in range(len(pdf)):
            number = index + 1
            quick = _fast_page(pdf, index, number)
            if quick is not None:
                width, height, chars, tables, _ = quick
            else:
                page = pdf[index]
                try:
                    chars = page_chars(page)
                    width, height = page_info(page)
                finally:
                    page.close()
                tables = []
            if not all(map(math.isfinite, (width, height))):
                width, height = 595.0, 842.0  # a NaN MediaBox: A4, so the layout code has numbers
            builder.page(number, width, height)
            _add_blocks(builder, chars, tables, height)
    except Exception:  # noqa: BLE001 - pdfium failed too: the pdfminer error is the one to report
        return None
    finally:
        pdf.close()
    doc = builder.build()
    if not doc.text.strip():
        return None
    reason = (str(_unwrap(exc)).strip().splitlines() or [type(_unwrap(exc)).__name__])[0][:120]
    doc.warnings.append(f"read with pypdfium2 alone: pdfminer could not parse the file ({reason})")
    return doc


class PagesLost(Exception):
    """pdfminer opened the file but sees fewer pages than pdfium: read with pdfium alone (see read_pdf)."""


def read_pdf(data: bytes, source: str, *, fast: bool = True) -> Document:
    """Read a PDF's pages into the document model; raises ReaderError for encrypted/corrupt/scanned files.

    `fast=False` reads every page with pdfplumber (the reference the fast path is tested against).
    """
    try:
        check_streams(data)  # before pdfium or pdfminer inflate a bomb
    except StreamTooLarge as exc:
        raise ReaderError(str(exc)) from exc
    builder = DocumentBuilder(source, "pdf")
    pdfium_doc = None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            builder.doc.metadata.update(_metadata(pdf))
            count = len(pdf.pages)
            pdfium_doc = open_pdfium(data) if fast else None
            if pdfium_doc is not None and len(pdfium_doc) > count:
                # pdfminer lost pages pdfium finds (a broken xref or page tree): pdfium is the second opinion
                raise PagesLost(f"pdfminer reads {count} of the {len(pdfium_doc)} pages pdfium finds")
            if not count:
                raise ReaderError("PDF has no pages")
            if pdfium_doc is not None and len(pdfium_doc) != count:
                pdfium_doc.close()
                pdfium_doc = None
            glyphs = [_read_page(pdf, pdfium_doc, i, builder, data) for i in range(count)]
    except (ReaderError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken input
        if is_out_of_memory(exc):
            raise MemoryError(str(exc)) from exc
        if isinstance(_unwrap(exc), StreamTooLarge | CMapTooLarge):
            raise ReaderError(str(_unwrap(exc))) from exc
        recovered = _read_with_pdfium(data, source, exc) if fast else None
        if recovered is None:
            raise _reader_error(exc, data) from exc
        return recovered
    finally:
        if pdfium_doc is not None:
            pdfium_doc.close()
    doc = builder.build()
    if not any(glyphs):
        ocr = _ocr_pages(data, source)
        if ocr is None:
            raise ReaderError(IMAGE_ONLY, status=Status.PARTIAL)
        return ocr
    doc.warnings.extend(f"page {n}: no text layer (scanned page?)" for n, g in enumerate(glyphs, 1) if not g)
    scanned = [page for page in doc.pages if page.ocr]
    if scanned:  # pages OCR'd one by one say so as a whole scan does: their numbers came from OCR
        doc.warnings.append(f"text from OCR on {len(scanned)} page(s): " + ", ".join(
            f"{p.number} ({len(p.ocr_regions)} image(s) on a text page)" if p.ocr_regions else str(p.number)
            for p in scanned))
    return doc
