"""The panel's harmonized measures: one meaning across the pre-2019 table, the 2019 form and the 2021 form.

Each measure names, per form, the cells it is read from (summed when several: the eight 不予公开 rows,
the two kinds of 行政诉讼). A form that does not measure it has no entry, and the panel leaves it empty,
unless the measure names the old table's row whose prose phrases state it (`prose`, the subject lexicon's
LEGACY_PROSE): then a report of such a form takes it from its narrative where the prose states it for the
whole issuer (pipeline/panel_prose.py), and `<name>_source` says which (`table` or `prose`).
docs/analysts.md says which comparisons across forms are sound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from schemas.legacy import LEGACY, LEGACY_ROWS, YEAR
from schemas.template import T3, T3_ROWS, T4, Form

_DENIED = tuple(r.key for r in T3_ROWS if r.key.startswith("denied_"))


def _t3(*rows: str) -> tuple[str, ...]:
    return tuple(f"{T3}.{row}.total" for row in rows)


def _old(row: str) -> tuple[str, ...]:
    return (f"{LEGACY}.{row}.{YEAR}",)


class ValueSource(StrEnum):
    """Where a panel value was read: the report's table cells, or a sentence of its narrative."""

    TABLE = "table"
    PROSE = "prose"


SOURCE_SUFFIX = "_source"  # the column beside a measure that may come from the prose


@dataclass(frozen=True)
class Measure:
    """One panel column: its name, what it counts, and the cells (table.row.col) it sums in each form."""

    name: str
    label: str
    description: str
    sources: dict[Form, tuple[str, ...]] = field(default_factory=dict)
    across_forms: str = ""  # how it compares between the old table and the 2019+ forms
    # a LEGACY_PROSE row (schemas.subjects) whose phrases state this measure in the narrative: read from the
    # prose for a form with no cells for it; empty: never read from the prose
    prose: str = ""

    @property
    def source_column(self) -> str:
        """The column saying where each value came from (`table` / `prose`); '' for a table-only measure."""
        return self.name + SOURCE_SUFFIX if self.prose else ""


def _new(*refs: str) -> dict[Form, tuple[str, ...]]:
    return {Form.F2021: refs, Form.F2019: refs}


MEASURES: tuple[Measure, ...] = (
    Measure("requests_new", "本年新收申请数", "Applications of the year.",
            {**_new(*_t3("new_received")), Form.OLD: _old("requests_total")},
            "rough: the old 受理…总数 counts applications accepted, 表三 every application received"),
    Measure("requests_carried_over", "上年结转申请数", "Applications carried over from last year.",
            _new(*_t3("carried_over")), "2019+ only"),
    Measure("requests_carried_forward", "结转下年度继续办理数", "Applications carried forward to next year.",
            _new(*_t3("carried_forward")), "2019+ only"),
    Measure("requests_handled", "办理（答复）总数", "Applications handled (replied to) in the year.",
            {**_new(*_t3("handled_total")), Form.OLD: _old("replies_total")},
            "rough: replies made vs applications handled; both include last year's"),
    Measure("granted", "予以公开（同意公开）", "Granted in full.",
            {**_new(*_t3("granted")), Form.OLD: _old("replies_granted")}, "rough: 同意公开 ≈ 予以公开"),
    Measure("partially_granted", "部分公开", "Granted in part.",
            {**_new(*_t3("partially_granted")), Form.OLD: _old("replies_partially_granted")},
            "rough: 表三 counts a split decision only here, the old forms do not say"),
    Measure("refused", "不予公开", "Refused (the eight 不予公开 reasons of 表三; the old 不予公开答复数).",
            {**_new(*_t3(*_DENIED)), Form.OLD: _old("replies_denied")},
            "not sound: the old 不予公开 holds reasons 表三 counts elsewhere (Shanghai family: 信息不存在 …)"),
    Measure("admin_reviews", "行政复议数", "Administrative reviews about disclosure.",
            {**_new(f"{T4}.cases.review_total"), Form.OLD: _old("admin_review_total")},
            "rough: 表四 counts pending cases in its total"),
    Measure("lawsuits", "行政诉讼数", "Lawsuits about disclosure, with or without review first.",
            {**_new(f"{T4}.cases.suit_total", f"{T4}.cases.post_review_suit_total"),
             Form.OLD: _old("admin_suit_total")},
            "rough: 表四 counts pending cases and suits after review; the old forms one total"),
    Measure("proactive_items", "主动公开信息数",
            "Items published proactively in the year by the whole issuer: the old table's 主动公开信息数; for the "
            "2019+ forms (表二 counts rules, documents and decisions, not items) the narrative's statement of it "
            "(全年主动公开政府信息2069条), never a part, a channel or a category.",
            {Form.OLD: _old("proactive_total")},
            "rough: the old table's count against what the 2019+ prose states (source in proactive_items_source); "
            "many 2019+ reports state none", prose="proactive_total"),
)
assert all(not m.prose or m.prose in {r.key for r in LEGACY_ROWS} for m in MEASURES), "unknown prose row"
