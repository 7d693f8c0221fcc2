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
    if _looks_binary(head):
        return "binary"
    lowered = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in lowered[:2048] for marker in _HTML_MARKERS) and b"</" in data[:200_000].lower():
        return "html"
    return "txt"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return "binary"
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names:
        return "ooxml:other"  # a spreadsheet or presentation, not a Word document
    return "zip"


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        # UTF-16 text has NULs too; tell it by its byte-order mark
        return not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"))
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05
