"""Render whole small pre-2019 reports ending in the old statistics table (政府信息公开情况统计表), each with
its truth, straight from the contract (shared spec/template-legacy.md), never from the reader's code.

Each variant is one report: a title, a few narrative paragraphs whose figures match the table, and the
table in one of the families the spec names (FJ-1 county and bureau, FJ-2 zone, FJ-3 zone, an SH-family
subset, the national 2014 form N14), printed in one of the formats old reports come in: a portal HTML
page, a DOCX grid (and its PDF through LibreOffice), page text with cells separated by spaces, and page
text with the cells run together. A series of one issuer for 2011–2018 carries a cumulative chain.

Re-runnable and deterministic: `python3 corpus/build_legacy_variants.py [NAME...] [--no-pdf]` from the
repo root writes corpus/variants/legacy-<name>.<ext> and legacy-<name>.truth.json. The truth is the
generator's input, never the pipeline's output. Run-together tables are checked here, under the spec's
splitting rules, to split the way the truth says (one reading, or ambiguous where the truth says so).
See corpus/README.md (section "Legacy variants").
"""

from __future__ import annotations

import html
import io
import itertools
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_corpus import FIXED_TIME, _new_table, _put, _stable_zip, _style, _widths, to_pdf  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "variants"
TABLE = "t_legacy"
YEAR, CUM = "year", "cumulative"
BLANK_FORMS = ("", "—", "-", "/", "无")  # printed in place of a value: a blank cell, never 0

Number = int | float


# ---------------------------------------------------------------- row families


@dataclass(frozen=True)
class RowSpec:
    """A printed row of a family: its key ("" for a row matching no key: other_<n>), its label text without
    numbering, item number, 其中： prefix, printed unit, the total it is an exhaustive part of (`parent`)
    or an "of which" part of (`le`), and whether it is a section heading with no cells (N14)."""

    key: str
    text: str
    unit: str = "条"
    num: str = ""  # item number as printed before the separator: "1", "（2）" (kept as is), "" none
    ofwhich: bool = False
    parent: str = ""
    le: str = ""
    heading: bool = False


def _r(key: str, text: str, unit: str = "条", num: str = "", ofwhich: bool = False, parent: str = "",
       le: str = "") -> RowSpec:
    return RowSpec(key, text, unit, num, ofwhich, parent, le)


def _proactive(total: str, web: str, gazette: str) -> tuple[RowSpec, ...]:
    return (_r("proactive_total", total), _r("proactive_website", web, num="1", ofwhich=True, le="proactive_total"),
            _r("proactive_gazette", gazette, num="2", le="proactive_total"))


def _channels(*pairs: tuple[str, str]) -> tuple[RowSpec, ...]:
    return tuple(_r(key, text, num=str(i), ofwhich=i == 1, parent="requests_total")
                 for i, (key, text) in enumerate(pairs, 1))


def _replies(*pairs: tuple[str, str]) -> tuple[RowSpec, ...]:
    return tuple(_r(key, text, num=str(i), ofwhich=i == 1, parent="replies_total")
                 for i, (key, text) in enumerate(pairs, 1))


_FJ12_REPLIES = (("replies_granted", "同意公开答复数"), ("replies_partially_granted", "同意部分公开答复数"),
                 ("replies_denied", "否决公开答复数"))

FJ1 = (
    *_proactive("主动公开信息数", "网站公开", "政府公报公开"),
    _r("requests_total", "受理依申请公开信息总数"),
    *_channels(("requests_in_person", "当面申请数"), ("requests_fax", "传真申请数"),
               ("requests_email", "电子邮件申请数"), ("requests_online", "网上申请数"),
               ("requests_letter", "信函申请数"), ("requests_other", "其它形式申请数")),
    _r("replies_total", "对申请的答复数"),
    *_replies(*_FJ12_REPLIES),
    _r("admin_review_total", "行政复议数"), _r("admin_suit_total", "行政诉讼数"),
    _r("complaints_reports", "行政申诉数"),
)

FJ2 = (
    *_proactive("主动公开信息数", "网站公开", "政府公报公开"),
    _r("requests_total", "受理依申请公开信息总数"),
    *_channels(("requests_in_person", "当面申请数"), ("requests_fax", "传真申请数"),
               ("requests_email", "电子邮件申请数"), ("requests_online", "网上申请数"),
               ("requests_letter", "信函申请数")),
    _r("replies_total", "对申请的答复总数"),
    *_replies(*_FJ12_REPLIES),
    _r("admin_review_total", "行政复议数", "件"), _r("admin_suit_total", "行政诉讼数", "件"),
    _r("complaints_reports", "行政申诉、举报数", "件"),
)

FJ3 = (
    *_proactive("主动公开文件数", "政府网站公开数", "政府公报公开数"),
    _r("requests_total", "受理依申请公开信息总数"),
    *_channels(("requests_in_person", "当面申请数"), ("requests_online", "网上申请数"),
               ("requests_letter_or_fax", "信函、传真申请数")),
    _r("replies_total", "对申请的答复总数"),
    *_replies(("replies_granted", "同意公开答复数"), ("replies_partially_granted", "同意部分公开答复数"),
              ("replies_denied", "不予公开答复数"), ("replies_other", "其他类型答复数")),
    _r("fees_waived", "政府信息公开收费减免金额", "元"),
    _r("complaints_reports", "接受行政申诉、举报数", "件"),
    _r("admin_review_total", "行政复议数", "件"), _r("admin_suit_total", "行政诉讼数", "件"),
)


