"""Legacy .doc reports go through LibreOffice and come out like the DOCX they were made from."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from extractors.errors import ReaderError
from extractors.readers.detect import detect_format
from extractors.readers.doc import read_legacy, soffice_path
from pipeline.process import process_bytes
from tests.conftest import CORPUS

needs_libreoffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory) -> Path:
    """The seed DOCX saved as a Word 97 .doc by LibreOffice."""
    folder = tmp_path_factory.mktemp("doc")
    subprocess.run([soffice_path(), f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(CORPUS / "enhe-2022.docx")],
                   check=True, capture_output=True, timeout=180)
    return folder / "enhe-2022.doc"


@needs_libreoffice
def test_doc_is_detected_by_content(seed_doc):
    assert detect_format(seed_doc.read_bytes(), "report.bin") == "doc"


@needs_libreoffice
def test_doc_from_the_seed_comes_out_like_the_docx(seed_doc):
    from_doc = process_bytes(seed_doc.read_bytes(), "enhe-2022.doc")
    from_docx = process_bytes((CORPUS / "enhe-2022.docx").read_bytes(), "enhe-2022.docx")
    assert from_doc.document.status == "ok", from_doc.document.error
    assert from_doc.document.format == "doc"
    cells = lambda r: sorted((c.table, c.row_key, c.col_key, c.value) for c in r.cells)  # noqa: E731
    assert cells(from_doc) == cells(from_docx)
    # 表二 行政处罚 as printed in the seed
    assert ("t2_active", "penalty", "decisions", 6) in cells(from_doc)
    figures = lambda r: sorted((f.value, f.unit) for f in r.figures)  # noqa: E731
    assert figures(from_doc) == figures(from_docx)


@needs_libreoffice
def test_corrupt_doc_is_a_clear_error():
    with pytest.raises(ReaderError, match="LibreOffice could not convert"):
        read_legacy(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "broken.doc")


def test_missing_libreoffice_names_the_install(monkeypatch):
    import extractors.readers.doc as legacy

    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    with pytest.raises(ReaderError, match="apt-get install libreoffice"):
        legacy.read_legacy(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc")
