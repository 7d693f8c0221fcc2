"""A worker's memory cap on resident memory (RSS), which is what fills a machine.

The cap counts what a worker adds to its resident size once loaded (pages it shares with the process
that forked it are in that baseline, so a worker forked from a large process is not penalised for it).
An address-space cap cannot do this job: the OCR runtime alone maps 1.8 GB for 0.7 GB resident, so a cap
that keeps two workers under 2 GiB of RAM would refuse it. A watcher thread samples this process's
resident size; over the cap it raises MemoryLimit in the main thread (by a signal, so no reader's
`except Exception` can swallow it), and if memory grows on after that (the main thread stuck in native
code) or the thread does not unwind in time, it ends the process with OOM_EXIT, which the executor reports
as out of memory. The thread needs the interpreter's lock, which a native call can hold for as long as it
fills memory (b"x" * 10**9), so the cap is made hard by a guard outside the interpreter: a small process
per worker samples its resident size and kills it (SIGKILL, read as memory) once it grows a little past
the cap — where the thread had its chance to unwind the document first.

A worker can also die of memory by another hand (the kernel's OOM killer, or a native library aborting
when an allocation fails under the address-space backstop), with an exit status that says nothing. The
watch therefore leaves a mark (a file named by the worker's pid in the run's mark folder) as soon as a
document brings the worker near the cap; the executor reads a death after such a mark as out of memory.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from extractors.errors import OUT_OF_MEMORY, MemoryLimit

OOM_EXIT = 86  # exit status of a worker the watcher ended
_INTERVAL = 0.05  # seconds between samples
_NEAR_INTERVAL = 0.01  # seconds between samples once a document holds half the cap
_GROWTH = 32 * 2**20  # bytes a worker over the cap may still grow while it unwinds before it is ended
_GRACE = 2.0  # seconds the main thread has to unwind after the signal
_RETIRE_FACTOR = 0.8  # resident size, as a multiple of the cap, at which a worker takes no new document
_NEAR_FACTOR = 0.8  # resident size, as a multiple of the cap, from which a death is read as memory
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int:
    """This process's resident set size (Linux /proc; 0 where it cannot tell)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


# the guard process: no project import, so it starts in milliseconds; it ends when its worker is gone
_GUARD = r"""
import os, signal, sys, time
pid, hard, fast, near, mark = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
page, path = os.sysconf("SC_PAGE_SIZE"), f"/proc/{pid}/statm"
while os.getppid() == pid:
    try:
        with open(path, "rb") as fh:
            rss = int(fh.read().split()[1]) * page
    except (OSError, ValueError, IndexError):
        break
    if rss > near and mark and not os.path.exists(mark):
        try:
            with open(mark, "w") as fh:
                fh.write("near the memory cap\n")
        except OSError:
            pass
    if rss > hard:
        os.kill(pid, signal.SIGKILL)
        break
    time.sleep(0.005 if rss > fast else 0.05)
"""


def _start_guard(hard: int, fast: int, near: int, mark: str) -> None:
    """Start the guard process that kills this process past HARD bytes resident, samples fast past FAST,
    and leaves the MARK file past NEAR (the thread may not run then to leave it)."""
    import subprocess
    import sys

    try:
        subprocess.Popen([sys.executable, "-S", "-c", _GUARD, str(os.getpid()), str(hard), str(fast), str(near), mark],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         close_fds=True)
    except OSError:
        pass  # the thread's cap still holds wherever the interpreter's lock is free


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

    def __init__(self, cap_bytes: int, mark_dir: str = "") -> None:
        self.base = resident_bytes()
        self.cap = self.base + cap_bytes  # over the loaded worker's own size
        self.armed = False
        self._signalled_at = 0.0
        self._signalled_rss = 0
        self._mark = os.path.join(mark_dir, str(os.getpid())) if mark_dir else ""
        self._marked = False
        _start_guard(self.cap + _GROWTH, self.base + cap_bytes // 2, int(self.cap * _NEAR_FACTOR), self._mark)
        signal.signal(signal.SIGUSR1, _raise_limit)
        threading.Thread(target=self._run, name="nianbao-memory-watch", daemon=True).start()

    def arm(self) -> None:
        """Start watching a document; a worker still holding most of the cap from the last one retires
        first (its document is then retried alone in a fresh worker)."""
        if resident_bytes() > self.cap * _RETIRE_FACTOR:
            os._exit(OOM_EXIT)
        # the last document came near the cap (this thread or the guard marked it) and was unwound: a new
        # one starts clean
        self._marked = False
        if self._mark:
            try:
                os.unlink(self._mark)
            except OSError:
                pass
        self._signalled_at = 0.0
        self.armed = True

    def disarm(self) -> bool:
        """Stop watching; True when the document went over the cap, even if the signal came too late or a
        reader swallowed what it raised."""
        self.armed = False
        return bool(self._signalled_at)

    def _leave_mark(self) -> None:
        """Say, where the executor can read it after this process is gone, that memory was near the cap."""
        self._marked = True
        if self._mark:
            try:
                with open(self._mark, "w") as fh:
                    fh.write("near the memory cap\n")
            except OSError:
                pass

    def _run(self) -> None:
        rss = 0
        while True:
            near = rss > self.base + (self.cap - self.base) // 2
            time.sleep(_NEAR_INTERVAL if near else _INTERVAL)
            if not self.armed:
                rss = 0
                continue
            rss = resident_bytes()
            if rss > self.cap * _NEAR_FACTOR and not self._marked:
                self._leave_mark()
            if rss <= self.cap:
                continue
            now = time.monotonic()
            if not self._signalled_at:
                self._signalled_at, self._signalled_rss = now, rss
                os.kill(os.getpid(), signal.SIGUSR1)
            elif rss > self._signalled_rss + _GROWTH or now - self._signalled_at > _GRACE:
                os._exit(OOM_EXIT)


_watch: MemoryWatch | None = None


def install(cap_mb: int, mark_dir: str = "") -> None:
    """Start the watcher in this (worker) process; 0 disables the cap. MARK_DIR: where it leaves its mark."""
    global _watch
    if cap_mb > 0 and _watch is None and threading.current_thread() is threading.main_thread():
        _watch = MemoryWatch(cap_mb * 2**20, mark_dir)


def marked(mark_dir: str, pid: int | None) -> bool:
    """Whether the worker PID left its near-the-cap mark in MARK_DIR (its last document grew that far)."""
    return bool(mark_dir) and pid is not None and os.path.exists(os.path.join(mark_dir, str(pid)))


def watch() -> MemoryWatch | None:
    return _watch
