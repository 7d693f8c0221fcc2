"""Render layout variants of the template tables as DOCX (real merged cells) and PDF (LibreOffice),
each with its own consistent random values and a truth file drawn from the same values.

Re-runnable: `python3 corpus/build_variants.py [NAME...] [--no-pdf]` from the repo root writes
corpus/variants/<name>.docx, <name>.pdf and <name>.truth.json. The truth is the generator's input,
never the pipeline's output. See corpus/README.md (section "Layout variants").
"""

from __future__ import annotations

import io
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_corpus import FIXED_TIME, _new_table, _put, _stable_zip, _style, _widths, to_pdf  # noqa: E402

from schemas.template import (  # noqa: E402
    T2_2019,
    T2_2021,
    T3_APPLICANT_COLS,
    T3_ORG_COLS,
    T3_OTHER_ROWS,
    T3_OUTCOME_ROWS,
    T4_GROUPS,
    T4_OUTCOMES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "variants"

Tables = dict[str, dict[str, dict[str, int | float | None]]]


@dataclass(frozen=True)
class Variant:
    """One layout: which template, which table shapes, how cells are written, where pages break."""

    name: str
    seed: int
    issuer: str
    year: int = 2021
    template: str = "2021"  # "2021" (30号) or "2019" (60号)
    single_other: bool = False  # one （六）其他处理 row (other_total) instead of three
    org_subtotal: bool = False  # a 法人或其他组织小计 column after the five organisation columns
    t4_layout: str = "standard"  # standard | two_rows | transposed
    messy: bool = False  # spaced labels, half-width brackets, 1、, 合计, full-width digits, units, blanks
    breaks: str = ""  # "" | repeat | norepeat | split_row: table 3 across a page break in the PDF
    filler: int = 0  # a page break, then short lines before table 3 (tuned so the PDF breaks inside it)
    nudge: float = 0  # extra points above table 3's heading (fine placement of the break)
    renumbered: bool = False  # other section headings and numbering; table 2 bands not merged
    t2_tables: bool = False  # table 2 as four separate tables, one per 第二十条 block
    t4_filler: int = 0  # a page break, then short lines before table 4 (headers and values on two pages)
    t4_landscape: bool = False  # table 4 in a landscape section (a page of its own, wider than high)
    rotate_pages: bool = False  # PDF: landscape pages stored as portrait pages with /Rotate 90
    nbsp_blanks: bool = False  # tables 3/4: zeros written as &nbsp; or empty, some 总计 cells left blank
    change_forms: bool = False  # 2019 table 2: 本年增/减 written as 减少3 / -3 / 增加2 / +2
    t3_label_cols: int = 3  # table 3 row labels in 3 columns (三、|（三）|1.), 2 (（三）|1.) or 1 (heading rows)
    extra_rows: bool = False  # province-added table 3 rows (其中：…, （八）…) that are not template rows
    sparse: bool = False  # whole rows left blank, rows with only 总计 printed, table 4 with only its totals
    cut_headers: bool = False  # header labels cut short by narrow cells: 商业, 科研, 结果 (for 结果维持)
    t4_repeat: bool = False  # table 4's header rows repeated on the page its counts go on to
    zero_forms: tuple[str, ...] = ()  # tables 3/4: zeros printed as these in turn ('0' stays a zero; others blank)
    note: str = ""


VARIANTS = (
    Variant("base-2021", 101, "示范县青山镇人民政府", 2021, note="the seed's layout with non-zero values"),
    Variant("single-other-row", 102, "示范县绿水乡人民政府", 2022, single_other=True,
            note="2021 template, one （六）其他处理 row (other_total)"),
    Variant("template-2019", 103, "示范市自然资源局", 2019, template="2019", single_other=True,
            note="the 2019/2020 form (国办公开办函〔2019〕60号)"),
    Variant("org-subtotal", 104, "示范市人民政府办公室", 2022, org_subtotal=True,
            note="a 法人或其他组织小计 column after the five organisation columns"),
    Variant("t4-two-header-rows", 105, "示范区管理委员会", 2023, t4_layout="two_rows",
            note="table 4 with one row of group headers and one of outcome headers"),
    Variant("t4-transposed", 106, "示范县市场监督管理局", 2023, t4_layout="transposed",
            note="table 4 transposed: group and outcome labels down the rows, counts in one column"),
    Variant("messy-cells", 107, "示范县白云街道办事处", 2022, messy=True,
            note="label and value noise of real reports; zeros as —, -, /, 无 and blank"),
    Variant("page-breaks", 108, "示范市交通运输局", 2022, breaks="repeat", filler=12,
            note="table 3 split mid-group across a page, header rows repeated"),
    Variant("page-breaks-norepeat", 109, "示范市教育局", 2022, breaks="norepeat", filler=12,
            note="table 3 split mid-group across a page, header not repeated"),
    Variant("page-breaks-split-row", 110, "示范市卫生健康委员会", 2022, breaks="split_row",
            filler=5, nudge=28,
            note="a table 3 row (its label cell too) broken across the page"),
    Variant("renumbered", 111, "示范市司法局", 2022, renumbered=True,
            note="other section numbering and headings; table 2 one grid, band rows not merged"),
    Variant("t2-four-tables", 112, "示范县人力资源和社会保障局", 2023, t2_tables=True,
            note="table 2 as four separate tables, one per 第二十条 block"),
    Variant("t4-page-break", 113, "示范县住房和城乡建设局", 2023, filler=1, t4_filler=16,
            note="table 4 across a page break: header rows on one page, the counts on the next"),
    Variant("t3-header-split", 114, "示范县农业农村局", 2023, breaks="norepeat", filler=16,
            note="table 3 breaks inside its three header rows (总计 header on the page before its column)"),
    Variant("t4-landscape", 115, "示范县水利局", 2022, t4_landscape=True, t3_label_cols=2,
            note="table 4 on a landscape page; table 3 labels in two columns (（三）不予公开 | 1.属于国家秘密)"),
    Variant("t4-rotated", 118, "示范县林业局", 2021, t4_landscape=True, rotate_pages=True,
            note="table 4 on a landscape page stored as a portrait page turned by /Rotate 90"),
    Variant("t3-nbsp-blanks", 116, "示范区发展和改革委员会", 2019, template="2019", single_other=True,
            nbsp_blanks=True, change_forms=True,
            note="2019 form: zeros as &nbsp;/empty cells, 总计 left blank beside non-zero parts; 减少3 / +2"),
    Variant("t3-one-label-col", 117, "示范县商务局", 2023, t3_label_cols=1, extra_rows=True,
            note="table 3 labels in one column with heading rows; province-added rows 其中：…, 9.其他, （八）其他"),
    Variant("split-row-label", 122, "示范县退役军人事务局", 2022, breaks="split_row", filler=9, nudge=44,
            note="a table 3 row and its labels running across a page break (（四）无 / 法提供, 1.本机关不掌握相关政府信 / 息)"),
    Variant("sparse-rows", 119, "示范县统计局", 2022, sparse=True,
            note="whole rows left blank (表二 and 表三), 表三 rows of zeros printing only 总计 0, 表四 with only "
                 "its three group totals"),
    Variant("cut-headers", 120, "示范县民政局", 2022, cut_headers=True,
            note="header labels cut short by narrow cells: 商业, 科研, 社会/公益, 法律服务, spaced 自 然 人; "
                 "表四 结果 for 结果维持"),
    # the issuer of the legacy-series-2011..2018 reports (build_legacy_variants.py) under the new forms:
    # one issuer across the old table, the 2019 form and the 2021 form
    Variant("series-2019", 123, "示范综合实验区管委会", 2019, template="2019", single_other=True,
            note="the legacy series' issuer in 2019: the 2019/2020 form"),
    Variant("series-2021", 124, "示范综合实验区管委会", 2021,
            note="the legacy series' issuer in 2021: the 2021 form"),
    Variant("t4-page-break-repeat", 121, "示范县城市管理局", 2023, filler=1, t4_filler=14, t4_repeat=True,
            note="table 4's header rows at a page foot, its counts on the next page under the header repeated"),
)


# ---------------------------------------------------------------- values


def _t2_values(rng: random.Random, v: Variant) -> dict[str, dict[str, int | float | None]]:
    """Table 2 values; counts of a few rows run into the thousands (thousands separators)."""
    if v.template == "2019":
        rows: dict[str, dict[str, int | float | None]] = {}
        for key in ("rules", "normative_docs"):
            made = rng.randint(1, 40)
            rows[key] = {"new_made": made, "new_published": rng.randint(1, made),
                         "total_public": made + rng.randint(5, 300)}
        for key in ("licensing", "other_external_services", "penalty", "coercion"):
            rows[key] = {"prev_year_items": rng.randint(5, 400), "change": rng.choice([-3, -1, 2, 4, 7]),
                         "decisions": rng.randint(1, 2500)}
        rows["fees"] = {"prev_year_items": rng.randint(1, 30), "change": rng.choice([-2, 1, 3])}
        amount = round(rng.randint(100000, 9000000) + rng.randint(0, 99) / 100, 2)
        rows["central_procurement"] = {"items": rng.randint(3, 90), "amount_yuan": amount}
        return rows
    rows = {}
    for key in ("rules", "normative_docs"):
        force = rng.randint(5, 60)
        rows[key] = {"issued": rng.randint(1, 9), "repealed": rng.randint(1, 5), "in_force": force}
    rows["licensing"] = {"decisions": rng.randint(1000, 9000)}
    rows["penalty"] = {"decisions": rng.randint(20, 1500)}
    rows["coercion"] = {"decisions": rng.randint(1, 30)}
    rows["fees"] = {"amount_10k_yuan": round(rng.randint(100, 99999) / 100, 2)}
    return rows


def _t3_rows(v: Variant) -> tuple[str, ...]:
    others = ("other_total",) if v.single_other else T3_OTHER_ROWS
    return ("new_received", "carried_over", *T3_OUTCOME_ROWS, *others, "handled_total", "carried_forward")


def _t3_values(rng: random.Random, v: Variant) -> dict[str, dict[str, int | float | None]]:
    """Table 3 per applicant column: outcomes drawn, then 总计, 结转 and 新收 from the balance identity."""
    outcome_rows = [r for r in _t3_rows(v) if r not in ("new_received", "carried_over", "handled_total",
                                                       "carried_forward")]
    zero_share = 0.45 if v.messy else 0.25
    cols: dict[str, dict[str, int]] = {}
    for col in T3_APPLICANT_COLS:
        top = 25 if col == "natural_person" else 6
        values = {r: 0 if rng.random() < zero_share or (v.sparse and r in _SPARSE_ZERO_ROWS) else rng.randint(1, top)
                  for r in outcome_rows}
        handled = sum(values.values())
        forward = rng.randint(0 if v.messy else 1, 4)
        over = rng.randint(0 if v.messy else 1, min(handled + forward, 5))
        values.update(handled_total=handled, carried_forward=forward, carried_over=over,
                      new_received=handled + forward - over)
        cols[col] = values
    table: dict[str, dict[str, int | float | None]] = {}
    for row in _t3_rows(v):
        cells: dict[str, int | float | None] = {c: cols[c][row] for c in T3_APPLICANT_COLS}
        if v.org_subtotal:
            cells["org_subtotal"] = sum(cols[c][row] for c in T3_ORG_COLS)
        cells["total"] = sum(cols[c][row] for c in T3_APPLICANT_COLS)
        table[row] = cells
    return table


_BLANK_TOTAL_ROWS = ("granted", "denied_third_party", "rejected_duplicate")
# sparse: table 3 rows with nothing to report; of those, the ones left wholly blank (the rest print 总计 0 only)
_SPARSE_ZERO_ROWS = ("denied_state_secret", "denied_prohibited_by_law", "denied_security_stability",
                     "denied_enforcement_file", "unable_needs_creation", "rejected_publication",
                     "rejected_excessive", "other_fee_unpaid")
_SPARSE_BLANK_ROWS = ("denied_prohibited_by_law", "denied_enforcement_file", "rejected_excessive")
_SPARSE_BLANK_T2 = ("normative_docs", "coercion")  # table 2 rows left wholly blank


def _t4_values(rng: random.Random, v: Variant) -> dict[str, dict[str, int | float | None]]:
    """Table 4: per group four outcomes and their 总计."""
    cells: dict[str, int | float | None] = {}
    for group in T4_GROUPS:
        parts = [0 if v.sparse or rng.random() < (0.4 if v.messy else 0.2) else rng.randint(1, 6) for _ in range(4)]
        for outcome, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"{group}_{outcome}"] = n
        cells[f"{group}_total"] = sum(parts)
    return {"cases": cells}


