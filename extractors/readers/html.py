"""HTML reader: find the report body inside a portal page, then turn it into paragraphs and tables.

The body is found two ways and reconciled: containers that content systems commonly use
(.TRS_Editor, #zoom, .article_content, ...) and a density walk that descends from <body> while one
child holds most of the non-link Chinese text. Tables get rowspan/colspan resolved onto the grid;
a table holding other tables, or a single-column frame table, is layout and is read as body.
"""

from __future__ import annotations

import lxml.html
import regex as re
from lxml import etree

from extractors.errors import ReaderError
from extractors.readers.decode import Decoded, decode_bytes
from extractors.readers.page_facts import page_facts
from extractors.readers.spans import GridPlacer, GridTooLarge, colspan, compact_columns, rowspan
from schemas.document import Cell, Document, DocumentBuilder, Table

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_CJK = re.compile(r"\p{Han}")
_SPACES = re.compile(r"[\s\u200b\ufeff]+")  # \s covers nbsp and the ideographic space
_PROSE_CHARS = 200  # more Chinese characters than any data-table cell holds: a layout cell
_BR = "\x00"  # a <br> in running text, kept apart from source line breaks
# whitespace holding a source line break between two Chinese characters vanishes (CSS segment-break rule)
_CJK_BREAK = re.compile(r"(?<=[\p{Han}，。、；：！？”’）》])\s*\n\s*(?=[\p{Han}，。、；：！？“‘（《])")

_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas", "template", "nav",
         "header", "footer", "select", "option", "button", "input", "textarea", "map", "audio", "video")
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
          "article", "blockquote", "pre", "center", "address", "main", "aside", "figure", "figcaption",
          "caption", "tr", "hr", "body", "html", "fieldset", "details", "summary", "table", "tbody",
          "thead", "tfoot", "td", "th"}
# elements the density walk may descend into (a table only when it is layout, holding tables)
_CONTAINER_TAGS = {"div", "section", "article", "main", "td", "th", "table", "center", "body", "form",
                   "font"}
# containers content-management systems of Chinese government portals put the article body in,
# most specific first
_CONTAINERS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[@id='zoom' or @id='Zoom' or @id='fontzoom' or @id='UCAP-CONTENT' or @id='ozoom']",
    "//*[contains(@class, 'pages_content') or contains(@class, 'article_content')"
    " or contains(@class, 'article-content') or contains(@class, 'news_content')"
    " or contains(@class, 'detail_content') or contains(@class, 'xxgk_content') or contains(@class, 'zw-con')]",
    "//*[@id='content' or @id='Content' or @id='article' or @id='zw' or @id='mainText' or @id='vsb_content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' content ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' article ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' zw ')]",
)
_TITLE_META = ("ArticleTitle", "articletitle", "og:title", "title", "Title")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|--)\s*")


def decode_html(data: bytes) -> str:
    """Decode by BOM, then a declared meta charset, then as any text (extractors.readers.decode)."""
    return _decode(data).text


def _decode(data: bytes) -> Decoded:
    declared = _CHARSET.search(data[:8192])
    return decode_bytes(data, declared.group(1).decode("ascii", "ignore") if declared else None)


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _cjk(text: str) -> int:
    return len(_CJK.findall(text))


def _body_weight(el: etree._Element) -> int:
    """Chinese characters outside links: what the report body is made of."""
    total = _cjk(el.text_content())
    links = sum(_cjk(a.text_content()) for a in el.iter("a"))
    return total - links


def _density_walk(root: etree._Element) -> etree._Element:
    """Descend while one child holds most of the node's non-link Chinese text; stop at tables."""
    node = root
    while True:
        weight = _body_weight(node)
        if weight == 0:
            return node
        if _tag(node) == "table":  # only layout tables (holding tables) are descended into
            children = _cells_of(node)
        else:
            children = [c for c in node if _tag(c)]
        best = max(children, key=_body_weight, default=None)
        if best is None or _body_weight(best) < 0.8 * weight:
            return node
        if _tag(best) not in _CONTAINER_TAGS or (_tag(best) == "table" and not is_layout(best)):
            return node  # never into a paragraph or a data table: the body is around it
        node = best


def _contains(ancestor: etree._Element, el: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors()) or ancestor is el


def find_body(root: etree._Element) -> etree._Element:
    """The element holding the report: a known container if it agrees with the density walk."""
    body = root.find(".//body")
    walked = _density_walk(body if body is not None else root)
    walked_weight = _body_weight(walked)
    for xpath in _CONTAINERS:
        matches = [el for el in root.xpath(xpath) if _body_weight(el) > 0]
        if not matches:
            continue
        el = max(matches, key=_body_weight)
        weight = _body_weight(el)
        if _contains(walked, el) and weight >= 0.6 * walked_weight:
            return el  # a precise container inside the densest block
        if _contains(el, walked):
            return walked  # a wrapper around the body (and around navigation too)
        if weight > walked_weight:
            return el
    return walked


