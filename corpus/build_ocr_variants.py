"""Mixed text-and-image PDFs: a layout variant (build_variants.py) whose table pages are replaced by
images of themselves, as reports that paste their tables in as pictures are published; and one whose
tables alone become pictures between the narrative text of their pages (ocr-pasted).

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
from build_variants import OUT, Tables, Variant, build_docx, truth_of  # noqa: E402


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
    OcrVariant(Variant("ocr-mixed", 125, "示范县档案馆", 2022, zero_forms=("0", "—", "", "0", "-"),
                       note="text PDF whose table pages are images (150 dpi, JPEG): zeros as 0, —, - and "
                            "empty cells in tables 3 and 4")),
)

# Tables pasted in as pictures on pages that keep their narrative text (a Word report with screenshots
# of Excel, printed to PDF), and a seal stamped over the text of a narrative page.
PASTED_VARIANTS = (
    OcrVariant(Variant("ocr-pasted", 131, "示范市自然资源局", 2023, zero_forms=("0", "", "—", "0", "-"),
                       note="text PDF whose tables 2-4 are images pasted between narrative text (150 dpi, "
                            "JPEG), zeros as 0, —, - and empty cells; a small seal image over text")),
)
SEAL_POINTS = 100.0  # a round seal about 3.5 cm across


def table_boxes(pdf_bytes: bytes) -> dict[int, list[tuple[float, float, float, float]]]:
    """1-based page number -> boxes (x0, top, x1, bottom; points) of the ruled tables on it."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return {n: [tuple(t.bbox) for t in found] for n, page in enumerate(pdf.pages, start=1)
                if (found := page.find_tables())}


def _jpeg(image: Image.Image, style: ImagePages) -> Image.Image:
    if style.blur:
        image = image.filter(ImageFilter.GaussianBlur(style.blur))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def _place(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, image: Image.Image,
           box: tuple[float, float, float, float]) -> None:
    """Insert `image` as an image object filling `box` (top-left origin points) of `page`."""
    x0, top, x1, bottom = box
    obj = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.from_pil(image.convert("RGB"))
    obj.set_bitmap(bitmap)
    obj.set_matrix(pdfium.PdfMatrix().scale(x1 - x0, bottom - top).translate(x0, page.get_height() - bottom))
    page.insert_obj(obj)


def _seal() -> Image.Image:
    """A round seal: two rings and a star, dark enough to hide the glyphs it covers in print."""
    from PIL import ImageDraw

    size = 300
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), outline=90, width=12)
    draw.ellipse((40, 40, size - 40, size - 40), outline=140, width=4)
    c, r = size / 2, 50
    import math

    star = [(c + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
             c - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=90)
    return image


def with_pasted_tables(pdf_bytes: bytes, boxes: dict[int, list[tuple[float, float, float, float]]],
                       seal_page: int, style: ImagePages) -> bytes:
    """The PDF with each ruled table replaced by a picture of itself (its glyphs and rules removed, the
    text around it kept), and a seal image over the text of `seal_page`."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    pad = 2.0
    for number, tables in boxes.items():
        page = pdf[number - 1]
        height = page.get_height()
        scale = style.dpi / 72
        rendered = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        areas = [(x0 - pad, top - pad, x1 + pad, bottom + pad) for x0, top, x1, bottom in tables]
        for obj in list(page.get_objects(max_depth=1)):
            left, bottom, right, top = obj.get_bounds()
            cx, cy = (left + right) / 2, height - (bottom + top) / 2
            if any(a[0] <= cx <= a[2] and a[1] <= cy <= a[3] for a in areas):
                page.remove_obj(obj)
        for area in areas:
            crop = rendered.crop(tuple(round(v * scale) for v in area))
            _place(pdf, page, _jpeg(crop, style), area)
        page.gen_content()
    page = pdf[seal_page - 1]
    width, height = page.get_size()
    x0, top = width * 0.6, height * 0.3
    _place(pdf, page, _jpeg(_seal(), style), (x0, top, x0 + SEAL_POINTS, top + SEAL_POINTS))
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def _text_pdf(v: Variant) -> tuple[bytes, Tables, list[str]]:
    """The variant as Word writes it, rendered to a text PDF by LibreOffice, with its tables and blanks."""
    data, tables, blanks = build_docx(v)
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp, f"{v.name}.docx")
        docx_path.write_bytes(data)
        to_pdf(docx_path, Path(tmp, f"{v.name}.pdf"))
        return Path(tmp, f"{v.name}.pdf").read_bytes(), tables, blanks


def build_pasted(ov: OcrVariant) -> None:
    """Write <name>.pdf (tables as pictures between narrative text, a seal over text) and its truth."""
    v = ov.variant
    text_pdf, tables, blanks = _text_pdf(v)
    boxes = table_boxes(text_pdf)
    seal_page = next(n for n in range(len(pdfium.PdfDocument(text_pdf)), 0, -1) if n not in boxes)
    OUT.mkdir(exist_ok=True)
    (OUT / f"{v.name}.pdf").write_bytes(with_pasted_tables(text_pdf, boxes, seal_page, ov.images))
    truth = truth_of(v, tables, blanks) | {"image_pages": sorted(boxes), "seal_page": seal_page,
                                           "image_dpi": ov.images.dpi}
    (OUT / f"{v.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
    print(f"wrote corpus/variants/{v.name}.* (tables as images on pages {', '.join(map(str, sorted(boxes)))}, "
          f"seal on page {seal_page})")


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
    text_pdf, tables, blanks = _text_pdf(v)
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
    for ov in PASTED_VARIANTS:
        if not names or ov.variant.name in names:
            build_pasted(ov)


if __name__ == "__main__":
    main(sys.argv[1:])
