"""Render the seed report (corpus/enhe-2022.txt) as a Word document with real merged table cells,
then as PDF through LibreOffice. Re-runnable: `python3 corpus/build_corpus.py` from the repo root.

The text file is the seed as published (paragraphs one per line, tables as tab-separated rows).
Tables are laid out as the national template (国办公开办函〔2021〕30号) prints them: merged header
cells, the 三、本年度办理结果 label spanning the outcome rows, group labels spanning their items.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

HERE = Path(__file__).resolve().parent
SEED = HERE / "enhe-2022.txt"
OUT_DOCX = HERE / "enhe-2022.docx"
OUT_PDF = HERE / "enhe-2022.pdf"

TITLE = "中宁县恩和镇人民政府2022年政府信息公开工作年度报告"
BODY_FONT = "Noto Serif CJK SC"
HEAD_FONT = "Noto Sans CJK SC"
FIXED_TIME = datetime(2023, 1, 20, 0, 0, 0)  # the report's publication season; keeps output stable

_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_GROUP = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_ITEM = re.compile(r"^\d+[.．、]")
_NUMBER = re.compile(r"^-?[\d.,]+$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class Block:
    """A seed block: a paragraph line or a table (its tab-separated rows)."""

    text: str = ""
    rows: list[list[str]] | None = None


def read_seed(path: Path) -> list[Block]:
    """Split the seed into paragraphs and tables (runs of tab-separated lines)."""
    blocks: list[Block] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            if blocks and blocks[-1].rows is not None:
                blocks[-1].rows.append([f.strip() for f in line.split("\t")])
            else:
                blocks.append(Block(rows=[[f.strip() for f in line.split("\t")]]))
        elif line.strip():
            blocks.append(Block(text=line.strip()))
    return blocks


# ---------------------------------------------------------------- styling


def _east_asia(element, font: str) -> None:
    """Set all four rFonts slots (eastAsia included) on a style or run's rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


def _style(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    for name, font, size in (("Normal", BODY_FONT, 14), ("Title", HEAD_FONT, 20),
                             ("Heading 1", HEAD_FONT, 15), ("Heading 2", BODY_FONT, 14)):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asia(style.element, font)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _runs(paragraph, text: str) -> None:
    """Add text to a paragraph, turning the seed's **bold** marks into bold runs."""
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos:m.start()])
        paragraph.add_run(m.group(1)).bold = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


# ---------------------------------------------------------------- tables


def _set(cell: _Cell, text: str, bold: bool = False) -> None:
    """Write cell text; a newline in `text` becomes a line break inside the cell's paragraph."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Pt(0)
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.font.size = Pt(9)
        run.bold = bold
        if i < len(text.split("\n")) - 1:
            run.add_break()


def _new_table(document: docx.document.Document, rows: int, cols: int) -> Table:
    table = document.add_table(rows=rows, cols=cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    return table


def _cell_at(table: Table, row: int, col: int) -> _Cell:
    """table.cell(row, col) without its cost: python-docx lays out every cell of the table on each
    call, which made building a report take seconds. Walks the row's cells by grid span, and up
    through vertically merged continuations to the cell that holds them, as table.cell does."""
    rows = table._tbl.tr_lst
    while True:
        start = 0
        for tc in rows[row].tc_lst:
            if start <= col < start + tc.grid_span:
                break
            start += tc.grid_span
        else:
            raise IndexError(f"no cell at row {row}, column {col}")
        if tc.vMerge != "continue" or row == 0:
            return _Cell(tc, table)
        row -= 1
        col = start


def _put(table: Table, row: int, col: int, text: str, rows: int = 1, cols: int = 1, bold: bool = False) -> None:
    """Merge a rows x cols block at (row, col) and write its text once."""
    cell = _cell_at(table, row, col)
    if rows > 1 or cols > 1:
        cell = cell.merge(_cell_at(table, row + rows - 1, col + cols - 1))
    _set(cell, text, bold)


def _widths(table: Table, widths_cm: list[float]) -> None:
    """Set grid column widths, and each cell's width to the sum of the columns it spans."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            _Cell(tc, table).width = Cm(sum(widths_cm[col:col + span]))
            col += span


def table2(document: docx.document.Document, rows: list[list[str]]) -> None:
    """Table 2: four blocks; block titles span the table, single-value rows span the value columns."""
    width = 4
    table = _new_table(document, len(rows), width)
    for r, fields in enumerate(rows):
        cells = [f for f in fields if f]
        for c, text in enumerate(cells):
            last = c == len(cells) - 1
            _put(table, r, c, text, cols=width - c if last else 1, bold=not _NUMBER.match(text))
    _widths(table, [4.4, 3.6, 3.6, 3.6])


def _split_t3(fields: list[str]) -> tuple[list[str], list[str]]:
    labels = [f for f in fields if f and not _NUMBER.match(f)]
    values = [f for f in fields if f and _NUMBER.match(f)]
    return labels, values


