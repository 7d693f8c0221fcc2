"""Choose the reader for a file's detected format and run it: bytes in, document model out."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

import regex as re

from extractors.errors import ReaderError, is_out_of_memory
from schemas.document import Document, Table

Reader = Callable[[bytes, str], Document]

# format -> "module:function"; modules are imported on first use so a worker pays only for what it reads
READERS: dict[str, str] = {
    "pdf": "extractors.readers.pdf:read_pdf",
    "docx": "extractors.readers.docx:read_docx",
    "html": "extractors.readers.html:read_html",
    "txt": "extractors.readers.txt:read_txt",
    "doc": "extractors.readers.doc:read_legacy",
    "wps": "extractors.readers.doc:read_legacy",
    "rtf": "extractors.readers.doc:read_legacy",
}

UNSUPPORTED = {
    "empty": "empty file",
    "binary": "not a document nianbao can read (unrecognised binary content)",
    "zip": "zip archive given where a document was expected",
    "ooxml:other": "an Office file that is not a Word document (spreadsheet or presentation?)",
}


def reader_for(fmt: str) -> Reader:
    if fmt.startswith("image:"):
        raise ReaderError(f"an image ({fmt.split(':', 1)[1]}), not a document; scan reports as PDF")
    if fmt in UNSUPPORTED:
        raise ReaderError(UNSUPPORTED[fmt])
    target = READERS.get(fmt)
    if target is None:
        raise ReaderError(f"unsupported format {fmt!r}")
    module, func = target.split(":")
    try:
        return getattr(import_module(module), func)
    except (ImportError, AttributeError) as exc:  # a reader not built yet, or an optional extra missing
        if is_out_of_memory(exc):
            raise MemoryError(str(exc)) from exc
        raise ReaderError(f"no reader for {fmt} files in this installation ({exc})") from exc


_WORD_EXTENSIONS = (".docx", ".docm", ".dotx", ".doc", ".wps")


def read_document(data: bytes, source: str, fmt: str) -> Document:
    """Read bytes of a known format into the document model; raises ReaderError with a clear reason."""
    if fmt in ("zip", "ooxml:other") and source.lower().endswith(_WORD_EXTENSIONS):
        what = "a zip archive" if fmt == "zip" else "another Office file (spreadsheet or presentation?)"
        raise ReaderError(f"not a Word document: {what} without word/document.xml")
    return sanitize(reader_for(fmt)(data, source))


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def sanitize(doc: Document) -> Document:
    """Lone surrogates (a PDF's ToUnicode map can yield them) and NUL or control characters left by any
    reader, each replaced one for one (offsets into the text stay right) before any library (OpenCC,
    the writers' encoders) sees them; counted in a warning."""
    count = 0

    def fix(text: str) -> str:
        nonlocal count
        fixed, n = _UNPRINTABLE.subn(_replacement, text)
        count += n
        return fixed

    if not _UNPRINTABLE.search(doc.text) and not any(
            _UNPRINTABLE.search(c.text) for t in doc.tables for c in t.cells):
        return doc
    for page in doc.pages:
        for block in page.blocks:
            if isinstance(block, Table):
                for cell in block.cells:
                    cell.text = fix(cell.text)
            else:
                block.text = fix(block.text)
    counted, count = count, 0
    doc.text = fix(doc.text)
    doc.metadata = {k: fix(v) for k, v in doc.metadata.items()}
    doc.warnings.append(f"{counted} lone surrogate or control character(s) replaced in the text")
    return doc


def _replacement(m: re.Match) -> str:
    """U+FFFD for a lone surrogate, a space for a control character."""
    return "\ufffd" if "\ud800" <= m.group() <= "\udfff" else " "
