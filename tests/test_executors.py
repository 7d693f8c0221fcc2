"""The local pool's guards: a spinning document times out, a memory hog hits the cap, a dying worker is
replaced — and in each case the other documents still come out."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from pipeline.discover import InputItem
from pipeline.executors import Guards, run_pool
from tests.conftest import CORPUS


@dataclass(frozen=True)
class SpinningItem(InputItem):
    """Reading it never finishes (a parser stuck in a loop)."""

    def read_bytes(self) -> bytes:
        while True:
            time.sleep(0.01)


@dataclass(frozen=True)
class HungryItem(InputItem):
    """Reading it asks for far more memory than the cap allows."""

    def read_bytes(self) -> bytes:
        return b"x" * (3 * 2**30)


@dataclass(frozen=True)
class CrashingItem(InputItem):
    """Reading it kills the worker process outright (a fault in native code)."""

    def read_bytes(self) -> bytes:
        os._exit(1)


def _good(name: str) -> InputItem:
    return InputItem(name, str(CORPUS / name))


def _run(items, **guards) -> dict[str, object]:
    results = dict(run_pool(items, jobs=2, guards=Guards(**guards)))
    assert sorted(results) == list(range(len(items)))  # every document reported exactly once
    return {items[i].source: r.document for i, r in results.items()}


def test_spinning_document_times_out_and_the_rest_come_out():
    items = [_good("enhe-2022.txt"), SpinningItem("stuck.pdf", "stuck.pdf"), _good("enhe-2022.docx")]
    docs = _run(items, timeout=3)
    assert docs["stuck.pdf"].status == "failed" and docs["stuck.pdf"].error.startswith("timeout")
    assert docs["enhe-2022.txt"].status == "ok" and docs["enhe-2022.docx"].status == "ok"


def test_memory_hog_hits_the_cap_and_the_rest_come_out():
    items = [HungryItem("huge.pdf", "huge.pdf"), _good("enhe-2022.txt")]
    docs = _run(items, timeout=60, max_memory_mb=1024)
    assert docs["huge.pdf"].status == "failed" and "out of memory" in docs["huge.pdf"].error
    assert docs["enhe-2022.txt"].status == "ok"


def test_dead_worker_is_replaced_and_its_document_reported():
    items = [_good("enhe-2022.txt"), CrashingItem("crash.doc", "crash.doc"), _good("enhe-2022.docx"),
             _good("enhe-2022.pdf")]
    docs = _run(items, timeout=60)
    assert docs["crash.doc"].status == "failed" and "worker crashed" in docs["crash.doc"].error
    assert all(docs[name].status == "ok" for name in ("enhe-2022.txt", "enhe-2022.docx", "enhe-2022.pdf"))


def test_a_2000_page_pdf_is_a_failed_row_without_being_parsed(tmp_path):
    from pypdf import PdfWriter

    from pipeline.run import RunOptions, run_batch
    from tests.test_pipeline import read_rows

    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "huge.pdf", "wb") as fh:
        writer.write(fh)
    run_batch([str(tmp_path / "huge.pdf"), str(CORPUS / "enhe-2022.txt")], tmp_path / "out",
              RunOptions(jobs=1, progress=False))
    rows = {r["source"].rsplit("/", 1)[-1]: r for r in read_rows(tmp_path / "out" / "documents.csv")}
    assert rows["huge.pdf"]["status"] == "failed" and "2000 pages" in rows["huge.pdf"]["error"]
    assert rows["huge.pdf"]["pages"] == "2000"
    assert rows["enhe-2022.txt"]["status"] == "ok"
