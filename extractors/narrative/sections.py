"""Split report text into the template's sections (一 … 六) and into sentences, with character offsets."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex as re

SECTION_NUMERALS = "一二三四五六七八九十"

# phrases of the template's six headings (2021, 2019 and older forms, provincial variants)
_STRONG = (r"总体情况|概述|概况|基本情况|主动公开政府信息|主动公开情况|收到和处理政府信息公开申请|依申请公开|"
           r"政府信息公开申请|行政复议|行政诉讼|存在的主要问题|主要问题|存在问题|其他需要报告|其它需要报告|"
           r"政府信息公开情况统计|收费|统计表")
# a numeral heading: not inside parentheses ('（一）'), not a list item of a sentence ('一是')
_HEADING = re.compile(rf"(?<![（(\w])(?P<num>[{SECTION_NUMERALS}])\s*[、.．]\s*(?P<title>[^。；！？\n]{{0,40}})")
_HEADING_ANY = re.compile(rf"(?P<num>[{SECTION_NUMERALS}])\s*[、．]\s*(?P<title>(?:{_STRONG})[^。；！？\n]{{0,30}})")
_SENTENCE_END = re.compile(r"[。；;！？!?]+|\n")
_BREAKDOWN_END = re.compile(r"[。！？!?]+|\n")


@dataclass(frozen=True)
class Heading:
    """A section heading found in the text: its numeral and where it starts."""

    start: int
    numeral: str
    title: str


@dataclass(frozen=True)
class Span:
    """A piece of text by offsets: [start, end)."""

    start: int
    end: int


def _rank(numeral: str) -> int:
    return SECTION_NUMERALS.index(numeral) + 1


# compiled once: a heading candidate is tested for every numeral followed by 、 in the text
_TITLE_STRONG = re.compile(rf"(?:[^，,]{{0,12}}?)(?:{_STRONG})")
_TITLE_WORDS = re.compile(r"[^，,。]{0,16}(?:情况|事项|问题|措施|方向)")
_STRONG_TITLE = re.compile(rf"[^，,。]{{0,6}}?(?:{_STRONG})")


def _title_ok(title: str) -> bool:
    return bool(_TITLE_STRONG.match(title)) or bool(_TITLE_WORDS.match(title))


def find_headings(text: str) -> list[Heading]:
    """The section headings in reading order, their numerals increasing ('一、总体情况', '二、主动公开…')."""
    candidates: dict[int, Heading] = {}
    for m in _HEADING.finditer(text):
        i = m.start()  # the last character before the match, spaces aside (not text[:i].rstrip(): a copy)
        while i > 0 and text[i - 1] in " \t\u3000":
            i -= 1
        at_start = i == 0 or text[i - 1] in "。；;！？!?\n：:）)" or text[m.start() - 1:m.start()].isspace()
        if at_start and _title_ok(m.group("title")):
            candidates[m.start()] = Heading(m.start(), m.group("num"), m.group("title"))
    for m in _HEADING_ANY.finditer(text):  # template phrases are headings wherever they stand ('…52元三、收到…')
        prev = text[m.start() - 1:m.start()]
        if prev not in "（(" or not prev:
            candidates.setdefault(m.start(), Heading(m.start(), m.group("num"), m.group("title")))
    headings: list[Heading] = []
    for heading in sorted(candidates.values(), key=lambda h: h.start):
        rank = _rank(heading.numeral)
        last = _rank(headings[-1].numeral) if headings else 0
        strong = bool(_STRONG_TITLE.match(heading.title))
        if last < rank and (rank <= last + 2 or strong):  # a far jump only to a template heading
            headings.append(heading)
    return headings


class SectionIndex:
    """Which section an offset falls in: the numeral of the last heading at or before it, '' before any."""

    def __init__(self, headings: list[Heading]) -> None:
        self._starts = [h.start for h in headings]
        self._numerals = [h.numeral for h in headings]

    def section_at(self, offset: int) -> str:
        i = bisect_right(self._starts, offset) - 1
        return self._numerals[i] if i >= 0 else ""


def _split(text: str, pattern: re.Pattern[str], breaks: list[int]) -> list[Span]:
    cuts = {0, len(text)}
    for m in pattern.finditer(text):
        cuts.add(m.end())
    cuts.update(b for b in breaks if 0 < b < len(text))
    spans = []
    ordered = sorted(cuts)
    for a, b in zip(ordered, ordered[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            spans.append(Span(a, b))
    return spans


def split_sentences(text: str, headings: list[Heading] | None = None) -> list[Span]:
    """Sentences ending at 。；！？ or a line end; a heading also starts a new sentence."""
    return _split(text, _SENTENCE_END, [h.start for h in headings or []])


def split_breakdown_scopes(text: str, headings: list[Heading] | None = None) -> list[Span]:
    """Full sentences (。！？ or a line end): the scope a '共…，其中…；…' breakdown runs over."""
    return _split(text, _BREAKDOWN_END, [h.start for h in headings or []])


class SpanIndex:
    """Find the span holding an offset."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self._starts = [s.start for s in spans]

    def index_at(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)

    def at(self, offset: int) -> Span:
        return self.spans[self.index_at(offset)]
