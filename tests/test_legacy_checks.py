"""Checks of the old statistics table (t_legacy, reports up to 2018): identities, 历年累计 ≥ 本年度, the
narrative against the table, and the running total across years.

Tables are built from real reports (平潭县 2012, 平潭综合实验区 2013 and 2018, 平潭公安局 2018 as the shared
spec quotes them); the real-corpus tests read ../shared/corpus and skip where it is absent.
"""

from __future__ import annotations

import json

import pytest

from extractors.narrative.figures import extract_figures
from extractors.readers import read_document
from pipeline.checks import RULES, run_batch_rules, run_checks
from schemas.legacy import CUMULATIVE, LEGACY, LEGACY_IDENTITIES, YEAR, legacy_row
from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord
from tests.conftest import SHARED_INPUTS, SHARED_TRUTH

Row = tuple[float | str | None, ...]  # (year,) or (year, cumulative); "" = printed blank, None = not printed

# 平潭县人民政府 2012 (real-020): the whole table as printed, 本年度 | 历年累计
COUNTY_2012: dict[str, Row] = {
    "proactive_total": (2026, 3542), "proactive_website": (1795, 3304), "proactive_gazette": (0, 7),
    "requests_total": (21, 21), "requests_in_person": (18, 18), "requests_fax": (0, 0), "requests_email": (3, 3),
    "requests_online": (0, 0), "requests_letter": (0, 0), "requests_other": (0, 0),
    "replies_total": (21, 21), "replies_granted": (17, 17), "replies_partially_granted": (2, 2),
    "replies_denied": (2, 2), "admin_review_total": (0, 0), "admin_suit_total": (0, 0),
    "complaints_reports": (0, 0),
}
# 平潭公安局 2018 as the spec quotes it: 对申请的答复总数 0|0 but 同意公开 1|3
POLICE_2018: dict[str, Row] = {
    "requests_total": (1, 3), "requests_in_person": (1, 3), "requests_online": (0, 0),
    "replies_total": (0, 0), "replies_granted": (1, 3), "replies_partially_granted": (0, 0),
    "replies_denied": (0, 0), "replies_other": (0, 0),
    # the FJ-3 form's last rows, after the replies
    "complaints_reports": (0, 0), "admin_review_total": (0, 0), "admin_suit_total": (0, 0),
}


def doc(year: int = 2012, issuer: str = "平潭县人民政府", doc_id: str = "d") -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.txt", sha256="", issuer=issuer, year=year,
                          admin_level="county", template="old")


def lcell(row: str, col: str, value: float | str | None, doc_id: str = "d") -> CellRecord:
    """A cell as the reader emits it: printed label and unit from the schema, blank for ""."""
    spec = legacy_row(row)
    blank = value == ""
    number = None if blank or value is None else float(value)
    return CellRecord(doc_id, LEGACY, row, col, number, "" if blank or value is None else str(value), blank,
                      spec.label if spec else "", 7, col_label={YEAR: "本年度", CUMULATIVE: "历年累计"}[col],
                      unit=spec.unit if spec else "条")


def table(rows: dict[str, Row], doc_id: str = "d", **changes: Row) -> list[CellRecord]:
    rows = {**rows, **changes}
    return [lcell(r, col, v, doc_id) for r, values in rows.items()
            for col, v in zip((YEAR, CUMULATIVE), values, strict=False)]


def legacy_flags(flags: list[FlagRecord], rule: str = "legacy.") -> list[FlagRecord]:
    return [f for f in flags if f.rule.startswith(rule)]


def run(cells: list[CellRecord], figures: list[FigureRecord] | None = None, document: DocumentRecord | None = None):
    return legacy_flags(run_checks(document or doc(), cells, figures or []))


def serious(flags: list[FlagRecord]) -> list[FlagRecord]:
    return [f for f in flags if f.severity in ("warning", "error")]


def test_every_legacy_identity_is_a_rule_read_from_the_schema():
    ids = {r.id for r in RULES}
    assert {f"legacy.identity.{i.id.removeprefix('legacy_')}" for i in LEGACY_IDENTITIES} <= ids
    assert {"legacy.cumulative_ge_year", "legacy.narrative_vs_table", "legacy.cumulative_chain"} <= ids


# ------------------------------------------------------------------ identities


def test_consistent_county_table_raises_nothing():
    assert run(table(COUNTY_2012)) == []