def _sh_denied(*pairs: tuple[str, str]) -> tuple[RowSpec, ...]:
    return tuple(_r(key, text, num=f"（{i}）", parent="replies_denied") for i, (key, text) in enumerate(pairs, 1))


SH = (
    _r("proactive_total", "主动公开信息数"),
    _r("proactive_full_text_electronic", "全文电子化的主动公开信息数", ofwhich=True, le="proactive_total"),
    _r("proactive_new_normative_docs", "新增规范性文件数", le="proactive_total"),
    _r("", "公文类信息数"),
    _r("", "网站专栏页面访问量", "人次"),
    _r("requests_total", "申请总数"),
    *_channels(("requests_in_person", "当面申请数"), ("requests_online", "网上申请数"),
               ("requests_letter", "信函申请数"), ("requests_fax", "传真申请数"), ("requests_email", "电子邮件申请数")),
    _r("replies_total", "对申请的答复总数"),
    _r("replies_granted", "同意公开答复数", num="1", parent="replies_total"),
    _r("replies_partially_granted", "同意部分公开答复数", num="2", parent="replies_total"),
    _r("replies_denied", "否决公开答复总数", num="3", parent="replies_total"),
    *_sh_denied(("denied_state_secret", "“免予公开范围1”数"), ("denied_commercial_secret", "“免予公开范围2”数"),
                ("denied_privacy", "“免予公开范围3”数"), ("denied_not_gov_info", "“非《规定》所指政府信息”数"),
                ("replies_not_exist", "“信息不存在”数"), ("replies_not_held", "“非本部门掌握”数"),
                ("replies_unclear", "“申请内容不明确”数"), ("denied_other_reason", "其它原因")),
    _r("admin_review_total", "行政复议数", "件"), _r("admin_suit_total", "行政诉讼数", "件"),
    _r("complaints_reports", "行政申诉数", "件"),
    _r("staff_total", "政府信息公开指定专职人员数", "人"),
    _r("staff_full_time", "全职人员", "人", num="1", parent="staff_total"),
    _r("staff_part_time", "兼职人员", "人", num="2", parent="staff_total"),
    _r("special_funds", "处理政府信息公开的专项经费", "万元"),
)


def _head(text: str) -> RowSpec:
    return RowSpec("", text, "", heading=True)


def _n(key: str, text: str, unit: str = "条", num: str = "", parent: str = "", le: str = "") -> RowSpec:
    return RowSpec(key, text, unit, num, False, parent, le)


_N14_OUTCOMES = (("upheld", "维持具体行政行为数"), ("corrected", "被依法纠错数"), ("other", "其他情形数"))

N14 = (
    _head("一、主动公开情况"),
    _n("proactive_total", "主动公开政府信息数", num="（一）"),
    _n("proactive_full_text_electronic", "其中：全文电子化的主动公开信息数", le="proactive_total"),
    _n("proactive_new_normative_docs", "新增的行政规范性文件数", num="（二）", le="proactive_total"),
    _head("二、依申请公开情况"),
    _n("requests_total", "收到申请数", num="（一）"),
    *(_n(k, t, num=str(i), parent="requests_total") for i, (k, t) in enumerate(
        (("requests_in_person", "当面申请数"), ("requests_fax", "传真申请数"), ("requests_online", "网络申请数"),
         ("requests_letter", "信函申请数")), 1)),
    _n("replies_total", "申请答复数", num="（二）"),
    _n("replies_already_public", "属于已主动公开范围数", num="1", parent="replies_total"),
    _n("replies_granted", "同意公开答复数", num="2", parent="replies_total"),
    _n("replies_partially_granted", "同意部分公开答复数", num="3", parent="replies_total"),
    _n("replies_denied", "不同意公开答复数", num="4", parent="replies_total"),
    *(_n(k, ("其中：" if i == 1 else "") + t, parent="replies_denied") for i, (k, t) in enumerate(
        (("denied_state_secret", "涉及国家秘密"), ("denied_commercial_secret", "涉及商业秘密"),
         ("denied_privacy", "涉及个人隐私"), ("denied_security_stability", "危及国家安全、公共安全、经济安全和社会稳定"),
         ("denied_not_gov_info", "不是《条例》所指政府信息"), ("denied_other_law", "法律法规规定的其他情形")), 1)),
    _n("replies_not_held", "不属于本行政机关公开数", num="5", parent="replies_total"),
    _n("replies_not_exist", "申请信息不存在数", num="6", parent="replies_total"),
    _n("replies_unclear", "告知作出更改补充数", num="7", parent="replies_total"),
    _n("replies_redirected", "告知通过其他途径办理数", num="8", parent="replies_total"),
    _n("admin_review_total", "行政复议数量", "件", num="三"),
    *(_n(f"admin_review_{k}", t, "件", num=str(i), parent="admin_review_total")
      for i, (k, t) in enumerate(_N14_OUTCOMES, 1)),
    _n("admin_suit_total", "行政诉讼数量", "件", num="四"),
    *(_n(f"admin_suit_{k}", "维持具体行政行为或者驳回原告诉讼请求数" if k == "upheld" else t, "件", num=str(i),
         parent="admin_suit_total") for i, (k, t) in enumerate(_N14_OUTCOMES, 1)),
    _n("complaints_reports", "举报投诉数量", "件", num="五"),
    _n("fees_charged", "依申请公开信息收取的费用", "万元", num="六"),
    _head("七、机构建设和保障经费情况"),
    _n("dedicated_units", "政府信息公开工作专门机构数", "个", num="（一）"),
    _n("reading_points", "设置政府信息公开查阅点数", "个", num="（二）"),
    _n("staff_total", "从事政府信息公开工作人员数", "人", num="（三）"),
    _n("staff_full_time", "专职人员数", "人", num="1", parent="staff_total"),
    _n("staff_part_time", "兼职人员数", "人", num="2", parent="staff_total"),
    _n("special_funds", "政府信息公开专项经费", "万元", num="（四）"),
    _head("八、政府信息公开会议和培训情况"),
    _n("meetings", "召开政府信息公开工作会议或专题会议数", "次", num="（一）"),
    _n("training_sessions", "举办各类培训班数", "次", num="（二）"),
    _n("trainees", "接受培训人员数", "人次", num="（三）"),
)

