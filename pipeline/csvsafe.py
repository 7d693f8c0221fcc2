"""CSV injection defence (OWASP): a text cell that a spreadsheet would run as a formula is written with a
leading apostrophe, and every reader of the CSVs takes it off again, so the data round-trips exactly.

A cell is neutralised when it starts with `=`, `+`, `-`, `@`, TAB or CR, after any apostrophes (so a text
that already starts with `'=` keeps its own apostrophe through the round trip). A plain number written as
text (`-3`, `+1.5`, `-2%`) is left alone: a spreadsheet reads it as a number, never as a formula. Numeric
fields (int, float) are never touched. Parquet files hold the raw text.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

import regex as re

_TRIGGERS = "=+-@\t\r"
_RISKY = re.compile(r"'*[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
# the written form of a neutralised cell: one apostrophe more than the text had (RE2 syntax for Arrow)
_NEUTRALISED = re.compile(r"'('*[=+\-@\t\r])")
ARROW_PATTERN = r"^'('*[=+\-@\t\r])"
ARROW_REPLACEMENT = r"\1"


def neutralise(text: str) -> str:
    """TEXT as a CSV cell a spreadsheet shows as text: prefixed with ' when it could start a formula."""
    if text and (text[0] in _TRIGGERS or text[0] == "'") and _RISKY.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The text a neutralised cell stood for (other cells unchanged)."""
    if text[:1] == "'" and _NEUTRALISED.match(text):
        return text[1:]
    return text


def restore_row(row: Iterable[str]) -> list[str]:
    return [restore(v) if v[:1] == "'" else v for v in row]


def dict_rows(fh: TextIO) -> Iterator[dict[str, str]]:
    """csv.DictReader over an output CSV with the text restored (and no limit on a field's size)."""
    reader = csv.reader(fh)
    header = next(reader, None)
    if header is None:
        return
    for row in reader:
        values = restore_row(row)
        values += [""] * (len(header) - len(values))
        yield dict(zip(header, values, strict=False))


def restore_arrow(column):  # noqa: ANN001, ANN201 - a pyarrow string array in, the same type out
    """The Arrow version of `restore` for a column of text."""
    import pyarrow.compute as pc

    return pc.replace_substring_regex(column, pattern=ARROW_PATTERN, replacement=ARROW_REPLACEMENT)


def allow_large_fields() -> None:
    """A report's text can hold a cell longer than the csv module's default 128 KiB limit."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


allow_large_fields()
