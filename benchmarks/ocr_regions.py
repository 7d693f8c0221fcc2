"""What finding and reading pasted table pictures costs: the image walk on every PDF page, and OCR of
the picture regions against OCR of their whole pages.

    python -m benchmarks.ocr_regions [--rounds N]

1. The fast path's page work before pictures were looked for (pdf_fast.page_chars, may_hold_table
   walking the page's objects) against the same with the picture search (one shared walk:
   page_objects_walked, may_hold_table and image_boxes on it, pdf_images.pasted_regions), on the PDFs
   of corpus/ and the shared corpus: process CPU time, the two alternating page by page, median of N
   rounds, and their ratio within one run.
2. corpus/variants/ocr-pasted.pdf: OCR of each picture page's regions (ocr.ocr_regions) against OCR of
   the same whole page (ocr.read_page_image on the page rendered at the same resolution), CPU time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from extractors.readers.pdf_fast import (  # noqa: E402
    image_boxes,
    may_hold_table,
    page_chars,
    page_info,
    page_objects_walked,
)
from extractors.readers.pdf_images import pasted_regions  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus" / "inputs"
PASTED = ROOT / "corpus" / "variants" / "ocr-pasted.pdf"


def _pdfs() -> list[Path]:
    found = sorted(ROOT.glob("corpus/**/*.pdf")) + (sorted(SHARED.glob("*.pdf")) if SHARED.exists() else [])
    return [p for p in found if p != PASTED and "ocr-" not in p.name]


def walk_cost(pdfs: list[Path], rounds: int) -> None:
    """CPU seconds of the page reading and of the image walk over all pages, median of `rounds`."""
    docs = [pdfium.PdfDocument(str(p)) for p in pdfs]
    base, walk, pages, found = [], [], 0, 0
    for _ in range(rounds):
        b = w = 0.0
        pages = found = 0
        for pdf in docs:
            for i in range(len(pdf)):
                page = pdf[i]
                t0 = time.process_time()
                chars = page_chars(page)
                may_hold_table(page)
                width, height = page_info(page)
                t1 = time.process_time()
                chars = page_chars(page)
                objects = page_objects_walked(page)
                may_hold_table(page, objects)
                width, height = page_info(page)
                found += len(pasted_regions(image_boxes(page, objects), chars, width, height))
                t2 = time.process_time()
                page.close()
                b, w, pages = b + t1 - t0, w + t2 - t1, pages + 1
        base.append(b)
        walk.append(w)
    for pdf in docs:
        pdf.close()
    print(f"{len(pdfs)} PDFs without pasted pictures, {pages} pages, {rounds} rounds (CPU, medians):")
    print(f"  glyphs + rule test            {median(base) * 1000:8.1f} ms  ({median(base) / pages * 1000:.3f} ms a page)")
    print(f"  ... and the picture search    {median(walk) * 1000:8.1f} ms  ({median(walk) / pages * 1000:.3f} ms a page)")
    print(f"  ratio                         {median(walk) / median(base):8.3f}   regions found: {found}")


def region_cost() -> None:
    """OCR CPU time of each picture page's regions against its whole page, at the same resolution."""
    import numpy as np

    from extractors.readers.ocr import DPI, ocr_regions, read_page_image

    data = PASTED.read_bytes()
    pdf = pdfium.PdfDocument(data)
    read_page_image(np.full((200, 200), 255, dtype=np.uint8), DPI)  # load the engine outside the timings
    print(f"{PASTED.name}: OCR CPU seconds, regions vs whole page at {DPI} dpi")
    for i in range(len(pdf)):
        page = pdf[i]
        chars = page_chars(page)
        width, height = page_info(page)
        regions = pasted_regions(image_boxes(page), chars, width, height)
        if not regions:
            page.close()
            continue
        t0 = time.process_time()
        _, tables = ocr_regions(data, i + 1, regions)
        t1 = time.process_time()
        gray = np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
        whole = read_page_image(gray, DPI)
        t2 = time.process_time()
        page.close()
        share = sum((r[2] - r[0]) * (r[3] - r[1]) for r in regions) / (width * height)
        print(f"  page {i + 1}: {len(regions)} region(s), {share:.0%} of the page: {t1 - t0:6.2f} s "
              f"({len(tables)} tables) vs whole page {t2 - t1:6.2f} s ({len(whole.grids)} grids): "
              f"ratio {(t1 - t0) / (t2 - t1):.2f}")
    pdf.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    walk_cost(_pdfs(), args.rounds)
    if PASTED.exists():
        region_cost()


if __name__ == "__main__":
    main()
