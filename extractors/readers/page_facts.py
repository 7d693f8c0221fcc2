"""What a saved portal page states about its site, outside the report body: the <title>, site and column
names, keywords and description in meta tags, the source line (来源：/发布机构：/发文机关：), the breadcrumb and the footer's sponsor.

The reader records these as document metadata so that later steps can place a body the report names only
by its bare organ (区统计局). Nothing here knows issuers or the template: each fact is the page's own text,
whitespace collapsed, control characters dropped and cut to a bounded length (page text is hostile).
"""

from __future__ import annotations

import regex as re
from lxml import etree

MAX_FACT = 120  # characters kept of one fact: far more than any site, organ or breadcrumb needs
_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_CONTROL = re.compile(r"[\p{Cc}\p{Cf}]")
_SKIP = {"script", "style", "noscript", "template", "textarea", "select", "option"}
_SITE_META = ("SiteName", "sitename", "siteName", "og:site_name")
_COLUMN_META = ("ColumnName", "columnname", "columnName")
_KEYWORDS_META = ("KeyWords", "Keywords", "keywords")
_DESCRIPTION_META = ("Description", "description", "og:description")
# label -> metadata key; a label's value follows its colon, or stands in the next text of the page
_LABELS = (("source_line", r"发布机构|发文机关|发布单位|发文单位|信息来源|文章来源|来源"),
           ("sponsor", r"主办单位|网站主办|主办"))
_VALUE_END = r"(?=发布时间|发布日期|发文日期|成文日期|时间|日期|作者|浏览|阅读|点击|字号|打印|[^\p{Han}（）()·]|$)"
_BREADCRUMB_LABEL = re.compile(r"^(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|当前的位置)\s*[:：]?")
_BREADCRUMB_XPATH = (
    "//*[contains(@class, 'crumb') or contains(@id, 'crumb') or contains(@class, 'position')"
    " or contains(@id, 'position') or contains(@class, 'location') or contains(@class, 'dqwz')"
    " or contains(@id, 'dqwz') or contains(@class, 'weizhi')]")
_MAX_CANDIDATES = 20  # breadcrumb-like containers looked at (each costs its text)
_MAX_CHUNKS = 20_000  # text pieces looked at for labels: a page's chrome is far smaller


def _line(text: str, limit: int = 2000) -> str:
    """A piece of page text to search: its first LIMIT characters, whitespace collapsed, controls dropped."""
    return _SPACES.sub(" ", _CONTROL.sub("", (text or "")[: 4 * limit])).strip()[:limit]


def _norm(text: str) -> str:
    """One line of page text, safe to keep: whitespace collapsed, controls dropped, length bounded."""
    return _line(text, MAX_FACT)


def _meta(root: etree._Element, names: tuple[str, ...]) -> str:
    for name in names:
        for meta in root.xpath("//meta[@name=$n or @property=$n]", n=name):
            content = _norm(meta.get("content") or "")
            if content:
                return content
    return ""


def _chunks(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """The page's text pieces in reading order, each with the element it belongs in (scripts left out)."""
    chunks: list[tuple[str, etree._Element]] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if len(chunks) >= _MAX_CHUNKS:
            break
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start" and tag and tag not in _SKIP and el.text and el.text.strip():
            chunks.append((el.text, el))
        elif event == "end" and el.tail and el.tail.strip() and el.getparent() is not None:
            chunks.append((el.tail, el.getparent()))
    return chunks


def _labelled(chunks: list[tuple[str, etree._Element]]) -> dict[str, str]:
    """The first value after each label: on the label's own line, else in the next piece of text."""
    found: dict[str, str] = {}
    for key, labels in _LABELS:
        pattern = re.compile(rf"(?:^|[\s|｜])(?:{labels})\s*[:：]\s*([\p{{Han}}（）()·]{{2,40}}?){_VALUE_END}|"
                             rf"^\s*(?:{labels})\s*[:：]?\s*$")
        for i, (text, _) in enumerate(chunks):
            match = pattern.search(" " + _line(text))
            if not match:
                continue
            value = match.group(1)
            if value is None and i + 1 < len(chunks):  # <td>发布机构</td><td>…</td>, <span>来源：</span>…
                after = re.match(rf"\s*([\p{{Han}}（）()·]{{2,40}}?){_VALUE_END}", _line(chunks[i + 1][0]))
                value = after.group(1) if after else None
            if value:
                found[key] = _norm(value)
                break
    return found


def _path_text(el: etree._Element) -> str:
    """A breadcrumb's steps joined by ' > ' (sites separate them by text, images or nothing at all)."""
    steps = [step for piece in el.itertext() for step in re.split(r"[>＞›»/|｜]+", _norm(piece))]
    steps = [_BREADCRUMB_LABEL.sub("", step).strip() for step in steps]
    return _norm(" > ".join(step for step in steps if step))


def _breadcrumb(root: etree._Element, chunks: list[tuple[str, etree._Element]]) -> str:
    """The path of the page on its site (首页 > 政务公开 > …): a breadcrumb container, or the element a
    当前位置 label opens."""
    for el in root.xpath(_BREADCRUMB_XPATH)[:_MAX_CANDIDATES]:
        text = _line(el.text_content())
        if text and len(text) <= 4 * MAX_FACT and (re.search(r"[>＞›»]", text) or _BREADCRUMB_LABEL.match(text)
                                                   or text.startswith("首页")):
            return _path_text(el)
    for text, el in chunks:
        label = _BREADCRUMB_LABEL.match(_norm(text))
        if not label:
            continue
        container = el
        for _ in range(3):  # from the label's own <span> up to the element holding the path
            if len(_norm(container.text_content())) > len(label.group(0)) + 1 or container.getparent() is None:
                break
            container = container.getparent()
        return _path_text(container)
    return ""


def page_facts(root: etree._Element) -> dict[str, str]:
    """The site facts a page carries (keys page_title, site_name, column, keywords, description,
    source_line, breadcrumb, sponsor), only those it has; read before navigation and footers are stripped from the tree."""
    facts: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None:
        facts["page_title"] = _norm(title.text_content())
    facts["site_name"] = _meta(root, _SITE_META)
    facts["column"] = _meta(root, _COLUMN_META)
    facts["keywords"] = _meta(root, _KEYWORDS_META)
    facts["description"] = _meta(root, _DESCRIPTION_META)
    chunks = _chunks(root)
    facts.update(_labelled(chunks))
    facts["breadcrumb"] = _breadcrumb(root, chunks)
    return {key: value for key, value in facts.items() if value}
