"""Where a narrative figure stands in its sentence: the clause before it and the words after it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from schemas.records import FigureRecord

# 、 enumerates within a clause (公民、法人或其他组织), so it does not break one
CLAUSE_BREAK = re.compile(r"[，,。；;：:（()）！!？?]")
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without whitespace (PDF text puts spaces around numbers)."""
    return _SPACE.sub("", text or "")


def same_sentence(a: str, b: str) -> bool:
    """Whether two figures' sentences are one (as squeeze(a) == squeeze(b)), without squeezing the figures
    of one sentence, which share it, once per pair (a text with no sentence end is one long sentence)."""
    return a == b or squeeze(a) == squeeze(b)


@dataclass(frozen=True)
class Place:
    """A figure located in its sentence (whitespace removed)."""

    before: str  # the clause up to the figure, from the last clause break
    after: str  # the words after the figure, up to the next clause break
    head: str  # the sentence up to the figure


def _occurrences(raw: str, sentence: str) -> list[int]:
    """Starts of the non-overlapping occurrences of RAW in SENTENCE not preceded by a digit or a point
    (so '6件' is not found inside '16件'). A pattern per figure overflowed re's cache of compiled ones."""
    starts: list[int] = []
    at = sentence.find(raw)
    while at >= 0:
        if at > 0 and (sentence[at - 1].isdecimal() or sentence[at - 1] in ".．"):
            at = sentence.find(raw, at + 1)
            continue
        starts.append(at)
        at = sentence.find(raw, at + len(raw))
    return starts


_last: tuple[list[FigureRecord], tuple[tuple[object, ...], ...], dict[str, Place]] | None = None


def locate(figures: list[FigureRecord]) -> dict[str, Place]:
    """Locate every figure whose raw text occurs in its sentence (the k-th figure with the same raw
    in a sentence is taken to be its k-th occurrence).

    Several rules ask for the same document's figures in turn: the last answer is kept and given again
    while the list and every figure's id, sentence, raw text and offset are unchanged (callers only read it)."""
    global _last
    key = tuple((f.figure_id, f.sentence, f.raw, f.start) for f in figures)
    last = _last  # read once: threads (a Dask thread scheduler) may replace it meanwhile
    if last is not None and last[0] is figures and last[1] == key:
        return last[2]
    out = _locate(figures)
    _last = (figures, key, out)
    return out


def _locate(figures: list[FigureRecord]) -> dict[str, Place]:
    groups: dict[tuple[str, str], list[FigureRecord]] = defaultdict(list)
    squeezed: dict[str, str] = {}  # per sentence: the figures of one sentence share it
    for f in figures:
        if f.sentence not in squeezed:
            squeezed[f.sentence] = squeeze(f.sentence)
        groups[(squeezed[f.sentence], squeeze(f.raw))].append(f)
    out: dict[str, Place] = {}
    breaks: dict[str, list[int]] = {}  # per sentence: where its clause breaks stand
    for (sentence, raw), group in groups.items():
        if not raw:
            continue
        starts = _occurrences(raw, sentence)
        group.sort(key=lambda f: (f.start if f.start is not None else 0, f.figure_id))
        if sentence not in breaks:
            breaks[sentence] = [m.start() for m in CLAUSE_BREAK.finditer(sentence)]
        at = breaks[sentence]
        for f, pos in zip(group, starts, strict=False):
            # the clause around the figure from the break positions (not a split of all the sentence before
            # it per figure): after the last break before it, up to the first break after it
            end = pos + len(raw)
            i = bisect_left(at, pos)
            j = bisect_left(at, end)
            before = sentence[at[i - 1] + 1 if i else 0:pos]
            after = sentence[end:at[j] if j < len(at) else len(sentence)]
            out[f.figure_id] = Place(before=before, after=after, head=sentence[:pos])
    return out
