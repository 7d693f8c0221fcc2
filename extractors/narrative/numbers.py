"""Number parsing for report prose: Arabic (thousands separators, decimals, full-width) and Chinese numerals."""

from __future__ import annotations

# full-width digits and number punctuation -> ASCII, one character for one (offsets stay valid)
_HALFWIDTH = tuple(zip("０１２３４５６７８９．％＠：／－～", "0123456789.%@:/-~", strict=True))

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "千": 1000, "十万": 100_000}


def to_halfwidth(text: str) -> str:
    """Full-width digits, point, percent and a few signs to ASCII; the length never changes."""
    # a replace per character the text holds: str.translate looks up every character of a long text
    # (no ASCII target is a source, so the order of the replacements does not matter)
    for wide, narrow in _HALFWIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def parse_arabic(text: str) -> float | int | None:
    """'3,185,037.64' -> 3185037.64, '491' -> 491; None when it is not a plain decimal number."""
    cleaned = to_halfwidth(text).replace(",", "").strip()
    try:
        return int(cleaned) if cleaned.isdigit() else float(cleaned)
    except ValueError:
        return None


def _parse_section(text: str) -> int | None:
    """A numeral below 万: '三千零五' -> 3005, '十二' -> 12, '五' -> 5."""
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in "零〇" and digit is None and last_unit < 10_000:
            continue  # '一百零五': the zero only holds a place
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # two digits in a row ('十四五', '二〇二二')
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        total += digit
    return total


def parse_chinese(text: str) -> int | None:
    """Chinese numeral to int: '三' 3, '一万二千' 12000, '两千' 2000, '十' 10; None for '十四五', '二〇二二'."""
    text = text.strip()
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    total = 0
    rest = text
    for big in ("亿", "万"):
        if big in rest:
            head, _, rest = rest.partition(big)
            if not head or big in rest:
                return None
            value = parse_chinese(head) if big == "亿" else _parse_section(head)
            if value is None:
                return None
            total += value * CN_BIG_UNITS[big]
    if rest:
        if rest.startswith("零"):
            rest = rest[1:]
        value = _parse_section(rest)
        if value is None:
            return None
        total += value
    return total


def parse_number(text: str) -> float | int | None:
    """An Arabic or Chinese numeral as printed, before any multiplier or unit."""
    text = text.strip()
    if not text:
        return None
    if text[0] in CN_NUMERAL_CHARS:
        return parse_chinese(text)
    return parse_arabic(text)


def scale(value: float | int, multiplier: str) -> float | int:
    """Apply a printed multiplier ('万', '亿', '千万' …), keeping integers integral and floats tidy."""
    factor = MULTIPLIERS.get(multiplier, 1) if multiplier else 1
    result = value * factor
    if isinstance(result, float):
        result = round(result, 6)
        if result.is_integer():
            return int(result)
    return result