def draw_values(v: Variant) -> Tables:
    """Consistent random values for all three tables, from the variant's fixed seed."""
    rng = random.Random(v.seed)
    return {"t2_active": _t2_values(rng, v), "t3_requests": _t3_values(rng, v),
            "t4_review_litigation": _t4_values(rng, v)}


# ---------------------------------------------------------------- cell text


@dataclass
class Writer:
    """Turns values into printed cell text; in messy mode varies the form and records blank cells."""

    v: Variant
    rng: random.Random
    blanks: list[str] = field(default_factory=list)
    zero_forms: tuple[str, ...] = ("—", "-", "/", "无", "", "0")
    _zero: int = 0

    def text(self, ref: str, value: int | float | None, tables: Tables) -> str:
        """Printed text for one cell; a zero printed as a blank form becomes None/blank in `tables`."""
        if isinstance(value, float):
            return f"{value:.2f}"
        assert value is not None
        if self.v.nbsp_blanks and not ref.startswith("t2_"):
            return self.nbsp_text(ref, value, tables)
        if self.v.sparse:
            return self.sparse_text(ref, value, tables)
        if self.v.zero_forms and value == 0 and not ref.startswith("t2_"):
            return self.zero_text(ref, self.v.zero_forms, tables)
        if self.v.change_forms and ref.endswith(".change"):
            return ("减少" if value < 0 else "增加") + str(abs(value)) if self.rng.random() < 0.5 else f"{value:+d}"
        if not self.v.messy:
            return str(value)
        if value == 0:
            return self.zero_text(ref, self.zero_forms, tables)
        roll = self.rng.random()
        if value >= 1000:
            return f"{value:,}"
        if value > 0 and roll < 0.2:
            return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        if value > 0 and roll < 0.3:
            return f"{value}件"
        return str(value)


    def zero_text(self, ref: str, forms: tuple[str, ...], tables: Tables) -> str:
        """The next of FORMS for a zero; any form but "0" prints the cell blank, so the truth holds None."""
        form = forms[self._zero % len(forms)]
        self._zero += 1
        if form != "0":
            table, row, col = ref.split(".")
            tables[table][row][col] = None
            self.blanks.append(ref)
        return form

    def sparse_text(self, ref: str, value: int, tables: Tables) -> str:
        """Whole rows blank, rows of zeros printing only 总计 0, table 4 printing only its group totals."""
        table, row, col = ref.split(".")
        if table == "t2_active":
            blank = row in _SPARSE_BLANK_T2
        elif table == "t4_review_litigation":
            blank = value == 0 and not col.endswith("_total")
        else:
            blank = row in _SPARSE_ZERO_ROWS and (row in _SPARSE_BLANK_ROWS or col != "total")
        if not blank:
            return str(value)
        tables[table][row][col] = None
        self.blanks.append(ref)
        return ""

    def nbsp_text(self, ref: str, value: int, tables: Tables) -> str:
        """Zeros as &nbsp; or an empty cell; a few 总计 cells left blank beside non-zero parts (as printed)."""
        _, row, col = ref.split(".")
        blank = value == 0 or (col == "total" and row in _BLANK_TOTAL_ROWS)
        if not blank:
            return str(value)
        table = ref.split(".")[0]
        tables[table][row][col] = None
        self.blanks.append(ref)
        self._zero += 1
        return "\u00a0" if self._zero % 2 else ""


