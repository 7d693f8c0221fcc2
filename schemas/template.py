"""The national report template as data: tables, row and column keys with their Chinese labels,
and the identities the template guarantees. This is the one place that defines each key
(see shared spec/template.md); extractors match printed labels to these keys, checks read the
identities from here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

# column kinds: what a cell of the column may hold
COUNT = "count"  # a non-negative integer
DECIMAL = "decimal"  # an amount, decimals allowed (万元, 元)
SIGNED = "signed"  # an integer that may be negative (2019 form 本年增/减)
KINDS = (COUNT, DECIMAL, SIGNED)


class Alias(str):
    """A printed form of a label other than the template's own, with a note of where it was seen."""

    seen: str

    def __new__(cls, text: str, seen: str = "") -> Alias:
        obj = super().__new__(cls, text)
        obj.seen = seen
        return obj


@dataclass(frozen=True)
class KeySpec:
    """A canonical row or column: its key, the label the template prints, and other printed forms."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()  # Alias values: each says where it was seen
    group: str = ""  # e.g. the 三、（三）不予公开 block a denied_* row sits in
    kind: str = COUNT  # for a column: COUNT, DECIMAL or SIGNED


@dataclass(frozen=True)
class TableSpec:
    key: str
    label: str
    rows: tuple[KeySpec, ...]
    cols: tuple[KeySpec, ...]
    # which columns each row has, where not every row has every column (table 2)
    row_cols: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # words only this table's header rows print: a row holding one is a header row of this table
    header_words: tuple[str, ...] = ()
    # column group headings that stand over columns and name none themselves (法人或其他组织)
    col_groups: tuple[str, ...] = ()
    # words that reveal the table where it was flattened into text (portal pages, prose)
    markers: tuple[str, ...] = ()

    def row(self, key: str) -> KeySpec:
        return next(r for r in self.rows if r.key == key)

    def col(self, key: str) -> KeySpec:
        return next(c for c in self.cols if c.key == key)

    def cols_of(self, row_key: str) -> tuple[str, ...]:
        return self.row_cols.get(row_key, tuple(c.key for c in self.cols))

    def kind(self, col_key: str) -> str:
        """COUNT, DECIMAL or SIGNED: what a cell of the column may hold."""
        return self.col(col_key).kind


class Relation(StrEnum):
    """How an identity's total stands to its parts."""

    EQ = "="  # total = sum(parts): the parts are exhaustive
    LE = "≤"  # sum(parts) ≤ total: "of which" parts that may overlap or leave some out


@dataclass(frozen=True)
class Identity:
    """total = sum(parts) within one table, along rows (per column) or columns (per row)."""

    id: str
    table: str
    total: str
    parts: tuple[str, ...]
    axis: str  # "rows": keys are row keys, checked in every column; "cols": col keys, in every row
    label: str = ""
    # for a two-sided identity (a + b = c + d) `total` is unused and `left`/`right` are set
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    # when it applies: the keys (rows for axis "rows", columns for "cols") the table must print; the
    # identity is not tested on a layout that does not print them (e.g. the 小计 column)
    needs: tuple[str, ...] = ()
    when: str = "always"  # the same, said for a person
    relation: Relation = Relation.EQ
    # the parts are those of `parts` the table prints (a family of old tables prints a subset of the
    # channels); the identity applies when the total and at least one part are printed
    over_printed: bool = False
    # other part lists under which the identity also holds: the same total read with another hierarchy
    # of the printed rows (old Shanghai-family tables number 信息不存在 under 否决)
    alternatives: tuple[tuple[str, ...], ...] = ()

    def keys(self) -> tuple[str, ...]:
        """Every key the identity names (its total, parts, alternatives and both sides)."""
        alts = tuple(k for alt in self.alternatives for k in alt)
        return tuple(dict.fromkeys(((self.total,) if self.total else ()) + self.parts + alts
                                   + self.left + self.right))

    def evaluate(self, values: Mapping[str, float | int | None]) -> Evaluation | None:
        """Test the identity along one line: `values` maps each key the table prints on that line to its
        number (None: printed but blank or unread). None when the identity does not apply there — a key
        it needs is not printed, or a value it sums is unknown."""
        if any(k not in values for k in self.needs):
            return None
        if self.left:
            return self._two_sided(values)
        total = values.get(self.total) if self.total in values else None
        if total is None:
            return None
        first: Evaluation | None = None
        printed_parts = {k for k in self.parts if k in values}
        for parts in (self.parts, *self.alternatives):
            if parts is not self.parts and not printed_parts & set(parts):
                continue  # another hierarchy applies only to a table printing some of the usual parts
            keys = tuple(k for k in parts if k in values) if self.over_printed else parts
            if not keys or any(values.get(k) is None for k in keys):
                continue
            parts_sum = sum(float(values[k] or 0) for k in keys)
            holds = (abs(parts_sum - float(total)) <= TOLERANCE if self.relation == Relation.EQ
                     else parts_sum <= float(total) + TOLERANCE)
            result = Evaluation(self, float(total), keys, parts_sum, holds)
            if holds:
                return result
            first = first or result
        return first

    def _two_sided(self, values: Mapping[str, float | int | None]) -> Evaluation | None:
        if any(values.get(k) is None for k in self.left + self.right):
            return None
        lsum = sum(float(values[k] or 0) for k in self.left)
        rsum = sum(float(values[k] or 0) for k in self.right)
        return Evaluation(self, lsum, self.right, rsum, abs(lsum - rsum) <= TOLERANCE)


