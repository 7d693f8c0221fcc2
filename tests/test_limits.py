"""Run limits that no reader can swallow, that say what happened, and that a rerun with a higher limit retries."""

from __future__ import annotations

import time
from dataclasses import dataclass

from extractors.errors import OUT_OF_MEMORY, ReaderError
from pipeline import __version__
from pipeline.discover import InputItem
from pipeline.executors import Guards, run_pool
from pipeline.run import RunOptions, run_batch
from pipeline.store import ResultStore
from tests.conftest import CORPUS
from tests.test_pipeline import by_name, read_rows


def _stubborn_reader(data: bytes, source: str):  # noqa: ARG001 - a reader's signature
    """A reader that catches everything while it works, as pdfminer's and many others' loops do."""
    end = time.monotonic() + 6
    while time.monotonic() < end:
        try:
            time.sleep(0.01)
        except Exception:  # noqa: BLE001, S110 - the point of the test: a broad handler must not eat the timeout
            pass
    raise ReaderError("the reader gave up by itself")


def test_timeout_is_not_swallowed_by_a_broad_handler_and_is_retried_on_rerun(tmp_path, monkeypatch):
    import extractors.readers.txt

    report = tmp_path / "in" / "report.txt"
    report.parent.mkdir()
    report.write_bytes((CORPUS / "enhe-2022.txt").read_bytes())
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(extractors.readers.txt, "read_txt", _stubborn_reader)
        run_batch([str(report)], out, RunOptions(jobs=0, progress=False, guards=Guards(timeout=1)))
    row = read_rows(out / "documents.csv")[0]
    assert row["status"] == "failed" and row["error"] == "timeout after 1 s (raise --timeout)", row
    assert row["sha256"]  # the row still names the bytes
    assert not ResultStore(out, __version__).has(row["sha256"])  # but the failure is not checkpointed
    summary = run_batch([str(report)], out, RunOptions(jobs=0, progress=False))
    assert summary.resumed == 0 and read_rows(out / "documents.csv")[0]["status"] == "ok"


def _oom_reader(data: bytes, source: str):  # noqa: ARG001
    raise MemoryError()


def test_out_of_memory_says_so_and_is_not_checkpointed(tmp_path, monkeypatch):
    import extractors.readers.txt

    out = tmp_path / "out"
    monkeypatch.setattr(extractors.readers.txt, "read_txt", _oom_reader)
    run_batch([str(CORPUS / "enhe-2022.txt")], out, RunOptions(jobs=0, progress=False))
    row = read_rows(out / "documents.csv")[0]
    assert row["status"] == "failed" and row["error"] == OUT_OF_MEMORY
    assert not ResultStore(out, __version__).has(row["sha256"])


@dataclass(frozen=True)
class GreedyItem(InputItem):
    """Reading it grows memory step by step inside a broad handler, as a parser building a huge table does."""

    def read_bytes(self) -> bytes:
        hoard = []
        try:
            for _ in range(400):
                hoard.append(bytearray(10 * 2**20))  # 10 MB a step, touched: resident
                time.sleep(0.005)
        except Exception:  # noqa: BLE001 - must not catch the memory limit
            return b"swallowed"
        return b"finished without hitting the cap"


def test_resident_memory_cap_stops_a_greedy_document_and_the_worker_goes_on(tmp_path):
    items = [GreedyItem("greedy.pdf", "greedy.pdf"), InputItem("enhe-2022.txt", str(CORPUS / "enhe-2022.txt"))]
    results = dict(run_pool(items, jobs=1, guards=Guards(timeout=120, max_memory_mb=600)))
    greedy, good = results[0].document, results[1].document
    assert greedy.status == "failed" and greedy.error == OUT_OF_MEMORY, greedy
    assert good.status == "ok"


def test_a_limit_failure_keeps_the_batch_and_its_row(tmp_path, monkeypatch):
    """A timeout in one document leaves the others' rows and the summary agreeing with documents.csv."""
    import extractors.readers.txt

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes((CORPUS / "enhe-2022.txt").read_bytes())
    (folder / "b.docx").write_bytes((CORPUS / "enhe-2022.docx").read_bytes())
    monkeypatch.setattr(extractors.readers.txt, "read_txt", _stubborn_reader)
    summary = run_batch([str(folder)], tmp_path / "out", RunOptions(jobs=0, progress=False, guards=Guards(timeout=1)))
    rows = by_name(read_rows(tmp_path / "out" / "documents.csv"))
    assert rows["a.txt"]["error"].startswith("timeout after 1 s") and rows["b.docx"]["status"] == "ok"
    assert (summary.ok, summary.failed) == (1, 1)


