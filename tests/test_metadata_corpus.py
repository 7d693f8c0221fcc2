"""Title, issuer, year and level on rendered documents: the metadata layouts, every table-layout variant
(DOCX and PDF), and the dev corpus truth."""

from __future__ import annotations

import json

import pytest

from extractors.metadata import admin_level, extract_metadata
from extractors.readers import read_document
from extractors.readers.detect import detect_format
from pipeline.regions import find_region
from tests.conftest import CORPUS, SHARED_TRUTH


def _metadata(path):
    data = path.read_bytes()
    return extract_metadata(read_document(data, str(path), detect_format(data, str(path))))


def _rendered(folder: str) -> list:
    return sorted(p for p in (CORPUS / folder).glob("*.*") if p.suffix in (".pdf", ".docx"))


LAYOUTS = [p for p in _rendered("metadata")
           if p.suffix == ".pdf" or not json.loads(p.with_suffix(".truth.json").read_text("utf-8"))["pdf_only"]]


@pytest.mark.parametrize("path", LAYOUTS, ids=[p.name for p in LAYOUTS])
def test_metadata_layouts(path):
    """Title block over two or three lines, the opening sentence only, a signature only, a running header,
    the year first, a 街道办事处: as python-docx writes them and as LibreOffice prints them."""
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    meta = _metadata(path)
    level = admin_level(meta.issuer, find_region(meta.issuer, meta.title).rank)
    assert (meta.title, meta.issuer, meta.year, level) == (
        truth["title"], truth["issuer"], truth["year"], truth["admin_level"])


VARIANTS = _rendered("variants")


@pytest.mark.parametrize("path", VARIANTS, ids=[p.name for p in VARIANTS])
def test_variant_metadata(path):
    """Every layout variant, as DOCX and as PDF (where the title breaks over lines and the preamble
    sentence names the report again), gives the truth's title, issuer and year."""
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    meta = _metadata(path)
    assert (meta.title, meta.issuer, meta.year) == (truth["title"], truth["issuer"], truth["year"])


def test_real_reports_metadata(shared_inputs):
    """The dev corpus truth: title, issuer, year and level of all 10 files (levels with the table's rank)."""
    wrong = []
    for path in sorted(shared_inputs.iterdir()):
        truth = json.loads((SHARED_TRUTH / f"{path.stem}.json").read_text(encoding="utf-8"))
        meta = _metadata(path)
        level = admin_level(meta.issuer, find_region(meta.issuer, meta.title).rank)
        got = (meta.title, meta.issuer, meta.year, level)
        want = (truth["title"], truth["issuer"], truth["year"], truth["admin_level"])
        if got != want:
            wrong.append((path.name, got, want))
    assert not wrong