TOLERANCE = 1e-6  # two sums of decimals (万元) are equal within this


@dataclass(frozen=True)
class Evaluation:
    """An identity tested on one line: the total (left side), the parts summed (right side), and whether
    it holds."""

    identity: Identity
    total: float
    parts: tuple[str, ...]
    parts_sum: float
    holds: bool


# ---------------------------------------------------------------- table 2, 2021 template (30号)

T2 = "t2_active"
_T2_COUNT_COLS = ("issued", "repealed", "in_force")

T2_2021 = TableSpec(
    key=T2,
    label="主动公开政府信息情况",
    rows=(
        KeySpec("rules", "规章", group="第二十条第（一）项"),
        KeySpec("normative_docs", "行政规范性文件", (Alias("规范性文件", "the 2019/2020 form's label"),),
                group="第二十条第（一）项"),
        KeySpec("licensing", "行政许可", group="第二十条第（五）项"),
        KeySpec("penalty", "行政处罚", group="第二十条第（六）项"),
        KeySpec("coercion", "行政强制", group="第二十条第（六）项"),
        KeySpec("fees", "行政事业性收费", group="第二十条第（八）项"),
    ),
    cols=(
        KeySpec("issued", "本年制发件数", (Alias("本年新制发件数", "reports mixing the 2019 wording in"),)),
        KeySpec("repealed", "本年废止件数"),
        KeySpec("in_force", "现行有效件数"),
        KeySpec("decisions", "本年处理决定数量", (Alias("处理决定数量", "the 2019/2020 form's label"),)),
        KeySpec("amount_10k_yuan", "本年收费金额（单位：万元）",
                (Alias("本年收费金额", "the unit printed in another cell or left out"),), kind=DECIMAL),
    ),
    row_cols={
        "rules": _T2_COUNT_COLS,
        "normative_docs": _T2_COUNT_COLS,
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount_10k_yuan",),
    },
    header_words=("第二十条", "信息内容"),
    markers=("信息内容",),
)

# ---------------------------------------------------------------- table 2, 2019/2020 template (60号)

_T2_19_DOC_COLS = ("new_made", "new_published", "total_public")
_T2_19_ITEM_COLS = ("prev_year_items", "change", "decisions")

T2_2019 = TableSpec(
    key=T2,
    label="主动公开政府信息情况",
    rows=(
        KeySpec("rules", "规章", group="第二十条第（一）项"),
        KeySpec("normative_docs", "规范性文件", (Alias("行政规范性文件", "the 2021 form's label"),),
                group="第二十条第（一）项"),
        KeySpec("licensing", "行政许可", group="第二十条第（五）项"),
        KeySpec("other_external_services", "其他对外管理服务事项", group="第二十条第（五）项"),
        KeySpec("penalty", "行政处罚", group="第二十条第（六）项"),
        KeySpec("coercion", "行政强制", group="第二十条第（六）项"),
        KeySpec("fees", "行政事业性收费", group="第二十条第（八）项"),
        KeySpec("central_procurement", "政府集中采购", group="第二十条第（九）项"),
    ),
    cols=(
        KeySpec("new_made", "本年新制作数量"),
        KeySpec("new_published", "本年新公开数量"),
        KeySpec("total_public", "对外公开总数量"),
        KeySpec("prev_year_items", "上一年项目数量"),
        KeySpec("change", "本年增/减", (Alias("本年增减", "portal text that dropped the slash"),), kind=SIGNED),
        KeySpec("decisions", "处理决定数量", (Alias("本年处理决定数量", "the 2021 form's label"),)),
        KeySpec("items", "采购项目数量"),
        KeySpec("amount_yuan", "采购总金额", kind=DECIMAL),
    ),
    row_cols={
        "rules": _T2_19_DOC_COLS,
        "normative_docs": _T2_19_DOC_COLS,
        "licensing": _T2_19_ITEM_COLS,
        "other_external_services": _T2_19_ITEM_COLS,
        "penalty": _T2_19_ITEM_COLS,
        "coercion": _T2_19_ITEM_COLS,
        "fees": ("prev_year_items", "change"),
        "central_procurement": ("items", "amount_yuan"),
    },
    header_words=("第二十条", "信息内容"),
    markers=("信息内容",),
)