FAMILIES = {"FJ-1": FJ1, "FJ-2": FJ2, "FJ-3": FJ3, "SH": SH, "N14": N14}
AMOUNTS = {"fees_waived", "fees_charged", "special_funds"}  # decimals in the printed unit


# ---------------------------------------------------------------- variants


@dataclass(frozen=True)
class Variant:
    """One report: issuer, year, family, format, and the special cases its table prints."""

    name: str
    seed: int
    issuer: str
    year: int
    family: str
    fmt: str  # html | docx (also a PDF) | spaced | run
    level: str
    cols: tuple[str, ...] = (YEAR, CUM)
    headers: tuple[str, ...] = ("本年度", "历年累计")
    label_head: str = "指标名称"
    sep: str = "."  # item-number separator: "." "、" "．", or None-like "" (numbers not printed)
    units: dict[str, str] = field(default_factory=dict)  # printed unit overrides (条 for 行政复议数 …)
    labels: dict[str, str] = field(default_factory=dict)  # printed label overrides, whole (typos, 其他)
    drop: tuple[str, ...] = ()  # family rows this table does not print
    extra: tuple[tuple[int, str, str], ...] = ()  # (insert before family row i, label, unit): no key
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # printed text overrides (blank forms)
    values: dict[str, tuple[Number, ...]] = field(default_factory=dict)  # fixed values (run-together)
    truncate: int = 0  # print only the first n data rows
    scale: int = 1  # size of the issuer: multiplies proactive counts
    prose_total: int | None = None  # the prose's 主动公开 count when it differs from the table
    ambiguous: tuple[str, ...] = ()  # rows nothing decides (run-together)
    table_title: str = ""  # default: 附件1：{short}{year}年政府信息公开情况统计表
    filler: int = 0  # DOCX: a page break and short lines before the table so the PDF splits it
    note: str = ""


def _title(v: Variant) -> str:
    return f"{v.issuer}{v.year}年政府信息公开工作年度报告"


def _short(issuer: str) -> str:
    """The issuer as table titles name it: 示范县人民政府 → 示范县, 示范综合实验区管委会 → 示范综合实验区."""
    for tail in ("人民政府", "管委会"):
        if issuer.endswith(tail):
            return issuer.removesuffix(tail)
    return issuer


ONE_COL = {"cols": (YEAR,)}
_FJ1_UNITS = {"admin_review_total": "条", "admin_suit_total": "条", "complaints_reports": "条"}

