"""Tell a file's format from its bytes (magic numbers), using the extension only as a tie-breaker."""

from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = {
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
_HTML_EXTENSIONS = {"html", "htm", "shtml", "xhtml"}
_TEXT_EXTENSIONS = {"txt", "text"}
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
              (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<div", b"<p>", b"<meta")


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def detect_format(data: bytes, name: str = "") -> str:
    """Return pdf, docx, doc, wps, html, txt, zip, empty, image:<kind>, ooxml:<other> or binary."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    for magic, kind in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            return f"image:{kind}"
    if data.startswith(OLE_MAGIC):
        # legacy Word and WPS files are both OLE compound files; only the name tells them apart
        return "wps" if _extension(name) in ("wps", "et") else "doc"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    wide = _wide_text(data)
    if wide is None and _looks_binary(head):
        return "binary"
    return _text_kind(data if wide is None else wide, _extension(name))


def _wide_text(data: bytes) -> bytes | None:
    """UTF-16/32 text (with or without a byte-order mark) re-encoded as UTF-8 for sniffing, else None."""
    from extractors.readers.decode import wide_unicode

    head = data[:4096]
    encoding = next((e for bom, e in _WIDE_BOMS if head.startswith(bom)), None) or wide_unicode(head)
    if encoding is None:
        return None
    unit = 4 if "32" in encoding else 2
    return head[: len(head) - len(head) % unit].decode(encoding, errors="replace").encode("utf-8")


def _text_kind(data: bytes, extension: str) -> str:
    """html or txt. The extension decides for .txt and .html files: a text report quoting a few tags
    (a `<meta` in its first lines) stays text, and a page without tags is still read as a page. Other
    names go by the content."""
    lowered = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if extension in _HTML_EXTENSIONS:
        return "html"
    if extension in _TEXT_EXTENSIONS:
        return "html" if lowered.startswith((b"<!doctype html", b"<html")) else "txt"
    if any(marker in lowered[:2048] for marker in _HTML_MARKERS) and b"</" in data[:200_000].lower():
        return "html"
    return "txt"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        # a damaged or truncated Word file still names its parts in the local headers: let the DOCX
        # reader say it is corrupt, rather than calling it unrecognised
        return "docx" if b"word/document.xml" in data[:2**20] else "binary"
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names:
        return "ooxml:other"  # a spreadsheet or presentation, not a Word document
    return "zip"


NUL_SHARE = 0.01  # NUL bytes a damaged text file may hold (they are removed and counted when decoded)
CONTROL_SHARE = 0.05


def _looks_binary(head: bytes) -> bool:
    nul = head.count(0)
    if nul and (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return False  # UTF-16 text has NULs too; tell it by its byte-order mark
    if nul > len(head) * NUL_SHARE:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * CONTROL_SHARE
