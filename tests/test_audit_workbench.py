"""The audit page as an auditor's workbench, in headless Chromium: decisions and corrections survive a
reload, an export, a rerun with --force and a second export; a decision needs a reviewer to export; a
note without a decision is said, not dropped; the flag's status and the filters follow a decision at
once; lines that did not apply are shown; the highlighted cell is in view; headers wrap; print does not
shrink; triage words and digit grouping. And a generated archive of 3,000 reports: the overview's load
time and a decision's time are printed (generous bounds asserted)."""

from __future__ import annotations

import csv
import time
from dataclasses import fields
from pathlib import Path

import pytest

from pipeline.audit import write_audit
from pipeline.run import RunOptions, run_batch
from schemas.records import CellRecord, DocumentRecord, FlagRecord
from tests.conftest import CORPUS, shared_file
from tests.test_audit_browser import CHROMEDRIVER, CHROMIUM

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() or not Path(CHROMEDRIVER).exists(),
                                reason="headless Chromium (apt: chromium chromium-driver) is not installed")


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", f"--user-data-dir={tmp_path_factory.mktemp('chromium-workbench')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _flag(driver, rule: str):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('article.flag')).find(a => a.querySelector("
        "'code') && a.textContent.includes(arguments[0]))", rule)


def _exports(driver) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    reviews = driver.find_element("id", "reviews-csv").get_attribute("value")
    corrections = driver.find_element("id", "corrections-csv").get_attribute("value")
    return list(csv.DictReader(reviews.splitlines())), list(csv.DictReader(corrections.splitlines()))


def test_reviews_and_corrections_survive_reload_export_forced_rerun_and_a_second_export(driver, tmp_path):
    from selenium.webdriver.support.ui import Select

    # 洪泽 2023 prints 表四's 行政复议 总计 0 beside 维持 10 and 纠正 1; the seed says 行政处罚11件 where its
    # table prints 6, and 34800万剂次
    inputs = [str(shared_file("real-001-hongze-2023.pdf")), str(CORPUS / "enhe-2022.txt")]
    out = tmp_path / "out"
    run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    # a line for a flag that is not in the run, and one that cannot be read: both shown, neither dropped
    (out / "reviews.csv").write_text("flag_id,decision,note,reviewer,date\nf-00000000deadbeef,dismissed,旧,王五,"
                                     "2023-01-02\nf-x,maybe,?,,\n", encoding="utf-8")
    run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    driver.get((out / "audit.html").as_uri())
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    not_applied = driver.find_element("id", "reviews").text
    assert "f-00000000deadbeef" in not_applied and "its flag is not in this run" in not_applied
    assert "line 3" in not_applied  # the unreadable line, with the reason

    flag = _flag(driver, "identity.t4_review_total")
    flag_id = flag.get_attribute("data-flag")
    # a decision chosen before the reviewer's name is typed
    Select(flag.find_element("css selector", ".review-form select")).select_by_value("confirmed")
    assert "Review: confirmed" in flag.find_element("css selector", "p.review").get_attribute("textContent")  # at once
    assert "reviewed" in flag.get_attribute("class").split()
    driver.execute_script("location.hash = '#only-open'")
    assert not flag.is_displayed()  # the filter follows the decision
    driver.execute_script("location.hash = '#all'")
    link = driver.find_element("id", "review-download")
    assert link.get_attribute("aria-disabled") == "true" and "reviewer" in driver.find_element(
        "id", "review-status").text  # no export without a reviewer
    # correct the misread 总计 under the flag
    cell = flag.find_element("css selector", 'tr[data-ref="t4_review_litigation.cases.review_total"] input')
    cell.send_keys("11")
    driver.execute_script("arguments[0].dispatchEvent(new Event('change'))", cell)
    # a note without a decision on another flag is said, not dropped
    other = _flag(driver, "narrative.table_mismatch")
    note = other.find_element("css selector", ".review-form input")
    note.send_keys("再核")
    driver.execute_script("arguments[0].dispatchEvent(new Event('change'))", note)
    assert "choose a decision" in other.find_element("css selector", "p.review").get_attribute("textContent")
    assert "not exported" in driver.find_element("id", "review-status").text
    # a beforeunload while work is unexported is refused
    assert driver.execute_script("const e = new Event('beforeunload', {cancelable: true});"
                                 "window.dispatchEvent(e); return e.defaultPrevented") is True

    # reload: everything is still there
    driver.refresh()
    flag = _flag(driver, "identity.t4_review_total")
    assert Select(flag.find_element("css selector", ".review-form select")).first_selected_option.get_attribute(
        "value") == "confirmed"
    assert "not yet exported" in flag.find_element("css selector", "p.review").get_attribute("textContent")
    assert flag.find_element("css selector", "tr[data-ref] input").get_attribute("value") == "11"
    who = driver.find_element("id", "reviewer")
    who.send_keys("张三")
    assert driver.find_element("id", "review-download").get_attribute("aria-disabled") == "false"
    reviews, corrections = _exports(driver)
    mine = next(r for r in reviews if r["flag_id"] == flag_id)
    assert (mine["decision"], mine["reviewer"]) == ("confirmed", "张三") and mine["date"]
    assert any(r["flag_id"] == "f-00000000deadbeef" and r["reviewer"] == "王五" for r in reviews)  # orphan kept
    assert [(c["table"], c["row_key"], c["col_key"], c["value"], c["reviewer"]) for c in corrections] == [
        ("t4_review_litigation", "cases", "review_total", "11", "张三")]
    assert corrections[0]["sha256"] == _rows(out / "documents.csv")[0]["sha256"]
    driver.find_element("id", "review-download").click()
    assert driver.find_element("id", "unsaved").text == "0"  # exported: nothing left to lose
    assert driver.execute_script("const e = new Event('beforeunload', {cancelable: true});"
                                 "window.dispatchEvent(e); return e.defaultPrevented") is False

    # the auditor puts the exported files in the output folder and runs again with --force
    first_reviews = driver.find_element("id", "reviews-csv").get_attribute("value")
    (out / "reviews.csv").write_text(first_reviews, encoding="utf-8")
    (out / "corrections.csv").write_text(driver.find_element("id", "corrections-csv").get_attribute("value"),
                                         encoding="utf-8")
    run_batch(inputs, out, RunOptions(jobs=0, progress=False, force=True))
    cells = _rows(out / "table_cells.csv")
    total = next(c for c in cells if c["row_key"] == "cases" and c["col_key"] == "review_total")
    assert (total["value"], total["original_value"], total["corrected_by"].split()[0]) == ("11", "0", "张三")
    flags = {f["flag_id"]: f for f in _rows(out / "flags.csv")}
    assert flag_id not in flags  # the corrected table holds its identity: the finding is gone
    driver.refresh()
    reviews, corrections = _exports(driver)  # the second export holds the same lines, reviewer and date
    again = {r["flag_id"]: r for r in reviews}
    assert again[flag_id] == mine and again["f-00000000deadbeef"]["reviewer"] == "王五"
    assert corrections[0]["value"] == "11" and corrections[0]["reviewer"] == "张三"
    assert "its flag is not in this run" in driver.find_element("id", "reviews").text  # now an orphan, shown


def test_evidence_in_view_headers_wrap_print_full_size_and_triage_words(driver, tmp_path):
    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.docx"), str(CORPUS / "enhe-2022.txt")], out, RunOptions(jobs=0, progress=False))
    driver.get((out / "audit.html").as_uri())
    for width in (1280, 400):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        try:
            driver.execute_script("window.dispatchEvent(new Event('resize'))")
            hits = driver.execute_script(
                "return Array.from(document.querySelectorAll('.excerpt .scroll td.hit')).map(td => {"
                " const s = td.closest('.scroll').getBoundingClientRect(), r = td.getBoundingClientRect();"
                " return [r.left >= s.left - 1 && r.right <= s.right + 1, td.textContent]; })")
            assert hits and all(inside for inside, _ in hits), (width, hits)
            assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        finally:
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert driver.execute_script("return getComputedStyle(document.querySelector('.excerpt thead th')).whiteSpace") \
        == "normal"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        widths = driver.execute_script("return [document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert widths[0] <= widths[1]  # nothing wider than the paper: printed at full size
    why = driver.execute_script("return Array.from(document.querySelectorAll('td.why')).map(t => t.textContent)")
    # the worst finding in words: the rule's Chinese title, its numbers grouped, the code beside
    assert any("疑为多写了“万”" in w and "348,000,000" in w and "magnitude.stray_wan" in w for w in why), why
    assert "348,000,000" in driver.find_element("tag name", "body").text  # 34800万剂次, grouped


# a generated archive -----------------------------------------------------------------------------

def _archive(out: Path, reports: int) -> None:
    """The CSVs of a run over REPORTS reports, each in three formats (one report_id), a third of them with
    an error and a warning in every format: what the page is built from, without running the pipeline."""
    out.mkdir(parents=True)
    doc_cols, cell_cols, flag_cols = ([f.name for f in fields(t)] for t in (DocumentRecord, CellRecord, FlagRecord))
    with open(out / "documents.csv", "w", encoding="utf-8", newline="") as d, \
            open(out / "table_cells.csv", "w", encoding="utf-8", newline="") as c, \
            open(out / "flags.csv", "w", encoding="utf-8", newline="") as f:
        docs, cells, flags = csv.DictWriter(d, doc_cols), csv.DictWriter(c, cell_cols), csv.DictWriter(f, flag_cols)
        for w in (docs, cells, flags):
            w.writeheader()
        for n in range(reports):
            for fmt in ("pdf", "docx", "html"):
                doc_id = f"{n:08d}{fmt:0>8}"[:16]
                docs.writerow({"doc_id": doc_id, "source": f"/archive/{n}/report.{fmt}", "sha256": doc_id * 4,
                               "format": fmt, "issuer": f"某县{n}局", "year": 2022, "status": "ok",
                               "report_id": f"r{n}", "template": "2021", "admin_level": "county"})
                if n % 3:
                    continue
                for key, value in (("review_total", 0), ("review_upheld", 10)):
                    cells.writerow({"doc_id": doc_id, "table": "t4_review_litigation", "row_key": "cases",
                                    "col_key": key, "value": value, "raw": str(value), "blank": False,
                                    "row_label": "行政复议", "col_label": key})
                flags.writerow({"flag_id": f"f-{doc_id}a", "doc_id": doc_id, "rule": "identity.t4_review_total",
                                "severity": "error", "message": "表四总计不等于各项之和", "expected": 10, "found": 0,
                                "refs": "t4_review_litigation.cases.review_total "
                                        "t4_review_litigation.cases.review_upheld"})
                flags.writerow({"flag_id": f"f-{doc_id}b", "doc_id": doc_id, "rule": "magnitude.stray_wan",
                                "severity": "warning", "message": "疑多写万", "expected": 34800, "found": 348000000,
                                "refs": ""})


def test_three_thousand_reports_open_fast_and_a_decision_is_quick(driver, tmp_path):
    from selenium.webdriver.support.ui import Select

    out = tmp_path / "archive"
    _archive(out, 3000)
    started = time.perf_counter()
    page = write_audit(out, crops=False)
    built = time.perf_counter() - started
    reports = sorted((out / "audit").glob("*.html"))
    assert len(reports) == 1000  # one page per report with findings; clean reports stay rows
    driver.get(page.as_uri())
    load = driver.execute_script("const t = performance.getEntriesByType('navigation')[0];"
                                 "return t.loadEventEnd - t.startTime") / 1000
    nodes = driver.execute_script("return document.getElementsByTagName('*').length")
    stops = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href], input, select, button, textarea, summary'))"
        ".filter(e => e.offsetParent !== null).length")
    text = driver.find_element("id", "overview").text
    assert "3000 distinct (9000 files)" in text and "(2000 findings" in text  # 6,000 flags, one finding per report
    row = driver.find_element("css selector", "#group-errors tbody tr")
    assert "表四" in row.text or "行政复议" in row.text or "identity.t4_review_total" in row.text
    link = row.find_element("tag name", "a").get_attribute("href")
    driver.get(link)
    flag = driver.find_element("css selector", "article.flag.error")
    assert "report.pdf" in flag.text and "report.docx" in flag.text and "report.html" in flag.text
    driver.find_element("id", "reviewer").send_keys("张三")
    select = Select(flag.find_element("css selector", ".review-form select"))
    start = driver.execute_script("return performance.now()")
    select.select_by_value("dismissed")
    decided = driver.execute_script(
        "const t = performance.now(); return [t, document.querySelector('article.flag.error p.review').textContent]")
    # the decision's own cost, measured in the page (the webdriver round trip is not the page's)
    cost = driver.execute_script(
        "const f = document.querySelector('article.flag.error'), s = f.querySelector('.review-form select');"
        "const t0 = performance.now(); s.value = 'confirmed'; s.dispatchEvent(new Event('change'));"
        "return performance.now() - t0")
    driver.get(page.as_uri())
    overview_export = driver.execute_script(
        "const t0 = performance.now(); window.dispatchEvent(new Event('storage')); return performance.now() - t0")
    exported = driver.find_element("id", "reviews-csv").get_attribute("value")
    print(f"\n3,000 reports (9,000 files, 6,000 flags): audit.html {page.stat().st_size / 1e6:.2f} MB, "
          f"{len(reports)} report pages ({sum(p.stat().st_size for p in reports) / 1e6:.1f} MB), built in {built:.1f} s; "
          f"overview load {load:.2f} s, {nodes:,} DOM nodes, {stops:,} keyboard stops; a decision {cost:.1f} ms "
          f"in the page ({decided[0] - start:.0f} ms with the webdriver round trip); the overview's export "
          f"rebuilt in {overview_export:.1f} ms")
    assert "Review: dismissed" in decided[1]
    assert exported.count("confirmed") == 3  # the finding's three files, one line each
    assert load < 10 and cost < 500 and nodes < 200_000