def _clean_title(text: str) -> str:
    """Drop site and column names from a page title: keep the part naming the report, else the first."""
    parts = [p for p in _TITLE_SPLIT.split(_norm(text)) if p]
    return next((p for p in parts if "报告" in p), parts[0] if parts else "")


def page_title(root: etree._Element) -> str:
    """The article title: meta ArticleTitle/og:title, an <h1>, else <title> without the site name."""
    for name in _TITLE_META:
        for meta in root.xpath(f"//meta[@name='{name}' or @property='{name}']"):
            content = _SPACES.sub(" ", meta.get("content") or "").strip()
            if content:
                return _clean_title(content)
    title_el = root.find(".//title")
    title = _clean_title(title_el.text_content()) if title_el is not None else ""
    for h1 in root.iter("h1"):
        text = _SPACES.sub(" ", h1.text_content()).strip()
        if text and (not title or text in title or "报告" in text):
            return text
    return title


def _meta(root: etree._Element, *names: str) -> str:
    for name in names:
        for meta in root.xpath(f"//meta[@name='{name}' or @property='{name}']"):
            content = (meta.get("content") or "").strip()
            if content:
                return content
    return ""


def _norm(text: str) -> str:
    """Collapse HTML whitespace in one line of text (nbsp and ideographic spaces included)."""
    return _SPACES.sub(" ", text).strip()


class _BodyReader:
    """Walks the body element into paragraphs and tables."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.line: list[str] = []

    def flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        text = _CJK_BREAK.sub("", text)
        for piece in text.split(_BR):
            self.builder.paragraph(_norm(piece))

    def text(self, text: str | None) -> None:
        if text:
            self.line.append(text)

    def walk(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag == "table":
            self.flush()
            self.table(el)
            self.text(el.tail)
            return
        if tag == "br":
            self.line.append(_BR)
            self.text(el.tail)
            return
        if not tag:  # a comment or processing instruction left in place
            self.text(el.tail)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.text(el.text)
        for child in el:
            self.walk(child)
        if block:
            self.flush()
        self.text(el.tail)

    def table(self, table: etree._Element) -> None:
        if is_layout(table):
            for cell in _cells_of(table):
                self.walk_children(cell)
            return
        try:
            cells = grid(table)
        except GridTooLarge as exc:
            self.builder.doc.warnings.append(f"{exc}; not read")
            return
        width = max((c.col + c.col_span for c in cells), default=0)
        if width == 1 or len(cells) == 1:  # a frame around body text
            for cell in _cells_of(table):
                self.walk_children(cell)
            return
        self.builder.table(Table(cells=cells, markup=True))

    def walk_children(self, el: etree._Element) -> None:
        self.flush()
        self.text(el.text)
        for child in el:
            self.walk(child)
        self.flush()


def _rows_of(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of nested tables), through thead/tbody/tfoot."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _cells_of(table: etree._Element) -> list[etree._Element]:
    return [c for row in _rows_of(table) for c in row if _tag(c) in ("td", "th")]


def is_layout(table: etree._Element) -> bool:
    """A table used for page layout: it holds other tables, or a cell holding pages of prose."""
    return bool(table.xpath(".//table")) or any(_cjk(c.text_content()) > _PROSE_CHARS for c in _cells_of(table))


def cell_text(cell: etree._Element) -> str:
    """A cell's text: block children and <br> give newlines, whitespace collapsed within lines."""
    lines: list[str] = []
    current: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = _tag(el)
        if tag == "br":
            lines.append("".join(current))
            current.clear()
        elif tag:
            block = tag in _BLOCK
            if block:
                lines.append("".join(current))
                current.clear()
            current.append(el.text or "")
            for child in el:
                walk(child)
            if block:
                lines.append("".join(current))
                current.clear()
        current.append(el.tail or "")

    current.append(cell.text or "")
    for child in cell:
        walk(child)
    lines.append("".join(current))
    out = [_norm(_CJK_BREAK.sub("", line).replace("\n", " ")) for line in lines]
    return "\n".join(line for line in out if line)


def grid(table: etree._Element) -> list[Cell]:
    """Place td/th on the grid as browsers do: each cell once at its top-left, spans read and clipped as
    the HTML standard says (extractors.readers.spans); raises GridTooLarge for a grid beyond the limits."""
    rows = _rows_of(table)
    placer = GridPlacer()
    cells: list[Cell] = []
    for r, tr in enumerate(rows):
        col = 0
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            row_span = rowspan(td.get("rowspan"), len(rows) - r)
            col_span = colspan(td.get("colspan"))
            col = placer.place(r, col, col_span, row_span)
            cells.append(Cell(row=r, col=col, text=cell_text(td), row_span=row_span, col_span=col_span))
            col += col_span
    return compact_columns(cells)


def _strip(root: etree._Element) -> None:
    """Remove scripts, styles, forms, navigation and comments, keeping the text that follows them."""
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_DROP, with_tail=False)


