"""Render layout variants whose table spans are damaged (issue 24, item 5): the `base-2021` variant as a
portal page (HTML with its real rowspan/colspan) and as its DOCX, with the 法人或其他组织 header span made
invalid (-1, 0, 1e9: read as 1, as browsers and Word do), so the header maps value columns to the wrong
keys while the data rows keep their shape (in HTML; a DOCX prints every vMerge continuation as a cell
of its own, so the same damage there moves no column: its variants hold that); and one page where a data
row also lost a cell, so the re-read cannot be proven. Each gets a truth file: the values are base-2021's (the generator's input there), with
the status the reading must give and the words its notes must hold.

Re-runnable: `python3 corpus/build_span_variants.py` from the repo root writes corpus/variants/span-*.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from html import escape
from pathlib import Path

import regex as re

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.readers import read_document  # noqa: E402
from schemas.document import Table  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "variants"
SOURCE = OUT / "base-2021.docx"
ORG = "法人或其他组织"
DAMAGE = {"neg": "-1", "zero": "0", "huge": "1e9"}
REMAPPED = "columns re-mapped"


def page_html() -> str:
    """base-2021 as a portal page: paragraphs, and tables with the spans the DOCX prints."""
    doc = read_document(SOURCE.read_bytes(), SOURCE.name, "docx")
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(doc.text.splitlines()[0])}"
             "</title></head><body><div class='TRS_Editor'>"]
    for block in (b for page in doc.pages for b in page.blocks):
        if not isinstance(block, Table):
            parts.append(f"<p>{escape(block.text)}</p>")
            continue
        rows: dict[int, list[str]] = {}
        for cell in sorted(block.cells, key=lambda c: (c.row, c.col)):
            spans = (f' rowspan="{cell.row_span}"' if cell.row_span > 1 else "") + (
                f' colspan="{cell.col_span}"' if cell.col_span > 1 else "")
            text = "<br>".join(escape(line) for line in cell.text.split("\n"))
            rows.setdefault(cell.row, []).append(f"<td{spans}>{text}</td>")
        parts.append("<table border='1'>" + "".join(f"<tr>{''.join(r)}</tr>" for _, r in sorted(rows.items()))
                     + "</table>")
    parts.append("</div></body></html>")
    return "".join(parts)


def total_under_applicants(html: str) -> str:
    """The page with 总计 printed under 申请人情况, beside 法人或其他组织 (as 平潭's portal page prints it):
    a damaged 法人或其他组织 span then moves 总计 and the organisation headers over other columns."""
    html = html.replace('<td colspan="6">申请人情况</td><td rowspan="3">总计</td>', '<td colspan="7">申请人情况</td>', 1)
    return html.replace(f'<td colspan="5">{ORG}</td>', f'<td colspan="5">{ORG}</td><td rowspan="2">总计</td>', 1)


def damage_html(html: str, value: str) -> str:
    """The page with the colspan of the 法人或其他组织 header cell set to VALUE."""
    at = html.index(f">{ORG}<")
    start = html.rindex("<td", 0, at)
    cell = html[start:at]
    return html[:start] + re.sub(r'colspan="\d+"', f'colspan="{value}"', cell) + html[at:]


def drop_cell(html: str, label: str, nth: int) -> str:
    """The page with the nth <td> after LABEL removed (a data row loses a cell; the rest slide left)."""
    at = html.index(label)
    starts = [m.start() for m in re.finditer(r"<td\b", html[at:])]
    start = at + starts[nth]
    return html[:start] + html[html.index("</td>", start) + len("</td>"):]


def _rows_from(body: str, at: int, n: int) -> tuple[int, list[str]]:
    """Where the table row holding offset AT starts, and that row with the n-1 rows after it."""
    start = body.rindex("<w:tr>", 0, at)
    rows, end = [], start
    for _ in range(n):
        stop = body.index("</w:tr>", end) + len("</w:tr>")
        rows.append(body[end:stop])
        end = stop
    return start, rows


def _cells(row: str) -> list[str]:
    return re.findall(r"<w:tc>.*?</w:tc>", row)


def docx_total_under(body: str) -> str:
    """The DOCX's table 3 header with 总计 under 申请人情况, beside 法人或其他组织 (the page layout of
    total_under_applicants): 申请人情况 spans seven columns, 总计 starts in the second header row."""
    start, rows = _rows_from(body, body.index("申请人情况"), 2)
    top, second = rows
    total = _cells(top)[-1]
    assert "总计" in total and "vMerge" in _cells(second)[-1]
    top = top.replace(total, "").replace('<w:gridSpan w:val="6"/>', '<w:gridSpan w:val="7"/>', 1)
    second = second[: second.rindex("<w:tc>")] + total + "</w:tr>"
    old = "".join(rows)
    return body[:start] + top + second + body[start + len(old):]


def damage_docx(body: str, value: str) -> str:
    """The document XML with the gridSpan of its 法人或其他组织 header cell set to VALUE."""
    at = body.index(ORG)
    start = body.rindex("<w:tc>", 0, at)
    cell = body[start:at]
    return body[:start] + re.sub(r'<w:gridSpan w:val="\d+"/>', f'<w:gridSpan w:val="{value}"/>', cell) + body[at:]


def docx_of(body: str) -> bytes:
    """base-2021.docx with its document XML replaced (fixed entry times: the same bytes on every run)."""
    source = zipfile.ZipFile(SOURCE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = body.encode() if info.filename == "word/document.xml" else source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, data)
    return buffer.getvalue()


def truth(name: str, note: str, status: str, notes: list[str]) -> dict:
    """base-2021's truth under a new name, with the status and the words the reading's notes must hold."""
    base = json.loads((OUT / "base-2021.truth.json").read_text(encoding="utf-8"))
    return {**base, "name": name, "note": note, "status": status, "notes": notes}


def main() -> None:
    html = page_html()
    under = total_under_applicants(html)
    assert under.count("总计</td>") >= 2 and under != html
    body_under = docx_total_under(zipfile.ZipFile(SOURCE).read("word/document.xml").decode())
    out: dict[str, tuple[str, bytes, dict]] = {
        "span-docx-total-under": ("docx", docx_of(body_under), truth(
            "span-docx-total-under", "DOCX, 总计 under 申请人情况 (the layout the damaged DOCX start from)",
            "ok", [])),
        "span-html-total-under": ("html", under.encode(), truth(
            "span-html-total-under", "portal page, 总计 under 申请人情况 (the layout the damaged variants start from)",
            "ok", [])),
    }
    for tag, value in DAMAGE.items():
        name = f"span-html-org-{tag}"
        out[name] = ("html", damage_html(html, value).encode(), truth(
            name, f"portal page, {ORG} colspan={value}: the damage moves no column", "ok", []))
        name = f"span-html-total-org-{tag}"
        out[name] = ("html", damage_html(under, value).encode(), truth(
            name, f"portal page, 总计 under 申请人情况, {ORG} colspan={value}: the header maps 总计 and the "
                  "organisations to other columns; re-read by the columns' printed order", "ok", [REMAPPED]))
        name = f"span-docx-total-org-{tag}"
        out[name] = ("docx", docx_of(damage_docx(body_under, value)), truth(
            name, f"DOCX, 总计 under 申请人情况, {ORG} gridSpan={value}: the reader places the explicit "
                  "vMerge cells, the header maps every column as printed", "ok", []))
    name = "span-html-org-and-cell"
    damaged = drop_cell(damage_html(under, "0"), "予以公开", 2)
    t = truth(name, f"portal page, {ORG} colspan=0 and a cell of 予以公开 lost: not provable, partial", "partial",
              ["t3_requests.granted"]) | {"cells_moved": True}
    out[name] = ("html", damaged.encode(), t)
    for name, (fmt, data, tr) in out.items():
        (OUT / f"{name}.{fmt}").write_bytes(data)
        (OUT / f"{name}.truth.json").write_text(json.dumps(tr, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {name}.{fmt}")


if __name__ == "__main__":
    main()
