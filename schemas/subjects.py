"""What a narrative sentence counts, as data: the subject lexicon the narrative checks read.

Real reports say the same count a dozen ways and count slightly different things (carried-over requests
in or out, partial grants in or out, one organ or all of them). Each subject class here says, once:

- the words that name it (for the national forms a `Topic`, for the old reports `ProsePhrase`s),
- the cells or template sums the report's own tables may explain it with (`Candidate`s, built from the
  template's identities and row groups, never restated: a figure equal to any of them is consistent),
- for counts no table holds (data records, page views, doses …), the magnitude class and its bound per
  resident of the largest body of an admin level (`CountClass`),
- a note of where such wording is used.

Also here: the report's own structure (`本报告共分6个部分`), which counts nothing (`STRUCTURAL`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.legacy import (
    LEGACY,
    LEGACY_IDENTITIES,
    LEGACY_ROWS,
    LEGACY_SPEC,
    YEAR,
    legacy_row,
)
from schemas.template import (
    IDENTITIES,
    T2,
    T2_2019,
    T2_2021,
    T2_ISSUED,
    T2_NEW_MADE,
    T2_NEW_PUBLISHED,
    T2_NORMATIVE_DOCS,
    T2_RULES,
    T3,
    T3_GRANTED,
    T3_HANDLED_TOTAL,
    T3_NEW_RECEIVED,
    T3_PARTIALLY_GRANTED,
    T3_ROW_GROUPS,
    T3_ROWS,
    T3_SECTION,
    T3_SPEC,
    T3_TOTAL,
    T4,
    T4_GROUP_WORDS,
    T4_GROUPS,
    T4_OUTCOMES,
    T4_SPEC,
    Alias,
    Identity,
    bare,
)

CellKey = tuple[str, str, str]  # (table, row, col)


@dataclass(frozen=True)
class Candidate:
    """A number the report's tables hold that a narrative count may state: the sum of `keys` (one key: the
    cell itself). `why` says when the prose counts this sum; `name` names a sum of a whole block."""

    keys: tuple[CellKey, ...]
    why: str = ""
    name: str = ""

    def label(self) -> str:
        """How an auditor's message names it: 表三“本年新收”+“上年结转”总计, 表四“行政复议·总计”."""
        if self.name:
            return self.name
        table = self.keys[0][0]
        cols = {k[2] for k in self.keys}
        if table in (T2, T3) and len(cols) == 1 and all(k[0] == table for k in self.keys):
            col = self.keys[0][2]
            return _TABLE_NAMES[table] + "+".join(f"“{row_label(table, k[1])}”" for k in self.keys) \
                + col_label(table, col)
        return "+".join(cell_label(k) for k in self.keys)


_TABLE_NAMES = {T2: "表二", T3: "表三", T4: "表四", LEGACY: LEGACY_SPEC.label}
_T3_COUNT = "政府信息公开申请数量"  # the tail the 表三 count rows share (一、本年新收政府信息公开申请数量)


def row_label(table: str, row: str) -> str:
    """A national row as prose names it (本年新收, 予以公开, 行政规范性文件)."""
    if table == T3:
        label = bare(T3_SPEC.row(row).label)
        return label.removesuffix(_T3_COUNT) or label
    rows = {r.key: r.label for spec in (T2_2019, T2_2021) for r in spec.rows}
    return rows.get(row, row)


def col_label(table: str, col: str) -> str:
    """A national column's label (总计, 本年制发件数)."""
    if table == T3:
        return T3_SPEC.col(col).label
    return {c.key: c.label for spec in (T2_2019, T2_2021, T4_SPEC) for c in spec.cols}.get(col, col)


def cell_label(key: CellKey) -> str:
    """A cell as an auditor reads it: 表三“本年新收”总计, 表四“行政复议·总计”, 统计表“行政复议数”."""
    table, row, col = key
    name = _TABLE_NAMES.get(table, table)
    if table == LEGACY:
        spec = legacy_row(row)
        return f"{name}“{spec.label if spec is not None else row}”"
    if table == T4:
        return f"{name}“{T4_SPEC.col(col).label}”"
    return f"{name}“{row_label(table, row)}”{col_label(table, col)}"


# ---------------------------------------------------------------- candidate sums from the template


