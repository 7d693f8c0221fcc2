"""Document facts for documents.csv: title, issuer, reporting year and the issuer's administrative level."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import regex as re

from extractors.normalize import nfkc
from schemas.document import Document

# the report words, with the year in brackets some titles print after them (…年度报告（2023年度）)
_REPORT = re.compile(r"(?:政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开工作年度报告)"
                     r"(?:[（(]\s*(?:19|20)\d{2}\s*年度?\s*[）)])?")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?(?:至|到|—|-|－|~)")
_SPACES = re.compile(r"\s+")
# an organ's own name ends with one of these; a bare place name in a title gets the default organ
_ORGAN_SUFFIX = re.compile(
    r"(人民政府|政府办公室|办公厅|办公室|管理委员会|管委会|委员会|街道办事处|办事处|局|厅|委|署|院|所|中心|"
    r"公司|集团|学校|大学|医院|馆|站|队|会|处|部|办)$"
)
_FUNCTION_WORDS = re.compile(r"[由在与和及是为对向请我据经的将把从于按至、，。；：（）《》“”\\s]|根据|关于|本报告")
_ZONE = re.compile(r"(开发区|高新区|高新技术产业开发区|经济技术开发区|实验区|示范区|新区|园区|保税区|自贸区|综合试验区|管委会|管理委员会)")
_DEPARTMENT = re.compile(r"(局|厅|委员会|委|办公室|办公厅|署|中心|院|所|公司|学校|大学|医院|馆|站|队|会)$")
_TOWNSHIP = re.compile(r"(镇|乡|街道|苏木)(人民政府|政府|办事处|街道办事处)?(办公室)?$|街道办事处$")
_PROVINCE_NAMES = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCE = re.compile(r"(省|自治区|特别行政区)(人民政府|政府)?$")
_COUNTY = re.compile(r"(县|区|旗|自治县|县级市)(人民政府|政府)?$")
_PREFECTURE = re.compile(r"(市|州|盟|地区)(人民政府|政府)?$")


@dataclass
class Metadata:
    title: str = ""
    issuer: str = ""
    year: int | None = None
    admin_level: str = "unknown"
    period_start: str = ""  # ISO date
    period_end: str = ""


_DATE = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DATE_NO_YEAR = r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD_SPAN = re.compile(_DATE + r"\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*" + _DATE_NO_YEAR)


# compiled once (the regex module's own cache costs more per call than these searches)
_PERIOD_WORDS = re.compile(r"统计|期限|时限|数据|报告|期间|时间")
_CLAUSE_MARK = re.compile(r"[。；;，,：:]")
_HAN_RUN_END = re.compile(r"[\p{Han}（）()]*$")
_PARENT_PLACE = re.compile(r"\p{Han}{2,9}?(?:省|自治区|市|州|盟|县)$")


def find_period(doc: Document) -> tuple[str, str]:
    """The statistical period the report states (…年1月1日至…年12月31日), as ISO dates."""
    text = _clean(doc.text[:8000])
    for match in _PERIOD_SPAN.finditer(text):
        y1, m1, d1, y2, m2, d2 = match.groups()
        window = text[max(0, match.start() - 40): match.start()]
        if not _PERIOD_WORDS.search(window):
            continue
        start = f"{int(y1):04d}-{int(m1):02d}-{int(d1):02d}"
        end = f"{int(y2 or y1):04d}-{int(m2):02d}-{int(d2):02d}"
        return start, end
    return "", ""


@lru_cache(maxsize=64)
def _clean(text: str) -> str:
    """Text without spaces, full-width letters and digits made plain (NFKC); brackets stay full-width, as
    Chinese titles and names print them. Kept for the same text asked again (the opening 3000 characters
    are read by three rules), a pure function of it."""
    plain = nfkc(text).replace("(", "（").replace(")", "）")
    return _SPACES.sub("", plain).strip("《》<>“”\"' ")


# words that open a sentence, never a title line
_SENTENCE_START = re.compile(r"^(?:根据|依据|按照|本报告|本年度|为|现将|现公布|\d+[、.]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])")
_TITLE_LINE_MAX = 45
_BLOCK_LINES = 3


# lines printed around a title that are no part of it: a document number, a date, an attachment mark
_NOT_TITLE = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号$|^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$|^附件\d*$")


def _title_like(text: str) -> bool:
    """A line that can be part of a title block: short, no sentence punctuation, not a sentence or heading."""
    return (0 < len(text) <= _TITLE_LINE_MAX and not _CLAUSE_MARK.search(text)
            and not _SENTENCE_START.match(text) and not _NOT_TITLE.search(text))


def _block_titles(lines: list[str]) -> list[str]:
    """Titles printed over one to three consecutive short lines, in document order: for each line that
    completes the report words, the fewest lines up to it that name a body (the issuer on one line and
    `2023年…报告` on the next; the report words broken over two), else the body's name on the line after
    a generic title, else the generic title."""
    found = []
    for k, last in enumerate(lines):
        if not _title_like(last):
            continue
        generic = named = ""
        for j in range(k, max(-1, k - _BLOCK_LINES), -1):
            if not _title_like(lines[j]):
                break
            joined = "".join(lines[j: k + 1])
            match = _REPORT.search(joined)
            if not match or match.end() <= len(joined) - len(last):  # the words must end on line k
                continue
            title = joined[: match.end()].removeprefix("关于")
            if _names_body(title):
                named = title
                break
            generic = generic or title
        if named:
            found.append(named)
        elif generic:
            after = lines[k + 1] if k + 1 < len(lines) else ""
            body = (_title_like(after) and len(after) <= 30 and _ORGAN_SUFFIX.search(after)
                    and not _REPORT.search(after))
            found.append(after + generic if body else generic)
    return found


def _body_title(doc: Document) -> str:
    """The printed heading: a title block among the first paragraphs, preferring one that names a body;
    else a report title at the start of an opening paragraph."""
    lines = [_clean(p.text) for p in doc.paragraphs[:15]]
    blocks = _block_titles(lines)
    for title in blocks:
        if _names_body(title):
            return title
    for text in lines[:12]:
        match = _REPORT.search(text)
        if match and match.start() <= 60 and _names_body(text[: match.end()]) and not _PREAMBLE_CUT.search(
                text[: match.start()]):
            return text[: match.end()].removeprefix("关于")
    return blocks[0] if blocks else ""


def _header_title(doc: Document) -> str:
    """A report title printed as a running header or footer (the same line on two or more pages)."""
    counts = Counter(_clean(p.text) for p in doc.paragraphs if len(p.text) <= 80 and "报告" in p.text)
    for text, count in counts.most_common():
        if count < 2:
            break
        match = _REPORT.search(text)
        if match and _names_body(text[: match.end()]) and not _PREAMBLE_CUT.search(text[: match.start()]):
            return text[: match.end()]
    return ""


def _running_title(doc: Document) -> str:
    """A report title a Word file prints only in its page header or footer (the reader keeps those lines as
    metadata, apart from the body)."""
    for line in doc.metadata.get("running_header", "").splitlines():
        text = _clean(line)
        match = _REPORT.search(text)
        if match and _names_body(text[: match.end()]) and not _PREAMBLE_CUT.search(text[: match.start()]):
            return text[: match.end()]
    return ""


def _names_body(title: str) -> bool:
    """True when a title names a body and a year (not a generic file title)."""
    return bool(_YEAR_IN_TITLE.search(title) and _name_in_title(title))


def find_title(doc: Document) -> str:
    """The report's title: the printed title block, a portal's article title, a running header, or the
    title the opening sentence quotes (现公布…报告) — always without the sentence's own words."""
    # a page title may carry the site's name or a path around the report's (示范县人民政府-…报告_首页)
    parts = [_clean(part) for part in _TITLE_SEPARATORS.split(doc.metadata.get("title", ""))]
    meta_title = next((part for part in parts if _REPORT.search(part)), _clean(doc.metadata.get("title", "")))
    match = _REPORT.search(meta_title)
    if match:
        meta_title = meta_title[: match.end()]
    body_title = _body_title(doc)
    header = _header_title(doc) or _running_title(doc)
    if header and body_title.endswith(header):  # a running header the line before it ran into
        body_title = header
    # a portal's article title (HTML, saved text) is the canonical one; a Word or PDF file's Title
    # property is often stale (copied from last year's file), so there the printed heading wins
    if body_title and _names_body(body_title) and doc.format not in ("html", "txt"):
        return body_title
    if match and _names_body(meta_title):
        return meta_title
    if body_title and _names_body(body_title):
        return body_title
    return header or _title_in_sentence(doc) or body_title or meta_title[:80]


