"""Auditors' reviews: OUT/reviews.csv (flag_id, decision, note[, reviewer, date]) read on every run.

The auditor owns reviews.csv: the tool never writes, moves or deletes it (not even with --force). Each
run copies the decision and note of every reviewed flag into flags.csv (review_decision, review_note),
which the Parquet copies and the audit page are built from, and lists reviews whose flag_id no longer
occurs (the report was removed or changed, or the finding is gone) in reviews_orphaned.csv, which the
tool owns and rewrites or removes on every run. Flag ids are stable (pipeline.checks.engine), so a
review stays attached to its finding across runs, batches and versions.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path

from pipeline.csvsafe import neutralise
from pipeline.writers import open_temp
from schemas.records import REVIEW_DECISIONS

log = logging.getLogger(__name__)

REVIEWS_FILE = "reviews.csv"
ORPHANS_FILE = "reviews_orphaned.csv"
FLAGS_FILE = "flags.csv"
# Excel in a Chinese locale saves "CSV" as GB18030; the contract is UTF-8 (with or without BOM)
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Review:
    """One line of reviews.csv."""

    flag_id: str
    decision: str
    note: str = ""
    reviewer: str = ""
    date: str = ""


REVIEW_COLUMNS = tuple(f.name for f in fields(Review))


@dataclass
class ReviewOutcome:
    """What applying reviews.csv did: reviews attached, reviews left without a flag, lines refused."""

    applied: int = 0
    orphaned: list[Review] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The run summary's words about reviews ('' when there is no reviews.csv)."""
        if not (self.applied or self.orphaned or self.problems):
            return ""
        text = f"reviews: {self.applied} applied"
        if self.orphaned:
            text += f", {len(self.orphaned)} without a flag (see {ORPHANS_FILE})"
        if self.problems:
            text += f", {len(self.problems)} lines of {REVIEWS_FILE} ignored"
        return text


def auditor_text(path: Path) -> str:
    """An auditor's CSV (reviews, corrections) as text: UTF-8, or GB18030 as Excel saves it in a Chinese locale."""
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path.name} is neither UTF-8 nor GB18030 text")


def read_reviews(path: Path) -> tuple[dict[str, Review], list[str]]:
    """Reviews by flag_id (a later line for the same flag wins), and the lines that were refused."""
    if not path.is_file():
        return {}, []
    try:
        rows = list(csv.reader(io.StringIO(auditor_text(path), newline="")))
    except (OSError, ValueError, csv.Error) as exc:
        return {}, [f"{REVIEWS_FILE} not read: {exc}"]
    if not rows:
        return {}, []
    header = [h.strip().lower() for h in rows[0]]
    if "flag_id" not in header or "decision" not in header:
        return {}, [f"{REVIEWS_FILE} needs the columns flag_id and decision (found: {', '.join(header)})"]
    reviews: dict[str, Review] = {}
    problems: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        flag_id, decision = values.get("flag_id", ""), values.get("decision", "").lower()
        if not flag_id and not any(values.values()):
            continue
        if not flag_id or decision not in REVIEW_DECISIONS:
            problems.append(f"{REVIEWS_FILE} line {number}: needs a flag_id and a decision of "
                            f"{' | '.join(REVIEW_DECISIONS)} (found {flag_id!r}, {decision!r})")
            continue
        reviews[flag_id] = Review(flag_id, decision, *(values.get(k, "") for k in REVIEW_COLUMNS[2:]))
    return reviews, problems


def _fill_flags(path: Path, reviews: dict[str, Review]) -> set[str]:
    """Rewrite flags.csv with each reviewed flag's decision and note; returns the flag ids present."""
    present: set[str] = set()
    dst, tmp = open_temp(path)  # O_EXCL: never written through a planted link
    with open(path, encoding="utf-8-sig", newline="") as src, dst:
        reader = csv.reader(src)
        writer = csv.writer(dst)
        header = next(reader, None)
        if header is None:
            tmp.unlink()
            return present
        writer.writerow(header)
        at_id, at_decision, at_note = (header.index(c) for c in ("flag_id", "review_decision", "review_note"))
        for row in reader:
            present.add(row[at_id])
            review = reviews.get(row[at_id])
            # the rows keep their neutralised text; the auditor's note is neutralised as it goes in
            row[at_decision], row[at_note] = (review.decision, neutralise(review.note)) if review else ("", "")
            writer.writerow(row)
    os.replace(tmp, path)
    return present


def _write_orphans(out: Path, orphans: list[Review]) -> None:
    path = out / ORPHANS_FILE
    if not orphans:
        path.unlink(missing_ok=True)
        return
    fh, tmp = open_temp(path)
    with fh:
        writer = csv.writer(fh)
        writer.writerow(REVIEW_COLUMNS)
        writer.writerows([neutralise(v) for v in astuple(r)] for r in orphans)
    os.replace(tmp, path)


def apply_reviews(out: Path) -> ReviewOutcome:
    """Copy OUT/reviews.csv into flags.csv and list the reviews whose flag is gone (never touches reviews.csv)."""
    reviews, problems = read_reviews(out / REVIEWS_FILE)
    flags = out / FLAGS_FILE
    present = _fill_flags(flags, reviews) if reviews and flags.is_file() else set()
    orphans = [r for r in reviews.values() if r.flag_id not in present]
    _write_orphans(out, orphans)
    for problem in problems:
        log.warning(problem)
    if orphans:
        log.warning("%d reviews in %s name flags that no longer exist: listed in %s",
                    len(orphans), REVIEWS_FILE, ORPHANS_FILE)
    return ReviewOutcome(applied=len(reviews) - len(orphans), orphaned=orphans, problems=problems)
