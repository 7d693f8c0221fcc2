"""Checks: rules that read records (never files) and return flags."""

from __future__ import annotations

# importing the rule modules registers their rules, in this order (the order of flag ids)
from pipeline.checks import (  # noqa: F401
    cell_sanity,
    dates,
    identities,
    magnitude,
    narrative_table,
    parts_total,
    ratios,
)
from pipeline.checks.across_years import check_across_years
from pipeline.checks.engine import RULES, Context, Rule, run_rules
from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord

__all__ = ["RULES", "check_across_years", "ordered_rules", "run_checks"]

FAMILY_ORDER = ("identity", "cell", "narrative", "parts", "magnitude", "ratio", "dates")


def ordered_rules() -> list[Rule]:
    """Registered rules, family by family (the order flags are numbered in)."""
    def rank(r: Rule) -> int:
        family = r.id.split(".")[0]
        return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    return sorted(RULES, key=rank)


def run_checks(document: DocumentRecord, cells: list[CellRecord], figures: list[FigureRecord]) -> list[FlagRecord]:
    """Run every registered rule on one document's records; flags numbered {doc_id}-r001…"""
    return run_rules(Context(document, list(cells), list(figures)), ordered_rules())