_MESSY_LABELS = {
    "（一）予以公开": "(一)予 以 公 开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）":
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "（三）不予公开": "(三)不予公开",
    "（四）无法提供": "(四) 无法提供",
    "（五）不予处理": "(五)不予处理",
    "（六）其他处理": "(六)其他处理",
    "（七）总计": "(七)合计",
    "三、本年度办理结果": "三、办理结果",
    "2.其他法律行政法规禁止公开": "2、其他法律行政止公开",
    "一、本年新收政府信息公开申请数量": "一、本年新收政府信息 公开申请数量",
    "总计": "合计",
    "行政规范性文件": "行政规范性 文件",
    "第二十条第（一）项": "第二十条第(一)项",
    "第二十条第（六）项": "第二十条第(六)项",
}


def label(v: Variant, text: str) -> str:
    """A printed label, with the messy variant's noise."""
    if not v.messy:
        return text
    if text in _MESSY_LABELS:
        return _MESSY_LABELS[text]
    if len(text) > 2 and text[0].isdigit() and text[1] == ".":
        return text[0] + "、" + text[2:]
    return text


# ---------------------------------------------------------------- table 2


def _t2_blocks(v: Variant) -> list[tuple[str, list[str], list[str]]]:
    """(band label, column keys, row keys) per 第二十条 block, from the template spec."""
    spec = T2_2019 if v.template == "2019" else T2_2021
    blocks: list[tuple[str, list[str], list[str]]] = []
    for row in spec.rows:
        cols = list(spec.cols_of(row.key))
        if blocks and blocks[-1][0] == row.group and blocks[-1][1] == cols:
            blocks[-1][2].append(row.key)
        else:
            blocks.append((row.group, cols, [row.key]))
    return blocks


