"""What a report's prose says about its own table-2 cells (本年度制发的规范性文件77件，废止13件), so that a
flattened row whose digits ran together (规范性文件77132470) can be narrowed to the readings the
document itself allows.

A statement is a number with a unit in one sentence, outside the tables, that names a table-2 row
(the last row label before the number) and one of that row's columns (the last of the template's
narrative cues for it before the number). Both must be printed in the number's own clause or in a
list of figures leading to it; nothing is inferred from context.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import regex as re

from schemas.template import T2_NARRATIVE_CUES, TableSpec

_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
_CLAUSE_BREAK = re.compile(r"[，,、：:]")
_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(?:余|多)?\s*(亿元|万元|元|件|个|项|条|份)")
# a figure said to be about so much (约77件, 超过2000件, 77余件) states no cell exactly
_APPROX_BEFORE = re.compile(r"(?:约|近|逾|超过?|大约|将近|接近|突破|不到|不足)\s*$")
_APPROX_AFTER = re.compile(r"\s*(?:余|多)")
_YUAN = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


@dataclass(frozen=True)
class Statement:
    """A figure the prose states for one cell: its value as printed, in its printed unit."""

    row: str
    col: str
    printed: Decimal  # the number as printed (its decimals tell its precision)
    unit: str
    sentence: str

    def allows(self, value: int | float | None, money_unit: str | None) -> bool:
        """Whether a cell value reads as this figure at its printed precision; `money_unit` is the
        column's unit (元 or 万元) for an amount, None for a count."""
        if value is None or (money_unit is None) != (self.unit not in _YUAN):
            return False
        number = Decimal(str(value))
        if money_unit is not None:
            number = number * _YUAN[money_unit] / _YUAN[self.unit]
        exponent = self.printed.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return round(number, places) == self.printed


def _last(text: str, words: Sequence[str]) -> int:
    """End offset of the last occurrence of any word in text (-1 when none)."""
    return max((text.rfind(w) + len(w) for w in words if w and text.rfind(w) >= 0), default=-1)


class _Clauses:
    """One sentence's clauses, for where the words that may qualify a figure begin: its own clause, and the
    clauses before it as long as each states a figure of its own (a list: 制发…77件，废止13件，现行有效2470件).
    Each clause is split and searched once per sentence, not once per figure (a text with no sentence end
    is one sentence)."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(body)]
        self._first = [0]  # per clause: the clause its list of figure-stating clauses starts at

    def reach(self, at: int) -> int:
        """The start of the figure's own clause, or of the first clause of the list leading to it."""
        k = bisect_right(self.starts, at) - 1
        while len(self._first) <= k:
            j = len(self._first)
            states = _FIGURE.search(self.body, self.starts[j - 1], self.starts[j]) is not None
            self._first.append(self._first[j - 1] if states else j)
        return self.starts[self._first[k]]


_APPROX_WORD = 2  # characters of the longest word of _APPROX_BEFORE
_SPACE = re.compile(r"\s")


def _approx_before(body: str, end: int) -> bool:
    """_APPROX_BEFORE printed right before offset `end`, searched only over its words and the spaces after
    them (a search from the sentence start per figure grows with the square of a long sentence)."""
    start = end
    while start > 0 and _SPACE.match(body, start - 1):
        start -= 1
    return _APPROX_BEFORE.search(body, max(0, start - _APPROX_WORD), end) is not None


def statements(text: str, spec: TableSpec, skip: Sequence[tuple[int, int]]) -> list[Statement]:
    """Every statement the prose of `text` makes about a cell of `spec`, outside the `skip` spans."""
    forms = {r.key: [unicodedata.normalize("NFKC", f) for f in (r.label, *r.aliases)] for r in spec.rows}
    out: list[Statement] = []
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group()
        clauses = _Clauses(body)
        for m in _FIGURE.finditer(body):
            at = sentence.start() + m.start()
            if any(a <= at < b for a, b in skip):
                continue
            if _approx_before(body, m.start()) or _APPROX_AFTER.match(body, m.end(2) if m.group(2)
                                                                                    else m.end(1)):
                continue
            before = body[clauses.reach(m.start()):m.start()]
            ends = {key: _last(before, words) for key, words in forms.items()}
            row = max(ends, key=lambda k: ends[k])
            if ends[row] < 0:
                continue
            cues = {col: _last(before, T2_NARRATIVE_CUES.get(col, ())) for col in spec.cols_of(row)}
            col = max(cues, key=lambda c: cues[c])
            if cues[col] < 0 or list(cues.values()).count(cues[col]) > 1:
                continue
            printed = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
            out.append(Statement(row, col, printed, m.group(3), body.strip()))
    return out
