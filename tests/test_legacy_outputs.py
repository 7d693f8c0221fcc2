"""The pre-2019 statistics table (t_legacy) and the printed unit in every analyst output.

Two reports go through the real writing path — run_batch with its checkpoint, assembler, CSV writers,
wide table, Parquet copies, data package and audit page — with the reading step replaced by built
results: a 2021-form report with national cells, and a 2013 report whose old statistics table has a
blank cell, a written zero, a decimal 元 row, a unit printed against the canonical one (条 for 行政复议数,
as FJ-1 county tables do) and a row matching no key (other_3).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import nianbao
from pipeline import __version__
from pipeline.loader import load
from pipeline.process import doc_id_of
from pipeline.run import RunOptions, run_batch
from pipeline.wide import cell_columns
from schemas.legacy import CUMULATIVE, LEGACY, LEGACY_ROWS, OTHER_ROW_PREFIX, YEAR, Section, legacy_row
from schemas.records import CellRecord, DocumentRecord, DocumentResult, FlagRecord, columns
from schemas.template import DECIMAL, TABLE_KEYS, TEMPLATES, Form

ROOT = Path(__file__).resolve().parents[1]

NEW_TEXT = "某县人民政府2022年政府信息公开工作年度报告（测试用）\n"
OLD_TEXT = "某县人民政府2013年政府信息公开工作年度报告（测试用）\n"

# the old report's table: row_key -> (printed label, printed unit, year raw, cumulative raw); a raw of
# "" or "-" is a blank cell, None a column not emitted
OLD_TABLE: dict[str, tuple[str, str, str | None, str | None]] = {
    "proactive_total": ("主动公开信息数", "条", "1853", "5120"),
    "proactive_website": ("其中：1.网站公开", "条", "1713", "4800"),
    "proactive_gazette": ("2.政府公报公开", "条", "0", ""),  # 历年累计 printed empty: blank, never 0
    "other_3": ("公文类信息数", "条", "12", "30"),  # matches no key: stays in table_cells.csv only
    "requests_total": ("受理依申请公开信息总数", "条", "7", "28"),
    "requests_in_person": ("其中：1.当面申请数", "条", "0", "18"),
    "requests_email": ("3.电子邮件申请数", "条", "3", "6"),
    "requests_online": ("4.网上申请数", "条", "4", "4"),
    "replies_total": ("对申请的答复总数", "条", "3", "24"),
    "replies_granted": ("其中：1.同意公开答复数", "条", "2", "19"),
    "admin_review_total": ("行政复议数", "条", "-", "1"),  # a dash: blank; 条 printed for a 件 row
    "fees_waived": ("政府信息公开收费减免金额", "元", "1234.50", "2000.75"),  # a decimal in 元, not 万元
}


def _number(raw: str) -> float | int:
    return float(raw) if "." in raw else int(raw)


def _old_cells(doc_id: str) -> list[CellRecord]:
    cells = []
    for row_key, (label, unit, *raws) in OLD_TABLE.items():
        for col_key, col_label, raw in zip((YEAR, CUMULATIVE), ("本年度", "历年累计"), raws, strict=True):
            if raw is None:
                continue
            blank = raw in ("", "-")
            cells.append(CellRecord(doc_id, LEGACY, row_key, col_key, None if blank else _number(raw), raw, blank,
                                    label, 9, col_label=col_label, unit=unit))
    return cells


def _new_cells(doc_id: str) -> list[CellRecord]:
    cells = [CellRecord(doc_id, "t3_requests", row, "total", v, str(v), False, row, 3, col_label="总计")
             for row, v in (("new_received", 21), ("granted", 0), ("handled_total", 21))]
    cells.append(CellRecord(doc_id, "t2_active", "fees", "amount_10k_yuan", 7730.28, "7730.28", False, "行政事业性收费",
                            2, col_label="本年收费金额（单位：万元）"))
    cells.append(CellRecord(doc_id, "t4_review_litigation", "cases", "suit_total", None, "-", True, "案件数", 4))
    return cells


def _results(sources: dict[str, Path]) -> dict[str, DocumentResult]:
    results = {}
    for name, (year, template, text) in {"new": (2022, Form.F2021, NEW_TEXT), "old": (2013, Form.OLD, OLD_TEXT)}.items():
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc_id = doc_id_of(sha)
        record = DocumentRecord(doc_id, str(sources[name]), sha, "txt", None, text.strip(), "某县人民政府", year,
                                "county", template.value, "ok", size_bytes=len(text.encode("utf-8")),
                                pipeline_version=__version__)
        cells = _old_cells(doc_id) if name == "old" else _new_cells(doc_id)
        results[name] = DocumentResult(record, cells)
    old = results["old"]
    ref = f"{LEGACY}.fees_waived.{YEAR}"
    old.flags.append(FlagRecord(f"f-{old.document.doc_id}", old.document.doc_id, "test.legacy_unit", "info",
                                "减免金额1234.5元（测试）", ref, None, 1234.5, 9))
    return results


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Iterator[Path]:
    """An output folder written by run_batch, the reading step replaced by the built results."""
    import pipeline.run

    base = tmp_path_factory.mktemp("legacy")
    inputs = base / "in"
    inputs.mkdir()
    sources = {"new": inputs / "a-2022.txt", "old": inputs / "b-2013.txt"}
    sources["new"].write_text(NEW_TEXT, encoding="utf-8")
    sources["old"].write_text(OLD_TEXT, encoding="utf-8")
    results = _results(sources)
    by_sha = {r.document.sha256: r for r in results.values()}

    def built(items, options):
        for position, item in enumerate(items):
            yield position, by_sha[hashlib.sha256(Path(item.source).read_bytes()).hexdigest()]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline.run, "_execute", built)
        folder = base / "out"
        summary = run_batch([str(inputs)], folder, RunOptions(jobs=0, progress=False))
    assert (summary.documents, summary.ok) == (2, 2)
    for name in ("reports_wide.csv", "reports_wide.parquet", "table_cells.parquet", "datapackage.json",
                 "audit.html"):
        assert (folder / name).exists(), f"{name} not written (the run prints why on stderr)"
    yield folder


def _csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _by_year(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["year"]: r for r in rows}


# ---------------------------------------------------------------- table_cells.csv


def test_table_cells_carry_the_printed_unit(out):
    header, rows = _csv(out / "table_cells.csv")
    # unit, then the correction columns (pipeline.corrections), then how the cell was read (OCR or text)
    assert header == columns(CellRecord)
    assert header[-5:] == ["unit", "original_value", "corrected_by", "read_by", "confidence"]
    assert {r["read_by"] for r in rows} == {"text"} and {r["confidence"] for r in rows} == {""}
    legacy = [r for r in rows if r["table"] == LEGACY]
    assert len(legacy) == 2 * len(OLD_TABLE)
    units = {r["row_key"]: r["unit"] for r in legacy}
    assert units["fees_waived"] == "元" and units["proactive_total"] == "条"
    assert units["admin_review_total"] == "条"  # kept as printed, though the row's canonical unit is 件
    assert all(r["unit"] == "" for r in rows if r["table"] != LEGACY)  # the 2019+ forms print no unit column
    other = [r for r in legacy if r["row_key"] == f"{OTHER_ROW_PREFIX}3"]
    assert [(r["col_key"], r["value"], r["row_label"]) for r in other] == [
        (YEAR, "12", "公文类信息数"), (CUMULATIVE, "30", "公文类信息数")]
    gazette = next(r for r in legacy if r["row_key"] == "proactive_gazette" and r["col_key"] == CUMULATIVE)
    assert (gazette["value"], gazette["blank"]) == ("", "true")


# ---------------------------------------------------------------- reports_wide.csv


def test_wide_table_has_every_legacy_key_and_no_other_rows(out):
    header, _ = _csv(out / "reports_wide.csv")
    expected = [f"{LEGACY}.{row.key}.{col}" for row in LEGACY_ROWS for col in (YEAR, CUMULATIVE)]
    legacy = [h for h in header if h.startswith(f"{LEGACY}.")]
    assert legacy == expected  # schema order, both columns of every key
    assert not [h for h in header if h.startswith(f"{LEGACY}.{OTHER_ROW_PREFIX}")]
    # after the national template's cells, before the flag counts
    last_national = max(i for i, h in enumerate(header) if h.split(".")[0] in TABLE_KEYS)
    assert header.index(expected[0]) == last_national + 1 and header[-3] == "flags_error"
    assert [c.name for c in cell_columns() if c.table == LEGACY] == expected


def test_wide_table_values_blank_is_empty_never_zero(out):
    _, rows = _csv(out / "reports_wide.csv")
    new, old = _by_year(rows)["2022"], _by_year(rows)["2013"]
    assert old["template"] == "old" and new["template"] == "2021"
    assert old[f"{LEGACY}.proactive_total.{YEAR}"] == "1853"
    assert old[f"{LEGACY}.proactive_total.{CUMULATIVE}"] == "5120"
    assert old[f"{LEGACY}.proactive_gazette.{YEAR}"] == "0"  # a written zero
    assert old[f"{LEGACY}.proactive_gazette.{CUMULATIVE}"] == ""  # printed blank
    assert old[f"{LEGACY}.admin_review_total.{YEAR}"] == ""  # a dash
    assert old[f"{LEGACY}.fees_waived.{YEAR}"] == "1234.5"
    assert old[f"{LEGACY}.requests_fax.{YEAR}"] == ""  # not printed
    assert old["t3_requests.new_received.total"] == ""  # an old report has no 表三
    assert new["t3_requests.new_received.total"] == "21"
    assert all(new[c.name] == "" for c in cell_columns() if c.table == LEGACY)
    assert old["flags_info"] == "1"


# ---------------------------------------------------------------- typed: loader, nianbao.load, Parquet


def _legacy_kinds() -> dict[str, str]:
    return {f"{LEGACY}.{r.key}.{c}": ("Float64" if r.kind == DECIMAL else "Int64")
            for r in LEGACY_ROWS for c in (YEAR, CUMULATIVE)}


def test_loader_types_legacy_columns_by_row_kind(out):
    data = load(out)
    wide = data.wide.set_index("year")
    for name, dtype in _legacy_kinds().items():
        assert str(wide[name].dtype) == dtype, name
    assert {r.key for r in LEGACY_ROWS if r.kind == DECIMAL} == {"fees_charged", "fees_waived", "special_funds"}
    assert wide.loc[2013, f"{LEGACY}.fees_waived.{YEAR}"] == pytest.approx(1234.5)
    assert wide.loc[2013, f"{LEGACY}.fees_waived.{CUMULATIVE}"] == pytest.approx(2000.75)
    assert wide.loc[2013, f"{LEGACY}.proactive_gazette.{YEAR}"] == 0
    assert wide.loc[2013, f"{LEGACY}.proactive_gazette.{CUMULATIVE}"] is pd.NA
    assert wide.loc[2013, f"{LEGACY}.admin_review_total.{YEAR}"] is pd.NA
    assert wide.loc[2022, f"{LEGACY}.proactive_total.{YEAR}"] is pd.NA
    # a sum over reports skips the blank and the absent, it does not count them as 0
    assert wide[f"{LEGACY}.requests_total.{YEAR}"].sum() == 7
    assert wide[f"{LEGACY}.proactive_gazette.{CUMULATIVE}"].sum(min_count=1) is pd.NA
    cells = data.cells
    assert str(cells["unit"].dtype) == "string"
    fees = cells[(cells["table"] == LEGACY) & (cells["row_key"] == "fees_waived")]
    assert fees["unit"].tolist() == ["元", "元"] and fees["value"].tolist() == [1234.5, 2000.75]
    assert cells.loc[cells["table"] != LEGACY, "unit"].isna().all()


def test_nianbao_load_and_the_in_memory_wide_match(out, tmp_path):
    public = nianbao.load(out)
    mine = load(out)
    pd.testing.assert_frame_equal(public.wide, mine.wide)
    pd.testing.assert_frame_equal(public.cells, mine.cells)
    for name in ("documents", "table_cells", "figures", "flags"):
        (tmp_path / f"{name}.csv").write_bytes((out / f"{name}.csv").read_bytes())
    built = load(tmp_path).wide  # no reports_wide.csv: built from the four CSVs
    legacy = [c for c in mine.wide.columns if c.startswith(f"{LEGACY}.")]
    pd.testing.assert_frame_equal(built[legacy], mine.wide[legacy])


def test_parquet_gives_the_loaders_types_and_values(out):
    schema = pq.read_schema(out / "reports_wide.parquet")
    for name, dtype in _legacy_kinds().items():
        assert str(schema.field(name).type) == ("double" if dtype == "Float64" else "int64"), name
    wide = pd.read_parquet(out / "reports_wide.parquet")
    loaded = load(out).wide
    legacy = list(_legacy_kinds())
    pd.testing.assert_frame_equal(wide[legacy], loaded[legacy])
    assert str(pq.read_schema(out / "table_cells.parquet").field("unit").type) == "string"
    cells = pd.read_parquet(out / "table_cells.parquet")
    pd.testing.assert_frame_equal(cells, load(out).cells)


# ---------------------------------------------------------------- datapackage.json


def test_datapackage_lists_t_legacy_and_describes_unit(out):
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    cells = {f["name"]: f for f in resources["table-cells"]["schema"]["fields"]}
    assert cells["table"]["constraints"]["enum"] == [*TABLE_KEYS, LEGACY]
    assert cells["unit"]["type"] == "string" and "printed" in cells["unit"]["description"]
    figures = {f["name"]: f for f in resources["figures"]["schema"]["fields"]}
    assert figures["unit"]["description"] != cells["unit"]["description"]  # not the figures' base unit
    assert OTHER_ROW_PREFIX in cells["row_key"]["description"]
    docs = {f["name"]: f for f in resources["documents"]["schema"]["fields"]}
    assert docs["template"]["constraints"]["enum"] == list(TEMPLATES) and "old" in TEMPLATES
    wide = {f["name"]: f for f in resources["reports-wide"]["schema"]["fields"]}
    fees = wide[f"{LEGACY}.fees_waived.{YEAR}"]
    assert fees["type"] == "number" and fees["title"] == "政府信息公开收费减免金额（元）·本年度"
    assert wide[f"{LEGACY}.requests_total.{CUMULATIVE}"]["type"] == "integer"
    assert wide[f"{LEGACY}.admin_review_corrected.{YEAR}"]["title"] != wide[f"{LEGACY}.admin_suit_corrected.{YEAR}"][
        "title"]  # 被依法纠错数 is printed under both totals


def test_datapackage_validates_with_frictionless(out):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_audit_page_shows_the_printed_unit(out):
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert f"<code>{LEGACY}.fees_waived.{YEAR}</code>" in page and "1234.50 元</td>" in page


# ---------------------------------------------------------------- docs


def test_analyst_docs_list_every_legacy_row():
    """docs/analysts.md's data dictionary of t_legacy names every key with its label, unit and section."""
    text = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    section = text[text.index(f"## The old statistics table: `{LEGACY}`"):]
    section = section[section.index("### Data dictionary"):]
    section = section[:section.index("\n\n", section.index("| row_key"))]
    lines = {line.split("|")[1].strip(" `"): line for line in section.splitlines() if line.startswith("| `")}
    for row in LEGACY_ROWS:
        assert row.key in lines, row.key
        cells = [c.strip() for c in lines[row.key].split("|")[1:-1]]
        assert cells[1] == row.label and cells[2] == row.unit and cells[3] == row.section.value, lines[row.key]
        parent = legacy_row(row.parent)
        assert cells[5] == (f"`{parent.key}`" if parent else ""), lines[row.key]
    assert {s.value for s in Section} <= {line.split("|")[4].strip() for line in lines.values()}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{LEGACY}`" in readme and "`unit`" in readme
