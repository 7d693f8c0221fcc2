"""Tasks the benchmark gives pool workers: in a module of their own, since workers forked by the server
import nothing of the script that started the run (pipeline/server.py)."""

from __future__ import annotations

import os


def memory_task(path: str) -> tuple[int, str]:
    """Read one file as a run's worker does: (the worker's pid, the document's status)."""
    from pipeline.discover import InputItem
    from pipeline.process import process_item

    return os.getpid(), process_item(InputItem(path, path)).document.status
