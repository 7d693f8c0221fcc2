"""How far the OCR engine's confidence can be trusted: right and wrong template-cell readings by confidence.

    python -m benchmarks.ocr_confidence [--no-shared]

OCRs documents whose cells are known independently of the OCR reading, runs the pipeline, and sorts every
OCR'd cell that holds a reading (a number or a printed dash) by its confidence:

- corpus/variants/ocr-mixed.pdf (table pages as 150 dpi images; truth from the generator);
- the seed (corpus/enhe-2022.pdf) with its table pages 6-7 as 200 dpi images (truth: the same PDF read
  from its text layer);
- both again as rough scans (corpus/make_scan.py: 170 dpi, skew, noise, blur, JPEG);
- real-001 of the shared corpus scanned by corpus/make_scan.py (truth: its verified truth file), unless
  --no-shared or absent.

A cell is right when its value (or blank) is the truth's. Prints, per confidence band, right and wrong
counts, the highest confidence of a wrong reading and the share of right readings below each threshold
considered: extractors/tables/ocr_values.CONFIDENT is chosen from these figures.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.process import process_bytes  # noqa: E402
from schemas.document import CellSource  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
BANDS = (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)
THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)

Truth = dict[tuple[str, str, str], float | None]


def _truth_file(path: Path) -> Truth:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(t, r, c): v for t, rows in data["tables"].items() for r, cols in rows.items() for c, v in cols.items()}


def _with_image_pages(data: bytes, pages: set[int], dpi: int) -> bytes:
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    rendered = pdfium.PdfDocument(data)
    reader, writer = PdfReader(io.BytesIO(data)), PdfWriter()
    for number, page in enumerate(reader.pages, start=1):
        if number in pages:
            image = rendered[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format="PDF", resolution=dpi)
            page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def documents(shared: bool) -> Iterator[tuple[str, bytes, Truth]]:
    """(name, PDF bytes, truth) of each document measured."""
    sys.path.insert(0, str(ROOT / "corpus"))
    from make_scan import make_scan

    variant = ROOT / "corpus" / "variants" / "ocr-mixed.pdf"
    truth = _truth_file(variant.with_suffix("").with_suffix(".truth.json"))
    yield "ocr-mixed", variant.read_bytes(), truth
    yield "ocr-mixed scanned", make_scan(variant.read_bytes(), seed=5), truth
    seed = (ROOT / "corpus" / "enhe-2022.pdf").read_bytes()
    text = process_bytes(seed, "enhe-2022.pdf")
    truth = {(c.table, c.row_key, c.col_key): c.value for c in text.cells}
    yield "enhe pages 6-7 as images", _with_image_pages(seed, {6, 7}, 200), truth
    yield "enhe scanned", make_scan(seed, seed=1), truth
    source = SHARED / "inputs" / "real-001-hongze-2023.pdf"
    if shared and source.exists():
        yield ("real-001 scanned", make_scan(source.read_bytes(), seed=0),
               _truth_file(SHARED / "truth" / "real-001-hongze-2023.json"))


def readings(name: str, data: bytes, truth: Truth) -> list[tuple[float, bool, str]]:
    """(confidence, right, ref) of every OCR'd cell with a reading."""
    result = process_bytes(data, f"{name}.pdf")
    out = []
    for cell in result.cells:
        key = (cell.table, cell.row_key, cell.col_key)
        if cell.read_by != CellSource.OCR or cell.confidence is None or key not in truth:
            continue
        want = truth[key]
        right = (cell.value is None and cell.blank) if want is None else (
            cell.value is not None and math.isclose(float(cell.value), float(want), abs_tol=1e-6))
        out.append((cell.confidence, right, f"{cell.ref} {cell.raw!r}->{cell.value} (truth {want})"))
    print(f"{name}: {result.document.status}; {len(out)} OCR readings, "
          f"{sum(1 for _, r, _ in out if not r)} wrong", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-shared", action="store_true", help="leave out the shared corpus' real report")
    args = parser.parse_args()
    cells = [c for name, data, truth in documents(not args.no_shared) for c in readings(name, data, truth)]
    print(f"\n{'confidence':>12} {'right':>6} {'wrong':>6}")
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        band = [r for c, r, _ in cells if lo <= c < hi]
        print(f"{lo:>5.2f}-{min(hi, 1.0):<5.2f} {sum(band):>6} {len(band) - sum(band):>6}")
    wrong = sorted((c, ref) for c, r, ref in cells if not r)
    print(f"\nwrong readings: {len(wrong)} of {len(cells)}; highest confidence of a wrong one: "
          f"{wrong[-1][0] if wrong else '-'}")
    for c, ref in wrong:
        print(f"  {c:.3f} {ref}")
    right = [c for c, r, _ in cells if r]
    for t in THRESHOLDS:
        below = sum(1 for c in right if c < t)
        missed = sum(1 for c, _ in wrong if c >= t)
        print(f"threshold {t:.2f}: {below} right readings ({below / max(len(right), 1):.1%}) below it, "
              f"{missed} wrong readings at or above it")


if __name__ == "__main__":
    main()