def test_legacy_rules_run_only_where_a_legacy_cell_was_read():
    from pipeline.checks.engine import Context

    national = CellRecord("d", "t3", "new_requests", "natural", 5.0, "5", False, "新收", 7)
    ctx = Context(doc(), [national, *table(COUNTY_2012)], [])
    assert ctx.has_table(LEGACY) and ctx.has_table("t3") and not ctx.has_table("t2")
    assert not Context(doc(), [national], []).has_table(LEGACY)
    # a table whose total contradicts its parts, but read as the national form: no legacy rule looks at it
    wrong = [CellRecord("d", "t3", c.row_key, c.col_key, c.value, c.raw, c.blank, c.row_label, 7)
             for c in table(COUNTY_2012, requests_total=("0", "0"))]
    assert legacy_flags(run_checks(doc(), wrong, [])) == []
    assert run(table(COUNTY_2012, requests_total=("0", "0")))  # the same table as a legacy one is flagged


def test_police_2018_replies_total_zero_beside_granted_is_an_error_in_each_column():
    flags = run(table(POLICE_2018))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("legacy.identity.replies_total", "error", 1, 0), ("legacy.identity.replies_total", "error", 3, 0)]
    year, cumulative = flags
    assert year.refs.split() == ["t_legacy.replies_total.year", "t_legacy.replies_granted.year"]
    assert cumulative.refs.split() == ["t_legacy.replies_total.cumulative", "t_legacy.replies_granted.cumulative"]
    assert "对申请的答复总数”为0" in year.message and "同意公开答复数1" in year.message and "“本年度”列" in year.message
    assert "同意公开答复数·历年累计=3" in cumulative.evidence and year.page == 7
    assert year.flag_id != cumulative.flag_id


def test_requests_total_off_by_one_is_an_error_naming_the_channels():
    flags = run(table(COUNTY_2012, requests_total=(22, 22)))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("legacy.identity.requests_channels", "error", 21, 22)] * 2
    assert set(flags[0].refs.split()) == {"t_legacy.requests_total.year", "t_legacy.requests_in_person.year",
                                          "t_legacy.requests_email.year"}
    assert "当面申请数18+电子邮件申请数3" in flags[0].message


def test_total_left_blank_beside_parts_is_one_warning_per_identity():
    flags = run(table(COUNTY_2012, replies_total=("", "")))
    assert [(f.rule, f.severity, f.found) for f in flags] == [("legacy.identity.replies_total", "warning", None)]
    assert flags[0].expected is None  # two columns left blank: no one expected value
    assert {"t_legacy.replies_total.year", "t_legacy.replies_total.cumulative"} <= set(flags[0].refs.split())
    one = run(table(COUNTY_2012, replies_total=("", 21)))
    assert [(f.severity, f.expected) for f in one] == [("warning", 21)]


def test_written_total_over_parts_all_blank_is_info():
    blank = {k: ("", "") for k in COUNTY_2012 if k.startswith("requests_") and k != "requests_total"}
    flags = run(table(COUNTY_2012, **blank))
    assert [(f.rule, f.severity) for f in flags] == [("legacy.identity.requests_channels", "info")] * 2


def test_of_which_part_above_its_total_is_an_error_and_below_is_not():
    flags = run(table(COUNTY_2012, proactive_website=(2100, 3304)))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("legacy.identity.proactive_website_of_total", "error", 2100, 2026)]
    assert "大于“主动公开信息数”2026" in flags[0].message
    # equality is allowed (zone 2011: 425 = 418 + 7), and so is less (county 2012: 2026 vs 1795)
    assert run(table(COUNTY_2012, proactive_website=(2026, 3304))) == []


def test_cumulative_below_year_is_an_error_and_a_blank_cell_is_not_compared():
    flags = run(table(COUNTY_2012, proactive_total=(2026, 1206), proactive_website=(1795, 1000)))
    mine = [f for f in flags if f.rule == "legacy.cumulative_ge_year"]
    assert [(f.refs, f.expected, f.found) for f in mine] == [
        ("t_legacy.proactive_total.cumulative t_legacy.proactive_total.year", 2026, 1206),
        ("t_legacy.proactive_website.cumulative t_legacy.proactive_website.year", 1795, 1000)]
    assert all(f.severity == "error" for f in mine) and "历年累计1206小于本年度2026" in mine[0].message
    # zone 2013: 政府公报公开 prints 0 and an empty 历年累计 cell
    assert run(table(COUNTY_2012, proactive_gazette=(0, ""))) == []


