"""Rule engine on records built from real report sentences and tables (values read from the documents)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from pipeline.checks import RULES, run_batch_rules, run_checks
from pipeline.checks.engine import Context, flag, rule
from schemas.records import CellRecord, DocumentRecord, FigureRecord
from schemas.template import T3_APPLICANT_COLS, T3_OTHER_ROWS, T3_OUTCOME_ROWS

T2, T3, T4 = "t2_active", "t3_requests", "t4_review_litigation"


def doc(doc_id: str = "d", level: str = "county", year: int = 2022, title: str = "", issuer: str = "") -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.pdf", sha256="", title=title, issuer=issuer,
                          year=year, admin_level=level)


def cell(table: str, row: str, col: str, value: float | None, blank: bool = False) -> CellRecord:
    raw = "" if value is None else str(value)
    return CellRecord("d", table, row, col, value, raw, blank, row, 3)


def fig(fid: str, value: float, unit: str, raw: str, sentence: str, category: str = "cases",
        part_of: str = "", catch_all: bool = False, approx: bool = False, start: int = 0) -> FigureRecord:
    return FigureRecord(fid, "d", category, "", value, unit, approx, raw, sentence, "一", 1, start=start,
                        part_of=part_of, is_catch_all=catch_all)


def serious(flags):
    return [f for f in flags if f.severity in ("warning", "error")]


def t3_zero(cols=(*T3_APPLICANT_COLS, "total"), other_rows=T3_OTHER_ROWS) -> list[CellRecord]:
    rows = ("new_received", "carried_over", *T3_OUTCOME_ROWS, *other_rows, "handled_total", "carried_forward")
    return [cell(T3, r, c, 0) for r in rows for c in cols]


def t4(**values: int) -> list[CellRecord]:
    keys = [f"{g}_{o}" for g in ("review", "suit", "post_review_suit")
            for o in ("upheld", "corrected", "other", "pending", "total")]
    return [cell(T4, "cases", k, values.get(k, 0)) for k in keys]


# ------------------------------------------------------------------ seed (恩和镇 2022, township)

SEED_ENFORCEMENT = ("在执法信息公开方面：及时变更行政执法人员信息库，2022年共开展“两禁”巡查360余次、安全生产检查220余次，"
                    "劝导教育轻微行政违法人员340余人，下达整改通知书28份，进行行政处罚11件，处罚11人次，共处罚金5020元，"
                    "办理检察建议转办件3件，移送县农业农村局秸秆焚烧案件2起，移送自然资源局盗采砂石案件1起，做到有违必罚，有违必纠。")
SEED_VACCINE = "全年完成辖区 12 岁以上群众四针疫苗接种 34800 万剂次，完成城乡居民核酸检测 50 万余人次，及时将疫情防控信息在我镇公众号进行发布。"
SEED_OPEN = "2022年我镇主动公开政府信息数491条，其中政府网站5条，政务服务网117条，杞乡清风智慧监督执纪大数据平台19条，微信公众号201条。"
SEED_SUBSIDY = "在涉农补贴公开方面：2022年度公示耕地地力补贴7571户，面积41908.39亩，补助金额3185037.64元。"
SEED_SUBSIDY2 = "公示实际种粮农民一次性补贴补助共7594户，补助面积41847.86亩，共计公示3次，补助金额823147.4元。"
SEED_NPC = ("恩和镇第十八届人民代表大会第一次会议确定办理人大建议共4条，目前已办结3条，需创造条件跨年办理1条，"
            "所有建议全部按规定书面答复代表并通过政府网站公开。")


def seed_records():
    cells = [cell(T2, "rules", c, 0) for c in ("issued", "repealed", "in_force")]
    cells += [cell(T2, "normative_docs", c, 0) for c in ("issued", "repealed", "in_force")]
    cells += [cell(T2, "licensing", "decisions", 0), cell(T2, "penalty", "decisions", 6),
              cell(T2, "coercion", "decisions", 0), cell(T2, "fees", "amount_10k_yuan", 0)]
    cells += t3_zero() + t4()
    figures = [
        fig("f1", 360, "次", "360余次", SEED_ENFORCEMENT, "times", approx=True, start=1),
        fig("f2", 28, "份", "28份", SEED_ENFORCEMENT, start=2),
        fig("f3", 11, "件", "11件", SEED_ENFORCEMENT, start=3),
        fig("f4", 11, "人次", "11人次", SEED_ENFORCEMENT, "person_times", start=4),
        fig("f5", 5020, "元", "5020元", SEED_ENFORCEMENT, "money", start=5),
        fig("f6", 3, "件", "3件", SEED_ENFORCEMENT, start=6),
        fig("f7", 2, "起", "2起", SEED_ENFORCEMENT, start=7),
        fig("v1", 348000000, "剂次", "34800 万剂次", SEED_VACCINE, "doses"),
        fig("v2", 500000, "人次", "50 万余人次", SEED_VACCINE, "person_times", approx=True),
        fig("o0", 491, "条", "491条", SEED_OPEN, "items"),
        fig("o1", 5, "条", "5条", SEED_OPEN, "items", part_of="o0"),
        fig("o2", 117, "条", "117条", SEED_OPEN, "items", part_of="o0"),
        fig("o3", 19, "条", "19条", SEED_OPEN, "items", part_of="o0"),
        fig("o4", 201, "条", "201条", SEED_OPEN, "items", part_of="o0"),
        fig("s1", 7571, "户", "7571户", SEED_SUBSIDY, "households"),
        fig("s2", 41908.39, "亩", "41908.39亩", SEED_SUBSIDY, "area"),
        fig("s3", 3185037.64, "元", "3185037.64元", SEED_SUBSIDY, "money"),
        fig("s4", 7594, "户", "7594户", SEED_SUBSIDY2, "households"),
        fig("s5", 41847.86, "亩", "41847.86亩", SEED_SUBSIDY2, "area"),
        fig("s6", 823147.4, "元", "823147.4元", SEED_SUBSIDY2, "money"),
        fig("n1", 4, "条", "4条", SEED_NPC, "items"),
        fig("n2", 3, "条", "3条", SEED_NPC, "items", part_of="n1"),
        fig("n3", 1, "条", "1条", SEED_NPC, "items", part_of="n1"),
    ]
    return doc("seed", "township", 2022, "中宁县恩和镇人民政府2022年政府信息公开工作年度报告"), cells, figures


def test_seed_exactly_the_two_true_flags():
    flags = serious(run_checks(*seed_records()))
    assert sorted(f.rule for f in flags) == ["magnitude.stray_wan", "narrative.table_mismatch"]
    penalty, vaccine = sorted(flags, key=lambda f: f.rule, reverse=True)
    assert "t2_active.penalty.decisions" in penalty.refs.split() and "figure:f3" in penalty.refs.split()
    assert (penalty.expected, penalty.found, penalty.severity) == (6, 11, "warning")
    assert vaccine.refs == "figure:v1" and vaccine.found == 348000000 and vaccine.expected == 34800
    assert "万" in vaccine.message


FLAG_ID = re.compile(r"f-[0-9a-f]{16}")


def _ids(flags) -> dict[tuple[str, str], str]:
    return {(f.rule, f.message): f.flag_id for f in flags}


def test_flag_ids_are_content_hashes_not_positions():
    document, cells, figures = seed_records()
    document.sha256 = "ab" * 32
    flags = run_checks(document, cells, figures)
    assert all(FLAG_ID.fullmatch(f.flag_id) for f in flags) and len({f.flag_id for f in flags}) == len(flags)
    # the same findings with every figure renumbered and listed in another order (one more figure found
    # earlier in the text by a later extractor) keep their ids
    renamed = {f.figure_id: f"x{n:04d}" for n, f in enumerate(reversed(figures))}
    moved = [dataclasses.replace(f, figure_id=renamed[f.figure_id], part_of=renamed.get(f.part_of, ""))
             for f in reversed(figures)]
    moved.insert(0, fig("new", 5, "次", "5次", "召开会议5次。", "times", start=0))
    again = run_checks(document, cells, moved)
    assert _ids(again) == _ids(flags)
    # another document (other bytes) gets other ids for the same findings
    other = dataclasses.replace(document, sha256="cd" * 32)
    assert set(_ids(run_checks(other, cells, figures)).values()).isdisjoint(_ids(flags).values())


@pytest.fixture
def extra_rule():
    """A rule registered for one test only, like a new rule module would register itself."""
    @rule("zz_test.every_figure", "test rule: one info flag on every figure", severity="info")
    def every_figure(ctx: Context):
        for f in ctx.figures:
            yield flag(ctx, "zz_test.every_figure", "info", f"figure {f.raw}", [f"figure:{f.figure_id}"])
    RULES.insert(0, RULES.pop())  # as a module sorted first (a_….py) would stand: its flags come first
    yield
    RULES[:] = [r for r in RULES if r.id != "zz_test.every_figure"]


def test_adding_a_rule_changes_no_other_flag_id(request):
    document, cells, figures = seed_records()
    document.sha256 = "ab" * 32
    before = run_checks(document, cells, figures)
    assert before, "the seed report has flags to compare"
    request.getfixturevalue("extra_rule")
    after = run_checks(document, cells, figures)
    added = [f for f in after if f.rule == "zz_test.every_figure"]
    assert len(added) == len(figures)
    assert _ids([f for f in after if f.rule != "zz_test.every_figure"]) == _ids(before)
    assert len({f.flag_id for f in after}) == len(after)


def test_seed_subsidy_ratio_scaled_by_wan_flags():
    document, cells, figures = seed_records()
    money = next(f for f in figures if f.figure_id == "s3")
    money.value *= 1e4  # the same sentence with 补助金额 read as 3185037.64万元
    flags = [f for f in run_checks(document, cells, figures) if f.rule == "ratio.subsidy_per_mu"]
    assert len(flags) == 1 and "figure:s3" in flags[0].refs


# ------------------------------------------------------------------ table identities

HONGZE_T4 = {"review_upheld": 10, "review_corrected": 1, "post_review_suit_upheld": 5}  # totals printed 0


def test_hongze_table4_totals_are_errors():
    flags = run_checks(doc("hz"), t3_zero(other_rows=("other_total",)) + t4(**HONGZE_T4), [])
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("identity.t4_review_total", "error", 11, 0),
        ("identity.t4_post_review_suit_total", "error", 5, 0),
    ]
    assert flags[0].refs.split() == ["t4_review_litigation.cases.review_total",
                                     "t4_review_litigation.cases.review_upheld",
                                     "t4_review_litigation.cases.review_corrected"]


def test_huaian_table4_consistent():
    values = {"review_upheld": 72, "review_corrected": 64, "review_other": 178, "review_pending": 37,
              "review_total": 351, "suit_upheld": 13, "suit_corrected": 4, "suit_other": 8, "suit_pending": 1,
              "suit_total": 26, "post_review_suit_upheld": 12, "post_review_suit_corrected": 1,
              "post_review_suit_other": 1, "post_review_suit_pending": 6, "post_review_suit_total": 20}
    assert run_checks(doc(), t4(**values), []) == []


def pingtan_2021_t3() -> list[CellRecord]:
    """平潭 2021 table 3 (natural_person / public_interest / other_org / total; other columns 0)."""
    rows = {"new_received": (64, 2, 4, 70), "granted": (27, 2, 1, 30), "partially_granted": (5, 0, 0, 5),
            "denied_internal_affairs": (1, 0, 0, 1), "unable_not_held": (23, 0, 3, 26),
            "rejected_petition": (6, 0, 0, 6), "rejected_duplicate": (1, 0, 0, 1),
            "handled_total": (63, 2, 4, 69), "carried_forward": (1, 0, 0, 1)}
    cells = [c for c in t3_zero() if c.row_key not in rows]
    for row, (nat, pub, org, total) in rows.items():
        for col in T3_APPLICANT_COLS + ("total",):
            value = {"natural_person": nat, "public_interest": pub, "other_org": org, "total": total}.get(col, 0)
            cells.append(cell(T3, row, col, value))
    return cells


def test_pingtan_table3_consistent_and_balance_fault_found():
    cells = pingtan_2021_t3()
    assert run_checks(doc(level="zone"), cells, []) == []
    forward = next(c for c in cells if c.row_key == "carried_forward" and c.col_key == "total")
    forward.value = 2
    flags = run_checks(doc(level="zone"), cells, [])
    rules = {f.rule for f in flags}
    assert rules == {"identity.t3_balance", "identity.t3_row_total"}
    balance = next(f for f in flags if f.rule == "identity.t3_balance")
    assert (balance.expected, balance.found) == (70, 71) and forward.ref in balance.refs.split()


def test_all_blank_is_not_a_violation_and_missing_cell_skips():
    blank = [cell(T4, "cases", c.col_key, None, blank=True) for c in t4()]
    assert run_checks(doc(), blank, []) == []
    partial = [c for c in t4(**HONGZE_T4) if c.col_key != "review_other"]
    assert [f.rule for f in run_checks(doc(), partial, [])] == ["identity.t4_post_review_suit_total"]


# ------------------------------------------------------------------ narrative vs table (淮安 2024)

HUAIAN_REQ = ("2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复），"
              "均在法定期限内予以答复。")
HUAIAN_ACTIVE = "全年新增公开市政府规章1件、市政府及市政府办政策性文件11件，通过文字、图片等形式制作政策解读21个。"


def huaian_records():
    cells = [cell(T3, "new_received", "total", 3119), cell(T3, "carried_over", "total", 34),
             cell(T3, "handled_total", "total", 3050), cell(T3, "carried_forward", "total", 103),
             cell(T2, "rules", "issued", 1), cell(T2, "normative_docs", "issued", 8)]
    figures = [fig("a", 3119, "件", "3119件", HUAIAN_REQ), fig("b", 3050, "件", "3050件", HUAIAN_REQ),
               fig("c", 34, "件", "34件", HUAIAN_REQ), fig("e", 103, "件", "103件", HUAIAN_REQ),
               fig("g", 1, "件", "1件", HUAIAN_ACTIVE), fig("h", 11, "件", "11件", HUAIAN_ACTIVE)]
    return doc("ha", "prefecture", 2024), cells, figures


def test_huaian_narrative_agrees_and_policy_documents_are_info():
    flags = run_checks(*huaian_records())
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("narrative.table_mismatch", "info", 8, 11)]


def test_changed_request_count_is_a_warning():
    document, cells, figures = huaian_records()
    next(c for c in cells if c.row_key == "carried_forward").value = 130
    flags = serious(run_checks(document, cells, figures))
    assert [f.rule for f in flags] == ["identity.t3_balance", "narrative.table_mismatch"]
    assert flags[1].refs.split() == ["figure:e", "t3_requests.carried_forward.total"]
    assert (flags[1].severity, flags[1].expected, flags[1].found) == ("warning", 130, 103)


def test_narrower_body_is_info():
    sentence = "区政府办代表区政府受理政府信息公开申请17件。"
    flags = run_checks(doc(), [cell(T3, "new_received", "total", 21)], [fig("x", 17, "件", "17件", sentence)])
    assert [f.severity for f in flags] == ["info"]


def test_published_penalties_in_a_sector_column_are_not_warnings():
    sentence = "在生态环境信息公开专栏发布行政处罚23件。"
    flags = run_checks(doc(), [cell(T2, "penalty", "decisions", 6)], [fig("x", 23, "件", "23件", sentence)])
    assert serious(flags) == []


def test_old_report_without_tables_has_no_comparison():
    document, _, figures = huaian_records()
    assert run_checks(document, [], figures) == []


HUAIAN_REVIEW = "政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
HUAIAN_SUIT = "政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件，其他结果9件，尚未审结7件。"
HUAIAN_T4 = {"review_upheld": 72, "review_corrected": 64, "review_other": 178, "review_pending": 37,
             "review_total": 351, "suit_upheld": 13, "suit_corrected": 4, "suit_other": 8, "suit_pending": 1,
             "suit_total": 26, "post_review_suit_upheld": 12, "post_review_suit_corrected": 1,
             "post_review_suit_other": 1, "post_review_suit_pending": 6, "post_review_suit_total": 20}


def huaian_t4_figures(corrected: int = 64) -> list[FigureRecord]:
    review = HUAIAN_REVIEW.replace("纠正64件", f"纠正{corrected}件")
    figures = [fig(f"r{i}", v, "件", f"{v}件", review, start=i) for i, v in enumerate((351, 72, corrected, 178, 37))]
    figures += [fig(f"s{i}", v, "件", f"{v}件", HUAIAN_SUIT, start=i) for i, v in enumerate((46, 25, 5, 9, 7))]
    return figures


def test_table4_outcomes_in_the_narrative():
    assert run_checks(doc("ha", "prefecture", 2024), t4(**HUAIAN_T4), huaian_t4_figures()) == []
    flags = run_checks(doc("ha", "prefecture", 2024), t4(**HUAIAN_T4), huaian_t4_figures(corrected=46))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("narrative.table_mismatch", "warning", 64, 46)]
    assert "t4_review_litigation.cases.review_corrected" in flags[0].refs.split()


# ------------------------------------------------------------------ parts vs total (平潭 2019)

PINGTAN_2019 = ("今年，我区政府信息公开单位共公布政府信息2599条，(其中机构职能类信息25条，政策、规范性文件类信息68条，"
                "规划计划类信息28条，行政许可类信息69条，重大建设项目信息90条，为民办实事类信息175条，"
                "民政扶贫救灾社会保障就业类信息67条，国土资源城乡建设环保能源类信息983条，科教文体卫生类信息48条，"
                "安全生产、应急管理类信息124条，其他应主动公开政府信息856条)")


def test_pingtan_catch_all_breakdown_short_by_66():
    values = (25, 68, 28, 69, 90, 175, 67, 983, 48, 124, 856)
    figures = [fig("t", 2599, "条", "2599条", PINGTAN_2019, "items")]
    figures += [fig(f"p{i}", v, "条", f"{v}条", PINGTAN_2019, "items", part_of="t", catch_all=i == 10, start=i)
                for i, v in enumerate(values)]
    flags = run_checks(doc(level="zone", year=2019), [], figures)
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("parts.catch_all_sum", "warning", 2599, 2533)]


def test_nested_and_next_list_parts_do_not_exceed():
    s = ("共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条，部门预决算公开165条），"
         "“三公”经费27条，债券发行4条。")
    figures = [fig("t", 380, "条", "380条", s, "items")]
    figures += [fig(f"p{v}", v, "条", f"{v}条", s, "items", part_of="t") for v in (152, 197, 32, 165, 27, 4)]
    assert run_checks(doc(), [], figures) == []
    figures[1].value = 400  # 专项资金 alone above the total
    assert [f.rule for f in run_checks(doc(), [], figures)] == ["parts.exceed_total"]


# ------------------------------------------------------------------ cells, magnitude, ratios, dates

def test_cell_sanity():
    cells = [cell(T2, "fees", "amount_10k_yuan", 7730.28), cell(T2, "licensing", "change", -3),
             cell(T2, "penalty", "decisions", -1), cell(T3, "granted", "total", 2.5)]
    rules = [f.rule for f in run_checks(doc(), cells, [])]
    assert rules == ["cell.negative", "cell.fractional_count"]
    fee = run_checks(doc(), [cell(T2, "fees", "amount_10k_yuan", 77302800)], [])
    assert [(f.rule, f.expected) for f in fee] == [("cell.fee_unit", 7730.28)]


def test_household_count_beyond_a_county():
    s = "全县共发放补贴资金惠及农户800万户。"
    flags = run_checks(doc(), [], [fig("x", 8000000, "户", "800万户", s, "households")])
    assert [(f.rule, f.severity) for f in flags] == [("magnitude.level_bound", "warning")]
    stray = fig("y", 12000000, "户", "1200万户", s, "households")
    flags = run_checks(doc(), [], [stray])
    assert [(f.rule, f.expected) for f in flags] == [("magnitude.stray_wan", 1200)]


def test_stray_wan_person_times_of_a_service_is_a_warning():
    relief = "2022年公开新增低保76人，公开临时救助4110万人次，发放救助资金26余万元。"
    flags = run_checks(doc(level="township"), [], [fig("x", 41100000, "人次", "4110万人次", relief, "person_times")])
    assert [(f.rule, f.severity, f.expected) for f in flags] == [("magnitude.stray_wan", "warning", 4110)]
    zone = "坚持“三个一”工作机制，服务群众26800万人次，提升答复质量。"
    flags = run_checks(doc(level="zone"), [], [fig("y", 268000000, "人次", "26800万人次", zone, "person_times")])
    assert [(f.rule, f.severity) for f in flags] == [("magnitude.stray_wan", "warning")]


def test_large_person_times_of_mass_activities_do_not_warn():
    testing = fig("v2", 500000, "人次", "50 万余人次", SEED_VACCINE, "person_times", approx=True)
    assert run_checks(doc(level="township"), [], [testing]) == []
    visits = fig("w", 15000000, "人次", "1500万人次", "省政府门户网站全年访问量1500万人次。", "person_times")
    # page views are counted in 万 as a matter of course (schemas/subjects.py COUNT_CLASSES): not even info
    assert run_checks(doc(level="province"), [], [visits]) == []
    mass = fig("t", 12000000, "人次", "1200万人次", "全年完成全员核酸检测1200万人次。", "person_times")
    assert [f.severity for f in run_checks(doc(level="township"), [], [mass])] == ["info"]


def test_enumeration_comma_does_not_break_the_received_clause():
    s = "2022年度共收到公民、法人或其他组织提出的政府信息公开申请3件，不存在被申请行政复议、提起行政诉讼的情况。"
    flags = run_checks(doc(level="township"), t3_zero(), [fig("x", 3, "件", "3件", s)])
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("narrative.table_mismatch", "warning", 0, 3)]
    assert "t3_requests.new_received.total" in flags[0].refs.split()


def npc_figures(total: int, done: int, pending: int, sentence: str = SEED_NPC) -> list[FigureRecord]:
    sentence = sentence.replace("共4条", f"共{total}条").replace("已办结3条", f"已办结{done}条")
    sentence = sentence.replace("跨年办理1条", f"跨年办理{pending}条")
    return [fig("n1", total, "条", f"{total}条", sentence, "items", start=1),
            fig("n2", done, "条", f"{done}条", sentence, "items", start=2),
            fig("n3", pending, "条", f"{pending}条", sentence, "items", start=3)]


def test_outcomes_exceeding_a_total_without_qizhong():
    assert run_checks(doc(level="township"), [], npc_figures(4, 3, 1)) == []
    flags = run_checks(doc(level="township"), [], npc_figures(4, 5, 1))
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("parts.outcomes_exceed_total", "warning", 4, 6)]
    carried = SEED_NPC.replace("目前已办结3条", "目前已办结3条（含上年结转2条）")
    assert run_checks(doc(level="township"), [], npc_figures(4, 5, 1, carried)) == []


def test_rate_over_100_percent():
    ok = fig("a", 100, "%", "100%", "政务新媒体检查抽查合格率均为100%。", "percent")
    bad = fig("b", 105, "%", "105%", "群众满意率达105%。", "percent")
    growth = fig("c", 150, "%", "150%", "访问量同比增长150%。", "percent")
    assert [f.refs for f in run_checks(doc(), [], [ok, bad, growth])] == ["figure:b"]


def test_title_year_and_statistical_period():
    s = "本报告统计数据从2021年1月1日至2021年12月31日，共公开信息10条。"
    document = doc(year=2022, title="某县人民政府2022年政府信息公开工作年度报告")
    flags = run_checks(document, [], [fig("x", 10, "条", "10条", s, "items")])
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("dates.statistical_period", "warning", 2022, 2021)]
    document = doc(year=2022, title="某县人民政府2021年政府信息公开工作年度报告")
    flags = run_checks(document, [], [fig("x", 10, "条", "10条", s, "items")])
    assert [f.rule for f in flags] == ["dates.title_year"]  # the period agrees with the title


def period_doc(title_year: int, start: str, end: str) -> DocumentRecord:
    document = doc(year=title_year, title=f"某镇人民政府{title_year}年政府信息公开工作年度报告")
    document.period_start, document.period_end = start, end
    return document


SEED_YEAR_SENTENCES = [fig("a", 491, "条", "491条", SEED_OPEN, "items"),
                       fig("b", 7571, "户", "7571户", SEED_SUBSIDY, "households")]


def test_period_from_the_record_against_the_title_year():
    assert run_checks(period_doc(2022, "2022-01-01", "2022-12-31"), [], SEED_YEAR_SENTENCES) == []
    flags = run_checks(period_doc(2022, "2021-01-01", "2021-12-31"), [], SEED_YEAR_SENTENCES)
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("dates.statistical_period", "warning", 2022, 2021)]
    flags = run_checks(period_doc(2022, "2022-01-01", "2023-12-31"), [], [])
    assert [(f.severity, f.found) for f in flags] == [("warning", 2023)]


def test_title_year_changed_is_caught_by_the_period_and_body():
    flags = run_checks(period_doc(2021, "2022-01-01", "2022-12-31"), [], SEED_YEAR_SENTENCES)
    assert [(f.rule, f.severity, f.expected, f.found) for f in flags] == [
        ("dates.statistical_period", "warning", 2022, 2021)]
    assert "标题" in flags[0].message


def test_odd_period_is_info_and_no_period_lets_the_body_vote():
    flags = run_checks(period_doc(2022, "2022-01-01", "2022-06-30"), [], [])
    assert [(f.rule, f.severity) for f in flags] == [("dates.statistical_period", "info")]
    sentences = SEED_YEAR_SENTENCES + [fig("c", 11, "件", "11件", SEED_ENFORCEMENT)]
    assert serious(run_checks(period_doc(2022, "", ""), [], sentences)) == []
    flags = serious(run_checks(period_doc(2021, "", ""), [], sentences))
    assert [(f.rule, f.expected, f.found) for f in flags] == [("dates.body_year", 2022, 2021)]


def test_across_years_carry_over():
    last = doc("y20", year=2020, issuer="平潭综合实验区管委会")
    this = doc("y21", year=2021, issuer="平潭综合实验区管委会")
    prev_cells = [cell(T3, "carried_forward", "total", 2), cell(T3, "carried_forward", "natural_person", 2)]
    cells = [cell(T3, "carried_over", "total", 0), cell(T3, "carried_over", "natural_person", 0)]
    flags = run_batch_rules([(last, prev_cells), (this, cells)])
    # one flag per report pair, naming both reports by issuer and year, every differing column in refs
    assert [(f.rule, f.doc_id, f.expected, f.found) for f in flags] == [("across_years.carry_over", "y21", 2, 0)]
    assert "平潭综合实验区管委会 2021年报告" in flags[0].message and "2020年报告" in flags[0].message
    assert set(flags[0].refs.split()) == {"t3_requests.carried_over.total", "t3_requests.carried_over.natural_person"}
    assert all(FLAG_ID.fullmatch(f.flag_id) for f in flags)
    assert [f.flag_id for f in run_batch_rules([(this, cells), (last, prev_cells)])] == [f.flag_id for f in flags]
    other = doc("z21", year=2021, issuer="另一机关")
    assert run_batch_rules([(last, prev_cells), (other, cells)]) == []


def _shanghai_2019_t3() -> list[CellRecord]:
    """Table 3 of the 2019 上海市人民政府办公厅 report as printed: zeros blank, and the 总计 column left
    blank on every outcome row (one 其他处理 row, the 2019 form)."""
    blank = object()
    printed = {  # row -> natural_person, commercial, research, public_interest, legal_services, other_org, total
        "new_received": (821, 35, blank, blank, 2, 1, 859),
        "carried_over": (18, blank, blank, blank, blank, blank, 18),
        "granted": (258, 12, blank, blank, 1, 1, blank),
        "partially_granted": (3, blank, blank, blank, blank, blank, blank),
        "denied_state_secret": (14, blank, blank, blank, blank, blank, blank),
        "denied_internal_affairs": (5, blank, blank, blank, blank, blank, blank),
        "denied_process_info": (3, 1, blank, blank, blank, blank, blank),
        "denied_admin_query": (10, 2, blank, blank, blank, blank, blank),
        "unable_not_held": (252, 12, blank, blank, 1, blank, blank),
        "unable_needs_creation": (44, 3, blank, blank, blank, blank, blank),
        "unable_unclear": (25, blank, blank, blank, blank, blank, blank),
        "rejected_petition": (148, 1, blank, blank, blank, blank, blank),
        "rejected_duplicate": (5, 4, blank, blank, blank, blank, blank),
        "handled_total": (767, 35, blank, blank, 2, 1, 805),
        "carried_forward": (72, blank, blank, blank, blank, blank, 72),
    }
    rows = ("new_received", "carried_over", *T3_OUTCOME_ROWS, "other_total", "handled_total", "carried_forward")
    out = []
    for row in rows:
        values = printed.get(row, (blank,) * 7)
        for col, value in zip((*T3_APPLICANT_COLS, "total"), values, strict=True):
            out.append(cell(T3, row, col, None, blank=True) if value is blank else cell(T3, row, col, value))
    return out


def test_total_column_left_blank_is_one_warning_with_found_empty():
    flags = run_checks(doc(level="province", year=2019), _shanghai_2019_t3(), [])
    # the 总计 column is blank on the 11 outcome rows with non-zero parts: one omission, one warning
    assert [(f.rule, f.severity, f.found) for f in serious(flags)] == [("identity.t3_row_total", "warning", None)]
    gap = serious(flags)[0]
    assert "11处总计未填写" in gap.message and "272（258+12+1+1）" in gap.message  # 予以公开
    assert "t3_requests.granted.total" in gap.refs.split() and "t3_requests.handled_total.total" not in gap.refs
    # one blank total alone (补正后申请内容仍不明确: 25 in 自然人): expected is its parts' sum
    filled = _fill_totals(_shanghai_2019_t3())
    assert serious(run_checks(doc(level="province", year=2019), filled, [])) == []
    one = [cell(T3, c.row_key, c.col_key, None, True) if (c.row_key, c.col_key) == ("unable_unclear", "total")
           else c for c in filled]
    flags = {f.rule: f for f in serious(run_checks(doc(level="province", year=2019), one, []))}
    assert (flags["identity.t3_row_total"].expected, flags["identity.t3_row_total"].found) == (25, None)
    # and the 总计 column now misses those 25 (blank counts as 0): the column identity is an error
    assert (flags["identity.t3_handled_total_2019"].severity, flags["identity.t3_handled_total_2019"].found) == (
        "error", 805)


def _fill_totals(cells: list[CellRecord]) -> list[CellRecord]:
    """The same table with every row's 总计 written as the sum of its applicant columns."""
    sums: dict[str, float] = {}
    for c in cells:
        if c.col_key in T3_APPLICANT_COLS:
            sums[c.row_key] = sums.get(c.row_key, 0) + (c.value or 0)
    return [cell(T3, c.row_key, "total", sums.get(c.row_key, 0)) if c.col_key == "total" else c for c in cells]


