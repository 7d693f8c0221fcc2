"""Characters to text for PDF pages: lines from glyphs, CJK-aware spacing, paragraphs, page furniture."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from statistics import median
from typing import Any

import regex as re

Char = dict[str, Any]  # a pdfplumber char: text, x0, x1, top, bottom, size

# ideographs, CJK and full-width punctuation, curly quotes, dashes, ellipsis, middle dot
_CJK = r"\p{Han}\u3000-\u303f\uff00-\uffef\u2010-\u2027\u2030-\u205e\u00b7\u25cb"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
_HARD = "\x00"  # marks a wide gap (a column break inside a line), kept as one space
_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")
_HARD_RUN = re.compile(rf" *{_HARD}[ {_HARD}]*")
_HEADING = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节部分条]|[一二三四五六七八九十]+[、．.]"
    r"|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、．.](?!\d))"
)
_FURNITURE = re.compile(
    r"^[\s\-—–_－~·•]*(?:\d{1,4}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
    r"|[Pp]age\s*\d+(?:\s*of\s*\d+)?)[\s\-—–_－~·•]*$"
)


@dataclass
class Line:
    """One printed line: its text and box (PDF points, top-left origin) and median glyph size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


_BY_X0, _TOP = itemgetter("x0"), itemgetter("top")


def group_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Cluster glyphs into lines by vertical overlap, each line sorted left to right."""
    live = [c for c in chars if c["text"]]
    if len(live) > 64:  # a page: a line's glyphs share their top, so each distinct top is rounded once
        tops = list(map(_TOP, live))
        rounded = {t: round(t, 1) for t in set(tops)}
        keys = list(zip(map(rounded.__getitem__, tops), map(_BY_X0, live), strict=True))
    else:
        keys = [(round(c["top"], 1), c["x0"]) for c in live]  # top to bottom, then left to right
    lines: list[list[Char]] = []
    inked: list[bool] = []  # whether each line has a glyph that is not a space
    line: list[Char] = []
    top = bottom = 0.0  # the current line's span, widened by its ink (not its spaces)
    for index in sorted(range(len(live)), key=keys.__getitem__):
        ch = live[index]
        ch_top, ch_bottom = ch["top"], ch["bottom"]
        if lines and top - 0.5 <= (ch_top + ch_bottom) / 2 <= bottom + 0.5:
            line.append(ch)
            if ch["text"].strip():
                inked[-1] = True
                if ch_top < top:
                    top = ch_top
                if ch_bottom > bottom:
                    bottom = ch_bottom
            continue
        line = [ch]
        lines.append(line)
        inked.append(bool(ch["text"].strip()))
        top, bottom = ch_top, ch_bottom
    if all(inked):  # the usual case: no line of spaces only to drop
        for line in lines:
            line.sort(key=_BY_X0)
        return lines
    result = []
    for line, ink in zip(lines, inked, strict=True):
        if ink:
            line.sort(key=_BY_X0)
            result.append(line)
    return result


def clean_spaces(text: str) -> str:
    """Drop spaces next to CJK characters (WPS spreads glyphs), collapse runs; wide gaps stay one space."""
    if not (" " in text or _HARD in text or "\t" in text or "\u3000" in text or "\u00a0" in text):
        return text.strip()  # nothing for the patterns below to change
    text = _SPACE_RUN.sub(" ", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _HARD_RUN.sub(" ", text)
    return text.strip()


def line_text(chars: list[Char]) -> str:
    """Text of one line: a space where glyphs stand apart, wide gaps before/after numbers kept."""
    parts: list[str] = []
    append = parts.append
    started = False
    prev_x1 = prev_size = 0.0
    prev_last = ""
    for ch in chars:
        text = ch["text"]
        if not text.strip():
            append(" ")
            continue
        if started:
            gap = ch["x0"] - prev_x1
            if gap > 2 * prev_size and (prev_last.isascii() or text[:1].isascii()):
                append(_HARD)
            elif gap > 0.25 * prev_size:
                append(" ")
        append(text)
        started = True
        size = ch.get("size") or 10.0
        prev_x1, prev_size, prev_last = ch["x1"], 1.0 if 1.0 > size else size, text[-1:]
    return clean_spaces("".join(parts))


def make_line(chars: list[Char]) -> Line:
    """A Line of one group_lines line: line_text's text, the box of its ink (the glyphs that are not
    spaces; all glyphs where none is) and their median size, in one pass over the glyphs (line_text's
    spacing rule repeated inline on this hot path; tests/test_pdf_reader.py holds the two texts equal)."""
    parts: list[str] = []
    append = parts.append
    sizes: list[float] = []
    started = False  # an inked glyph seen: the box below is set
    x0 = top = x1 = bottom = prev_x1 = prev_size = 0.0
    prev_last = ""
    for ch in chars:
        text = ch["text"]
        if not text.strip():
            append(" ")
            continue
        left, up, right, down, size = ch["x0"], ch["top"], ch["x1"], ch["bottom"], ch.get("size")
        sizes.append(float(size or (down - up)))
        if started:
            if left < x0:
                x0 = left
            if up < top:
                top = up
            if right > x1:
                x1 = right
            if down > bottom:
                bottom = down
            gap = left - prev_x1
            if gap > 2 * prev_size and (prev_last.isascii() or text[:1].isascii()):
                append(_HARD)
            elif gap > 0.25 * prev_size:
                append(" ")
        else:
            x0, top, x1, bottom = left, up, right, down
        append(text)
        started = True
        size = size or 10.0
        prev_x1, prev_size, prev_last = right, 1.0 if 1.0 > size else size, text[-1:]
    if started:
        return Line(text=clean_spaces("".join(parts)), x0=x0, top=top, x1=x1, bottom=bottom, size=median(sizes))
    return _blank_line(chars)


def _blank_line(chars: list[Char]) -> Line:
    """make_line for a line of spaces only (group_lines gives none): the box of all its glyphs."""
    ink = chars
    sizes = [float(c.get("size") or (c["bottom"] - c["top"])) for c in ink]
    return Line(
        text=line_text(chars),
        x0=min([c["x0"] for c in ink]),
        top=min([c["top"] for c in ink]),
        x1=max([c["x1"] for c in ink]),
        bottom=max([c["bottom"] for c in ink]),
        size=median(sizes),
    )


def join_lines(texts: Iterable[str]) -> str:
    """Join wrapped lines: no separator, except a space between two Latin letters (English words)."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and text[0].isascii() and text[0].isalpha():
            out += " "
        out += text
    return clean_spaces(out)