def _identity(identity_id: str) -> Identity:
    return next(i for i in (*IDENTITIES, *LEGACY_IDENTITIES) if i.id == identity_id)


def _t3(*rows: str) -> tuple[CellKey, ...]:
    return tuple((T3, r, T3_TOTAL) for r in rows)


def _t3_group(group: str, why: str) -> Candidate:
    """The rows of a 表三 outcome block (（三）不予公开 …) in its 总计 column, summed."""
    rows = _t3(*(r.key for r in T3_ROWS if r.group == T3_ROW_GROUPS[group]))
    return Candidate(rows, why, f"表三“{bare(T3_ROW_GROUPS[group])}”各项{T3_SPEC.col(T3_TOTAL).label}之和")


def _t4(*cols: str) -> tuple[CellKey, ...]:
    return tuple((T4, "cases", c) for c in cols)


def _t4_parts(*groups: str) -> Candidate:
    """表四 groups' outcomes summed, as their identities list them (维持 + 纠正 + 其他 + 尚未审结): what a
    count explains where the table left the 总计 out."""
    keys = tuple(k for g in groups for k in _t4(*_identity(f"t4_{g}_total").parts))
    names = "”+“".join(T4_GROUPS[g] for g in groups)
    return Candidate(keys, "the outcomes, where 总计 was left out", f"表四“{names}”各项结果之和")


_BALANCE = _identity("t3_balance")
# 第一项加第二项之和: what a year's work had to handle (新收 + 上年结转)
RECEIVED_INCL_CARRIED = Candidate(_t3(*_BALANCE.left), "收到/受理/办理…申请 may count the carried-over requests")
NEW_RECEIVED = Candidate(_t3(T3_NEW_RECEIVED), "the requests received this year")
HANDLED = Candidate(_t3(T3_HANDLED_TOTAL), "办结/答复: the handled total",
                    f"表三“{T3_SECTION.aliases[0]}·{bare(T3_SPEC.row(T3_HANDLED_TOTAL).label)}”")


def _t2(row: str, *cols: str) -> tuple[Candidate, ...]:
    return tuple(Candidate(((T2, row, c),)) for c in cols)


# ---------------------------------------------------------------- the national forms: topics


@dataclass(frozen=True)
class Topic:
    """A subject class of the national forms: the words that name it in a clause and what explains it.

    The first candidate whose cells the report prints is the one a flag compares with; any candidate
    equal to the figure explains it."""

    key: str
    label: str  # how the message names the subject
    keyword: re.Pattern[str]  # must occur in the clause before the figure (or after, see `after`)
    candidates: tuple[Candidate, ...]
    units: tuple[str, ...]
    note: str  # where such wording is used
    requires: re.Pattern[str] | None = None  # must also occur in the clause
    after: re.Pattern[str] | None = None  # may instead occur right after the figure
    about_requests: bool = False  # the sentence must be about 申请 (table 3)
    broader: re.Pattern[str] | None = None  # a broader category than the table's -> info at most
    excludes: re.Pattern[str] | None = None  # a narrower outcome named in the clause: not this subject
    documents: bool = False  # 规章 / 规范性文件: the verb says whether the count is 本年制发
    decisions: bool = False  # 行政处罚/许可/强制: publishing them is not making them


_REQ_UNITS = ("件",)
_CASE_UNITS = ("件", "起", "宗", "个")
_DOC_UNITS = ("件", "个", "份", "部", "项")

_FORWARD = bare(T3_SPEC.row("carried_forward").label)  # 结转下年度继续办理
_CARRIED = bare(T3_SPEC.row("carried_over").label)[:4]  # 上年结转
_GRANTED = bare(T3_SPEC.row(T3_GRANTED).label)  # 予以公开
_PARTIAL = bare(T3_SPEC.row(T3_PARTIALLY_GRANTED).label)  # 部分公开
_DENIED, _UNABLE, _REJECTED, _OTHER = (bare(T3_ROW_GROUPS[g]) for g in ("denied", "unable", "rejected", "other"))
_OUTCOMES_WORD = T3_SECTION.aliases[0]  # 办理结果
_REVIEW = T4_GROUPS["review"]  # 行政复议
_SUIT, _POST_REVIEW = T4_GROUPS["post_review_suit"].split("·")  # 行政诉讼, 复议后起诉
_DIRECT = T4_GROUP_WORDS["suit"][1]  # 直接起诉
_PENALTY, _LICENSING, _COERCION = (T2_2021.row(k).label for k in ("penalty", "licensing", "coercion"))
_RULES_LABEL = T2_2021.row(T2_RULES).label  # 规章
_NORMATIVE = T2_2021.row(T2_NORMATIVE_DOCS).label  # 行政规范性文件
_NORMATIVE_SHORT = T2_2019.row(T2_NORMATIVE_DOCS).label  # 规范性文件
_ISSUED = T2_2021.col(T2_ISSUED).label  # 本年制发件数

