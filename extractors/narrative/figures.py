"""Narrative figures: counted amounts in the report's prose (491条, 2090余万元, 50万余人次) as FigureRecords.

A figure is a number with a counting unit; dates, years, phone numbers, postcodes, document numbers, law
articles, ordinals, ages, addresses and hotline names are not. A count in 万/亿 with no unit word
('播放量超2300万') is a figure with unit '' only where its clause says what is counted. Each figure carries
its subject, section, sentence and offsets, and breakdowns ('共…491条，其中…5条，…') link their parts to the total.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex as re

from extractors.narrative.numbers import CN_DIGITS, CN_NUMERAL_CHARS, parse_number, scale, to_halfwidth
from extractors.narrative.sections import (
    Heading,
    SectionIndex,
    SpanIndex,
    find_headings,
    split_breakdown_scopes,
    split_sentences,
)
from extractors.narrative.subjects import is_generic, own_subject, subject_of
from schemas.document import Document, Table
from schemas.legacy import LEGACY_SPEC
from schemas.records import FigureRecord
from schemas.subjects import STRUCTURAL_AFTER, structural
from schemas.template import table_markers

# unit as printed -> (category, what may not follow it: the unit character is then part of a word)
UNITS: dict[str, tuple[str, str]] = {
    "个百分点": ("percent", ""),
    "人次": ("person_times", ""),
    "户次": ("households", ""),
    "剂次": ("doses", ""),
    "场次": ("times", ""),
    "平方米": ("area", ""),
    "公顷": ("area", ""),
    "%": ("percent", ""),
    "元": ("money", "旦宵素"),
    "户": ("households", "籍口外型主"),
    "人": ("people", "民员大口才事群身们类工为均"),
    "名": ("people", "单称义录额"),
    "条": ("items", "例款文目"),
    "篇": ("items", ""),
    "件": ("cases", "事"),
    "起": ("cases", "草诉来步止始"),
    "份": ("cases", "额"),
    "亩": ("area", ""),
    "剂": ("doses", "量型"),
    "次": ("times", "性序"),
    "场": ("times", "所地景馆"),
    "轮": ("times", "换岗流胎椅值训廓番子船"),
    "期": ("other", "间限满末刊"),
    "个": ("other", "月人体别性案工小"),
    "项": ("other", "目"),
    "家": ("other", "庭属长人乡"),
    "笔": ("other", "记录试"),
    "通": ("other", "知过报讯道畅"),
    "批": ("other", "准复次示评"),
    "所": ("other", "属在有以谓"),
    "台": ("other", "账风湾阶"),
    "套": ("other", "餐"),
    "部": ("other", "门署分长委"),
    "册": ("other", ""),
    "张": ("other", "贴挂"),
    "宗": ("other", "旨教"),
    "辆": ("other", ""),
}
# Chinese numerals count only with these units ('三次', '两千余人'); '五个一律', '三项制度' are names
_CN_UNITS = {"次", "场", "场次", "轮", "人", "人次", "户", "件", "条", "份", "篇", "元", "期", "亩", "批", "起"}
_ITEM_WORDS = re.compile(r"文件|信息|政策|公文|稿件|公告|公报|解读|规章|通知(?!书)|简报|动态|目录|指南")
_CASE_WORDS = re.compile(r"申请|复议|诉讼|投诉|举报|案件|处罚|诉求|信访|建议|提案|咨询")
_MESSAGE_WORDS = re.compile(r"短信|留言|私信|彩信")

_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = rf"[{CN_NUMERAL_CHARS}]+"
_UNIT_RE = "|".join(
    re.escape(u) + (f"(?![{stop}])" if stop else "")
    for u, (_, stop) in sorted(UNITS.items(), key=lambda kv: -len(kv[0])))
_PRE = r"大约|将近|接近|超过|突破|约|近|逾|超"
_FIGURE = re.compile(
    rf"(?P<pre>{_PRE})?\s*"
    rf"(?P<num>{_AR}|{_CN})"
    rf"(?:\s*(?:-|~|～|—|至|到)\s*(?P<num2>{_AR}|{_CN}))?"
    rf"\s*(?P<a1>余|多)?\s*(?P<mult>千万|百万|十万|万|亿|千)?\s*(?P<a2>余|多)?\s*"
    rf"(?P<unit>{_UNIT_RE})"
    rf"(?P<a3>\s*(?:左右|以上|余))?")
# '播放量超2300万', '用户已突破550万': a count in 万/亿 with no unit word, only where the clause says what is
# counted; unit '' (nothing printed: plays, followers and accounts are not people or times), category other
_BARE = re.compile(
    rf"(?P<pre>{_PRE})?\s*(?P<num>{_AR})\s*(?P<a1>余|多)?\s*(?P<mult>万|亿)\s*(?P<a2>余|多)?"
    rf"(?P<a3>\s*(?:左右|以上))?(?=[\s，,、；;：:。！？!?）)]|$)")
_BARE_CONTEXT = re.compile(r"量|数|用户|粉丝|访问|播放|阅读|浏览|点击|关注|订阅|下载|观看|突破|超过|超|达|逾")

_CN_BLOCKERS = set("第每前后上下这那同单唯统逐进之其某几数任哪初")
_AR_BLOCKERS = set("-/@.:#_&=?~")
_DELIMS = "，,、；;：:。！？!?（(）)\n"
# labels of the template tables; prose that holds several of them is a table flattened into text
# (the template's own markers, and the headers of any statistics table: the pre-2019 table's)
_TABLE_MARKERS = (*table_markers(), *LEGACY_SPEC.header_words)


@dataclass
class _Found:
    """A figure found in one text, before it gets its id."""

    start: int  # offset in the scanned text
    end: int
    value: float | int
    unit: str
    category: str
    approx: bool
    raw: str
    subject: str
    sentence: str
    scope: int  # index of the full sentence (breakdown scope)
    part_of: int | None = None  # index into the found list of the same text
    is_catch_all: bool = False


class _CharIndex:
    """Where the characters of a set stand in one text, for the nearest one before or after an offset in
    O(log n): `str.rfind`/`find` per figure scan the whole text when a character is absent (a report on
    one line has no line break), which made figure scanning grow with the square of the text."""

    def __init__(self, text: str, chars: str) -> None:
        self.positions = [m.start() for m in _char_class(chars).finditer(text)]
        self.length = len(text)

    def last_before(self, offset: int) -> int:
        """The last position < offset, -1 when none (as max(text.rfind(c, 0, offset) for c in chars))."""
        i = bisect_left(self.positions, offset)
        return self.positions[i - 1] if i else -1

    def first_from(self, offset: int) -> int:
        """The first position >= offset, len(text) when none."""
        i = bisect_left(self.positions, offset)
        return self.positions[i] if i < len(self.positions) else self.length

    def count(self, start: int, end: int) -> int:
        """How many positions lie in [start, end) (as text[start:end].count(c) summed over chars)."""
        return bisect_left(self.positions, end) - bisect_left(self.positions, start)


@lru_cache(maxsize=16)
def _char_class(chars: str) -> re.Pattern[str]:
    """A pattern matching any one of chars, compiled once per set (every text is indexed by the same few)."""
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


@dataclass
class _Index:
    """One scanned text's character indexes, and its figures by breakdown scope (in list order)."""

    lines: _CharIndex  # 。 and line breaks: where a title 《…》 could open
    delims: _CharIndex  # _DELIMS: where a clause starts
    breaks: _CharIndex  # _CLAUSE_BREAK: ；
    brackets: dict[str, _CharIndex]  # 《 》 〔 〕: is a number inside a title or a document number?
    by_scope: dict[int, list[int]]


