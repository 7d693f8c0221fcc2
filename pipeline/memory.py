"""A worker's memory cap on resident memory (RSS), which is what fills a machine.

The cap counts what a worker adds to its resident size once loaded (pages it shares with the process
that forked it are in that baseline, so a worker forked from a large process is not penalised for it).
An address-space cap cannot do this job: the OCR runtime alone maps 1.8 GB for 0.7 GB resident, so a cap
that keeps two workers under 2 GiB of RAM would refuse it. A watcher thread samples this process's
resident size; over the cap it raises MemoryLimit in the main thread (by a signal, so no reader's
`except Exception` can swallow it), and if the main thread is stuck in native code and memory keeps
growing, it ends the process with OOM_EXIT, which the executor reports as out of memory.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from extractors.errors import OUT_OF_MEMORY, MemoryLimit

OOM_EXIT = 86  # exit status of a worker the watcher ended
_INTERVAL = 0.05  # seconds between samples
_GRACE = 2.0  # seconds the main thread has to unwind after the signal
_RETIRE_FACTOR = 0.8  # resident size, as a multiple of the cap, at which a worker takes no new document
_HARD_FACTOR = 1.5  # resident size, as a multiple of the cap, that ends the process at once
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int:
    """This process's resident set size (Linux /proc; 0 where it cannot tell)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _raise_limit(signum, frame):  # noqa: ARG001 - signal handler signature
    if _watch is not None and _watch.armed:  # a late signal after the document ended is dropped
        raise MemoryLimit(OUT_OF_MEMORY)


def release_memory() -> None:
    """Give freed memory back to the system after a document hit the cap (glibc keeps it otherwise)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class MemoryWatch:
    """Watches resident memory while `armed` (a document is being processed) and enforces the cap."""

    def __init__(self, cap_bytes: int) -> None:
        self.cap = resident_bytes() + cap_bytes  # over the loaded worker's own size
        self.armed = False
        self._signalled_at = 0.0
        signal.signal(signal.SIGUSR1, _raise_limit)
        threading.Thread(target=self._run, name="nianbao-memory-watch", daemon=True).start()

    def arm(self) -> None:
        """Start watching a document; a worker still holding most of the cap from the last one retires
        first (its document is then retried alone in a fresh worker)."""
        if resident_bytes() > self.cap * _RETIRE_FACTOR:
            os._exit(OOM_EXIT)
        self._signalled_at = 0.0
        self.armed = True

    def disarm(self) -> bool:
        """Stop watching; True when the document went over the cap, even if the signal came too late or a
        reader swallowed what it raised."""
        self.armed = False
        return bool(self._signalled_at)

    def _run(self) -> None:
        while True:
            time.sleep(_INTERVAL)
            if not self.armed:
                continue
            rss = resident_bytes()
            if rss <= self.cap:
                continue
            now = time.monotonic()
            if not self._signalled_at:
                self._signalled_at = now
                os.kill(os.getpid(), signal.SIGUSR1)
            elif rss > self.cap * _HARD_FACTOR or now - self._signalled_at > _GRACE:
                os._exit(OOM_EXIT)


_watch: MemoryWatch | None = None


def install(cap_mb: int) -> None:
    """Start the watcher in this (worker) process; 0 disables the cap."""
    global _watch
    if cap_mb > 0 and _watch is None and threading.current_thread() is threading.main_thread():
        _watch = MemoryWatch(cap_mb * 2**20)


def watch() -> MemoryWatch | None:
    return _watch
