"""Output record types: one dataclass per CSV of shared spec/output.md.

Field order is the column order. The spec's columns come first and are never renamed; fields after
them are additions (provenance, breakdown structure) that the spec allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum

from schemas.document import CellSource


class Status(StrEnum):
    """What happened to one input: ok means complete, partial names what is missing, failed says why."""

    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"


class Severity(StrEnum):
    """How sure a flag is: error = provably wrong, warning = very likely wrong, info = worth a look."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


STATUSES = tuple(s.value for s in Status)
ADMIN_LEVELS = ("province", "prefecture", "county", "township", "department", "zone", "unknown")
SEVERITIES = tuple(s.value for s in Severity)
CELL_SOURCES = tuple(s.value for s in CellSource)
REVIEW_DECISIONS = ("confirmed", "dismissed", "explained")  # what an auditor decided on a flag (reviews.csv)
FIGURE_CATEGORIES = ("money", "households", "people", "person_times", "messages", "items", "cases", "area",
                     "doses", "times", "percent", "other")


@dataclass
class DocumentRecord:
    """documents.csv: one row per input file, whatever happened to it."""

    doc_id: str
    source: str
    sha256: str
    format: str = ""
    pages: int | None = None
    title: str = ""
    issuer: str = ""
    year: int | None = None
    admin_level: str = "unknown"
    template: str = "unknown"
    status: Status = Status.OK
    error: str = ""
    # additions
    period_start: str = ""  # the statistical period the report states (ISO dates), e.g. 2022-01-01
    period_end: str = ""
    size_bytes: int | None = None
    duplicate_of: str = ""  # source of the first file with the same bytes
    warnings: str = ""  # '; '-joined notes that did not make the document partial or failed
    # template cells of the detected tables (None when no table was read): expected = found + missing + ambiguous
    cells_expected: int | None = None
    cells_found: int | None = None  # read, a value or blank=true
    cells_missing: int | None = None
    cells_ambiguous: int | None = None  # more than one reading, none emitted as certain
    pipeline_version: str = ""
    region_code: str = ""  # GB/T 2260 code of the issuer's division (empty: not a division, or not certain)
    province: str = ""
    prefecture: str = ""
    county: str = ""
    township: str = ""  # the 乡/镇/街道 the issuer names (no national code below the county)
    region_evidence: str = ""  # the text the region match rests on
    # the report this file is one copy of: every file of one issuer and year, whatever its format (pipeline.issuers)
    report_id: str = ""
    issuer_key: str = ""  # one key per issuer across years and name forms: '<division code>:<name>' (pipeline.issuers)

    def __post_init__(self) -> None:
        self.status = Status(self.status)  # a record read back from a checkpoint or CSV holds plain text


@dataclass
class CellRecord:
    """table_cells.csv: one row per template cell found."""

    doc_id: str
    table: str
    row_key: str
    col_key: str
    value: float | int | None
    raw: str
    blank: bool
    row_label: str
    page: int | None
    # additions
    col_label: str = ""
    bbox: str = ""  # "x0 top x1 bottom" in PDF points, where the reader had boxes
    unit: str = ""  # the unit the table prints for the row (the old statistics table's 计量单位: 条, 件, 元 …)
    # an auditor's correction (OUT/corrections.csv): the value as read, and who corrected it ('' = as read)
    original_value: float | int | None = None
    corrected_by: str = ""
    # how the text was read (text: the file's own text; ocr: OCR of an image) and, for OCR, the engine's
    # confidence in it (0-1; empty where it recognised nothing or the reading carries none)
    read_by: CellSource = CellSource.TEXT
    confidence: float | None = None

    def __post_init__(self) -> None:
        if type(self.read_by) is not CellSource:  # a closed set: a record read back from a CSV holds plain text
            self.read_by = CellSource(self.read_by)

    @property
    def ref(self) -> str:
        return f"{self.table}.{self.row_key}.{self.col_key}"


@dataclass
class FigureRecord:
    """figures.csv: one row per narrative figure."""

    figure_id: str
    doc_id: str
    category: str
    subject: str
    value: float | int
    unit: str
    approx: bool
    raw: str
    sentence: str
    section: str
    page: int | None
    # additions
    start: int | None = None  # character offsets of `raw` in the document text
    end: int | None = None
    part_of: str = ""  # figure_id of the total this figure is a listed part of (…，其中…)
    is_catch_all: bool = False  # the part is the breakdown's 其他… remainder


@dataclass
class FlagRecord:
    """flags.csv: one row per inconsistency found."""

    flag_id: str
    doc_id: str
    rule: str
    severity: Severity
    message: str
    refs: str
    expected: float | int | None
    found: float | int | None
    page: int | None
    # additions
    evidence: str = ""  # the sentence or table row the flag rests on
    review_decision: str = ""  # the auditor's decision from OUT/reviews.csv (REVIEW_DECISIONS), if any
    review_note: str = ""  # the auditor's note from OUT/reviews.csv

    def __post_init__(self) -> None:
        self.severity = Severity(self.severity)  # a closed set: a rule naming another severity fails loudly


@dataclass
class DocumentResult:
    """Everything the pipeline produced for one input file (what an executor returns)."""

    document: DocumentRecord
    cells: list[CellRecord] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    flags: list[FlagRecord] = field(default_factory=list)


def columns(record_type: type) -> list[str]:
    """CSV column names of a record type, in order."""
    return [f.name for f in fields(record_type)]


@dataclass(frozen=True)
class Problem:
    """A problem met while reading the template tables, with the table it is about (None: no one table),
    so that a table filled from another source drops the problems its first reading left."""

    text: str
    table: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class TableExtraction:
    """What the template-table extractor found in one document (before checks)."""

    cells: list[CellRecord] = field(default_factory=list)
    template: str = "unknown"  # 2021, 2019, old, unknown
    tables_found: list[str] = field(default_factory=list)  # table keys with at least one cell
    problems: list[Problem] = field(default_factory=list)  # missing/incomplete tables, unmatched labels
    ambiguous: list[str] = field(default_factory=list)  # tables whose cells could not be told apart
    # cells emitted on a weak tie-breaker's choice among several readings; each note starts with its ref
    # (table.row or table.row.col, as ambiguity notes do) and makes the document partial
    guessed: list[str] = field(default_factory=list)
    # blanks the source does not prove (a cell lost beside them, the table's totals say a number is
    # printed there); each note starts with its ref and makes the document partial
    unproven: list[str] = field(default_factory=list)
    # the cells a table prints where its form leaves that to the report (the old statistics table: its
    # printed rows x its printed columns): table -> {(row_key, col_key)}; the national forms' come from
    # the template (extractors/tables/coverage.py)
    expected_cells: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    # refs (table.row.col) of cells read from a grid row out of its table's shape (a cell dropped, a span
    # damaged): their blanks are not proven, and an identity they break may be the reading's doing
    irregular: list[str] = field(default_factory=list)
    # of those, the ones read from a table that marks up every cell (HTML, Word): a cell was lost there
    lost: list[str] = field(default_factory=list)
    # refs of cells re-read under another column mapping than their damaged header's, the one the row
    # identities prove (extractors/tables/remap.py): an error-level identity on them is never `ok`
    remapped: list[str] = field(default_factory=list)
