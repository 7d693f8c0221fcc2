"""The hostile cases we keep (tests/hostile.py): each read, refused or bounded as it should be, in one
2-worker batch beside good reports, with clear reasons and no internal errors."""

from __future__ import annotations

import pytest

from pipeline.executors import Guards
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS
from tests.hostile import GOOD, HOSTILE_CASES, build_hostile_cases
from tests.test_pipeline import by_name, read_rows


def _values(rows: list[dict[str, str]], doc_id: str) -> dict[tuple[str, str, str], str]:
    return {(c["table"], c["row_key"], c["col_key"]): c["value"] for c in rows if c["doc_id"] == doc_id}


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    folder = build_hostile_cases(tmp_path_factory.mktemp("hostile") / "cases")
    for name in GOOD:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    out = tmp_path_factory.mktemp("out")
    run_batch([str(folder)], out, RunOptions(jobs=2, progress=False, guards=Guards(timeout=120)))
    return by_name(read_rows(out / "documents.csv")), read_rows(out / "table_cells.csv")


@pytest.mark.parametrize("name", sorted(HOSTILE_CASES))
def test_hostile_case(hostile_batch, name):
    documents, cells = hostile_batch
    seed = _values(cells, documents["enhe-2022.txt"]["doc_id"])
    _make, expected, words = HOSTILE_CASES[name]
    row = documents[name]
    assert "internal error" not in row["error"] and "Traceback" not in row["error"], row
    if expected == "same":
        assert row["status"] == "ok", row
        assert _values(cells, row["doc_id"]) == seed  # every template cell read as in the seed
    else:
        assert row["status"] == expected, row
    assert words in row["error"] + row["warnings"], row


def test_good_reports_intact_beside_the_hostile_ones(hostile_batch):
    documents, cells = hostile_batch
    seed = _values(cells, documents["enhe-2022.txt"]["doc_id"])
    assert len(seed) == 200
    for name in GOOD:
        assert documents[name]["status"] == "ok" and _values(cells, documents[name]["doc_id"]) == seed


def test_a_tounicode_range_over_the_whole_code_space_is_refused_quickly():
    """pdfminer would add 2**32 entries to the font's map; the bound stops it within a second."""
    import time

    from extractors.errors import ReaderError
    from extractors.readers.pdf import read_pdf
    from tests.hostile import cmap_bomb_pdf

    started = time.monotonic()
    with pytest.raises(ReaderError, match="ToUnicode"):
        read_pdf(cmap_bomb_pdf(), "cmap.pdf", fast=False)  # the pdfminer path, which parses the map
    assert time.monotonic() - started < 30


def test_inflation_is_bounded_inside_pdfminer_too():
    import zlib

    from extractors.readers.pdf_limits import MAX_STREAM_BYTES, StreamTooLarge, bounded_decompress

    bomb = zlib.compress(b"\0" * (MAX_STREAM_BYTES + 1))
    with pytest.raises(StreamTooLarge):
        bounded_decompress(bomb)
    assert bounded_decompress(zlib.compress(b"ok")) == b"ok"


def test_stream_check_skips_only_streams_that_cannot_reach_the_limit():
    """check_streams leaves out streams too near the file's end to inflate beyond the limit at deflate's
    largest ratio; a bomb there is still found, even one right at that bound."""
    import zlib

    from extractors.readers.pdf_limits import MAX_RATIO, StreamTooLarge, check_streams

    for size in (10**5, 10**6, 2**24):
        packed = zlib.compress(b"\0" * size, 9)  # zlib's best: close to deflate's largest ratio
        assert MAX_RATIO * len(packed) >= size
        tail = b"\nendstream\nendobj\n%%EOF\n"
        head = b"1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        data = b"%PDF-1.7\n" + head + packed + tail
        with pytest.raises(StreamTooLarge):
            check_streams(data, limit=size - 1)
        check_streams(data, limit=size)  # exactly at the limit: allowed
        assert MAX_RATIO * (len(packed) + len(tail)) > size - 1  # the bound never skipped it
