"""Parts vs total: the listed parts of a "共…N，其中…" breakdown against their total."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from pipeline.checks.clauses import Place, locate, squeeze
from pipeline.checks.engine import Context, flag, fmt, rule
from schemas.records import FigureRecord, FlagRecord

TOLERANCE = 1e-6
SCOPE_BREAK = re.compile(r"[；;。]")
APPROX_SLACK = 0.1  # an approximate figure (余/约/多) may be off by this share before parts exceed it


def _scoped(total: FigureRecord, parts: list[FigureRecord], places: dict[str, Place]) -> list[FigureRecord]:
    """Drop parts that sit after a ；-break following the total (another list) or deeper in brackets
    than the other parts (a nested sub-breakdown of the previous part)."""
    here = places.get(total.figure_id)
    depths: dict[str, int] = {}
    for p in parts:
        there = places.get(p.figure_id)
        if here is None or there is None or squeeze(p.sentence) != squeeze(total.sentence) \
                or not there.head.startswith(here.head):
            depths[p.figure_id] = 0
            continue
        between = there.head[len(here.head):]
        if SCOPE_BREAK.search(between):
            continue
        depths[p.figure_id] = sum(between.count(c) for c in "（(") - sum(between.count(c) for c in "）)")
    if not depths:
        return []
    top = min(depths.values())
    return [p for p in parts if depths.get(p.figure_id) == top]


def breakdowns(figures: list[FigureRecord]) -> list[tuple[FigureRecord, list[FigureRecord]]]:
    """Each total with its listed parts (in figure order); parts in another unit are dropped."""
    by_id = {f.figure_id: f for f in figures}
    places = locate(figures)
    parts: dict[str, list[FigureRecord]] = defaultdict(list)
    for f in figures:
        if f.part_of and f.part_of in by_id and f.part_of != f.figure_id:
            parts[f.part_of].append(f)
    out = []
    for total_id, listed in parts.items():
        total = by_id[total_id]
        if any(p.unit != total.unit for p in listed):
            continue
        scoped = _scoped(total, listed, places)
        if scoped:
            out.append((total, scoped))
    return out


def _prefix_matches(total: FigureRecord, parts: list[FigureRecord]) -> bool:
    """True when the first few parts already make the total (the rest belong to another list)."""
    running = 0.0
    for p in parts[:-1]:
        running += p.value
        if abs(running - total.value) <= TOLERANCE:
            return True
    return False


def _sum_text(parts: list[FigureRecord]) -> str:
    return "+".join(fmt(p.value) for p in parts)


def _refs(total: FigureRecord, parts: list[FigureRecord]) -> list[str]:
    return [f"figure:{total.figure_id}"] + [f"figure:{p.figure_id}" for p in parts]


@rule("parts.exceed_total", "“共N，其中…”所列各部分之和不能超过总数")
def exceed(ctx: Context) -> Iterator[FlagRecord]:
    for total, parts in breakdowns(ctx.figures):
        found = sum(p.value for p in parts)
        approx = total.approx or any(p.approx for p in parts)
        limit = total.value * (1 + APPROX_SLACK) if approx else total.value
        if found <= limit + TOLERANCE or _prefix_matches(total, parts):
            continue
        severity = "warning" if approx else "error"
        yield flag(ctx, "parts.exceed_total", severity,
                   f"“{total.raw}”下所列各项之和{fmt(found)}（{_sum_text(parts)}）超过总数{fmt(total.value)}",
                   _refs(total, parts), expected=total.value, found=found, page=total.page,
                   evidence=total.sentence)


@rule("parts.catch_all_sum", "以“其他…”兜底的分项列举，各项之和应等于总数")
def catch_all(ctx: Context) -> Iterator[FlagRecord]:
    for total, parts in breakdowns(ctx.figures):
        if not any(p.is_catch_all for p in parts) or total.approx or any(p.approx for p in parts):
            continue
        found = sum(p.value for p in parts)
        if found > total.value + TOLERANCE or abs(found - total.value) <= TOLERANCE:
            continue  # equal, or already flagged by parts.exceed_total
        yield flag(ctx, "parts.catch_all_sum", "warning",
                   f"“{total.raw}”的分项列举以“其他”兜底，各项之和应为{fmt(total.value)}，"
                   f"实际为{fmt(found)}（{_sum_text(parts)}），相差{fmt(total.value - found)}",
                   _refs(total, parts), expected=total.value, found=found, page=total.page,
                   evidence=total.sentence)
