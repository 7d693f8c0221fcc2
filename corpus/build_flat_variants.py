"""Render the template tables as text the way portal pages are saved: pipe rows, markdown tables, one
cell per line, tab rows in traditional script, and cells run together; each with a truth file.

Values come from a committed layout variant's truth (`base-2021`, `template-2019`: the generator's
input there), with some zero cells printed as blank markers (/ — - 无), which become blank cells.
Re-runnable: `python3 corpus/build_flat_variants.py [NAME...]` from the repo root writes
corpus/variants/<name>.txt and <name>.truth.json. See corpus/README.md ("Text variants").
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.template import T2_2019, T2_2021, T3_SPEC, T4_GROUPS, T4_OUTCOMES, T4_SPEC  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "variants"
BLANK_MARKS = ("/", "—", "-", "无")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

Tables = dict[str, dict[str, dict[str, int | float | None]]]
Grid = list[list[str]]


@dataclass(frozen=True)
class TextVariant:
    """One way of saving a report as text: the values it borrows, how rows print, what else differs."""

    name: str
    source: str  # the layout variant whose truth gives the values
    style: str  # tab | innertext | pipe | padded | markdown | box | lines | spaced | merged
    note: str
    blank_every: int = 0  # every n-th zero cell of tables 3 and 4 printed as a blank marker
    traditional: bool = False
    commas: bool = False  # 1,234 for counts of four digits and more
    fullwidth: bool = False  # every other number in full-width digits
    repeat_t3_header: bool = False  # table 3's header rows printed again before （四）无法提供
    overrides: dict[str, dict[str, dict[str, int | float]]] = field(default_factory=dict)
    narrative: str = ""  # a sentence added to 一、总体情况
    notes: dict[str, str] = field(default_factory=dict)  # table.row.col -> a note printed after the value
    tables_last: bool = False  # narrative sections first, then the tables under headings of their own
    footers: bool = False  # page footers (— 1 —) between table rows, as a converter of a paged original leaves
    cut_after: str = ""  # the text ends after this table-3 row (a crawler's cut-off page): no later row, no 表四


VARIANTS = (
    TextVariant("flat-pipe-rows", "base-2021", "pipe", blank_every=3, repeat_t3_header=True,
                note="pipe rows (| 规章 | 0 | 0 | 0 |), zeros every third as / — - 无, table 3 header repeated"),
    TextVariant("flat-markdown", "template-2019", "markdown", blank_every=2,
                note="2019 form as markdown tables (|---| rule under each header row), blank markers"),
    TextVariant("flat-cell-per-line", "base-2021", "lines", blank_every=4, commas=True, fullwidth=True,
                note="a browser's save-as-text of HTML tables: each label and number on its own line; "
                     "1,234 and full-width digits; table 4 as 15 lines of counts"),
    TextVariant("flat-traditional", "single-other-row", "tab", blank_every=3, traditional=True,
                note="traditional script (繁體) with tab-separated cells, one 其他处理 row, blank markers"),
    TextVariant("flat-spaced", "template-2019", "spaced", blank_every=3, commas=True, repeat_t3_header=True,
                note="2019 form, one row per line with cells separated by spaces (a page's text with the tabs "
                     "gone), table 3 header repeated mid-table, 2,004 with commas, blank markers"),
    TextVariant("flat-box-drawing", "org-subtotal", "box", blank_every=2,
                note="box-drawing tables (┌─┬─┐, │ cells, ├─┼─┤ rules) with a 小计 column, blank markers"),
    TextVariant("flat-innertext", "template-2019", "innertext", blank_every=3,
                note="a browser's copy of the page (innerText): tab-separated cells, line breaks inside "
                     "header and long label cells (结果\\n维持), 2019 form, blank markers"),
    TextVariant("flat-padded-header", "base-2021", "padded", blank_every=3, repeat_t3_header=True,
                note="pipe rows padded unevenly, as portal exports of tables with a row-spanned label column "
                     "leave them: header rows one empty cell more at the left, body rows one at the right "
                     "(column positions shifted by one between header and body), blank markers"),
    TextVariant("md-converter", "base-2021", "converter", blank_every=3, tables_last=True, footers=True,
                notes={"t2_active.normative_docs.issued": "（其中修订3件）", "t3_requests.granted.total": "（含部分）"},
                note="a PDF-to-markdown converter's output: narrative first, tables after renumbered headings; "
                     "table 3 as one markdown table per row group under placeholder headers (项目 | 数据1 … 数据7), "
                     "notes inside cells (8（其中修订3件）), page footers (— 2 —) between rows; table 4 as one "
                     "row of 15 counts under a collapsed header (行政复议行政诉讼)"),
    TextVariant("md-converter-2019", "template-2019", "converter-bare", blank_every=2, footers=True,
                note="a converter's markdown of the 2019 form: table 3 split per row group with no header row "
                     "(an empty header and its rule) and no 总计 label, tables in place; table 4 as 15 counts "
                     "separated by spaces in one cell under a collapsed header"),
    TextVariant("md-converter-subtotal", "org-subtotal", "converter", blank_every=4, tables_last=True,
                note="a converter's markdown with a 小计 column: placeholder headers 数据1 … 数据8"),
    TextVariant("cut-t3-rows", "base-2021", "pipe", blank_every=3, cut_after="partially_granted",
                note="a portal excerpt cut off by a crawler inside table 3: new_received to partially_granted "
                     "(values and blanks) are there, every later row and table 4 are not"),
    TextVariant("cut-t3-denied", "template-2019", "tab", blank_every=2, cut_after="denied_third_party",
                note="a portal excerpt cut off inside table 3's （三）不予公开 block, tab-separated"),
    TextVariant("cut-t3-spaced", "base-2021", "spaced", blank_every=3, cut_after="granted",
                note="a portal excerpt cut off inside table 3, cells separated by spaces (the tabs gone): "
                     "three rows of table 3 with values and blanks, then nothing"),
    TextVariant("cut-t3-merged", "base-2021", "merged", cut_after="partially_granted",
                overrides={"t2_active": {"normative_docs": {"issued": 77, "repealed": 13, "in_force": 2470},
                                         "rules": {"issued": 1, "repealed": 0, "in_force": 8}}},
                narrative="本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。",
                note="a portal excerpt cut off inside table 3 with its cells run together"),
    TextVariant("flat-merged", "base-2021", "merged",
                overrides={"t2_active": {"normative_docs": {"issued": 77, "repealed": 13, "in_force": 2470},
                                         "rules": {"issued": 1, "repealed": 0, "in_force": 8}},
                           "t4_review_litigation": {"cases": {
                               "review_upheld": 6, "review_corrected": 6, "review_other": 0, "review_pending": 4,
                               "review_total": 16, "suit_upheld": 0, "suit_corrected": 6, "suit_other": 6,
                               "suit_pending": 4, "suit_total": 16, "post_review_suit_upheld": 0,
                               "post_review_suit_corrected": 6, "post_review_suit_other": 5,
                               "post_review_suit_pending": 1, "post_review_suit_total": 12}}},
                narrative="本年度制发的规范性文件77件，废止13件，现行有效规范性文件2470件。",
                note="cells run together as in a flattened portal page (规范性文件77132470, table 4 as one run "
                     "of 15 numbers); the narrative decides table 2's merged row"),
)


# ---------------------------------------------------------------- the tables as grids of cell text


@dataclass
class Printer:
    """Cell text for values: blank markers for chosen zeros (recorded), commas, full-width digits."""

    v: TextVariant
    tables: Tables
    blanks: list[str] = field(default_factory=list)
    _zeros: int = 0
    _numbers: int = 0

    def cell(self, table: str, row: str, col: str) -> str:
        ref = f"{table}.{row}.{col}"
        value = self.tables[table][row][col]
        if value is None or (value == 0 and table != "t2_active" and self._blank_zero()):
            self.tables[table][row][col] = None
            self.blanks.append(ref)
            mark = BLANK_MARKS[len(self.blanks) % len(BLANK_MARKS)]
            return mark
        if isinstance(value, float):
            text = f"{value:.2f}"
        elif self.v.commas and value >= 1000:
            text = f"{value:,}"
        else:
            text = str(value)
        self._numbers += 1
        if self.v.fullwidth and self._numbers % 2:
            text = text.translate(FULLWIDTH)
        return text + self.v.notes.get(ref, "")

    def _blank_zero(self) -> bool:
        if not self.v.blank_every:
            return False
        self._zeros += 1
        return self._zeros % self.v.blank_every == 0


def table2(p: Printer, template: str) -> Grid:
    """Table 2: per 第二十条 block, its band, its header row, then its rows (labels from the spec)."""
    spec = T2_2019 if template == "2019" else T2_2021
    grid: Grid = []
    shown: tuple[str, tuple[str, ...]] | None = None
    for row in spec.rows:
        cols = spec.cols_of(row.key)
        if shown != (row.group, cols):
            grid.append([row.group])
            grid.append(["信息内容", *(spec.col(c).label for c in cols)])
            shown = (row.group, cols)
        grid.append([row.label, *(p.cell(spec.key, row.key, c) for c in cols)])
    return grid


def _t3_header(cols: list[str]) -> Grid:
    """The three header rows as a text export leaves them: spanned cells once, no padding."""
    orgs = [T3_SPEC.col(c).label for c in cols if c not in ("natural_person", "total")]
    return [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", T3_SPEC.col("total").label],
            [T3_SPEC.col("natural_person").label, "法人或其他组织"], orgs]


def table3(p: Printer, v: TextVariant) -> Grid:
    """Table 3 as a text export of the HTML grid leaves it: a row-spanned label only on its first row."""
    table = p.tables[T3_SPEC.key]
    cols = [c.key for c in T3_SPEC.cols if c.key in table["new_received"]]
    grid = _t3_header(cols)
    seen: set[str] = set()
    for spec in T3_SPEC.rows:
        if spec.key not in table:
            continue
        if v.repeat_t3_header and spec.key == "unable_not_held":
            grid += _t3_header(cols)
        labels = []
        if spec.key not in ("new_received", "carried_over", "carried_forward") and "outcome" not in seen:
            labels.append("三、本年度办理结果")
            seen.add("outcome")
        if spec.group and spec.group not in seen:
            labels.append(spec.group)
            seen.add(spec.group)
        grid.append([*labels, spec.label, *(p.cell(T3_SPEC.key, spec.key, c) for c in cols)])
    return grid


def table4(p: Printer) -> Grid:
    """Table 4 with the seed's three header rows and its 15 counts."""
    review, suit, post = T4_GROUPS.values()
    outcomes = list(T4_OUTCOMES.values())
    return [[review, suit.split("·")[0]],
            [*outcomes, suit.split("·")[1], post.split("·")[1]],
            [*outcomes, *outcomes],
            [p.cell(T4_SPEC.key, "cases", c.key) for c in T4_SPEC.cols]]


