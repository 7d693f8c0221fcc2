"""Cell text -> value, with forms printed in real report tables."""

from __future__ import annotations

import pytest

from extractors.tables.cell_values import is_value_text, parse_cell


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("4119", 4119), ("7730.28", 7730.28), ("24252.311082", 24252.311082),  # real-001, real-006
    ("75394432.52元", 75394432.52),  # real-004 政府集中采购 采购总金额
    ("３", 3), ("１２０", 120), ("3件", 3), ("1,234", 1234), ("1，234", 1234), (" 21 ", 21),
    ("-3", -3), ("－3", -3), ("减少3", -3), ("增加2", 2), ("下降3", -3), ("增长3", 3),
])
def test_numbers(text: str, value: float) -> None:
    cell = parse_cell(text)
    assert cell.ok and not cell.blank and cell.value == value and type(cell.value) is type(value)
    assert cell.raw == text.strip()


@pytest.mark.parametrize("text", ["", "—", "-", "/", "无", "——", "－", "／", "  ", None])
def test_blank_forms(text: str | None) -> None:
    cell = parse_cell(text)
    assert cell.ok and cell.blank and cell.value is None


@pytest.mark.parametrize("text", ["详见附件", "（四）无", "1.属于国家秘密", "第二十条第（一）项", "3.5.1", "约3件"])
def test_prose_is_not_a_value(text: str) -> None:
    cell = parse_cell(text)
    assert not cell.ok and cell.value is None and not cell.blank and not is_value_text(text)


def test_written_zero_is_not_blank() -> None:
    assert parse_cell("0").blank is False and parse_cell("0").value == 0


@pytest.mark.parametrize("text, value", [
    ("22（其中修订16件）", 22), ("6(含部分公开)", 6), ("3件（其中1件）", 3), ("790.10（万元）", 790.1)])
def test_a_note_after_the_number_keeps_the_value_and_stays_in_raw(text: str, value: float) -> None:
    """A converter joins a cell's two lines, or a report annotates its count: the value is the number."""
    cell = parse_cell(text)
    assert cell.ok and cell.value == value and cell.raw == text


@pytest.mark.parametrize("text", ["（一）予以公开", "1(2)(3)", "(含部分)", "2.其他(见附件)"])
def test_a_parenthesis_does_not_make_a_label_a_value(text: str) -> None:
    assert not is_value_text(text)
