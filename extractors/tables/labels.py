"""Printed table labels -> template keys: normalization and tolerant (fuzzy, context-bound) matching."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import regex as re

from extractors.text_cache import short_text_cache
from schemas.template import (
    T2,
    T2_2019,
    T2_2021,
    T3,
    T3_APPLICANT_COLS,
    T3_COLS,
    T3_ROW_GROUPS,
    T3_ROWS,
    T3_SECTION,
    T3_SPEC,
    T4,
    T4_GROUP_WORDS,
    T4_GROUPS,
    T4_OUTCOME_WORDS,
    T4_OUTCOMES,
    T4_SPEC,
    KeySpec,
    version_only_cols,
)

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》")
_HANZI_NUM = "一二三四五六七八九十"
_NUMBERING = re.compile(
    rf"^(?:[{_HANZI_NUM}]+、|\([{_HANZI_NUM}]+\)|\d+\.(?!\d)|\(\d+\)|[{_HANZI_NUM}]+\.)"
)


@lru_cache(maxsize=65536)  # the template's labels repeat across every report of an archive
def normalize_label(text: str | None) -> str:
    """Canonical form of a printed label: NFKC, no whitespace or quotes, `1、` -> `1.`, `（一）` -> `(一)`."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t)
    t = t.translate(_QUOTES)
    t = t.replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")
    t = re.sub(r"^(\d+)[、,.．]", r"\1.", t)
    t = re.sub(rf"^([{_HANZI_NUM}]+)[,.．]", r"\1、", t)
    return t.strip(":;。,、")


def split_numbering(norm: str) -> tuple[tuple[str, ...], str]:
    """Leading numbering tokens (`三、`, `(一)`, `1.`) and the label text after them."""
    nums: list[str] = []
    rest = norm
    while True:
        m = _NUMBERING.match(rest)
        if not m:
            return tuple(nums), rest
        nums.append(m.group(0))
        rest = rest[m.end():]


_TRAILING_PAREN = re.compile(r"\([^()]*\)?$")


def _strip_paren(core: str) -> str:
    return _TRAILING_PAREN.sub("", core) or core


@lru_cache(maxsize=262144)
def similarity(a: str, b: str) -> float:
    """Similarity of two normalized label cores (0..1): difflib ratio, also without a trailing (…) note."""
    if not a or not b:
        return 0.0
    best = SequenceMatcher(None, a, b).ratio()
    a2, b2 = _strip_paren(a), _strip_paren(b)
    if (a2, b2) != (a, b):
        best = max(best, SequenceMatcher(None, a2, b2).ratio())
    return best


def _kind(num: str) -> str:
    if num.endswith("、"):
        return "top"
    if num.startswith("(") and num[1] in _HANZI_NUM:
        return "paren"
    return "sub"


# ---------------------------------------------------------------- table 3 rows


@dataclass(frozen=True)
class RowTarget:
    key: str
    core: str
    nums: tuple[str, ...]
    group: str  # group id for sub-rows ('' for top-level rows)
    aliases: tuple[str, ...] = ()


_GROUP_IDS = {label: gid for gid, label in T3_ROW_GROUPS.items()}


def _numbered(label: str) -> tuple[str, str]:
    """(last numbering token, core) of a template label: （三）不予公开 -> ('(三)', '不予公开')."""
    nums, core = split_numbering(normalize_label(label))
    return (nums[-1] if nums else "", core)


T3_GROUPS: dict[str, tuple[str, str]] = {gid: _numbered(label) for gid, label in T3_ROW_GROUPS.items()}
_SECTION3 = _numbered(T3_SECTION.label)
_SECTION3_SHORT = tuple(_numbered(a)[1] for a in T3_SECTION.aliases)


def _targets() -> list[RowTarget]:
    out = []
    for spec in T3_ROWS:
        if spec.label == T3_ROW_GROUPS["other"]:
            continue  # the （六）其他处理 group label standing alone
        nums, core = split_numbering(normalize_label(spec.label))
        aliases = tuple(split_numbering(normalize_label(a))[1] for a in spec.aliases)
        out.append(RowTarget(spec.key, core, nums, _GROUP_IDS.get(spec.group, ""), aliases))
    return out


T3_TARGETS = _targets()


@dataclass(frozen=True)
class LabelMatch:
    """What one label cell of table 3 is: a row key, a group heading, the section heading, or nothing."""

    kind: str  # "key", "group", "section", "none"
    key: str = ""  # row key, or group id for kind "group"
    score: float = 0.0


# every numbering token the template prints in table 3 (三、, （一）…（七）, 1.…8.)
_T3_NUMBERS = frozenset(n for t in T3_TARGETS for n in t.nums) | {g[0] for g in T3_GROUPS.values()} | {_SECTION3[0]}