_TITLE_IN_TEXT = re.compile(
    r"(?:[《“]|公布|发布|印发|编制|现将|形成)\s*((?:[\p{Han}（）()]{2,30}?(?:19|20)\d{2}年度?|(?:19|20)\d{2}年度?[\p{Han}（）()]{2,30}?)"
    r"政府信息公开工作年度报告)")


def _title_in_sentence(doc: Document) -> str:
    """A title quoted in the opening sentence ("特向社会公布2020年开平市农业农村局政府信息公开工作年度报告")."""
    match = _TITLE_IN_TEXT.search(_clean(doc.text[:3000]))
    return _strip_preamble(match.group(1)) if match else ""


# the words of a preamble sentence that can stand before a quoted title or name: everything up to the
# last of them is sentence, not name (根据《条例》规定，现公布区统计局… ; 〔2021〕30号要求，现公布示范县…)
_PREAMBLE_CUT = re.compile(
    r".*(?:现予公布|现公布|现将|特编制|编制完成|编制|向社会公布|公布|发布|印发|形成|要求|规定|通知|精神|特此|"
    r"[，,。；;：:》」”〕\]])")


def _strip_preamble(name: str) -> str:
    """NAME without the preamble sentence words before it."""
    return _PREAMBLE_CUT.sub("", name, count=1).removeprefix("关于")


