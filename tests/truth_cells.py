"""The cells an output folder's table_cells.csv holds, compared with a variant's truth file: every truth
cell read with its value (a blank where the truth lists a blank), and no cell the truth does not have."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def cells_against_truth(out: Path, truth: dict) -> list[str]:
    """What is wrong with OUT/table_cells.csv against TRUTH (one line per cell; none: every cell exact)."""
    cells = {(r["table"], r["row_key"], r["col_key"]): r for r in csv_rows(out / "table_cells.csv")}
    blanks = set(truth["blank_cells"])
    wrong = []
    for table, rows in truth["tables"].items():
        for row, cols in rows.items():
            for col, want in cols.items():
                got = cells.pop((table, row, col), None)
                ref = f"{table}.{row}.{col}"
                if got is None:
                    wrong.append(f"{ref}: missing")
                elif ref in blanks:
                    if got["blank"] != "true" or got["value"]:
                        wrong.append(f"{ref}: {got['value']!r} where the source prints nothing or a dash")
                elif got["blank"] == "true" or not math.isclose(float(got["value"]), want):
                    wrong.append(f"{ref}: {got['value']!r} ({got['raw']!r}) for {want}")
    return wrong + [f"{'.'.join(key)}: not in the truth" for key in cells]


def run_ocr_variant(path: Path, out: Path) -> Path:
    """An OCR variant through the whole pipeline into OUT (skipped without the OCR engine or the built file)."""
    pytest.importorskip("rapidocr_onnxruntime")
    if not path.exists():
        pytest.skip(f"{path.name} not built (corpus/build_ocr_variants.py)")
    from pipeline.run import RunOptions, run_batch

    run_batch([str(path)], out, RunOptions(jobs=0, progress=False))
    return out