def _num_agreement(label_nums: tuple[str, ...], target_nums: tuple[str, ...]) -> float:
    """Score change from numbering: + when it agrees, - when it differs, more when the template never prints it."""
    if not label_nums or not target_nums:
        return 0.0
    last, want = label_nums[-1], target_nums[-1]
    foreign = -0.25 if last not in _T3_NUMBERS else 0.0  # （八）…, 五、…, 9.…: a row the template has not
    if _kind(last) != _kind(want):
        return foreign - 0.15
    return 0.15 if last == want else foreign - 0.2


@short_text_cache
def match_t3_label(label: str, group: str = "") -> LabelMatch:
    """Classify one table-3 label cell; `group` is the 不予公开/无法提供/… block the row sits in.

    Short labels are cached (extractors.text_cache): every report prints the same few dozen, and a
    LabelMatch is immutable."""
    return _match_t3_label(label, group)


def _match_t3_label(label: str, group: str) -> LabelMatch:
    norm = normalize_label(label)
    nums, core = split_numbering(norm)
    if not norm or norm.startswith("其中"):
        return LabelMatch("none")  # a breakdown row (其中：…) added by a province is never a template row
    best = LabelMatch("none")
    # group headings: by text, or by their (三)…(六) numbering with a prefix of the text (a label cut at a
    # page break: （四）无 | 法提供)
    for gid, (gnum, gcore) in T3_GROUPS.items():
        score = similarity(core, gcore) + _num_agreement(nums, (gnum,))
        if nums and nums[-1] == gnum and core and gcore.startswith(core):
            score = max(score, 0.8)
        if score > best.score:
            best = LabelMatch("group", gid, score)
    section = similarity(core, _SECTION3[1]) + _num_agreement(nums, (_SECTION3[0],))
    short = any(similarity(core, a) >= 0.99 for a in _SECTION3_SHORT)
    if section > best.score or short:
        best = LabelMatch("section", "", max(section, 1.0 if core.endswith(_SECTION3_SHORT) else section))
    for target in T3_TARGETS:
        if target.group and group and target.group != group:
            continue
        text = max([similarity(core, target.core)] + [similarity(core, a) for a in target.aliases])
        score = text + _num_agreement(nums, target.nums)
        if target.group and not group:
            score -= 0.1  # a numbered sub-row seen outside its block
        if score > best.score:
            best = LabelMatch("key", target.key, score)
    return best if best.score >= 0.6 else LabelMatch("none", "", best.score)


_INNER_NUMBER = re.compile(rf"(?<=[^\d(（\s])(?=\s*(?:[(（][{_HANZI_NUM}]+[)）]|\d+\s*[.、．](?!\d)))")


def split_label_parts(text: str) -> list[str]:
    """A label cell printed as one block (`（三）不予公开 1.属于国家秘密`) split at its inner numbering."""
    return list(_label_parts(text or ""))


@short_text_cache
def _label_parts(text: str) -> tuple[str, ...]:
    """split_label_parts, cached: every report prints the same labels (a tuple: the cache's answer is shared)."""
    return tuple(p for p in (part.strip() for part in _INNER_NUMBER.split(text)) if p)


def match_row(table_key: str, label: str, context: str = "") -> str | None:
    """Row key of a printed label in a table (`context`: table 3 group id, e.g. 'denied'), or None."""
    if table_key == T2:
        return match_t2_row(label)
    if table_key == T3:
        m = match_t3_label(label, context)
        if m.kind == "key":
            return m.key
        if m.kind == "group" and m.key == "other":
            return "other_total"
        return None
    if table_key == T4:
        return "cases"
    return None


# ---------------------------------------------------------------- table 2


