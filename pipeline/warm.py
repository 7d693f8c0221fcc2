"""Imported once, in the worker server only (pipeline.server): load what every worker needs, then freeze it.

Importing this module does the work, because that is how multiprocessing's forkserver preloads: it
makes the server die with the run's process, loads the pipeline, the batch's readers and jieba
(pipeline.executors.warm_up), and moves every object loaded into the collector's permanent generation
so the workers' collections never write to the pages they share with the server.
"""

from __future__ import annotations

import gc
import os

from pipeline.executors import die_with_parent, warm_up
from pipeline.server import FORMATS_VARIABLE, PATH_VARIABLE, UNSET


def _restore_environment() -> str:
    """Give the server (and so the workers and the programs they run) the run's own PYTHONPATH back;
    returns the formats whose readers to load."""
    saved = os.environ.pop(PATH_VARIABLE, None)
    formats = os.environ.pop(FORMATS_VARIABLE, "")
    if saved is not None:
        if saved == UNSET:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    return formats


def _warm() -> None:
    die_with_parent()
    formats = _restore_environment()
    warm_up([f for f in formats.split(",") if f])
    gc.freeze()


_warm()
