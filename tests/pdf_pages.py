"""The project's PDFs (and the shared real reports where present), page by page as pdfium reads them:
the pages tests compare the PDF reader's table finding on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractors.readers.pdf_fast import open_pdfium, plain_geometry
from tests.conftest import CORPUS, SHARED_INPUTS

PDFS = sorted(CORPUS.glob("*.pdf")) + sorted((CORPUS / "variants").glob("*.pdf"))
if SHARED_INPUTS.is_dir():
    PDFS += sorted(SHARED_INPUTS.glob("*.pdf"))


def plain_pages(paths: list[Path] = PDFS) -> Iterator[tuple[Path, int, Any]]:
    """(file, page number, pypdfium2 page) for every page pdfium reads plain (unrotated, uncropped:
    pdf_fast.plain_geometry), each page closed after its turn."""
    for path in paths:
        doc = open_pdfium(path.read_bytes())
        assert doc is not None, path
        try:
            for index in range(len(doc)):
                page = doc[index]
                try:
                    if plain_geometry(page):
                        yield path, index + 1, page
                finally:
                    page.close()
        finally:
            doc.close()