def _specs_by_key(*groups: tuple[KeySpec, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for specs in groups:
        for spec in specs:
            forms = out.setdefault(spec.key, [])
            for form in (spec.label, *spec.aliases):
                core = split_numbering(normalize_label(form))[1]
                if core not in forms:
                    forms.append(core)
    return out


_T2_ROWS = _specs_by_key(T2_2021.rows, T2_2019.rows)
_T2_COLS = _specs_by_key(T2_2021.cols, T2_2019.cols)
T2_2019_ONLY_COLS = frozenset(c.key for c in T2_2019.cols) - frozenset(c.key for c in T2_2021.cols)




def _head_words(template: str) -> re.Pattern:
    """The printed forms of the 表二 columns only this template version has, longest first."""
    forms = {unicodedata.normalize("NFKC", f) for c in version_only_cols(template) for f in (c.label, *c.aliases)}
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


_HEAD_2019 = _head_words("2019")
_HEAD_2021 = _head_words("2021")
_T2_HEAD_FIRST = T2_2021.header_words[-1]  # 信息内容: the header cell over the row labels, no column


def template_of_headers(texts: list[str], max_len: int = 40) -> str:
    """Template version named by the table-2 column headers among short texts (header cells, lines):
    "2019", "2021", or "" when neither form's headers stand there or both do equally. Body text
    (longer than `max_len`) is not read: a header stands alone."""
    n19 = n21 = 0
    for text in texts:
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
        if len(t) <= max_len:
            n19, n21 = n19 + len(_HEAD_2019.findall(t)), n21 + len(_HEAD_2021.findall(t))
    return "2019" if n19 > n21 else "2021" if n21 > n19 else ""


def _best(core: str, table: dict[str, list[str]], threshold: float) -> str | None:
    scored = sorted(((max(similarity(core, f) for f in forms), key) for key, forms in table.items()),
                    reverse=True)
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.02 and scored[1][1] != scored[0][1]:
        return None  # two keys fit equally well: ambiguous
    return scored[0][1]


@short_text_cache
def match_t2_row(label: str) -> str | None:
    """Table-2 row key of a label (both template versions), or None."""
    return _best(split_numbering(normalize_label(label))[1], _T2_ROWS, 0.75)


@short_text_cache
def match_t2_col(label: str) -> str | None:
    """Table-2 column key of a header label (both template versions), or None."""
    core = normalize_label(label)
    if not core or core == _T2_HEAD_FIRST:
        return None
    return _best(core, _T2_COLS, 0.75)


# ---------------------------------------------------------------- table 3 columns

_T3_COLS = _specs_by_key(T3_COLS)
_T3_COL_GROUPS = set(T3_SPEC.col_groups)
_T3_NOTE = T3_SPEC.header_words[-1]  # 勾稽: the explanatory header cell, no column


@short_text_cache
def match_t3_col(label: str) -> str | None:
    """Table-3 column key of a header label (`商业\\n企业` -> commercial), or None for group headings."""
    core = normalize_label(label)
    if not core or core in _T3_COL_GROUPS or _T3_NOTE in core:
        return None
    return _best(core, _T3_COLS, 0.8) or _cut_short(core, _T3_COLS, _T3_COL_GROUPS)


def _cut_short(core: str, table: dict[str, list[str]], others: set[str]) -> str | None:
    """The key whose printed form a header cut short by a narrow cell begins (商业 -> 商业企业): of two
    characters or more, the start of exactly one key's forms and of no group heading (法人或其他 is not 小计)."""
    if len(core) < 2 or any(o.startswith(core) for o in others):
        return None
    keys = {key for key, forms in table.items() if any(f.startswith(core) and f != core for f in forms)}
    return keys.pop() if len(keys) == 1 else None


def is_t3_col_group(label: str) -> bool:
    """True for a table-3 column group heading (法人或其他组织, 申请人情况) that has columns under it."""
    return normalize_label(label) in _T3_COL_GROUPS


def is_t3_header_text(label: str) -> bool:
    """True for header words only table 3 prints (自然人, 商业企业, 申请人情况 …)."""
    core = normalize_label(label)
    return core in _T3_COL_GROUPS or _T3_NOTE in core or match_t3_col(core) in _T3_OWN_COLS


# the columns no other table prints (其他 and 总计 are table 4's words too)
_T3_OWN_COLS = frozenset(T3_APPLICANT_COLS[:-1])  # all but 其他


# ---------------------------------------------------------------- table 4

_T4_OUTCOME_WORDS = tuple((w, key) for key, words in T4_OUTCOME_WORDS.items() for w in words)
T4_KEYS = tuple(f"{g}_{o}" for g in T4_GROUPS for o in T4_OUTCOMES)


@short_text_cache
def t4_group(text: str) -> str | None:
    """Table-4 group of a header text: review, suit (未经复议直接起诉), post_review_suit, or None."""
    t = normalize_label(text)
    return next((g for g, words in T4_GROUP_WORDS.items() if any(w in t for w in words)), None)


@short_text_cache
def t4_outcome(text: str) -> str | None:
    """Table-4 outcome of a header text: upheld, corrected, other, pending, total, or None."""
    t = normalize_label(text)
    for word, key in _T4_OUTCOME_WORDS:
        if word in t:
            return key
    return None


def match_t4_col(texts: list[str]) -> str | None:
    """Table-4 column key from the header texts stacked above a column (group first, outcome last)."""
    group = outcome = None
    for text in texts:
        group = t4_group(text) or group
        outcome = t4_outcome(text) or outcome
    return f"{group}_{outcome}" if group and outcome else None


_T4_HEADER_ONLY = re.compile("(?:" + "|".join(sorted(
    {*T4_SPEC.header_words, *(w for g in T4_GROUPS.values() for w in g.split("·")), *T4_OUTCOMES.values()},
    key=len, reverse=True)) + ")+")
_NOT_WORD = re.compile(r"[\s\p{P}\p{S}]+")


@short_text_cache
def is_collapsed_t4_header(label: str) -> bool:
    """Table 4's header rows collapsed into one cell (行政复议行政诉讼, 行政复议、行政诉讼…结果维持…): the text is
    nothing but its header words, the first group's among them."""
    t = _NOT_WORD.sub("", normalize_label(label))
    suit = T4_GROUPS["suit"].split("·")[0]
    return t4_group(t) == "review" and suit in t and bool(_T4_HEADER_ONLY.fullmatch(t))


def is_t4_header_text(label: str) -> bool:
    t = normalize_label(label)
    return any(w in t for w in T4_SPEC.header_words)
