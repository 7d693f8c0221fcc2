"""The audit page shows document text as text: nothing from a document can run in it."""

from __future__ import annotations

import csv
import html
from pathlib import Path

from pipeline import __version__
from pipeline.audit import write_audit
from pipeline.audit.assets import SCRIPT, SCRIPT_HASH
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def hostile_report(folder: Path, payload: str = HOSTILE) -> Path:
    """The seed report with PAYLOAD (markup, a formula) planted in its title line and in the sentence of
    a flagged figure."""
    text = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    text = text.replace("中宁县恩和镇人民政府 2022年政府信息公开工作年度报告",
                        f"中宁县恩和镇人民政府 2022年政府信息公开工作年度报告{payload}", 1)
    text = text.replace("进行行政处罚11件", f"进行行政处罚11件{payload}", 1)
    path = folder / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_document_markup_shows_as_text_and_runs_nothing(tmp_path):
    report = hostile_report(tmp_path)
    run_batch([str(report)], tmp_path / "out", RunOptions(jobs=0, progress=False))
    page = (tmp_path / "out" / "audit.html").read_text(encoding="utf-8")
    assert page.lower().count("<script") == 1 and f"<script>{SCRIPT}</script>" in page  # the page's own only
    assert "onerror=" not in page.lower().replace("onerror=&quot;", "")  # only escaped forms remain
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page  # the planted text is there, as text
    assert f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'" in page


def test_audit_lists_each_flag_with_its_numbers(tmp_path):
    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.txt")], out, RunOptions(jobs=0, progress=False))
    page = write_audit(out).read_text(encoding="utf-8")
    # the seed's narrative states 行政处罚11件 where table 2 prints 6
    assert "t2_active.penalty.decisions" in page
    assert "11" in page and "6" in page


def test_pdf_flags_carry_a_page_crop(tmp_path):
    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.pdf")], out, RunOptions(jobs=0, progress=False))
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in page


