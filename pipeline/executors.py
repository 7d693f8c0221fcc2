"""Run the per-document function over many inputs: in this process, over a process pool, or on Dask.

Every executor yields (index, DocumentResult) pairs as documents finish and never raises for a bad
document: a timeout, a memory blow-up or a worker that dies becomes that document's failed row. A
document is judged against the memory cap on its own: one that goes over it in a pool worker that had
read others first is read again alone, in a fresh worker, so what earlier documents left resident never
decides its row (and the output stays the same whatever --jobs is).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from extractors.errors import OUT_OF_MEMORY, DocumentTimeout, MemoryLimit, timeout_message
from pipeline import __version__, memory
from pipeline.discover import InputItem
from pipeline.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT
from pipeline.server import worker_context
from schemas.records import DocumentRecord, DocumentResult, Status

_ADDRESS_SPACE_FACTOR = 4  # address space mapped per byte resident, with room (the OCR runtime maps 2.5x)
_pooled = False  # this process is a pool worker (set by _init_worker)
_documents_started = 0  # documents this process has begun


class RetryAlone(Exception):  # noqa: N818 - an instruction to the executor, not an error of the document
    """A pool worker went over its memory cap on a document after reading others: the document is to be
    read again alone, in a fresh worker, where only its own memory counts."""


@dataclass(frozen=True)
class Guards:
    timeout: float = DEFAULT_TIMEOUT  # 0 disables
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB  # 0 disables
    max_pages: int = DEFAULT_MAX_PAGES  # 0 disables
    max_bytes: int = DEFAULT_MAX_BYTES  # 0 disables; checked before a file is read


def available_cores() -> int:
    """The cores this process may run on (its affinity; a container's may be fewer than the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def failed_result(item: InputItem, error: str) -> DocumentResult:
    """A failed row for a document the executor could not finish (timeout, crash)."""
    return DocumentResult(DocumentRecord(doc_id="", source=item.source, sha256="", status=Status.FAILED,
                                         error=error, pipeline_version=__version__))


def _raise_timeout(signum, frame):  # noqa: ARG001 - signal handler signature
    raise DocumentTimeout("alarm")


def guarded_process(item: InputItem, timeout: float = 0.0, max_pages: int = DEFAULT_MAX_PAGES) -> DocumentResult:
    """process_item under a wall-clock alarm (where this thread can take signals) and the worker's memory
    watch (pipeline.memory).

    Both limits raise a BaseException that no reader's `except Exception` can swallow. A limit failure
    comes back without a sha256, so the run never checkpoints it and a rerun with a higher limit retries."""
    # loaded by warm_up in a worker; the run's own process needs none of the readers behind it
    from pipeline.process import process_item

    global _documents_started
    _documents_started += 1
    use_alarm = timeout > 0 and threading.current_thread() is threading.main_thread()
    watch = memory.watch()
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        try:
            if watch is not None:
                watch.arm()
            result = process_item(item, max_pages)
        finally:
            over_cap = watch is not None and watch.disarm()
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if over_cap:  # a MemoryError some reader swallowed, or the cap crossed between two samples
            raise MemoryLimit(OUT_OF_MEMORY)
        return result
    except (DocumentTimeout, TimeoutError):
        return failed_result(item, timeout_message(timeout))
    except (MemoryLimit, MemoryError):
        memory.release_memory()
        if _pooled and _documents_started > 1:
            raise RetryAlone() from None
        return failed_result(item, OUT_OF_MEMORY)
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, previous)


# what a file's name says it is, for choosing the readers a batch's workers load before their first
# document (the reader still goes by the bytes; a name that says nothing loads its reader on first use)
_FORMAT_OF_SUFFIX = {"pdf": "pdf", "docx": "docx", "docm": "docx", "dotx": "docx", "doc": "doc", "wps": "doc",
                     "rtf": "doc", "html": "html", "htm": "html", "shtml": "html", "xhtml": "html", "txt": "txt",
                     "text": "txt"}
_COMMON_MODULES = ("pipeline.process", "extractors.narrative.subjects", "extractors.tables.template_tables",
                   "extractors.tables.flat_tables", "extractors.narrative.figures", "pipeline.checks")
