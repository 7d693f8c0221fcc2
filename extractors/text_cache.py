"""Memoised pure functions of short printed text (cell values, table labels): what every table of a report
and every report of an archive prints again ('0', '—', '（三）不予公开') is worked out once per worker.
A long text (prose in a cell) is worked out each time and never held, so the cache stays small."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar, cast

SHORT_TEXT = 80  # characters: a cell or a label; longer is prose
CACHE_SIZE = 16384  # distinct calls held per function

_P = ParamSpec("_P")
_R = TypeVar("_R")


def short_text_cache(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Cache a pure function of hashable arguments for calls whose text arguments are all short."""
    memo = lru_cache(maxsize=CACHE_SIZE)(fn)
    cached = cast(Callable[_P, _R], memo)  # the arguments are hashable: text, None, short tuples

    @wraps(fn)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for value in (*args, *kwargs.values()) if kwargs else args:
            if isinstance(value, str) and len(value) > SHORT_TEXT:
                return fn(*args, **kwargs)
        return cached(*args, **kwargs)

    return call