def _index(text: str) -> _Index:
    return _Index(_CharIndex(text, "。\n"), _CharIndex(text, _DELIMS), _CharIndex(text, _CLAUSE_BREAK),
                  {c: _CharIndex(text, c) for c in "《》〔〕"}, {})


def _value(m: re.Match[str], groups: dict[str, str | None]) -> float | int | None:
    first = parse_number(m.group("num"))
    num2 = groups.get("num2")
    second = parse_number(num2) if num2 else None
    value = second if second is not None else first
    if value is None:
        return None
    return scale(value, m.group("mult") or "")


def _last_solid(text: str, i: int) -> str:
    """The last non-space character before offset i ('' when none), as text[:i].rstrip()[-1:]."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i > 0 else ""


def _blocked(text: str, m: re.Match[str], index: _Index) -> bool:
    """True when the number is not a count: an ordinal, part of a code, a date, an idiom, a title."""
    num = m.group("num")
    i = m.start("num")
    prev = text[i - 1] if i > 0 else ""
    prev_solid = _last_solid(text, i)
    if prev_solid == "第":
        return True
    if num[0] in CN_NUMERAL_CHARS:
        if prev in _CN_BLOCKERS or m.group("unit") not in _CN_UNITS:
            return True
        if num == "一" or not (any(c in CN_DIGITS for c in num) or num.startswith("十")):
            return True
    elif prev and (prev.isascii() and (prev.isalnum() or prev in _AR_BLOCKERS)):
        return True
    # a number inside a document title 《…》 or a document number 〔…〕
    # (counted in the line before it from the bracket indexes: a slice of a line with no break is the text)
    line_start = index.lines.last_before(i) + 1
    inside = {c: at.count(line_start, i) for c, at in index.brackets.items()}
    return inside["《"] > inside["》"] or inside["〔"] > inside["〕"]


def _category(unit: str, subject: str, text: str, context: tuple[int, int]) -> str:
    """A figure's category by its unit, and by its subject or the words of its full sentence up to it
    (context: their offsets, sliced only where read: a text with no sentence end is one sentence)."""
    if not unit:
        return "other"
    category = UNITS[unit][0]
    if unit == "条" and _MESSAGE_WORDS.search(subject or text[context[0]:context[1]]):
        return "messages"
    if unit in ("件", "份", "起") and _ITEM_WORDS.search(subject) and not _CASE_WORDS.search(subject):
        return "items"
    return category


def _clause_before(text: str, start: int, floor: int, index: _Index) -> str:
    """The text from the last delimiter (or the sentence start) to start, after its last 其中."""
    clause = text[max(floor, index.delims.last_before(start) + 1):start]
    if "其中" in clause:
        clause = clause.rsplit("其中", 1)[1]
    return clause


def _words_after(text: str, end: int) -> str:
    j = end
    while j < len(text) and j - end < 16 and text[j] not in _DELIMS:
        j += 1
    return text[end:j]


def _is_table_text(sentence: str) -> bool:
    """A template table flattened into prose: its labels run on without the commas of a sentence."""
    markers = sum(marker in sentence for marker in _TABLE_MARKERS)
    return markers >= 2 and sentence.count("，") + sentence.count(",") < markers


_CLAUSE_BREAK = "；;"
_TOTAL_CUE = re.compile(r"共|合计|总计|累计")
_NUMERIC_CELL = re.compile(r"[\d.,%\s\-—/无]*")
_PROSE_PUNCTUATION = re.compile(r"[。，；]")


def _link(found: list[_Found], k: int, total: int) -> None:
    found[k].part_of = total
    found[k].is_catch_all = found[k].subject.startswith(("其他", "其它"))


_OF_WHICH = re.compile(r"其中")
_INCLUDING = re.compile(r"[，,：:]?\s*(?:包括|包含)[：:]?")


def _marks(text: str, found: list[_Found]) -> list[int]:
    """Where part lists begin: every 其中, and a 包括/包含 right after a figure ('32条,包括领导信息类1条、…')."""
    ends = {f.end for f in found}
    marks = [m.start() for m in _OF_WHICH.finditer(text)]
    for m in _INCLUDING.finditer(text):
        if m.start() in ends:
            marks.append(m.end() - 1)
    return sorted(marks)


def _clause_followers(found: list[_Found], k: int, index: _Index) -> list[int]:
    """Figures after k in its ；-clause, in k's unit and full sentence."""
    end = index.breaks.first_from(found[k].end)
    return [j for j in index.by_scope[found[k].scope] if j > k and found[j].start < end
            and found[j].unit == found[k].unit]