def table2(document, v: Variant, tables: Tables, w: Writer) -> None:
    """Table 2 as one grid: a band row per block, its header row, then its rows (the seed's layout).

    Renumbered: band rows are not merged (the band label sits in the first cell, the rest are empty).
    """
    spec = T2_2019 if v.template == "2019" else T2_2021
    blocks = _t2_blocks(v)
    if v.t2_tables:  # one table per block, an empty paragraph between them
        for i, block in enumerate(blocks):
            if i:
                document.add_paragraph()
            _t2_grid(document, v, tables, w, spec, [block])
        return
    _t2_grid(document, v, tables, w, spec, blocks)


def _t2_grid(document, v: Variant, tables: Tables, w: Writer, spec, blocks: list) -> None:
    """One grid holding the given table 2 blocks: band row, header row, rows."""
    width = 4
    table = _new_table(document, sum(2 + len(rows) for _, _, rows in blocks), width)
    r = 0
    for band, cols, rows in blocks:
        _put(table, r, 0, label(v, band), cols=1 if v.renumbered else width, bold=True)
        header = ["信息内容"] + [spec.col(c).label for c in cols]
        for c, text in enumerate(header):
            last = c == len(header) - 1
            _put(table, r + 1, c, label(v, text), cols=width - c if last else 1, bold=True)
        for i, key in enumerate(rows):
            cells = [label(v, spec.row(key).label)]
            cells += [w.text(f"t2_active.{key}.{c}", tables["t2_active"][key][c], tables) for c in cols]
            for c, text in enumerate(cells):
                last = c == len(cells) - 1
                _put(table, r + 2 + i, c, text, cols=width - c if last else 1, bold=c == 0)
        r += 2 + len(rows)
    _widths(table, [4.4, 3.6, 3.6, 3.6])