VARIANTS: tuple[Variant, ...] = (
    Variant("fj1-county-html", 201, "示范县人民政府", 2012, "FJ-1", "html", "county", units=_FJ1_UNITS,
            cells={("requests_fax", CUM): "", ("complaints_reports", YEAR): ""},
            extra=((len(FJ1), "政府信息公开专栏访问量", "人次"),), scale=3,
            note="FJ-1 county, portal page: &nbsp; cells, 其它形式申请数, 条 for 行政复议数, an unmatched last row"),
    Variant("fj1-county-docx", 202, "样例县人民政府", 2011, "FJ-1", "docx", "county", units=_FJ1_UNITS,
            sep="、", label_head="指 标 名 称", headers=("2011年度", "历年累计"),
            cells={("requests_fax", YEAR): "—", ("requests_fax", CUM): "—", ("requests_letter", YEAR): "/",
                   ("requests_other", YEAR): "无", ("requests_other", CUM): "无"},
            labels={"requests_other": "6、其他形式申请数"}, scale=2,
            note="FJ-1 county grid: spaced 指 标 名 称, 1、 numbering, —, / and 无 for empty cells, 其他"),
    Variant("fj1-bureau-docx", 203, "示范县国土资源局", 2010, "FJ-1", "docx", "department", cols=(YEAR,),
            headers=("年末统计",), sep="．", units={"admin_review_total": "件", "admin_suit_total": "件",
                                                  "complaints_reports": "件"},
            note="FJ-1 bureau, one value column 年末统计 (no cumulative expected), 1． numbering"),
    Variant("fj2-zone-spaced", 204, "示范经济开发区管委会", 2012, "FJ-2", "spaced", "zone", sep="、",
            headers=("2012 年度", "历年累计"), cells={("proactive_gazette", CUM): ""}, scale=4,
            note="FJ-2 zone as portal text, cells separated by spaces; 政府公报公开 prints one number"),
    Variant("fj2-prose-fault", 205, "示范高新区管委会", 2013, "FJ-2", "html", "zone", headers=("2013年度", "历年累计"),
            prose_total=4970, scale=5,
            note="FJ-2 zone page whose prose says 主动公开政府信息4970条 against another table value"),
    Variant("fj3-zone-docx", 206, "示范综合实验区公安局", 2018, "FJ-3", "docx", "department", sep="．",
            headers=("2017年度", "历年累计"), labels={"replies_granted": "其中：1同意公开答复数",
                                                     "replies_other": "4．其它类型答复数"},
            values={"fees_waived": (0.0, 0.0)}, filler=16,
            note="FJ-3 bureau grid: header 2017年度 in a 2018 report, 0.00 元, typo 1同意, 其它; the PDF "
                 "breaks the table over two pages"),
    Variant("fj3-truncated-html", 207, "示范综合实验区交通建设局", 2015, "FJ-3", "html", "department", truncate=5,
            sep="、", note="FJ-3 bureau page whose table stops after five rows"),
    Variant("sh-subset-docx", 208, "样例市东江区民政局", 2010, "SH", "docx", "department", cols=(YEAR,),
            headers=("本期实际",), sep="、",
            note="SH-family subset: refusal reasons （1）…（8） under 否决公开答复总数 with 信息不存在 etc., "
                 "公文类信息数 and 网站专栏页面访问量 match no key, 全职/兼职, 万元"),
    Variant("n14-docx", 209, "样例市人力资源和社会保障局", 2015, "N14", "docx", "department", cols=(YEAR,),
            headers=("统计数",), sep=".",
            note="national 2014 form: section heading rows, refusal reasons, 维持/纠错/其他 twice, 万元"),
    Variant("n14-html", 210, "示例县卫生和计划生育局", 2016, "N14", "html", "department", cols=(YEAR,),
            headers=("2016年",), sep="、", cells={("fees_charged", YEAR): "-", ("special_funds", YEAR): "/"},
            note="national 2014 form on a portal page; - and / for amounts"),
    Variant("fj1-run-prose", 211, "示例县人民政府", 2012, "FJ-1", "run", "county", units=_FJ1_UNITS,
            values={"proactive_total": (1483, 2917), "proactive_website": (1266, 2650), "proactive_gazette": (0, 9),
                    "requests_total": (16, 16), "requests_in_person": (13, 13), "requests_fax": (0, 0),
                    "requests_email": (3, 3), "requests_online": (0, 0), "requests_letter": (0, 0),
                    "requests_other": (0, 0), "replies_total": (16, 16), "replies_granted": (12, 12),
                    "replies_partially_granted": (2, 2), "replies_denied": (2, 2), "admin_review_total": (0, 0),
                    "admin_suit_total": (0, 0), "complaints_reports": (0, 0)},
            note="FJ-1 county, cells run together: the prose decides 主动公开, the ≤ bound 网站公开, "
                 "the channel and reply sums the two totals"),
    Variant("fj3-run", 212, "示范综合实验区经济发展局", 2016, "FJ-3", "run", "department", drop=("fees_waived",),
            values={"proactive_total": (308, 1204), "proactive_website": (297, 1187), "proactive_gazette": (0, 35),
                    "requests_total": (15, 35), "requests_in_person": (10, 20), "requests_online": (4, 9),
                    "requests_letter_or_fax": (1, 6), "replies_total": (6, 24), "replies_granted": (4, 18),
                    "replies_partially_granted": (1, 3), "replies_denied": (0, 1), "replies_other": (1, 2),
                    "complaints_reports": (0, 0), "admin_review_total": (1, 2), "admin_suit_total": (0, 0)},
            note="FJ-3 bureau, cells run together: most rows split one way; 受理总数 by the channel sum"),
    Variant("fj2-run-ambiguous", 213, "示例县财政局", 2012, "FJ-2", "run", "department",
            values={"proactive_total": (15, 15), "proactive_website": (1, 1), "proactive_gazette": (0, 0),
                    "requests_total": (3, 5), "requests_in_person": (2, 3), "requests_fax": (0, 0),
                    "requests_email": (0, 0), "requests_online": (1, 2), "requests_letter": (0, 0),
                    "replies_total": (3, 5), "replies_granted": (2, 4), "replies_partially_granted": (1, 1),
                    "replies_denied": (0, 0), "admin_review_total": (0, 0), "admin_suit_total": (0, 0),
                    "complaints_reports": (0, 0)},
            prose_total=23, ambiguous=("proactive_total",),
            note="FJ-2 bureau, cells run together: 主动公开信息数条1515 (15|15 or 1|515) with prose saying 23"),
)

SERIES_ISSUER = "示范综合实验区管委会"
SERIES_YEARS = range(2011, 2019)
SERIES_BREAK = 2017  # the archive restarts the cumulative series this year


def _series_family(year: int) -> str:
    return "FJ-1" if year == 2011 else "FJ-2" if year <= 2013 else "FJ-3"


def series_variants() -> list[Variant]:
    """2011–2018 of one zone, alternating portal HTML and spaced text; values are set by `series_values`."""
    out = []
    for year in SERIES_YEARS:
        fam = _series_family(year)
        labels = {"complaints_reports": "接受行政诉讼、举报数"} if year >= 2017 else {}
        out.append(Variant(f"series-{year}", 300 + year % 100, SERIES_ISSUER, year, fam,
                           "html" if year % 2 == 0 else "spaced", "zone", headers=(f"{year}年度", "历年累计"),
                           sep="、" if year < 2014 else ".", labels=labels, scale=6,
                           drop=("fees_waived",) if year >= 2017 else (),
                           note=f"series {year}: {fam}" + (", cumulative restarts" if year == SERIES_BREAK else "")))
    return out


# ---------------------------------------------------------------- values