# ---------------------------------------------------------------- a converter's markdown


def _md_table(header: list[str], rows: Grid) -> list[str]:
    width = max(len(header), *(len(r) for r in rows))
    out = ["| " + " | ".join(header + [""] * (width - len(header))) + " |", "|" + "---|" * width]
    return out + ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]


FOOTER = "— {} —"


def converter_t2(p: Printer, template: str) -> list[str]:
    """Table 2 as a converter leaves it: each 第二十条 block a markdown table of its own under its title."""
    spec = T2_2019 if template == "2019" else T2_2021
    out: list[str] = []
    block: tuple[str, tuple[str, ...]] | None = None
    rows: Grid = []
    header: list[str] = []
    for row in spec.rows:
        cols = spec.cols_of(row.key)
        if block != (row.group, cols):
            if rows:
                out += _md_table(header, rows) + [""]
            out.append(f"**{row.group}**")
            header, rows, block = ["信息内容", *(spec.col(c).label for c in cols)], [], (row.group, cols)
        rows.append([row.label, *(p.cell(spec.key, row.key, c) for c in cols)])
    return out + _md_table(header, rows)


def converter_t3(p: Printer, v: TextVariant, page: list[int]) -> list[str]:
    """Table 3 as one markdown table per row group: two label columns (the group's label on its first row
    only), placeholder headers 数据1 … 数据N (or none at all), a page footer inside one group."""
    table = p.tables[T3_SPEC.key]
    cols = [c.key for c in T3_SPEC.cols if c.key in table["new_received"]]
    bare = v.style == "converter-bare"
    header = ["", "", *[""] * len(cols)] if bare else ["项目", "子项", *(f"数据{i + 1}" for i in range(len(cols)))]
    groups: list[tuple[str, Grid]] = []
    for spec in T3_SPEC.rows:
        if spec.key not in table:
            continue
        key = spec.group or spec.key
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        first = not groups[-1][1]
        label = (spec.group if first and spec.group else "") if spec.group else spec.label
        sub = spec.label if spec.group else ""
        groups[-1][1].append([label, sub, *(p.cell(T3_SPEC.key, spec.key, c) for c in cols)])
    out: list[str] = []
    for i, (_, rows) in enumerate(groups):
        if v.footers and len(rows) > 4:  # a page ends inside this group: the rest is a table of its own
            page[0] += 1
            out += _md_table(header, rows[:3]) + ["", FOOTER.format(page[0]), ""] + _md_table(header, rows[3:])
        else:
            out += _md_table(header, rows)
        if i + 1 < len(groups):
            out.append("")
    return out


