"""extractors.normalize.nfkc: the same text as unicodedata's NFKC for every input, by a faster road on
Chinese prose (metadata cleans the opening thousands of characters of every report with it)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from extractors.normalize import nfkc

# characters whose NFKC form depends on their neighbours, or is longer than themselves
_TRICKY = [
    "（一）１２３，。",  # full-width brackets, digits and comma: replaced one for one
    "ｶﾞｷﾞ",  # half-width kana and voiced mark: the mark composes with the kana before it
    "e\u0301", "ｅ\u0301", "A\u030a\u0323",  # combining marks after a letter, a full-width letter, reordered
    "\u1100\u1161\u11a8",  # conjoining jamo compose to a syllable
    "…㈠①㎡", "\u212b\u2126", "\u0f73\u0344\u0958",  # expansions, singletons, excluded compositions
    "", "plain ASCII text", "政府信息公开工作年度报告",
]


@pytest.mark.parametrize("text", _TRICKY)
def test_nfkc_equals_unicodedata_on_tricky_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_equals_unicodedata_on_random_mixtures() -> None:
    ranges = [(0x20, 0x7F), (0x300, 0x370), (0x3000, 0x3100), (0xFF00, 0xFFF0), (0x1100, 0x1200),
              (0xAC00, 0xAC40), (0x2460, 0x2500), (0xF900, 0xF920), (0x4E00, 0x4E40), (0x1E00, 0x1E20)]
    pool = [chr(c) for lo, hi in ranges for c in range(lo, hi)]
    rng = random.Random(25)
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def test_nfkc_changes_full_width_punctuation() -> None:
    """The fast road is taken on report prose and still changes what NFKC changes."""
    assert nfkc("２０２３年，共受理（申请）１２件") == "2023年,共受理(申请)12件"
