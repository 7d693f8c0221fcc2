"""Mixed text-and-image PDFs: a layout variant (build_variants.py) whose table pages are replaced by
images of themselves, as reports that paste their tables in as pictures are published.

Re-runnable: `python3 corpus/build_ocr_variants.py [NAME...]` from the repo root writes
corpus/variants/<name>.pdf and <name>.truth.json (the DOCX it renders through LibreOffice is not kept:
the variant is the PDF). The truth is the generator's input, with the pages that became images.
Needs LibreOffice, pypdfium2, pdfplumber, Pillow and pypdf.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_corpus import to_pdf  # noqa: E402
from build_variants import OUT, Variant, build_docx, truth_of  # noqa: E402


@dataclass(frozen=True)
class ImagePages:
    """How the table pages are pasted in: resolution, a slight blur, JPEG quality."""

    dpi: int = 150
    blur: float = 0.4
    jpeg_quality: int = 80


@dataclass(frozen=True)
class OcrVariant:
    """A layout variant and how its table pages become images."""

    variant: Variant
    images: ImagePages = ImagePages()


OCR_VARIANTS = (
    OcrVariant(Variant("ocr-mixed", 125, "示范县审计局", 2022, zero_forms=("0", "—", "", "0", "-"),
                       note="text PDF whose table pages are images (150 dpi, JPEG): zeros as 0, —, - and "
                            "empty cells in tables 3 and 4")),
)


def table_pages(pdf_bytes: bytes) -> list[int]:
    """1-based numbers of the pages holding a ruled table."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [n for n, page in enumerate(pdf.pages, start=1) if page.find_tables()]


def _page_image(page: pdfium.PdfPage, style: ImagePages) -> bytes:
    """One page as a one-image PDF page of the same size (grayscale JPEG)."""
    image = page.render(scale=style.dpi / 72, grayscale=True).to_pil().convert("L")
    if style.blur:
        image = image.filter(ImageFilter.GaussianBlur(style.blur))
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=style.jpeg_quality)
    out = io.BytesIO()
    Image.open(jpeg).save(out, "PDF", resolution=float(style.dpi))
    return out.getvalue()


def with_image_pages(pdf_bytes: bytes, pages: list[int], style: ImagePages) -> bytes:
    """The PDF with the given pages (1-based) replaced by images of themselves, the other pages kept."""
    from pypdf import PdfReader, PdfWriter  # a test dependency, needed only here

    rendered = pdfium.PdfDocument(pdf_bytes)
    reader, writer = PdfReader(io.BytesIO(pdf_bytes)), PdfWriter()
    for number, page in enumerate(reader.pages, start=1):
        if number in pages:
            page = PdfReader(io.BytesIO(_page_image(rendered[number - 1], style))).pages[0]
        writer.add_page(page)
    rendered.close()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(ov: OcrVariant) -> None:
    """Write <name>.pdf (table pages as images) and <name>.truth.json."""
    v = ov.variant
    data, tables, blanks = build_docx(v)
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp, f"{v.name}.docx")
        docx_path.write_bytes(data)
        to_pdf(docx_path, Path(tmp, f"{v.name}.pdf"))
        text_pdf = Path(tmp, f"{v.name}.pdf").read_bytes()
    pages = table_pages(text_pdf)
    OUT.mkdir(exist_ok=True)
    (OUT / f"{v.name}.pdf").write_bytes(with_image_pages(text_pdf, pages, ov.images))
    truth = truth_of(v, tables, blanks) | {"image_pages": pages, "image_dpi": ov.images.dpi}
    (OUT / f"{v.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
    print(f"wrote corpus/variants/{v.name}.* (pages {', '.join(map(str, pages))} as images)")


def main(argv: list[str]) -> None:
    names = [a for a in argv if not a.startswith("-")]
    for ov in OCR_VARIANTS:
        if not names or ov.variant.name in names:
            build(ov)


if __name__ == "__main__":
    main(sys.argv[1:])
