"""Run one document through the pipeline: bytes -> reader -> document model -> extractors -> checks.

`process_item` is the per-document function every executor (serial, process pool, Dask) calls. It
never raises: whatever goes wrong becomes a `failed` row with a one-line reason.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
import zlib
from contextlib import AbstractContextManager, nullcontext

import regex as re

from extractors.errors import ReaderError, is_out_of_memory
from extractors.metadata import admin_level, extract_metadata
from extractors.normalize import simplify
from extractors.readers import read_document
from extractors.readers.detect import detect_format
from extractors.tables.blank_evidence import contradicted_blanks, narrative_blanks
from extractors.tables.coverage import coverage, note_ref
from extractors.tables.ocr_values import check_ocr_cells
from extractors.tables.reading_doubt import REMAPPED, identities_in_doubt, unproven_blanks
from extractors.tables.table_grids import recording_sources
from pipeline import __version__
from pipeline.discover import InputItem
from pipeline.issuers import issuer_key, report_id
from pipeline.limits import DEFAULT_MAX_PAGES
from pipeline.regions import find_region
from schemas.document import Cell, Document
from schemas.legacy import LEGACY, YEAR
from schemas.records import DocumentRecord, DocumentResult, Status, TableExtraction
from schemas.template import TABLE_KEYS, Form

log = logging.getLogger(__name__)

_REPORT_WORDS = re.compile(r"政府信息公开|政务公开|信息公开")


def doc_id_of(sha256: str) -> str:
    return sha256[:16]




def process_item(item: InputItem, max_pages: int = DEFAULT_MAX_PAGES) -> DocumentResult:
    """Process one input; a failure anywhere becomes a failed DocumentRecord, never an exception."""
    try:
        data = item.read_bytes()
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        record = DocumentRecord(doc_id="", source=item.source, sha256="", status=Status.FAILED,
                                error=f"cannot read input: {_one_line(exc)}", pipeline_version=__version__)
        return DocumentResult(record)
    return process_bytes(data, item.source, max_pages)


def _page_count(data: bytes) -> int | None:
    """A PDF's page count from pypdfium2 (cheap: no page is parsed), or None if it cannot tell."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - the reader will say what is wrong with the file
        return None


def process_bytes(data: bytes, source: str, max_pages: int = DEFAULT_MAX_PAGES) -> DocumentResult:
    """Process a document given as bytes (the source names it in the output)."""
    sha = hashlib.sha256(data).hexdigest()
    record = DocumentRecord(doc_id=doc_id_of(sha), source=source, sha256=sha, size_bytes=len(data),
                            pipeline_version=__version__)
    result = DocumentResult(record)
    try:
        record.format = detect_format(data, source)
        if record.format == "pdf" and max_pages > 0:
            pages = _page_count(data)
            if pages is not None and pages > max_pages:
                record.pages = pages
                raise ReaderError(f"PDF of {pages} pages is beyond the {max_pages}-page limit for one report "
                                  f"(raise --max-pages)")
        doc = read_document(data, source, record.format)
        record.pages = doc.page_count
        _extract(doc, result)
    except ReaderError as exc:
        record.status, record.error = exc.status, str(exc)
    except (MemoryError, TimeoutError):
        raise  # a limit of the run, not of this file: the executor reports it and never checkpoints it
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a batch
        if is_out_of_memory(exc):  # a library that could not load under the memory cap
            raise MemoryError(str(exc)) from exc
        log.debug("internal error on %s", source, exc_info=True)
        record.status, record.error = Status.FAILED, f"internal error: {type(exc).__name__}: {_one_line(exc)}"
        result.cells, result.figures, result.flags = [], [], []
    return result


