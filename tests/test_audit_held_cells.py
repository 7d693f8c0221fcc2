"""The audit page takes the cells flags name from the run's memory where it still holds every cell written,
and from table_cells.csv otherwise: the page's data is the same either way."""

from __future__ import annotations

import pytest

import pipeline.assemble
import pipeline.audit
from pipeline.audit.data import load
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS

NAMES = ["enhe-2022.pdf", "enhe-2022.docx", "enhe-2022.txt", "variants/t3-nbsp-blanks.pdf",
         "variants/cut-headers.docx", "enhe-2022.txt"]  # the last a duplicate: its row has no cells of its own


@pytest.mark.parametrize("max_kept", [pipeline.assemble.MAX_KEPT_CELLS, 10])
def test_the_page_reads_the_same_cells_from_memory_or_the_csv(tmp_path, monkeypatch, max_kept):
    monkeypatch.setattr(pipeline.assemble, "MAX_KEPT_CELLS", max_kept)
    seen = []
    real_load = pipeline.audit.load

    def spy(out, written=None):
        data = real_load(out, written)
        seen.append((written, data))
        return data

    monkeypatch.setattr(pipeline.audit, "load", spy)
    out = tmp_path / "out"
    run_batch([str(CORPUS / n) for n in NAMES], out, RunOptions(jobs=0, progress=False))
    ((written, data),) = seen
    if max_kept == 10:  # more cells than kept: the CSV is read
        assert written is None
    else:
        assert written is not None and sum(map(len, written)) > 100
    from_csv = load(out)
    assert sum(map(len, from_csv.cells_by_doc.values())) >= 5  # flags name cells in these reports
    assert data == from_csv
    assert [list(c) for c in data.cells_by_doc.values()] == [list(c) for c in from_csv.cells_by_doc.values()]
