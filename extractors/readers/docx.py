"""DOCX reader: body paragraphs and tables in document order, merged cells read once with their spans.

The body XML is walked directly (w:p, w:tbl, content controls), because python-docx's paragraph text
skips runs inside tracked insertions and smart tags, and its cell grid repeats merged cells.
Text boxes, drawings and deleted text are ignored; nested tables are flattened into their cell's text.
A single-column table (a 'frame' around body text) is unwrapped into the body it holds.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from extractors.errors import ReaderError
from extractors.readers.spans import MAX_COLSPAN, colspan, compact_columns
from schemas.document import Cell, Document, DocumentBuilder, Table
from schemas.records import Status

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# subtrees whose text is not body text: text boxes, drawings, VML shapes, deleted runs, field codes
_SKIP = {f"{_W}txbxContent", f"{_W}drawing", f"{_W}pict", f"{_W}del", f"{_W}instrText",
         f"{_W}delText", f"{_W}rPr", f"{_W}pPr", f"{{{MC}}}AlternateContent", f"{_W}object"}
# wrappers whose children are read as if they stood in the parent (content controls, custom XML)
_WRAPPERS = {f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo", f"{_W}smartTag"}


@dataclass
class _GridCell:
    """A cell being placed on the grid: its top-left position, spans and paragraphs of text."""

    row: int
    col: int
    col_span: int
    lines: list[str]
    row_span: int = 1
    element: etree._Element | None = None
    nested: list[etree._Element] = field(default_factory=list)  # nested w:tbl, kept for frame unwrap


def _attr(el: etree._Element | None, name: str = "val") -> str | None:
    return None if el is None else el.get(f"{_W}{name}")


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value), default) if value is not None else default
    except ValueError:
        return default


def paragraph_text(p: etree._Element) -> str:
    """Text of a w:p (or any run container): w:t, tabs as spaces, line breaks as newlines."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append(" ")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if _attr(child, "type") != "page":
                    parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}sym":
                char = _attr(child, "char")
                if char:
                    try:
                        parts.append(chr(int(char, 16)))
                    except ValueError:
                        pass
            else:
                walk(child)

    walk(p)
    return "".join(parts).replace("\xa0", " ").replace("\u3000", " ")


def _children(el: etree._Element) -> Iterator[etree._Element]:
    """Block-level children, looking through content controls and custom-XML wrappers."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _WRAPPERS:
            content = child.find(f"{_W}sdtContent")
            yield from _children(content if content is not None else child)
        else:
            yield child


def _flatten(tbl: etree._Element) -> str:
    """A nested table as text: cells joined by spaces, rows by newlines."""
    rows = []
    for tr in _children(tbl):
        if tr.tag != f"{_W}tr":
            continue
        cells = [_cell_text(tc)[0] for tc in _children(tr) if tc.tag == f"{_W}tc"]
        line = " ".join(c.replace("\n", " ") for c in cells if c.strip())
        if line:
            rows.append(line)
    return "\n".join(rows)


def _cell_text(tc: etree._Element) -> tuple[str, list[etree._Element]]:
    """A cell's text (paragraphs joined by newlines, nested tables flattened) and its nested tables."""
    lines: list[str] = []
    nested: list[etree._Element] = []
    for child in _children(tc):
        if child.tag == f"{_W}p":
            lines.append(paragraph_text(child).strip())
        elif child.tag == f"{_W}tbl":
            nested.append(child)
            lines.append(_flatten(child))
    return "\n".join(line for line in lines if line), nested


def grid_cells(tbl: etree._Element) -> list[_GridCell]:
    """Place a w:tbl's cells on the grid: gridBefore/gridSpan move columns, vMerge extends row spans."""
    placed: list[_GridCell] = []
    # the cell that currently ends at each column start, for vMerge continuation
    open_at: dict[int, _GridCell] = {}
    row = 0
    for tr in _children(tbl):
        if tr.tag != f"{_W}tr":
            continue
        tr_pr = tr.find(f"{_W}trPr")
        col = min(_int(_attr(tr_pr.find(f"{_W}gridBefore")), 0), MAX_COLSPAN) if tr_pr is not None else 0
        continued: dict[int, _GridCell] = {}
        for tc in _children(tr):
            if tc.tag != f"{_W}tc":
                continue
            tc_pr = tc.find(f"{_W}tcPr")
            span = colspan(_attr(tc_pr.find(f"{_W}gridSpan"))) if tc_pr is not None else 1  # clipped as HTML
            vmerge = tc_pr.find(f"{_W}vMerge") if tc_pr is not None else None
            text, nested = _cell_text(tc)
            above = open_at.get(col)
            if vmerge is not None and _attr(vmerge) in (None, "continue") and above is not None \
                    and above.row + above.row_span == row:
                above.row_span += 1
                if text:
                    above.lines.append(text)
                above.nested.extend(nested)
                continued[col] = above
            else:
                cell = _GridCell(row=row, col=col, col_span=span, lines=[text] if text else [],
                                 element=tc, nested=nested)
                placed.append(cell)
                continued[col] = cell
            col += span
        open_at = continued
        row += 1
    return placed