def test_written_total_against_blank_zeros_still_an_error_when_arithmetic_fails():
    cells = _shanghai_2019_t3()
    for c in cells:  # misprint one written number: the 自然人 column no longer adds up
        if (c.row_key, c.col_key) == ("granted", "natural_person"):
            c.value = 268
    flags = [f for f in serious(run_checks(doc(level="province", year=2019), cells, [])) if f.severity == "error"]
    assert [f.rule for f in flags] == ["identity.t3_handled_total_2019"]
    assert flags[0].expected == 777 and flags[0].found == 767


# ------------------------------------------------------------------ narrative subjects: what a sentence states

def _narrative(sentence: str, raw: str, cells: list[CellRecord], document: DocumentRecord | None = None):
    value = float(raw.rstrip("件项条个"))
    flags = run_checks(document or doc(), cells, [fig("x", value, raw[-1], raw, sentence)])
    return [(f.severity, f.expected, f.found) for f in flags if f.rule == "narrative.table_mismatch"]


def _t3_totals(**values: int) -> list[CellRecord]:
    return [cell(T3, row, "total", v) for row, v in values.items()]


def test_compound_subject_is_the_sum_of_its_cells():
    s = "本年度共办结政府信息公开申请50件，其中予以公开及部分公开42件。"
    assert _narrative(s, "42件", _t3_totals(granted=40, partially_granted=2)) == []
    assert _narrative(s, "42件", _t3_totals(granted=40, partially_granted=1)) == [("warning", 41, 42)]
    # each named alone is still compared with its own cell
    assert _narrative("其中部分公开2件。".replace("其中", "政府信息公开申请中"), "2件",
                      _t3_totals(granted=40, partially_granted=2)) == []


