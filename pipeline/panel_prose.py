"""A panel measure the report's form has no cells for, read from its narrative: 全年主动公开政府信息2069条.

The 2019+ forms' 表二 counts rules, documents and decisions, not items published, so `proactive_items`
(the old table's 主动公开信息数) is taken from the prose where a 2019+ report states it. A figure states
the measure for the whole issuer when:

- its clause names the old table's row in the subject lexicon's words (LEGACY_PROSE in schemas/subjects.py,
  the first phrase found must be the measure's row: 主动公开政府信息, 主动公开信息, 主动公开…政府信息);
- it counts items (PROSE_ITEM_UNITS), is exact (not 5500余条) and of this year (no 累计, 同比, 上年, no
  other year named: the words the old-table narrative rule skips);
- it is not a part: no part of the issuer named before it (LEGACY_PROSE_SCOPES: 县直各单位, 各乡镇 …), not a
  listed part of another figure (…，其中…), not one of the row's "of which" parts (schemas/legacy.py: the
  channels 网站 and 政府公报 — 在政府网站平台主动公开政府信息1136条 counts one channel — and 新增规范性文件),
  not a category (机构职能类信息, 其他应主动公开政府信息).

Where the best source states two different such values, the report is ambiguous and the value left
empty: a panel value is never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.checks.clauses import Place, locate
from pipeline.checks.legacy_narrative import NOT_THIS_COUNT, match_phrase, scope_word
from pipeline.csvsafe import dict_rows
from schemas.legacy import LEGACY_ROWS
from schemas.records import FigureRecord
from schemas.subjects import LEGACY_PROSE, PROSE_ITEM_UNITS

FIGURES_FILE = "figures.csv"
_YEAR = re.compile(r"((?:19|20)\d\d)年")
# a category of the items (机构职能类信息); 各类 (every kind) is the whole
_CATEGORY = re.compile(r"(?<!各)类")
_CATCH_ALL = ("其他", "其它")
# what a part's label adds to the part's name (网站公开, 政府公报公开数 -> 网站, 政府公报)
_PART_TAIL = re.compile(r"(公开)?(政府信息)?数?$")


@dataclass(frozen=True)
class ProseValue:
    """A measure's value as the narrative states it, and the figure that states it (the evidence)."""

    value: float
    figure_id: str


def part_words(row: str) -> tuple[str, ...]:
    """The names of the row's "of which" parts, from their labels and aliases in schemas/legacy.py
    (网站公开 -> 网站, 政府公报公开数 -> 政府公报): a figure said of one of them counts a part."""
    words = set()
    for part in LEGACY_ROWS:
        if part.parent == row:
            for label in (part.label, *part.aliases):
                word = _PART_TAIL.sub("", str(label))
                if word and "主动公开" not in word:  # 全文电子化的主动公开信息数 names the row itself
                    words.add(word)
    return tuple(sorted(words, key=len))


def _is_part(fig: FigureRecord, place: Place, parts: tuple[str, ...]) -> bool:
    clause = place.before + place.after
    return bool(fig.part_of or fig.is_catch_all or scope_word(place)
                or place.before.startswith(_CATCH_ALL) or _CATEGORY.search(clause)
                or any(word in place.before for word in parts))


def _this_year(place: Place, year: int | None) -> bool:
    if NOT_THIS_COUNT.search(place.before):
        return False
    return year is None or all(int(y) == year for y in _YEAR.findall(place.before))


def prose_value(figures: list[FigureRecord], row: str, year: int | None) -> ProseValue | None:
    """The value of the old table's ROW that the narrative states for the whole issuer in YEAR, if it
    states exactly one (see the module doc); None where it states none, or two different ones."""
    if not any(p.row == row for p in LEGACY_PROSE):
        return None
    parts = part_words(row)
    places = locate(figures)
    found: dict[float, str] = {}
    for fig in figures:
        place = places.get(fig.figure_id)
        if place is None or fig.approx or fig.unit not in PROSE_ITEM_UNITS:
            continue
        phrase = match_phrase(place)
        if phrase is None or phrase.row != row or not _this_year(place, year) or _is_part(fig, place, parts):
            continue
        found.setdefault(float(fig.value), fig.figure_id)
    if len(found) != 1:
        return None
    value, figure_id = next(iter(found.items()))
    return ProseValue(value, figure_id)


def _figure(row: Mapping[str, str]) -> FigureRecord:
    def number(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return 0.0
    start = row.get("start", "")
    return FigureRecord(
        figure_id=row.get("figure_id", ""), doc_id=row.get("doc_id", ""), category=row.get("category", ""),
        subject=row.get("subject", ""), value=number(row.get("value", "")), unit=row.get("unit", ""),
        approx=row.get("approx", "").lower() == "true", raw=row.get("raw", ""), sentence=row.get("sentence", ""),
        section=row.get("section", ""), page=None, start=int(start) if start.isdigit() else None,
        part_of=row.get("part_of", ""), is_catch_all=row.get("is_catch_all", "").lower() == "true")


def read_figures(out: Path, doc_ids: Iterable[str]) -> dict[str, list[FigureRecord]]:
    """doc_id -> its figures from OUT/figures.csv, for the given documents only (streamed: the memory is
    that of those documents' figures, however large the archive)."""
    wanted = set(doc_ids)
    path = out / FIGURES_FILE
    found: dict[str, list[FigureRecord]] = {}
    if not wanted or not path.exists():
        return found
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in dict_rows(fh):
            if row.get("doc_id", "") in wanted:
                found.setdefault(row["doc_id"], []).append(_figure(row))
    return found


__all__ = ["ProseValue", "part_words", "prose_value", "read_figures"]