def find_year(title: str, doc: Document) -> int | None:
    """The reporting year: from the title, else the statistical period (…年1月1日至…), else the year the
    opening paragraphs speak of most, else the year before the signature's date."""
    match = _YEAR_IN_TITLE.search(title)
    if match:
        return int(match.group(1))
    match = _PERIOD.search(_clean(doc.text[:5000]))
    if match:
        return int(match.group(1))
    years = [int(y) for y in re.findall(r"(?<!\d)((?:20)[0-4]\d)\s*年(?!\d)", _clean(doc.text[:3000]))]
    if years:
        return max(set(years), key=years.count)
    signed = _signature(doc)
    return signed[1] - 1 if signed[1] else None


_SIGN_DATE = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日$")
_ORGAN_NAME = re.compile(r"[\p{Han}（）()]{2,30}")


def _signature(doc: Document) -> tuple[str, int | None]:
    """The signing body and the year of the date under it, from the last paragraphs (…人民政府 / 2024年1月20日)."""
    lines = [_clean(p.text) for p in doc.paragraphs[-8:]]
    for i in range(len(lines) - 1, -1, -1):
        date = _SIGN_DATE.search(lines[i])
        if not date:
            continue
        before = lines[i][: date.start()]
        name = before if before else (lines[i - 1] if i else "")
        if _ORGAN_NAME.fullmatch(name) and _ORGAN_SUFFIX.search(name) and not _REPORT.search(name):
            return name, int(date.group(1))
        return "", int(date.group(1))
    return "", None


_TITLE_SEPARATORS = re.compile(r"\s[-—–|｜>›»]+\s|[_|｜>›»]+|(?<=\p{Han})[-—–]+(?=\p{Han})")