def test_received_may_include_carried_over_requests():
    s = "2022年共收到政府信息公开申请75件，均已按期答复。"
    assert _narrative(s, "75件", _t3_totals(new_received=74, carried_over=1)) == []
    assert _narrative(s, "75件", _t3_totals(new_received=75, carried_over=0)) == []
    assert _narrative(s, "75件", _t3_totals(new_received=70, carried_over=1)) == [("warning", 70, 75)]


def test_other_acts_on_documents_are_not_made_this_year():
    made = [cell(T2, "rules", "issued", 0), cell(T2, "normative_docs", "issued", 2)]
    for sentence, raw in (("在区政府公报刊登规章5件。", "5件"), ("转载上级行政规范性文件12件。", "12件"),
                          ("集中发布行政规范性文件8件。", "8件"), ("开展规范性文件清理，清理规范性文件30件。", "30件"),
                          ("现行有效行政规范性文件25件。", "25件"), ("修订完善内部规章制度12项。", "12项")):
        assert _narrative(sentence, raw, made) == [], sentence
    assert _narrative("全年制定规章2件。", "2件", made) == [("warning", 0, 2)]
    assert _narrative("全年印发行政规范性文件5件。", "5件", made) == [("warning", 2, 5)]
    assert _narrative("全年公开行政规范性文件5件。", "5件", made) == [("info", 2, 5)]  # published, made when?


