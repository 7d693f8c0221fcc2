"""Fault injectors for real report texts: each returns modified text plus the flag an auditor expects.

The seed (corpus/enhe-2022.txt) prints its tables as tab-separated lines, so faults may go into its
cells; the 平潭 portal texts have their table cells run together, so only their narrative is edited.
A fault with `expect=None` is a negative control: a harmless edit that must raise no new warning/error.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from schemas.records import FlagRecord

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "enhe-2022.txt"
SHARED_INPUTS = ROOT.parent / "shared" / "corpus" / "inputs"
SERIOUS = ("warning", "error")


@dataclass(frozen=True)
class Expect:
    """A flag that should appear: matched, as nianbao_eval does, by any ref or by expected/found/figure value."""

    refs: tuple[str, ...] = ()
    value: float | None = None
    rule: str = ""  # the rule meant to catch it (reported, not used for matching)


@dataclass(frozen=True)
class Fault:
    """One injected edit of one base text."""

    name: str
    kind: str  # a..j as in the brief, or "control"
    base: str  # key of BASES
    edit: Callable[[str], str]
    expect: Expect | None = None  # None: negative control
    note: str = ""


@dataclass(frozen=True)
class Base:
    """A real report text and the flags it already (rightly) raises."""

    path: Path
    known: tuple[Expect, ...] = field(default_factory=tuple)
    tab_tables: bool = False  # tables are tab-separated lines (a DOCX can be built from it)


BASES: dict[str, Base] = {
    "enhe": Base(SEED, (Expect(value=348000000, rule="magnitude.stray_wan"),
                        Expect(refs=("t2_active.penalty.decisions",), value=11, rule="narrative.table_mismatch")),
                 tab_tables=True),
    "pingtan2019": Base(SHARED_INPUTS / "real-004-pingtan-2019.txt",
                        (Expect(value=2599, rule="parts.catch_all_sum"),)),
    "pingtan2021": Base(SHARED_INPUTS / "real-006-pingtan-2021.txt"),
}


# ---------------------------------------------------------------- text edits


def replace_once(old: str, new: str) -> Callable[[str], str]:
    """An edit replacing the one occurrence of `old` (fails loudly if the base text changed)."""

    def edit(text: str) -> str:
        count = text.count(old)
        if count != 1:
            raise ValueError(f"{old!r} occurs {count} times, expected once")
        return text.replace(old, new)

    return edit


def insert_after(anchor: str, sentence: str) -> Callable[[str], str]:
    """An edit inserting `sentence` right after the one occurrence of `anchor`."""
    return replace_once(anchor, anchor + sentence)


def set_cell(row_start: str, column: int, value: str) -> Callable[[str], str]:
    """An edit setting field `column` (0-based, tab-separated) of the one table line starting with `row_start`."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines) if "\t" in line and line.startswith(row_start)]
        if len(hits) != 1:
            raise ValueError(f"{len(hits)} table lines start with {row_start!r}")
        fields = lines[hits[0]].split("\t")
        fields[column] = value
        lines[hits[0]] = "\t".join(fields)
        return "\n".join(lines)

    return edit


def chain(*edits: Callable[[str], str]) -> Callable[[str], str]:
    """Several edits applied in order."""

    def edit(text: str) -> str:
        for one in edits:
            text = one(text)
        return text

    return edit


# seed table 3 rows: label fields then 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计, ''
T3_NEW = "一、本年新收"
T3_GRANTED = "三、本年度办理结果\t(一) 予以公开"
T3_HANDLED = "(七) 总计"
T3_FORWARD = "四、结转下年度"
T3_PARTIAL = "\t(二) 部分公开"
T3_CARRIED = "二、上年结转"
SEED_NONE_RECEIVED = "2022 年度未收到公民、法人或其他组织提出的政府信息公开申请"


def t3_rows(**rows: int) -> Callable[[str], str]:
    """Set the 自然人 and 总计 cells of seed table-3 rows (by their line starts above) to the same value."""
    return chain(*(edit for start, value in rows.items()
                   for edit in (set_cell(start, 2, str(value)), set_cell(start, 8, str(value)))))