RECEIVE = re.compile(r"收到|受理|新收|接收|收悉|共收")
CARRY_FORWARD = re.compile(r"结转(至|到)?下一?年|转入下一?年|顺延(至|到)?下一?年|下一?年度?继续办理|跨年")
# words of granting: 同意公开 is the old table's and many reports' word for 予以公开
GRANT_WORDS = f"{_GRANTED}|同意公开|全部公开"
_REQUESTS_IN = (RECEIVED_INCL_CARRIED, NEW_RECEIVED, HANDLED)

TOPICS: tuple[Topic, ...] = (
    Topic("carried_forward", f"表三“{_FORWARD}”总计", CARRY_FORWARD, (Candidate(_t3("carried_forward")),),
          _REQ_UNITS, "县、区报告: “1件结转下年度继续办理”, “顺延至下一年度办理”",
          after=re.compile(r"^件?(申请)?(" + CARRY_FORWARD.pattern + ")"), about_requests=True),
    Topic("carried_over", f"表三“{_CARRIED}申请”总计", re.compile(f"{_CARRIED}|上一年度?结转|往年结转"),
          (Candidate(_t3("carried_over")),), _REQ_UNITS, "“上年结转申请2件”", about_requests=True),
    Topic("new_received", "表三“本年新收申请”总计", re.compile(r"申请"), (NEW_RECEIVED, RECEIVED_INCL_CARRIED),
          _REQ_UNITS, "every report: “共收到/受理政府信息公开申请N件” (new, or new + carried over: a county report of "
          "issue 21, “全县全年共受理政府信息公开申请749件” = 新收 713 + 上年结转 36)",
          requires=RECEIVE, after=re.compile(r"^件?(政府信息公开|信息公开)?申请"), about_requests=True),
    Topic("granted", f"表三“{_GRANTED}”总计", re.compile(GRANT_WORDS),
          (Candidate(_t3(T3_GRANTED)), Candidate(_t3(T3_GRANTED, T3_PARTIALLY_GRANTED), "公开 incl. partly")),
          _REQ_UNITS, "“予以公开9件”; issue 21: “申请中同意公开答复9件” (同意公开 is 予以公开 9, not the handled total 35)",
          about_requests=True),
    Topic("partially_granted", f"表三“{_PARTIAL}”总计", re.compile(_PARTIAL), (Candidate(_t3(T3_PARTIALLY_GRANTED)),),
          _REQ_UNITS, "“部分公开3件”", about_requests=True),
    Topic("denied", f"表三“{_DENIED}”各项之和", re.compile(f"{_DENIED}(?!部分)"), (_t3_group("denied", "every 不予公开 reason"),),
          _REQ_UNITS, "“不予公开2件”: every 不予公开 reason", about_requests=True),
    Topic("unable", f"表三“{_UNABLE}”各项之和", re.compile(_UNABLE), (_t3_group("unable", "every 无法提供 reason"),),
          _REQ_UNITS, "“因本机关不掌握等原因无法提供265件”", about_requests=True),
    Topic("rejected", f"表三“{_REJECTED}”各项之和", re.compile(_REJECTED), (_t3_group("rejected", "every 不予处理 reason"),),
          _REQ_UNITS, "“不予处理4件”", about_requests=True),
    Topic("handled", f"表三“{_OUTCOMES_WORD}总计”", re.compile(r"办结|答复|办理完毕|处理完毕|办理|处理"),
          (HANDLED, RECEIVED_INCL_CARRIED, NEW_RECEIVED), _REQ_UNITS,
          "“办结69件”, “答复申请35件”, “办理申请749件” (handled, or all the year had to handle)",
          about_requests=True,
          excludes=re.compile(f"不予|{_PARTIAL}|无法|{_OTHER}|{GRANT_WORDS}|结转")),
    Topic("review", f"表四“{_REVIEW}”总计", re.compile(_REVIEW),
          (Candidate(_t4("review_total")), _t4_parts("review")),
          _CASE_UNITS, "“被申请行政复议3件”"),
    Topic("suit", f"表四“{_SUIT}”总计（{_DIRECT}+{_POST_REVIEW}）", re.compile(_SUIT),
          (Candidate(_t4("suit_total", "post_review_suit_total")), Candidate(_t4("suit_total"), _DIRECT),
           Candidate(_t4("post_review_suit_total"), _POST_REVIEW),
           _t4_parts("suit", "post_review_suit")),
          _CASE_UNITS, "“被提起行政诉讼12件”"),
    Topic("penalty", f"表二“{_PENALTY}”处理决定数", re.compile(f"{_PENALTY}|处罚决定"), _t2("penalty", "decisions"),
          _CASE_UNITS + ("项",), "恩和镇 2022: “进行行政处罚11件”", decisions=True),
    Topic("licensing", f"表二“{_LICENSING}”处理决定数", re.compile(f"{_LICENSING}|许可决定"),
          _t2("licensing", "decisions"), _CASE_UNITS + ("项",), "“办理行政许可15件”", decisions=True),
    Topic("coercion", f"表二“{_COERCION}”处理决定数", re.compile(_COERCION), _t2("coercion", "decisions"),
          _CASE_UNITS + ("项",), "“实施行政强制3件”", decisions=True),
    # 规章制度 are a body's internal rules, not 规章 (立法法): not this subject at all
    Topic("rules", f"表二“{_RULES_LABEL}”{_ISSUED}", re.compile(f"{_RULES_LABEL}(?!制度)"),
          _t2(T2_RULES, T2_ISSUED, T2_NEW_PUBLISHED, T2_NEW_MADE), _DOC_UNITS, "淮安 2024: “新增公开市政府规章1件”",
          broader=re.compile(f"部门{_RULES_LABEL}"), documents=True),
    Topic("normative_docs", f"表二“{_NORMATIVE}”{_ISSUED}", re.compile(f"{_NORMATIVE_SHORT}|政策性文件|政策文件"),
          _t2(T2_NORMATIVE_DOCS, T2_ISSUED, T2_NEW_PUBLISHED, T2_NEW_MADE), _DOC_UNITS,
          "“本年度制发的规范性文件77件”; 淮安 2024 “政策性文件11件” (a broader category)",
          broader=re.compile(f"政策性文件|政策文件|部门{_NORMATIVE_SHORT}|党内{_NORMATIVE_SHORT}"), documents=True),
)
assert len({t.key for t in TOPICS}) == len(TOPICS)
assert all(k[2] in {c.key for c in T4_SPEC.cols} for t in TOPICS for c in t.candidates for k in c.keys
           if k[0] == T4), "a topic names an unknown 表四 column"
