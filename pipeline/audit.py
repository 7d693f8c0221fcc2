"""OUT/audit.html: one self-contained static page for auditors — documents, their flags, the numbers,
the sentence or table row behind each flag, and for PDFs a crop of the page around the evidence.

Everything taken from a document is untrusted: it is HTML-escaped, images are embedded as PNG data
URIs we render ourselves, and the page carries a Content-Security-Policy that runs no script at all.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from pipeline.csvsafe import dict_rows, restore_row
from pipeline.writers import open_temp

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_CROPS_PER_DOCUMENT = 12
MAX_CROPS_PER_RUN = 300  # a whole archive's page stays light; later flags show their text only
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table.summary{border-collapse:collapse;margin:1em 0}table.summary td,table.summary th{border:1px solid #ddd;padding:.3em .6em}
.flag{border-left:5px solid #999;padding:.5em 1em;margin:.8em 0;background:#fafafa}
.error{border-color:#c62828}.warning{border-color:#ef6c00}.info{border-color:#1565c0}
.sev{font-weight:bold;text-transform:uppercase;font-size:.8em}.error .sev{color:#c62828}
.warning .sev{color:#ef6c00}.info .sev{color:#1565c0}
.meta{color:#666;font-size:.9em}.evidence{background:#fff;border:1px solid #eee;padding:.4em;margin:.4em 0;white-space:pre-wrap}
code{background:#f0f0f0;padding:0 .2em}img.crop{max-width:100%;border:1px solid #ccc;margin-top:.4em}
"""


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of one output CSV, one at a time (none when the file is missing)."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from dict_rows(fh)  # text as the report had it (the CSVs neutralise formula-like cells)


def _read(path: Path) -> list[dict[str, str]]:
    return list(_rows(path))


def _named_rows(path: Path, wanted: set[tuple[str, str]], ref_columns: tuple[str, ...],
                prefix: str = "") -> Iterator[dict[str, str]]:
    """The rows of one output CSV that a flag names: (doc_id, PREFIX + the ref columns joined by '.') is
    in WANTED. Only those rows become dicts: the cells of an archive are many, the named ones few."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        if "doc_id" not in header or not set(ref_columns) <= set(header):
            return
        doc, parts = header.index("doc_id"), [header.index(c) for c in ref_columns]
        for row in reader:
            row = restore_row(row) + [""] * (len(header) - len(row))
            if (row[doc], prefix + ".".join(row[i] for i in parts)) in wanted:
                yield dict(zip(header, row, strict=False))


def _e(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def _source_bytes(source: str) -> bytes | None:
    """The bytes of a document named by its source (a path, or archive.zip!member)."""
    from pipeline.discover import InputItem

    path, _, member = source.partition("!")
    members = tuple(member.split("!")) if member else ()
    try:
        return InputItem(source, path, members).read_bytes()
    except (OSError, ValueError, KeyError):
        return None


def _bbox_of(cell_rows: Iterable[dict[str, str]]) -> tuple[float, float, float, float] | None:
    boxes = []
    for row in cell_rows:
        parts = (row.get("bbox") or "").split()
        if len(parts) == 4:
            boxes.append(tuple(float(p) for p in parts))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _page_letters(textpage) -> list[tuple[int, str]]:
    """(char index, letter) for every glyph of a pypdfium2 text page that is not a space. The page's text
    is read in one call, one letter a char index; where pdfium leaves chars out of it or puts some in
    (rare), the chars are read one by one instead."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    text = textpage.get_text_range() if count > 0 else ""
    if len(text) != count:
        codes = (pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in range(count))
        text = "".join(chr(code) if 0 < code < 0x110000 else "\0" for code in codes)
    return [(i, letter) for i, letter in enumerate(text) if letter != "\0" and not letter.isspace()]