# ---------------------------------------------------------------- table 3

_GROUP_LABELS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "rejected": "（五）不予处理",
                 "other": "（六）其他处理"}
_ITEM_LABELS = {
    "denied_state_secret": "1.属于国家秘密", "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”", "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息", "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷", "denied_admin_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息", "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确", "rejected_petition": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请", "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_reconfirm": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
}
_LINE_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "other_total": "（六）其他处理", "handled_total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
_ORG_LABELS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_CUT_ORG_LABELS = ("商业", "科研", "社会\n公益", "法律服务", "其他")  # narrow cells: the rest of each label cut off


def _repeat_header(table, n: int) -> None:
    """Mark the first n rows as header rows Word repeats on every page (w:tblHeader)."""
    for tr in table._tbl.tr_lst[:n]:
        tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cant_split(table, rows: range) -> None:
    """Keep these rows whole on one page (w:cantSplit)."""
    for tr in table._tbl.tr_lst[rows.start:rows.stop]:
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


_EXTRA_ROWS = {"new_received": "其中：通过网络提交的申请", "denied_admin_query": "9.其他",
               "handled_total": "（八）其他"}


def _t3_lines(v: Variant) -> list[tuple[str, str | None]]:
    """Table 3 body rows: (row key or "" for a label-only/extra row, its printed label when it has one)."""
    lines: list[tuple[str, str | None]] = []
    group = ""
    for row in _t3_rows(v):
        prefix = row.split("_")[0] if row in _ITEM_LABELS else ""
        if v.t3_label_cols < 3 and row == "granted":
            lines.append(("", "三、本年度办理结果"))
        if v.t3_label_cols == 1 and prefix and prefix != group:
            lines.append(("", _GROUP_LABELS[prefix]))
        group = prefix
        lines.append((row, None))
        if v.extra_rows and row in _EXTRA_ROWS:
            lines.append(("extra:" + row, _EXTRA_ROWS[row]))
    return lines


