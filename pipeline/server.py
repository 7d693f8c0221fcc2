"""Where worker processes come from: forked from one warmed server process, so each starts in milliseconds.

The server (multiprocessing's "forkserver", preloaded with pipeline.warm) loads the pipeline, the
batch's readers and jieba's dictionaries once; every worker — and every replacement after a crash — is
a fork of it, sharing its pages. It is started from the main thread of a run's process, which it dies
with (pipeline.warm), and the workers die with it (pipeline.executors); it is one per process and
serves later runs too. Where there is no forkserver (not Linux/Unix) or a run starts off the main
thread before any server exists, workers start as before, each warming up alone.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import BaseContext, ForkServerContext, ForkServerProcess
from pathlib import Path
from typing import Any

WARM_MODULE = "pipeline.warm"
FORMATS_VARIABLE = "NIANBAO_WARM_FORMATS"  # the readers the server loads (pipeline.warm reads it)
PATH_VARIABLE = "NIANBAO_PARENT_PYTHONPATH"  # the PYTHONPATH to restore in the server, UNSET for none
UNSET = "-"  # PYTHONPATH was not set (an empty one is a setting of its own)

_lock = threading.Lock()
_started = False


class _WorkerPopen(popen_forkserver.Popen):
    """A worker forked by the server without re-running the caller's main module. multiprocessing's
    children import `__main__` again (spawn's semantics), so a script that calls `nianbao.extract` without
    an `if __name__ == "__main__":` guard would run itself in every worker; the workers need nothing of
    it (their code is the pipeline's), so the preparation data leaves it out."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)  # noqa: SLF001 - as popen_forkserver does
        for key in ("init_main_from_name", "init_main_from_path"):
            prep_data.pop(key, None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        parent_w = os.dup(w)  # the child's sentinel of its parent, as in popen_forkserver
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))  # type: ignore[attr-defined]
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _WorkerProcess(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _WorkerPopen:  # noqa: N802 - multiprocessing's name
        return _WorkerPopen(process_obj)


class _WorkerContext(ForkServerContext):
    """The forkserver context whose processes do not import the caller's main module."""

    Process = _WorkerProcess  # type: ignore[assignment]


_WORKERS = _WorkerContext()


def _project_root() -> str:
    """The folder this process imported the pipeline from (the server must import the same code)."""
    return str(Path(__file__).resolve().parents[1])


def worker_context(formats: Sequence[str] = ()) -> BaseContext | None:
    """The forkserver context with the server running and warmed (FORMATS: the readers it loads, on its
    first start only), or None where workers must start cold (the executors then warm each up)."""
    global _started
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    if threading.current_thread() is not threading.main_thread():
        # the server dies with the thread that started it: only the main thread's lives as long as the process
        return _WORKERS if _started else None
    from multiprocessing import forkserver

    with _lock:
        if not _started:
            forkserver.set_forkserver_preload([WARM_MODULE])
        saved = {name: os.environ.get(name) for name in ("PYTHONPATH", FORMATS_VARIABLE, PATH_VARIABLE)}
        old_path = saved["PYTHONPATH"]
        try:
            # the server runs `python -c`, which would import the pipeline from its working folder or the
            # installed copy: point it at this process's copy for the start; it restores the rest
            os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [_project_root(), old_path]))
            os.environ[PATH_VARIABLE] = UNSET if old_path is None else old_path
            os.environ[FORMATS_VARIABLE] = ",".join(formats)
            forkserver.ensure_running()  # a no-op when it runs; restarts it when it died
        except OSError:
            return None
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        _started = True
    return _WORKERS


def stop(wait: float = 10.0) -> None:
    """Stop the server and wait for it, so a run's CPU time (time, getrusage) counts it and its workers.
    It goes once every worker has gone; one still running after WAIT seconds goes with it (SIGKILL)."""
    global _started
    from multiprocessing import forkserver, util

    server: Any = forkserver._forkserver  # noqa: SLF001 - multiprocessing has no public way to stop it
    with _lock:
        _started = False
        pid, alive = getattr(server, "_forkserver_pid", None), getattr(server, "_forkserver_alive_fd", None)
        if pid is None or alive is None:
            return
        address = server._forkserver_address  # noqa: SLF001
        server._forkserver_pid = server._forkserver_alive_fd = server._forkserver_address = None  # noqa: SLF001
        os.close(alive)  # the server's cue to exit
        deadline = time.monotonic() + wait
        try:
            while not os.waitpid(pid, os.WNOHANG)[0]:
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    break
                time.sleep(0.005)
        except ChildProcessError:
            pass
        if address and not util.is_abstract_socket_namespace(address):
            try:
                os.unlink(address)
            except OSError:
                pass