def test_scope_and_open_lists_are_info_at_most():
    cells = _t3_totals(new_received=21) + [cell(T2, "normative_docs", "issued", 2), cell(T2, "penalty", "decisions", 6),
                                              cell(T2, "coercion", "decisions", 0)]
    assert _narrative("本机关共收到政府信息公开申请17件。", "17件", cells) == [("info", 21, 17)]
    assert _narrative("各部门共收到政府信息公开申请30件。", "30件", cells) == [("info", 21, 30)]
    assert _narrative("制发部门规范性文件3件。", "3件", cells) == [("info", 2, 3)]
    assert _narrative("作出行政处罚、行政强制等决定110件。", "110件", cells) == [("info", 6, 110)]
    office = doc(level="county", issuer="某某市某某区人民政府办公室")
    assert _narrative("全区共收到政府信息公开申请130件。", "130件", cells, office) == [("info", 21, 130)]
    government = doc(level="county", issuer="某某市某某区人民政府")
    assert _narrative("全区共收到政府信息公开申请130件。", "130件", cells, government) == [("warning", 21, 130)]


def test_docs_rules_md_is_rendered_from_the_registry():
    from pipeline.checks.docs import DOC, render

    text = DOC.read_text(encoding="utf-8")
    assert render() in text, "docs/rules.md is stale: run python -m pipeline.checks"
    assert all(f"`{r.id}`" in text and r.explanation for r in RULES)
    assert any(r.batch and r.id == "across_years.carry_over" for r in RULES)


