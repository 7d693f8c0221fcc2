"""Cell text -> value: numbers as printed in report tables, blanks told apart from written zeros."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex as re

from extractors.text_cache import short_text_cache

# forms a report prints for "nothing here" (spec: blank = nothing, a dash, / or 无)
_BLANKS = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "none", "n/a", "×", "x", "…", "……"}
_UNIT = r"(?:万元|亿元|元|件|个|项|次|条|宗|起|家|份|人次|人|户|%|％)"
# compiled once: these run for every cell of every table, and the regex module's own pattern cache
# costs more per call than the match
_WHITESPACE = re.compile(r"\s+")
_DASHES_ONLY = re.compile(r"[-—–_/\\.。]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
# a note a report (or a converter joining two lines) prints after the number, 22（其中修订16件）: the
# value is the number, the note stays in the cell's raw text
_NOTE = r"(?:\([^()]{1,40}\))?"
_NUMBER = re.compile(
    rf"^(?P<sign>[+\-]|增加|增长|上升|增|减少|下降|降低|减)?(?P<num>\d+(?:\.\d+)?){_UNIT}?{_NOTE}$"
)


@dataclass(frozen=True)
class CellValue:
    """A parsed cell: `value` (None when blank or not a number), `blank`, the printed `raw`, `ok`."""

    value: int | float | None
    blank: bool
    raw: str
    ok: bool = True  # False when the cell holds text that is neither a number nor a blank form


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = _WHITESPACE.sub("", t)
    t = t.replace("－", "-").replace("−", "-").replace("﹣", "-")
    return t


@short_text_cache
def parse_cell(text: str | None) -> CellValue:
    """Parse one table cell: full-width digits, separators, units, dashes; prose is not a value."""
    raw = (text or "").strip()
    t = _clean(raw)
    if t.lower() in _BLANKS or _DASHES_ONLY.fullmatch(t or "-"):
        return CellValue(None, True, raw)
    t = _THOUSANDS.sub("", t)  # thousands separators
    m = _NUMBER.match(t)
    if not m:
        return CellValue(None, False, raw, ok=False)
    num = m.group("num")
    value: int | float = float(num) if "." in num else int(num)
    if m.group("sign") in ("-", "减少", "下降", "降低", "减"):
        value = -value
    return CellValue(value, False, raw)


@short_text_cache  # asked of every cell of every grid row (labels and values alike): once per distinct text
def is_value_text(text: str | None) -> bool:
    """True when the text is a number or a blank form (so it is not a label)."""
    return parse_cell(text).ok
