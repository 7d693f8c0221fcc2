"""Plain-text reader: any common encoding (extractors.readers.decode), one paragraph per line, tab- or pipe-separated
runs (markdown, grid and box-drawing tables included) as tables.

Portal pages saved as text by archiving tools often start with a `key: value` header closed by a
`==== 正文 ====` line; that header becomes document metadata instead of body text.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import regex as re

from extractors.errors import ReaderError
from extractors.readers.decode import decode_bytes
from schemas.document import Cell, Document, DocumentBuilder, Table

_HEADER_END = re.compile(r"^=+\s*正文\s*=+$")
_HEADER_FIELD = re.compile(r"^([^:：]{1,12})[:：]\s*(.*)$")
_HEADER_KEYS = {"标题": "title", "发布时间": "published", "发布机构": "publisher", "原文链接": "url", "文号": "doc_number"}
_MARKUP = re.compile(r"\*\*|__")  # markdown emphasis that text exports carry
# cell separators of text tables: ASCII and full-width pipes, box-drawing verticals
_BARS = "|｜│┃║"
_TO_PIPE = str.maketrans({bar: "|" for bar in _BARS})
# a pipe-delimited row (markdown tables, text exports of portal tables): two or more bars on the line
_PIPE_ROW = re.compile(rf"^\s*[{_BARS}]?[^{_BARS}\n]*(?:[{_BARS}][^{_BARS}\n]*){{2,}}$")
_PIPE_RULE = re.compile(r"^\s*[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?\s*$")
# a border of a grid or box-drawing table (+----+----+, ├──┼──┤): rules and junctions only
_BORDER = re.compile(rf"^\s*(?=.*[-=─━═]{{2}})(?=.*[+┼┬┴├┤┌┐└┘╋╬╠╣╔╗╚╝╦╩{_BARS}])[-=:─━═+┼┬┴├┤┌┐└┘╋╬╠╣╔╗╚╝╦╩{_BARS}\s]+$")


def _pipe_fields(line: str) -> list[str]:
    """The cells of a pipe-delimited row; the bars at either edge open and close it."""
    line = line.strip().translate(_TO_PIPE)
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return line.split("|")


def decode_text(data: bytes) -> str:
    """Decode a text report's bytes (extractors.readers.decode: BOMs, UTF-16/32, UTF-8, a guess, GB18030)."""
    return decode_bytes(data).text


def _split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    for i, line in enumerate(lines[:40]):
        if _HEADER_END.match(line.strip()):
            meta: dict[str, str] = {}
            for head in lines[:i]:
                m = _HEADER_FIELD.match(head.strip())
                if m and m.group(1).strip() in _HEADER_KEYS and m.group(2).strip():
                    meta[_HEADER_KEYS[m.group(1).strip()]] = m.group(2).strip()
            return meta, lines[i + 1:]
    return {}, lines


# hard-wrapped text (a browser's or console tool's text export at a fixed width): the width seen on at
# least WRAP_MIN_LINES lines, and at least WRAP_SHARE of the lines this long, marks a wrapped file
WRAP_MIN_WIDTH = 40
WRAP_MIN_LINES = 5
WRAP_SHARE = 0.3
WRAP_OVER = 0.05  # the share of lines wider than the wrap width that a wrapped file may have


def _width(line: str) -> int:
    """Display width: wide (CJK, full-width) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def unwrap(lines: list[str]) -> list[str]:
    """Join the lines a fixed-width export broke (a line as wide as the wrap width goes on with the
    next), so a number or label cut at the margin is whole again. Joined without a space: a space
    inside a flattened run would be a false cell boundary, while a missing one only adds readings."""
    widths = [_width(line.rstrip()) for line in lines]
    long = [w for w in widths if w >= WRAP_MIN_WIDTH]
    if len(long) < WRAP_MIN_LINES:
        return lines
    # the wrap width: the width that most lines reach or miss by one column (a wide character that
    # did not fit), the wider one on a tie
    near = Counter(wrap for w in long for wrap in (w, w + 1))
    wrap, count = max(near.items(), key=lambda kv: (kv[1], kv[0]))
    over = sum(1 for w in long if w > wrap + 1)  # an unbreakable word (a URL) may stick out
    if count < WRAP_MIN_LINES or count < WRAP_SHARE * len(long) or over > WRAP_OVER * len(long):
        return lines
    out: list[str] = []
    joining = False
    for line, w in zip(lines, widths, strict=True):
        table_line = _is_table_line(line)
        if joining and line.strip() and not table_line:
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
        joining = w >= wrap - 1 and not table_line  # a tab's width is the exporter's: never judged
    return out


def _is_table_line(line: str) -> bool:
    """A row or border of a text table (tab- or bar-separated)."""
    return "\t" in line or bool(_PIPE_ROW.match(line) or _BORDER.match(line))


MAX_CELL_CHARS = 300  # a tab-separated field longer than this is prose, not a table cell


def _prose(line: str) -> bool:
    """A line with tabs that is no table row: a field of it runs on like prose (a report saved on one
    line, its table rows and paragraphs joined). It is read as a paragraph; the tabs stay, so the
    flattened-text reader still sees its cell boundaries."""
    return any(len(field) > MAX_CELL_CHARS for field in line.split("\t"))


def read_txt(data: bytes, source: str) -> Document:
    decoded = decode_bytes(data)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    meta, lines = _split_header(text.split("\n"))
    lines = unwrap(lines)
    builder = DocumentBuilder(source, "txt")
    builder.doc.warnings.extend(decoded.warnings)
    builder.doc.metadata.update(meta)
    builder.page(None)
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if table_rows:
            cells = [Cell(row=r, col=c, text=field.strip())
                     for r, row in enumerate(table_rows) for c, field in enumerate(row)]
            builder.table(Table(cells=cells))
            table_rows.clear()

    for line in lines:
        line = _MARKUP.sub("", line)
        if "\t" in line and not _prose(line):
            table_rows.append(line.split("\t"))
            continue
        if _PIPE_RULE.match(line) and table_rows:
            continue  # the |---|---| rule under a markdown header row
        if _BORDER.match(line):
            if line.lstrip()[:1] in "┌╔":
                flush_table()  # a box-drawing table's top border starts a new table
            continue  # a grid table's border: no cells, and it does not end the table
        if _PIPE_ROW.match(line):
            table_rows.append(_pipe_fields(line))
            continue
        flush_table()
        builder.paragraph(line)
    flush_table()
    doc = builder.build()
    if not doc.text.strip() and not doc.tables:
        raise ReaderError("text file holds no text")
    return doc