def test_crops_rendered_over_processes_give_the_same_page(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.pdf")], out, RunOptions(jobs=0, progress=False))
    here = write_audit(out).read_text(encoding="utf-8")
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = write_audit(out, executor=pool).read_text(encoding="utf-8")
    assert here.count("data:image/png;base64,") >= 2  # the seed's two real inconsistencies, each cropped
    assert pooled == here


def test_crop_plan_caps_each_document_and_the_run():
    from pipeline.audit import MAX_CROPS_PER_DOCUMENT, MAX_CROPS_PER_RUN, plan_crops

    documents, flags_by_doc, cells_by_doc = [], {}, {}
    for d in range(40):
        doc_id = f"doc{d:02d}"
        documents.append({"doc_id": doc_id, "source": f"{doc_id}.pdf", "format": "pdf"})
        cells_by_doc[doc_id] = {f"t3.row{i}.total": {"page": "3", "bbox": f"10 {20 * i} 50 {20 * i + 10}"}
                                for i in range(20)}
        flags_by_doc[doc_id] = [{"flag_id": f"{doc_id}-r{i:03d}", "severity": "warning", "refs": f"t3.row{i}.total"}
                                for i in range(20)]
    documents.append({"doc_id": "docx", "source": "a.docx", "format": "docx"})
    jobs = plan_crops(documents, flags_by_doc, cells_by_doc, {})
    assert all(len(job.places) <= MAX_CROPS_PER_DOCUMENT for job in jobs)
    assert sum(len(job.places) for job in jobs) == MAX_CROPS_PER_RUN
    assert [job.source for job in jobs][:2] == ["doc00.pdf", "doc01.pdf"]  # the first documents come first


def test_evidence_text_is_found_whether_read_in_one_call_or_char_by_char(monkeypatch):
    """The crop around a narrative figure finds its words on the page from the page's text in one call;
    where pdfium's text and its char list differ in length it reads the chars one by one, same box."""
    import pypdfium2 as pdfium

    from pipeline.audit import find_text_bbox

    pdf = pdfium.PdfDocument((CORPUS / "enhe-2022.pdf").read_bytes())
    page = next(p for p in pdf if "行政处罚11件" in "".join(p.get_textpage().get_text_range().split()))
    width, height = page.get_size()
    one_call = find_text_bbox(page, "进行行政处罚11件")
    assert one_call is not None
    x0, top, x1, bottom = one_call
    assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height and bottom - top < 40  # one line
    monkeypatch.setattr(pdfium.PdfTextPage, "get_text_range", lambda self, *args, **kwargs: "")
    assert find_text_bbox(page, "进行行政处罚11件") == one_call
    assert find_text_bbox(page, "不在此页的文字") is None


def _groups(page: str) -> list[str]:
    """The summary's document groups, in page order, as (id, open?)."""
    import re

    return re.findall(r'<details id="group-(\w+)" class="group-\w+"( open)?>', page)


def test_documents_come_problems_first_with_reasons_and_clean_reports_collapsed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    inputs = [str(CORPUS / "variants" / "org-subtotal.docx"), str(empty), str(CORPUS / "enhe-2022.txt")]
    run_batch(inputs, tmp_path / "out", RunOptions(jobs=0, progress=False))
    page = (tmp_path / "out" / "audit.html").read_text(encoding="utf-8")
    # the seed's text has warnings (行政处罚11件 vs 6), the empty file failed, the clean variant (a city office: no 规章 question) is last
    assert _groups(page) == [("warnings", " open"), ("partial", " open"), ("clean", "")]
    summary = page[page.index('id="documents"'):page.index('id="reports"')]
    assert summary.index("enhe-2022.txt") < summary.index("empty.txt") < summary.index("org-subtotal.docx")
    assert '<div class="reason"><b>failed:</b> empty file</div>' in page
    assert 'id="doc-' in summary[summary.index("group-clean"):]  # the clean report's row is its anchor
    assert "org-subtotal.docx</h3>" not in page  # and it has no section of its own


def test_run_details_and_every_reading_warning_of_the_real_reports(tmp_path, shared_inputs):
    out = tmp_path / "out"
    # beside the real reports, an old report that prints no statistics table: ok, with a reading warning
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "old-without-table.txt").write_text(
        "示例局2011年政府信息公开工作年度报告\n一、概述\n2011年本局主动公开政府信息120条，未收到政府信息公开申请。",
        encoding="utf-8")
    run_batch([str(shared_inputs), str(extra)], out, RunOptions(jobs=0, progress=False))
    page = (out / "audit.html").read_text(encoding="utf-8")
    with open(out / "documents.csv", encoding="utf-8-sig") as fh:
        documents = list(csv.DictReader(fh))
    notes = [n.strip() for d in documents for n in d["warnings"].split("; ") if n.strip()]
    assert notes  # the old report as text: no template table
    for note in notes:
        assert f"<li>{html.escape(note)}</li>" in page
    # flattened portal text with cells that cannot be told apart (ambiguous, or chosen by a weak rule) is
    # partial, never ok; its reason is on the page
    partial = sorted(Path(d["source"]).name for d in documents if d["status"] == "partial")
    # ... and so is the 2013 old report whose spaced table prints one value for two columns (read as 本年度,
    # said to be guessed)
    assert partial == ["real-004-pingtan-2019.txt", "real-006-pingtan-2021.txt", "real-016-pingtan-2013.txt"], partial
    for d in documents:
        if d["status"] == "partial":
            assert f"<b>partial:</b> {html.escape(d['error'])}" in page
    overview = page[page.index('id="overview"'):page.index('id="documents"')]
    assert f"nianbao {__version__}" in overview and html.escape(str(shared_inputs)) in overview
    assert len(documents) == len(list(shared_inputs.iterdir())) + 1
    # one entry per report (the seed's three files, pingtan's page and text), its status its worst file's
    reports: dict[str, set[str]] = {}
    for d in documents:
        reports.setdefault(d["report_id"], set()).add(d["status"])
    worst = [("failed" if "failed" in s else "partial" if "partial" in s else "ok") for s in reports.values()]
    assert len(reports) == len(documents) - 4  # 13 files, 9 reports
    assert f"{len(reports)} distinct ({len(documents)} files)" in overview
    assert f"{worst.count('ok')} ok · {worst.count('partial')} partial · 0 failed" in overview
    assert worst.count("partial") == 3
    with open(out / "flags.csv", encoding="utf-8-sig") as fh:
        flags = list(csv.DictReader(fh))
    assert f"0 of {len(flags)} flags reviewed" in overview


def test_a_reviews_csv_in_the_output_folder_gives_each_flag_its_decision(tmp_path):
    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.txt")], out, RunOptions(jobs=0, progress=False))
    with open(out / "flags.csv", encoding="utf-8-sig") as fh:
        flag_id = next(csv.DictReader(fh))["flag_id"]
    (out / "reviews.csv").write_text(f"flag_id,decision,note\n{flag_id},Dismissed,<b>known</b> typo\n"
                                     f"{flag_id}-x,maybe,not a decision\n", encoding="utf-8")
    page = write_audit(out).read_text(encoding="utf-8")
    assert 'Review: <b>dismissed</b> — &lt;b&gt;known&lt;/b&gt; typo' in page
    assert f'data-flag="{flag_id}" data-decision="dismissed"' in page
    assert "1 of 2 flags reviewed (1 dismissed); 1 not yet reviewed" in page
    assert f"{flag_id},dismissed,<b>known</b> typo" in html.unescape(page)  # the reviews.csv text to take away