def _extract(doc: Document, result: DocumentResult) -> None:
    record = result.document
    simplify(doc)
    meta = extract_metadata(doc)
    region = find_region(meta.issuer, meta.title, doc.text)
    record.title, record.issuer, record.year, record.admin_level = (
        meta.title, meta.issuer, meta.year, admin_level(meta.issuer, region.rank))
    record.region_code, record.province, record.prefecture, record.county, record.township = (
        region.code, region.province, region.prefecture, region.county, region.township)
    record.region_evidence = region.evidence
    record.issuer_key = issuer_key(meta.issuer, region)
    record.report_id = report_id(record.issuer_key, meta.year, meta.title, record.sha256)
    record.period_start, record.period_end = meta.period_start, meta.period_end
    if doc.warnings:
        record.warnings = "; ".join(doc.warnings)
    if not _REPORT_WORDS.search(doc.text[:20000]) and not any(
            _REPORT_WORDS.search(c.text) for t in doc.tables[:5] for c in t.cells):
        record.status, record.error = Status.FAILED, "not a report (no 政府信息公开 text found)"
        return

    scanned = any(page.ocr for page in doc.pages)
    recorder: AbstractContextManager[dict[tuple[str, str, str], Cell]] = (
        recording_sources() if scanned else nullcontext({}))
    with recorder as sources:
        tables = extract_template_tables(doc, record.doc_id)
    # blank needs evidence: not where a cell was lost beside it, nor where the table's totals say a number
    tables.unproven += unproven_blanks(tables.cells, tables.lost)
    ocr = check_ocr_cells(doc, tables, sources) if scanned else None
    if ocr is not None:  # cells read by OCR: look-alikes proven, blanks checked for ink, confidence
        tables.guessed += ocr.notes
        if ocr.cells:
            record.warnings = "; ".join(filter(None, [record.warnings, ocr.summary()]))
    tables.unproven += contradicted_blanks(tables.cells)
    result.cells = tables.cells
    record.template = _template(tables, record.year)
    problems = ([str(p) for p in tables.problems] + [f"ambiguous: {a}" for a in tables.ambiguous]
                + [f"guessed: {g}" for g in tables.guessed] + [f"unproven: {u}" for u in tables.unproven]
                + _header_year_notes(tables, record.year))
    cover = coverage(tables, record.template)
    record.cells_expected, record.cells_found = cover.expected, cover.found
    record.cells_missing, record.cells_ambiguous = cover.missing, cover.ambiguous
    if not cover.complete:  # ok means complete: a canonical cell missing, ambiguous or guessed is never silent
        record.status = Status.PARTIAL
        problems[:0] = cover.notes()
    elif tables.ambiguous:  # two readings of a cell the form does not expect (a merged cell read twice)
        record.status = Status.PARTIAL
    if ocr is not None and ocr.notes:  # an OCR cell in doubt outside the form's cells is doubt all the same
        record.status = Status.PARTIAL
    missing = [k for k in TABLE_KEYS if k not in tables.tables_found]
    if record.template != "old" and missing:
        record.status = Status.PARTIAL
        problems.insert(0, "template tables not found: " + ", ".join(missing))
    elif record.template == "old" and not tables.tables_found:
        from extractors.tables.template_tables import NO_TABLE

        problems = [p for p in problems if p != NO_TABLE]
        if _prints_legacy_table(doc):  # a table the text shows but no reader took: never a silent hole
            record.status = Status.PARTIAL
            problems.insert(0, f"{LEGACY}: a statistics table is printed but its rows could not be read")
        else:
            problems.insert(0, f"old report without a statistics table ({LEGACY}): no table cells expected")
    if doc.unread:  # printed but not read (a table as an image without the OCR extra): never ok
        record.status = Status.PARTIAL
        problems[:0] = doc.unread
    if problems:
        note = "; ".join(dict.fromkeys(problems))
        if record.status == Status.PARTIAL:
            record.error = note
        else:
            record.warnings = "; ".join(filter(None, [record.warnings, note]))

    # a fault in one later stage loses that stage's rows only, never the tables already read
    try:
        result.figures = extract_narrative_figures(doc, record.doc_id)
    except Exception as exc:  # noqa: BLE001
        log.debug("figure extraction failed on %s", record.source, exc_info=True)
        _stage_failed(record, "narrative figures", exc)
    try:
        result.flags = run_document_checks(record, result)
    except Exception as exc:  # noqa: BLE001
        log.debug("checks failed on %s", record.source, exc_info=True)
        _stage_failed(record, "checks", exc)
        return
    doubts = identities_in_doubt(result.flags, tables.irregular)
    doubts += identities_in_doubt(result.flags, tables.remapped, REMAPPED)
    doubts += narrative_blanks(result.cells, result.flags)
    if doubts:  # never `ok` beside an identity our own reading may have broken
        record.status = Status.PARTIAL
        record.error = "; ".join(filter(None, [record.error, *doubts]))


_HEADER_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def _header_year_notes(tables: TableExtraction, year: int | None) -> list[str]:
    """An old table whose 本年度 column is headed with another year than the report's (the 2018 report of
    a bureau printing 2017年度): the column is read as the year all the same, and the mismatch said."""
    heads = {c.col_label for c in tables.cells if c.table == LEGACY and c.col_key == YEAR}
    printed = {int(m.group(1)) for h in heads if (m := _HEADER_YEAR.search(h))}
    return [f"{LEGACY}: the year column is headed {p}年 in a report of {year}; read as the report's year"
            for p in sorted(printed) if year is not None and p != year]


