"""Checks: rules that read records (never files) and return flags.

Every module of this package is imported here, and its `@rule` / `@batch_rule` decorators register
its rules: a new rule is one new module, with no list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable

from pipeline.checks.engine import RULES, Context, Rule, run_rules, unique_ids
from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord

__all__ = ["RULES", "batch_cells", "run_batch_rules", "run_checks"]


def _discover() -> None:
    """Import every module of the package (alphabetically, so the order of flags never changes by itself);
    `_`-prefixed modules (__main__) are not rule modules."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_discover()


def document_rules() -> list[Rule]:
    """Registered per-document rules, in registry order."""
    return [r for r in RULES if not r.batch]


def run_checks(document: DocumentRecord, cells: list[CellRecord], figures: list[FigureRecord]) -> list[FlagRecord]:
    """Run every per-document rule on one document's records."""
    return run_rules(Context(document, list(cells), list(figures)), document_rules())


def batch_cells(cells: Iterable[CellRecord]) -> list[CellRecord]:
    """The cells of one report that some batch rule reads: all that is kept of it until the run ends."""
    needs = [r.needs for r in RULES if r.batch and r.needs is not None]
    return [c for c in cells if any(need(c) for need in needs)]


def run_batch_rules(results: list[tuple[DocumentRecord, list[CellRecord]]],
                    load_cells: Callable[[DocumentRecord], list[CellRecord]] | None = None) -> list[FlagRecord]:
    """Run every batch rule over the run's reports; flags grouped by report in input order. A rule that
    reads every cell of some documents (`whole_cells`) gets them from LOAD_CELLS (default: the cells
    carried, for callers that pass every cell)."""
    carried = {id(doc): cells for doc, cells in results}
    loader = load_cells or (lambda doc: carried.get(id(doc), []))
    found: list[FlagRecord] = []
    for r in RULES:
        if r.batch:
            found.extend(r.check(results, loader) if r.whole_cells else r.check(results))
    order = {doc.doc_id: n for n, (doc, _) in enumerate(results)}
    found.sort(key=lambda f: order.get(f.doc_id, len(order)))
    return unique_ids(found)