# jieba and its dictionaries (most of a cold worker's start), the 繁→简 converter, the division table
_LOADERS = ("extractors.narrative.subjects:tokenizer", "extractors.normalize:_converter",
            "pipeline.regions:division_table")


def batch_formats(items: Sequence[InputItem]) -> tuple[str, ...]:
    """The reader formats a batch's file names point to (pdf, docx, doc, html, txt), sorted."""
    found = set()
    for item in items:
        name = item.source.rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix in _FORMAT_OF_SUFFIX:
            found.add(_FORMAT_OF_SUFFIX[suffix])
    return tuple(sorted(found))


def warm_up(formats: Sequence[str] | None = None) -> None:
    """Load once per worker what every document needs (jieba and its dictionaries, the extractors and
    checks) and the readers of FORMATS (None: every reader), so the first document's timeout does not
    pay for it and a memory cap set afterwards cannot make an import fail (which would read as a missing
    reader). A PDF-only batch never loads the Word, HTML or LibreOffice readers."""
    from importlib import import_module

    from extractors.readers import READERS

    wanted = READERS if formats is None else {f: READERS[f] for f in formats if f in READERS}
    modules = list(_COMMON_MODULES) + sorted({t.split(":")[0] for t in wanted.values()})
    for name in modules:
        try:
            import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional reader shows up, clearly, on its first document
            pass
    for loader in _LOADERS:  # the tables every document looks up, each built once per process
        try:
            module, name = loader.split(":")
            getattr(import_module(module), name)()
        except Exception:  # noqa: BLE001 - a failed warm-up shows up, clearly, on the first document
            pass


def die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that started it dies (no orphans after a kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _mapped_bytes() -> int:
    """This process's address-space size (Linux /proc; 0 where it cannot tell)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_mark_dir = ""


def _memory_marks() -> str:
    """The folder where this run's workers leave their near-the-cap marks (pipeline.memory), made once."""
    global _mark_dir
    if not _mark_dir:
        import atexit
        import shutil
        import tempfile

        _mark_dir = tempfile.mkdtemp(prefix="nianbao-memory-")
        atexit.register(shutil.rmtree, _mark_dir, True)
    return _mark_dir


def _init_worker(max_memory_mb: int, mark_dir: str = "", formats: Sequence[str] | None = None) -> None:
    """Per-worker set-up: dies with its parent, SIGINT left to the parent, readers loaded (already, in a
    worker forked from the warmed server), memory capped."""
    global _pooled
    _pooled = True
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(formats)
    if max_memory_mb > 0:
        import resource

        memory.install(max_memory_mb, mark_dir)
        # the address-space backstop catches a single allocation too fast for the watch to sample; it
        # counts from what the worker maps already (a fork of a large process maps much)
        limit = _mapped_bytes() + max_memory_mb * _ADDRESS_SPACE_FACTOR * 2**20
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_serial(items: Sequence[InputItem], guards: Guards = Guards()) -> Iterator[tuple[int, DocumentResult]]:
    """In this process, one after another (tests, debugging, --jobs 0)."""
    for index, item in enumerate(items):
        yield index, guarded_process(item, guards.timeout, guards.max_pages)


def run_pool(items: Sequence[InputItem], jobs: int, guards: Guards = Guards()) -> Iterator[tuple[int, DocumentResult]]:
    """Over a process pool; a worker that dies is replaced and the documents it held are retried alone, as
    is a document that went over the memory cap in a worker that had read others first."""
    formats = batch_formats(items)
    pending = list(range(len(items)))
    pending.reverse()  # pop() from the end takes them in order
    suspects: list[int] = []
    while pending or suspects:
        if suspects:
            # after a crash, each document that was in flight runs alone, so the culprit is known
            index = suspects.pop(0)
            yield from _run_alone(items, index, guards, formats)
            continue
        again: list[int] = []
        broken, in_flight_left = yield from _run_batch(items, pending, jobs, guards, formats, again)
        suspects.extend(again)
        if broken:
            suspects.extend(sorted(in_flight_left))


def _new_pool(jobs: int, guards: Guards, formats: Sequence[str] | None = None) -> ProcessPoolExecutor:
    """JOBS workers forked from the warmed server (pipeline.server), or started cold where there is none."""
    marks = _memory_marks() if guards.max_memory_mb > 0 else ""
    context = worker_context(formats or ())
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(guards.max_memory_mb, marks, formats))


