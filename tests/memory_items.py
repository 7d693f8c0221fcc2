"""Inputs whose reading takes memory the way real documents do, for the worker's memory cap (kept apart
from the test modules so that a worker unpickling them imports almost nothing)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.discover import InputItem

SEED = Path(__file__).resolve().parents[1] / "corpus" / "enhe-2022.txt"
_LEFT_BEHIND: list[bytearray] = []  # what an earlier document left resident in a worker (a cache, a leak)


@dataclass(frozen=True)
class HoardingItem(InputItem):
    """Reads the seed report's text, and leaves 300 MB resident in its worker when done."""

    def read_bytes(self) -> bytes:
        _LEFT_BEHIND.extend(bytearray(10 * 2**20) for _ in range(30))
        return SEED.read_bytes()


@dataclass(frozen=True)
class NeedyItem(InputItem):
    """Needs 400 MB resident for a moment (as OCR of a page does), taken 10 MB at a time (slowly enough
    for the watch to stop it at the cap, where the guard would kill a faster one), then reads the seed
    report's text."""

    def read_bytes(self) -> bytes:
        hoard = []
        for _ in range(40):
            hoard.append(bytearray(10 * 2**20))
            time.sleep(0.02)  # the watch samples every 10 ms from half the cap
        del hoard
        return SEED.read_bytes()