def test_one_column_table_checks_the_year_column_only():
    rows = {k: v[:1] for k, v in POLICE_2018.items()}
    flags = run(table(rows))
    assert [(f.rule, f.refs.split()[0]) for f in flags] == [("legacy.identity.replies_total",
                                                            "t_legacy.replies_total.year")]


def test_unread_cell_leaves_the_identity_untested_and_other_rows_are_ignored():
    cells = table(POLICE_2018)
    cells = [c for c in cells if c.ref != "t_legacy.replies_granted.year"]
    cells.append(CellRecord("d", LEGACY, "replies_granted", YEAR, None, "1?", False, "同意公开答复数", 7))
    cells.append(CellRecord("d", LEGACY, "other_19", YEAR, 99, "99", False, "网上咨询数", 7))
    assert [f.refs.split()[0] for f in run(cells)] == ["t_legacy.replies_total.cumulative"]


SH_BASE: dict[str, Row] = {
    "replies_total": (10,), "replies_granted": (5,), "replies_partially_granted": (1,), "replies_denied": (4,),
    "denied_state_secret": (1,), "replies_not_exist": (2,), "replies_unclear": (1,),
    "admin_review_total": (0,),
}


def test_shanghai_hierarchy_not_exist_under_denied_is_silent():
    # SH family: (2) 信息不存在 and (4) 申请内容不明确 numbered under 3.否决公开答复总数
    assert run(table(SH_BASE)) == []


def test_national_hierarchy_not_exist_beside_denied_is_silent():
    # national 2014 table: 信息不存在 a sibling of 不同意公开, no refusal reason printed
    rows: dict[str, Row] = {"replies_total": (10,), "replies_granted": (5,), "replies_partially_granted": (1,),
                            "replies_denied": (3,), "replies_not_exist": (1,)}
    assert run(table(rows)) == []


def test_a_sum_where_the_table_stops_inside_the_block_is_only_info():
    # a table cut off after the first channel: the channels it lost cannot be summed
    cut = {"proactive_total": (20, 30), "requests_total": (11, 25), "requests_in_person": (4, 7)}
    flags = run(table(cut))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("legacy.identity.requests_channels", "info", 4, 11), ("legacy.identity.requests_channels", "info", 7, 25)]
    assert "截止" in flags[0].message
    # the same numbers with a later block printed: the channels are all there, and the sum is wrong
    closed = run(table({**cut, "admin_review_total": (0, 0)}))
    assert [f.severity for f in closed] == ["error", "error"]


def test_shanghai_refusals_that_do_not_add_up_are_an_error():
    flags = run(table(SH_BASE, replies_unclear=(0,)))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("legacy.identity.replies_denied", "error", 3, 4)]


# ------------------------------------------------------------------ narrative vs table

PROSE_2013 = ("区管委会办公室、区直各部门、各乡镇、县直各单位对政府信息进行了梳理和编目，2013年主动公开政府信息4970条。"
              "其中，区直、县直各单位主动公开政府信息3933条，占79%。")
REVIEW_2013 = "2013年全区未收到有关政府信息公开的申请，收到1份有关政府信息公开行政复议申请已及时处理。"
UNITS_2013 = "为公众提供区直各单位、平潭各乡镇、县直各单位主动公开的政府信息。目前已汇集了60个单位的主动公开的政府信息。"


def fig(fid: str, value: float, unit: str, raw: str, sentence: str, start: int = 0, approx: bool = False,
        part_of: str = "") -> FigureRecord:
    return FigureRecord(fid, "d", "items", "", value, unit, approx, raw, sentence, "二", None, start=start,
                        part_of=part_of)


ZONE_2013: dict[str, Row] = {
    "proactive_total": (72804, 76424), "proactive_website": (72804, 76424), "proactive_gazette": (0, ""),
    "requests_total": (0, 0), "requests_in_person": (0, 0), "replies_total": (0, 0), "replies_granted": (0, 0),
    "admin_review_total": (0, 0), "admin_suit_total": (0, 0),
}


def narrative(figures: list[FigureRecord], rows: dict[str, Row] = ZONE_2013, **changes: Row) -> list[FlagRecord]:
    return run(table(rows, **changes), figures, doc(2013, "平潭综合实验区管委会"))


