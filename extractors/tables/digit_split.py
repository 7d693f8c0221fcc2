"""Split a run of table cells that lost their separators ("230 000023") into the cells of one row.

A run is what a portal page saved as text leaves of a table row: digits run together, sometimes
with a space where a cell boundary was. Every whitespace is a cell boundary (not every boundary has
one), and so is a comma that does not group thousands. A cell is a non-negative integer without
leading zeros (a zero cell is a lone `0`; `1,234` may be grouped), a signed integer in a signed column,
a decimal only in a decimal column, or a blank marker (— / 无).
`splits` enumerates every reading of the run into a given list of column kinds; the caller keeps
the readings its identities allow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex as re

INT, SIGNED, DECIMAL = "int", "signed", "decimal"

EMPTY = "∅"  # stands for a grid cell printed empty between filled cells (read as a blank, raw '')
_BLANK_TOKEN = re.compile(rf"[—–]+|-+(?!\d)|/|无|{EMPTY}")
# where no column takes a sign, a '-' before a digit is a blank marker run into the next cell too
_BLANK_TOKEN_UNSIGNED = re.compile(rf"[—–]+|-+|/|无|{EMPTY}")
# a comma groups thousands only before three digits; any other comma separates cells
_SEPARATING_COMMA = re.compile(r",(?!\d{3})|(?<!\d),")
_WHOLE = r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)"  # no leading zeros; 1,234 grouped or not
_CELL = {
    INT: re.compile(_WHOLE),
    SIGNED: re.compile(rf"[-+]?{_WHOLE}"),
    DECIMAL: re.compile(rf"{_WHOLE}(?:\.\d+)?"),
}
# how many readings `splits` returns at most, and how many search steps it takes before giving up
MAX_SPLITS = 20000
MAX_STEPS = 100_000  # about a second of search
MAX_DIGITS = 9  # an integer cell of more digits is no count a report prints
MAX_CHARS = MAX_DIGITS + 3  # its printed length at most: a sign and two thousands commas

Check = Callable[[tuple[str, ...]], bool]


class TooManyReadings(ValueError):
    """The run is too long for its cells to be searched (a run that swallowed other digits)."""


@dataclass(frozen=True)
class Token:
    """A stretch of a run between hard boundaries: digits to split further, or one blank marker."""

    text: str
    blank: bool = False


def tokenize(run: str, signed: bool = True) -> list[Token]:
    """Hard-bounded tokens of a run: whitespace separates, a blank marker is a token of its own.

    A dash run (—, ——, --) or a lone / or 无 is one blank cell; a '-' right before a digit is a sign
    when `signed` (a column of the row takes one), else a blank marker too.
    """
    blank = _BLANK_TOKEN if signed else _BLANK_TOKEN_UNSIGNED
    tokens: list[Token] = []
    for part in _SEPARATING_COMMA.sub(" ", run).split():
        pos = 0
        for m in blank.finditer(part):
            if m.start() > pos:
                tokens.append(Token(part[pos:m.start()]))
            tokens.append(Token(m.group(), blank=True))
            pos = m.end()
        if pos < len(part):
            tokens.append(Token(part[pos:]))
    return tokens


@lru_cache(maxsize=8192)
def is_cell(text: str, kind: str) -> bool:
    """Whether `text` can be a whole cell of a column of this kind."""
    return _CELL[kind].fullmatch(text) is not None


def splits(run: str, kinds: Sequence[str], check: Check | None = None,
           limit: int = MAX_SPLITS, max_steps: int = MAX_STEPS,
           sums: Sequence[Sum] = ()) -> list[tuple[str, ...]]:
    """Every reading of `run` as len(kinds) cells (a blank cell keeps its marker), at most `limit`.

    `check`, when given, is called on every partial reading (a prefix of cells) and prunes the
    search where it returns False, so identities can be tested as soon as their cells are known.
    `sums` are identities whose total cell comes after its parts: the total is then written out
    from the parts instead of searched for, which keeps long runs fast. Integer cells hold at most
    MAX_DIGITS digits. Raises TooManyReadings when the search takes more than `max_steps` steps.
    """
    tokens = tokenize(run, SIGNED in kinds)
    n = len(kinds)
    # the most characters cells i.. can hold (None: unbounded, a decimal column is among them)
    room: list[int | None] = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        nxt = room[i + 1]
        room[i] = None if kinds[i] == DECIMAL or nxt is None else nxt + MAX_CHARS
    # characters and tokens still to place after token i
    chars_after = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        chars_after[i] = chars_after[i + 1] + len(tokens[i].text)
    out: list[tuple[str, ...]] = []
    steps = 0
    totals = {rule.total: rule.parts for rule in sums if all(p < rule.total for p in rule.parts)}

    def feasible(ti: int, pos: int, filled: int) -> bool:
        left_tokens = len(tokens) - ti - (1 if pos else 0)
        if n - filled < left_tokens + (1 if pos else 0):
            return False
        cap = room[filled]
        return cap is None or chars_after[ti] - pos <= cap

    def walk(ti: int, pos: int, cells: tuple[str, ...]) -> None:
        nonlocal steps
        if len(out) >= limit:
            return
        if ti == len(tokens) or len(cells) == n:
            if ti == len(tokens) and len(cells) == n:
                out.append(cells)
            return
        if not feasible(ti, pos, len(cells)):
            return
        token = tokens[ti]
        if token.blank:
            nxt = cells + (token.text,)
            if check is None or check(nxt):
                walk(ti + 1, 0, nxt)
            return
        kind = kinds[len(cells)]
        rest = token.text[pos:]
        lengths: Iterable[int] = range(1, len(rest) + 1)
        if len(cells) in totals:
            total = sum(values([cells[p] for p in totals[len(cells)]]))
            lengths = [len(w) for w in dict.fromkeys((str(total), f"{total:,}")) if rest.startswith(w)]
        for length in lengths:
            steps += 1
            if steps > max_steps:
                raise TooManyReadings(f"{run!r} into {n} cells")
            piece = rest[:length]
            if kind != DECIMAL and sum(ch.isdigit() for ch in piece) > MAX_DIGITS:
                break
            if not is_cell(piece, kind):
                continue  # '12.' is no cell, but '12.5' may be: keep growing
            nxt = cells + (piece,)
            if check is not None and not check(nxt):
                continue
            if length == len(rest):
                walk(ti + 1, 0, nxt)
            else:
                walk(ti, pos + length, nxt)

    walk(0, 0, ())
    return out


def is_blank(cell: str) -> bool:
    """Whether a split cell is a blank marker (or empty)."""
    return cell == "" or _BLANK_TOKEN.fullmatch(cell) is not None


@lru_cache(maxsize=8192)
def value_of(cell: str) -> int | float | None:
    """The number a split cell stands for (None for a blank); cached: the search reads the same pieces
    of a run again on every path through it."""
    if is_blank(cell):
        return None
    number = cell.replace(",", "")
    if "." in number:
        return float(number)
    return int(number)


def values(cells: Sequence[str]) -> tuple[int | float, ...]:
    """Numbers of a reading, blanks read as 0 (for identities)."""
    return tuple(value_of(c) or 0 for c in cells)


@dataclass(frozen=True)
class Sum:
    """An identity within a row: cell `total` equals the sum of cells `parts` (by position)."""

    total: int
    parts: tuple[int, ...]


def sum_check(total: int, parts: Sequence[int]) -> Check:
    """A prefix check: once cells `parts` and `total` are known, total must equal their sum."""
    need = max(total, *parts)

    def check(cells: tuple[str, ...]) -> bool:
        if len(cells) <= need:
            return True
        # only the identity's cells are read (values() of the whole prefix, on every step of the search,
        # read them all)
        return (value_of(cells[total]) or 0) == sum(value_of(cells[i]) or 0 for i in parts)

    return check


def all_checks(*checks: Check) -> Check:
    """A check that passes when every given check does."""
    return lambda cells: all(c(cells) for c in checks)
