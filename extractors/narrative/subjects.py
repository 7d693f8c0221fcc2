"""The subject of a narrative figure: the short phrase that says what is counted (jieba + a domain dictionary)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import regex as re

if TYPE_CHECKING:
    from extractors.narrative.segmenter import Segmenter

DOMAIN_DICT = Path(__file__).resolve().parent / "data" / "domain_dict.txt"
MAX_SUBJECT = 16

_LONG_QUOTE = re.compile(r"[“\"‘][^”\"’]{9,}[”\"’]")  # quoted titles and slogans say nothing about the count
_NOISE = re.compile(r"[“”\"'‘’《》〈〉【】「」『』*\s（）()\[\]〔〕]+")
# words that sit around a count without saying what is counted
_STOP = {"共", "共计", "累计", "合计", "总计", "计", "达", "达到", "约", "近", "超过", "逾", "为", "有", "共有", "是",
         "分别", "分别为", "已", "了", "的", "数", "数量", "总数", "全年", "今年", "本年", "本年度", "年度", "当年",
         "全", "我镇", "我区", "我县", "我市", "我局", "全镇", "全区", "全县", "全市", "全省", "各类", "各", "等",
         "和", "及", "与", "并", "其中", "另", "另有", "含", "同时", "截至", "目前", "截至目前", "此外", "还",
         "以上", "以来", "中", "内", "主动", "及时", "依法", "新", "再", "又", "均", "都", "一共", "总共", "占",
         "从", "对", "在", "通过", "向", "将", "把", "被", "于", "以", "由", "给", "就", "按", "按照", "辖区",
         "即", "超", "突破", "超出", "高达", "多达", "已达", "仅", "约为", "总量"}
# other counts inside the clause ('41条短视频播放量'): they belong to their own figures
_COUNTS = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?\s*(?:万|亿)?\s*(?:人次|[个条件次项家名人篇期份场户])")
# a measure noun after the counted thing is another figure's subject ('41条短视频播放量超2300万')
_MEASURE = re.compile(r".*量|人数|总数|次数|户数")
# a cause before the counted outcome ('因本机关不掌握等原因无法提供265件')
_CAUSE = re.compile(r"(?:因|由于)[^，,；;。]*?原因")
# the clause ends in a modifier or preposition: the counted thing follows ('…运行状态的70家政府网站')
# or it ends in another count with its noun ('接入53个部门2261项事项')
_LEADS_ON = re.compile(r"(?:的|对|向|将|把|为|给)$|\d\s*(?:余|多)?(?:万|亿)?[个条件次项家名篇期份场户]\p{Han}{1,6}$")
# verbal nouns that still act as the verb before the counted thing ('制作政策解读21个')
_ACTION_NOUNS = {"制作", "发布", "公开", "编发", "开展", "举办", "召开", "组织", "印发", "出版", "刊登", "办理",
                 "受理", "答复", "报送", "更新", "推送", "转载", "征集", "回复", "处理"}
_NOISE_WORD = re.compile(r"[\d.,%年月日\p{P}\s]+")
_NUMBER_OR_DATE = re.compile(r"[\d.,年月日]+")
Tokens = tuple[tuple[str, str], ...]  # a cut text: (word, part-of-speech flag) pairs
_DROP_FLAGS = ("m", "t", "x", "w", "q", "r", "u", "c", "d", "p", "f", "y", "e", "o", "uj", "ul", "ad")
# heads that need the thing they belong to: '面积41908.39亩' after '耕地地力补贴7571户'
GENERIC = {"金额", "资金", "面积", "补助金额", "补助面积", "补助资金", "兑付资金", "救助资金", "公开金额", "户数",
           "人数", "人次", "次数", "款项", "经费", "费用", "占比", "比例"}


@lru_cache(maxsize=1)
def tokenizer() -> Segmenter:
    """jieba.posseg with the domain dictionary, loaded once per process (from its cache: milliseconds)."""
    from extractors.narrative.segmenter import load

    return load(DOMAIN_DICT if DOMAIN_DICT.exists() else None)


def _is_verb(flag: str) -> bool:
    return flag.startswith("v")


def _is_noise(word: str, flag: str) -> bool:
    return word in _STOP or flag in _DROP_FLAGS or bool(_NOISE_WORD.fullmatch(word))


def _strip(tokens: Tokens) -> Tokens:
    while tokens and _is_noise(*tokens[0]):
        tokens = tokens[1:]
    while tokens and _is_noise(*tokens[-1]):
        tokens = tokens[:-1]
    return tokens


def _tail(tokens: Sequence[tuple[str, str]]) -> str:
    """Join tokens, keeping at most MAX_SUBJECT characters from the end, cut at a token boundary."""
    out = ""
    for word, flag in reversed(tokens):
        if out and (len(out) + len(word) > MAX_SUBJECT or flag == "t" or word == "的"
                    or _NUMBER_OR_DATE.fullmatch(word)):
            break  # a number, a date or a 的 ends the phrase ('2018年全区主动公开政府信息')
        out = word + out
    return out[-MAX_SUBJECT:] if len(out) > MAX_SUBJECT else out


@lru_cache(maxsize=4096)
def _cut(text: str) -> Tokens:
    """TEXT without quoted titles, other counts, causes and noise, cut into (word, flag); a pure function
    of TEXT, kept for the next figure whose clause or following words are the same."""
    text = _NOISE.sub("", _CAUSE.sub("", _COUNTS.sub("", _LONG_QUOTE.sub("", text))))
    return tuple(tokenizer().cut(text)) if text else ()


def phrase_before(before: str) -> tuple[str, bool]:
    """The object phrase after the last verb that has one, in the clause before a number; and whether
    the phrase names a thing (else it is only verbs: '组织', '办结')."""
    tokens = _strip(_cut(before))
    # a verbal noun is part of a name ('应急管理类信息', '安全生产许可证'), not the verb before the object
    verbs = [i for i, (w, f) in enumerate(tokens)
             if _is_verb(f) and (f != "vn" or w in _ACTION_NOUNS) and w not in _STOP]
    for i in reversed(verbs):
        rest = _strip(tokens[i + 1:])
        if any(not _is_verb(f) for _, f in rest):
            return _tail(rest), True
    # no object after a verb: the clause itself ('结果维持', '办结')
    return _tail(tokens), any(not _is_verb(f) for _, f in tokens)


def phrase_after(after: str) -> str:
    """A noun phrase right after the unit ('15564件咨询投诉件' -> '咨询投诉件'), else ''."""
    tokens = _cut(after)
    head: list[tuple[str, str]] = []
    for word, flag in tokens:
        if _is_verb(flag) or word in _STOP or flag in ("x", "w", "m", "p", "c", "u", "uj") \
                or (head and _MEASURE.fullmatch(word)):
            break
        head.append((word, flag))
    if head and any(f.startswith("n") or f in ("vn", "nz", "j", "l") for _, f in head):
        return _tail(head)
    return ""


def is_generic(subject: str) -> bool:
    """'面积', '补助金额': a head that needs the thing it belongs to."""
    return subject in GENERIC or (len(subject) <= 3 and any(subject.endswith(g) for g in GENERIC))


def own_subject(before: str, after: str) -> str:
    """What a figure counts, from its own clause (text before the number) or the words after its unit."""
    clause = _NOISE.sub("", before)
    if clause.startswith(("其他", "其它")):  # the catch-all of a breakdown keeps its 其他
        return clause[:MAX_SUBJECT]
    if _LEADS_ON.search(clause):
        found = phrase_after(after)
        if found:
            return found
    found, names_thing = phrase_before(before)
    if not names_thing:  # '组织4次政府信息公开栏目全覆盖检查': the thing follows the count
        found = phrase_after(after) or found
    return found


def subject_for(before: str, after: str, previous: str = "") -> str:
    """The figure's subject; a generic head or an empty one leans on the previous figure's subject."""
    return subject_of(own_subject(before, after), previous)


def subject_of(own: str, previous: str = "") -> str:
    """The figure's subject from its own (own_subject, computed once per figure) and the previous one's."""
    if not own:
        return previous
    if previous and is_generic(own) and not own.startswith(previous):
        return previous + own
    return own
