"""A PDF page's ruled tables as a crop needs them: the cells' boxes found as the PDF reader finds them
(pdf_tables.find_tables), the text of a cell read only when a crop's header rows ask for it.

The reader's tables of visible rules do not depend on the glyphs, so they are found without them; the
text of every cell, which the crop does not need, was an eighth of its table-finding time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from schemas.document import Cell, Table


@dataclass
class PageTables:
    """The ruled tables of one PDF page, and the means to read their cells' text when asked."""

    number: int
    tables: list[Table]
    texted: bool = False  # the tables came with their cells' text (the reader's fallback path found them)
    ruled: Any = field(default=None, repr=False)  # the page's rules (a RulePage without glyphs)
    _index: Any = field(default=None, repr=False)  # pdf_tables' glyph index of the page, built on first use
    _exact: list[Table] | None = field(default=None, repr=False)  # the tables found with the glyphs
    _texts: dict[int, str] = field(default_factory=dict, repr=False)  # id(cell) -> its text

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def readable(self, page: Any) -> bool:
        """Whether the page's glyphs can be read (where they cannot, the reader finds no table on it: the
        crop then shows the row alone, as it did when the glyphs were read first)."""
        if self.texted:
            return True
        if self._index is None:
            from extractors.readers.pdf_fast import page_chars
            from extractors.readers.pdf_tables import CharsByHeight

            try:
                self._index = CharsByHeight(page_chars(page))
            except Exception:  # noqa: BLE001 - as _page_tables: no glyphs, no grid
                return False
        return True

    def rows_above(self, page: Any, table: Table, count: int) -> list[list[str]]:
        """Text rows 0..COUNT-1 of TABLE as table.text_rows() gives them once its cells hold their text."""
        if not self.readable(page):
            raise ValueError("the page's glyphs cannot be read")
        grid = table.grid()[:count]
        if not self.texted:
            try:
                return [[self._text(c) if c is not None else "" for c in row] for row in grid]
            except _Unsure:
                table = self._exact_tables()[next(i for i, t in enumerate(self.tables) if t is table)]
                grid = table.grid()[:count]
        return [[c.text if c is not None else "" for c in row] for row in grid]

    def _text(self, cell: Cell) -> str:
        """A cell's text from its box, kept to 0.01 pt: a glyph whose centre lies within that of the box's
        edge might stand on the other side of the unrounded edge the reader used (_Unsure)."""
        key = id(cell)
        if key not in self._texts:
            if not cell.bbox:
                raise _Unsure
            x0, top, x1, bottom = cell.bbox
            text = self._index.text_in(cell.bbox)
            if (self._index.text_in((x0 - _SLACK, top - _SLACK, x1 + _SLACK, bottom + _SLACK)) != text
                    or self._index.text_in((x0 + _SLACK, top + _SLACK, x1 - _SLACK, bottom - _SLACK)) != text):
                raise _Unsure
            self._texts[key] = text
        return self._texts[key]

    def _exact_tables(self) -> list[Table]:
        """The page's tables as the reader finds them, every cell's text read from the glyphs."""
        if self._exact is None:
            from extractors.readers.pdf_pdfium_tables import RulePage
            from extractors.readers.pdf_tables import find_tables

            ruled = self.ruled
            self._exact = find_tables(RulePage(ruled.width, ruled.height, self._index.chars, ruled.objects),
                                      self.number)
            if [t.bbox for t in self._exact] != [t.bbox for t in self.tables]:
                raise ValueError("the tables found with the glyphs are not those found without them")
        return self._exact


_SLACK = 0.01  # points: more than the rounding of a cell's box (0.005)


class _Unsure(Exception):
    """A cell's text cannot be told from its rounded box."""


def page_tables(page: Any, number: int) -> PageTables:
    """The ruled tables of a pypdfium2 page, found as the PDF reader finds them, their cells' text left to
    be read when asked; none where the page's objects cannot be read (nested forms)."""
    from extractors.readers.pdf_fast import page_chars
    from extractors.readers.pdf_pdfium_tables import RulePage, rule_page
    from extractors.readers.pdf_tables import find_tables, has_hidden_boxes, is_visible_rule

    bare = rule_page(page, [])
    if bare is None:
        return PageTables(number, [], texted=True)
    # find_tables takes the tables of the visible rules, their geometry independent of the glyphs; only
    # where they give none and filled boxes are drawn does it look again with the glyphs (it then drops
    # text rows by their text), so there it is asked as it is
    tables = find_tables(bare.filter(is_visible_rule), number)
    if tables or not has_hidden_boxes(bare):
        return PageTables(number, tables, ruled=bare)
    chars = page_chars(page)
    return PageTables(number, find_tables(RulePage(bare.width, bare.height, chars, bare.objects), number),
                      texted=True)
