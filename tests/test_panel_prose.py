"""proactive_items from the prose: the whole issuer's 主动公开 count a report states, never a part.

The expected values were read from the report texts by hand (see each comment), not from the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.readers.txt import read_txt
from pipeline.panel_prose import part_words, prose_value, read_figures
from pipeline.process import extract_narrative_figures
from schemas.records import FigureRecord
from tests.conftest import shared_file

ROW = "proactive_total"


def _figures(text: str) -> list[FigureRecord]:
    """The figures the real narrative extractor finds in TEXT (a report's body as a portal saves it)."""
    doc = read_txt(text.encode("utf-8"), "t.txt")
    return extract_narrative_figures(doc, "t")


def _stated(text: str, year: int = 2022) -> float | None:
    found = prose_value(_figures(text), ROW, year)
    return None if found is None else found.value


def test_the_whole_issuer_count_is_taken():
    assert _stated("一、总体情况\n2022年我镇主动公开政府信息数491条，其中政府网站5条，政务服务网117条。") == 491
    assert _stated("全年主动公开我区各级单位政府信息2645条，主要通过政府网站等媒介进行公开。", 2021) == 2645


@pytest.mark.parametrize("text", [
    "县直各单位主动公开政府信息3933条。",  # a part of the issuer (LEGACY_PROSE_SCOPES)
    "2023年，我区在政府网站平台主动公开政府信息1136条。",  # one channel (the old table's 网站公开)
    "2024年，市政府网站主动公开各类政府信息5500余条。",  # approximate, and one channel
    "全年主动公开政府信息约2000条。",  # approximate
    "累计主动公开政府信息20000条。",  # a running total
    "2021年主动公开政府信息1800条。",  # another year
    "今年共公布政府信息2599条。",  # other words: not the lexicon's for 主动公开信息数
    "主动公开的政府信息中，机构职能类信息25条。",  # a category
])
def test_parts_channels_guesses_and_other_words_are_not(text):
    assert _stated(text) is None


def test_two_different_totals_leave_it_empty():
    text = "2022年主动公开政府信息491条。\n二、主动公开情况\n本年度主动公开政府信息520条。"
    assert _stated(text) is None
    assert _stated("2022年主动公开政府信息491条。\n本年度主动公开政府信息491条。") == 491  # said twice


def test_part_words_come_from_the_old_table():
    words = part_words(ROW)
    assert "网站" in words and "政府公报" in words


@pytest.fixture(scope="module")
def old_reports(tmp_path_factory):
    """The three old Pingtan reports, run through the pipeline: each has the table and the prose."""
    from pipeline.run import RunOptions, run_batch

    names = ("real-020-pingtan-county-2012.txt", "real-016-pingtan-2013.txt", "real-011-pingtan-2018.txt")
    paths = [shared_file(n) for n in names]
    out = tmp_path_factory.mktemp("old")
    run_batch([str(p) for p in paths], out, RunOptions(jobs=0, progress=False))
    import csv

    with open(out / "documents.csv", encoding="utf-8-sig") as fh:
        docs = {Path(r["source"]).name: (r["doc_id"], int(r["year"])) for r in csv.DictReader(fh)}
    figures = read_figures(out, [d for d, _ in docs.values()])
    return {name: prose_value(figures.get(doc_id, []), ROW, year) for name, (doc_id, year) in docs.items()}


def test_old_reports_prose_totals_read_by_hand(old_reports):
    # 2018: “2018年全区主动公开政府信息2069条。其中，区管委会及区直各部门…1592条…各乡镇…477条” — the table's 2069
    assert old_reports["real-011-pingtan-2018.txt"].value == 2069
    # 2013: “2013年主动公开政府信息4970条。其中，区直、县直各单位…3933条…各乡镇…1037条…县政府公开办…222条”
    assert old_reports["real-016-pingtan-2013.txt"].value == 4970
    # 2012: 2026 is said only as a listed part (“政府信息总数3978条，其中主动公开政府信息2026条”) and of the
    # website (“在…网站主动公开的2026条政府信息中”); 2475, 1503 and 1795 are parts: the prose states no total
    assert old_reports["real-020-pingtan-county-2012.txt"] is None