# what a portal page says of its site, as the HTML reader records it (extractors.readers.page_facts), most
# specific first: the article's publisher and source line, the footer's sponsor, the site's name, the
# page title, the breadcrumb and the keywords
_SITE_FACTS = ("publisher", "source_line", "sponsor", "site_name", "page_title", "breadcrumb", "keywords")
_FACT_SEPARATORS = re.compile(_TITLE_SEPARATORS.pattern + r"|[,，;；、\s]+")
# a site's name around the organ's: 鼓楼区人民政府门户网站, 浦东新区政府网, 中国·鼓楼
_SITE_NOISE = re.compile(r"(?:门户网站|门户网|官方网站|政务网站|网站|官网|网|首页|主页)$")
_SITE_PREFIX = re.compile(r"^中国[·•・]")  # 中国·鼓楼, never 中国证监会


def _strip_site_noise(text: str) -> str:
    """TEXT without a site's words around a name (…门户网站, …网, 中国·…)."""
    text = _SITE_PREFIX.sub("", text)
    while _SITE_NOISE.search(text):
        text = _SITE_NOISE.sub("", text)
    return text


def _without_site_words(name: str) -> str:
    """NAME without a site's words (鼓楼区人民政府门户网站 -> 鼓楼区人民政府) when a body's or place's name
    remains; a name that merely ends in 网 (国家电网) is left as it is."""
    stripped = _strip_site_noise(name)
    if stripped != name and (_ORGAN_SUFFIX.search(stripped) or re.search(r"[省市县区镇乡旗州盟]$", stripped)):
        return stripped
    return name


def _site_names(doc: Document) -> list[str]:
    """The names a portal page states about itself (publisher, source line, sponsor, site name, page title
    parts, breadcrumb steps), cleared of site-name noise, most specific first."""
    found = []
    for key in _SITE_FACTS:
        for part in _FACT_SEPARATORS.split(doc.metadata.get(key, "")):
            text = _strip_site_noise(_clean(part))
            if 2 <= len(text) <= 30 and _ORGAN_NAME.fullmatch(text) and not _REPORT.search(text):
                found.append(text)
    return found


def _owners(doc: Document) -> list[str]:
    """Organ names a portal page states about itself: its publisher (ContentSource, 发布机构) and the site
    name in its page title (…_洪泽区人民政府门户网站), most specific first."""
    return [name for name in _site_names(doc) if 4 <= len(name) and _ORGAN_SUFFIX.search(name)]


def _name_in_title(title: str) -> str:
    """The body a title names: before the year, between the year and the report words, or before the
    report words when the year follows them."""
    match = _YEAR_IN_TITLE.search(title)
    report = _REPORT.search(title)
    name = title[: match.start()] if match else ""
    if report and (not match or match.start() > report.start()):  # …政府信息公开工作年度报告（2023年度）
        name = title[: report.start()]
    elif match and not name.strip("关于：:，, "):  # 2019年上海市人民政府办公厅政府信息公开工作年度报告
        report = _REPORT.search(title, match.end())
        name = title[match.end(): report.start() if report else len(title)]
    # the name is the run of Han characters just before the year (a site name or a path may precede it)
    run = _HAN_RUN_END.search(name)
    return _strip_preamble(run.group(0) if run else "").strip("关于（(")


# words that show a run before an organ's name is sentence, not place (本区, 全县, 2023年度)
_NOT_PLACE = re.compile(r"年|度|月|日|公布|发布|报告|信息|公开|[本我全各该]")