def test_prose_total_against_the_table_is_a_warning_and_a_part_is_not():
    figures = [fig("a", 4970, "条", "4970条", PROSE_2013, 1), fig("b", 3933, "条", "3933条", PROSE_2013, 2, part_of="a")]
    flags = narrative(figures)
    assert [(f.rule, f.severity, f.refs, f.expected, f.found) for f in flags] == [
        ("legacy.narrative_vs_table", "warning", "figure:a t_legacy.proactive_total.year", 72804, 4970)]
    assert "2013年主动公开政府信息4970条" in flags[0].message and "主动公开信息数”本年度为72804" in flags[0].message
    # the prose and the table agreeing: nothing
    assert narrative(figures, proactive_total=(4970, 8590), proactive_website=(4000, 7000)) == []


def test_a_part_of_the_issuer_above_the_total_is_info():
    flags = narrative([fig("b", 3933, "条", "3933条", PROSE_2013, 2)], proactive_total=(3000, 9000),
                      proactive_website=(3000, 9000))
    assert [(f.severity, f.found) for f in flags] == [("info", 3933)] and "县直" in flags[0].message


def test_review_application_received_against_reviews_decided_is_info():
    flags = narrative([fig("r", 1, "份", "1份", REVIEW_2013)])
    assert [(f.severity, f.refs, f.expected, f.found) for f in flags] == [
        ("info", "figure:r t_legacy.admin_review_total.year", 0, 1)]
    assert narrative([fig("r", 1, "份", "1份", REVIEW_2013)], admin_review_total=(1, 1)) == []


def test_one_count_of_reviews_and_lawsuits_is_their_sum():
    sentence = "2013年共发生因政府信息公开申请行政复议、提起行政诉讼3件。"
    both = {"admin_review_total": (1, 2), "admin_suit_total": (2, 2)}
    assert narrative([fig("b", 3, "件", "3件", sentence)], **both) == []  # 1 review + 2 lawsuits
    flags = narrative([fig("b", 4, "件", "4件", sentence.replace("3件", "4件"))], **both)
    assert [(f.severity, f.expected, f.found) for f in flags] == [("info", 3, 4)]
    assert flags[0].refs.split() == ["figure:b", "t_legacy.admin_review_total.year", "t_legacy.admin_suit_total.year"]


def test_units_of_bodies_are_not_items_of_information():
    assert narrative([fig("u", 60, "个", "60个", UNITS_2013)]) == []


def test_figure_explained_by_an_of_which_row():
    sentence = "在互联网上，主动公开信息数为1795条。"
    assert narrative([fig("w", 1795, "条", "1795条", sentence)], rows=COUNTY_2012) == []
    flags = narrative([fig("w", 1796, "条", "1796条", sentence.replace("1795", "1796"))], rows=COUNTY_2012)
    assert [(f.severity, f.expected) for f in flags] == [("warning", 2026)]


def test_requests_received_and_channels_in_the_prose():
    sentence = "2012年全县共收到有关政府信息公开的申请21条，其中当面申请数18条，电子邮件申请数3条。"
    figures = [fig("t", 21, "条", "21条", sentence, 1), fig("p", 18, "条", "18条", sentence, 2, part_of="t"),
               fig("e", 3, "条", "3条", sentence, 3, part_of="t")]
    assert narrative(figures, rows=COUNTY_2012) == []
    flags = narrative(figures, rows=COUNTY_2012, requests_in_person=(17, 17), requests_email=(4, 4))
    assert [(f.refs.split()[1], f.severity) for f in flags] == [
        ("t_legacy.requests_in_person.year", "warning"), ("t_legacy.requests_email.year", "warning")]


def test_running_totals_other_years_and_reports_without_the_table_are_skipped():
    figures = [fig("c", 76424, "条", "76424条", "截至2013年底，累计主动公开政府信息76424条。"),
               fig("o", 2543, "条", "2543条", "2012年主动公开政府信息2543条。")]
    assert narrative(figures) == []
    no_table = run_checks(doc(2013), [], [fig("a", 4970, "条", "4970条", PROSE_2013)])
    assert legacy_flags(no_table) == []


# ------------------------------------------------------------------ across years


def chain(rows_prev: dict[str, Row], rows_now: dict[str, Row], issuer_now: str = "平潭县人民政府"):
    prev, now = doc(2011, doc_id="p"), doc(2012, issuer_now, doc_id="n")
    results = [(prev, table(rows_prev, "p")), (now, table(rows_now, "n"))]
    return [f for f in run_batch_rules(results) if f.rule == "legacy.cumulative_chain"]