def test_a_document_over_the_cap_after_others_is_read_again_alone():
    """Under a 600 MB cap a document needing 400 MB fails in a worker an earlier document left 300 MB in,
    and reads fine in a fresh one: its row is the fresh worker's, whatever ran before it in its worker."""
    from tests.memory_items import HoardingItem, NeedyItem

    items = [HoardingItem("hoards.txt", "hoards.txt"), NeedyItem("needs.txt", "needs.txt")]
    results = dict(run_pool(items, jobs=1, guards=Guards(timeout=120, max_memory_mb=600)))
    assert [results[i].document.status for i in (0, 1)] == ["ok", "ok"], [results[i].document for i in (0, 1)]
    assert results[1].document.year == 2022
    alone = dict(run_pool(items[1:], jobs=1, guards=Guards(timeout=120, max_memory_mb=600)))
    assert alone[0].document.status == "ok"


@dataclass(frozen=True)
class AbortingItem(InputItem):
    """Reading it grows near the memory cap, then the process dies the way a native library dies when an
    allocation fails under the address-space backstop (abort): the exit status says nothing of memory."""

    def read_bytes(self) -> bytes:
        import os

        hoard = []
        for _ in range(34):
            hoard.append(b"x" * (10 * 2**20))  # 340 MB of a 400 MB cap, resident, in steps the watch samples
            time.sleep(0.02)
        time.sleep(0.3)
        os.abort()
        return b""


def test_a_worker_dying_near_the_memory_cap_is_reported_as_memory():
    items = [AbortingItem("aborts.pdf", "aborts.pdf"), InputItem("enhe-2022.txt", str(CORPUS / "enhe-2022.txt"))]
    results = dict(run_pool(items, jobs=1, guards=Guards(timeout=120, max_memory_mb=400)))
    assert results[0].document.status == "failed" and results[0].document.error == OUT_OF_MEMORY, results[0].document
    assert results[1].document.status == "ok"


@dataclass(frozen=True)
class NativeHogItem(InputItem):
    """Reading it fills 1.2 GB in one native call (no bytecode boundary for the signal to land on)."""

    def read_bytes(self) -> bytes:
        return b"x" * (1200 * 2**20)


def _peak_of_children(stop, peaks: dict[int, int]) -> None:
    import psutil

    me = psutil.Process()
    while not stop.is_set():
        for child in me.children(recursive=True):
            try:
                with open(f"/proc/{child.pid}/status") as fh:
                    hwm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
                peaks[child.pid] = max(peaks.get(child.pid, 0), hwm)
            except (OSError, StopIteration, ValueError):
                pass
        time.sleep(0.002)


def test_the_memory_cap_is_hard_for_native_growth():
    """A worker's peak resident size stays near its loaded size plus --max-memory: once over the cap, any
    further growth ends it (it used to grow to 1.5 times its whole size first). The loaded size is the
    peak of a worker that read the seed report alone."""
    import threading

    cap = 400
    measured = []
    for items in ([InputItem("enhe-2022.txt", str(CORPUS / "enhe-2022.txt"))], [NativeHogItem("hog.pdf", "hog.pdf")]):
        stop, peaks = threading.Event(), {}
        watcher = threading.Thread(target=_peak_of_children, args=(stop, peaks), daemon=True)
        watcher.start()
        results = dict(run_pool(items, jobs=1, guards=Guards(timeout=120, max_memory_mb=cap)))
        stop.set()
        watcher.join()
        measured.append((max(peaks.values()), results[0].document))
    (loaded, good), (peak, hog) = measured
    assert good.status == "ok" and hog.status == "failed" and hog.error == OUT_OF_MEMORY
    over = (peak - loaded) / 2**20
    print(f"memory cap {cap} MB: worker peak {over:.0f} MB over its loaded size")
    assert over < cap * 1.25 + 64, over