def table3(document, v: Variant, tables: Tables, w: Writer) -> None:
    """Table 3: three header rows, labels in 3/2/1 merged columns, applicant columns (+ 小计) and 总计."""
    cols = [*T3_APPLICANT_COLS, *(["org_subtotal"] if v.org_subtotal else []), "total"]
    lines = _t3_lines(v)
    n_org = len(T3_ORG_COLS) + (1 if v.org_subtotal else 0)
    lab = v.t3_label_cols
    width = lab + len(cols)
    table = _new_table(document, 3 + len(lines), width)
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    _put(table, 0, 0, note, rows=3, cols=lab, bold=True)
    _put(table, 0, lab, "申请人情况", cols=width - lab - 1, bold=True)
    _put(table, 0, width - 1, label(v, "总计"), rows=3, bold=True)
    _put(table, 1, lab, "自 然 人" if v.cut_headers else "自然人", rows=2, bold=True)
    _put(table, 1, lab + 1, "法人或其他组织", cols=n_org, bold=True)
    orgs = _CUT_ORG_LABELS if v.cut_headers else _ORG_LABELS
    for i, org in enumerate(orgs + (("小计",) if v.org_subtotal else ())):
        _put(table, 2, lab + 1 + i, org, bold=True)
    rng = random.Random(v.seed)
    for i, (row, _) in enumerate(lines):
        if row and not row.startswith("extra:"):
            for c, col in enumerate(cols):
                ref = f"t3_requests.{row}.{col}"
                _put(table, 3 + i, lab + c, w.text(ref, tables["t3_requests"][row][col], tables))
        elif row:  # a province-added row with its own numbers (not in the truth)
            parts = [rng.randint(0, 3) for _ in T3_APPLICANT_COLS]
            for c, n in enumerate(parts + [sum(parts)]):
                _put(table, 3 + i, lab + c, str(n))
    rows = [row for row, _ in lines]
    outcome = [i for i, row in enumerate(rows) if row in T3_OUTCOME_ROWS + T3_OTHER_ROWS
               + ("other_total", "handled_total")]
    for i, (row, text) in enumerate(lines):
        r = 3 + i
        if text is not None:
            _put(table, r, 0, label(v, text), cols=lab)
        elif row in ("new_received", "carried_over", "carried_forward") or lab == 1:
            _put(table, r, 0, label(v, _LINE_LABELS.get(row) or _ITEM_LABELS[row]), cols=lab)
        elif row in _LINE_LABELS:
            _put(table, r, lab - 2, label(v, _LINE_LABELS[row]), cols=2)
        else:
            _put(table, r, lab - 1, label(v, _ITEM_LABELS[row]))
    if lab == 3:
        _put(table, 3 + outcome[0], 0, label(v, "三、本年度办理结果"), rows=outcome[-1] - outcome[0] + 1)
    if lab >= 2:
        for prefix, text in _GROUP_LABELS.items():
            items = [3 + i for i, row in enumerate(rows) if row.startswith(prefix + "_") and row != "other_total"]
            if items:
                _put(table, items[0], lab - 2, label(v, text), rows=len(items))
    if v.breaks == "repeat":
        _repeat_header(table, 3)
    if v.breaks != "split_row":
        _cant_split(table, range(0, 3 + len(lines)))
    else:  # a row may break across pages and so may the lines of its cells' paragraphs
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.widow_control = False
    label_cm = {3: ([1.3, 1.8, 4.2], [1.2, 1.6, 3.9]), 2: ([2.2, 5.1], [2.0, 4.7]), 1: ([7.3], [6.7])}[lab]
    _widths(table, label_cm[0] + [1.2] * 7 if len(cols) == 7 else label_cm[1] + [1.1] * 8)


# ---------------------------------------------------------------- table 4

_T4_GROUP_PRINT = {"review": "行政复议", "suit": "未经复议直接起诉", "post_review_suit": "复议后起诉"}


def _t4_cell(v: Variant, tables: Tables, w: Writer, key: str) -> str:
    return w.text(f"t4_review_litigation.cases.{key}", tables["t4_review_litigation"]["cases"][key], tables)