def _body_places(level: str, organ: str, body: str) -> set[str]:
    """Places the text prints before the organ or the government of a place of this LEVEL
    (2023年，洪泽区统计局… -> 洪泽区)."""
    places = set()
    pattern = re.escape(level) + "(?:" + re.escape(organ) + "|人民政府)"
    for found in re.finditer(pattern, body):
        line = body[max(0, found.start() - 12): found.start()].split("\n")[-1]
        before = _FUNCTION_WORDS.split(_strip_preamble(line))[-1]  # 现公布浦东新区统计局… -> 浦东新
        place = re.search(r"(?<![\p{Han}])\p{Han}{2,6}$", before)
        if place and not _NOT_PLACE.search(place.group(0)):
            places.add(place.group(0) + level)
    return places


def _site_places(level: str, organ: str, names: list[str]) -> set[str]:
    """Places of this LEVEL the page's own names are, or are the organ or government of
    (上海市浦东新区人民政府办公室, 浦东新区 -> 上海市浦东新区, 浦东新区)."""
    shape = re.compile(r"(\p{Han}{2,12}?" + re.escape(level) + r")(?:" + re.escape(organ)
                       + r"|(?:人民政府|政府)(?:办公室|办公厅)?)?")
    places = set()
    for name in names:
        match = shape.fullmatch(name)
        if match and not _NOT_PLACE.search(match.group(1)):
            places.add(match.group(1))
    return places


def _one_place(places: set[str]) -> str:
    """The place when all name the same one (浦东新区 within 上海市浦东新区), else ''."""
    if not places:
        return ""
    longest = max(places, key=len)
    return longest if all(longest.endswith(place) for place in places) else ""


def _complete_bare(name: str, names: list[str], body: str) -> str:
    """A name that starts with a bare level word (区统计局) in full, under the one place the text and the
    page's own names agree on (浦东新区统计局 in the text, 上海市浦东新区人民政府 as the site); when they name
    none, or two different places, the name stays bare: never a guess."""
    level, organ = name[0], name[1:]
    in_body = _body_places(level, organ, body)
    on_site = _site_places(level, organ, names)
    place = _one_place(in_body | on_site)
    return place + organ if place else name


# the report speaking of itself (我镇, 本局, 我区): the kind of body it is, whatever site posted it
_SPEAKER = re.compile(r"[我本](街道|镇|乡|局|厅|委|办|区|县|市|州|盟|旗)(?!域|场)")
_SPEAKER_ORGAN = {"镇": _TOWNSHIP, "乡": _TOWNSHIP, "街道": _TOWNSHIP, "局": re.compile(r"局$"),
                  "厅": re.compile(r"厅$"), "委": re.compile(r"委(?:员会)?$"), "办": re.compile(r"办(?:公室)?$")}


def _speaker(text: str) -> str:
    """The kind of body the report speaks as (我镇 -> 镇), the one it names most; '' when it never does."""
    found = Counter(_SPEAKER.findall(text))
    return found.most_common(1)[0][0] if found else ""


def _speaks_as(organ: str, speaker: str) -> bool:
    """True when ORGAN is the kind of body the report speaks as: a 我镇 report is no county government's,
    a 我局 report no government's; 我区/我县/我市 is the government of such a place (or its office)."""
    pattern = _SPEAKER_ORGAN.get(speaker)
    if pattern is not None:
        return bool(pattern.search(organ))
    return bool(re.search(re.escape(speaker) + r"(?:人民政府|政府)(?:办公室|办公厅)?$", organ))


def find_issuer(title: str, doc: Document) -> str:
    """The issuing body: the title's name (cleared of preamble words, completed as the report or its page
    names it); else the signature at the end, else the page's publisher."""
    name = _without_site_words(_name_in_title(title))
    owners = _owners(doc)
    if not name:
        publisher = _clean(doc.metadata.get("publisher", ""))
        speaker = _speaker(_clean(doc.text[:3000]))
        usable = publisher in owners and (not speaker or _speaks_as(publisher, speaker))
        return _signature(doc)[0] or (publisher if usable else "")
    body = _clean(doc.text[:6000])
    if _BARE.match(name):
        # the text's lines (a place never spans two) and the page's description of it
        lines = "\n".join(_clean(line) for line in [*doc.text[:6000].splitlines(), doc.metadata.get("description", "")])
        name = _complete_bare(name, _site_names(doc), lines)
    else:
        # the text often qualifies the short name with its parent division: 洪泽区人民政府 -> 淮安市洪泽区人民政府
        for found in re.finditer(re.escape(name), body):
            before = _FUNCTION_WORDS.split(body[max(0, found.start() - 10): found.start()])[-1]
            place = _PARENT_PLACE.search(before)
            if place and not name.startswith(place.group(0)):
                name = place.group(0) + name
                break
    return name + _default_organ(name, body)


