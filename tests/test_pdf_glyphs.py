"""pdf_fast.page_glyphs: a glyph drawn twice (fake bold) is kept once, and a doubtful glyph dropped as a
repeat does not send the page to pdfplumber."""

from __future__ import annotations

import pypdfium2

from extractors.readers.pdf_fast import _drop_repeats, page_glyphs
from tests.hostile import pdf_of


def _page_of(content: bytes) -> bytes:
    """A one-page PDF (612 x 792) whose content stream draws CONTENT with Helvetica as /F1."""
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                   b"/Resources << /Font << /F1 5 0 R >> >> >>",
                   b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
                   b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def _glyphs(content: bytes) -> tuple[list[dict], bool]:
    pdf = pypdfium2.PdfDocument(_page_of(content))
    try:
        return page_glyphs(pdf[0])
    finally:
        pdf.close()


def test_fake_bold_glyphs_kept_once() -> None:
    """The word drawn again 0.3 pt right and 0.2 pt up: each glyph once, where it was first drawn (pdfium
    drops most such repeats itself; _drop_repeats the rest, tested below)."""
    once, trusted = _glyphs(b"BT /F1 24 Tf 72 700 Td (Hello) Tj ET")
    twice, trusted_twice = _glyphs(b"BT /F1 24 Tf 72 700 Td (Hello) Tj ET BT /F1 24 Tf 72.3 700.2 Td (Hello) Tj ET")
    assert "".join(c["text"] for c in once) == "Hello" and trusted and trusted_twice
    assert twice == once


def _glyph(text: str, x0: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 10, "top": top, "bottom": top + 10, "size": 10.0}


def test_a_doubted_glyph_counts_only_when_kept() -> None:
    """A repeat (same text, same whole points) is dropped and takes its doubt with it; a doubted glyph
    kept makes the page untrusted."""
    first, repeat, other = _glyph("年", 10.4, 20.0), _glyph("年", 9.6, 19.7), _glyph("年", 10.6, 20.0)
    assert _drop_repeats([first, repeat], [1]) == ([first], True)
    assert _drop_repeats([first, repeat], [0]) == ([first], False)
    assert _drop_repeats([first, other], [1]) == ([first, other], False)
    assert _drop_repeats([first, other], []) == ([first, other], True)
    # round() as Python rounds: 10.5 and 9.5 both go to the even 10
    assert _drop_repeats([_glyph("1", 10.5, 0.0), _glyph("1", 9.5, 0.0)], []) == ([_glyph("1", 10.5, 0.0)], True)


def test_group_lines_on_a_page_and_in_a_cell() -> None:
    """group_lines rounds each distinct top once on a page (> 64 glyphs) and per glyph in a cell: both
    give rows top to bottom, each left to right, a glyph 0.04 pt lower in its row, a row of spaces dropped."""
    from extractors.readers.pdf_text import group_lines

    def row(top: float, n: int, text: str = "字") -> list[dict]:
        return [_glyph(text, 20.0 * i, top + (0.04 if i == 3 else 0.0)) for i in range(n)]

    for n in (30, 5):  # 30: 95 glyphs (the page path); 5: 20 (the cell path)
        rows = [row(50.0, n), row(10.0, n), row(30.0, n, " "), row(70.0, n)]
        glyphs = [g for r in rows for g in reversed(r)]  # drawn right to left, rows out of order
        lines = group_lines(glyphs)
        assert [[g["x0"] for g in ln] for ln in lines] == [[20.0 * i for i in range(n)]] * 3
        assert [ln[0]["top"] for ln in lines] == [10.0, 50.0, 70.0]
