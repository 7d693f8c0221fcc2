"""Build a folder of bad inputs beside good reports, as an archive really holds them."""

from __future__ import annotations

import codecs
import io
import shutil
import zipfile
from pathlib import Path

from tests.conftest import CORPUS

GOOD = ("enhe-2022.txt", "enhe-2022.docx", "enhe-2022.pdf")

# bad file name -> what its documents.csv error must mention
BAD_ERRORS = {
    "corrupt.pdf": "PDF",
    "truncated.pdf": "PDF",
    "encrypted.pdf": "encrypted",
    "empty.txt": "empty",
    "zero.pdf": "empty",
    "not-word.docx": "not a Word document",
    "scan.pdf": "image-only",
    "shopping-list.txt": "not a report",
    "random.bin": "not a document",
    "bomb.zip!zeros.txt": "zip bomb",
}


def _encrypted_pdf(source: Path) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages[:1]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_only_pdf(source: Path) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    image = pdf[0].render(scale=1).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PDF")
    return buffer.getvalue()


def build_hostile_folder(folder: Path) -> Path:
    """Good reports (one under a lying extension) among every kind of bad input."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in GOOD:
        shutil.copy(CORPUS / name, folder / name)
    # the seed text saved with a .pdf name: read by its content, and a duplicate of enhe-2022.txt
    shutil.copy(CORPUS / "enhe-2022.txt", folder / "lying-extension.pdf")
    pdf_bytes = (CORPUS / "enhe-2022.pdf").read_bytes()
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (folder / "truncated.pdf").write_bytes(pdf_bytes[: len(pdf_bytes) // 3])
    (folder / "encrypted.pdf").write_bytes(_encrypted_pdf(CORPUS / "enhe-2022.pdf"))
    (folder / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (folder / "zero.pdf").write_bytes(b"")
    with zipfile.ZipFile(folder / "not-word.docx", "w") as zf:
        zf.writestr("hello.txt", "this zip is not a Word document")
    (folder / "scan.pdf").write_bytes(_image_only_pdf(CORPUS / "enhe-2022.pdf"))
    (folder / "shopping-list.txt").write_text("白菜 3斤\n鸡蛋 12个\n酱油 1瓶\n", encoding="utf-8")
    (folder / "random.bin").write_bytes(bytes(range(256)) * 16)
    with zipfile.ZipFile(folder / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", b"\0" * (20 * 2**20))
    return folder


def seed_html(cell_attrs: str = "", before: str = "", after: str = "") -> bytes:
    """The seed report as a portal page: its paragraphs and tables (from the text version) in HTML, each
    <td> carrying CELL_ATTRS, with BEFORE and AFTER markup around the report body."""
    from html import escape

    from extractors.readers.txt import read_txt
    from schemas.document import Table

    doc = read_txt((CORPUS / "enhe-2022.txt").read_bytes(), "enhe-2022.txt")
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(doc.text.splitlines()[0])}</title>"
             f"</head><body>{before}<div class='TRS_Editor'>"]
    for block in doc.pages[0].blocks:
        if isinstance(block, Table):
            rows = []
            for row in block.text_rows():
                rows.append("<tr>" + "".join(f"<td{cell_attrs}>{escape(text)}</td>" for text in row) + "</tr>")
            parts.append("<table border='1'>" + "".join(rows) + "</table>")
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    parts.append(f"</div>{after}</body></html>")
    return "".join(parts).encode("utf-8")


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 0 obj first: the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def minimal_pdf(content: bytes, filters: str = "/Filter /FlateDecode") -> bytes:
    """A one-page PDF whose page content stream is CONTENT (already encoded as FILTERS says)."""
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                   _stream(content, filters.encode())])


def cmap_bomb_pdf() -> bytes:
    """A one-page PDF whose font's ToUnicode map is one range over the whole 4-byte code space."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n"
            b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    content = b"BT /F1 12 Tf 72 700 Td (AB) Tj ET"
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                   b"/Resources << /Font << /F1 5 0 R >> >> >>",
                   _stream(content),
                   b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
                   _stream(cmap)])


