"""What the audit page reads: the run's CSVs (only the cells and figures a flag names), its reviews and run details."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.csvsafe import dict_rows, restore, restore_row
from pipeline.writers import format_value
from schemas.records import CellRecord

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
    key: str = ""  # the output folder's key: the page's storage of unexported decisions is kept under it
    # every cell of table_cells.csv as written, in its order, where the run still holds them all (else None):
    # the page then takes the cells flags name from memory rather than reading the CSV again
    written_cells: Callable[[], Sequence[Sequence[CellRecord]] | None] | None = field(
        default=None, repr=False, compare=False)


@dataclass
class AuditData:
    """The run as the page shows it: documents in input order, flags by document, named cells and figures."""

    documents: list[dict[str, str]]
    flags: list[dict[str, str]]
    flags_by_doc: dict[str, list[dict[str, str]]]
    cells_by_doc: dict[str, dict[str, dict[str, str]]]
    figures: dict[str, dict[str, str]]
    reviews: dict[str, dict[str, str]]
    # review and correction lines that did not apply, each with the reason (shown on the page)
    not_applied: list[tuple[str, str, str]] = field(default_factory=list)  # (file, line as text, reason)
    corrections: list[dict[str, str]] = field(default_factory=list)  # OUT/corrections.csv as it stands


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
        refs_of: dict[str, set[str]] = defaultdict(set)
        for doc_id, ref in wanted:
            refs_of[doc_id].add(ref)
        need = max(doc, *parts) + 1
        for row in reader:  # the key's fields restored first: the whole row only for a row wanted
            width = len(row)
            if width < need:  # a short row: its missing fields read as ''
                row = row + [""] * (need - width)
            doc_id = row[doc]
            refs = refs_of.get(_restored(doc_id) if doc_id[:1] == "'" else doc_id)
            if refs is None:
                continue
            ref = prefix + ".".join([row[i] for i in parts])
            if "'" in ref:  # a neutralised field: the key as restore_row gives it back
                ref = prefix + ".".join([_restored(row[i]) for i in parts])
            if ref in refs:
                yield dict(zip(header, restore_row(row[:width]) + [""] * (len(header) - width), strict=False))


def _named_written(written: Sequence[Sequence[CellRecord]], wanted: set[tuple[str, str]]) -> Iterator[dict[str, str]]:
    """named_rows over cells still in memory: each named one as its CSV row reads back (text, restored)."""
    docs = {d for d, _ in wanted}
    for cells in written:
        for cell in cells:
            if cell.doc_id in docs and (cell.doc_id, cell.ref) in wanted:
                yield {name: value if type(value) is str else _read_back(value) for name, value in vars(cell).items()}


def _read_back(value: object) -> str:
    """A field that is not plain text as its CSV cell reads back (plain text reads back as it is: the CSV's
    formula guard is taken off again, pipeline.csvsafe)."""
    return _restored(str(format_value(value)))


def _restored(value: str) -> str:
    """One CSV field as restore_row gives it back."""
    return restore(value) if value[:1] == "'" else value


def read_reviews(path: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """flag_id -> {decision, note, reviewer, date} from a reviews.csv as pipeline.reviews reads it (the
    last row of a flag wins), and the lines it refused."""
    from pipeline.reviews import read_reviews as read

    found, problems = read(path)
    return {k: {"decision": r.decision, "note": r.note, "reviewer": r.reviewer, "date": r.date}
            for k, r in found.items()}, problems


def not_applied(out: Path, review_problems: list[str]) -> list[tuple[str, str, str]]:
    """Review and correction lines the run did not apply: (file, the line, why)."""
    from pipeline.corrections import CORRECTIONS_FILE, ORPHANS_FILE, read_corrections
    from pipeline.reviews import ORPHANS_FILE as REVIEW_ORPHANS
    from pipeline.reviews import REVIEW_COLUMNS as REVIEW_FIELDS
    from pipeline.reviews import REVIEWS_FILE

    lines = [(REVIEWS_FILE, "", p) for p in review_problems]
    lines += [(REVIEWS_FILE, ",".join(row.get(c, "") for c in REVIEW_FIELDS),
               "its flag is not in this run (report removed or changed, or the finding is gone)")
              for row in rows(out / REVIEW_ORPHANS)]
    lines += [(CORRECTIONS_FILE, "", p) for p in read_corrections(out).problems]
    lines += [(CORRECTIONS_FILE, ",".join(v for k, v in row.items() if k != "reason"), row.get("reason", ""))
              for row in rows(out / ORPHANS_FILE)]
    return lines


def load(out: Path, written: Sequence[Sequence[CellRecord]] | None = None) -> AuditData:
    """Read OUT's CSVs for the page. A flag's review is its review_decision/review_note columns, or
    else OUT/reviews.csv's row for it. WRITTEN: every cell of table_cells.csv as written, in its order,
    where the run still holds them (the named ones are then read back from memory, not the file)."""
    documents = list(rows(out / "documents.csv"))
    flags = list(rows(out / "flags.csv"))
    # only the cells and figures a flag names are kept: an archive's cells would not fit in memory
    wanted = {(flag["doc_id"], ref) for flag in flags for ref in flag.get("refs", "").split()}
    cells_by_doc: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    named = (named_rows(out / "table_cells.csv", wanted, ("table", "row_key", "col_key")) if written is None
             else _named_written(written, wanted))
    for cell in named:
        cells_by_doc[cell["doc_id"]][f"{cell['table']}.{cell['row_key']}.{cell['col_key']}"] = cell
    figures = {f["figure_id"]: f for f in named_rows(out / "figures.csv", wanted, ("figure_id",), "figure:")}
    flags_by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for flag in flags:
        flags_by_doc[flag["doc_id"]].append(flag)
    for doc_flags in flags_by_doc.values():
        doc_flags.sort(key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9))  # stable: flags.csv order within
    reviews, problems = read_reviews(out / "reviews.csv")  # reviewer and date too: never lost on a rerun
    for flag in flags:
        decision = (flag.get("review_decision") or "").strip().lower()
        if decision in REVIEW_DECISIONS and flag["flag_id"] not in reviews:
            reviews[flag["flag_id"]] = {"decision": decision, "note": flag.get("review_note", ""),
                                        "reviewer": "", "date": ""}
    return AuditData(documents, flags, flags_by_doc, cells_by_doc, figures, reviews,
                     not_applied(out, problems), _corrections(out))


def _corrections(out: Path) -> list[dict[str, str]]:
    """OUT/corrections.csv's readable lines (the page's baseline: what it exports keeps them)."""
    from dataclasses import asdict

    from pipeline.corrections import read_corrections

    return [asdict(c) for c in read_corrections(out).items]


def when_written(out: Path) -> str:
    """When documents.csv was written (UTC, to the minute): the run's time for a page built alone."""
    path = out / "documents.csv"
    if not path.exists():
        return ""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
