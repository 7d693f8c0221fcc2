"""Document facts for documents.csv: title, issuer, reporting year and the issuer's administrative level."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex as re

from schemas.document import Document

_REPORT = re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开工作年度报告")
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
_TOWNSHIP = re.compile(r"(镇|乡|街道|苏木)(人民政府|政府|办事处)?$")
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


def find_period(doc: Document) -> tuple[str, str]:
    """The statistical period the report states (…年1月1日至…年12月31日), as ISO dates."""
    text = _clean(doc.text[:8000])
    for match in _PERIOD_SPAN.finditer(text):
        y1, m1, d1, y2, m2, d2 = match.groups()
        window = text[max(0, match.start() - 40): match.start()]
        if not re.search(r"统计|期限|时限|数据|报告|期间|时间", window):
            continue
        start = f"{int(y1):04d}-{int(m1):02d}-{int(d1):02d}"
        end = f"{int(y2 or y1):04d}-{int(m2):02d}-{int(d2):02d}"
        return start, end
    return "", ""


def _clean(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).strip("《》<>“”\"' ")


def _body_title(doc: Document) -> str:
    paragraphs = doc.paragraphs[:12]
    for i, para in enumerate(paragraphs):
        text = _clean(para.text)
        match = _REPORT.search(text)
        if match and match.start() <= 60:
            title = text[: match.end()]
            # a title printed over two lines: the issuer on one, "2023年…报告" on the next (or after it)
            if _YEAR_IN_TITLE.match(title):
                for j in (i - 1, i + 1):
                    if 0 <= j < len(paragraphs):
                        name = _clean(paragraphs[j].text)
                        if 2 <= len(name) <= 30 and not _REPORT.search(name) and _ORGAN_SUFFIX.search(name):
                            return name + title
            return title.removeprefix("关于")
    return ""


def _names_body(title: str) -> bool:
    """True when a title names a body and a year before the report words (not a generic file title)."""
    match = _YEAR_IN_TITLE.search(title)
    return bool(match and match.start() >= 2)


def find_title(doc: Document) -> str:
    """The report's title: a reader-supplied title if it names the body and year, else the body's heading."""
    meta_title = _clean(doc.metadata.get("title", ""))
    match = _REPORT.search(meta_title)
    if match:
        meta_title = meta_title[: match.end()]
    body_title = _body_title(doc)
    # a portal's article title (HTML, saved text) is the canonical one; a Word or PDF file's Title
    # property is often stale (copied from last year's file), so there the printed heading wins
    if body_title and _names_body(body_title) and doc.format not in ("html", "txt"):
        return body_title
    if match and _names_body(meta_title):
        return meta_title
    return body_title or meta_title[:80] or _title_in_sentence(doc)


_TITLE_IN_TEXT = re.compile(
    r"(?:[《“]|公布|发布|印发|编制|现将|形成)\s*((?:[\p{Han}（）()]{2,30}?(?:19|20)\d{2}年度?|(?:19|20)\d{2}年度?[\p{Han}（）()]{2,30}?)"
    r"政府信息公开工作年度报告)")


def _title_in_sentence(doc: Document) -> str:
    """A title quoted in the opening sentence ("特向社会公布2020年开平市农业农村局政府信息公开工作年度报告")."""
    match = _TITLE_IN_TEXT.search(_clean(doc.text[:3000]))
    return match.group(1) if match else ""


def find_year(title: str, doc: Document) -> int | None:
    """The reporting year: from the title, else the statistical period (…年1月1日至…)."""
    match = _YEAR_IN_TITLE.search(title)
    if match:
        return int(match.group(1))
    match = _PERIOD.search(_clean(doc.text[:5000]))
    if match:
        return int(match.group(1))
    # last resort: the year the opening paragraphs speak of most ("2019年，我乡…")
    years = [int(y) for y in re.findall(r"(?<!\d)((?:20)[0-4]\d)\s*年(?!\d)", _clean(doc.text[:3000]))]
    return max(set(years), key=years.count) if years else None


def find_issuer(title: str, doc: Document) -> str:
    """The issuing body: the title's name before the year, qualified as the report itself names it."""
    match = _YEAR_IN_TITLE.search(title)
    name = title[: match.start()] if match else ""
    if match and not name.strip("关于：:，, "):  # 2019年上海市人民政府办公厅政府信息公开工作年度报告
        report = _REPORT.search(title, match.end())
        name = title[match.end(): report.start() if report else len(title)]
    name = name.strip("关于：:，, ")
    if not name:
        return ""
    body = _clean(doc.text[:6000])
    # the text often qualifies the short name with its parent division: 洪泽区人民政府 -> 淮安市洪泽区人民政府
    for found in re.finditer(re.escape(name), body):
        before = _FUNCTION_WORDS.split(body[max(0, found.start() - 10): found.start()])[-1]
        place = re.search(r"[\p{Han}]{2,9}?(?:省|自治区|市|州|盟|县)$", before)
        if place and not name.startswith(place.group(0)):
            name = place.group(0) + name
            break
    if not _ORGAN_SUFFIX.search(name):
        name += "管委会" if _ZONE.search(name) else "人民政府" if re.search(r"(省|市|县|区|镇|乡|旗)$", name) else ""
    return name


def admin_level(issuer: str) -> str:
    """township / county / prefecture / province / department / zone / unknown, from the issuer's name."""
    if not issuer:
        return "unknown"
    if _ZONE.search(issuer):
        return "zone"
    if _TOWNSHIP.search(issuer):
        return "township"
    stem = re.sub(r"(人民政府|政府)(办公室|办公厅)?$", "", issuer)
    if stem != issuer or not _DEPARTMENT.search(issuer):
        # a government: its level is that of its place
        place = stem
        if place in _PROVINCE_NAMES or _PROVINCE.search(place):
            return "province"
        if _TOWNSHIP.search(place):
            return "township"
        if _COUNTY.search(place) or re.search(r"[市州盟](.+?)[县区市旗]$", place):
            return "county"
        if _PREFECTURE.search(place):
            return "prefecture"
        return "unknown"
    return "department"


def extract_metadata(doc: Document) -> Metadata:
    title = find_title(doc)
    issuer = find_issuer(title, doc)
    start, end = find_period(doc)
    return Metadata(title=title, issuer=issuer, year=find_year(title, doc), admin_level=admin_level(issuer),
                    period_start=start, period_end=end)