def test_header_rows_are_the_tables_and_the_sections_own():
    from pipeline.audit.text import header_rows

    # 表二 as the template prints it: each 第二十条 section has its own header rows
    rows = [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"], ["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
            ["行政许可", "3", "", ""], ["行政处罚", "6", "", ""]]
    assert header_rows(rows, 2) == [0, 1]
    assert header_rows(rows, 5) == [0, 1, 3, 4]
    assert header_rows(rows, 6) == [0, 1]  # 行政许可 above is a data row: the section header is not adjacent
    assert header_rows([["规章", "0"], ["行政处罚", "6"]], 1) == []


def test_pdf_table_crop_shows_the_sections_header_rows_and_outlines_the_cell(tmp_path):
    import base64
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    from pipeline.audit.crops import Place, _page_tables, crop_place, glyph_boxes, parse_bbox, table_bands

    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.pdf")], out, RunOptions(jobs=0, progress=False))
    with open(out / "table_cells.csv", encoding="utf-8-sig") as fh:
        cell = next(c for c in csv.DictReader(fh) if (c["table"], c["row_key"], c["col_key"])
                    == ("t2_active", "penalty", "decisions"))
    box, number = parse_bbox(cell["bbox"]), int(cell["page"])
    pdf = pdfium.PdfDocument((CORPUS / "enhe-2022.pdf").read_bytes())
    page = pdf[number - 1]
    tables = _page_tables(page, number)
    table = next(t for t in tables if t.bbox[1] <= box[1] <= t.bbox[3])
    bands = table_bands(table, [box], lambda n: tables.rows_above(page, table, n))
    # the words that name the value's column and section stand inside the bands shown
    for words in ("本年处理决定数量", "第二十条第（六）项", "行政处罚"):
        found = [b for b in glyph_boxes(page, words) if b[1] <= box[3]]
        assert found, words
        assert any(top - 1 <= found[-1][1] and found[-1][3] <= bottom + 1 for top, bottom in bands), words
    crop = crop_place(page, Place("f1", number, boxes=[box]), tables)
    assert crop is not None and "header rows" in crop.caption and crop.page == number
    image = Image.open(io.BytesIO(base64.b64decode(crop.uri.split(",", 1)[1]))).convert("RGB")
    red = [(x, y) for x in range(image.width) for y in range(image.height)
           if image.getpixel((x, y))[0] > 180 and image.getpixel((x, y))[1] < 60]
    assert red  # the outline
    assert image.height > (box[3] - box[1]) * 110 / 72 * 2  # more than the row: the header rows above it


def test_txt_and_docx_evidence_shows_the_paragraph_and_the_table_row(tmp_path):
    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.txt"), str(CORPUS / "enhe-2022.docx")], out,
              RunOptions(jobs=0, progress=False))
    page = (out / "audit.html").read_text(encoding="utf-8")
    # the seed states 进行行政处罚11件 in its 7th body paragraph; table 1 of 3 (表二) prints 行政处罚 6
    assert page.count("进行行政处罚<mark>11件</mark>") == 2
    assert page.count('<div class="pos">paragraph 7 of ') == 2
    assert page.count('<div class="pos">table 1 of 3, row ') == 2
    assert page.count("enhe-2022.txt</h3>") == 1 and "enhe-2022.docx</h3>" not in page
    # the DOCX merges the header and value cells over three columns: its excerpt shows the flagged one, as
    # the TXT's does (one report in two files: both excerpts under the report's finding)
    assert page.count('<tr><th>信息内容</th><th>本年处理决定数量</th></tr>') == 2  # the section's own header
    assert page.count('<td>行政处罚</td><td class="hit">6</td>') == 2


def test_a_cell_of_portal_text_without_a_grid_is_shown_in_its_paragraph(tmp_path):
    """Flattened portal text runs a 表二 row's cells together (规章 0 0 5 …): the excerpt is the paragraph
    with the row label and its numbers marked."""
    from pipeline.audit.text import TextJob, find_excerpts
    from tests.conftest import shared_file

    source = shared_file("real-006-pingtan-2021.txt")
    out = tmp_path / "out"
    run_batch([str(source)], out, RunOptions(jobs=0, progress=False))
    with open(out / "table_cells.csv", encoding="utf-8-sig") as fh:
        cells = [c for c in csv.DictReader(fh) if c["table"] == "t2_active" and c["raw"].strip()]
    assert cells
    text = "".join(source.read_text(encoding="utf-8").split())
    for cell in cells[:5]:
        job = TextJob(str(source), "txt", cells=[("f1", cell["row_label"], [cell["raw"]], [cell["col_label"]])])
        (excerpt,) = find_excerpts(job)["f1"]
        assert excerpt.position.startswith("paragraph ")
        marked = "".join(t for t, m in excerpt.segments if m)
        assert marked.startswith(cell["row_label"]) and cell["raw"] in marked
        assert "".join(marked.split()) in text  # the marked words stand so in the document