def table3(document: docx.document.Document, rows: list[list[str]]) -> None:
    """Table 3: three header rows, then one row per template item under its section and group labels."""
    header = [f for f in rows[0] if f]  # 说明, 申请人情况, 总计
    applicants = [f for f in rows[1] if f]  # 自然人, 法人或其他组织
    orgs = [f for f in rows[2] if f]  # the five organisation kinds
    data = [_split_t3(r) for r in rows[3:]]
    table = _new_table(document, 3 + len(data), 10)
    _put(table, 0, 0, header[0], rows=3, cols=3, bold=True)
    _put(table, 0, 3, header[1], cols=6, bold=True)
    _put(table, 0, 9, header[2], rows=3, bold=True)
    _put(table, 1, 3, applicants[0], rows=2, bold=True)
    _put(table, 1, 4, applicants[1], cols=5, bold=True)
    for i, org in enumerate(orgs):
        _put(table, 2, 4 + i, org, bold=True)

    # place labels: a section row spans three columns; rows under 三、 hang from its merged label,
    # and numbered items hang from their group's merged label
    section: tuple[int, str] | None = None  # (first row, label) of an open section with sub-rows
    group: tuple[int, str] | None = None
    spans: list[tuple[int, int, str, int, int]] = []  # row, col, text, rows, cols

    def close_group(end: int) -> None:
        nonlocal group
        if group is not None:
            spans.append((group[0], 1, group[1], end - group[0], 1))
            group = None

    def close_section(end: int) -> None:
        nonlocal section
        close_group(end)
        if section is not None:
            spans.append((section[0], 0, section[1], end - section[0], 1))
            section = None

    for i, (labels, values) in enumerate(data):
        r = 3 + i
        for c, value in enumerate(values[-7:]):
            _put(table, r, 3 + c, value)
        for label in labels:
            if _SECTION.match(label):
                close_section(r)
                if len(labels) > 1 or label.endswith("办理结果"):
                    section = (r, label)
                else:
                    spans.append((r, 0, label, 1, 3))
            elif _GROUP.match(label):
                close_group(r)
                if len(labels) > 1 and _ITEM.match(labels[-1]):
                    group = (r, label)
                else:
                    spans.append((r, 1, label, 1, 2))
            elif _ITEM.match(label):
                spans.append((r, 2, label, 1, 1))
    close_section(3 + len(data))
    for r, c, text, n_rows, n_cols in spans:
        _put(table, r, c, text, rows=n_rows, cols=n_cols)
    _widths(table, [1.3, 1.8, 4.2] + [1.2] * 7)


def table4(document: docx.document.Document, rows: list[list[str]]) -> None:
    """Table 4: 行政复议 (5 columns) and 行政诉讼 (10: 未经复议直接起诉, 复议后起诉), one row of counts."""
    top = [f for f in rows[0] if f]  # 行政复议, 行政诉讼
    mid = [f for f in rows[1] if f]  # five outcomes, then the two suit kinds
    leaves = [f for f in rows[2] if f]  # ten outcomes under the two suit kinds
    values = [f for f in rows[3] if f]

    def label(text: str) -> str:
        return text.replace(" ", "\n")  # the seed's "结果 维持" prints on two lines

    table = _new_table(document, 4, 15)
    _put(table, 0, 0, top[0], cols=5, bold=True)
    _put(table, 0, 5, top[1], cols=10, bold=True)
    for c in range(5):
        _put(table, 1, c, label(mid[c]), rows=2, bold=True)
    _put(table, 1, 5, mid[5], cols=5, bold=True)
    _put(table, 1, 10, mid[6], cols=5, bold=True)
    for c, text in enumerate(leaves):
        _put(table, 2, 5 + c, label(text), bold=True)
    for c, value in enumerate(values):
        _put(table, 3, c, value)
    _widths(table, [1.05] * 15)


# ---------------------------------------------------------------- document


def build_docx(blocks: list[Block]) -> bytes:
    document = docx.Document()
    _style(document)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = TITLE, "中宁县恩和镇人民政府", "nianbao build_corpus.py"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    renderers = {"二、": table2, "三、": table3, "四、": table4}
    section = ""
    for i, block in enumerate(blocks):
        if block.rows is not None:
            renderers[section](document, block.rows)
            continue
        if i == 0:
            document.add_paragraph(block.text, style="Title")
        elif _SECTION.match(block.text) and len(block.text) < 40:
            section = _SECTION.match(block.text).group(0)
            document.add_paragraph(_BOLD.sub(r"\1", block.text), style="Heading 1")
        else:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(28)
            _runs(paragraph, block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times so reruns give identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def to_pdf(docx_path: Path, pdf_path: Path) -> None:
    """Convert with LibreOffice headless, in a private profile so parallel runs do not collide."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx_path)], check=True, capture_output=True, timeout=300)
        shutil.copyfile(Path(tmp, docx_path.stem + ".pdf"), pdf_path)


def main(argv: list[str]) -> None:
    if not SEED.exists():
        raise SystemExit(f"seed text missing: {SEED}")
    OUT_DOCX.write_bytes(build_docx(read_seed(SEED)))
    print(f"wrote {OUT_DOCX.relative_to(HERE.parent)}")
    if "--no-pdf" not in argv:
        to_pdf(OUT_DOCX, OUT_PDF)
        print(f"wrote {OUT_PDF.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
