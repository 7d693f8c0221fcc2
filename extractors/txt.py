"""Plain-text reader: any common encoding (extractors.decode), one paragraph per line, tab- or pipe-separated runs
(markdown tables included) as tables.

Portal pages saved as text by archiving tools often start with a `key: value` header closed by a
`==== 正文 ====` line; that header becomes document metadata instead of body text.
"""

from __future__ import annotations

import regex as re

from extractors.decode import decode_bytes
from extractors.errors import ReaderError
from schemas.document import Cell, Document, DocumentBuilder, Table

_HEADER_END = re.compile(r"^=+\s*正文\s*=+$")
_HEADER_FIELD = re.compile(r"^([^:：]{1,12})[:：]\s*(.*)$")
_HEADER_KEYS = {"标题": "title", "发布时间": "published", "发布机构": "publisher", "原文链接": "url", "文号": "doc_number"}
_MARKUP = re.compile(r"\*\*|__")  # markdown emphasis that text exports carry
# a pipe-delimited row (markdown tables, text exports of portal tables): two or more |/｜ on the line
_PIPE_ROW = re.compile(r"^\s*[|｜]?[^|｜\n]*(?:[|｜][^|｜\n]*){2,}$")
_PIPE_RULE = re.compile(r"^\s*[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?\s*$")


def _pipe_fields(line: str) -> list[str]:
    """The cells of a pipe-delimited row; the pipes at either edge open and close it."""
    line = line.strip().replace("｜", "|")
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return line.split("|")


def decode_text(data: bytes) -> str:
    """Decode a text report's bytes (extractors.decode: BOMs, UTF-16/32, UTF-8, a guess, GB18030)."""
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


def read_txt(data: bytes, source: str) -> Document:
    decoded = decode_bytes(data)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    meta, lines = _split_header(text.split("\n"))
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
        if "\t" in line:
            table_rows.append(line.split("\t"))
            continue
        if _PIPE_RULE.match(line) and table_rows:
            continue  # the |---|---| rule under a markdown header row
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