# ---------------------------------------------------------------- table 3

T3 = "t3_requests"

_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

T3_ROWS = (
    KeySpec("new_received", "一、本年新收政府信息公开申请数量"),
    KeySpec("carried_over", "二、上年结转政府信息公开申请数量"),
    KeySpec("granted", "（一）予以公开"),
    KeySpec("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    KeySpec("denied_state_secret", "1.属于国家秘密", group=_DENIED),
    KeySpec("denied_prohibited_by_law", "2.其他法律行政法规禁止公开",
            (Alias("其他法律行政止公开", "a typo copied between county reports"),), group=_DENIED),
    KeySpec("denied_security_stability", "3.危及“三安全一稳定”", group=_DENIED),
    KeySpec("denied_third_party", "4.保护第三方合法权益", group=_DENIED),
    KeySpec("denied_internal_affairs", "5.属于三类内部事务信息", group=_DENIED),
    KeySpec("denied_process_info", "6.属于四类过程性信息", group=_DENIED),
    KeySpec("denied_enforcement_file", "7.属于行政执法案卷", group=_DENIED),
    KeySpec("denied_admin_query", "8.属于行政查询事项", group=_DENIED),
    KeySpec("unable_not_held", "1.本机关不掌握相关政府信息", group=_UNABLE),
    KeySpec("unable_needs_creation", "2.没有现成信息需要另行制作", group=_UNABLE),
    KeySpec("unable_unclear", "3.补正后申请内容仍不明确", group=_UNABLE),
    KeySpec("rejected_petition", "1.信访举报投诉类申请", group=_REJECTED),
    KeySpec("rejected_duplicate", "2.重复申请", group=_REJECTED),
    KeySpec("rejected_publication", "3.要求提供公开出版物", group=_REJECTED),
    KeySpec("rejected_excessive", "4.无正当理由大量反复申请", group=_REJECTED),
    KeySpec("rejected_reconfirm", "5.要求行政机关确认或重新出具已获取信息", group=_REJECTED),
    KeySpec("other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", group=_OTHER),
    KeySpec("other_fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", group=_OTHER),
    KeySpec("other_misc", "3.其他", group=_OTHER),
    # the 2019/2020 form (and some later reports) print one （六）其他处理 row instead of three
    KeySpec("other_total", "（六）其他处理"),
    KeySpec("handled_total", "（七）总计", (Alias("总计", "numbering left out"), Alias("合计", "messy-cells layouts"))),
    KeySpec("carried_forward", "四、结转下年度继续办理"),
)

T3_COLS = (
    KeySpec("natural_person", "自然人"),
    KeySpec("commercial", "商业企业"),
    KeySpec("research", "科研机构"),
    KeySpec("public_interest", "社会公益组织"),
    KeySpec("legal_services", "法律服务机构"),
    KeySpec("other_org", "其他"),
    KeySpec("org_subtotal", "法人或其他组织小计", (Alias("小计", "reports with a 小计 column under 法人或其他组织"),)),
    KeySpec("total", "总计", (Alias("合计", "messy-cells layouts"),)),
)

# the heading of the outcome rows, and the row groups (group id -> the label printed over its rows)
T3_SECTION = KeySpec("outcomes", "三、本年度办理结果", (Alias("办理结果", "messy-cells layouts, numbering dropped"),))
T3_ROW_GROUPS = {"denied": _DENIED, "unable": _UNABLE, "rejected": _REJECTED, "other": _OTHER}

T3_SPEC = TableSpec(
    key=T3, label="收到和处理政府信息公开申请情况", rows=T3_ROWS, cols=T3_COLS,
    # 勾稽: the explanatory header cell (本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)
    header_words=("申请人情况", "法人或其他组织", "勾稽"),
    col_groups=("法人或其他组织", "申请人情况", "申请人"),
    markers=("申请人情况", "自然人", "商业企业", "科研机构"),
)

T3_APPLICANT_COLS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org")
T3_ORG_COLS = T3_APPLICANT_COLS[1:]
T3_OUTCOME_ROWS = (
    "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
    "rejected_reconfirm",
)
T3_OTHER_ROWS = ("other_no_correction", "other_fee_unpaid", "other_misc")

# ---------------------------------------------------------------- table 4

T4 = "t4_review_litigation"
T4_GROUPS = {
    "review": "行政复议",
    "suit": "行政诉讼·未经复议直接起诉",
    "post_review_suit": "行政诉讼·复议后起诉",
}
T4_OUTCOMES = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
# the words that name a group or an outcome in a header cell, however narrow or cut the cell (结果 without
# 维持 stays unread): checked in this order, so 复议后起诉 is not read as 行政复议
T4_GROUP_WORDS = {
    "post_review_suit": ("复议后起诉", "复议后"),
    "suit": ("未经复议", "直接起诉"),
    "review": ("行政复议",),
}
T4_OUTCOME_WORDS = {
    "upheld": ("维持",),
    "corrected": ("纠正",),
    "other": ("其他",),
    "pending": ("审结",),
    "total": ("总计", "合计", "小计"),
}
T4_SPEC = TableSpec(
    key=T4,
    label="政府信息公开行政复议、行政诉讼情况",
    rows=(KeySpec("cases", "案件数"),),
    cols=tuple(KeySpec(f"{g}_{o}", f"{gl}·{ol}") for g, gl in T4_GROUPS.items() for o, ol in T4_OUTCOMES.items()),
    header_words=("行政复议", "行政诉讼", "直接起诉", "复议后起诉", "结果维持", "结果纠正", "尚未审结"),
    markers=("结果维持", "结果纠正", "尚未审结"),
)

# ---------------------------------------------------------------- identities

IDENTITIES: tuple[Identity, ...] = (
    Identity("t3_handled_total", T3, "handled_total", T3_OUTCOME_ROWS + T3_OTHER_ROWS, "rows",
             "（七）总计 = 各项办理结果之和", needs=T3_OTHER_ROWS,
             when="the table prints the three （六）其他处理 rows"),
    Identity("t3_handled_total_2019", T3, "handled_total", T3_OUTCOME_ROWS + ("other_total",), "rows",
             "（七）总计 = 各项办理结果之和（单行“其他处理”）", needs=("other_total",),
             when="the table prints one （六）其他处理 row (the 2019/2020 form, and some later reports)"),
    Identity("t3_balance", T3, "", (), "rows", "第一项加第二项之和，等于第三项加第四项之和",
             left=("new_received", "carried_over"), right=("handled_total", "carried_forward")),
    Identity("t3_row_total", T3, "total", T3_APPLICANT_COLS, "cols", "总计 = 自然人 + 法人或其他组织各列"),
    Identity("t3_org_subtotal", T3, "org_subtotal", T3_ORG_COLS, "cols", "法人或其他组织小计 = 五类组织之和",
             needs=("org_subtotal",), when="the table prints the 小计 column"),
    *(
        Identity(f"t4_{g}_total", T4, f"{g}_total", tuple(f"{g}_{o}" for o in ("upheld", "corrected", "other", "pending")),
                 "cols", f"{label}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结")
        for g, label in T4_GROUPS.items()
    ),
)



def identities_for(table: str, axis: str, printed: Collection[str]) -> tuple[Identity, ...]:
    """The identities of a table along an axis that apply to what it prints: every key an identity names
    (total, parts, both sides) among `printed`, so the variant of a layout picks itself (three （六）其他处理
    rows or one; the 小计 column or none). For readers testing a reading; the checks also name what is
    missing."""
    have = set(printed)
    return tuple(i for i in IDENTITIES if i.table == table and i.axis == axis and set(i.keys()) <= have)


# ---------------------------------------------------------------- keys the checks name
# (the keys are defined once in the specs above; these names only let code refer to them)

T2_RULES, T2_NORMATIVE_DOCS = "rules", "normative_docs"
T2_ISSUED, T2_IN_FORCE, T2_NEW_MADE, T2_NEW_PUBLISHED, T2_TOTAL_PUBLIC = (
    "issued", "in_force", "new_made", "new_published", "total_public")
T2_MADE_COLS = (T2_ISSUED, T2_NEW_MADE)  # 本年制发 (2021 form) / 本年新制作 (2019 form)
T3_NEW_RECEIVED, T3_CARRIED_OVER, T3_CARRIED_FORWARD = "new_received", "carried_over", "carried_forward"
T3_GRANTED, T3_PARTIALLY_GRANTED, T3_HANDLED_TOTAL, T3_TOTAL = (
    "granted", "partially_granted", "handled_total", "total")
assert {T2_RULES, T2_NORMATIVE_DOCS} <= {r.key for r in T2_2021.rows}
assert {T2_ISSUED, T2_IN_FORCE} <= {c.key for c in T2_2021.cols}
assert {T2_NEW_MADE, T2_NEW_PUBLISHED, T2_TOTAL_PUBLIC} <= {c.key for c in T2_2019.cols}
assert {T3_NEW_RECEIVED, T3_CARRIED_OVER, T3_CARRIED_FORWARD, T3_GRANTED, T3_PARTIALLY_GRANTED,
        T3_HANDLED_TOTAL} <= {r.key for r in T3_ROWS} and T3_TOTAL in {c.key for c in T3_COLS}

TEMPLATE_2021 = {T2: T2_2021, T3: T3_SPEC, T4: T4_SPEC}
TEMPLATE_2019 = {T2: T2_2019, T3: T3_SPEC, T4: T4_SPEC}

class Form(StrEnum):
    """The form a report's tables follow: the 2021 national template (国办公开办函〔2021〕30号), the
    2019/2020 one (60号), the pre-2019 statistics table (schemas/legacy.py), or none recognised."""

    F2021 = "2021"
    F2019 = "2019"
    OLD = "old"
    UNKNOWN = "unknown"


TEMPLATES = tuple(f.value for f in Form)
TABLE_KEYS = (T2, T3, T4)  # the template tables, in printed order


def version_only_cols(template: str) -> tuple[KeySpec, ...]:
    """表二 columns only this template version prints: their header words tell the version apart."""
    mine, other = (T2_2019, T2_2021) if template == "2019" else (T2_2021, T2_2019)
    theirs = {c.key for c in other.cols}
    return tuple(c for c in mine.cols if c.key not in theirs)


def col_kinds() -> dict[tuple[str, str], str]:
    """(table, column) -> COUNT, DECIMAL or SIGNED, over both template versions."""
    return {(spec.key, c.key): c.kind for spec in (T2_2021, T2_2019, T3_SPEC, T4_SPEC) for c in spec.cols}


def table_markers() -> tuple[str, ...]:
    """Every word that reveals a template table flattened into text, all tables and versions."""
    forms = {f for spec in (T2_2021, T2_2019) for c in spec.cols for f in (c.label, *c.aliases)}
    # a 表二 column's printed forms, less those holding a shorter one (本年处理决定数量 holds 处理决定数量)
    words = [*T2_2021.markers, *sorted(f for f in forms if not any(o != f and o in f for o in forms))]
    words += [w for spec in (T3_SPEC, T4_SPEC) for w in spec.markers]
    return tuple(dict.fromkeys(str(w) for w in words))


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_NOTE = re.compile(r"（[^（）]*）$")


def bare(label: str) -> str:
    """A label as prose names it: without its numbering (四、 （一） 1.) or a closing note in brackets."""
    return _NOTE.sub("", _NUMBERING.sub("", label))


def template_tables(template: str) -> dict[str, TableSpec]:
    """The table specs of a template version (the 2021 form for anything but 2019)."""
    return TEMPLATE_2019 if template == "2019" else TEMPLATE_2021


def all_keys() -> dict[str, dict[str, tuple[str, ...]]]:
    """Every (table, row) -> its column keys, across both template versions (for schemas/loaders)."""
    keys: dict[str, dict[str, tuple[str, ...]]] = {}
    for spec in (T2_2021, T2_2019, T3_SPEC, T4_SPEC):
        table = keys.setdefault(spec.key, {})
        for row in spec.rows:
            cols = spec.cols_of(row.key)
            table[row.key] = tuple(dict.fromkeys(table.get(row.key, ()) + cols))
    return keys

# ---------------------------------------------------------------- narrative cues (flattened text)

# Words a report's prose prints before a figure that restates a table-2 cell, by column key
# (本年度制发的规范性文件77件，废止13件，现行有效2470件; 政府集中采购项目135个). Flattened-text reading
# uses them to narrow a row whose digits ran together; a cue only counts with the row's label in the
# same sentence. Seen in county and township reports (2019-2023).
T2_NARRATIVE_CUES: dict[str, tuple[str, ...]] = {
    "issued": ("制发", "印发", "出台"),
    "repealed": ("废止",),
    "in_force": ("现行有效",),
    "new_made": ("新制作", "制作", "制发", "印发"),
    "new_published": ("新公开",),
    "total_public": ("对外公开总", "累计公开"),
    "prev_year_items": ("上一年",),
    "decisions": ("处理决定", "决定"),
    "items": ("采购项目",),
    "amount_yuan": ("采购总金额", "采购金额", "采购资金"),
    "amount_10k_yuan": ("收费金额", "收费"),
}
