"""Short printed text worked out once per worker (extractors/text_cache.py): the same answers as uncached, on
every cell and label of real reports; long text never held."""

from __future__ import annotations

import pytest

from extractors.readers.txt import read_txt
from extractors.tables.cell_values import parse_cell
from extractors.tables.labels import match_t2_col, match_t2_row, match_t3_col, match_t3_label, t4_group
from extractors.text_cache import SHORT_TEXT, short_text_cache
from tests.conftest import CORPUS


def test_short_text_is_worked_out_once_and_long_text_each_time():
    calls: list[str] = []

    @short_text_cache
    def length(text: str, extra: str = "") -> int:
        calls.append(text)
        return len(text + extra)

    short, long = "（三）不予公开", "政" * (SHORT_TEXT + 1)
    assert [length(short), length(short), length(long), length(long)] == [7, 7, SHORT_TEXT + 1, SHORT_TEXT + 1]
    assert calls == [short, long, long]
    assert length(short, extra=long) == 7 + SHORT_TEXT + 1 and calls[-1] == short  # a long argument: not cached
    assert length(short, extra=long) == 7 + SHORT_TEXT + 1 and calls.count(short) == 3


@pytest.mark.parametrize("name", ["enhe-2022.txt"])
def test_cached_answers_are_the_uncached_ones_on_a_real_report(name):
    doc = read_txt((CORPUS / name).read_bytes(), name)
    texts = [c.text for t in doc.tables for c in t.cells] + [p.text for p in doc.paragraphs]
    assert len(texts) > 100
    for text in texts * 2:  # the second pass answers from the cache
        assert parse_cell(text) == parse_cell.__wrapped__(text)  # type: ignore[attr-defined]
        for fn in (match_t2_row, match_t2_col, match_t3_col, t4_group):
            assert fn(text) == fn.__wrapped__(text), (fn.__name__, text)  # type: ignore[attr-defined]
        for group in ("", "denied", "unable"):
            assert match_t3_label(text, group) == match_t3_label.__wrapped__(text, group)  # type: ignore[attr-defined]
