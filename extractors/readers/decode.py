"""Bytes of a text or HTML report to str, whatever encoding a portal or an archiving tool used.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16/32 without one, told by where the NUL bytes of
ASCII characters fall; a charset the page declares; UTF-8; UTF-8 with a few bad bytes; charset-normalizer's
guess (Big5, Shift-JIS …); GB18030; and last GB18030 with bad bytes replaced. Replaced bytes are counted
in a warning instead of failing the report.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import regex as re

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz"}
_FEW_BAD = 0.002  # a share of replaced characters still read as a damaged copy of this encoding
_SNIFF = 4096


# NUL and the C0/C1 controls a text never prints (tab, line feed and carriage return are kept): left by
# damaged copies and converters; removed, counted in a warning
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# single-byte Western codepages a detector may guess for short Chinese text in a multi-byte encoding
_LATIN = re.compile(r"^(?:iso-?8859|cp125|windows-125|mac|latin|koi8|cp437|cp850|ascii)", re.I)
_CJK = re.compile(r"\p{Han}")


def clean_text(text: str) -> tuple[str, list[str]]:
    """TEXT without NUL and control characters and with lone surrogates (which no encoder or library
    such as OpenCC accepts) replaced by U+FFFD; a warning counting each."""
    warnings = []
    text, controls = _CONTROLS.subn("", text)
    if controls:
        warnings.append(f"{controls} NUL or control character(s) removed from the text")
    text, surrogates = _SURROGATE.subn("\ufffd", text)
    if surrogates:
        warnings.append(f"{surrogates} lone surrogate(s) replaced by \ufffd")
    return text, warnings


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def wide_unicode(head: bytes) -> str | None:
    """utf-16-le/-be or utf-32-le/-be for text without a byte-order mark, from the NUL bytes that
    ASCII characters (digits, spaces, line breaks) leave in fixed positions; None otherwise."""
    head = head[: _SNIFF - _SNIFF % 4]
    if len(head) < 8 or head.count(0) < len(head) // 16:
        return None
    quads = [head[i::4].count(0) for i in range(4)]
    n = len(head) // 4
    if quads[2] > 0.9 * n and quads[3] > 0.9 * n:  # a BMP character's two high bytes are 0 in UTF-32
        return "utf-32-le"
    if quads[0] > 0.9 * n and quads[1] > 0.9 * n:
        return "utf-32-be"
    even, odd = quads[0] + quads[2], quads[1] + quads[3]
    if odd > 4 * max(even, 1) and odd > n // 4:
        return "utf-16-le"
    if even > 4 * max(odd, 1) and even > n // 4:
        return "utf-16-be"
    return None


def _normal(name: str) -> str:
    name = name.lower().replace("_", "-")
    return "gb18030" if name in _GB_ALIASES else name


def _replaced(data: bytes, encoding: str) -> Decoded:
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    warnings = [f"{bad} undecodable byte sequence(s) in {encoding} text replaced by \ufffd"] if bad else []
    return Decoded(text, encoding, warnings)


def _strict(data: bytes, encoding: str) -> Decoded | None:
    try:
        return Decoded(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _few_errors(data: bytes, encoding: str) -> Decoded | None:
    decoded = _replaced(data, encoding)
    bad = decoded.text.count("\ufffd")
    return decoded if bad <= max(1, len(decoded.text) * _FEW_BAD) else None


def _guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return None
    encoding = _normal(best.encoding)
    return _strict(data, encoding) or _few_errors(data, encoding)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode DATA as the module docstring says, NUL and control characters removed (clean_text); never
    raises (the last resort replaces bad bytes)."""
    decoded = _decode(data, declared)
    decoded.text, notes = clean_text(decoded.text)
    decoded.warnings.extend(notes)
    return decoded


def _cjk_gb18030(data: bytes) -> Decoded | None:
    """GB18030 when the bytes decode strictly as it into text that is mostly Chinese."""
    found = _strict(data, "gb18030")
    if found is None:
        return None
    letters = sum(1 for ch in found.text if ch.isalpha())
    return found if letters and len(_CJK.findall(found.text)) > letters / 2 else None


def _decode(data: bytes, declared: str | None) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _replaced(data[len(bom):], encoding)
    wide = wide_unicode(data[:_SNIFF])
    if wide:
        return _replaced(data[: len(data) - len(data) % (4 if "32" in wide else 2)], wide)
    if declared:
        found = _strict(data, _normal(declared))
        if found:
            return found
    found = _strict(data, "utf-8") or _few_errors(data, "utf-8")
    if found:
        return found
    guess = _guess(data)
    if guess is not None and _LATIN.match(guess.encoding):
        # a Western codepage guessed for bytes that are Chinese in GB18030 (a GBK page still declaring
        # utf-8): the bytes are trusted over the guess
        guess = _cjk_gb18030(data) or guess
    return guess or _strict(data, "gb18030") or _replaced(data, "gb18030")