def test_a_making_verb_beside_another_act_is_info():
    made = [cell(T2, "normative_docs", "issued", 2)]
    assert _narrative("起草并印发行政规范性文件5件。", "5件", made) == [("info", 2, 5)]


# ------------------------------------------------------------------ legal competence (立法法)

def _rules_row(issued: int, in_force: int) -> list[CellRecord]:
    return [cell(T2, "rules", "issued", issued), cell(T2, "rules", "repealed", 0), cell(T2, "rules", "in_force", in_force)]


def _competence(document: DocumentRecord, cells: list[CellRecord]):
    return [f for f in run_checks(document, cells, []) if f.rule.startswith("competence.")]


def test_township_county_or_zone_reporting_rules_is_a_warning():
    for level, issuer, year, article in (("township", "中宁县恩和镇人民政府", 2022, "第八十二条"),
                                         ("county", "淮安市洪泽区人民政府", 2023, "第九十三条"),
                                         ("zone", "平潭综合实验区管委会", 2021, "第八十二条"),
                                         ("department", "淮安市洪泽区生态环境局", 2024, "第九十三条")):
        flags = _competence(doc(level=level, year=year, issuer=issuer), _rules_row(0, 3))
        assert [(f.severity, f.found, f.refs) for f in flags] == [
            ("warning", 3, "t2_active.rules.in_force")], issuer
        assert "规章制度" in flags[0].message and article in flags[0].message
    made = _competence(doc(level="township", issuer="中宁县恩和镇人民政府"), _rules_row(2, 3))
    assert made[0].refs.split() == ["t2_active.rules.issued", "t2_active.rules.in_force"] and made[0].found == 5


