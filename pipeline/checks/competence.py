"""Legal competence: what a body of its level cannot have done under the law (立法法 on 规章)."""

from __future__ import annotations

from collections.abc import Iterator

import regex as re

from extractors.metadata import admin_level
from pipeline.checks import bounds
from pipeline.checks.engine import Context, cell_value, flag, fmt, rule
from schemas.records import FlagRecord
from schemas.template import T2, T2_2021, T2_IN_FORCE, T2_MADE_COLS, T2_NORMATIVE_DOCS, T2_RULES

RULE = "competence.rules_not_made_at_level"
# 立法法: 规章 are made by the State Council's departments (部门规章) and by the people's governments of
# provinces, autonomous regions, municipalities, cities with districts and autonomous prefectures
# (地方政府规章). A township, a county (incl. 市辖区, 县级市), a development zone's 管委会, and their
# departments have no such power. The article number depends on the revision in force in the report year.
NO_RULE_MAKING = ("township", "county", "zone")
ARTICLES: tuple[tuple[int, str], ...] = (  # (first report year, citation), newest first
    (2023, "《立法法》（2023年修正）第九十三条"),  # in force from 2023-03-15
    (2015, "《立法法》（2015年修正）第八十二条"),
    (0, "《立法法》（2000年）第七十三条"),
)
# the places a department's name starts with: 淮安市洪泽区 in 淮安市洪泽区生态环境局
_PLACE = re.compile(r"^(?:[\p{Han}]{1,8}?(?:省|自治区|自治州|市|州|盟|县|区|旗|镇|乡|街道|苏木))+")
_CELL_WORDS = {T2_IN_FORCE: "现行有效"}


def article(year: int | None) -> str:
    """The 立法法 article on who makes 规章, as it stood in the report's year."""
    return next(text for first, text in ARTICLES if (year or 9999) >= first)


def rule_making_level(issuer: str, level: str) -> str:
    """The level whose competence counts: a department's is that of the government it belongs to."""
    if level != "department":
        return level
    place = _PLACE.match(issuer or "")
    return admin_level(place.group(0) + "人民政府") if place else level


@rule(RULE, "乡镇（街道）、县级、开发区机关及其部门不能制定规章：表二“规章”制发或现行有效数非零疑为“规章制度”",
      explanation="立法法 (2023: art. 93 and 91; 2015: art. 82 and 80): 规章 are made only by the State "
                  "Council's departments and by the people's governments of provinces, autonomous regions, "
                  "municipalities, cities with districts and autonomous prefectures. When the document's "
                  "admin_level is township, county or zone — or it is a department whose name starts with "
                  "such a place (淮安市洪泽区生态环境局 → county) — a non-zero 表二 规章 本年制发 / 本年新制作 "
                  "or 现行有效 cell is a warning naming the likely confusion with internal 规章制度 (or "
                  "行政规范性文件). Prefectures, provinces, and departments of unknown level are left alone.",
      example="县政府表二“规章”现行有效 3 → warning; 淮安市人民政府 规章 1 / 11 → no flag")
def rules_not_made_at_level(ctx: Context) -> Iterator[FlagRecord]:
    doc = ctx.document
    level = rule_making_level(doc.issuer, doc.admin_level)
    if level not in NO_RULE_MAKING:
        return
    cells = [c for col in (*T2_MADE_COLS, T2_IN_FORCE) if (c := ctx.cell(T2, T2_RULES, col)) is not None
             and (cell_value(c) or 0) > 0]
    if not cells:
        return
    stated = "、".join(f"{_CELL_WORDS.get(c.col_key, c.col_label or '本年制发')}{fmt(cell_value(c))}件"
                      for c in cells)
    message = (f"表二“规章”填报{stated}，但{bounds.level_name(level)}机关及其部门无权制定规章"
               f"（{article(doc.year)}：规章由国务院部门和省、自治区、直辖市、设区的市、自治州人民政府制定）；"
               f"疑将本机关内部“规章制度”计入“规章”，或应填入“{T2_2021.row(T2_NORMATIVE_DOCS).label}”")
    yield flag(ctx, RULE, "warning", message, [c.ref for c in cells], expected=0,
               found=sum(cell_value(c) or 0 for c in cells), page=cells[0].page,
               evidence="；".join(f"{c.row_label}·{c.col_label or c.col_key}={c.raw}" for c in cells))
