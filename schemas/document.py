"""The document model every reader produces: pages of blocks (paragraphs, tables) in reading order.

Nothing downstream of a reader knows the file format; provenance (page, cell, character offsets,
PDF boxes) travels with each block so that every extracted value can say where it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin


class CellSource(StrEnum):
    """Where a cell's text came from: the file's own text, or OCR of an image of the page."""

    TEXT = "text"
    OCR = "ocr"


@dataclass
class Paragraph:
    """A run of body text. `start`/`end` are character offsets into `Document.text`."""

    text: str
    page: int | None = None
    start: int = 0
    end: int = 0
    bbox: BBox | None = None


@dataclass
class Cell:
    """One cell of a table grid, stored once at its top-left grid position (merged cells span)."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    page: int | None = None
    bbox: BBox | None = None
    # provenance of the text: an OCR reader sets source=OCR, the engine's confidence (lowest over the
    # cell's text; None where it recognised nothing), the ink marks it found inside the cell's rules,
    # one box per mark side by side (None: not looked at; (): the box is empty), and what the engine
    # printed where the reader reads the marks otherwise (。 over a digit's mark as 0, 一 as a dash)
    read_by: CellSource = CellSource.TEXT
    confidence: float | None = None
    ink: tuple[BBox, ...] | None = None
    ocr_text: str | None = None


@dataclass
class Table:
    """A grid of cells. A table continued across pages stays one Table per page in the model;
    joining continuations is the template extractor's job, because only it knows the template."""

    cells: list[Cell] = field(default_factory=list)
    page: int | None = None
    bbox: BBox | None = None
    # offset into Document.text where the table stands (between the paragraphs around it)
    start: int = 0
    # the source marks up every cell (HTML <td>, Word <w:tc>): a row short of cells is damage, not layout,
    # and a blank beside it is no evidence (tables rebuilt from positions or text lines leave this False)
    markup: bool = False

    @property
    def n_rows(self) -> int:
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.col_span for c in self.cells), default=0)

    def grid(self) -> list[list[Cell | None]]:
        """Rows of cells with spans expanded: a merged cell appears at every position it covers."""
        n_cols = self.n_cols  # once: a property over all the cells
        rows: list[list[Cell | None]] = [[None] * n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    rows[r][c] = cell
        return rows

    def text_rows(self) -> list[list[str]]:
        """The grid as text, merged cells repeated over their span ('' where nothing stands)."""
        return [[c.text if c is not None else "" for c in row] for row in self.grid()]


Block = Paragraph | Table


@dataclass
class Page:
    """A page of a paged format; unpaged formats (HTML, TXT, DOCX) hold one Page numbered None."""

    number: int | None
    blocks: list[Block] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    # True when text on the page came from OCR: the page had no text layer (a scan), or the regions in
    # ocr_regions (images on a text page, a table pasted in as a picture) were read by OCR
    ocr: bool = False
    ocr_regions: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom


@dataclass
class Document:
    """A read file: its pages of blocks, plus facts the reader learnt along the way."""

    source: str
    format: str
    pages: list[Page] = field(default_factory=list)
    page_count: int | None = None  # None for formats without pages
    metadata: dict[str, str] = field(default_factory=dict)  # e.g. HTML <title>, PDF Title
    warnings: list[str] = field(default_factory=list)
    # things printed that the reader could not read (a table as an image without the OCR extra): the
    # report cannot be ok, and each is a reason for its partial status
    unread: list[str] = field(default_factory=list)
    text: str = ""

    def blocks(self) -> Iterator[Block]:
        for page in self.pages:
            yield from page.blocks

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks() if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks() if isinstance(b, Table)]


# work bounded by the input: no report table comes near these (the template's run to 30 x 10)
MAX_TABLE_CELLS = 20_000  # distinct cells of one table
MAX_TABLE_COLS = 200  # columns of one table (the template extractor's work grows with their square)
MAX_GRID_AREA = 200_000  # positions of one table's expanded grid (rows x columns)


class DocumentBuilder:
    """Collects blocks page by page and assigns character offsets, so readers stay simple."""

    def __init__(self, source: str, fmt: str) -> None:
        self.doc = Document(source=source, format=fmt)
        self._parts: list[str] = []
        self._offset = 0

    def page(self, number: int | None, width: float | None = None, height: float | None = None) -> Page:
        page = Page(number=number, width=width, height=height)
        self.doc.pages.append(page)
        return page

    def _current(self) -> Page:
        return self.doc.pages[-1] if self.doc.pages else self.page(None)

    def paragraph(self, text: str, bbox: BBox | None = None) -> Paragraph | None:
        """Append a paragraph (blank text is dropped); returns it with offsets set."""
        text = text.strip()
        if not text:
            return None
        page = self._current()
        para = Paragraph(text=text, page=page.number, start=self._offset, end=self._offset + len(text),
                         bbox=bbox)
        self._parts.append(text)
        self._offset += len(text) + 1  # the joining newline
        page.blocks.append(para)
        return para

    def table(self, table: Table) -> Table | None:
        """Append a table (an empty grid is dropped); cells inherit the page when they lack one.

        A grid beyond MAX_TABLE_CELLS or MAX_GRID_AREA is dropped with a warning: its expanded grid would
        cost memory out of all proportion to the file, and no report table comes near it."""
        if not table.cells:
            return None
        area = table.n_rows * table.n_cols
        if len(table.cells) > MAX_TABLE_CELLS or table.n_cols > MAX_TABLE_COLS or area > MAX_GRID_AREA:
            self.doc.warnings.append(f"a table of {table.n_rows} rows x {table.n_cols} columns "
                                     f"({len(table.cells)} cells) is beyond the size limit and was not read")
            return None
        page = self._current()
        table.page = page.number if table.page is None else table.page
        for cell in table.cells:
            if cell.page is None:
                cell.page = table.page
        table.start = self._offset
        page.blocks.append(table)
        return table

    def build(self) -> Document:
        self.doc.text = "\n".join(self._parts)
        if self.doc.page_count is None and any(p.number is not None for p in self.doc.pages):
            self.doc.page_count = len(self.doc.pages)
        return self.doc