def t4_cells(values: dict[int, str]) -> Callable[[str], str]:
    """An edit setting fields of the seed's table-4 value line (0-4 复议, 5-9 直接起诉, 10-14 复议后起诉)."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines)
                if len(line.split("\t")) == 15 and all(f.strip().isdigit() for f in line.split("\t"))]
        if len(hits) != 1:
            raise ValueError(f"{len(hits)} table-4 value lines")
        fields = lines[hits[0]].split("\t")
        for i, v in values.items():
            fields[i] = v
        lines[hits[0]] = "\t".join(fields)
        return "\n".join(lines)

    return edit


# ---------------------------------------------------------------- the fault list

T3 = "t3_requests"
T4 = "t4_review_litigation"

FAULTS: list[Fault] = [
    # (a) table 3 identity broken by one cell
    Fault("a_t3_granted_cell", "a", "enhe", set_cell(T3_GRANTED, 2, "1"),
          Expect((f"{T3}.granted.natural_person", f"{T3}.granted.total", f"{T3}.handled_total.natural_person"),
                 rule="identity.t3_row_total / t3_handled_total"), "予以公开 自然人 0→1, row total stays 0"),
    Fault("a_t3_new_total", "a", "enhe", set_cell(T3_NEW, 2, "3"),
          Expect((f"{T3}.new_received.total", f"{T3}.new_received.natural_person"), rule="identity.t3_row_total"),
          "新收 总计 0→3 with all columns 0"),
    Fault("a_t3_handled_total", "a", "enhe", set_cell(T3_HANDLED, 8, "2"),
          Expect((f"{T3}.handled_total.total",), rule="identity.t3_handled_total"), "（七）总计 总计 0→2"),
    Fault("a_t3_forward", "a", "enhe", set_cell(T3_FORWARD, 2, "1"),
          Expect((f"{T3}.carried_forward.natural_person", f"{T3}.carried_forward.total"),
                 rule="identity.t3_balance"), "结转下年度 自然人 0→1"),
    # (b) table 4 total vs its parts
    Fault("b_t4_review_total", "b", "enhe", t4_cells({4: "2"}),
          Expect((f"{T4}.cases.review_total",), rule="identity.t4_review_total"), "行政复议 总计 0→2, parts 0"),
    Fault("b_t4_suit_part", "b", "enhe", t4_cells({5: "1"}),
          Expect((f"{T4}.cases.suit_total", f"{T4}.cases.suit_upheld"), rule="identity.t4_suit_total"),
          "直接起诉 维持 0→1, 总计 0"),
    Fault("b_t4_post_review", "b", "enhe", t4_cells({11: "1", 13: "1", 14: "1"}),
          Expect((f"{T4}.cases.post_review_suit_total",), rule="identity.t4_post_review_suit_total"),
          "复议后起诉 纠正1 + 尚未审结1, 总计 1"),
    # (c) narrative vs table
    Fault("c_requests_received", "c", "enhe",
          insert_after("（二）依申请公开情况。", "本年度共收到政府信息公开申请5件。"),
          Expect((f"{T3}.new_received.total",), 5, "narrative.table_mismatch"), "table 3 新收 0"),
    Fault("c_normative_docs", "c", "enhe",
          insert_after("认真梳理《中宁县恩和镇政务公开基本目录》，", "制发行政规范性文件4件，"),
          Expect(("t2_active.normative_docs.issued",), 4, "narrative.table_mismatch"), "table 2 规范性文件 0"),
    Fault("c_review_cases", "c", "enhe",
          replace_once("不存在因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
                       "因政府信息公开工作被申请行政复议2件，未被提起行政诉讼。"),
          Expect((f"{T4}.cases.review_total",), 2, "narrative.table_mismatch"), "table 4 复议 总计 0"),
    Fault("c_licensing", "c", "enhe", insert_after("下达整改通知书28份，", "办理行政许可15件，"),
          Expect(("t2_active.licensing.decisions",), 15, "narrative.table_mismatch"), "table 2 行政许可 0"),
    Fault("c_penalty_table", "c", "enhe", set_cell("行政处罚", 1, "9"),
          Expect(("t2_active.penalty.decisions",), 9, "narrative.table_mismatch"),
          "table 行政处罚 6→9 while the narrative says 11 (known flag must now show 9)"),
    Fault("c_pt21_received", "c", "pingtan2021", replace_once("本年度全区共收到70件申请", "本年度全区共收到75件申请"),
          Expect((f"{T3}.new_received.total",), 75, "narrative.table_mismatch"), "table 3 新收 70"),
    Fault("c_pt21_concluded", "c", "pingtan2021", replace_once("及时依法依规办结69件", "及时依法依规办结66件"),
          Expect((f"{T3}.handled_total.total",), 66, "narrative.table_mismatch"), "table 3 总计 69"),
    Fault("c_pt19_received", "c", "pingtan2019",
          insert_after("（二）主要做法", "全年共收到政府信息公开申请999件。"),
          Expect((f"{T3}.new_received.total",), 999, "narrative.table_mismatch"), "a count no table cell has"),
    # (d) stray 万 on a count
    Fault("d_households_wan", "d", "enhe", replace_once("耕地地力补贴7571户", "耕地地力补贴7571万户"),
          Expect(value=75710000, rule="magnitude.stray_wan"), "7571万户 in a township"),
    Fault("d_people_wan", "d", "enhe", replace_once("公开新增低保76人", "公开新增低保7600万人"),
          Expect(value=76000000, rule="magnitude.stray_wan"), "7600万人 低保 in a township"),
    Fault("d_person_times_wan", "d", "enhe", replace_once("公开临时救助411人次", "公开临时救助4110万人次"),
          Expect(value=41100000, rule="magnitude.stray_wan"), "4110万人次 临时救助"),
    Fault("d_pt21_people_wan", "d", "pingtan2021",
          insert_after("第一时间回复申请的“三个一”工作机制，", "服务群众26800万人次，"),
          Expect(value=268000000, rule="magnitude.stray_wan"), "26800万人次 in a zone"),
    # (e) parts exceeding a stated total
    Fault("e_active_total", "e", "enhe", replace_once("主动公开政府信息数491条", "主动公开政府信息数291条"),
          Expect(value=291, rule="parts.exceed_total"), "parts 5+117+19+201 = 342 > 291"),
    Fault("e_new_breakdown", "e", "enhe",
          insert_after("开展培训2次。", "全年共发放政策宣传资料300份，其中惠农政策200份，疫情防控150份。"),
          Expect(value=300, rule="parts.exceed_total"), "200+150 > 300"),
    Fault("e_pt21_active", "e", "pingtan2021",
          replace_once("政府信息2645条，", "政府信息2645条，其中政府网站1800条，政务新媒体900条，"),
          Expect(value=2645, rule="parts.exceed_total"), "1800+900 = 2700 > 2645"),
    # (f) catch-all breakdown not adding up
    Fault("f_catch_all", "f", "enhe",
          insert_after("开展培训2次。", "全年共受理群众来电咨询120次，其中政策咨询45次，办事指南30次，其他25次。"),
          Expect(value=120, rule="parts.catch_all_sum"), "45+30+25 = 100 ≠ 120"),
    Fault("f_pt21_catch_all", "f", "pingtan2021",
          replace_once("政府信息2645条，", "政府信息2645条，其中政府网站1500条，政务新媒体600条，其他信息300条，"),
          Expect(value=2645, rule="parts.catch_all_sum"), "1500+600+300 = 2400 ≠ 2645"),
    # (g) percentages above 100
    Fault("g_satisfaction", "g", "enhe", insert_after("取得了较好效果", "，群众满意率达105%"),
          Expect(value=105, rule="ratio.percent_over_100"), "满意率105%"),
    Fault("g_pt21_reply_rate", "g", "pingtan2021", insert_after("1件结转下年度继续办理。", "按时答复率达120%。"),
          Expect(value=120, rule="ratio.percent_over_100"), "答复率120%"),
    # (h) subsidy per 亩 absurd
    Fault("h_subsidy_x1000", "h", "enhe", replace_once("补助金额3185037.64元", "补助金额3185037640元"),
          Expect(value=3185037640, rule="ratio.subsidy_per_mu"), "76 000 元/亩"),
    Fault("h_subsidy_tiny", "h", "enhe", replace_once("补助金额823147.4元", "补助金额823.1474元"),
          Expect(value=823.1474, rule="ratio.subsidy_per_mu"), "0.02 元/亩"),
    # (i) a 元 fee typed into the 万元 column
    Fault("i_fee_yuan", "i", "enhe", set_cell("行政事业性收费", 1, "4500000"),
          Expect(("t2_active.fees.amount_10k_yuan",), 450, "cell.fee_unit"), "4500000万元 for a township"),
    # (j) dates
    Fault("j_period_last_year", "j", "enhe",
          replace_once("统计数据从2022年1月1日至2022年12月31日", "统计数据从2021年1月1日至2021年12月31日"),
          Expect(value=2021, rule="dates.statistical_period"), "2022 report, 2021 period"),
    Fault("j_period_end", "j", "enhe",
          replace_once("统计数据从2022年1月1日至2022年12月31日", "统计数据从2022年1月1日至2023年12月31日"),
          Expect(value=2023, rule="dates.statistical_period"), "period ends in 2023"),
    Fault("j_pt19_period", "j", "pingtan2019", replace_once("统计期限自2019年1月1日起至2019年12月31日止",
                                                            "统计期限自2018年1月1日起至2018年12月31日止"),
          Expect(value=2018, rule="dates.statistical_period"), "2019 report, 2018 period"),
    Fault("j_title_seed", "j", "enhe",
          replace_once("中宁县恩和镇人民政府 2022年政府信息公开工作年度报告", "中宁县恩和镇人民政府 2021年政府信息公开工作年度报告"),
          Expect(value=2021, rule="dates.title_year / statistical_period"), "title 2021, period and text 2022"),
    Fault("j_pt21_title", "j", "pingtan2021",
          replace_once("标题: 平潭综合实验区2021年度", "标题: 平潭综合实验区2020年度"),
          Expect(value=2020, rule="dates.title_year / statistical_period"), "title 2020, period 2021"),
    # harder variants: the way an editor would really change a sentence or a cell
    Fault("a_t3_mid_row", "a", "enhe", set_cell("\t\t4.保护第三方合法权益", 6, "2"),
          Expect((f"{T3}.denied_third_party.public_interest", f"{T3}.denied_third_party.total",
                  f"{T3}.handled_total.public_interest"), rule="identity.t3_row_total / t3_handled_total"),
          "不予公开·保护第三方 社会公益组织 0→2"),
    Fault("a_t3_carried_over", "a", "enhe", chain(set_cell("二、上年结转", 2, "1"), set_cell("二、上年结转", 8, "1")),
          Expect((f"{T3}.carried_over.natural_person", f"{T3}.carried_over.total", f"{T3}.handled_total.total",
                  f"{T3}.handled_total.natural_person"), rule="identity.t3_balance"),
          "上年结转 1 (row consistent) but nothing handled or carried forward"),
    Fault("c_none_received_edit", "c", "enhe",
          replace_once("2022 年度未收到公民、法人或其他组织提出的政府信息公开申请",
                       "2022 年度共收到公民、法人或其他组织提出的政府信息公开申请3件"),
          Expect((f"{T3}.new_received.total",), 3, "narrative.table_mismatch"), "the seed's own sentence, 未→共…3件"),
    Fault("c_concluded", "c", "enhe", insert_after("（二）依申请公开情况。", "全年办结政府信息公开申请4件。"),
          Expect((f"{T3}.handled_total.total",), 4, "narrative.table_mismatch"), "办结 4 vs 总计 0"),
    Fault("c_litigation", "c", "enhe",
          replace_once("不存在因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
                       "因政府信息公开工作被提起行政诉讼1件。"),
          Expect((f"{T4}.cases.suit_total", f"{T4}.cases.post_review_suit_total"), 1, "narrative.table_mismatch"),
          "行政诉讼 1 vs 表四 0"),
    Fault("c_coercion", "c", "enhe", insert_after("进行行政处罚11件，", "实施行政强制3件，"),
          Expect(("t2_active.coercion.decisions",), 3, "narrative.table_mismatch"), "行政强制 3 vs 0"),
    Fault("d_disabled_wan", "d", "enhe", replace_once("残疾人“生活补贴”537人", "残疾人“生活补贴”5370万人"),
          Expect(value=53700000, rule="magnitude.stray_wan"), "5370万人 残疾人 in a township"),
    Fault("d_households2_wan", "d", "enhe", replace_once("一次性补贴补助共7594户", "一次性补贴补助共7594万户"),
          Expect(value=75940000, rule="magnitude.stray_wan"), "7594万户"),
    Fault("d_aid_person_times_wan", "d", "enhe", replace_once("资助13人次", "资助1300万人次"),
          Expect(value=13000000, rule="magnitude.stray_wan / level_bound"), "雨露计划 1300万人次"),
    Fault("e_bills_done", "e", "enhe", replace_once("目前已办结3条", "目前已办结5条"),
          Expect(value=4, rule="parts.exceed_total"), "人大建议共4条: 办结5 + 跨年1 > 4 (no 其中)"),
    Fault("g_coverage", "g", "enhe", insert_after("广泛宣传新冠肺炎疫情防控知识，", "宣传覆盖率达到110%，"),
          Expect(value=110, rule="ratio.percent_over_100"), "覆盖率110%"),
    Fault("g_share", "g", "enhe", replace_once("微信公众号201条。", "微信公众号201条，占比达到140%。"),
          Expect(value=140, rule="ratio.percent_over_100"), "占比140%"),
    Fault("h_second_subsidy_x1000", "h", "enhe", replace_once("补助金额823147.4元", "补助金额823147400元"),
          Expect(value=823147400, rule="ratio.subsidy_per_mu"), "19 700 元/亩"),
    Fault("i_fee_township_big", "i", "enhe", set_cell("行政事业性收费", 1, "77302.8"),
          Expect(("t2_active.fees.amount_10k_yuan",), 7.73028, "cell.fee_unit"), "77302.8万元 (7.7亿) township fee"),
    # more edits an auditor would make: table 2 / table 4 counts in the narrative, negative cells, periods
    Fault("c_rules", "c", "enhe", insert_after("认真梳理《中宁县恩和镇政务公开基本目录》，", "制定规章2件，"),
          Expect(("t2_active.rules.issued",), 2, "narrative.table_mismatch"), "table 2 规章 0"),
    Fault("c_pt21_rules", "c", "pingtan2021", insert_after("1件结转下年度继续办理。", "全年制定规章2件。"),
          Expect(("t2_active.rules.issued",), 2, "narrative.table_mismatch"), "table 2 规章 0"),
    Fault("c_pt21_review", "c", "pingtan2021",
          insert_after("1件结转下年度继续办理。", "全年因政府信息公开被申请行政复议5件。"),
          Expect((f"{T4}.cases.review_total",), 5, "narrative.table_mismatch"), "表四 复议 总计 3"),
    Fault("c_pt21_forward", "c", "pingtan2021", replace_once("1件结转下年度继续办理", "3件结转下年度继续办理"),
          Expect((f"{T3}.carried_forward.total",), 3, "narrative.table_mismatch"), "table 3 结转下年度 1"),
    Fault("c_table_received_changed", "c", "enhe",
          chain(replace_once("2022 年度未收到公民、法人或其他组织提出的政府信息公开申请",
                             "2022 年度共收到公民、法人或其他组织提出的政府信息公开申请3件"),
                set_cell(T3_NEW, 2, "4"), set_cell(T3_NEW, 8, "4"), set_cell(T3_GRANTED, 2, "3"),
                set_cell(T3_GRANTED, 8, "3"), set_cell(T3_HANDLED, 2, "3"), set_cell(T3_HANDLED, 8, "3")),
          Expect((f"{T3}.new_received.total", f"{T3}.new_received.natural_person"), 4,
                 "narrative.table_mismatch / identity.t3_balance"), "table 新收 3→4 (row consistent), narrative 3"),
    Fault("k_negative_cell", "k", "enhe", set_cell("行政强制", 1, "-3"),
          Expect(("t2_active.coercion.decisions",), -3, "cell.negative"), "行政强制 −3"),
    Fault("j_pt21_period", "j", "pingtan2021", replace_once("统计期限自2021年1月1日起至2021年12月31日止",
                                                            "统计期限自2020年1月1日起至2020年12月31日止"),
          Expect(value=2020, rule="dates.statistical_period"), "2021 report, 2020 period"),
    Fault("j_pt19_title", "j", "pingtan2019",
          replace_once("标题: 平潭综合实验区2019年度", "标题: 平潭综合实验区2020年度"),
          Expect(value=2020, rule="dates.statistical_period"), "title 2020, period 2019"),
    Fault("e_bills_pending", "e", "enhe", replace_once("需创造条件跨年办理1条", "需创造条件跨年办理3条"),
          Expect(value=4, rule="parts.outcomes_exceed_total"), "人大建议共4条: 办结3 + 跨年3 > 4"),
    Fault("c_pt21_review_outcome", "c", "pingtan2021",
          insert_after("1件结转下年度继续办理。", "全年因政府信息公开被申请行政复议3件，其中结果维持2件，其他结果1件。"),
          Expect((f"{T4}.cases.review_upheld", f"{T4}.cases.review_other"), 2, "narrative.table_mismatch"),
          "表四 复议 维持1 其他2, narrative 维持2 其他1"),
    # (l) legal competence: a township cannot make 规章 (立法法 art. 93 / 82)
    Fault("l_rules_in_force", "l", "enhe", set_cell("规章", 3, "3"),
          Expect(("t2_active.rules.in_force",), rule="competence.rules_not_made_at_level"), "township 规章 现行有效 3"),
    Fault("l_rules_made", "l", "enhe", set_cell("规章", 1, "2"),
          Expect(("t2_active.rules.issued",), rule="competence.rules_not_made_at_level"), "township 规章 本年制发 2"),
    # (m) a total left blank or dashed beside non-zero parts
    Fault("m_t4_total_dash", "m", "enhe", t4_cells({0: "1", 4: "—"}),
          Expect((f"{T4}.cases.review_total",), rule="identity.t4_review_total"), "复议 维持 1, 总计 —"),
    Fault("m_t4_suit_total_blank", "m", "enhe", t4_cells({6: "2", 9: "/"}),
          Expect((f"{T4}.cases.suit_total",), rule="identity.t4_suit_total"), "直接起诉 纠正 2, 总计 /"),
    # (d) more count categories: messages, items, cases, times, area
    Fault("d_messages_half_billion", "d", "enhe", replace_once("短信50188条", "短信5亿条"),
          Expect(value=500000000, rule="magnitude.level_bound"), "a township sending half a billion texts"),
    Fault("d_messages_wan", "d", "enhe", replace_once("短信50188条", "短信50188万条"),
          Expect(value=501880000, rule="magnitude.stray_wan"), "50188万条 短信 in a township"),
    Fault("d_items_wan", "d", "enhe", replace_once("原创信息39条", "原创信息3900万条"),
          Expect(value=39000000, rule="magnitude.stray_wan"), "3900万条 原创信息"),
    Fault("d_cases_wan", "d", "enhe", replace_once("下达整改通知书28份", "下达整改通知书2800万份"),
          Expect(value=28000000, rule="magnitude.stray_wan"), "2800万份 整改通知书"),
    Fault("d_times_wan", "d", "enhe", replace_once("安全生产检查220余次", "安全生产检查2200万次"),
          Expect(value=22000000, rule="magnitude.stray_wan"), "2200万次 安全生产检查"),
    Fault("d_area_wan", "d", "enhe", replace_once("面积41908.39亩", "面积41908.39万亩"),
          Expect(value=419083900, rule="magnitude.stray_wan"), "41908.39万亩 in a township"),
    # (c) the narrative subject model: a compound subject stated wrong
    Fault("c_compound_granted", "c", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，予以公开及部分公开4件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 2, T3_PARTIAL: 1, T3_HANDLED: 3})),
          Expect((f"{T3}.granted.total", f"{T3}.partially_granted.total"), 4, "narrative.table_mismatch"),
          "予以公开及部分公开4件 vs 2 + 1"),
    # negative controls: no new warning/error allowed
    Fault("n_reword", "control", "enhe",
          replace_once("进一步建立健全了网站管理机制", "进一步健全完善了网站管理机制")),
    Fault("n_unrelated_figures", "control", "enhe",
          chain(replace_once("开展培训2次", "开展培训3次"), replace_once("原创信息39条", "原创信息45条"),
                replace_once("政务公开专区10个", "政务公开专区12个"))),
    Fault("n_consistent_breakdown", "control", "enhe",
          insert_after("开展培训2次。", "全年共受理群众来电咨询120次，其中政策咨询45次，办事指南30次，其他45次。")),
    Fault("n_partial_breakdown", "control", "enhe",
          insert_after("开展培训2次。", "全年共发放政策宣传资料500份，其中惠农政策200份。")),
    Fault("n_narrow_scope", "control", "enhe",
          insert_after("（二）依申请公开情况。", "镇党政办代表镇政府受理申请3件，均已转县政府办理。")),
    Fault("n_pt21_narrow_scope", "control", "pingtan2021",
          insert_after("1件结转下年度继续办理。", "区政府办代表区政府受理申请3件。")),
    Fault("n_percent_ok", "control", "enhe", insert_after("取得了较好效果", "，群众满意率达98%")),
    Fault("n_growth_percent", "control", "enhe", insert_after("取得了较好效果", "，参与人数同比增长120%")),
    Fault("n_other_year", "control", "enhe",
          insert_after("（二）依申请公开情况。", "2021年共收到政府信息公开申请2件。")),
    Fault("n_subsidy_edit", "control", "enhe", replace_once("补助金额3185037.64元", "补助金额3285037.64元")),
    Fault("n_period_wording", "control", "enhe",
          replace_once("本报告统计数据从2022年1月1日至2022年12月31日",
                       "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止")),
    Fault("n_t4_consistent", "control", "enhe", t4_cells({0: "1", 4: "1"})),
    Fault("n_consistent_penalty", "control", "enhe", insert_after("下达整改通知书28份，", "作出行政处罚决定6件，")),
    Fault("n_change_statement", "control", "enhe",
          insert_after("（二）依申请公开情况。", "政府信息公开申请数量同比减少2件。")),
    Fault("n_proposals", "control", "enhe", replace_once("办理人大代表意见建议3件", "办理人大代表意见建议和政协提案12件")),
    Fault("n_completion_rate", "control", "enhe", insert_after("取得了较好效果", "，任务完成率达110%")),
    Fault("n_plan_next_year", "control", "enhe",
          insert_after("做到深入、持续、高效地开展政府信息公开工作。", "2023年，我镇将力争公开政府信息600条以上。")),
    Fault("n_small_wan", "control", "enhe", insert_after("开展培训2次。", "全年接待群众咨询1.2万人次。")),
    Fault("n_pt21_consistent_parts", "control", "pingtan2021",
          replace_once("政府信息2645条，", "政府信息2645条，其中政府网站1645条，政务新媒体1000条，")),
    Fault("n_pt21_reword", "control", "pingtan2021",
          replace_once("先后关停未进行规范管理的政务新媒体2个", "先后关停未规范管理的政务新媒体3个")),
    Fault("n_pt19_figure", "control", "pingtan2019", replace_once("受理各类群众诉求259起", "受理各类群众诉求263起")),
    Fault("n_enumeration_zero", "control", "enhe",
          replace_once("2022 年度未收到公民、法人或其他组织提出的政府信息公开申请",
                       "2022 年度共收到公民、法人或其他组织提出的政府信息公开申请0件")),
    Fault("n_requests_consistent", "control", "enhe",
          chain(replace_once("2022 年度未收到公民、法人或其他组织提出的政府信息公开申请",
                             "2022 年度共收到公民、法人或其他组织提出的政府信息公开申请3件，均已办结"),
                set_cell(T3_NEW, 2, "3"), set_cell(T3_NEW, 8, "3"), set_cell(T3_GRANTED, 2, "3"),
                set_cell(T3_GRANTED, 8, "3"), set_cell(T3_HANDLED, 2, "3"), set_cell(T3_HANDLED, 8, "3"))),
    Fault("n_rules_enumeration", "control", "enhe",
          insert_after("认真梳理《中宁县恩和镇政务公开基本目录》，", "制发规章0件、行政规范性文件0件，现行有效规章3件，")),
    Fault("n_pt21_review_consistent", "control", "pingtan2021",
          insert_after("1件结转下年度继续办理。", "全年因政府信息公开被申请行政复议3件、被提起行政诉讼12件。")),
    Fault("n_pt21_review_outcome", "control", "pingtan2021",
          insert_after("1件结转下年度继续办理。", "全年因政府信息公开被申请行政复议3件，其中结果维持1件，其他结果2件。")),
    Fault("n_mail_outcomes", "control", "enhe",
          insert_after("开展培训2次。", "全年共受理群众来信4件，已办结5件（含上年结转1件）。")),
    Fault("n_bills_consistent", "control", "enhe",
          replace_once("人大建议共4条，目前已办结3条", "人大建议共5条，目前已办结4条")),
    Fault("n_pt21_web_visits", "control", "pingtan2021",
          insert_after("第一时间回复申请的“三个一”工作机制，", "门户网站全年访问量达2300万人次，")),
    Fault("n_pt21_testing", "control", "pingtan2021",
          insert_after("第一时间回复申请的“三个一”工作机制，", "全年完成全员核酸检测1260万人次，")),
    Fault("n_township_web_visits", "control", "enhe", insert_after("开展培训2次。", "政府网站全年浏览量1200万人次。")),
    Fault("n_messages_more", "control", "enhe", replace_once("短信50188条", "短信150188条")),
    Fault("n_township_web_times", "control", "enhe", insert_after("开展培训2次。", "门户网站全年访问量达1200万次。")),
    Fault("n_area_edit", "control", "enhe", replace_once("面积41908.39亩", "面积42908.39亩")),
    Fault("n_t4_zero_dash", "control", "enhe", t4_cells({4: "—", 9: "/"})),
    Fault("n_rule_system", "control", "enhe",
          insert_after("认真梳理《中宁县恩和镇政务公开基本目录》，", "修订完善内部规章制度12项，")),
    Fault("n_compound_granted", "control", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，予以公开及部分公开3件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 2, T3_PARTIAL: 1, T3_HANDLED: 3}))),
    Fault("n_received_incl_carried", "control", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，均已办结"),
                t3_rows(**{T3_NEW: 2, T3_CARRIED: 1, T3_GRANTED: 3, T3_HANDLED: 3}))),
    Fault("n_rules_reprinted", "control", "enhe",
          insert_after("认真梳理《中宁县恩和镇政务公开基本目录》，", "在镇政务公开专栏转载上级规章5件、集中发布行政规范性文件8件，")),
    Fault("n_open_list_penalty", "control", "enhe",
          insert_after("下达整改通知书28份，", "公示行政处罚、行政强制等执法决定20件，")),
    Fault("n_office_whole_area", "control", "pingtan2021",  # an office's report speaking of the whole zone
          chain(replace_once("标题: 平潭综合实验区2021年度", "标题: 平潭综合实验区管委会办公室2021年度"),
                replace_once("本年度全区共收到70件申请", "本年度全区共收到75件申请"))),
    # the subject lexicon (schemas/subjects.py): the same count said another way, or counting what the table
    # explains with a sum the template defines — none of them a warning
    Fault("n_received_said_shouli", "control", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共受理政府信息公开申请3件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 3, T3_HANDLED: 3}))),
    Fault("n_handled_said_banli", "control", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共办理政府信息公开申请3件"),
                t3_rows(**{T3_NEW: 2, T3_CARRIED: 1, T3_GRANTED: 3, T3_HANDLED: 3}))),
    Fault("n_replied_said_dafu", "control", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共答复政府信息公开申请3件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 3, T3_HANDLED: 3}))),
    Fault("n_received_incl_carried_shouli", "control", "enhe",  # 新收 2 + 上年结转 1, one carried forward
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度全镇全年共受理政府信息公开申请3件"),
                t3_rows(**{T3_NEW: 2, T3_CARRIED: 1, T3_GRANTED: 2, T3_HANDLED: 2, T3_FORWARD: 1}))),
    Fault("n_handled_incl_carried", "control", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共办理政府信息公开申请3件，办结2件，1件结转下年度继续办理"),
                t3_rows(**{T3_NEW: 2, T3_CARRIED: 1, T3_GRANTED: 2, T3_HANDLED: 2, T3_FORWARD: 1}))),
    Fault("n_received_new_only", "control", "enhe",  # the same count without the carried-over request
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请2件"),
                t3_rows(**{T3_NEW: 2, T3_CARRIED: 1, T3_GRANTED: 3, T3_HANDLED: 3}))),
    Fault("n_granted_said_tongyi", "control", "enhe",  # 同意公开 is 予以公开, not the handled total
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，申请中同意公开答复2件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 2, T3_PARTIAL: 1, T3_HANDLED: 3}))),
    Fault("n_granted_incl_partial", "control", "enhe",  # 同意公开 counting the partial grants too
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，同意公开3件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 2, T3_PARTIAL: 1, T3_HANDLED: 3}))),
    Fault("n_data_records_wan", "control", "enhe",  # data records pooled from business systems, not items
          insert_after("开展培训2次。", "依托政务数据平台汇聚数据8232万条，接入25个业务系统。")),
    Fault("n_structural_parts", "control", "enhe", insert_after("开展培训2次。", "本报告共分6个部分。")),
    # the subject lexicon: a count no candidate explains is still caught
    Fault("c_granted_said_tongyi", "c", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，申请中同意公开答复4件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 2, T3_PARTIAL: 1, T3_HANDLED: 3})),
          Expect((f"{T3}.granted.total",), 4, "narrative.table_mismatch"), "同意公开答复4件 vs 予以公开 2 (+部分公开 3)"),
    Fault("c_received_neither", "c", "enhe",  # neither 新收 3 nor 新收 + 上年结转 4
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共受理政府信息公开申请5件"),
                t3_rows(**{T3_NEW: 3, T3_CARRIED: 1, T3_GRANTED: 4, T3_HANDLED: 4})),
          Expect((f"{T3}.new_received.total",), 5, "narrative.table_mismatch"), "受理5件 vs 新收 3, 新收 + 结转 4"),
    Fault("c_denied_reasons", "c", "enhe",
          chain(replace_once(SEED_NONE_RECEIVED, "2022 年度共收到政府信息公开申请3件，不予公开2件"),
                t3_rows(**{T3_NEW: 3, T3_GRANTED: 3, T3_HANDLED: 3})),
          Expect((f"{T3}.denied_state_secret.total",), 2, "narrative.table_mismatch"), "不予公开2件 vs the reasons' 0"),
    Fault("e_last_part_before_next_list", "e", "enhe",
          insert_after("开展培训2次。", "网站全年累计发布信息2139条，其中工作动态1744条，通知公告393条，人事信息21条，"
                                    "政策解读2条，其中图文解读1条。"),
          Expect(value=2160, rule="parts.exceed_total"), "1744+393+21+2 = 2160 > 2139 (the 2 heads a list too)"),
    Fault("e_parallel_next_sentence", "e", "enhe",
          insert_after("开展培训2次。", "全年主动公开政府信息1913条。其中，镇直各单位主动公开政府信息1397条，占73%。"
                                    "各村主动公开政府信息534条，占27%。"),
          Expect(value=1931, rule="parts.exceed_total"), "1397 + 534 (next sentence) = 1931 > 1913"),
    Fault("n_half_year_period", "control", "enhe",
          replace_once("统计数据从2022年1月1日至2022年12月31日", "统计数据从2022年1月1日至2022年6月30日")),
]


# ---------------------------------------------------------------- running and judging


def _number(value: object) -> float | None:
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None


def flag_matches(want: Expect, flag: FlagRecord, figure_values: dict[str, float]) -> bool:
    """True when a warning/error flag matches the expectation by a ref or a value (as nianbao_eval scores)."""
    if flag.severity not in SERIOUS:
        return False
    refs = set(flag.refs.split())
    if refs & set(want.refs):
        return True
    if want.value is None:
        return False
    values = [_number(flag.expected), _number(flag.found)]
    values += [figure_values.get(r.split(":", 1)[1]) for r in refs if r.startswith("figure:")]
    return any(v is not None and math.isclose(v, want.value, rel_tol=1e-9, abs_tol=1e-6) for v in values)


@dataclass
class Verdict:
    """What the pipeline did with one injected document."""

    caught: bool | None  # None for a negative control
    false_flags: list[FlagRecord]
    known_lost: list[Expect]
    flags: list[FlagRecord]


def judge(fault: Fault, flags: list[FlagRecord], figure_values: dict[str, float]) -> Verdict:
    """Compare a document's flags with the base's known flags and the injected one."""
    known = BASES[fault.base].known
    wanted = known + ((fault.expect,) if fault.expect else ())
    serious = [f for f in flags if f.severity in SERIOUS]
    false = [f for f in serious if not any(flag_matches(w, f, figure_values) for w in wanted)]
    lost = [k for k in known if not any(flag_matches(k, f, figure_values) for f in serious)]
    caught = None if fault.expect is None else any(flag_matches(fault.expect, f, figure_values) for f in serious)
    return Verdict(caught, false, lost, flags)


def docx_bytes(text: str) -> bytes:
    """The text rendered as DOCX by corpus/build_corpus.py (merged template tables)."""
    spec = importlib.util.spec_from_file_location("build_corpus", ROOT / "corpus" / "build_corpus.py")
    if spec is None or spec.loader is None:
        raise ImportError("corpus/build_corpus.py")
    module = sys.modules.get("build_corpus") or importlib.util.module_from_spec(spec)
    if "build_corpus" not in sys.modules:
        sys.modules["build_corpus"] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        return module.build_docx(module.read_seed(path))


def run_fault(fault: Fault, fmt: str) -> Verdict:
    """Inject the fault, process the document in format `fmt` (txt or docx) and judge the flags."""
    from pipeline.process import process_bytes

    text = fault.edit(BASES[fault.base].path.read_text(encoding="utf-8"))
    data = text.encode("utf-8") if fmt == "txt" else docx_bytes(text)
    result = process_bytes(data, f"{fault.base}-{fault.name}.{fmt}")
    figure_values = {f.figure_id: float(f.value) for f in result.figures}
    return judge(fault, result.flags, figure_values)


def describe(flags: list[FlagRecord]) -> str:
    """One line per flag, for assertion messages and the report."""
    return "; ".join(f"{f.rule} {f.severity} refs={f.refs} exp={f.expected} found={f.found}" for f in flags)


def cases() -> list[tuple[Fault, str]]:
    """Every (fault, format) pair: text for all bases, DOCX too where the base has tab-separated tables."""
    return [(f, fmt) for f in FAULTS for fmt in (("txt", "docx") if BASES[f.base].tab_tables else ("txt",))]