def _leaf(rng: random.Random, key: str, scale: int) -> Number:
    """A plausible value for a row with no printed parts."""
    small = lambda top, zero=0.5: 0 if rng.random() < zero else rng.randint(1, top)  # noqa: E731
    if key == "proactive_total":
        return rng.randint(150, 900) * scale
    if key.startswith("requests_"):
        return small(9, 0.45)
    if key.startswith("denied_"):
        return small(2, 0.7)
    if key.startswith("replies_"):
        return small(6, 0.5)
    if key.startswith(("admin_", "complaints")):
        return small(3, 0.6)
    if key == "fees_waived":
        return round(rng.randint(0, 60000) / 100, 2) if rng.random() < 0.6 else round(rng.randint(1, 300) * 1.0, 2)
    if key in ("fees_charged", "special_funds"):
        return round(rng.randint(5, 900) / 100, 2)
    if key.startswith("staff_"):
        return rng.randint(0, 4)
    if key in ("dedicated_units",):
        return rng.randint(1, 2)
    if key == "reading_points":
        return rng.randint(1, 12)
    if key in ("meetings", "training_sessions"):
        return rng.randint(1, 9)
    if key == "trainees":
        return rng.randint(20, 400)
    raise KeyError(key)


def _part_of(rng: random.Random, key: str, total: int) -> int:
    """An 'of which' part of 主动公开: most of it on the website (sometimes all), a few in the gazette."""
    if key in ("proactive_website", "proactive_full_text_electronic"):
        return total if rng.random() < 0.3 else rng.randint(total * 6 // 10, total)
    return min(total, 0 if rng.random() < 0.4 else rng.randint(1, 40))


def draw(rng: random.Random, rows: Iterable[RowSpec], scale: int) -> dict[str, Number]:
    """Values for one column: leaves drawn, exhaustive totals summed from their printed parts, 'of which'
    parts bounded by their total. Linear, so a sum of two draws keeps every identity."""
    rows = [r for r in rows if r.key and not r.heading]
    keys = {r.key for r in rows}
    has_parts = {r.parent for r in rows if r.parent}
    values: dict[str, Number] = {}
    for r in rows:
        if r.key not in has_parts and not r.le:
            values[r.key] = _leaf(rng, r.key, scale)
    for r in reversed(rows):  # children come after their total
        if r.key in has_parts:
            values[r.key] = sum(values[c.key] for c in rows if c.parent == r.key)
    for r in rows:
        if r.le:
            values[r.key] = _part_of(rng, r.key, int(values[r.le])) if r.le in keys else _leaf(rng, r.key, scale)
    return values


def _other_value(rng: random.Random, label: str, unit: str) -> int:
    return rng.randint(5000, 90000) if unit == "人次" else rng.randint(20, 400)


def check_identities(rows: list[RowSpec], col: dict[str, Number | None], year: dict[str, Number] | None = None) -> None:
    """The spec's identities, on the generator's own values (a bug here would poison the truth); with
    `year` given, `col` is the cumulative column and must be ≥ it row by row."""
    for key, value in (year or {}).items():
        assert col[key] >= value, (key, value, col[key])
    for total in {r.parent for r in rows if r.parent}:
        parts = [col.get(r.key) for r in rows if r.parent == total]
        if col.get(total) is not None and None not in parts:
            assert abs(col[total] - sum(parts)) < 1e-9, (total, col[total], parts)
    for r in rows:
        if r.le and col.get(r.key) is not None and col.get(r.le) is not None:
            assert col[r.key] <= col[r.le], (r.key, col[r.key], col[r.le])


# ---------------------------------------------------------------- the printed table


@dataclass
class PrintedRow:
    """One row as printed: row key (other_<n> for no key), label, unit and cell texts; or a heading."""

    key: str
    label: str
    unit: str
    texts: list[str]
    heading: bool = False


@dataclass
class Report:
    """A whole report: metadata, prose, the table as printed, and its truth."""

    v: Variant
    paragraphs: list[tuple[str, str]]  # (kind: heading | para, text)
    table_title: str
    header: list[str]
    rows: list[PrintedRow]
    truth: dict


def _label(v: Variant, r: RowSpec) -> str:
    """The printed label: 其中： prefix, item number and separator as the variant numbers items."""
    if r.key in v.labels:
        return v.labels[r.key]
    if r.heading or v.family == "N14":
        sep = "" if r.num.startswith("（") or not r.num else ("、" if r.num in "三四五六" else v.sep or ".")
        return f"{r.num}{sep}{r.text}" if r.num else r.text
    num = r.num if r.num.startswith("（") else (f"{r.num}{v.sep}" if r.num and v.sep else "")
    return ("其中：" if r.ofwhich else "") + num + r.text


def _text(value: Number) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def family_rows(v: Variant) -> list[RowSpec]:
    """The family's rows this table prints, with the variant's extra rows (no key) put in place."""
    rows = [r for r in FAMILIES[v.family] if r.key not in v.drop]
    for before, label, unit in sorted(v.extra, reverse=True):
        rows.insert(before, RowSpec("", label, unit))
    return rows


def column_values(v: Variant, rows: list[RowSpec], rng: random.Random) -> dict[str, dict[str, Number]]:
    """Per printed column the values: fixed ones from the variant, the rest drawn; cumulative = year + an
    earlier total drawn the same way (so it is ≥ year and keeps every identity)."""
    year = draw(rng, rows, v.scale)
    prior = draw(rng, rows, v.scale * 3)
    cols = {YEAR: year, CUM: {k: round(year[k] + prior[k], 2) if isinstance(year[k], float) else year[k] + prior[k]
                              for k in year}}
    for key, fixed in v.values.items():
        for col, value in zip((YEAR, CUM), fixed, strict=False):
            cols[col][key] = value
    for (key, col), text in v.cells.items():  # a blank form stands where the value is nothing (zero)
        if text in BLANK_FORMS:
            zero = 0.0 if key in AMOUNTS else 0
            for c in ((YEAR, CUM) if col == CUM else (YEAR,)):  # keep cumulative ≥ year
                cols[c][key] = zero
    for col in cols.values():
        _resum(rows, col)
    return {c: cols[c] for c in v.cols}


def build_report(v: Variant, values: dict[str, dict[str, Number]] | None = None) -> Report:
    """Lay out one report and its truth from the variant (and, for the series, given values)."""
    rng = random.Random(v.seed)
    rows = family_rows(v)
    values = values or column_values(v, rows, rng)
    for col in v.cols:
        check_identities(rows, values[col], values[YEAR] if col == CUM else None)
    printed: list[PrintedRow] = []
    guessed: list[str] = []  # rows whose reading the text leaves to a choice (said as guessed)
    tables: dict[str, dict[str, Number | None]] = {}
    blanks, units, labels = [], {}, {}
    n = 0
    for r in rows:
        if r.heading:
            printed.append(PrintedRow("", r.text, "", [], heading=True))
            continue
        n += 1
        if v.truncate and n > v.truncate:
            break
        key = r.key or f"other_{n}"
        label, unit = _label(v, r), v.units.get(r.key, r.unit)
        if not r.key:
            labels[key] = label
            other = _other_value(rng, label, unit)
            row_values = {YEAR: other, CUM: other + _other_value(rng, label, unit)}
        else:
            row_values = {c: values[c][r.key] for c in v.cols}
        texts, cells = [], {}
        for col in v.cols:
            text = v.cells.get((r.key, col), _text(row_values[col]))
            if text in BLANK_FORMS:
                cells[col] = None
                blanks.append([TABLE, key, col, text])
            else:
                cells[col] = row_values[col]
            texts.append(text)
        printed.append(PrintedRow(key, label, unit, texts))
        tables[key], units[key] = cells, unit
        if v.fmt == "spaced" and "" in texts:
            guessed.append(key)  # spaced text drops an empty cell: which one cannot be told, so it is a guess
    year_values = values[YEAR]
    truth = {
        "stem": f"legacy-{v.name}", "origin": "constructed (corpus/build_legacy_variants.py)",
        "title": _title(v), "issuer": v.issuer, "year": v.year, "admin_level": v.level, "template": "old",
        "family": v.family, "format": v.fmt, "tables": {TABLE: tables}, "blank_cells": blanks,
        "status": "partial" if v.ambiguous or guessed else "ok", "ambiguous_rows": list(v.ambiguous),
        "guessed_rows": guessed,
        "labels": labels, "units": units, "expected_flags": [], "notes": v.note,
    }
    if v.prose_total is not None and not v.ambiguous:
        truth["expected_flags"].append({
            "kind": "narrative_vs_table", "refs": [f"{TABLE}.proactive_total.{YEAR}"], "value": v.prose_total,
            "min_severity": "warning",
            "about": f"prose 主动公开政府信息{v.prose_total}条 vs table 主动公开 {year_values['proactive_total']}"})
    for key in v.ambiguous:  # nothing decides the row: the reader must leave it out and name it
        truth["ambiguous_truth"] = {key: tables.pop(key)}
    title = v.table_title or f"附件1：{_short(v.issuer)}{v.year}年政府信息公开情况统计表"
    header = [v.label_head, "计量单位", *v.headers]
    return Report(v, prose(v, year_values), title, header, printed, truth)


# ---------------------------------------------------------------- prose


def prose(v: Variant, y: dict[str, Number]) -> list[tuple[str, str]]:
    """Short narrative sections in the manner of old reports; every figure given matches the table's year
    column (except the prose total of the fault and of the undecidable run-together row)."""
    who = "全县" if "县人民政府" in v.issuer else "全区" if "管委会" in v.issuer else "我局"
    total = v.prose_total if v.prose_total is not None else y["proactive_total"]
    parts = [f"{v.year}年{who}主动公开政府信息{total}条"]
    if "proactive_website" in y:
        parts.append(f"其中通过政府网站公开{y['proactive_website']}条")
    if "proactive_gazette" in y and y["proactive_gazette"]:
        parts.append(f"通过政府公报公开{y['proactive_gazette']}条")
    requests = y.get("requests_total", 0)
    if requests:
        ask = f"{v.year}年共受理政府信息公开申请{requests}件"
        if "replies_total" in y:
            ask += f"；对申请的答复{y['replies_total']}件，其中同意公开{y['replies_granted']}件"
        ask += "。"
    else:
        ask = f"{v.year}年未收到政府信息公开申请。"
    review = y.get("admin_review_total", 0) + y.get("admin_suit_total", 0)
    return [
        ("para", f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{v.issuer}编制。"
                 f"本报告所列数据的统计期限自{v.year}年1月1日起至{v.year}年12月31日止。"),
        ("heading", "一、概述"),
        ("para", f"{v.year}年，{_short(v.issuer)}认真贯彻落实《条例》，健全工作机制，规范公开程序，"
                 "拓展公开渠道，政府信息公开工作稳步推进。"),
        ("heading", "二、主动公开政府信息情况"),
        ("para", "，".join(parts) + "。公开内容主要包括机构职能、政策法规、规划计划、财政资金、行政许可等类别。"),
        ("heading", "三、依申请公开政府信息情况"),
        ("para", ask),
        ("heading", "四、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("para", f"{v.year}年共发生因政府信息公开申请行政复议、提起行政诉讼{review}件。" if review
         else f"{v.year}年未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"),
        ("heading", "五、存在的主要问题及改进措施"),
        ("para", "工作人员多为兼职，业务水平有待提高。下一步将加强培训，完善制度，进一步提高政府信息公开工作水平。"),
    ]


# ---------------------------------------------------------------- formats


def render_html(rep: Report) -> str:
    """A portal page: navigation, breadcrumb, the article, and the table with &nbsp; for empty cells."""
    v, esc = rep.v, html.escape
    ncol = len(rep.header)
    body = [f"<p>{esc(t)}</p>" if kind == "para" else f"<p><strong>{esc(t)}</strong></p>" for kind, t in rep.paragraphs]
    cells = lambda texts: "".join(f"<td>{esc(t) if t else '&nbsp;'}</td>" for t in texts)  # noqa: E731
    trs = [f"<tr>{''.join(f'<td><strong>{esc(h)}</strong></td>' for h in rep.header)}</tr>"]
    for row in rep.rows:
        if row.heading:
            trs.append(f'<tr><td colspan="{ncol}">{esc(row.label)}</td></tr>')
        else:
            trs.append(f"<tr>{cells([row.label, row.unit, *row.texts])}</tr>")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{esc(_title(v))}_{esc(_short(v.issuer))}门户网站</title></head><body>",
        '<div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a></div>',
        '<div class="position">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 政府信息公开年报</div>',
        f'<div class="article"><h1>{esc(_title(v))}</h1>',
        f'<div class="info">来源：{esc(v.issuer)}　发布时间：{v.year + 1}-03-{10 + v.seed % 18:02d}　'
        '字体：[大 中 小]</div>',
        '<div class="content">', *body,
        f"<p><strong>{esc(rep.table_title)}</strong></p>",
        '<table border="1" cellspacing="0" cellpadding="0" width="600">', *trs, "</table>",
        "</div></div>",
        f'<div class="footer">主办：{esc(v.issuer)}　版权所有　<a href="#">网站地图</a></div>',
        "</body></html>", ""])