assert set(T4_OUTCOMES) >= {"total"}

# ---------------------------------------------------------------- counts no table holds: magnitude classes


@dataclass(frozen=True)
class CountClass:
    """What a count in the prose may be when it is none of the tables' subjects, for the magnitude bounds.

    `words` is looked for in the clause around the figure; `per_resident` replaces the unit category's
    bound (None: no bound); `wan_ordinary`: 万 is this count's ordinary unit (8232万条 data records), so a
    figure printed as ≥1000万 is no stray 万."""

    key: str
    name: str
    words: re.Pattern[str]
    units: tuple[str, ...]
    per_resident: float | None
    wan_ordinary: bool
    note: str


COUNT_CLASSES: tuple[CountClass, ...] = (
    CountClass("records", "数据条数", re.compile(r"数据(?!开放目录)|数据量|记录|日志|数据资源|归集|汇聚|汇集|入库"),
               ("条",), 10_000, True,
               "portal and big-data reports: “汇聚数据8232万条” (records pooled from 25 business systems), "
               "“归集数据1.2亿条”: records, not government information items"),
    CountClass("page_views", "访问量", re.compile(r"访问|浏览|点击|阅读量|阅读数|播放|观看|下载量"),
               ("次", "人次", "条", ""), 1_000, True,
               "“门户网站全年访问量达2300万人次”, “点击量1200万次”: page views and visits, not items or persons served"),
)