def test_bodies_that_make_rules_and_zero_rows_are_left_alone():
    # 淮安 2024 (a city with districts): 规章 本年制发 1, 现行有效 11 as printed
    assert _competence(doc("ha", "prefecture", 2024, issuer="淮安市人民政府"), _rules_row(1, 11)) == []
    assert _competence(doc(level="province", issuer="江苏省人民政府"), _rules_row(3, 120)) == []
    assert _competence(doc(level="department", issuer="淮安市生态环境局"), _rules_row(0, 2)) == []
    assert _competence(doc(level="township", issuer="中宁县恩和镇人民政府"), _rules_row(0, 0)) == []


def test_every_count_category_is_bounded_per_level():
    texts = "今年共发送“村廉通”短信5亿条，其中：公开收入短信154笔。"
    sms = fig("m", 500000000, "条", "5亿条", texts, "messages")
    flags = run_checks(doc(level="township"), [], [sms])
    assert [(f.rule, f.severity, f.found) for f in flags] == [("magnitude.level_bound", "warning", 500000000)]
    assert run_checks(doc(level="prefecture"), [], [sms]) == []  # 5 亿 texts over a whole prefecture
    area = fig("a", 419083900, "亩", "41908.39万亩", "公示耕地地力补贴7571户，面积41908.39万亩。", "area")
    assert [(f.rule, f.expected) for f in run_checks(doc(level="township"), [], [area])] == [
        ("magnitude.stray_wan", 41908.39)]
    visits = fig("v", 12000000, "次", "1200万次", "门户网站全年访问量达1200万次。", "times")
    assert run_checks(doc(level="township"), [], [visits]) == []  # page views: 万 is their ordinary unit