def _default_organ(name: str, body: str = "") -> str:
    """The organ a bare place in a title stands for: the one the text prints after it most (浦东新区人民政府,
    平潭综合实验区管委会), else a street's 办事处, a zone's 管委会, a division's government."""
    if _ORGAN_SUFFIX.search(name):
        return ""
    printed = Counter(re.findall(re.escape(name) + r"(人民政府|管理委员会|管委会|街道办事处|办事处)", body))
    if printed:
        return printed.most_common(1)[0][0]
    if name.endswith("街道"):
        return "办事处"
    if re.search(_ZONE.pattern + "$", name):
        return "管委会"
    if re.search(r"(省|市|县|区|镇|乡|旗|州|盟|地区)$", name):
        return "人民政府"
    return "管委会" if _ZONE.search(name) else ""


# a name that starts with the bare level word instead of a place (区统计局, 县人民政府办公室)
_BARE = re.compile(r"^[省市县区镇乡](?!政府)[\p{Han}]")
_GOVERNMENT = re.compile(r"(?:人民政府|政府)(?:办公厅|办公室|办)?$")
_ZONE_ORGAN = re.compile(r"(?:管理委员会|管委会|工作委员会|工委)(?:办公室)?$")
_NEW_AREA = re.compile(r"新区$")


def admin_level(issuer: str, division_rank: str | None = None) -> str:
    """township / county / prefecture / province / department / zone / unknown, from the issuer's name.

    A government, and its 办公厅/办公室, has the level of its place; a 街道办事处 or a 乡/镇 government is
    township; a zone's 管委会 is zone; any other organ (局, 委员会, 中心 …) is department. DIVISION_RANK, the
    division table's level of the issuer's own place where it knows it, settles a 市 (prefecture or
    county-level city) and a 新区 (a district such as 浦东新区, or a national new area).
    """
    if not issuer:
        return "unknown"
    if _TOWNSHIP.search(issuer):
        return "township"
    if _ZONE_ORGAN.search(issuer):
        return "zone" if _ZONE.search(issuer) else "department"
    stem = _GOVERNMENT.sub("", issuer)
    if stem == issuer:  # not a government: an organ under one
        if _DEPARTMENT.search(issuer):
            return "department"
        return "zone" if _ZONE.search(issuer) else "unknown"
    if division_rank in ("province", "prefecture", "county"):
        return division_rank
    if _NEW_AREA.search(stem):  # a 新区 with a people's government is a district (浦东新区, 滨海新区)
        return "county"
    if _ZONE.search(stem):
        return "zone"
    if stem in _PROVINCE_NAMES or _PROVINCE.search(stem):
        return "province"
    if _COUNTY.search(stem) or re.search(r"(?:市|州|盟|地区)\p{Han}+?(?:县|区|市|旗)$", stem):
        return "county"
    if _PREFECTURE.search(stem):
        return "prefecture"
    return "unknown"


def extract_metadata(doc: Document) -> Metadata:
    """Title, issuer, year, level (from the names alone) and period of one document."""
    title = find_title(doc)
    issuer = find_issuer(title, doc)
    start, end = find_period(doc)
    return Metadata(title=title, issuer=issuer, year=find_year(title, doc), admin_level=admin_level(issuer),
                    period_start=start, period_end=end)