def _table_line(rep: Report, joiner: str) -> str:
    parts = [*rep.header]
    for row in rep.rows:
        if row.heading:
            parts.append(row.label)
            continue
        parts += [row.label, row.unit, *(t for t in row.texts if t)]
    return joiner.join(parts)


def render_text(rep: Report, joiner: str) -> str:
    """Page text as a portal saves it: title, paragraphs one per line, the table on one line with cells
    separated by spaces (joiner " ") or run together (joiner "")."""
    lines = [_title(rep.v), *(t for _, t in rep.paragraphs), rep.table_title, _table_line(rep, joiner),
             f"{_short(rep.v.issuer)}", f"{rep.v.year + 1}年3月{10 + rep.v.seed % 18}日", ""]
    return "\n".join(lines)


def render_docx(rep: Report) -> bytes:
    """A Word report: title, headings and paragraphs, then the table as a grid (heading rows merged across)."""
    v = rep.v
    document = docx.Document()
    _style(document)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = _title(v), v.issuer, "nianbao build_legacy_variants.py"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    document.add_paragraph(_title(v), style="Title")
    for kind, text in rep.paragraphs:
        if kind == "heading":
            document.add_paragraph(text, style="Heading 1")
        else:
            document.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # the 附件 starts a page, as in most reports
    for _ in range(v.filler):  # push the table down so that the PDF breaks it over two pages
        document.add_paragraph("")
    document.add_paragraph(rep.table_title, style="Heading 2")
    ncol = len(rep.header)
    table = _new_table(document, len(rep.rows) + 1, ncol)
    for c, text in enumerate(rep.header):
        _put(table, 0, c, text, bold=True)
    for i, row in enumerate(rep.rows, 1):
        if row.heading:
            _put(table, i, 0, row.label, cols=ncol)
            continue
        for c, text in enumerate([row.label, row.unit, *row.texts]):
            _put(table, i, c, text)
    _widths(table, [8.0, 2.2, 2.8, 2.8] if ncol == 4 else [9.0, 2.4, 3.6])
    document.add_paragraph(f"{v.issuer}")
    document.add_paragraph(f"{v.year + 1}年3月{10 + v.seed % 18}日")
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


