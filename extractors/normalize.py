"""Normalize a read document before extraction: traditional-script reports become simplified, so one set
of labels, units and keywords serves both (some portals publish 繁體 versions of their reports)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex as re

from schemas.document import Document, Paragraph

_NOT_HAN = re.compile(r"\P{Han}+")
# share of Han characters that OpenCC changes above which a text counts as traditional
TRADITIONAL_SHARE = 0.03


@lru_cache(maxsize=1)
def _converter():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency; stay usable without it
        return None
    return opencc.OpenCC("t2s")


# each character's own NFKC form, as met (a report uses a few hundred distinct characters)
_NFKC_OF: dict[str, str] = {}


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on Chinese prose: each distinct character that NFKC
    changes (full-width punctuation, mostly) is replaced by its own NFKC form, which leaves the text's
    compatibility decomposition as it was; when the result is then normalized it is NFKC of the text,
    else the text is normalized in full."""
    if text.isascii():  # every ASCII character is its own NFKC form
        return text
    out = text
    for char in set(text):
        plain = _NFKC_OF.get(char)
        if plain is None:
            plain = _NFKC_OF[char] = unicodedata.normalize("NFKC", char)
        if plain != char:
            out = out.replace(char, plain)
    return out if unicodedata.is_normalized("NFKC", out) else unicodedata.normalize("NFKC", text)


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the text's Han characters are traditional forms."""
    converter = _converter()
    sample = _NOT_HAN.sub("", text[:20000])  # the Han characters, in order
    if converter is None or len(sample) < 20:
        return False
    simplified = converter.convert(sample)
    if simplified == sample:  # a simplified text (most reports): nothing changed, no need to count
        return False
    changed = sum(1 for a, b in zip(sample, simplified, strict=False) if a != b)
    return changed / len(sample) >= TRADITIONAL_SHARE


def simplify(doc: Document) -> bool:
    """Convert a traditional-script document to simplified in place; returns True when it did."""
    probe = doc.text[:20000] + "".join(c.text for t in doc.tables[:3] for c in t.cells)  # is_traditional reads 20000
    if not is_traditional(probe):
        return False
    convert = _converter().convert
    offset = 0
    parts: list[str] = []
    for page in doc.pages:
        for block in page.blocks:
            if isinstance(block, Paragraph):
                block.text = convert(block.text)
                block.start, block.end = offset, offset + len(block.text)
                parts.append(block.text)
                offset = block.end + 1
            else:
                block.start = offset
                for cell in block.cells:
                    cell.text = convert(cell.text)
    doc.text = "\n".join(parts)
    doc.metadata = {k: convert(v) for k, v in doc.metadata.items()}
    doc.warnings.append("traditional-script text converted to simplified for extraction")
    return True