# ------------------------------------------------------------------ the subject lexicon (schemas/subjects.py)


def _narrative_flags(sentence: str, raw: str, cells: list[CellRecord]):
    value = float(raw.rstrip("件项条个"))
    flags = run_checks(doc(), cells, [fig("x", value, raw[-1], raw, sentence)])
    return [f for f in flags if f.rule == "narrative.table_mismatch"]


def test_a_count_the_table_explains_with_a_template_sum_is_no_flag():
    # 受理 N = 新收 + 上年结转 (the year's workload); 办理/答复 N = 办理结果总计 or 新收 + 上年结转
    workload = _t3_totals(new_received=713, carried_over=36, handled_total=740, carried_forward=9)
    for sentence in ("全县全年共受理政府信息公开申请749件。", "全年共办理政府信息公开申请749件。",
                     "全年共答复政府信息公开申请740件。", "全年共收到政府信息公开申请713件。"):
        raw = sentence[-5:-1]
        assert _narrative(sentence, raw, workload) == [], sentence
    # 同意公开 is 予以公开 (or 予以公开 + 部分公开), never the handled total
    outcomes = _t3_totals(new_received=35, handled_total=35, granted=9, partially_granted=3)
    assert _narrative("申请中同意公开答复9件。", "9件", outcomes) == []
    assert _narrative("申请中同意公开12件。", "12件", outcomes) == []
    assert _narrative("申请中同意公开答复10件。", "10件", outcomes) == [("warning", 9, 10)]