def table4(document, v: Variant, tables: Tables, w: Writer) -> None:
    """Table 4 in the variant's layout: standard (3 header rows), two header rows, or transposed."""
    outcomes = list(T4_OUTCOMES.items())
    keys = [f"{g}_{o}" for g in T4_GROUPS for o, _ in outcomes]

    def head(text: str) -> str:
        if v.cut_headers and text == T4_OUTCOMES["upheld"]:
            return text[:2]  # 结果维持 in a cell too narrow for its second line: 结果
        return label(v, text) if text == "总计" else text[:2] + "\n" + text[2:]

    if v.t4_layout == "transposed":
        table = _new_table(document, 1 + len(keys), 3)
        _put(table, 0, 0, "类别", bold=True)
        _put(table, 0, 1, "结果", bold=True)
        _put(table, 0, 2, "案件数", bold=True)
        for g, group in enumerate(T4_GROUPS):
            text = "行政复议" if group == "review" else f"行政诉讼（{_T4_GROUP_PRINT[group]}）"
            _put(table, 1 + 5 * g, 0, text, rows=5, bold=True)
            for o, (outcome, printed) in enumerate(outcomes):
                _put(table, 1 + 5 * g + o, 1, printed)
                _put(table, 1 + 5 * g + o, 2, _t4_cell(v, tables, w, f"{group}_{outcome}"))
        _widths(table, [5.0, 4.0, 3.0])
        return
    if v.t4_layout == "two_rows":
        table = _new_table(document, 3, 15)
        for g, group in enumerate(T4_GROUPS):
            text = "行政复议" if group == "review" else f"行政诉讼—{_T4_GROUP_PRINT[group]}"
            _put(table, 0, 5 * g, text, cols=5, bold=True)
        for c, key in enumerate(keys):
            _put(table, 1, c, head(T4_OUTCOMES[key.rsplit("_", 1)[1]]), bold=True)
            _put(table, 2, c, _t4_cell(v, tables, w, key))
        _widths(table, [1.05] * 15)
        return
    if v.t4_repeat:  # the header rows alone at the page foot, then header and counts on the next page
        _t4_standard(document, v, tables, w, head, keys, counts=False)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _t4_standard(document, v, tables, w, head, keys, counts=True)


def _t4_standard(document, v: Variant, tables: Tables, w: Writer, head: Callable, keys: list[str],
                 counts: bool) -> None:
    """Table 4's three header rows (行政复议 | 行政诉讼 over 未经复议直接起诉 / 复议后起诉) and its counts."""
    outcomes = list(T4_OUTCOMES.items())
    table = _new_table(document, 4 if counts else 3, 15)
    _put(table, 0, 0, "行政复议", cols=5, bold=True)
    _put(table, 0, 5, "行政诉讼", cols=10, bold=True)
    for c, (_, printed) in enumerate(outcomes):
        _put(table, 1, c, head(printed), rows=2, bold=True)
    _put(table, 1, 5, "未经复议直接起诉", cols=5, bold=True)
    _put(table, 1, 10, "复议后起诉", cols=5, bold=True)
    for c, (_, printed) in enumerate(outcomes * 2):
        _put(table, 2, 5 + c, head(printed), bold=True)
    if counts:
        for c, key in enumerate(keys):
            _put(table, 3, c, _t4_cell(v, tables, w, key))
    if v.t4_filler:
        _cant_split(table, range(0, 4 if counts else 3))
    _widths(table, [1.05] * 15)


# ---------------------------------------------------------------- document

_FILLER = ("本机关坚持以公开为常态、不公开为例外，围绕中心工作做好政府信息公开，"
           "及时更新政府网站栏目，加强政策解读与回应关切，规范依申请公开办理流程，按时答复申请人。")


