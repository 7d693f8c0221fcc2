"""The pre-2019 statistics table (政府信息公开情况统计表) as data: table `t_legacy`, its two value
columns, its row keys with the printed labels seen (shared spec/template-legacy.md), the printed
units, the row families, and the identities that hold between rows.

Up to the 2018 report every annual report ended with this table; no national template governed its
rows before 2014, so the label list is the union of the forms seen (Fujian county, bureau and zone
tables 2009–2018, the Shanghai coded form, the national table of 国办发〔2014〕32号). A printed row
matching none of them is kept by the reader under `other_<n>` with its label: nothing printed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemas.template import (
    COUNT,
    DECIMAL,
    TABLE_KEYS,
    Alias,
    Identity,
    KeySpec,
    Relation,
    TableSpec,
    col_kinds,
)

LEGACY = "t_legacy"
ALL_TABLE_KEYS = (*TABLE_KEYS, LEGACY)  # every table a report's cells can belong to, national forms first
OTHER_ROW_PREFIX = "other_"  # other_<n>: a printed row that matches no key, n its position in the table

YEAR, CUMULATIVE = "year", "cumulative"


class Provenance(StrEnum):
    """Where a row's label comes from (the spec's status column)."""

    SEEN = "seen"  # printed in at least one real filled table
    NATIONAL = "national"  # recalled from the national 2014 table, not yet seen filled
    SHANGHAI = "SH"  # printed in the Shanghai-family coded form


class Section(StrEnum):
    """The blocks of the table, in printed order."""

    PROACTIVE = "proactive"
    REQUESTS = "requests"
    REPLIES = "replies"
    REVIEW_LITIGATION = "review_litigation"
    FEES = "fees"
    CAPACITY = "capacity"
    MEETINGS_TRAINING = "meetings_training"


@dataclass(frozen=True)
class LegacyRow(KeySpec):
    """A row of the old table: its key and labels (KeySpec), the unit it is printed in, its block, and
    the total it is an "of which" part of (`parent`, for rows two labels share: 被依法纠错数)."""

    unit: str = "条"
    section: Section = Section.PROACTIVE
    provenance: tuple[Provenance, ...] = (Provenance.SEEN,)
    parent: str = ""


_N, _SH = Provenance.NATIONAL, Provenance.SHANGHAI
_P, _RQ, _RP, _RL = Section.PROACTIVE, Section.REQUESTS, Section.REPLIES, Section.REVIEW_LITIGATION
_FEES, _CAP, _MT = Section.FEES, Section.CAPACITY, Section.MEETINGS_TRAINING


def _a(*texts: str, seen: str = "") -> tuple[str, ...]:
    return tuple(Alias(t, seen) for t in texts)


LEGACY_ROWS: tuple[LegacyRow, ...] = (
    # ---- 主动公开
    LegacyRow("proactive_total", "主动公开信息数",
              _a("主动公开文件数", "主动公开政府信息数", seen="Pingtan zone 2014–2018")
              + _a("主动信息公开", seen="SH form"), section=_P),
    LegacyRow("proactive_website", "网站公开",
              _a("政府网站公开数", "政府网站公开政府信息数", "网站公开数", seen="FJ-3, zone 2014–2018"),
              section=_P, parent="proactive_total"),
    LegacyRow("proactive_gazette", "政府公报公开",
              _a("政府公报公开数", "政府公报公开政府信息数", seen="FJ-3, zone 2014–2018"),
              section=_P, parent="proactive_total"),
    LegacyRow("proactive_full_text_electronic", "全文电子化的主动公开信息数", section=_P,
              provenance=(_N, _SH), parent="proactive_total"),
    LegacyRow("proactive_new_normative_docs", "新增的行政规范性文件数",
              _a("新增规范性文件数", seen="SH form"), section=_P, provenance=(_N, _SH),
              parent="proactive_total"),
    # ---- 依申请: applications by channel
    LegacyRow("requests_total", "受理依申请公开信息总数",
              _a("受理政府信息依申请公开总数", "受理政府信息公开申请总数", "受理政府信息依申请公开申请总数",
                 seen="FJ-3 zone and bureau tables")
              + _a("收到申请数", "申请总数", "申请总次数", seen="SH form"), section=_RQ),
    LegacyRow("requests_in_person", "当面申请数", section=_RQ, parent="requests_total"),
    LegacyRow("requests_fax", "传真申请数", section=_RQ, parent="requests_total"),
    LegacyRow("requests_email", "电子邮件申请数", section=_RQ, parent="requests_total"),
    LegacyRow("requests_online", "网上申请数", _a("网络申请数", seen="FJ-3 bureau tables"), section=_RQ,
              parent="requests_total"),
    LegacyRow("requests_letter", "信函申请数", section=_RQ, parent="requests_total"),
    LegacyRow("requests_letter_or_fax", "信函、传真申请数", section=_RQ, parent="requests_total"),
    LegacyRow("requests_other", "其他形式申请数", _a("其它形式申请数", seen="FJ-1 county tables"),
              section=_RQ, parent="requests_total"),
    # ---- 依申请: replies
    LegacyRow("replies_total", "对申请的答复总数",
              _a("对申请的答复数", seen="FJ-1 county 2012") + _a("申请答复数", seen="bureau tables"),
              section=_RP),
    LegacyRow("replies_already_public", "属于已主动公开范围数", section=_RP, provenance=(_N,),
              parent="replies_total"),
    LegacyRow("replies_granted", "同意公开答复数", section=_RP, parent="replies_total"),
    LegacyRow("replies_partially_granted", "同意部分公开答复数", section=_RP, parent="replies_total"),
    LegacyRow("replies_denied", "不予公开答复数",
              _a("否决公开答复数", "否决公开答复总数", seen="FJ-1, FJ-2 and SH")
              + _a("不同意公开答复数", seen="national form"), section=_RP, parent="replies_total"),
    LegacyRow("denied_state_secret", "涉及国家秘密", _a("“免予公开范围1”数", "免予公开范围1", seen="SH form"),
              section=_RP, provenance=(_N, _SH), parent="replies_denied"),
    LegacyRow("denied_commercial_secret", "涉及商业秘密", _a("“免予公开范围2”数", "免予公开范围2", seen="SH form"),
              section=_RP, provenance=(_N, _SH), parent="replies_denied"),
    LegacyRow("denied_privacy", "涉及个人隐私", _a("“免予公开范围3”数", "免予公开范围3", seen="SH form"),
              section=_RP, provenance=(_N, _SH), parent="replies_denied"),
    LegacyRow("denied_security_stability", "危及国家安全、公共安全、经济安全和社会稳定", section=_RP,
              provenance=(_N,), parent="replies_denied"),
    LegacyRow("denied_not_gov_info", "不是《条例》所指政府信息",
              _a("“非《规定》所指政府信息”数", "非《规定》所指政府信息", seen="SH form")
              + _a("非《条例》所指政府信息", seen="national form"),
              section=_RP, provenance=(_N, _SH), parent="replies_denied"),
    LegacyRow("denied_other_law", "法律法规规定的其他情形", section=_RP, provenance=(_N,),
              parent="replies_denied"),
    LegacyRow("denied_other_reason", "其它原因", _a("其他原因", seen="SH form"), section=_RP,
              provenance=(_SH,), parent="replies_denied"),
    LegacyRow("replies_not_held", "非本行政机关掌握数",
              _a("不属于本行政机关公开数", seen="national form")
              + _a("“非本部门掌握”数", "非本部门掌握", "非本机关职权范围数", seen="SH forms"),
              section=_RP, provenance=(_N, _SH), parent="replies_total"),
    LegacyRow("replies_not_exist", "信息不存在数",
              _a("申请信息不存在数", seen="national form") + _a("“信息不存在”数", seen="SH form"),
              section=_RP, provenance=(_N, _SH), parent="replies_total"),
    LegacyRow("replies_unclear", "申请信息不明确数",
              _a("“申请内容不明确”数", "申请内容不明确数", seen="SH form")
              + _a("告知作出更改补充数", seen="national form"),
              section=_RP, provenance=(_N, _SH), parent="replies_total"),
    LegacyRow("replies_redirected", "告知通过其他途径办理数", section=_RP, provenance=(_N,),
              parent="replies_total"),
    LegacyRow("replies_other", "其他类型答复数", _a("其它类型答复数", seen="FJ-3"), section=_RP,
              parent="replies_total"),
    # ---- 行政复议、行政诉讼、申诉
    LegacyRow("admin_review_total", "行政复议数", _a("行政复议数量", seen="bureau tables"), unit="件",
              section=_RL),
    LegacyRow("admin_review_upheld", "维持具体行政行为数", unit="件", section=_RL, provenance=(_N,),
              parent="admin_review_total"),
    LegacyRow("admin_review_corrected", "被依法纠错数", unit="件", section=_RL, provenance=(_N,),
              parent="admin_review_total"),
    LegacyRow("admin_review_other", "其他情形数", unit="件", section=_RL, provenance=(_N,),
              parent="admin_review_total"),
    LegacyRow("admin_suit_total", "行政诉讼数", _a("行政诉讼数量", seen="bureau tables"), unit="件",
              section=_RL),
    LegacyRow("admin_suit_upheld", "维持具体行政行为或者驳回原告诉讼请求数", unit="件", section=_RL,
              provenance=(_N,), parent="admin_suit_total"),
    LegacyRow("admin_suit_corrected", "被依法纠错数", unit="件", section=_RL, provenance=(_N,),
              parent="admin_suit_total"),
    LegacyRow("admin_suit_other", "其他情形数", unit="件", section=_RL, provenance=(_N,),
              parent="admin_suit_total"),
    LegacyRow("complaints_reports", "行政申诉数",
              _a("行政申诉、举报数", "接受行政申诉、举报数", seen="FJ-2, FJ-3")
              + _a("接受行政诉讼、举报数", seen="Pingtan zone 2017–2018 (sic: a row apart from 行政诉讼数)")
              + _a("举报投诉数量", seen="bureau tables"), unit="件", section=_RL),
    # ---- 费用
    LegacyRow("fees_charged", "依申请公开信息收取的费用", unit="万元", kind=DECIMAL, section=_FEES,
              provenance=(_N,)),
    LegacyRow("fees_waived", "政府信息公开收费减免金额", unit="元", kind=DECIMAL, section=_FEES),
    # ---- 机构建设和保障经费
    LegacyRow("dedicated_units", "政府信息公开工作专门机构数", unit="个", section=_CAP, provenance=(_N,)),
    LegacyRow("reading_points", "设置政府信息公开查阅点数", unit="个", section=_CAP, provenance=(_N,)),
    LegacyRow("staff_total", "从事政府信息公开工作人员数",
              _a("政府信息公开指定专职人员数", seen="SH form"), unit="人", section=_CAP,
              provenance=(_N, _SH)),
    LegacyRow("staff_full_time", "专职人员数", _a("全职人员", seen="SH form"), unit="人", section=_CAP,
              provenance=(_N, _SH), parent="staff_total"),
    LegacyRow("staff_part_time", "兼职人员数", _a("兼职人员", seen="SH form"), unit="人", section=_CAP,
              provenance=(_N, _SH), parent="staff_total"),
    LegacyRow("special_funds", "政府信息公开专项经费", _a("处理政府信息公开的专项经费", seen="SH form"),
              unit="万元", kind=DECIMAL, section=_CAP, provenance=(_N, _SH)),
    # ---- 会议和培训
    LegacyRow("meetings", "召开政府信息公开工作会议或专题会议数", unit="次", section=_MT, provenance=(_N,)),
    LegacyRow("training_sessions", "举办各类培训班数", unit="次", section=_MT, provenance=(_N,)),
    LegacyRow("trainees", "接受培训人员数", unit="人次", section=_MT, provenance=(_N,)),
)

LEGACY_COLS = (
    KeySpec(YEAR, "本年度",
            _a("年度", "年末统计", "统计数", "数量", "本期实际", seen="one-column and SH tables")),
    KeySpec(CUMULATIVE, "历年累计", _a("累计", seen="bureau tables")),
)
# a header printing a year (2013年度, 2013 年度, 2016年) names the `year` column
YEAR_HEADER_PATTERN = r"(?:19|20)\d\d\s*年\s*度?"

LEGACY_SPEC = TableSpec(
    key=LEGACY,
    label="政府信息公开情况统计表",
    rows=LEGACY_ROWS,
    cols=LEGACY_COLS,
    header_words=("指标名称", "计量单位"),
    markers=("统计表", "指标名称", "计量单位", "统计数据"),
)

# the SH form's code column (01–55), printed between 指标名称 and 计量单位: not part of a label
CODE_HEADER = "代码"
# the units the 计量单位 column prints (longest first: 人次 before 人, 万元 before 元)
LEGACY_UNITS = ("人次", "万元", "条", "件", "个", "人", "次", "元", "份", "项", "篇", "期", "场", "页")
# words that introduce the parts of a total on the row that names the first part (其中：1.网站公开)
PARTS_INTRO = ("其中",)

# the rows of each block whose parts are exhaustive (every application arrives by exactly one channel)
REQUEST_CHANNELS = tuple(r.key for r in LEGACY_ROWS if r.parent == "requests_total")
DENIED_REASONS = tuple(r.key for r in LEGACY_ROWS if r.parent == "replies_denied")
REPLY_TYPES = tuple(r.key for r in LEGACY_ROWS if r.parent == "replies_total")
# in the Shanghai family 信息不存在 / 非本部门掌握 / 申请内容不明确 are numbered under 否决公开答复总数
SH_UNDER_DENIED = ("replies_not_held", "replies_not_exist", "replies_unclear")
PROACTIVE_PARTS = tuple(r.key for r in LEGACY_ROWS if r.parent == "proactive_total")

LEGACY_IDENTITIES: tuple[Identity, ...] = (
    Identity("legacy_requests_channels", LEGACY, "requests_total", REQUEST_CHANNELS, "rows",
             "受理申请总数 = 各申请渠道之和", over_printed=True,
             when="the table prints the total and at least one channel: every application arrives by one channel"),
    Identity("legacy_replies_total", LEGACY, "replies_total", REPLY_TYPES, "rows",
             "对申请的答复总数 = 各类答复之和", over_printed=True,
             alternatives=(tuple(k for k in REPLY_TYPES if k not in SH_UNDER_DENIED),),
             when="the table prints the total and its reply types (信息不存在 etc. may sit under 否决: SH family)"),
    Identity("legacy_replies_denied", LEGACY, "replies_denied", DENIED_REASONS, "rows",
             "不予公开答复数 = 各不予公开理由之和", over_printed=True,
             alternatives=(DENIED_REASONS + SH_UNDER_DENIED,),
             when="the table prints refusal reasons under 不予（否决）公开"),
    Identity("legacy_admin_review", LEGACY, "admin_review_total",
             ("admin_review_upheld", "admin_review_corrected", "admin_review_other"), "rows",
             "行政复议数 = 维持 + 纠错 + 其他情形", needs=("admin_review_upheld", "admin_review_corrected",
                                                       "admin_review_other"),
             when="the table prints the three outcomes (national form)"),
    Identity("legacy_admin_suit", LEGACY, "admin_suit_total",
             ("admin_suit_upheld", "admin_suit_corrected", "admin_suit_other"), "rows",
             "行政诉讼数 = 维持 + 纠错 + 其他情形", needs=("admin_suit_upheld", "admin_suit_corrected",
                                                       "admin_suit_other"),
             when="the table prints the three outcomes (national form)"),
    Identity("legacy_staff", LEGACY, "staff_total", ("staff_full_time", "staff_part_time"), "rows",
             "工作人员数 = 专职 + 兼职", needs=("staff_full_time", "staff_part_time"),
             when="the table prints both"),
    *(
        Identity(f"legacy_{part}_of_total", LEGACY, "proactive_total", (part,), "rows",
                 f"主动公开信息数 ≥ 其中“{row.label}”", relation=Relation.LE, needs=(part,),
                 when="an 'of which' part: channels overlap, so ≤ and never =")
        for part in PROACTIVE_PARTS
        for row in LEGACY_ROWS if row.key == part
    ),
)
# within a row: the running total since the series began is at least the year's value
CUMULATIVE_AT_LEAST_YEAR = Identity("legacy_cumulative_ge_year", LEGACY, CUMULATIVE, (YEAR,), "cols",
                                    "历年累计 ≥ 本年度", relation=Relation.LE,
                                    when="the table prints both columns")


def legacy_row(key: str) -> LegacyRow | None:
    """The row spec of a key (None for other_<n> and unknown keys)."""
    return _BY_KEY.get(key)


_BY_KEY = {r.key: r for r in LEGACY_ROWS}
assert len(_BY_KEY) == len(LEGACY_ROWS), "a legacy row key is defined twice"
assert all(r.parent in _BY_KEY for r in LEGACY_ROWS if r.parent), "a legacy row names an unknown parent"
assert all(r.kind in (COUNT, DECIMAL) for r in LEGACY_ROWS)


def cell_kind(table: str, row_key: str, col_key: str) -> str:
    """COUNT, DECIMAL or SIGNED: what a cell may hold, for any form. The national forms set it by column;
    the old table by row (an amount in 元 or 万元); a printed row no key names (other_<n>) may be either."""
    if table == LEGACY:
        row = legacy_row(row_key)
        return row.kind if row is not None else DECIMAL
    return _NATIONAL_KINDS.get((table, col_key), COUNT)


_NATIONAL_KINDS = col_kinds()
# the prose of old reports (which words state which row) is part of the subject lexicon: schemas/subjects.py