def _find_text_bbox(page, text: str) -> tuple[float, float, float, float] | None:
    """Where `text` stands on a pypdfium2 page (top-left origin), whatever spaces lie between glyphs.

    The page's code points are read first and boxes only for the matched glyphs: reading every
    glyph's box and font size (extractors.pdf_fast.page_chars) cost the audit page most of its time."""
    wanted = "".join(text.split())[:40]
    if not wanted:
        return None
    textpage = page.get_textpage()
    try:
        letters = _page_letters(textpage)
        at = "".join(letter for _, letter in letters).find(wanted)
        if at < 0:
            return None
        boxes = [textpage.get_charbox(i, loose=True) for i, _ in letters[at: at + len(wanted)]]
    finally:
        textpage.close()
    height = page.get_height()
    return (min(b[0] for b in boxes), height - max(b[3] for b in boxes), max(b[2] for b in boxes),
            height - min(b[1] for b in boxes))


def _crop_png(page, bbox, text: str) -> str | None:
    """A PNG data URI of the page region around bbox (or around `text` when no bbox is known)."""
    try:
        width, height = page.get_size()
        if bbox is None and text:
            bbox = _find_text_bbox(page, text)
        if bbox is None:
            return None
        margin = 24
        x0, top, x1, bottom = bbox
        if not text:  # a table cell: show its whole row, so the printed label stands beside the value
            x0, x1 = margin, width - margin
        left, right = max(0.0, x0 - margin), min(width, x1 + margin)
        upper, lower = max(0.0, top - margin), min(height, bottom + margin)
        # grey levels and light compression: a page crop is black print on white, and encoding
        # full-colour PNGs at the default level was the other half of the page's cost
        image = page.render(scale=110 / 72, crop=(left, height - lower, width - right, upper),
                            grayscale=True).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=3)
    except Exception:  # noqa: BLE001 - a crop is a nicety; never fail the report for it
        log.debug("crop failed", exc_info=True)
        return None
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _evidence_places(flag: dict[str, str], cells_by_ref, figures) -> list[tuple[int, object, str]]:
    """(page, bbox or None, text to find) for each piece of evidence a flag names, each on its own page."""
    places: list[tuple[int, object, str]] = []
    refs = flag.get("refs", "").split()
    for ref in refs:
        figure = figures.get(ref.split(":", 1)[1]) if ref.startswith("figure:") else None
        if figure and str(figure.get("page", "")).isdigit():
            raw, sentence = figure.get("raw", ""), figure.get("sentence", "")
            at = sentence.find(raw)
            text = sentence[max(0, at - 12): at + len(raw)] if at >= 0 else raw
            places.append((int(figure["page"]), None, text))
    by_page: dict[int, list[dict[str, str]]] = defaultdict(list)
    for ref in refs:
        cell = cells_by_ref.get(ref)
        if cell and str(cell.get("page", "")).isdigit():
            by_page[int(cell["page"])].append(cell)
    for page, cells in sorted(by_page.items()):
        bbox = _bbox_of(cells)
        if bbox is not None:
            places.append((page, bbox, ""))
    return places


@dataclass
class CropJob:
    """The crops of one PDF document: (flag_id, page, bbox or None, text to find) for each."""

    source: str
    places: list[tuple[str, int, tuple[float, float, float, float] | None, str]]


def _plan_crops(documents: list[dict[str, str]], flags_by_doc, cells_by_doc, figures) -> list[CropJob]:
    """Which evidence gets a page crop: serious flags of PDF documents, in document order, at most
    MAX_CROPS_PER_DOCUMENT a document and MAX_CROPS_PER_RUN in all."""
    jobs: list[CropJob] = []
    budget = MAX_CROPS_PER_RUN
    seen: set[str] = set()
    for doc in documents:
        if budget <= 0:
            break
        if doc.get("format") != "pdf" or not doc["doc_id"] or doc["doc_id"] in seen:
            continue
        seen.add(doc["doc_id"])
        serious = [f for f in flags_by_doc.get(doc["doc_id"], []) if f.get("severity") in ("error", "warning")]
        places = [(flag["flag_id"], page, bbox, text) for flag in serious
                  for page, bbox, text in _evidence_places(flag, cells_by_doc[doc["doc_id"]], figures)]
        places = places[:min(budget, MAX_CROPS_PER_DOCUMENT)]
        if places:
            jobs.append(CropJob(doc["source"], places))
            budget -= len(places)
    return jobs