def converter_t4(p: Printer, v: TextVariant) -> list[str]:
    """Table 4 as one row of 15 counts under a header collapsed into one cell."""
    review, suit = T4_GROUPS["review"], T4_GROUPS["suit"].split("·")[0]
    counts = [p.cell(T4_SPEC.key, "cases", c.key) for c in T4_SPEC.cols]
    if v.style == "converter-bare":
        return _md_table([review + suit], [[" ".join(counts)]])
    return _md_table([review + suit], [counts])


def build_converter(v: TextVariant, p: Printer, template: str) -> list[tuple[str, list[str]]]:
    """The three tables' headings and markdown lines."""
    page = [1]
    return [("二、主动公开政府信息情况", converter_t2(p, template)),
            ("三、收到和处理政府信息公开申请情况", converter_t3(p, v, page)),
            ("四、政府信息公开行政复议、行政诉讼情况", converter_t4(p, v))]


# ---------------------------------------------------------------- styles


def _trim(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def cut(grid: Grid, v: TextVariant, p: Printer) -> Grid:
    """Table 3 cut off after the row v.cut_after (its later rows dropped from the truth too)."""
    if not v.cut_after:
        return grid
    table = p.tables[T3_SPEC.key]
    keys = [r.key for r in T3_SPEC.rows if r.key in table]
    kept = keys[:keys.index(v.cut_after) + 1]
    for key in keys[len(kept):]:
        del table[key]
    p.blanks[:] = [b for b in p.blanks if not b.startswith(T3_SPEC.key) or b.split(".")[1] in kept]
    return grid[:3 + len(kept) + (3 if v.repeat_t3_header and "unable_not_held" in kept else 0)]


def tab_lines(grid: Grid) -> list[str]:
    return ["\t".join(row) for row in grid]


def _wrapped(cell: str) -> str:
    """A cell's text as innerText gives it when the cell breaks lines (<br>): 结果\n维持, label\n（note）."""
    if cell.startswith(("结果", "其他结果", "尚未")) and len(cell) == 4:
        return cell[:2] + "\n" + cell[2:]
    if "（区分" in cell:
        return cell.replace("（区分", "\n（区分")
    if len(cell) > 24:
        return cell[:14] + "\n" + cell[14:]
    return cell


def innertext_lines(grid: Grid) -> list[str]:
    """A browser's innerText / copy of the tables: tabs between cells, cells with line breaks in them."""
    return "\n".join("\t".join(_wrapped(c) for c in row) for row in grid).split("\n")


def pipe_lines(grid: Grid) -> list[str]:
    return ["| " + " | ".join(_trim(row)) + " |" for row in grid]


def _is_body(row: list[str]) -> bool:
    """A row with a number or a blank marker in it (a header row has words only)."""
    return any(c and (c in BLANK_MARKS or c.replace(",", "").replace(".", "").isdigit()) for c in row)


def padded_lines(grid: Grid) -> list[str]:
    """Pipe rows padded unevenly: an empty cell before each header row's cells, one after each body row's."""
    return ["| " + " | ".join(["", *_trim(row)] if not _is_body(row) else [*_trim(row), ""]) + " |"
            for row in grid]


def markdown_lines(grid: Grid) -> list[str]:
    """A markdown table: every row padded to the widest, the |---| rule under the first."""
    width = max(len(r) for r in grid)
    out = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in grid]
    return [out[0], "|" + "---|" * width, *out[1:]]


