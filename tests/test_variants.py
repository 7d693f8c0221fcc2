"""Layout variants of corpus/variants (built by corpus/build_variants.py): every truth cell, both formats;
text variants (flat-*.txt, corpus/build_flat_variants.py) as text.

Each variant's truth is the generator's input. For every variant and format the whole pipeline
(process_bytes) must give status ok, the expected template, every truth cell (value and blank) and
no cell outside the truth in the variant's tables.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pytest

from pipeline.process import process_bytes
from schemas.records import DocumentResult
from schemas.template import T3_SPEC

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"
# legacy-* are whole pre-2019 reports with their own truth format: tests/test_legacy_variants.py; ocr-* are
# text PDFs with their table pages as images, read through OCR: tests/test_ocr_values.py
NAMES = sorted(p.name.removesuffix(".truth.json") for p in VARIANTS.glob("*.truth.json")
               if not p.name.startswith(("legacy-", "ocr-")))
FORMATS = ("docx", "pdf")


def formats(name: str) -> tuple[str, ...]:
    """A variant's renders: DOCX and PDF, or text alone (corpus/build_flat_variants.py writes .txt), or the
    damaged renders of corpus/build_span_variants.py (an HTML page or a DOCX alone)."""
    if (VARIANTS / f"{name}.txt").exists():
        return ("txt",)
    if name.startswith("span-"):
        return tuple(f for f in ("html", "docx") if (VARIANTS / f"{name}.{f}").exists())
    return FORMATS


# (variant, format) -> why it fails today (the table extractor is still being improved)
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


@cache
def _run(name: str, fmt: str) -> tuple[DocumentResult, dict]:
    """The pipeline's result on one committed render, with the variant's truth."""
    path = VARIANTS / f"{name}.{fmt}"
    if not path.exists():
        pytest.skip(f"{path.name} not rendered")
    truth = json.loads((VARIANTS / f"{name}.truth.json").read_text(encoding="utf-8"))
    return process_bytes(path.read_bytes(), path.name), truth


def compare(result: DocumentResult, truth: dict) -> tuple[int, int, list[str]]:
    """(cells right, truth cells, problems): value and blank of every truth cell, and extra cells."""
    got = {(c.table, c.row_key, c.col_key): c for c in result.cells}
    blanks = set(truth["blank_cells"])
    right, total, problems = 0, 0, []
    for table, rows in truth["tables"].items():
        for row, cols in rows.items():
            for col, want in cols.items():
                total += 1
                ref = f"{table}.{row}.{col}"
                cell = got.get((table, row, col))
                if cell is None:
                    problems.append(f"{ref}: missing (want {want})")
                elif cell.blank != (ref in blanks) or (want is None) != (cell.value is None) or (
                        want is not None and not math.isclose(cell.value, want, abs_tol=1e-6)):
                    problems.append(f"{ref}: got {cell.value!r} blank={cell.blank} raw={cell.raw!r} "
                                    f"(want {want!r} blank={ref in blanks})")
                else:
                    right += 1
    extra = [f"{t}.{r}.{c}: extra cell {got[(t, r, c)].raw!r}" for t, r, c in got
             if t in truth["tables"] and c not in truth["tables"][t].get(r, {})]
    return right, total, problems + extra


def _params() -> list:
    params = []
    for name in NAMES:
        for fmt in formats(name):
            reason = KNOWN_FAILURES.get((name, fmt))
            marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
            params.append(pytest.param(name, fmt, id=f"{name}.{fmt}", marks=marks))
    return params


def test_variants_present() -> None:
    assert len(NAMES) >= 8, NAMES
    for name in NAMES:
        for fmt in formats(name):
            path = VARIANTS / f"{name}.{fmt}"
            assert path.exists() and path.stat().st_size < 400_000, path


@pytest.mark.parametrize(("name", "fmt"), _params())
def test_variant_cells(name: str, fmt: str) -> None:
    result, truth = _run(name, fmt)
    doc = result.document
    # a text cut off inside a table (cut-t3-*) is partial, naming the rows it lacks; every other is ok
    assert doc.status == truth.get("status", "ok"), (doc.status, doc.error)
    for note in truth.get("notes", []):  # what the reading must say: the cells it doubts, a re-read
        assert note in (doc.error if doc.status == "partial" else doc.warnings), (note, doc.error, doc.warnings)
    if doc.status == "partial" and truth.get("cells_moved"):
        return  # a damage the reading cannot prove: partial naming the cells is the outcome held
    if doc.status == "partial" and not truth.get("notes"):
        present = set(truth["tables"]["t3_requests"])
        lacking = next(r.key for r in T3_SPEC.rows if r.key not in present)
        assert f"rows {lacking}" in doc.error and "t4_review_litigation" in doc.error, doc.error
    assert doc.template == truth["template"]
    assert doc.year == truth["year"]
    right, total, problems = compare(result, truth)
    assert not problems, f"{right}/{total} right; " + "; ".join(problems[:12])
