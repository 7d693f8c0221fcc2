"""Parts vs total: the listed parts of a "共…N，其中…" breakdown against their total."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from pipeline.checks.clauses import Place, locate, same_sentence, squeeze
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
        if here is None or there is None or not same_sentence(p.sentence, total.sentence) \
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


def breakdowns(figures: list[FigureRecord], places: dict[str, Place] | None = None
               ) -> list[tuple[FigureRecord, list[FigureRecord]]]:
    """Each total with its listed parts (in figure order); parts in another unit are dropped. `places`:
    the figures located (clauses.locate), when the caller has them."""
    by_id = {f.figure_id: f for f in figures}
    places = locate(figures) if places is None else places
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


@rule("parts.exceed_total", "“共N，其中…”所列各部分之和不能超过总数", severity="error (warning if approximate)",
      explanation="listed parts of a “共N，其中…” breakdown add to more than N (parts after a ；, nested in "
                  "brackets, or after a prefix that already makes N are left out)",
      example="“全年共发放政策宣传资料300份，其中惠农政策200份，疫情防控150份”")
def exceed(ctx: Context) -> Iterator[FlagRecord]:
    for total, parts in breakdowns(ctx.figures, ctx.places()):
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


@rule("parts.catch_all_sum", "以“其他…”兜底的分项列举，各项之和应等于总数",
      explanation="a breakdown ending with a 其他… catch-all must add up to N; expected = N, found = sum",
      example="平潭 2019: 2599条 vs 25+68+…+856 = 2533")
def catch_all(ctx: Context) -> Iterator[FlagRecord]:
    for total, parts in breakdowns(ctx.figures, ctx.places()):
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


# "共4条，目前已办结5条，需…跨年办理1条": outcomes of a stated total, listed without 其中
_TOTAL_END = re.compile(r"(共|共计|总计|合计)(有|达)?$")
_DONE = re.compile(r"^(目前|现已|截至目前|截止目前)?(已经?|均已|全部)?(办结|办复|办理完毕|答复|完成)$")
_PENDING = re.compile(r"^(目前|另有|尚有|还有|仍有|需创造条件|需)?(跨年办理|正在办理|未办结|办理中|继续办理|跨年度办理)$")
# the outcomes may include other items than the total counts (carried over from earlier years)
_WIDER = re.compile(r"结转|上年|往年|历年|累计|含|包括|以来")
# 申请 outcomes include carry-overs the sentence may not name (table 3 is compared by narrative rules)
_SHARED = re.compile(r"申请")
_TOTAL_GAP = re.compile(r"[。；;]|其中|共")


def _outcomes(total: FigureRecord, figures: list[FigureRecord], places: dict[str, Place]) -> list[FigureRecord]:
    """The done/pending figures stated in the clauses right after a 共N total, in the same unit."""
    here = places[total.figure_id]
    out = []
    for f in figures:
        there = places.get(f.figure_id)
        if f is total or there is None or f.unit != total.unit or not same_sentence(f.sentence, total.sentence) \
                or len(there.head) <= len(here.head) or not there.head.startswith(here.head):
            continue
        between = there.head[len(here.head) + len(squeeze(total.raw)):]
        if _TOTAL_GAP.search(between) or len(between) > 40:
            continue
        if _DONE.match(there.before) or _PENDING.match(there.before):
            out.append(f)
    return out


@rule("parts.outcomes_exceed_total", "“共N”后所述办结、跨年办理等结果之和不能超过N",
      explanation="“共N” followed, without 其中, by its outcomes (已办结 M, 跨年办理/正在办理 K) in the next clauses "
                  "of the sentence: M+K must not exceed N (skipped when the sentence mentions 结转, 上年, 含, 累计…)",
      example="恩和镇 “人大建议共4条，目前已办结5条，需…跨年办理1条” → 6 > 4")
def outcomes_exceed(ctx: Context) -> Iterator[FlagRecord]:
    places = ctx.places()
    for total in ctx.figures:
        here = places.get(total.figure_id)
        if here is None or total.approx or total.part_of or not _TOTAL_END.search(here.before) \
                or _WIDER.search(squeeze(total.sentence)) or _SHARED.search(squeeze(total.sentence)) \
                or "、" in here.before or here.after.startswith("、"):
            continue  # outcomes may span carried-over items, another matter, or an enumeration of totals
        outcomes = _outcomes(total, ctx.figures, places)
        found = sum(f.value for f in outcomes)
        if not outcomes or any(f.approx for f in outcomes) or found <= total.value + TOLERANCE:
            continue
        yield flag(ctx, "parts.outcomes_exceed_total", "warning",
                   f"“{here.before}{total.raw}”之后所述结果之和{fmt(found)}（{_sum_text(outcomes)}）超过总数"
                   f"{fmt(total.value)}", _refs(total, outcomes), expected=total.value, found=found,
                   page=total.page, evidence=total.sentence)