# ---------------------------------------------------------------- run-together splitting (the spec's rules)


def splits(digits: str) -> list[tuple[int, int]]:
    """Every (year, cumulative) reading of a run of digits: no leading zero unless the bare 0, cumulative ≥
    year (rules 4 and 5)."""
    out = []
    for k in range(1, len(digits)):
        a, b = digits[:k], digits[k:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        if int(b) >= int(a):
            out.append((int(a), int(b)))
    return out


def decide(rep: Report) -> dict[str, list[tuple[int, int]]]:
    """The readings left per row after the deciders of rule 6: the prose's 主动公开 count, the exhaustive
    identities (requests and replies) and the 'of which ≤ total' bound, applied until nothing changes."""
    rows = {r.key: r for r in family_rows(rep.v) if r.key}
    cands = {row.key: splits("".join(row.texts)) for row in rep.rows if not row.heading}
    prose_total = rep.v.prose_total if rep.v.prose_total is not None else rep.truth["tables"][TABLE].get(
        "proactive_total", {}).get(YEAR)
    if "proactive_total" in cands:
        kept = [c for c in cands["proactive_total"] if c[0] == prose_total]
        cands["proactive_total"] = kept or cands["proactive_total"]
    changed = True
    while changed:
        changed = False
        for total in {r.parent for r in rows.values() if r.parent} & cands.keys():
            parts = [k for k, r in rows.items() if r.parent == total and k in cands]
            combos = [(t, ps) for t in cands[total] for ps in itertools.product(*(cands[p] for p in parts))
                      if all(t[i] == sum(p[i] for p in ps) for i in (0, 1))]
            new = {total: sorted({t for t, _ in combos})} | {p: sorted({ps[j] for _, ps in combos})
                                                             for j, p in enumerate(parts)}
            for k, kept in new.items():
                if kept != cands[k]:
                    cands[k], changed = kept, True
        for k, r in rows.items():
            if r.le in cands and k in cands:
                kept = [c for c in cands[k] if any(c[0] <= t[0] and c[1] <= t[1] for t in cands[r.le])]
                tops = [t for t in cands[r.le] if any(c[0] <= t[0] and c[1] <= t[1] for c in cands[k])]
                if kept != cands[k] or tops != cands[r.le]:
                    cands[k], cands[r.le], changed = kept, tops, True
    return cands


def check_run_together(rep: Report) -> dict[str, int]:
    """Assert the run-together table reads as the truth says; return how many rows needed a decider."""
    truth = rep.truth["tables"][TABLE]
    decided = decide(rep)
    needed = 0
    for row in rep.rows:
        if row.heading:
            continue
        if len(splits("".join(row.texts))) > 1:
            needed += 1
        if row.key in rep.v.ambiguous:
            assert len(decided[row.key]) > 1, (rep.v.name, row.key, decided[row.key])
        else:
            want = (truth[row.key][YEAR], truth[row.key][CUM])
            assert decided[row.key] == [want], (rep.v.name, row.key, decided[row.key], want)
    return {"rows": sum(not r.heading for r in rep.rows), "needed_decider": needed}


# ---------------------------------------------------------------- the series


def series_values(variants: list[Variant]) -> dict[int, dict[str, dict[str, Number]]]:
    """Year values per report, and cumulatives chained: cumulative(Y) = cumulative(Y−1) + year(Y), from a
    base before 2011; restarted in SERIES_BREAK. Channels the series never uses (fax, e-mail, other) stay 0
    so the chain survives the change of form in 2014 (信函 + 传真 → 信函、传真)."""
    rng = random.Random(300)
    unused = {"requests_fax", "requests_email", "requests_other"}
    running: dict[str, Number] = {}
    out = {}
    for v in variants:
        rows = family_rows(v)
        year = draw(rng, rows, v.scale)
        for key in unused & year.keys():
            year[key] = 0
        _resum(rows, year)
        if v.year == 2011 or v.year == SERIES_BREAK:
            base = draw(rng, rows, v.scale * (4 if v.year == 2011 else 1))
            for key in unused & base.keys():
                base[key] = 0
            _resum(rows, base)
            running = base
        elif "requests_letter_or_fax" in year and "requests_letter_or_fax" not in running:
            running["requests_letter_or_fax"] = running.get("requests_letter", 0) + running.get("requests_fax", 0)
        cum = {}
        for key, value in year.items():
            prev = running.get(key, 0.0 if isinstance(value, float) else 0)
            cum[key] = round(prev + value, 2) if isinstance(value, float) else prev + value
        running = {**running, **cum}
        out[v.year] = {YEAR: year, CUM: cum}
    return out


def _resum(rows: list[RowSpec], col: dict[str, Number]) -> None:
    """Totals again from their parts after some parts were set to 0."""
    for r in reversed(rows):
        parts = [c.key for c in rows if c.parent == r.key and c.key]
        if r.key and parts:
            col[r.key] = sum(col[p] for p in parts)


# ---------------------------------------------------------------- writing


def write(rep: Report, pdf: bool) -> list[Path]:
    """Write the report's renders and truth; return the files written."""
    v, stem = rep.v, OUT / f"legacy-{rep.v.name}"
    OUT.mkdir(exist_ok=True)
    files = []
    if v.fmt == "html":
        files.append(stem.with_suffix(".html"))
        files[-1].write_text(render_html(rep), encoding="utf-8")
    elif v.fmt in ("spaced", "run"):
        files.append(stem.with_suffix(".txt"))
        files[-1].write_text(render_text(rep, " " if v.fmt == "spaced" else ""), encoding="utf-8")
        if v.fmt == "run":
            rep.truth["run_together"] = check_run_together(rep)
    else:
        files.append(stem.with_suffix(".docx"))
        files[-1].write_bytes(render_docx(rep))
        if pdf:
            to_pdf(files[-1], stem.with_suffix(".pdf"))
            files.append(stem.with_suffix(".pdf"))
    truth_path = stem.with_suffix(".truth.json")
    truth_path.write_text(json.dumps(rep.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [*files, truth_path]


def all_reports() -> list[Report]:
    """Every variant's report, the series with its chained values."""
    reports = [build_report(v) for v in VARIANTS]
    series = series_variants()
    values = series_values(series)
    for v in series:
        rep = build_report(v, {c: values[v.year][c] for c in v.cols})
        rep.truth["series"] = {"issuer": SERIES_ISSUER, "years": [SERIES_YEARS[0], SERIES_YEARS[-1]],
                               "chain": "cumulative(Y) = cumulative(Y-1) + year(Y)", "chain_breaks": [SERIES_BREAK]}
        reports.append(rep)
    return reports


def main(argv: list[str]) -> None:
    names = [a for a in argv if not a.startswith("--")]
    cells = 0
    for rep in all_reports():
        if names and rep.v.name not in names and f"legacy-{rep.v.name}" not in names:
            continue
        files = write(rep, "--no-pdf" not in argv)
        n = sum(len(c) for c in rep.truth["tables"][TABLE].values())
        cells += n
        print(f"{rep.v.name:22} {rep.v.family:5} {rep.v.fmt:7} {n:3} cells  " + " ".join(f.name for f in files))
    print(f"{cells} truth cells")


if __name__ == "__main__":
    main(sys.argv[1:])

