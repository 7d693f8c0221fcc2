"""Flattened-text tables: the digit splitter on real runs, and whole reports against their truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.readers.txt import read_txt
from extractors.tables.digit_split import (
    DECIMAL,
    INT,
    SIGNED,
    Sum,
    TooManyReadings,
    all_checks,
    splits,
    sum_check,
    tokenize,
)
from extractors.tables.flat_tables import extract_flat_tables
from schemas.document import DocumentBuilder
from schemas.template import T3_SPEC

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = SHARED / "corpus" / "inputs"
TRUTH = SHARED / "corpus" / "truth"
needs_shared = pytest.mark.skipif(not INPUTS.is_dir(), reason="shared corpus not available")

T3_ROW = sum_check(6, range(6))
T4_ROW = all_checks(*(sum_check(5 * g + 4, range(5 * g, 5 * g + 4)) for g in range(3)))


def ints(*cells: int) -> tuple[str, ...]:
    return tuple(str(c) for c in cells)


# ---------------------------------------------------------------- digit splitter, runs from pingtan


def test_space_is_a_boundary_and_identity_decides() -> None:
    # 2019 一、本年新收: 23 0 0 0 0 0 23
    assert splits("230 000023", [INT] * 7, T3_ROW) == [ints(23, 0, 0, 0, 0, 0, 23)]


def test_spaces_alone_can_decide() -> None:
    # 2019 （七）总计 "23 0 00 0 023": the spaces leave a single reading, no identity needed
    assert splits("23 0 00 0 023", [INT] * 7) == [ints(23, 0, 0, 0, 0, 0, 23)]
    assert splits("0 0 00 00 0", [INT] * 7) == [ints(0, 0, 0, 0, 0, 0, 0)]


def test_row_identity_narrows_2021_runs() -> None:
    assert splits("640020470", [INT] * 7, T3_ROW) == [ints(64, 0, 0, 2, 0, 4, 70)]
    assert splits("630020469", [INT] * 7, T3_ROW) == [ints(63, 0, 0, 2, 0, 4, 69)]
    # 予以公开 keeps two readings that only the column identities tell apart
    granted = splits("270020130", [INT] * 7, T3_ROW)
    assert ints(27, 0, 0, 2, 0, 1, 30) in granted and len(granted) == 2


def test_table4_group_identities() -> None:
    want = ints(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)
    assert splits("10203120001200000", [INT] * 15, T4_ROW) == [want]


def test_no_leading_zeros_and_ambiguity_kept() -> None:
    got = splits("3960181", [INT, SIGNED, INT])
    assert ints(396, 0, 181) in got and ints(39, 60, 181) in got
    assert ("3", "96", "0181") not in got and all(not c.startswith("0") or c == "0" for r in got for c in r)


def test_decimal_only_in_decimal_columns() -> None:
    assert splits("24252.311082", [DECIMAL]) == [("24252.311082",)]
    assert splits("24252.311082", [INT]) == []


def test_blank_markers_and_signs() -> None:
    assert [t.blank for t in tokenize("5 — 3/无")] == [False, True, False, True, True]
    assert splits("5 — 3", [INT, INT, INT]) == [("5", "—", "3")]
    assert ("396", "-5", "181") in splits("396-5181", [INT, SIGNED, INT])
    # no column of the row takes a sign: the '-' is a blank marker run into the next cell
    assert splits("396-5181", [INT, INT, INT]) == [("396", "-", "5181")]
    # adjacent markers are cells of their own (messy tables run together: —-636无15)
    rules = [Sum(6, tuple(range(6)))]
    assert splits("—-636无15", [INT] * 7, sums=rules) == [("—", "-", "6", "3", "6", "无", "15")]


# ---------------------------------------------------------------- whole reports


def _extract(stem: str, text: str | None = None):
    data = text.encode() if text is not None else (INPUTS / f"{stem}.txt").read_bytes()
    return extract_flat_tables(read_txt(data, f"{stem}.txt"), stem)


def _truth(stem: str) -> dict:
    return json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8"))["tables"]


def _wrong(out, truth: dict) -> list[str]:
    return [f"{c.ref}={c.value}" for c in out.cells
            if truth.get(c.table, {}).get(c.row_key, {}).get(c.col_key) != c.value]


@needs_shared
def test_pingtan_2019_cells_match_truth() -> None:
    out = _extract("real-004-pingtan-2019")
    truth = _truth("real-004-pingtan-2019")
    assert out.template == "2019"
    assert _wrong(out, truth) == []
    got = {(c.table, c.row_key, c.col_key) for c in out.cells}
    t3 = [(T3_SPEC.key, r, c) for r, cols in truth[T3_SPEC.key].items() for c in cols]
    assert set(t3) <= got and len(t3) == 7 * 23  # the 2019 form: one 其他处理 row
    assert len([k for k in got if k[0] == "t4_review_litigation"]) == 15
    # 13575394432.52元: items and amount cannot be told apart -> reported, not emitted
    assert any("central_procurement" in a for a in out.ambiguous)
    assert not any(k[1] == "central_procurement" for k in got)
    # the weak table-2 rules are reported where they decided
    assert any("zero-change" in p and p.startswith("t2_active.licensing") for p in out.guessed)
    assert not any("zero-change" in p for p in map(str, out.problems))


@needs_shared
def test_pingtan_2021_cells_match_truth() -> None:
    out = _extract("real-006-pingtan-2021")
    truth = _truth("real-006-pingtan-2021")
    assert out.template == "2021"
    assert _wrong(out, truth) == []
    got = {(c.table, c.row_key, c.col_key): c.value for c in out.cells}
    assert len([k for k in got if k[0] == T3_SPEC.key]) == 7 * 25
    assert got[("t2_active", "fees", "amount_10k_yuan")] == pytest.approx(24252.311082)
    assert got[("t2_active", "licensing", "decisions")] == 2293
    # 行政规范性文件693665 has ten readings (69|3|665, 6|93|665, …): ambiguous, nothing emitted
    assert any("normative_docs" in a for a in out.ambiguous)
    assert not any(k[1] == "normative_docs" for k in got)


@needs_shared
def test_old_report_yields_nothing() -> None:
    out = _extract("real-011-pingtan-2018")
    assert out.cells == [] and out.tables_found == [] and out.ambiguous == []


@needs_shared
def test_tolerates_fullwidth_digits_spaced_labels_and_typos() -> None:
    stem = "real-006-pingtan-2021"
    text = (INPUTS / f"{stem}.txt").read_text(encoding="utf-8")
    cut = text.index("二、主动公开政府信息情况 第二十条")
    text = text[:cut] + text[cut:].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = text.replace("属于国家秘密", "属于 国家 秘密").replace("保护第三方合法权益", "保护第三方合法权利")
    out = _extract(stem, text)
    assert _wrong(out, _truth(stem)) == []
    assert len([c for c in out.cells if c.table == T3_SPEC.key]) == 7 * 25


# ---------------------------------------------------------------- synthetic layouts


def _doc(text: str):
    builder = DocumentBuilder("synthetic.txt", "txt")
    builder.page(None)
    builder.paragraph(text)
    return builder.build()


def _t3_text(rows: dict[str, str], head: str) -> str:
    specs = [r for r in T3_SPEC.rows if r.key != "other_total" or "other_total" in rows]
    specs = [r for r in specs if r.key in rows]
    return "三、收到和处理政府信息公开申请情况" + head + "".join(r.label + rows[r.key] for r in specs) + \
        " 四、政府信息公开行政复议、行政诉讼情况"


def test_org_subtotal_column_and_unresolvable_rows() -> None:
    # 8 columns (小计 after 其他): 5 | 1 0 0 0 1 | 2 | 7 and zeros elsewhere; 0 carried over
    rows = {r.key: "00000000" for r in T3_SPEC.rows if r.key != "other_total"}
    rows.update(new_received="5100012 7", granted="410001 2 6", unable_not_held="1000001 1",
                handled_total="5100012 7")
    head = "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他小计"
    out = extract_flat_tables(_doc(_t3_text(rows, head)), "syn")
    got = {(c.row_key, c.col_key): c.value for c in out.cells}
    assert got[("new_received", "org_subtotal")] == 2 and got[("new_received", "total")] == 7
    assert got[("new_received", "natural_person")] == 5 and got[("granted", "natural_person")] == 4
    assert got[("unable_not_held", "natural_person")] == 1 and got[("unable_not_held", "other_org")] == 0
    assert out.template == "2021" and out.ambiguous == []


def test_table2_2019_nonzero_change_stays_ambiguous() -> None:
    text = ("二、主动公开政府信息情况 第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量"
            "行政许可3951081其他对外管理服务事项100153第二十条第（六）项信息内容上一年项目数量本年增/减"
            "处理决定数量行政处罚26480430行政强制12 6 25 三、收到和处理政府信息公开申请情况")
    out = extract_flat_tables(_doc(text), "syn")
    got = {(c.row_key, c.col_key): c.value for c in out.cells}
    # 行政强制 is printed with spaces: read exactly; the others have several readings and one row
    # (3951081) has none with a lone-zero change, so the zero-change rule must not fire
    assert got == {("coercion", "prev_year_items"): 12, ("coercion", "change"): 6, ("coercion", "decisions"): 25}
    assert {a.split()[0] for a in out.ambiguous} == {
        "t2_active.licensing", "t2_active.other_external_services", "t2_active.penalty"}


def test_long_table4_run_keeps_all_fits() -> None:
    # huaian 2024 table 4 with separators removed: truth 72 64 178 37 351 | 13 4 8 1 26 | 12 1 1 6 20
    rules = [Sum(5 * g + 4, tuple(range(5 * g, 5 * g + 4))) for g in range(3)]
    got = splits("72641783735113481261211620", [INT] * 15, sums=rules)
    assert ints(72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20) in got and len(got) == 3
    assert {r[:10] for r in got} == {ints(72, 64, 178, 37, 351, 13, 4, 8, 1, 26)}


def test_hopeless_run_gives_up() -> None:
    with pytest.raises(TooManyReadings):
        splits("1" * 40, [INT] * 7, sums=[Sum(6, tuple(range(6)))])


def test_one_cell_per_line_with_pipes() -> None:
    """A table exported one cell per line with trailing pipes: the reader leaves paragraphs and one-cell
    tables; pipes are cell boundaries and the 2019 headers name the form."""
    lines = ["二、主动公开政府信息情况", "|", "第二十条第(一)项 | ||||", "|", "信息内容 |", "本年新制作数量 |",
             "本年新公开数量 |", "对外公开总数量 | |", "|", "规章 |", "1 |", "2 |", "3 | |", "|", "规范性文件 |",
             "4 |", "0 |", "12 | |"]
    doc = read_txt("\n".join(lines).encode(), "x.txt")
    out = extract_flat_tables(doc, "x")
    got = {(c.row_key, c.col_key): c.value for c in out.cells}
    assert out.template == "2019"
    assert got[("rules", "new_made")] == 1 and got[("rules", "total_public")] == 3
    assert got[("normative_docs", "new_made")] == 4 and got[("normative_docs", "total_public")] == 12


# ---------------------------------------------------------------- text variants, blanks, commas, prose

VARIANTS = Path(__file__).resolve().parents[1] / "corpus" / "variants"


def _variant(name: str, text: str | None = None):
    data = text.encode() if text is not None else (VARIANTS / f"{name}.txt").read_bytes()
    truth = json.loads((VARIANTS / f"{name}.truth.json").read_text(encoding="utf-8"))
    return extract_flat_tables(read_txt(data, f"{name}.txt"), name), truth


def _cells(out) -> dict[tuple[str, str, str], tuple[object, bool]]:
    return {(c.table, c.row_key, c.col_key): (c.value, c.blank) for c in out.cells}


def _truth_cells(truth: dict) -> dict[tuple[str, str, str], tuple[object, bool]]:
    blanks = set(truth["blank_cells"])
    return {(t, r, c): (v, f"{t}.{r}.{c}" in blanks)
            for t, rows in truth["tables"].items() for r, cols in rows.items() for c, v in cols.items()}


def test_one_cell_per_line_variant_holds_every_cell() -> None:
    # each label and number on its own line; 6,435 and full-width digits; table 4 as 15 lines that
    # start with a blank marker; zeros printed as / — - 无 are blank cells, never 0
    out, truth = _variant("flat-cell-per-line")
    want = _truth_cells(truth)
    assert _cells(out) == want
    assert want[("t2_active", "licensing", "decisions")] == (6435, False)
    blank = [k for k, (v, b) in want.items() if b]
    assert blank and all(want[k][0] is None for k in blank)
    assert want[("t4_review_litigation", "cases", "review_upheld")] == (None, True)
    assert out.ambiguous == [] and out.problems == []


def test_merged_run_decided_by_the_prose() -> None:
    # 规范性文件77132470 has 21 readings; 本年度制发的规范性文件77件，废止13件，现行有效…2470件 leaves one
    out, truth = _variant("flat-merged")
    assert _cells(out) == _truth_cells(truth)
    assert out.ambiguous == []


def test_merged_run_without_prose_is_left_out_with_its_readings() -> None:
    text = (VARIANTS / "flat-merged.txt").read_text(encoding="utf-8")
    sentence = "本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。"
    assert sentence in text
    out, truth = _variant("flat-merged", text.replace(sentence, ""))
    got = _cells(out)
    assert not any(k[1] == "normative_docs" for k in got)
    note = next(a for a in out.ambiguous if "normative_docs" in a)
    assert "77|13|2470" in note and "21 readings" in note and "7|7|132470" in note
    # every other cell still exact
    want = _truth_cells(truth)
    assert {k: v for k, v in want.items() if k[1] != "normative_docs"} == got


def test_prose_that_fits_no_reading_is_set_aside() -> None:
    text = (VARIANTS / "flat-merged.txt").read_text(encoding="utf-8")
    text = text.replace("本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。", "全年制发规范性文件5件。")
    out, _ = _variant("flat-merged", text)
    note = next(a for a in out.ambiguous if "normative_docs" in a)
    assert "fits no reading" in note and not any(c.row_key == "normative_docs" for c in out.cells)


def test_prose_narrowing_needs_both_row_and_column_named() -> None:
    text = (VARIANTS / "flat-merged.txt").read_text(encoding="utf-8")
    # the count is there, but no column word (制发/废止/现行有效) says which cell it is
    text = text.replace("本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。", "涉及规范性文件77件。")
    out, _ = _variant("flat-merged", text)
    assert any("normative_docs" in a and "21 readings" in a for a in out.ambiguous)


@needs_shared
def test_procurement_amount_in_10k_yuan_decides_pingtan_2019() -> None:
    # 政府集中采购13575394432.52元: nine readings; a sentence with the amount in 万元 (rounded) leaves one.
    # The real report says nothing of the kind (its 政府采购项目信息2536条 names no 集中采购 cell).
    stem = "real-004-pingtan-2019"
    text = (INPUTS / f"{stem}.txt").read_text(encoding="utf-8")
    assert any("central_procurement" in a and "135|75394432.52" in a for a in _extract(stem).ambiguous)
    text = text.replace("一、总体情况", "一、总体情况全年政府集中采购总金额7539.44万元。", 1)
    out = _extract(stem, text)
    got = {(c.table, c.row_key, c.col_key): c.value for c in out.cells}
    assert got[("t2_active", "central_procurement", "items")] == 135
    assert got[("t2_active", "central_procurement", "amount_yuan")] == pytest.approx(75394432.52)
    assert _wrong(out, _truth(stem)) == []


@needs_shared
def test_traditional_script_reaches_flat_reading() -> None:
    import opencc

    from pipeline.process import process_bytes

    stem = "real-006-pingtan-2021"
    text = opencc.OpenCC("s2t").convert((INPUTS / f"{stem}.txt").read_text(encoding="utf-8"))
    assert "規範性文件" in text
    result = process_bytes(text.encode("utf-8"), f"{stem}.txt")
    assert _wrong(result, _truth(stem)) == []
    assert len([c for c in result.cells if c.table == T3_SPEC.key]) == 7 * 25


def _t4_text(run: str) -> str:
    heads = "结果维持结果纠正其他结果尚未审结总计"
    return ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼" + heads + "未经复议直接起诉复议后起诉"
            + heads * 2 + run + " 五、存在的主要问题及改进情况")


def test_table4_run_that_breaks_group_totals_is_left_out() -> None:
    # spaces fix the split, but 行政复议 1+0+2+0 is not its printed 总计 4: nothing emitted, and said why
    out = extract_flat_tables(_doc(_t4_text("1 0 2 0 4 12 0 0 0 12 0 0 0 0 0")), "syn")
    assert not [c for c in out.cells if c.table == "t4_review_litigation"]
    assert any("t4_review_litigation" in a and "left out" in a for a in out.ambiguous)


def test_table4_run_of_fifteen_numbers_proved_by_group_totals() -> None:
    out = extract_flat_tables(_doc(_t4_text("—\n4\n1\n2\n7\n0\n0\n0\n0\n0\n1 0 0 0 1")), "syn")
    got = {c.col_key: (c.value, c.blank) for c in out.cells}
    assert got["review_upheld"] == (None, True) and got["review_total"] == (7, False)
    assert got["post_review_suit_total"] == (1, False) and len(got) == 15


def test_thousands_commas_in_runs() -> None:
    assert splits("6,4357", [INT, INT]) == [("6,435", "7")]
    assert ("1", "2") in splits("1,2", [INT, INT])  # a comma before fewer than three digits separates
    rules = [Sum(2, (0, 1))]
    assert splits("1,0005001,500", [INT, INT, INT], sums=rules) == [("1,000", "500", "1,500")]


def test_one_cell_per_line_row_with_a_lost_empty_cell_is_left_out() -> None:
    # 规章 4 | (empty) | 42 saved one cell per line: the empty cell's line is gone, and 42 must not
    # be split into 4|2 to fill the row
    text = (VARIANTS / "flat-cell-per-line.txt").read_text(encoding="utf-8")
    rows = "规章\n４\n5\n４２\n"
    assert rows in text
    out, truth = _variant("flat-cell-per-line", text.replace(rows, "规章\n４\n\n４２\n"))
    got = _cells(out)
    assert not any(k[1] == "rules" for k in got)
    assert any("rules" in p and "lines of their own" in p for p in map(str, out.problems))
    assert got == {k: v for k, v in _truth_cells(truth).items() if k[1] != "rules"}


def test_table4_counts_after_a_row_label() -> None:
    text = _t4_text("案件数 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0")
    got = {c.col_key: c.value for c in extract_flat_tables(_doc(text), "syn").cells}
    assert got["review_upheld"] == 1 and got["review_total"] == 1 and len(got) == 15


@needs_shared
@pytest.mark.parametrize("cols", [64, 72, 80])
def test_hard_wrapped_portal_text_reads_as_unwrapped(cols: int) -> None:
    # a fixed-width export cuts runs at the margin (220000\n325): read as one run again, not as a boundary
    from tests.test_txt_reader import _wrapped

    stem = "real-006-pingtan-2021"
    text = (INPUTS / f"{stem}.txt").read_text(encoding="utf-8")
    want = _cells(_extract(stem))
    out = _extract(stem, _wrapped(text, cols))
    assert _cells(out) == want and _wrong(out, _truth(stem)) == []


def test_grid_rows_are_read_whole_with_empty_cells_as_blanks() -> None:
    # table 4's counts as a text table row whose headers the grid reader could not place: the flat
    # reader takes the row's cells as they stand; the empty cell between two counts is a blank
    text = (_t4_text("").replace(" 五、存在的主要问题及改进情况", "") + "\n"
            + "\t".join(["1", "", "2", "0", "3"] + ["0"] * 10) + "\n五、存在的主要问题及改进情况\n")
    out = extract_flat_tables(read_txt(text.encode(), "t4.txt"), "t4")
    got = {c.col_key: (c.value, c.blank, c.raw) for c in out.cells}
    assert got["review_corrected"] == (None, True, "") and got["review_total"] == (3, False, "3")
    assert len(got) == 15


def test_page_numbers_between_rows_are_not_cells() -> None:
    # text saved from a paged original keeps its page numbers between table rows
    text = (VARIANTS / "flat-spaced.txt").read_text(encoding="utf-8")
    for cut, number in (("3.危及", "- 2 -"), ("（四）无法提供", "第 3 页 共 5 页"), ("（五）不予处理", "3/5")):
        i = text.index(cut)
        text = text[:i] + number + "\n" + text[i:]
    out, truth = _variant("flat-spaced", text)
    want = _truth_cells(truth)
    assert {k: v for k, v in _cells(out).items() if k[0] == T3_SPEC.key} == {
        k: v for k, v in want.items() if k[0] == T3_SPEC.key}


def test_prose_words_in_another_clause_do_not_name_a_figure() -> None:
    text = (VARIANTS / "flat-merged.txt").read_text(encoding="utf-8")
    # 制发 and 规范性文件 stand in a clause with no figure of its own: 77 is not said to be 制发
    text = text.replace("本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。", "对制发的规范性文件进行解读，全年解读政策77项。")
    out, _ = _variant("flat-merged", text)
    assert any("normative_docs" in a and "21 readings" in a for a in out.ambiguous)


def test_full_width_comma_ends_a_run() -> None:
    # 表四's counts, then the prose goes on: '，2022年' is no thousands group of the last count
    out = extract_flat_tables(_doc(_t4_text("1 0 0 0 1 0 0 0 0 0 0 0 0 0 0，2022年未发生复议诉讼")), "syn")
    assert len([c for c in out.cells if c.table == "t4_review_litigation"]) == 15


# ---------------------------------------------------------------- every layout variant's values, every text style


def _flat_builder():
    """corpus/build_flat_variants.py as a module (corpus/ is no package)."""
    import importlib.util
    import sys

    if "build_flat_variants" not in sys.modules:
        spec = importlib.util.spec_from_file_location("build_flat_variants", VARIANTS.parent / "build_flat_variants.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_flat_variants"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["build_flat_variants"]


SOURCES = sorted(p.name.removesuffix(".truth.json") for p in VARIANTS.glob("*.truth.json")
                 if not p.name.startswith(("flat-", "md-", "cut-", "legacy-")))  # the national forms' layouts


@pytest.mark.parametrize("style", ["tab", "innertext", "pipe", "markdown", "box", "lines", "spaced", "merged"])
def test_every_variant_in_every_text_style(style: str) -> None:
    """Each layout variant's values saved as text in this style: every cell exact; where the cells ran
    together (merged), every cell exact or left out with its row named in a note, never wrong."""
    from pipeline.process import process_bytes
    from tests.test_variants import compare

    build = _flat_builder()
    right = total = 0
    for source in SOURCES:
        text, truth = build.build_text(build.TextVariant("x", source, style, note="", blank_every=3))
        result = process_bytes(text.encode("utf-8"), f"{source}.txt")
        r, n, problems = compare(result, truth)
        right, total = right + r, total + n
        notes = result.document.warnings + result.document.error
        for problem in problems:
            ref = problem.split(":")[0]
            table, row = ref.split(".")[:2]
            assert style == "merged" and "missing" in problem and f"{table}.{row}" in notes, (source, problem)
    assert right == total or (style == "merged" and right >= 0.95 * total), (right, total)


def test_table4_counts_right_after_its_title() -> None:
    # no column headers printed: the 15 counts follow the section heading; the group totals prove them
    text = "四、政府信息公开行政复议、行政诉讼情况（单位：件）100010101200000五、存在的主要问题及改进情况"
    got = {c.col_key: c.value for c in extract_flat_tables(_doc(text), "syn").cells}
    assert got["review_upheld"] == 1 and got["review_total"] == 1 and got["suit_corrected"] == 1
    assert got["suit_total"] == 2 and got["post_review_suit_total"] == 0 and len(got) == 15
    # a run the totals do not prove is left out
    out = extract_flat_tables(_doc(text.replace("1000101012", "1000201012")), "syn")
    assert not out.cells and any("left out" in a for a in out.ambiguous)


@pytest.mark.parametrize("said", ["本年度制发的规范性文件约77件。", "本年度制发的规范性文件77余件。"])
def test_approximate_prose_figures_do_not_narrow(said: str) -> None:
    text = (VARIANTS / "flat-merged.txt").read_text(encoding="utf-8")
    out, _ = _variant("flat-merged", text.replace("本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。", said))
    assert any("normative_docs" in a and "21 readings" in a for a in out.ambiguous)