def test_cumulative_chain_holds_breaks_and_restarts():
    prev: dict[str, Row] = {"proactive_total": (1200, 1516), "requests_total": (0, 0)}
    assert chain(prev, {"proactive_total": (2026, 3542), "requests_total": (21, 21)}) == []
    flags = chain(prev, {"proactive_total": (2026, 3540), "requests_total": (21, 21)})
    assert [(f.severity, f.doc_id, f.refs, f.expected, f.found) for f in flags] == [
        ("info", "n", "t_legacy.proactive_total.cumulative", 3542, 3540)]
    assert "重新起算" in flags[0].message and "1516+2012年" in flags[0].message
    restart = chain(prev, {"proactive_total": (2026, 2026), "requests_total": (21, 21)})
    assert "似从本年重新起算" in restart[0].message
    # another issuer, or a blank cell, is no chain
    assert chain(prev, {"proactive_total": (2026, 3540)}, issuer_now="平潭综合实验区管委会") == []
    assert chain(prev, {"proactive_total": (2026, "")}) == []


# ------------------------------------------------------------------ the shared real corpus


def truth(stem: str) -> dict:
    path = SHARED_TRUTH / f"{stem}.json"
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    return json.loads(path.read_text(encoding="utf-8"))


def truth_cells(stem: str, doc_id: str) -> list[CellRecord]:
    """The truth table as the reader will emit it (a blank cell of blank_cells stays blank)."""
    data = truth(stem)
    blanks = {(r, c) for _, r, c, _ in data["blank_cells"]}
    return [lcell(r, c, "" if (r, c) in blanks else v, doc_id)
            for r, cols in data["tables"][LEGACY].items() for c, v in cols.items()]


def real(stem: str, text: str | None = None, cells: list[CellRecord] | None = None) -> list[FlagRecord]:
    """Every rule on a real report: its text's figures and its truth table (or the cells given)."""
    data = truth(stem)
    path = SHARED_INPUTS / f"{stem}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    raw = (text if text is not None else path.read_text(encoding="utf-8")).encode("utf-8")
    figures = extract_figures(read_document(raw, path.name, "txt"), stem)
    document = DocumentRecord(stem, path.name, "", year=data["year"], issuer=data["issuer"],
                              admin_level=data["admin_level"], template="old")
    return run_checks(document, cells if cells is not None else truth_cells(stem, stem), figures)


def _has(flags: list[FlagRecord], rule: str, ref: str, severities: tuple[str, ...]) -> bool:
    return any(f.rule == rule and ref in f.refs.split() and f.severity in severities for f in flags)


def test_real_pingtan_2013_prose_against_its_table():
    flags = real("real-016-pingtan-2013")
    proactive = [f for f in flags if "t_legacy.proactive_total.year" in f.refs.split()]
    assert [(f.rule, f.severity, f.found, f.expected) for f in proactive] == [
        ("legacy.narrative_vs_table", "warning", 4970, 72804)]
    review = [f for f in flags if "t_legacy.admin_review_total.year" in f.refs.split()]
    assert [(f.severity, f.found, f.expected) for f in review] == [("info", 1, 0)]
    assert not serious([f for f in flags if f not in proactive])


@pytest.mark.parametrize("stem", ["real-011-pingtan-2018", "real-020-pingtan-county-2012"])
def test_real_reports_whose_prose_agrees_get_no_warning(stem: str):
    assert serious(real(stem)) == [], [f.message for f in serious(real(stem))]


COUNTY = "real-020-pingtan-county-2012"


def _injected(**changes: Row) -> list[CellRecord]:
    data = truth(COUNTY)
    rows: dict[str, Row] = {r: (v[YEAR], v[CUMULATIVE]) for r, v in data["tables"][LEGACY].items()}
    return table(rows, COUNTY, **changes)


@pytest.mark.parametrize(("changes", "rule", "ref", "severity"), [
    ({"requests_email": (4, 3)}, "legacy.identity.requests_channels", "t_legacy.requests_total.year", "error"),
    ({"replies_granted": (17, 7)}, "legacy.identity.replies_total", "t_legacy.replies_total.cumulative", "error"),
    ({"proactive_website": (2795, 3304)}, "legacy.identity.proactive_website_of_total",
     "t_legacy.proactive_website.year", "error"),
    ({"requests_total": (21, 12)}, "legacy.cumulative_ge_year", "t_legacy.requests_total.cumulative", "error"),
    ({"replies_total": ("", 21)}, "legacy.identity.replies_total", "t_legacy.replies_total.year", "warning"),
], ids=["channel", "granted-cumulative", "website-above-total", "cumulative-below-year", "blank-total"])
def test_faults_injected_into_the_real_county_table_are_caught(changes, rule, ref, severity):
    flags = real(COUNTY, cells=_injected(**changes))
    assert _has(flags, rule, ref, (severity,)), [(f.rule, f.severity, f.refs) for f in flags]