def _run_batch(items, pending: list[int], jobs: int, guards: Guards, formats: Sequence[str] | None,
               again: list[int]):
    """Feed the pool with a bounded number in flight; on a crash return the indexes still in flight. The
    documents a worker asks to have read alone (RetryAlone) are put in AGAIN."""
    pool = _new_pool(jobs, guards, formats)
    futures: dict[Future, int] = {}
    hard_limit = guards.timeout * 2 + 60 if guards.timeout > 0 else None
    try:
        while pending or futures:
            while pending and len(futures) < jobs * 2:
                index = pending.pop()
                futures[pool.submit(guarded_process, items[index], guards.timeout, guards.max_pages)] = index
            done, _ = wait(futures, timeout=hard_limit, return_when=FIRST_COMPLETED)
            if not done:  # a worker stuck in native code past twice the timeout: kill the pool
                _kill(pool)
                return True, set(futures.values())
            for future in done:
                index = futures.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    futures[future] = index
                    return True, set(futures.values())
                except RetryAlone:
                    again.append(index)
                    continue
                yield index, result
        return False, set()
    except BaseException:  # Ctrl-C or the consumer gone: stop the workers now, not after their documents
        _kill(pool)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _run_alone(items, index: int, guards: Guards,
               formats: Sequence[str] | None = None) -> Iterator[tuple[int, DocumentResult]]:
    pool = _new_pool(1, guards, formats)
    hard_limit = guards.timeout * 2 + 60 if guards.timeout > 0 else None
    try:
        future = pool.submit(guarded_process, items[index], guards.timeout, guards.max_pages)
        workers = list(getattr(pool, "_processes", {}).values())
        done, _ = wait([future], timeout=hard_limit)
        if not done:
            _kill(pool)
            yield index, failed_result(items[index], timeout_message(guards.timeout))
            return
        try:
            yield index, future.result()
        except BrokenProcessPool:
            yield index, failed_result(items[index], _crash_reason(workers))
        except RetryAlone:  # never from a fresh worker's first document; kept a row all the same
            yield index, failed_result(items[index], OUT_OF_MEMORY)
    except BaseException:
        _kill(pool)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _crash_reason(workers: list) -> str:
    """Why the lone worker of _run_alone died: its memory watch ended it, the kernel killed it, it died
    of anything after its document brought it near the memory cap (a library aborting on a failed
    allocation), or a fault."""
    codes = set()
    near_cap = False
    for process in workers:
        process.join(5)
        codes.add(process.exitcode)
        near_cap = near_cap or memory.marked(_mark_dir, process.pid)
    if codes & {memory.OOM_EXIT, -signal.SIGKILL} or near_cap:
        return OUT_OF_MEMORY
    return "worker crashed while reading this file (a fault in a parser)"


def _kill(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            os.kill(process.pid, signal.SIGKILL)
        except (ProcessLookupError, AttributeError):
            pass


def run_dask(items: Sequence[InputItem], scheduler: str | None, guards: Guards = Guards(),
             client=None) -> Iterator[tuple[int, DocumentResult]]:
    """On a dask.distributed cluster (scheduler address), or a given Client (tests use a LocalCluster).

    Workers must be able to read every input path. The per-document alarm works only where Dask runs
    tasks on a worker's main thread; elsewhere a stuck document holds its worker thread.
    """
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("the Dask executor needs: pip install 'nianbao[dask]'") from exc
    own = client is None
    if own:
        client = Client(scheduler) if scheduler else Client(processes=True)
    try:
        futures = client.map(guarded_process, list(items), timeout=guards.timeout, max_pages=guards.max_pages,
                             pure=False,
                             key=[f"nianbao-{i}-{item.source}" for i, item in enumerate(items)])
        index_of = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures):
            index = index_of[future.key]
            try:
                yield index, future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker or a task error stays one row
                yield index, failed_result(items[index], f"dask task failed: {type(exc).__name__}: {exc}"[:300])
            future.release()
    finally:
        if own:
            client.close()