def chars_text(chars: Iterable[Char]) -> str:
    """All text of some glyphs (a table cell): lines joined, vertical one-char-per-line text included."""
    if isinstance(chars, list) and len(chars) <= 1:  # most cells: a digit, or nothing
        text = chars[0]["text"] if chars else ""
        if not text.strip():
            return ""
        if len(text) == 1 and text != _HARD:
            return text  # what the general path gives for one printed character
        return clean_spaces(clean_spaces(text).strip())
    return join_lines(line_text(line) for line in group_lines(chars))


def is_furniture(line: Line, page_height: float) -> bool:
    """Page numbers ("- 3 -", "第3页 共5页", a lone "3") in the top or bottom margin."""
    in_margin = line.top > page_height * 0.85 or line.bottom < page_height * 0.1
    return in_margin and bool(_FURNITURE.match(line.text))


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group consecutive lines into paragraphs: indentation, headings, short lines and gaps break them."""
    if not lines:
        return []
    long_lines = [ln for ln in lines if len(ln.text) >= 8] or lines
    left = min(ln.x0 for ln in long_lines)
    right = max(ln.x1 for ln in long_lines)
    size = median(ln.size for ln in lines)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False) if b.top > a.bottom]
    usual_gap = median(gaps) if gaps else size * 0.5
    groups: list[list[Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        gap = line.top - prev.bottom
        new = (
            gap > max(usual_gap * 1.8, size * 0.9)
            or gap < -size  # went back up the page (should not happen in sorted input)
            or line.x0 - left > 1.2 * line.size
            or prev.x1 < right - 1.5 * prev.size
            or abs(line.size - prev.size) > 0.15 * max(line.size, prev.size)
            or bool(_HEADING.match(line.text))
        )
        if new:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def add_page_blocks(builder: Any, lines: list[Line], tables: list[Any], page_height: float) -> None:
    """Add a page's tables and the paragraphs of its text lines to a DocumentBuilder, top to bottom.

    A paragraph never runs across a table: lines above and below one are grouped separately."""
    lines = [ln for ln in lines if ln.text and not is_furniture(ln, page_height)]
    blocks: list[tuple[float, int, Any]] = [(t.bbox[1] if t.bbox else 0.0, 1, t) for t in tables]
    table_tops = sorted(b[0] for b in blocks)
    run: list[Line] = []

    def flush() -> None:
        for group in paragraphs(run):
            blocks.append((group[0].top, 0, group))
        run.clear()

    for line in lines:
        if run and any(run[-1].bottom <= top <= line.top for top in table_tops):
            flush()
        run.append(line)
    flush()
    for _, kind, block in sorted(blocks, key=lambda b: (b[0], b[1])):
        if kind == 1:
            builder.table(block)
        else:
            bbox = (min(ln.x0 for ln in block), block[0].top, max(ln.x1 for ln in block), block[-1].bottom)
            builder.paragraph(join_lines(ln.text for ln in block), bbox=tuple(round(v, 2) for v in bbox))