def cell_lines(grid: Grid) -> list[str]:
    return [cell for row in grid for cell in row if cell]


def box_lines(grid: Grid) -> list[str]:
    """A box-drawing table (as some converters draw HTML tables): │ between cells, ├─┼─┤ between rows."""
    rule = "─" * 6
    width = max(len(_trim(r)) for r in grid)
    out = ["┌" + "┬".join([rule] * width) + "┐"]
    for i, row in enumerate(grid):
        out.append("│ " + " │ ".join(_trim(row)) + " │")
        out.append(("├" + "┼".join([rule] * width) + "┤") if i + 1 < len(grid) else
                   "└" + "┴".join([rule] * width) + "┘")
    return out


def spaced_lines(grid: Grid) -> list[str]:
    return [" ".join(cell for cell in row if cell) for row in grid]


def merged_lines(grid: Grid) -> list[str]:
    return ["".join("".join(row) for row in grid)]


STYLES: dict[str, Callable[[Grid], list[str]]] = {
    "tab": tab_lines, "pipe": pipe_lines, "padded": padded_lines, "markdown": markdown_lines, "lines": cell_lines, "merged": merged_lines,
    "spaced": spaced_lines, "box": box_lines, "innertext": innertext_lines}

_FILLER = ("本机关坚持以公开为常态、不公开为例外，围绕中心工作做好政府信息公开，"
           "及时更新政府网站栏目，加强政策解读与回应关切，规范依申请公开办理流程，按时答复申请人。")


