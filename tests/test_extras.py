"""Extras for analysts: wide table, Parquet copies, data package, typed loader, region parsing.

The output folder is written with the pipeline's own CSV writers from real values of
淮安市洪泽区人民政府 2023年 report (shared corpus real-001), plus a duplicate and a failed file.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.datapackage import build_datapackage
from pipeline.extras import write_extras
from pipeline.loader import load
from pipeline.wide import FLAG_COLUMNS, cell_columns
from pipeline.writers import csv_writers
from schemas.records import CellRecord, DocumentRecord, FigureRecord, FlagRecord
from schemas.template import T3_APPLICANT_COLS

HONGZE = "2d1f5a0c9e8b7a61"
FAILED = "9f00aa11bb22cc33"

T2 = {("rules", "issued"): 0, ("rules", "repealed"): 0, ("rules", "in_force"): 0,
      ("normative_docs", "issued"): 0, ("normative_docs", "repealed"): 5, ("normative_docs", "in_force"): 5,
      ("licensing", "decisions"): 550, ("penalty", "decisions"): 4119, ("coercion", "decisions"): 195,
      ("fees", "amount_10k_yuan"): 7730.28}
# natural-person column of table 3 (every organisation column is 0 in this report)
T3_NATURAL = {"new_received": 21, "carried_over": 0, "granted": 0, "partially_granted": 4, "denied_state_secret": 1,
              "denied_process_info": 1, "denied_enforcement_file": 1, "unable_not_held": 10,
              "unable_needs_creation": 3, "rejected_petition": 1, "other_total": 0, "handled_total": 21,
              "carried_forward": 0}
T4 = {"review_upheld": 10, "review_corrected": 1, "review_other": 0, "review_pending": 0, "review_total": 0,
      "post_review_suit_upheld": 5, "post_review_suit_total": 0}


def _cells() -> list[CellRecord]:
    cells = [CellRecord(HONGZE, "t2_active", r, c, v, str(v), False, r, 2) for (r, c), v in T2.items()]
    for row, value in T3_NATURAL.items():
        for col in (*T3_APPLICANT_COLS, "total"):
            v = value if col in ("natural_person", "total") else 0
            cells.append(CellRecord(HONGZE, "t3_requests", row, col, v, str(v), False, row, 3))
    cells += [CellRecord(HONGZE, "t4_review_litigation", "cases", c, v, str(v), False, "案件数", 4) for c, v in T4.items()]
    # a cell printed as a dash: blank, no value
    cells.append(CellRecord(HONGZE, "t4_review_litigation", "cases", "suit_total", None, "-", True, "案件数", 4))
    return cells


def _write_output(out: Path) -> Path:
    hongze = DocumentRecord(HONGZE, "inputs/real-001-hongze-2023.pdf", HONGZE + "0" * 48, "pdf", 6,
                            "洪泽区人民政府2023年政府信息公开工作年度报告", "淮安市洪泽区人民政府", 2023, "county", "2021",
                            "ok", size_bytes=512000, pipeline_version="0.1.0", region_code="320813",
                            province="江苏省", prefecture="淮安市", county="洪泽区", region_evidence="淮安市洪泽区")
    duplicate = DocumentRecord(HONGZE, "inputs/copy/real-001-hongze-2023.pdf", hongze.sha256, "pdf", 6, hongze.title,
                               hongze.issuer, 2023, "county", "2021", "ok", duplicate_of=hongze.source)
    failed = DocumentRecord(FAILED, "inputs/broken.pdf", FAILED + "1" * 48, "pdf", status="failed",
                            error="encrypted PDF", size_bytes=1200)
    figures = [FigureRecord(f"{HONGZE}-f0001", HONGZE, "items", "申请", 21, "件", False, "21件",
                            "2023年全区受理政府信息公开申请21件", "一", 1),
               FigureRecord(f"{HONGZE}-f0002", HONGZE, "money", "信息处理费", 0, "元", False, "0元",
                            "信息处理费0元", "六", 5)]
    flags = [FlagRecord(f"{HONGZE}-r001", HONGZE, "identity.t4_review_total", "warning",
                        "表四行政复议：总计0，而结果维持10+结果纠正1=11",
                        "t4_review_litigation.cases.review_total t4_review_litigation.cases.review_upheld", 11, 0, 4),
             FlagRecord(f"{HONGZE}-r002", HONGZE, "identity.t4_post_review_suit_total", "warning",
                        "表四复议后起诉：总计0，而结果维持5=5", "t4_review_litigation.cases.post_review_suit_total", 5, 0, 4),
             FlagRecord(f"{HONGZE}-r003", HONGZE, "narrative.scope", "info", "正文受理21件与表三一致", "", None, None, 1)]
    with csv_writers(out) as writers:
        writers["documents"].write([hongze, duplicate, failed])
        writers["table_cells"].write(_cells())
        writers["figures"].write(figures)
        writers["flags"].write(flags)
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = _write_output(tmp_path_factory.mktemp("out"))
    write_extras(folder)
    return folder


def _wide_rows(out: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = (out / "reports_wide.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "wide table must carry a BOM for Excel"
    with open(out / "reports_wide.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_wide_table_columns_in_order(out):
    header, _ = _wide_rows(out)
    assert header[:3] == ["doc_id", "source", "sha256"]
    assert header[header.index("pipeline_version") + 1:][:6] == [
        "region_code", "province", "prefecture", "county", "township", "region_evidence"]
    cells = [c.name for c in cell_columns()]
    assert header[-3:] == list(FLAG_COLUMNS) == ["flags_error", "flags_warning", "flags_info"]
    assert header[-3 - len(cells):-3] == cells
    assert cells[0] == "t2_active.rules.issued"
    # both template versions: 2021's in_force and 2019's central_procurement
    assert "t2_active.rules.in_force" in cells and "t2_active.central_procurement.amount_yuan" in cells
    assert cells.index("t3_requests.new_received.total") < cells.index("t3_requests.carried_forward.total")
    # the national template's cells end with 表四; the pre-2019 table's (t_legacy, tests/test_legacy_outputs.py) follow
    national = [c for c in cells if not c.startswith("t_legacy.")]
    assert national[-1] == "t4_review_litigation.cases.post_review_suit_total" and cells[:len(national)] == national
    assert len(cells) == len(set(cells))


def test_wide_table_values(out):
    _, rows = _wide_rows(out)
    assert [r["source"] for r in rows] == ["inputs/real-001-hongze-2023.pdf", "inputs/broken.pdf"]  # no duplicate
    hongze, failed = rows
    assert hongze["t3_requests.new_received.total"] == "21"
    assert hongze["t3_requests.unable_not_held.natural_person"] == "10"
    assert hongze["t2_active.fees.amount_10k_yuan"] == "7730.28"
    assert hongze["t4_review_litigation.cases.review_upheld"] == "10"
    assert hongze["t4_review_litigation.cases.suit_total"] == ""  # printed blank
    assert hongze["t2_active.central_procurement.items"] == ""  # not in the 2021 template
    assert (hongze["flags_error"], hongze["flags_warning"], hongze["flags_info"]) == ("0", "2", "1")
    assert (hongze["region_code"], hongze["province"], hongze["prefecture"], hongze["county"]) == (
        "320813", "江苏省", "淮安市", "洪泽区")
    assert failed["status"] == "failed" and failed["error"] == "encrypted PDF"
    assert failed["t3_requests.new_received.total"] == "" and failed["flags_warning"] == "0"


def test_loader_dtypes_blank_is_missing_not_zero(out):
    data = load(out)
    assert len(data.documents) == 3 and len(data.wide) == 2
    assert str(data.documents["year"].dtype) == "Int64" and str(data.documents["pages"].dtype) == "Int64"
    assert data.documents["year"].iloc[0] == 2023 and data.documents["year"].iloc[2] is pd.NA
    assert str(data.cells["value"].dtype) == "Float64" and str(data.cells["blank"].dtype) == "boolean"
    blank = data.cells[(data.cells["col_key"] == "suit_total")].iloc[0]
    assert blank["value"] is pd.NA and bool(blank["blank"]) is True
    zero = data.cells[(data.cells["row_key"] == "granted") & (data.cells["col_key"] == "total")].iloc[0]
    assert zero["value"] == 0
    wide = data.wide.set_index("source")
    assert str(wide["t3_requests.new_received.total"].dtype) == "Int64"
    assert str(wide["t2_active.fees.amount_10k_yuan"].dtype) == "Float64"
    assert wide.loc["inputs/real-001-hongze-2023.pdf", "t4_review_litigation.cases.suit_total"] is pd.NA
    assert wide.loc["inputs/real-001-hongze-2023.pdf", "t3_requests.granted.total"] == 0
    assert wide["t3_requests.new_received.total"].sum() == 21  # the failed report is <NA>, not 0
    assert str(data.figures["approx"].dtype) == "boolean" and str(data.flags["expected"].dtype) == "Float64"
    assert data.flags["expected"].isna().sum() == 1
    assert str(data.documents["status"].dtype) == "string" and data.documents["error"].iloc[0] is pd.NA


def test_loader_builds_wide_when_file_missing(out, tmp_path):
    for name in ("documents", "table_cells", "figures", "flags"):
        shutil.copy(out / f"{name}.csv", tmp_path / f"{name}.csv")
    wide = load(tmp_path).wide
    assert list(wide.columns) == list(load(out).wide.columns)
    assert wide["t3_requests.handled_total.total"].tolist() == [21, pd.NA]


def test_parquet_round_trip_types(out):
    schema = pq.read_schema(out / "table_cells.parquet")
    assert str(schema.field("value").type) == "double" and str(schema.field("blank").type) == "bool"
    assert str(schema.field("page").type) == "int64" and str(schema.field("raw").type) == "string"
    cells = pd.read_parquet(out / "table_cells.parquet")
    assert str(cells["value"].dtype) == "Float64" and cells["value"].isna().sum() == 1
    assert cells["value"].sum() == pytest.approx(load(out).cells["value"].sum())
    wide = pq.read_table(out / "reports_wide.parquet")
    assert str(wide.schema.field("t3_requests.new_received.total").type) == "int64"
    assert str(wide.schema.field("t2_active.fees.amount_10k_yuan").type) == "double"
    assert str(wide.schema.field("flags_warning").type) == "int64"
    assert wide.column("t3_requests.new_received.total").to_pylist() == [21, None]
    docs = pq.read_table(out / "documents.parquet")
    assert docs.column("year").to_pylist() == [2023, 2023, None]
    assert {p.stem for p in out.glob("*.parquet")} == {"documents", "table_cells", "figures", "flags", "reports_wide",
                                                       "panel"}


def test_datapackage_describes_every_file_and_column(out):
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package == build_datapackage(out)
    by_path = {r["path"]: r for r in package["resources"]}
    assert set(by_path) == {"documents.csv", "table_cells.csv", "figures.csv", "flags.csv", "reports_wide.csv",
                            "panel.csv"}
    for resource in package["resources"]:
        with open(out / resource["path"], encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["title"] and field["description"], field
    fields = {f["name"]: f for f in by_path["reports_wide.csv"]["schema"]["fields"]}
    assert fields["t3_requests.new_received.total"]["title"] == "一、本年新收政府信息公开申请数量·总计"
    assert fields["t3_requests.new_received.total"]["type"] == "integer"
    assert fields["t2_active.fees.amount_10k_yuan"]["type"] == "number"
    docs = {f["name"]: f for f in by_path["documents.csv"]["schema"]["fields"]}
    assert docs["year"]["type"] == "integer" and docs["issuer"]["title"] == "发布机关"
    assert "sha256" in docs["doc_id"]["description"]
    cells = {f["name"]: f for f in by_path["table_cells.csv"]["schema"]["fields"]}
    assert cells["blank"]["type"] == "boolean" and cells["value"]["type"] == "number"


def _frictionless_report(path: Path):
    frictionless = pytest.importorskip("frictionless")
    return frictionless.validate(str(path))


def test_datapackage_validates_with_frictionless(out):
    report = _frictionless_report(out / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])


def test_frictionless_catches_a_broken_file(out, tmp_path):
    pytest.importorskip("frictionless")
    broken = tmp_path / "out"
    shutil.copytree(out, broken)
    text = (broken / "documents.csv").read_text(encoding="utf-8-sig").replace(",2023,county,", ",2023年,county,", 1)
    (broken / "documents.csv").write_text(text, encoding="utf-8-sig")
    report = _frictionless_report(broken / "datapackage.json")
    assert not report.valid
    assert "type-error" in {error[0] for error in report.flatten(["type"])}


def test_frictionless_cli_validates(out):
    if shutil.which("frictionless") is None:
        pytest.skip("frictionless CLI not installed")
    result = subprocess.run(["frictionless", "validate", str(out / "datapackage.json")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]


def test_loader_reads_a_hand_edited_csv(out, tmp_path):
    """An analyst's edit that does not parse as the column's type ('n/a' for a count) is missing, not an error."""
    for name in ("documents", "table_cells", "figures", "flags"):
        shutil.copy(out / f"{name}.csv", tmp_path / f"{name}.csv")
    path = tmp_path / "table_cells.csv"
    text = path.read_text(encoding="utf-8-sig").replace(",4119,", ",n/a,", 1)
    assert ",n/a," in text
    path.write_text(text, encoding="utf-8-sig")
    cells = load(tmp_path).cells
    penalty = cells[(cells["row_key"] == "penalty")].iloc[0]
    assert penalty["value"] is pd.NA and penalty["raw"] == "4119"
    assert cells["value"].sum() > 0 and str(cells["page"].dtype) == "Int64"