def _prints_legacy_table(doc: Document) -> bool:
    from extractors.tables.legacy import prints_legacy_table

    return prints_legacy_table(doc)


def _stage_failed(record: DocumentRecord, stage: str, exc: Exception) -> None:
    record.status = Status.PARTIAL
    note = f"{stage} not extracted: internal error {type(exc).__name__}: {_one_line(exc)}"
    record.error = "; ".join(filter(None, [record.error, note]))


def extract_template_tables(doc: Document, doc_id: str) -> TableExtraction:
    """The report's tables: the national forms' (grids, completed from flattened text), or, where none of
    them is printed, the pre-2019 statistics table."""
    national, complete = extract_national_tables(doc, doc_id)
    if national.tables_found and (complete or coverage(national, national.template).complete):
        return national
    from extractors.tables.legacy import extract_legacy_table

    # an old table's rows can look like stray national ones (（二）新增的行政规范性文件数, 行政复议数):
    # the form whose reading holds more of the printed cells is the one the report follows
    legacy = extract_legacy_table(doc, doc_id)
    if legacy is None or len(legacy.cells) <= len(national.cells):
        return national
    return legacy


def extract_national_tables(doc: Document, doc_id: str) -> tuple[TableExtraction, bool]:
    """Template cells from grid tables, completed from flattened text where grids miss tables or cells; and
    whether that reading's coverage is already proven complete (so the caller does not work it out again)."""
    from extractors.tables.template_tables import NO_TABLE, extract_tables

    grid = extract_tables(doc, doc_id)
    if all(k in grid.tables_found for k in TABLE_KEYS) and not grid.problems and coverage(grid, grid.template).complete:
        return grid, True
    try:
        from extractors.tables.flat_tables import extract_flat_tables
    except ImportError:
        return grid, False
    flat = extract_flat_tables(doc, doc_id)
    if not flat.cells and not flat.ambiguous:
        return grid, False
    have = {(c.table, c.row_key, c.col_key) for c in grid.cells}
    grid_template = grid.template if grid.tables_found else "unknown"
    # a flat reading of another template version than the grids' would mix keys: keep the grids alone
    if grid_template != "unknown" and flat.template not in ("unknown", grid_template):
        return grid, False
    extra = [c for c in flat.cells if (c.table, c.row_key, c.col_key) not in have]
    found = list(dict.fromkeys(grid.tables_found + [c.table for c in extra]))
    from_flat = {(c.table, c.row_key) for c in extra}
    merged = TableExtraction(
        cells=grid.cells + extra,
        template=grid_template if grid_template != "unknown" else flat.template,
        tables_found=[t for t in TABLE_KEYS if t in found],
        ambiguous=grid.ambiguous + flat.ambiguous,
        # a guess counts only where its cells were taken from the flat reading
        guessed=[g for g in flat.guessed if (ref := note_ref(g)) and ref[:2] in from_flat],
        irregular=grid.irregular,
        lost=grid.lost,
        remapped=grid.remapped,
    )
    stale = _stale_tables(grid, merged, {c.table for c in extra})
    # a note about the grids as a whole (no table in them, a template read from headers alone) is
    # stale once the flat reading found cells where the grids held none
    merged.problems = [p for p in grid.problems if p.text != NO_TABLE and p.table not in stale
                       and not (p.table is None and not grid.cells)] + flat.problems
    return merged, False


def _stale_tables(grid: TableExtraction, merged: TableExtraction, filled: set[str]) -> set[str]:
    """Tables whose grid problems no longer hold once the flat reading filled them: a table the grids did
    not find at all, or one the merged cells complete (a table still holed keeps its problems)."""
    complete = {t.spec.key for t in coverage(merged, merged.template).tables if not t.note()}
    return {t for t in filled if t not in grid.tables_found or t in complete}


def extract_narrative_figures(doc: Document, doc_id: str) -> list:
    from extractors.narrative.figures import extract_figures

    return extract_figures(doc, doc_id)


def run_document_checks(record: DocumentRecord, result: DocumentResult) -> list:
    from pipeline.checks import run_checks

    return run_checks(record, result.cells, result.figures)


def _template(tables: TableExtraction, year: int | None) -> str:
    if tables.template == Form.OLD and tables.tables_found:
        return Form.OLD
    if tables.template in ("2021", "2019") and tables.tables_found:
        return tables.template
    if not tables.tables_found and year is not None and year < 2019:
        return "old"
    if tables.tables_found and year is not None:
        return "2019" if year in (2019, 2020) and tables.template == "unknown" else (
            tables.template if tables.template != "unknown" else "2021")
    return tables.template or "unknown"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