# libxml2's default limits (256 levels, 10 MB text or attribute) end the parse there and lose the report
# after such markup; the huge-tree parser reads on, and the tree's depth is then capped for the walks
_PARSER = lxml.html.HTMLParser(huge_tree=True)
MAX_DEPTH = 200  # elements deeper than this are unwrapped into their ancestor at this depth


def flatten_deep(root: etree._Element, limit: int = MAX_DEPTH) -> int:
    """Unwrap wrappers nested deeper than LIMIT (their text and children move into their parent), so no
    later walk recurses without bound; tables keep their structure for another _TABLE_DEPTH levels.
    Returns how many elements were unwrapped. Linear in the tree's size."""
    unwrapped = 0
    stack: list[tuple[etree._Element, int]] = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        if depth < limit:
            stack.extend((child, depth + 1) for child in el)
            continue
        i = 0
        while i < len(el):
            child = el[i]
            if not len(child):  # a leaf (a <br>, a <td> of text) adds no depth
                i += 1
                continue
            if _tag(child) in _TABLE_TAGS and depth < limit + _TABLE_DEPTH:
                stack.append((child, depth + 1))
                i += 1
                continue
            _unwrap(child)  # its children now stand at position i: look at them next
            unwrapped += 1
    return unwrapped


_TABLE_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"}
_TABLE_DEPTH = 40


def _unwrap(el: etree._Element) -> None:
    """Replace EL by its text, children and tail within its parent (a child of EL keeps its own subtree);
    a block element leaves a <br> so its text stays a paragraph of its own."""
    parent = el.getparent()
    index = parent.index(el)
    children = list(el)
    lead = el.text if isinstance(el.tag, str) else None
    if _tag(el) in _BLOCK or _tag(el) == "br":
        marker = etree.Element("br")
        marker.tail = lead
        children.insert(0, marker)
    elif lead:
        if index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
    tail = el.tail
    parent.remove(el)  # lxml takes the tail along
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if tail:
        if children:
            children[-1].tail = (children[-1].tail or "") + tail
        elif index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


_TOKEN = re.compile(r"""<!--.*?-->|<(/?)([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "basefont", "frame", "isindex", "keygen"}
_SELF_CLOSING = {"p", "li", "td", "th", "tr", "option", "dt", "dd"}  # a second one closes the first


def cap_markup_depth(text: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """Drop the start and end tags of elements opened deeper than LIMIT (their text stays), before libxml2,
    whose parser stops at 256 (2048 huge) levels and loses the rest of the page. Returns the text and how
    many tags were dropped; a page that never goes that deep is returned as it is."""
    stack: list[tuple[str, bool]] = []
    kept_depth = 0
    drop: list[tuple[int, int]] = []
    raw_until = ""
    for m in _TOKEN.finditer(text):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if raw_until:
            if closing and name == raw_until:
                raw_until = ""
            else:
                continue
        if not name or name in _VOID or m.group(3).rstrip().endswith("/"):
            continue
        if not closing:
            if name in _SELF_CLOSING and stack and stack[-1][0] == name:
                kept_depth -= stack.pop()[1]
            keep = kept_depth < limit or name in _TABLE_TAGS and kept_depth < limit + _TABLE_DEPTH
            if not keep:
                drop.append(m.span())
            stack.append((name, keep))
            kept_depth += keep
            if name in _RAW_TEXT:
                raw_until = name
            continue
        for i in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
            if stack[i][0] == name:
                if not stack[i][1]:
                    drop.append(m.span())
                for _ in range(len(stack) - i):
                    kept_depth -= stack.pop()[1]
                break
    if not drop:
        return text, 0
    pieces, last = [], 0
    for start, end in drop:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), len(drop)


def read_html(data: bytes, source: str) -> Document:
    """Read an HTML page into the document model (one unnumbered page)."""
    decoded = _decode(data)
    text, dropped = cap_markup_depth(decoded.text)
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ReaderError(f"unreadable HTML: {exc}") from exc
    flattened = flatten_deep(root) + dropped
    builder = DocumentBuilder(source, "html")
    builder.page(None)
    builder.doc.warnings.extend(decoded.warnings)
    if flattened:
        builder.doc.warnings.append(f"{flattened} elements nested over {MAX_DEPTH} deep were read as flat text")
    title = page_title(root)
    if title:
        builder.doc.metadata["title"] = title
    for key, names in (("published", ("PubDate", "pubdate", "firstpublishedtime", "publishdate")),
                       ("publisher", ("ContentSource", "Author", "author")),
                       ("url", ("Url", "og:url"))):
        value = _meta(root, *names)
        if value:
            builder.doc.metadata[key] = value
    for key, value in page_facts(root).items():  # what the page says of its site, before the chrome goes
        builder.doc.metadata.setdefault(key, value)
    _strip(root)
    reader = _BodyReader(builder)
    reader.walk_children(find_body(root))
    doc = builder.build()
    if not doc.text.strip() and not doc.tables:
        raise ReaderError("HTML page holds no report text")
    return doc