def inflation_bomb_pdf(size: int = 2**29) -> bytes:
    """A PDF of a few MB whose one content stream inflates to SIZE bytes of spaces."""
    import zlib

    packer = zlib.compressobj(9)
    block = b" " * 2**24
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return minimal_pdf(b"".join(parts) + packer.flush())


def _docx_with(replace: dict[str, bytes | None]) -> bytes:
    """The seed DOCX with parts replaced (None drops the part)."""
    source = zipfile.ZipFile(CORPUS / "enhe-2022.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in source.namelist():
            data = replace.get(name, source.read(name))
            if data is not None:
                zf.writestr(name, data)
    return buffer.getvalue()


def _docx_body() -> bytes:
    return zipfile.ZipFile(CORPUS / "enhe-2022.docx").read("word/document.xml")


def _seed_text() -> str:
    return (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")


def _big5() -> bytes:
    import opencc

    return opencc.OpenCC("s2t").convert(_seed_text()).encode("big5", errors="replace")


def _nan_mediabox() -> bytes:
    import regex as re

    return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 NaN NaN]", (CORPUS / "enhe-2022.pdf").read_bytes())


# name -> (bytes, expected status, what the error or warnings must say); "same" marks a report whose
# template cells must equal the seed's. Built lazily: some take a second or two.
HOSTILE_CASES = {
    "colspan-minus-one.html": (lambda: seed_html(' colspan="-1"'), "same", ""),
    "colspan-1000.html": (lambda: seed_html(' colspan="1000"'), "same", ""),
    "spans-1000-everywhere.html": (lambda: seed_html(' colspan="1000" rowspan="1000"'), "partial", "size limit"),
    "nested-100000.html": (lambda: seed_html(before="<div>" * 100_000 + "x" + "</div>" * 100_000), "same",
                           "nested over"),
    "unclosed-100000.html": (lambda: seed_html(before="<div>" * 100_000), "same", "nested over"),
    "attribute-50mb.html": (lambda: seed_html(before=f"<div title='{'a' * 50_000_000}'>x</div>"), "same", ""),
    "no-styles.docx": (lambda: _docx_with({"word/styles.xml": None}), "same", "without python-docx"),
    "no-body.docx": (lambda: _docx_with({"word/document.xml": _docx_body().split(b"<w:body>")[0]
                                         + b"</w:document>"}), "failed", "without a body"),
    "gridspan-1e9.docx": (lambda: _docx_with({"word/document.xml": _docx_body().replace(
        b'<w:gridSpan w:val="', b'<w:gridSpan w:val="100000000')}), "same", ""),
    "utf16-no-bom.txt": (lambda: _seed_text().encode("utf-16-le"), "same", ""),
    "utf16-be-bom.txt": (lambda: codecs.BOM_UTF16_BE + _seed_text().encode("utf-16-be"), "same", ""),
    "utf32-no-bom.txt": (lambda: _seed_text().encode("utf-32-le"), "same", ""),
    "big5.txt": (_big5, "same", "traditional"),
    "stray-byte.txt": (lambda: _seed_text().encode()[:4000] + b"\xff" + _seed_text().encode()[4000:], "same",
                       "replaced"),
    "meta-in-text.txt": (lambda: ("<meta name=x>\n" + _seed_text() + "\n</p>").encode(), "same", ""),
    "nan-mediabox.pdf": (_nan_mediabox, "same", "pypdfium2"),
    "inflation-bomb.pdf": (inflation_bomb_pdf, "failed", "decompression bomb"),
}


def build_hostile_cases(folder: Path) -> Path:
    """Write every HOSTILE_CASES file into FOLDER."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (make, _status, _words) in HOSTILE_CASES.items():
        (folder / name).write_bytes(make())
    return folder
