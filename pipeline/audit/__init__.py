"""OUT/audit.html: one self-contained static page for auditors over a whole archive — the run, the
documents problems first, each document's reading warnings and flags with the evidence (PDF crops with
the evidence outlined under the table's header rows; the paragraph or table row of TXT/HTML/DOCX), the
rules, and the reviews.

Everything taken from a document is untrusted: it is HTML-escaped, images are PNG data URIs we render
ourselves, and the Content-Security-Policy admits one script, the page's own, by its hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import TypeVar

from pipeline.audit.crops import (
    MAX_CROPS_PER_DOCUMENT,
    MAX_CROPS_PER_RUN,
    Crop,
    CropJob,
    Place,
    find_text_bbox,
    plan_crops,
    render_crops,
)
from pipeline.audit.data import RunInfo, load, when_written
from pipeline.audit.page import REPORTS_DIR, PageBuilder
from pipeline.audit.text import Excerpt, find_excerpts, plan_excerpts
from pipeline.writers import open_temp

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["MAX_CROPS_PER_DOCUMENT", "MAX_CROPS_PER_RUN", "CropJob", "RunInfo", "find_text_bbox", "plan_crops",
           "render_crops", "write_audit"]


def write_audit(out: Path, crops: bool = True, executor: Executor | None = None, run: RunInfo | None = None,
                split_at: int | None = None, early: Mapping[str, Future] | None = None,
                pieces: Mapping[str, Sequence[tuple[list[Place], Future]]] | None = None) -> Path:
    """Write OUT/audit.html from the CSVs in OUT (and, for an archive of more than `split_at` reports with
    something to show, one page per report in OUT/audit/); returns its path. Page crops and text excerpts
    are made over `executor` when one is given (they are most of the page's cost), else here; a job
    already under way in EARLY (repr(job) -> its result, pipeline.report_writers) is not made again, nor
    are the crops of a run of a job's places under way in PIECES (source -> (places, their crops))."""
    from pipeline import __version__

    data = load(out, run.written_cells() if run is not None and run.written_cells is not None else None)
    run = run or RunInfo()
    run.started = run.started or when_written(out)
    run.version = run.version or __version__
    crop_jobs = plan_crops(data.documents, data.flags_by_doc, data.cells_by_doc, data.figures) if crops else []
    text_jobs = plan_excerpts(data.documents, data.flags_by_doc, data.cells_by_doc, data.figures)
    crop_jobs = _pieced(crop_jobs, pieces or {})
    crop_results = _made(render_crops, crop_jobs, executor, early or {})  # both submitted before either is waited for
    text_results = _made(find_excerpts, text_jobs, executor, early or {})
    crops_by_flag: dict[str, list[Crop]] = {}
    for doc_crops in crop_results:
        crops_by_flag.update(doc_crops)
    excerpts: dict[str, list[Excerpt]] = {}
    for doc_excerpts in text_results:
        for flag_id, found in doc_excerpts.items():
            excerpts.setdefault(flag_id, []).extend(found)
    run.key = run.key or hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:16]
    builder = PageBuilder(data, run, crops_by_flag, excerpts, **({"split_at": split_at} if split_at is not None else {}))
    _write_report_pages(out / REPORTS_DIR, builder.report_pages())
    target = out / "audit.html"
    _write(target, builder.page())
    return target


def _made(make: Callable[[T], R], jobs: list, executor: Executor | None, early: Mapping[str, Future]) -> Iterator[R]:
    """MAKE of every job, in order: taken from EARLY where it is under way there, the rest submitted to
    EXECUTOR now, before this returns (else made here, one by one, as they are read); a _Pieces job's
    parts likewise."""
    if executor is None and not early and not any(isinstance(job, _Pieces) for job in jobs):
        return map(make, jobs)

    def start(job):  # noqa: ANN001, ANN202 - a job in, a Future or the job out
        found = early.get(repr(job))
        if found is not None:
            return found
        if isinstance(job, _Pieces):
            return _Pieces(job.job, [start(part) if isinstance(part, CropJob) else part for part in job.parts])
        return executor.submit(make, job) if executor is not None else job

    def result(item):  # noqa: ANN001, ANN202
        if isinstance(item, Future):
            return item.result()
        if isinstance(item, _Pieces):
            return _joined([result(part) if isinstance(part, CropJob) else part for part in item.parts])
        return make(item)

    pending = [start(job) for job in jobs]
    return (result(item) for item in pending)


class _Pieces:
    """A crop job made of pieces under way (futures) and places still to render (a CropJob): each place's
    crop depends on that place alone, so the crops joined in order are the whole job's."""

    def __init__(self, job: CropJob, parts: list[Future | CropJob]) -> None:
        self.job = job
        self.parts = parts

    def __repr__(self) -> str:
        return repr(self.job)


def _pieced(jobs: list[CropJob], pieces: Mapping[str, Sequence[tuple[list[Place], Future]]]) -> list:
    """JOBS, each whose places begin with places already under way in PIECES (in the order they were
    started) as a _Pieces; the others as they are."""
    out: list[CropJob | _Pieces] = []
    for job in jobs:
        parts: list[Future | CropJob] = []
        at = 0
        for places, future in pieces.get(job.source, ()):
            if places and job.places[at:at + len(places)] == places:
                parts.append(future)
                at += len(places)
        if not parts:
            out.append(job)
            continue
        if at < len(job.places):
            parts.append(CropJob(job.source, job.places[at:]))
        out.append(_Pieces(job, parts))
    return out


def _joined(parts: list) -> dict[str, list[Crop]]:
    """The crops of a _Pieces's parts, joined in order (the parts are futures or crops made here)."""
    crops: dict[str, list[Crop]] = {}
    for part in parts:
        for flag_id, found in (part.result() if isinstance(part, Future) else part).items():
            crops.setdefault(flag_id, []).extend(found)
    return crops


def _write(target: Path, text: str) -> None:
    fh, tmp = open_temp(target, encoding="utf-8")  # O_EXCL: never written through a planted link
    with fh:
        fh.write(text)
    tmp.replace(target)


def _write_report_pages(folder: Path, pages: dict[str, str]) -> None:
    """OUT/audit/<report>.html, one per report of a split page; the pages of an earlier run are removed
    (the folder is the tool's; a link planted in its place is removed, never followed)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    if folder.is_dir():
        for old in folder.glob("*.html"):
            old.unlink()
    if not pages:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        return
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        _write(folder / name, text)