def render_crops(job: CropJob) -> dict[str, list[str]]:
    """flag_id -> PNG data URIs of the page regions holding its evidence (runs in a report process)."""
    data = _source_bytes(job.source)
    if data is None:
        return {}
    import pypdfium2 as pdfium

    crops: dict[str, list[str]] = {}
    pages: dict[int, object] = {}  # flags share pages (the tables'): each is loaded once
    try:
        pdf = pdfium.PdfDocument(data)
        with closing(pdf):
            try:
                for flag_id, number, bbox, text in job.places:
                    if not 1 <= number <= len(pdf):
                        continue
                    if number not in pages:
                        pages[number] = pdf[number - 1]
                    uri = _crop_png(pages[number], bbox, text)
                    if uri:
                        crops.setdefault(flag_id, []).append(uri)
            finally:
                for page in pages.values():
                    page.close()
    except Exception:  # noqa: BLE001
        log.debug("could not open %s for crops", job.source, exc_info=True)
    return crops


def _flag_html(flag: dict[str, str], cells_by_ref, figures, crops: list[str]) -> str:
    severity = flag.get("severity", "info")
    refs = flag.get("refs", "").split()
    evidence_parts = []
    if flag.get("evidence"):
        evidence_parts.append(flag["evidence"])
    for ref in refs:
        if ref.startswith("figure:") and ref.split(":", 1)[1] in figures:
            sentence = figures[ref.split(":", 1)[1]].get("sentence", "")
            if sentence and sentence not in evidence_parts:
                evidence_parts.append(sentence)
    cells = [cells_by_ref[r] for r in refs if r in cells_by_ref]
    numbers = []
    if flag.get("expected"):
        numbers.append(f"expected <b>{_e(flag['expected'])}</b>")
    if flag.get("found"):
        numbers.append(f"found <b>{_e(flag['found'])}</b>")
    parts = [
        f'<div class="flag {_e(severity)}">',
        f'<span class="sev">{_e(severity)}</span> <code>{_e(flag.get("rule"))}</code>'
        f'{" · page " + _e(flag["page"]) if flag.get("page") else ""}',
        f"<p>{_e(flag.get('message'))}</p>",
    ]
    if numbers:
        parts.append(f'<p class="meta">{" · ".join(numbers)}</p>')
    if cells:
        rows = "".join(
            f"<tr><td><code>{_e(c['table'])}.{_e(c['row_key'])}.{_e(c['col_key'])}</code></td>"
            f"<td>{_e(c.get('row_label'))}</td><td>{_e(c.get('raw'))}</td><td>p.{_e(c.get('page'))}</td></tr>"
            for c in cells)
        parts.append(f'<table class="summary"><tr><th>cell</th><th>row label</th><th>printed</th>'
                     f"<th>page</th></tr>{rows}</table>")
    for text in evidence_parts:
        parts.append(f'<div class="evidence">{_e(text)}</div>')
    for crop in crops:
        parts.append(f'<img class="crop" alt="page crop around the evidence" src="{_e(crop)}">')
    parts.append("</div>")
    return "\n".join(parts)