def _is_frame(cells: list[_GridCell]) -> bool:
    """A single-column table (or a single cell): a frame around body text, not a data grid."""
    if not cells:
        return False
    width = max(c.col + c.col_span for c in cells) - min(c.col for c in cells)
    return width == 1 or len(cells) == 1


class _BodyReader:
    """Walks body-level elements into a DocumentBuilder."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder

    def body(self, el: etree._Element) -> None:
        for child in _children(el):
            if child.tag == f"{_W}p":
                for line in paragraph_text(child).split("\n"):
                    self.builder.paragraph(line)
            elif child.tag == f"{_W}tbl":
                self.table(child)

    def table(self, tbl: etree._Element) -> None:
        cells = grid_cells(tbl)
        if _is_frame(cells):
            for cell in cells:
                if cell.element is not None:
                    self.body(cell.element)
            return
        self.builder.table(Table(cells=compact_columns([
            Cell(row=c.row, col=c.col, text="\n".join(c.lines), row_span=c.row_span, col_span=c.col_span)
            for c in cells
        ]), markup=True))


@dataclass
class _Package:
    """What the reader needs of a .docx: the w:body element, the core title, and notes on how it was read."""

    body: etree._Element | None
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    running: tuple[str, ...] = ()  # the distinct lines of the sections' page headers and footers


# zip safety as for archive members (pipeline.discover): a part must not inflate beyond reason
MAX_PART_BYTES = 256 * 2**20
MAX_PART_RATIO = 200
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _part_problem(info: zipfile.ZipInfo) -> str:
    if info.file_size > MAX_PART_BYTES:
        return f"DOCX part {info.filename} of {info.file_size // 2**20} MiB is beyond the limit (zip bomb?)"
    if info.compress_size and info.file_size > 2**20 and info.file_size / info.compress_size > MAX_PART_RATIO:
        return f"DOCX part {info.filename} expands {info.file_size // info.compress_size}x (zip bomb?)"
    return ""


def _open(data: bytes) -> _Package:
    """The package's body and title: through python-docx, else (an optional part missing or broken, such as
    styles.xml) straight from word/document.xml, which is all the body needs."""
    raw_body = b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            problem = next(filter(None, map(_part_problem, infos)), "")
            if problem:
                raise ReaderError(problem)
            bad = zf.testzip()
            if bad is None and "word/document.xml" in names:
                raw_body = zf.read("word/document.xml")
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise ReaderError(f"corrupt DOCX: not a readable zip archive ({exc})") from exc
    if bad is not None:
        raise ReaderError(f"corrupt DOCX: damaged part {bad}")
    if "word/document.xml" not in names:
        kind = "spreadsheet" if any(n.startswith("xl/") for n in names) else (
            "presentation" if any(n.startswith("ppt/") for n in names) else "zip archive")
        raise ReaderError(f"not a Word document: a {kind} without word/document.xml")
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, etree.XMLSyntaxError) as exc:
        return _from_xml(raw_body, f"read without python-docx ({_first_line(exc)})")
    try:
        title = (document.core_properties.title or "").strip()
    except Exception:  # noqa: BLE001 - a broken core.xml must not stop the body being read
        title = ""
    return _Package(body, title, running=_running_lines(document))


MAX_RUNNING_LINES = 12  # distinct header and footer lines kept (a report repeats one or two)
MAX_RUNNING_CHARS = 200


def _running_lines(document: Any) -> tuple[str, ...]:
    """The text of the page headers and footers (a report's title printed on every page is often only
    there): metadata, never body text, so no figure or table is read from it."""
    lines: list[str] = []
    try:
        for section in document.sections:
            for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
                for para in part.paragraphs:
                    text = " ".join(para.text.split())[:MAX_RUNNING_CHARS]
                    if text and text not in lines:
                        lines.append(text)
                    if len(lines) >= MAX_RUNNING_LINES:
                        return tuple(lines)
    except Exception:  # noqa: BLE001 - a broken header part must not stop the body being read
        return tuple(lines)
    return tuple(lines)


def _from_xml(raw: bytes, note: str) -> _Package:
    try:
        root = etree.fromstring(raw, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"corrupt DOCX: word/document.xml is not well-formed ({_first_line(exc)})") from exc
    return _Package(root.find(f"{_W}body"), warnings=[note])


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def read_docx(data: bytes, source: str) -> Document:
    """Read a .docx into the document model (one unnumbered page)."""
    package = _open(data)
    if package.body is None:
        raise ReaderError("Word document without a body (word/document.xml holds no w:body)")
    builder = DocumentBuilder(source, "docx")
    builder.page(None)
    builder.doc.warnings.extend(package.warnings)
    if package.title:
        builder.doc.metadata["title"] = package.title
    if package.running:
        builder.doc.metadata["running_header"] = "\n".join(package.running)
    _BodyReader(builder).body(package.body)
    doc = builder.build()
    if not doc.text.strip() and not doc.tables:
        raise ReaderError("Word document holds no text", status=Status.PARTIAL)
    return doc