def test_a_count_no_candidate_explains_names_the_candidates():
    cells = _t3_totals(new_received=713, carried_over=36, handled_total=740)
    flags = _narrative_flags("全县全年共受理政府信息公开申请750件。", "750件", cells)
    assert [(f.severity, f.expected, f.found) for f in flags] == [("warning", 713, 750)]
    message = flags[0].message
    # the cell compared, and the other candidate with its value, as the nearest miss
    assert "表三“本年新收”总计为713" in message
    assert "“本年新收”+“上年结转”总计为749" in message and "最接近" in message and "相差1" in message
    assert {"t3_requests.new_received.total", "t3_requests.carried_over.total"} <= set(flags[0].refs.split())


def test_outcome_blocks_are_summed_over_their_reasons():
    cells = _t3_totals(**{**dict.fromkeys(T3_OUTCOME_ROWS, 0), "new_received": 5, "granted": 2,
                          "denied_state_secret": 1, "denied_third_party": 2, "unable_not_held": 1})
    assert _narrative("申请中不予公开3件。", "3件", cells) == []
    assert _narrative("因本机关不掌握等原因无法提供1件。".replace("因", "申请中因"), "1件", cells) == []
    assert _narrative("申请中不予公开4件。", "4件", cells) == [("warning", 3, 4)]
    # a block the table does not print whole is not compared
    assert _narrative("申请中不予公开4件。", "4件", _t3_totals(denied_state_secret=1)) == []


def test_data_records_and_page_views_are_not_information_items():
    for sentence, raw, value in (("依托平台汇聚数据8232万条，接入25个业务系统。", "8232万条", 82320000),
                                 ("门户网站全年访问量达2300万人次。", "2300万人次", 23000000)):
        f = fig("x", value, raw[-1] if raw[-2] != "人" else "人次", raw, sentence, category="items")
        flags = run_checks(doc(level="township"), [], [f])
        assert not [x for x in flags if x.rule.startswith("magnitude")], sentence
    # an information count with the same stray 万 is still one
    f = fig("x", 39000000, "条", "3900万条", "全年发布原创信息3900万条。", category="items")
    assert [x.severity for x in run_checks(doc(level="township"), [], [f]) if x.rule == "magnitude.stray_wan"] \
        == ["warning"]