def _opens_total(text: str, found: list[_Found], k: int, index: _Index) -> bool:
    """A figure after a ； that heads its own list: '…；诉讼46件，结果维持25件，结果纠正5件，…9件，…7件'."""
    head = index.breaks.last_before(found[k].start)
    if head < 0 or any(found[j].start > head for j in index.by_scope[found[k].scope] if j < k
                       and found[j].unit == found[k].unit):
        return False  # not the first figure of its ；-clause
    if _TOTAL_CUE.search(text[head:found[k].start]):
        return True
    followers = _clause_followers(found, k, index)
    return len(followers) >= 2 and abs(sum(found[j].value for j in followers) - found[k].value) < 1e-6


def _depth(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    return sum(piece.count(c) for c in "（(") - sum(piece.count(c) for c in "）)")


def _nest(text: str, found: list[_Found], mark: int, parts: list[int]) -> None:
    """'预决算公开197条（政府预决算32条、部门预决算公开165条）': bracketed parts belong to the part before."""
    depths = {k: _depth(text, mark, found[k].start) for k in parts}
    top = min(depths.values())
    for n, k in enumerate(parts):
        if depths[k] > top:
            parents = [j for j in parts[:n] if depths[j] == depths[k] - 1]
            if parents:
                _link(found, k, parents[-1])


def _heads_next_only(found: list[_Found], total: int, parts: list[int]) -> bool:
    """The last figure before the next 其中 heads the next list ('共收到申请30件，其中…10件，办结28件，其中…')
    rather than also closing this one ('…政策解读2条，其中图文解读1条'): without it the parts make the
    total, or only with it do they exceed it."""
    full = sum(found[k].value for k in parts)
    short = full - found[parts[-1]].value
    whole = found[total].value
    return abs(short - whole) < 1e-6 or (full > whole + 1e-6 and short <= whole + 1e-6)


# two parts of one list say the same thing of different bodies: they end alike
# ('县直各单位主动公开政府信息1397条' / '各乡镇主动公开政府信息534条')
_PARALLEL_TAIL = 4


def _parallel(a: str, b: str) -> bool:
    return len(a) >= _PARALLEL_TAIL and len(b) >= _PARALLEL_TAIL and a[-_PARALLEL_TAIL:] == b[-_PARALLEL_TAIL:] \
        and a != b


def _continue_next(found: list[_Found], total: int, parts: list[int], index: _Index) -> None:
    """'…2069条。其中…1592条，占76.9%。各乡镇…477条': the next sentence completes the list: exactly, or
    with parts that say the same as the last listed one of another body (各乡镇主动公开政府信息534条), whether
    or not they add up (a slip in the sum is what the parts check is for)."""
    listed = [k for k in parts if found[k].part_of == total]
    if not listed or found[total].approx:
        return
    missing = found[total].value - sum(found[k].value for k in listed)
    nxt = found[listed[-1]].scope + 1
    last = found[listed[-1]].subject
    taken: list[int] = []
    for j in index.by_scope.get(nxt, []):
        f = found[j]
        if f.unit != found[total].unit or f.part_of is not None or f.approx:
            continue
        if not _parallel(last, f.subject) and f.value > missing + 1e-6:
            break
        taken.append(j)
        missing -= f.value
        if abs(missing) < 1e-6:
            break
    if taken and (abs(missing) < 1e-6 or all(_parallel(last, found[k].subject) for k in taken)):
        for k in taken:
            _link(found, k, total)


def _link_breakdowns(text: str, found: list[_Found], index: _Index) -> None:
    """'共…X条，其中A…a条，…，其他…c条': parts (same unit, after 其中, same full sentence) point to the total.

    A part list ends where the next 其中 of the sentence begins (the figure just before it is the next
    total), or at a ； that opens a new total ('复议351件，其中…37件；诉讼46件，…'). Bracketed parts belong
    to the part before the bracket; a list the next sentence completes to the total is linked too.
    """
    marks = _marks(text, found)
    index.by_scope.clear()
    for k, f in enumerate(found):
        index.by_scope.setdefault(f.scope, []).append(k)
    by_start = sorted((f.start, k) for k, f in enumerate(found))
    starts = [s for s, _ in by_start]
    first_end = min((f.end for f in found), default=len(text) + 1)
    for n, pos in enumerate(marks):
        limit = marks[n + 1] if n + 1 < len(marks) else len(text)
        # the figures starting in [pos, limit), in list order (as a scan of the whole list would give)
        after = sorted(k for _, k in by_start[bisect_left(starts, pos):bisect_left(starts, limit)])
        if first_end > pos or not after:  # no figure ends before the mark, or none follows it
            continue
        scope = found[after[0]].scope
        parts = [k for k in after if found[k].scope == scope]
        same_scope = [k for k in index.by_scope[scope] if found[k].end <= pos]
        # '…共70个。其中微博29个' : the total closes the previous sentence
        candidates = same_scope or [k for k in index.by_scope.get(scope - 1, []) if found[k].end <= pos]
        if not parts or not candidates:
            continue
        unit = found[parts[0]].unit
        totals = [k for k in candidates if found[k].unit == unit]
        if not totals:
            continue
        total = totals[-1]
        parts = [k for k in parts if found[k].unit == unit and k != total]
        for n_part, k in enumerate(parts[1:], start=1):
            if _opens_total(text, found, k, index):
                for j in _clause_followers(found, k, index):
                    if found[j].part_of is None:
                        _link(found, j, k)
                parts = parts[:n_part]
                break
        else:
            if limit < len(text) and parts and any(found[k].start >= limit for k in index.by_scope[scope]) \
                    and _heads_next_only(found, total, parts):
                parts = parts[:-1]  # the next breakdown's total
        parts = [k for k in parts if found[k].part_of is None]
        if not parts:
            continue
        for k in parts:
            _link(found, k, total)
        _nest(text, found, pos, parts)
        _continue_next(found, total, parts, index)


def _matches(norm: str, index: _Index) -> list[re.Match[str]]:
    """Figure matches in text order: numbers with a unit, and bare 万/亿 counts in a counting context."""
    found = list(_FIGURE.finditer(norm))
    for m in _BARE.finditer(norm):
        floor = index.delims.last_before(m.start()) + 1
        if _BARE_CONTEXT.search(norm[floor:m.start("num")]):
            found.append(m)
    return sorted(found, key=lambda m: m.start())


def scan_text(text: str) -> list[_Found]:
    """All figures of one text (a document's text or a prose table cell), in order."""
    norm = to_halfwidth(text)
    return _scan(text, norm, find_headings(norm))


def _scan(text: str, norm: str, headings: list[Heading]) -> list[_Found]:
    """scan_text of a text, its half-width form and that form's section headings.

    Work per figure stays within its clause: the sentence and scope around it are sliced once each (a
    text with no sentence end is one sentence), never per figure."""
    sentences = SpanIndex(split_sentences(norm, headings))
    scopes = SpanIndex(split_breakdown_scopes(norm, headings))
    index = _index(norm)
    table_text: dict[int, bool] = {}  # per breakdown scope: a flattened template table?
    printed: dict[int, str] = {}  # per sentence: its text as printed
    found: list[_Found] = []
    base = ""  # the last specific subject in this full sentence
    for m in _matches(norm, index):
        if _blocked(norm, m, index):
            continue
        groups = m.groupdict()
        value = _value(m, groups)
        if value is None:
            continue
        scope_index = scopes.index_at(m.start("num"))
        scope = scopes.spans[scope_index]
        if scope_index not in table_text:
            table_text[scope_index] = _is_table_text(norm[scope.start:scope.end])
        if table_text[scope_index]:
            continue
        sentence_index = sentences.index_at(m.start("num"))
        sentence = sentences.spans[sentence_index]
        start = m.start("pre") if groups["pre"] else m.start("num")
        end = m.end()
        unit = groups.get("unit") or ""
        if found and found[-1].scope != scope_index:
            base = ""
        clause = _clause_before(norm, start, sentence.start, index)
        after_unit = m.end("unit") if unit else end
        after = norm[after_unit:after_unit + 8]
        if STRUCTURAL_AFTER.match(after) and structural(norm[sentence.start:start], after):
            continue  # the report's own parts (本报告共分6个部分), not a count of work
        own = own_subject(clause, _words_after(norm, end))
        subject = subject_of(own, base)
        if own and (not is_generic(own) or not base):
            base = own
        approx = any(groups.get(g) for g in ("pre", "a1", "a2", "a3", "num2"))
        if sentence_index not in printed:
            printed[sentence_index] = text[sentence.start:sentence.end].strip()
        found.append(_Found(
            start=start, end=end, value=value, unit=unit,
            category=_category(unit, subject, norm, (scope.start, end)), approx=approx,
            raw=text[start:end], subject=subject, sentence=printed[sentence_index], scope=scope_index))
    _link_breakdowns(norm, found, index)
    return found


def _prose_cells(table: Table) -> list[str]:
    """Cells of a table that hold prose (a 1-cell frame around the report text, a remarks cell)."""
    if not any(len(c.text) >= 30 for c in table.cells):
        return []  # no cell is long enough to be prose (most tables): the numeric share cannot matter
    numeric = sum(bool(_NUMERIC_CELL.fullmatch(c.text)) for c in table.cells)
    if table.cells and numeric / len(table.cells) > 0.5 and len(table.cells) > 4:
        return []
    return [c.text for c in table.cells
            if len(c.text) >= 30 and _PROSE_PUNCTUATION.search(c.text)]


def extract_figures(doc: Document, doc_id: str) -> list[FigureRecord]:
    """Narrative figures of a document in reading order, ids '<doc_id>-f0001' …"""
    paragraphs = doc.paragraphs
    starts = [p.start for p in paragraphs]
    norm = to_halfwidth(doc.text)
    headings = find_headings(norm)
    sections = SectionIndex(headings)

    def page_at(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return paragraphs[i].page if i >= 0 else None

    # (position, table number, figure, page, section, batch); a table sorts before the paragraph after it
    items: list[tuple[float, int, _Found, int | None, str, int]] = []
    batches: list[list[_Found]] = []
    text_figures = _scan(doc.text, norm, headings)
    batches.append(text_figures)
    for f in text_figures:
        items.append((f.start, 0, f, page_at(f.start), sections.section_at(f.start), 0))
    for t_index, table in enumerate(doc.tables, start=1):
        for cell_text in _prose_cells(table):
            cell_figures = scan_text(cell_text)
            batch = len(batches)
            batches.append(cell_figures)
            for f in cell_figures:
                # a table stands where the next paragraph starts: its section is the one before that offset
                section = sections.section_at(max(table.start - 1, 0))
                items.append((table.start - 0.5, t_index, f, table.page, section, batch))
    items.sort(key=lambda it: (it[0], it[1], it[2].start))
    ids: dict[int, str] = {}
    records: list[FigureRecord] = []
    for n, (_, t_index, f, page, section, _) in enumerate(items, start=1):
        figure_id = f"{doc_id}-f{n:04d}"
        ids[id(f)] = figure_id
        in_text = t_index == 0
        records.append(FigureRecord(
            figure_id=figure_id, doc_id=doc_id, category=f.category, subject=f.subject, value=f.value,
            unit=f.unit, approx=f.approx, raw=f.raw, sentence=f.sentence, section=section, page=page,
            start=f.start if in_text else None, end=f.end if in_text else None,
            is_catch_all=f.is_catch_all))
    by_id = {id(f): r for (_, _, f, _, _, _), r in zip(items, records, strict=True)}
    for listed in batches:
        for f in listed:
            if f.part_of is not None:
                by_id[id(f)].part_of = ids[id(listed[f.part_of])]
    return records
