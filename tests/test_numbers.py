"""Number parsing: Arabic with separators and full-width digits, Chinese numerals, multipliers."""

from __future__ import annotations

import pytest

from extractors.narrative.numbers import parse_arabic, parse_chinese, parse_number, scale, to_halfwidth


@pytest.mark.parametrize(("text", "value"), [
    ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("两千", 2000), ("一万二千", 12000),
    ("一百零五", 105), ("三千零五", 3005), ("一亿二千万", 120_000_000), ("零", 0),
])
def test_chinese_numerals(text: str, value: int) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["十四五", "二〇二二", "", "万", "三五"])
def test_not_chinese_numbers(text: str) -> None:
    # '十四五' (the five-year plan) and '二〇二二' (a year spelt digit by digit) are not quantities
    assert parse_chinese(text) is None


def test_arabic_numbers() -> None:
    assert parse_arabic("3185037.64") == pytest.approx(3185037.64)
    assert parse_arabic("3,185,037.64") == pytest.approx(3185037.64)
    assert parse_arabic("41908.39") == pytest.approx(41908.39)
    assert parse_arabic("491") == 491 and isinstance(parse_arabic("491"), int)
    assert parse_arabic("４９１") == 491  # full-width digits
    assert parse_arabic("12a") is None


def test_halfwidth_keeps_offsets() -> None:
    text = "下达整改通知书２８份，合格率１００％"
    assert len(to_halfwidth(text)) == len(text)
    assert to_halfwidth(text) == "下达整改通知书28份，合格率100%"


def test_parse_number_dispatches() -> None:
    assert parse_number("三") == 3
    assert parse_number("5020") == 5020


@pytest.mark.parametrize(("value", "mult", "want"), [
    (2090, "万", 20_900_000),  # 2090余万元
    (1.95, "万", 19_500),  # 1.95万元: no float dust
    (34800, "万", 348_000_000),  # 34800 万剂次
    (50, "万", 500_000),  # 50 万余人次
    (3, "亿", 300_000_000),
    (2300, "万", 23_000_000),  # 播放量超2300万: a bare 万 count
    (1.2, "亿", 120_000_000),  # 访问量达1.2亿
    (823147.4, "", 823147.4),
])
def test_scale(value: float, mult: str, want: float) -> None:
    got = scale(value, mult)
    assert got == pytest.approx(want)
    if float(want).is_integer():
        assert isinstance(got, int)