def count_class(clause: str, unit: str) -> CountClass | None:
    """The count class the words around a figure name, if any (data records, page views)."""
    return next((c for c in COUNT_CLASSES if unit in c.units and c.words.search(clause)), None)


# ---------------------------------------------------------------- the report's own structure

# a count of the report's parts, sections, points or aspects: 本报告共分6个部分, 从以下3个方面, 主要包括5项内容
STRUCTURAL_AFTER = re.compile(r"^(个|项|点|大)?(部分|方面|章|节|板块|篇章|段落|内容|要点)")
STRUCTURAL_CLAUSE = re.compile(r"报告|年报|本文|以下|如下|下列|分为|分成|分别从|共分|包括|包含|由")
STRUCTURAL_NOTE = ("boilerplate of every report: “本报告共分6个部分”, “从以下3个方面”; a count of real work "
                   "(“推进3轮督促整改”, “开展培训2次”) is a figure")


def structural(clause_before: str, words_after: str) -> bool:
    """True when a number counts the report's own parts (本报告共分6个部分), not work done."""
    return STRUCTURAL_AFTER.match(words_after) is not None and STRUCTURAL_CLAUSE.search(clause_before) is not None


# ---------------------------------------------------------------- the old reports: prose phrases


@dataclass(frozen=True)
class ProsePhrase:
    """Words an old report's prose uses to state a row's `year` value (2013年主动公开政府信息4970条).

    `words` is looked for in the clause around a figure: the clause before it, then the figure, then the
    words after it up to the next clause break; `…` stands for any words of that clause. The phrases are
    tried in order and the first one found names the row, so the narrower phrases come first.
    `certain=False`: the words may count something else than the row (an application for review received
    vs the 行政复议数 the table counts), so a difference with the table is only worth a look."""

    row: str
    words: str
    seen: str
    certain: bool = True
    # rows the same clause counts together with `row` (行政复议、提起行政诉讼N件: the two totals' sum)
    also: tuple[str, ...] = ()


ANY_WORDS = "…"  # in ProsePhrase.words: any words of the same clause

LEGACY_PROSE: tuple[ProsePhrase, ...] = (
    # 复议、诉讼、申诉 first: their clauses also say 收到…申请; a clause naming both counts their sum
    ProsePhrase("admin_review_total", "行政复议…行政诉讼",
                "county and zone reports: 共发生因政府信息公开申请行政复议、提起行政诉讼N件 (one count of both)",
                also=("admin_suit_total",)),
    ProsePhrase("admin_review_total", "行政复议…申请",
                "Pingtan zone 2013: 收到1份有关政府信息公开行政复议申请 (an application received; the table's "
                "行政复议数 is 0)", certain=False),
    ProsePhrase("admin_review_total", "行政复议", "the row's own word (发生行政复议N件); not yet seen with a figure"),
    ProsePhrase("admin_suit_total", "行政诉讼…申请",
                "Pingtan zone 2018: 未收到有关政府信息公开行政复议、提起行政诉讼的申请 (no figure)", certain=False),
    ProsePhrase("admin_suit_total", "行政诉讼", "the row's own word; not yet seen with a figure"),
    ProsePhrase("complaints_reports", "行政申诉", "the row's own word; not yet seen with a figure"),
    # 依申请: channels and reply types, in the table's own words
    ProsePhrase("requests_in_person", "当面申请", "Pingtan county 2012: 其中当面申请数18条"),
    ProsePhrase("requests_email", "电子邮件申请", "Pingtan county 2012: 电子邮件申请数3条"),
    ProsePhrase("requests_online", "网上申请", "the table's label, as county prose reuses them (2012)"),
    ProsePhrase("requests_letter", "信函申请", "the table's label, as county prose reuses them (2012)"),
    ProsePhrase("requests_fax", "传真申请", "the table's label, as county prose reuses them (2012)"),
    ProsePhrase("replies_partially_granted", "部分公开答复", "the table's label (同意部分公开答复数)"),
    ProsePhrase("replies_granted", "同意公开答复", "Pingtan county 2012: 其中同意公开答复数17条"),
    ProsePhrase("replies_granted", "同意公开", "the row's label with 答复 left out (同意公开N件); not yet seen "
                "with a figure in an old report"),
    ProsePhrase("replies_granted", "予以公开", "the 条例's word for granting; not yet seen with a figure in an old report"),
    ProsePhrase("replies_denied", "免于公开答复", "Pingtan county 2012: 免于公开答复数2条"),
    ProsePhrase("replies_denied", "免予公开答复", "the same, spelt as the 条例 does"),
    ProsePhrase("replies_denied", "不予公开答复", "the table's label (FJ-3)"),
    ProsePhrase("replies_denied", "否决公开答复", "the table's label (FJ-1, FJ-2)"),
    ProsePhrase("replies_total", "答复总数", "Pingtan county 2012: 对依申请公开的答复总数21条"),
    ProsePhrase("requests_total", "受理…申请", "受理政府信息公开申请21件 (county and bureau reports)"),
    ProsePhrase("requests_total", "收到…申请", "Pingtan county 2012: 全县共收到有关政府信息公开的申请21条"),
    # 主动公开: the channels before the total (政府网站公开政府信息 names both)
    ProsePhrase("proactive_website", "网站公开", "the table's label (网站公开, 政府网站公开数)"),
    ProsePhrase("proactive_gazette", "公报公开", "the table's label (政府公报公开)"),
    ProsePhrase("proactive_total", "主动公开政府信息",
                "Pingtan zone 2013 (2013年主动公开政府信息4970条), zone 2018, county 2012"),
    ProsePhrase("proactive_total", "主动公开信息", "Pingtan zone 2013, county 2012: 县政府公开办主动公开信息数为1795条"),
    ProsePhrase("proactive_total", "主动公开…政府信息", "Pingtan county 2012: 网站主动公开的2026条政府信息中"),
)