def test_changed_prose_of_the_real_county_report_is_caught():
    path = SHARED_INPUTS / f"{COUNTY}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    text = path.read_text(encoding="utf-8")
    edited = text.replace("其中主动公开政府信息2026条", "其中主动公开政府信息2062条")
    assert edited != text
    flags = real(COUNTY, text=edited, cells=_injected())
    assert _has(flags, "legacy.narrative_vs_table", "t_legacy.proactive_total.year", ("warning",))
    assert [f.found for f in serious(flags)] == [2062]


def test_real_pingtan_reports_through_the_pipeline_once_the_reader_lands():
    """The same acceptance on the pipeline's own output: skipped until a reader emits t_legacy cells."""
    from pipeline.process import process_bytes

    path = SHARED_INPUTS / "real-016-pingtan-2013.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    result = process_bytes(path.read_bytes(), path.name)
    if not any(c.table == LEGACY for c in result.cells):
        pytest.skip("no reader emits t_legacy cells yet")
    assert _has(result.flags, "legacy.narrative_vs_table", "t_legacy.proactive_total.year", ("warning",))
    assert _has(result.flags, "legacy.narrative_vs_table", "t_legacy.admin_review_total.year",
                ("info", "warning", "error"))
    for stem in ("real-011-pingtan-2018", "real-020-pingtan-county-2012"):
        other = SHARED_INPUTS / f"{stem}.txt"
        assert serious(process_bytes(other.read_bytes(), other.name).flags) == []



# ------------------------------------------------------------------ the template is data


def _legacy_words() -> set[str]:
    """Every label, alias, header word and marker of the old table, and each label without numbering."""
    from extractors.tables.labels import normalize_label, split_numbering
    from schemas.legacy import LEGACY_SPEC
    from tests.test_template_source import MIN_LEN, _norm

    spec = LEGACY_SPEC
    words = {spec.label, *spec.header_words, *spec.markers}
    words |= {w for k in (*spec.rows, *spec.cols) for w in (k.label, *k.aliases)}
    words |= {split_numbering(normalize_label(w))[1] for w in words}
    return {_norm(w) for w in words if len(_norm(w)) >= MIN_LEN} | {LEGACY}


def test_legacy_check_modules_spell_no_label_of_the_old_table():
    """The legacy checks read rows, labels, units and phrases from schemas/legacy.py (rule docs excepted)."""
    from tests.test_template_source import ROOT, literals

    words = _legacy_words()
    assert {"主动公开信息数", "对申请的答复总数", "历年累计", "统计表", LEGACY} <= words
    modules = sorted((ROOT / "pipeline" / "checks").glob("legacy_*.py"))
    assert len(modules) == 3
    found = [f"{m.name}:{line}: {text[:40]!r}" for m in modules for line, text in literals(m)
             if any(w in text.replace(" ", "") for w in words)]
    assert not found, "\n".join(found)


def test_a_legacy_count_is_explained_by_the_sums_the_table_defines_and_a_flag_names_the_nearest():
    # 受理申请 N = the total, or its channels summed (legacy_requests_channels) where the total was misprinted
    sentence = "本年度全县共收到有关政府信息公开的申请21条。"
    assert legacy_flags(narrative([fig("t", 21, "条", "21条", sentence)], rows=COUNTY_2012, requests_total=(20, 20)),
                        "legacy.narrative") == []
    # 同意公开 without 答复 names the granted row, not the replies' total
    granted = "对依申请公开的申请，同意公开17条。"
    assert narrative([fig("g", 17, "条", "17条", granted)], rows=COUNTY_2012) == []
    flags = narrative([fig("g", 18, "条", "18条", granted.replace("17", "18"))], rows=COUNTY_2012)
    assert [(f.severity, f.refs.split()[1], f.expected) for f in flags] == [
        ("warning", "t_legacy.replies_granted.year", 17)]
    # the main entry compared, then the other rows the prose could have meant, nearest first
    flags = narrative([fig("t", 22, "条", "22条", sentence.replace("21", "22"))], rows=COUNTY_2012)
    assert [(f.severity, f.expected) for f in flags] == [("warning", 21)]
    assert "受理依申请公开信息总数”本年度为21" in flags[0].message
    assert "表中可比的其他数亦不相符（最接近者在前）：“当面申请数”+“传真申请数”" in flags[0].message
