"""Make a realistic scanned (image-only) PDF from a text PDF: gray paper, skew, noise, blur, JPEG.

    python3 corpus/make_scan.py IN.pdf OUT.pdf [--dpi 170] [--seed 0] [--pages 1,2]

Each page is rendered with pypdfium2, turned to grayscale on an uneven gray background, rotated by a
small random angle (±0.5° by default), given sensor noise and a slight blur, JPEG-compressed and saved
as one image per page (no text layer), with the page size of the original.
"""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


@dataclass
class ScanStyle:
    """How rough the fake scan is."""

    dpi: int = 170
    max_skew: float = 0.5  # degrees, either way
    noise: float = 9.0  # std of gaussian pixel noise (0-255 scale)
    blur: float = 0.6  # gaussian blur radius in pixels
    paper: int = 228  # background gray level (white paper scanned gray)
    jpeg_quality: int = 60


def _degrade(img: Image.Image, style: ScanStyle, rng: np.random.Generator) -> Image.Image:
    """One clean grayscale render -> one scan-like grayscale image."""
    arr = np.asarray(img.convert("L"), dtype=np.float32) / 255.0
    h, w = arr.shape
    # uneven paper: a soft gradient from top-left to bottom-right, ink a little lighter than black
    shade = style.paper - 12 * np.linspace(0, 1, w)[None, :] - 8 * np.linspace(0, 1, h)[:, None]
    ink = 35.0
    out = ink + (shade - ink) * arr
    page = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    angle = float(rng.uniform(-style.max_skew, style.max_skew))
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=int(style.paper))
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    noisy = np.asarray(page, dtype=np.float32) + rng.normal(0, style.noise, (h, w))
    # a few dark specks, as dust on the glass
    for _ in range(int(rng.integers(20, 60))):
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        noisy[y:y + 2, x:x + 2] = rng.uniform(40, 120)
    page = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def make_scan(data: bytes, style: ScanStyle | None = None, seed: int = 0, pages: list[int] | None = None) -> bytes:
    """Bytes of a text PDF -> bytes of an image-only PDF that looks scanned (pages are 1-based)."""
    style = style or ScanStyle()
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(data)
    numbers = pages or list(range(1, len(pdf) + 1))
    images = []
    for n in numbers:
        page = pdf[n - 1]
        images.append(_degrade(page.render(scale=style.dpi / 72).to_pil(), style, rng))
        page.close()
    pdf.close()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=float(style.dpi), save_all=True, append_images=images[1:])
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--dpi", type=int, default=ScanStyle.dpi)
    parser.add_argument("--skew", type=float, default=ScanStyle.max_skew)
    parser.add_argument("--noise", type=float, default=ScanStyle.noise)
    parser.add_argument("--quality", type=int, default=ScanStyle.jpeg_quality, help="JPEG quality")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pages", default="", help="comma-separated 1-based page numbers (default all)")
    args = parser.parse_args()
    pages = [int(p) for p in args.pages.split(",") if p.strip()] or None
    style = ScanStyle(dpi=args.dpi, max_skew=args.skew, noise=args.noise, jpeg_quality=args.quality)
    args.target.write_bytes(make_scan(args.source.read_bytes(), style, args.seed, pages))


if __name__ == "__main__":
    main()