# words naming a part of the issuer's territory or of its bodies: a figure said of them is a part of the
# table's total (县直各单位主动公开政府信息3933条 of 4970), not the total
LEGACY_PROSE_SCOPES: tuple[str, ...] = (
    Alias("县直", "Pingtan zone 2013, county 2012: 县直各单位主动公开政府信息…条"),
    Alias("区直", "Pingtan zone 2013 (区直、县直各单位…), zone 2018 (区管委会及区直各部门…)"),
    Alias("各乡镇", "Pingtan zone 2013, 2018, county 2012: 各乡镇主动公开政府信息…条"),
    Alias("各部门", "Pingtan zone 2018: 区直各部门"),
    Alias("各单位", "Pingtan zone 2013, county 2012"),
    Alias("公开办", "Pingtan zone 2013, county 2012: 县政府公开办主动公开信息数为…条"),
)

_ROW_KEYS = {r.key for r in LEGACY_ROWS}
assert all(r in _ROW_KEYS for p in LEGACY_PROSE for r in (p.row, *p.also)), "a prose phrase names an unknown row"

# units of counted documents, applications and cases: a row printed in one of them may be stated in the
# prose in another (the 2011–2013 county tables print 条 for 行政复议数; the zone 2013 prose says 收到1份…
# 行政复议申请). Other units (个, 人, 人次, 次) name other things: the prose must use the row's own.
PROSE_ITEM_UNITS = ("条", "件", "份", "篇", "项", "起", "宗")


def legacy_candidates(row: str) -> tuple[Candidate, ...]:
    """What the old table may explain a figure on `row` with: the row, its total, each 'of which' part,
    and the sums the old table's identities define with the row as their total (受理申请总数 = 各渠道之和;
    对申请的答复总数 = 各类答复之和), over the parts it prints (the caller drops what is not printed)."""
    spec = legacy_row(row)
    rows = [row, spec.parent if spec is not None else ""] + [r.key for r in LEGACY_ROWS if r.parent == row]
    out = [Candidate(((LEGACY, k, YEAR),)) for k in rows if k]
    for identity in LEGACY_IDENTITIES:
        if identity.total == row and identity.axis == "rows":
            for parts in (identity.parts, *identity.alternatives):
                out.append(Candidate(tuple((LEGACY, k, YEAR) for k in parts), identity.label))
    unique: dict[frozenset[CellKey], Candidate] = {}
    for candidate in out:
        unique.setdefault(frozenset(candidate.keys), candidate)
    return tuple(unique.values())
