"""What the audit page reads: the run's CSVs (only the cells and figures a flag names), its reviews and run details."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.csvsafe import dict_rows, restore_row

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
REVIEW_DECISIONS = ("confirmed", "dismissed", "explained")
REVIEW_COLUMNS = ("flag_id", "decision", "note", "reviewer", "date")


@dataclass
class RunInfo:
    """Run details the CSVs do not hold, passed in by pipeline.run (all optional for a page built alone)."""

    started: str = ""  # ISO time (UTC) the run started
    version: str = ""
    inputs: list[str] = field(default_factory=list)
    resumed: int = 0
    passed_over: int = 0
    missing_inputs: list[str] = field(default_factory=list)


@dataclass
class AuditData:
    """The run as the page shows it: documents in input order, flags by document, named cells and figures."""

    documents: list[dict[str, str]]
    flags: list[dict[str, str]]
    flags_by_doc: dict[str, list[dict[str, str]]]
    cells_by_doc: dict[str, dict[str, dict[str, str]]]
    figures: dict[str, dict[str, str]]
    reviews: dict[str, dict[str, str]]


def rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of one output CSV, one at a time (none when the file is missing)."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from dict_rows(fh)  # text as the report had it (the CSVs neutralise formula-like cells)


def named_rows(path: Path, wanted: set[tuple[str, str]], ref_columns: tuple[str, ...],
               prefix: str = "") -> Iterator[dict[str, str]]:
    """The rows of one output CSV that a flag names: (doc_id, PREFIX + the ref columns joined by '.') is
    in WANTED. Only those rows become dicts: the cells of an archive are many, the named ones few."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        if "doc_id" not in header or not set(ref_columns) <= set(header):
            return
        doc, parts = header.index("doc_id"), [header.index(c) for c in ref_columns]
        for row in reader:
            row = restore_row(row) + [""] * (len(header) - len(row))
            if (row[doc], prefix + ".".join(row[i] for i in parts)) in wanted:
                yield dict(zip(header, row, strict=False))


def read_reviews(path: Path) -> dict[str, dict[str, str]]:
    """flag_id -> {decision, note, reviewer, date} from a reviews.csv (columns flag_id, decision, note
    [, reviewer, date]); rows with an unknown decision are left out, the last row of a flag wins."""
    reviews: dict[str, dict[str, str]] = {}
    for row in rows(path):
        decision = (row.get("decision") or "").strip().lower()
        flag_id = (row.get("flag_id") or "").strip()
        if flag_id and decision in REVIEW_DECISIONS:
            reviews[flag_id] = {"decision": decision, "note": (row.get("note") or "").strip(),
                                "reviewer": (row.get("reviewer") or "").strip(), "date": (row.get("date") or "").strip()}
    return reviews


def load(out: Path) -> AuditData:
    """Read OUT's CSVs for the page. A flag's review is its review_decision/review_note columns, or
    else OUT/reviews.csv's row for it."""
    documents = list(rows(out / "documents.csv"))
    flags = list(rows(out / "flags.csv"))
    # only the cells and figures a flag names are kept: an archive's cells would not fit in memory
    wanted = {(flag["doc_id"], ref) for flag in flags for ref in flag.get("refs", "").split()}
    cells_by_doc: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for cell in named_rows(out / "table_cells.csv", wanted, ("table", "row_key", "col_key")):
        cells_by_doc[cell["doc_id"]][f"{cell['table']}.{cell['row_key']}.{cell['col_key']}"] = cell
    figures = {f["figure_id"]: f for f in named_rows(out / "figures.csv", wanted, ("figure_id",), "figure:")}
    flags_by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for flag in flags:
        flags_by_doc[flag["doc_id"]].append(flag)
    for doc_flags in flags_by_doc.values():
        doc_flags.sort(key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9))  # stable: flags.csv order within
    reviews = read_reviews(out / "reviews.csv")
    for flag in flags:
        decision = (flag.get("review_decision") or "").strip().lower()
        if decision in REVIEW_DECISIONS:
            reviews[flag["flag_id"]] = {"decision": decision, "note": flag.get("review_note", ""),
                                        "reviewer": "", "date": ""}
    return AuditData(documents, flags, flags_by_doc, cells_by_doc, figures, reviews)


def when_written(out: Path) -> str:
    """When documents.csv was written (UTC, to the minute): the run's time for a page built alone."""
    path = out / "documents.csv"
    if not path.exists():
        return ""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