def build_text(v: TextVariant) -> tuple[str, dict]:
    """The variant's text and its truth."""
    source = json.loads((OUT / f"{v.source}.truth.json").read_text(encoding="utf-8"))
    tables: Tables = copy.deepcopy(source["tables"])
    for table, rows in v.overrides.items():
        for row, cells in rows.items():
            tables[table][row].update(cells)
    p = Printer(v, tables)
    style = STYLES.get(v.style, tab_lines)
    year, issuer, template = source["year"], source["issuer"], source["template"]
    title = f"{issuer}{year}年政府信息公开工作年度报告"
    lines = [title, f"根据《中华人民共和国政府信息公开条例》要求，现公布{title}。本报告统计数据从{year}年1月1日至"
                    f"{year}年12月31日。", "一、总体情况", f"{year}年，{issuer}{_FILLER}{v.narrative}"]
    if v.style.startswith("converter"):
        sections = build_converter(v, p, template)
    else:
        grids = [("二、主动公开政府信息情况", table2(p, template)), ("三、收到和处理政府信息公开申请情况", cut(table3(p, v), v, p)),
                 ("四、政府信息公开行政复议、行政诉讼情况", table4(p))]
        sections = [(h, style(g)) for h, g in grids]
    if v.cut_after:
        sections = sections[:2]  # the page ends inside table 3
        del tables["t4_review_litigation"]
        p.blanks[:] = [b for b in p.blanks if not b.startswith("t4_")]
    later: list[str] = []
    for n, (heading, body) in enumerate(sections):
        if v.tables_last:  # the narrative's section points at the table, printed after the narrative
            lines += [heading, f"具体情况见附表{'一二三'[n]}。"]
            later += ["", f"## 附表{'一二三'[n]}：{heading[2:]}", "", *body]
        elif v.style == "merged":
            lines += [heading + body[0], *body[1:]]
        else:
            lines += [heading, *body]
    if v.cut_after:
        text = "\n".join(lines) + "\n"
        truth = {"name": v.name, "note": v.note, "title": title, "issuer": issuer, "year": year,
                 "template": template, "status": "partial", "tables": tables, "blank_cells": sorted(p.blanks)}
        return text, truth
    lines += ["五、存在的主要问题及改进情况", f"{year}年，{issuer}{_FILLER}", "六、其他需要报告的事项", "无。", *later]
    text = "\n".join(lines) + "\n"
    if v.traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    truth = {"name": v.name, "note": v.note, "title": title, "issuer": issuer, "year": year,
             "template": template, "tables": tables, "blank_cells": sorted(p.blanks)}
    return text, truth


def build(v: TextVariant) -> None:
    text, truth = build_text(v)
    (OUT / f"{v.name}.txt").write_text(text, encoding="utf-8")
    (OUT / f"{v.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    print(f"wrote corpus/variants/{v.name}.txt")


def main(argv: list[str]) -> None:
    for v in VARIANTS:
        if not argv or v.name in argv:
            build(v)


if __name__ == "__main__":
    main(sys.argv[1:])