def write_audit(out: Path, crops: bool = True, executor: Executor | None = None) -> Path:
    """Write OUT/audit.html from the CSVs in OUT; returns its path. Page crops are rendered over
    `executor` when one is given (they are most of the page's cost), else here."""
    documents = _read(out / "documents.csv")
    flags = _read(out / "flags.csv")
    # only the cells and figures a flag names are kept: an archive's cells would not fit in memory
    wanted = {(flag["doc_id"], ref) for flag in flags for ref in flag.get("refs", "").split()}
    cells_by_doc: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for cell in _named_rows(out / "table_cells.csv", wanted, ("table", "row_key", "col_key")):
        cells_by_doc[cell["doc_id"]][f"{cell['table']}.{cell['row_key']}.{cell['col_key']}"] = cell
    figures_by_id = {f["figure_id"]: f for f in _named_rows(out / "figures.csv", wanted, ("figure_id",), "figure:")}
    flags_by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for flag in flags:
        flags_by_doc[flag["doc_id"]].append(flag)
    for doc_flags in flags_by_doc.values():
        doc_flags.sort(key=lambda f: (SEVERITY_ORDER.get(f.get("severity", ""), 9), f.get("flag_id", "")))

    counts = defaultdict(int)
    for flag in flags:
        counts[flag.get("severity", "")] += 1
    body = [
        "<h1>nianbao audit report</h1>",
        f'<p class="meta">{len(documents)} documents · {counts["error"]} errors · {counts["warning"]} warnings · '
        f'{counts["info"]} for information. Rules are described in docs/rules.md.</p>',
        '<table class="summary"><tr><th>document</th><th>status</th><th>error</th><th>warning</th>'
        "<th>info</th></tr>",
    ]
    seen: set[str] = set()
    for doc in documents:
        doc_flags = flags_by_doc.get(doc["doc_id"], []) if doc["doc_id"] not in seen else []
        by_sev = defaultdict(int)
        for flag in doc_flags:
            by_sev[flag["severity"]] += 1
        anchor = f"doc-{_e(doc['doc_id'] or doc['source'])}"
        body.append(f'<tr><td><a href="#{anchor}">{_e(doc.get("title") or doc["source"])}</a></td>'
                    f"<td>{_e(doc['status'])}</td><td>{by_sev['error']}</td><td>{by_sev['warning']}</td>"
                    f"<td>{by_sev['info']}</td></tr>")
        seen.add(doc["doc_id"])
    body.append("</table>")

    crop_jobs = _plan_crops(documents, flags_by_doc, cells_by_doc, figures_by_id) if crops else []
    rendered = executor.map(render_crops, crop_jobs) if executor is not None else map(render_crops, crop_jobs)
    crops_by_flag: dict[str, list[str]] = {}
    for doc_crops in rendered:
        crops_by_flag.update(doc_crops)

    seen.clear()
    for doc in documents:
        if doc["doc_id"] and doc["doc_id"] in seen:
            continue
        seen.add(doc["doc_id"])
        doc_flags = flags_by_doc.get(doc["doc_id"], [])
        anchor = f"doc-{_e(doc['doc_id'] or doc['source'])}"
        body.append(f'<h2 id="{anchor}">{_e(doc.get("title") or doc["source"])}</h2>')
        body.append(f'<p class="meta">{_e(doc["source"])} · {_e(doc.get("format"))} · {_e(doc.get("issuer"))} · '
                    f'{_e(doc.get("year"))} · {_e(doc.get("admin_level"))} · template {_e(doc.get("template"))} · '
                    f'status {_e(doc["status"])}{" — " + _e(doc["error"]) if doc.get("error") else ""}</p>')
        if not doc_flags:
            body.append("<p>No flags.</p>")
            continue
        for flag in doc_flags:
            body.append(_flag_html(flag, cells_by_doc[doc["doc_id"]], figures_by_id,
                                   crops_by_flag.get(flag["flag_id"], [])))

    page = (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>nianbao audit report</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body) + "\n</body></html>\n"
    )
    target = out / "audit.html"
    fh, tmp = open_temp(target, encoding="utf-8")  # O_EXCL: never written through a planted link
    with fh:
        fh.write(page)
    tmp.replace(target)
    return target
