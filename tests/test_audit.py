"""The audit page shows document text as text: nothing from a document can run in it."""

from __future__ import annotations

from pathlib import Path

from pipeline.audit import write_audit
from pipeline.audit.assets import SCRIPT, SCRIPT_HASH
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def _hostile_report(folder: Path) -> Path:
    """The seed report with markup planted in its title line and in the sentence of a flagged figure."""
    text = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    text = text.replace("中宁县恩和镇人民政府 2022年政府信息公开工作年度报告",
                        f"中宁县恩和镇人民政府 2022年政府信息公开工作年度报告{HOSTILE}", 1)
    text = text.replace("进行行政处罚11件", f"进行行政处罚11件{HOSTILE}", 1)
    path = folder / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_document_markup_shows_as_text_and_runs_nothing(tmp_path):
    report = _hostile_report(tmp_path)
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
