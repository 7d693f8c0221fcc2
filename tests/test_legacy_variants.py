"""Legacy variants of corpus/variants (built by corpus/build_legacy_variants.py): whole pre-2019 reports
ending in the old statistics table (t_legacy), each against a truth written from the spec, not from the
reader.

For every variant and every render beside its truth (HTML page, DOCX, PDF, spaced or run-together text) the
whole pipeline (process_bytes) must give template "old", every truth cell (value, or blank with no value),
no t_legacy cell outside the truth, the printed label on every other_<n> row, the printed unit on every
cell, and the truth's status: "partial" only where a run-together row cannot be decided (the error naming
that row and no cell emitted for it) or where spaced text drops an empty cell (read from the left, the error
naming the row as guessed).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from pipeline.process import process_bytes
from schemas.records import CellRecord, DocumentRecord, DocumentResult

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"
TABLE = "t_legacy"
RENDERS = (".html", ".docx", ".pdf", ".txt")
TRUTHS = sorted(VARIANTS.glob("legacy-*.truth.json"))


def _renders(truth: Path) -> list[Path]:
    stem = truth.name.removesuffix(".truth.json")
    return [VARIANTS / f"{stem}{ext}" for ext in RENDERS if (VARIANTS / f"{stem}{ext}").exists()]


PARAMS = [pytest.param(path, id=path.name) for truth in TRUTHS for path in _renders(truth)]


@cache
def _run(path: Path) -> tuple[DocumentResult, dict]:
    """The pipeline's result on one committed render, with its truth."""
    truth = json.loads((VARIANTS / (path.name.removesuffix(path.suffix) + ".truth.json")).read_text("utf-8"))
    return process_bytes(path.read_bytes(), path.name), truth


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def problems(result: DocumentResult, truth: dict) -> tuple[int, int, list[str]]:
    """(cells right, truth cells, problems): each truth cell's value, blank, label and unit; extra cells."""
    got = {(c.row_key, c.col_key): c for c in result.cells if c.table == TABLE}
    blanks = {(row, col) for _, row, col, _ in truth["blank_cells"]}
    rows = truth["tables"][TABLE]
    right, total, out = 0, 0, []
    for row, cols in rows.items():
        for col, want in cols.items():
            total += 1
            ref, cell = f"{TABLE}.{row}.{col}", got.get((row, col))
            if cell is None:
                out.append(f"{ref}: missing (want {want})")
                continue
            blank = (row, col) in blanks
            value_ok = (cell.value is None) if want is None else (
                cell.value is not None and math.isclose(cell.value, want, abs_tol=1e-6))
            if cell.blank != blank or not value_ok:
                out.append(f"{ref}: got {cell.value!r} blank={cell.blank} raw={cell.raw!r} (want {want!r} blank={blank})")
            elif cell.unit != truth["units"][row]:
                out.append(f"{ref}: unit {cell.unit!r} (printed {truth['units'][row]!r})")
            elif row in truth["labels"] and _compact(cell.row_label) != _compact(truth["labels"][row]):
                out.append(f"{ref}: row_label {cell.row_label!r} (printed {truth['labels'][row]!r})")
            else:
                right += 1
    out += [f"{TABLE}.{r}.{c}: extra cell {cell.raw!r}" for (r, c), cell in got.items() if c not in rows.get(r, {})]
    return right, total, out


def test_legacy_variants_present() -> None:
    assert len(TRUTHS) >= 12, TRUTHS
    for truth in TRUTHS:
        assert _renders(truth), f"{truth.name}: no render beside it"
        for path in _renders(truth):
            assert path.stat().st_size < 400_000, path


@pytest.mark.parametrize("path", PARAMS)
def test_legacy_variant(path: Path) -> None:
    result, truth = _run(path)
    doc = result.document
    right, total, wrong = problems(result, truth)
    assert not wrong, f"{right}/{total} right; " + "; ".join(wrong[:12])
    assert doc.template == "old", doc.template
    assert doc.status == truth["status"], (doc.status, doc.error)
    for row in truth.get("ambiguous_rows", []):  # left out, and named
        assert row in (doc.error or ""), (row, doc.error)
    for row in truth.get("guessed_rows", []):  # read, but the choice is said
        assert f"guessed: {TABLE}.{row}" in (doc.error or ""), (row, doc.error)


def _cells_from_truth(truth: dict) -> list[CellRecord]:
    """What a perfect reader would output for a truth: the harness must accept it."""
    blanks = {(row, col): raw for _, row, col, raw in truth["blank_cells"]}
    return [CellRecord("d", TABLE, row, col, value, blanks.get((row, col), str(value)), (row, col) in blanks,
                       truth["labels"].get(row, row), None, unit=truth["units"][row])
            for row, cols in truth["tables"][TABLE].items() for col, value in cols.items()]


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name)
def test_harness_accepts_a_perfect_reading_and_rejects_a_wrong_one(truth_path: Path) -> None:
    """The comparison itself: a reading equal to the truth passes; a changed value, a lost unit and an extra
    cell are each caught (so that failures above come from the reader, not from this file)."""
    truth = json.loads(truth_path.read_text("utf-8"))
    cells = _cells_from_truth(truth)
    result = DocumentResult(DocumentRecord("d", truth_path.name, ""), cells=cells)
    assert problems(result, truth)[2] == []
    first = next(c for c in cells if c.value is not None)
    bad = [replace(first, value=first.value + 1), replace(cells[1], unit=""), *cells[2:],
           replace(first, row_key="other_99")]
    assert len(problems(DocumentResult(result.document, cells=bad), truth)[2]) == 3


SEVERITY = {"info": 0, "warning": 1, "error": 2}


@pytest.mark.parametrize("path", PARAMS)
def test_legacy_variant_flags(path: Path) -> None:
    """Each injected prose fault is flagged at its severity on its row, and nothing else in these consistent
    reports is a warning or an error (a truncated table, a compound 复议、诉讼 count, a part of the issuer:
    none is an inconsistency)."""
    result, truth = _run(path)
    expected = truth.get("expected_flags", [])
    for want in expected:
        hits = [f for f in result.flags if set(want["refs"]) & set(f.refs.split())
                and SEVERITY[f.severity] >= SEVERITY[want["min_severity"]]]
        assert hits, (want, [(f.rule, f.severity, f.message) for f in result.flags])
    serious = [f for f in result.flags if SEVERITY[f.severity] >= SEVERITY["warning"]
               and not any(set(w["refs"]) & set(f.refs.split()) for w in expected)]
    assert not serious, [(f.rule, f.severity, f.message) for f in serious]