def _para(document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = Pt(28)


def _sections(v: Variant) -> list[tuple[str, Callable | None]]:
    """(heading, table renderer or None for narrative) in the variant's order and numbering."""
    if v.renumbered:
        return [("一、概述", None), ("二、政府信息公开工作开展情况", None),
                ("三、主动公开情况统计", table2), ("四、依申请公开情况统计", table3),
                ("五、复议诉讼情况统计", table4), ("六、问题与改进", None), ("七、其他事项", None)]
    return [("一、总体情况", None), ("二、主动公开政府信息情况", table2),
            ("三、收到和处理政府信息公开申请情况", table3),
            ("四、政府信息公开行政复议、行政诉讼情况", table4),
            ("五、存在的主要问题及改进情况", None), ("六、其他需要报告的事项", None)]


def _orient(document, landscape: bool) -> None:
    """Start a new section (a new page) in landscape or portrait orientation."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = sorted((section.page_width, section.page_height), reverse=landscape)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height


def build_docx(v: Variant) -> tuple[bytes, Tables, list[str]]:
    """The variant's DOCX, its values (blank-written zeros as None) and its blank cell refs."""
    tables = draw_values(v)
    writer = Writer(v, random.Random(v.seed * 7919))
    document = docx.Document()
    _style(document)
    title = f"{v.issuer}{v.year}年政府信息公开工作年度报告"
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, v.issuer, "nianbao build_variants.py"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    document.add_paragraph(title, style="Title")
    order = "国办公开办函〔2019〕60号" if v.template == "2019" else "国办公开办函〔2021〕30号"
    _para(document, f"根据《中华人民共和国政府信息公开条例》和{order}要求，现公布{title}。"
                    f"本报告统计数据从{v.year}年1月1日至{v.year}年12月31日。")
    for heading, renderer in _sections(v):
        fill = v.filler if renderer is table3 else v.t4_filler if renderer is table4 else 0
        if fill:  # a new page, then short lines to place the table's break
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        paragraph = document.add_paragraph(heading, style="Heading 1")
        if renderer is table3 and v.nudge:
            paragraph.paragraph_format.space_before = Pt(v.nudge)
        if renderer is None:
            _para(document, f"{v.year}年，{v.issuer}{_FILLER}")
            continue
        if fill:
            for i in range(fill):
                _para(document, f"（{i + 1}）本机关持续推进政务公开标准化规范化。")
        if renderer is table4 and v.t4_landscape:
            _orient(document, landscape=True)
        renderer(document, v, tables, writer)
        if renderer is table4 and v.t4_landscape:
            _orient(document, landscape=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue()), tables, writer.blanks


def truth_of(v: Variant, tables: Tables, blanks: list[str]) -> dict:
    """The truth file: every cell's value (None for a blank) and which cells are blank. A variant printing
    总计 blank beside non-zero parts is `partial`, its notes naming those cells: blank needs evidence, and
    the table's own parts say a number belongs there."""
    out = {"name": v.name, "note": v.note, "title": f"{v.issuer}{v.year}年政府信息公开工作年度报告",
           "issuer": v.issuer, "year": v.year, "template": v.template, "tables": tables,
           "blank_cells": sorted(blanks)}
    if v.nbsp_blanks:
        t3 = tables["t3_requests"]
        gaps = [f"t3_requests.{row}.total" for row, cols in t3.items()
                if cols.get("total") is None and any(n for k, n in cols.items() if k != "total")]
        out |= {"status": "partial", "notes": gaps}
    return out


def rotate_landscape(path: Path) -> None:
    """Store each landscape page as a portrait page whose content is turned, shown upright by /Rotate 90."""
    from pypdf import PdfWriter, Transformation  # a test dependency, needed only here
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=str(path))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if width > height:
            page.add_transformation(Transformation().rotate(90).translate(height, 0))
            page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
            page.rotation = 90
    writer.write(str(path))


def build(v: Variant, pdf: bool = True) -> None:
    """Write <name>.docx, <name>.truth.json and (with LibreOffice) <name>.pdf."""
    OUT.mkdir(exist_ok=True)
    data, tables, blanks = build_docx(v)
    path = OUT / f"{v.name}.docx"
    path.write_bytes(data)
    truth = json.dumps(truth_of(v, tables, blanks), ensure_ascii=False, indent=1)
    (OUT / f"{v.name}.truth.json").write_text(truth + "\n", encoding="utf-8")
    if pdf:
        to_pdf(path, OUT / f"{v.name}.pdf")
        if v.rotate_pages:
            rotate_landscape(OUT / f"{v.name}.pdf")
    print(f"wrote corpus/variants/{v.name}.*")


def main(argv: list[str]) -> None:
    names = [a for a in argv if not a.startswith("-")]
    for v in VARIANTS:
        if not names or v.name in names:
            build(v, pdf="--no-pdf" not in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
