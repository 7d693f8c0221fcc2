"""Reports, not files: the files of one report (one report_id) and the one each report is read from.

A portal publishes a report as a page and as an attachment, so an archive holds it two or three times.
Every file keeps its row in documents.csv (provenance); the wide table, the panel, the across-years rule
and the summary line count each report once, from its best source:

1. the most complete reading: status ok, then partial, then failed; then the most template cells found,
   the fewest missing or ambiguous;
2. native text over OCR (a file whose reading says it was OCR'd ranks lower);
3. tables over flattened text: DOCX, PDF, HTML and DOC (their tables keep cell borders) before TXT;
4. then the first in input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from pipeline.issuers import report_id as make_report_id
from schemas.records import DocumentRecord

_STATUS_RANK = {"ok": 0, "partial": 1, "failed": 2}
_FORMAT_RANK = {"docx": 0, "pdf": 0, "html": 0, "doc": 1, "txt": 2}
OCR_WORDS = ("OCR", "ocr")

T = TypeVar("T")


def _int(value: object) -> int:
    try:
        return int(str(value)) if value not in (None, "") else 0
    except ValueError:
        return 0


def source_rank(row: Mapping[str, object]) -> tuple[int, int, int, int, int]:
    """Lower is better: the order of the module doc (input order is the caller's tie-breaker)."""
    warnings = str(row.get("warnings") or "")
    return (_STATUS_RANK.get(str(row.get("status") or ""), 3),
            -_int(row.get("cells_found")),
            _int(row.get("cells_missing")) + _int(row.get("cells_ambiguous")),
            1 if any(w in warnings for w in OCR_WORDS) else 0,
            _FORMAT_RANK.get(str(row.get("format") or ""), 3))


def record_row(record: DocumentRecord) -> dict[str, object]:
    """A document record as the mapping source_rank reads."""
    return vars(record)


def report_of(row: Mapping[str, object]) -> str:
    """A row's report_id; a row without one (an unreadable input, an older output) is a report of its own."""
    found = str(row.get("report_id") or "")
    if found:
        return found
    own = "\x1f".join(str(row.get(name) or "") for name in ("sha256", "doc_id", "source"))
    return make_report_id("", None, "", own)


def group_reports(items: Iterable[T], row_of: Callable[[T], Mapping[str, object]]) -> dict[str, list[T]]:
    """report_id -> its files, best source first (files in input order otherwise); duplicates (same bytes
    as an earlier file) are left out: they are the same reading."""
    groups: dict[str, list[tuple[tuple[int, int, int, int, int], int, T]]] = {}
    for position, item in enumerate(items):
        row = row_of(item)
        if row.get("duplicate_of"):
            continue
        groups.setdefault(report_of(row), []).append((source_rank(row), position, item))
    return {rid: [item for _, _, item in sorted(files, key=lambda f: (f[0], f[1]))]
            for rid, files in groups.items()}


def best_sources(rows: Iterable[Mapping[str, object]]) -> dict[str, tuple[str, int]]:
    """report_id -> (doc_id of its best source, number of files), from documents.csv's rows."""
    groups = group_reports(rows, lambda r: r)
    return {rid: (str(files[0].get("doc_id") or ""), len(files)) for rid, files in groups.items()}
