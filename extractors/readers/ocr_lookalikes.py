"""What OCR prints for digits and dashes it misreads (no numpy: the table checks read it too)."""

from __future__ import annotations

# characters the recogniser prints for a digit (its Chinese model reads a lone round 0 as 。), and the digit
LOOKALIKES = {"。": "0", "○": "0", "〇": "0", "O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1",
              "S": "5", "B": "8"}
DIGITS = frozenset("0123456789")
SEPARATORS = frozenset(".,")  # a decimal point or a thousands comma: a mark too small to count as a digit
# what it prints for a dash (a flat stroke): 一 above all
DASH_READINGS = frozenset({"一", "一一", "—", "——", "－", "-", "--", "_", "–", "~", "～", "。", "."})


def as_digits(text: str) -> str | None:
    """The text with look-alikes turned into digits; None unless it is digits, look-alikes and separators
    alone with at least one digit among them."""
    out = "".join(LOOKALIKES.get(ch, ch) for ch in text)
    return out if out and set(out) <= DIGITS | SEPARATORS and any(ch in DIGITS for ch in out) else None


def digit_count(text: str) -> int:
    """The characters of a number that print as a mark of a digit's size (separators do not)."""
    return sum(1 for ch in text if ch not in SEPARATORS)
DASH_SHAPE = 2.0  # a flat mark at least this many times wider than high is a dash (a printed hyphen is ~2.2)
