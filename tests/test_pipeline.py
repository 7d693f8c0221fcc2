"""End-to-end runs of the pipeline: bad inputs, resumability, identical output whatever the executor."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS, ROOT
from tests.hostile import BAD_ERRORS, GOOD, build_hostile_folder

CSVS = ("documents.csv", "table_cells.csv", "figures.csv", "flags.csv")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def by_name(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {Path(r["source"].split("!")[0]).name + ("!" + r["source"].split("!")[1] if "!" in r["source"] else ""): r
            for r in rows}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = build_hostile_folder(tmp_path_factory.mktemp("hostile") / "archive")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out), "--jobs", "2"])
    return folder, out, result


def test_hostile_folder_exit_status_zero_and_no_traceback(hostile_run):
    _, _, result = hostile_run
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_every_bad_file_is_one_clear_failed_row(hostile_run):
    from extractors.readers.ocr import ocr_available

    _, out, _ = hostile_run
    rows = by_name(read_rows(out / "documents.csv"))
    if ocr_available():  # with the [ocr] extra the one-page scan is read: a report page without tables
        scan = rows["scan.pdf"]
        assert scan["status"] == "partial" and "template tables not found" in scan["error"], scan
    for name, words in BAD_ERRORS.items():
        if name == "scan.pdf" and ocr_available():
            continue
        assert name in rows, f"{name} has no row"
        row = rows[name]
        assert row["status"] in ("failed", "partial"), (name, row)
        assert words.lower() in row["error"].lower(), (name, row["error"])
        assert "\n" not in row["error"] and "Traceback" not in row["error"]


def test_good_reports_come_out_intact_among_bad_ones(hostile_run):
    _, out, _ = hostile_run
    rows = by_name(read_rows(out / "documents.csv"))
    cells = read_rows(out / "table_cells.csv")
    for name in GOOD:
        row = rows[name]
        assert row["status"] == "ok", row
        assert row["title"] == "中宁县恩和镇人民政府2022年政府信息公开工作年度报告"
        assert row["issuer"] == "中宁县恩和镇人民政府"
        assert row["year"] == "2022" and row["admin_level"] == "township" and row["template"] == "2021"
        # the seed's table 2 has 10 cells (行政处罚 6, the rest 0); tables 3 and 4 are all 0
        doc_cells = [c for c in cells if c["doc_id"] == row["doc_id"]]
        assert len(doc_cells) == 10 + 25 * 7 + 15
        penalty = [c for c in doc_cells if c["row_key"] == "penalty"]
        assert [c["value"] for c in penalty] == ["6"]


def test_lying_extension_is_read_by_content_and_reported_as_duplicate(hostile_run):
    _, out, _ = hostile_run
    rows = by_name(read_rows(out / "documents.csv"))
    liar = rows["lying-extension.pdf"]
    assert liar["format"] == "txt"
    assert liar["doc_id"] == rows["enhe-2022.txt"]["doc_id"]
    assert liar["duplicate_of"].endswith("enhe-2022.txt")


def test_csvs_have_bom_and_exact_spec_columns(hostile_run):
    _, out, _ = hostile_run
    spec_columns = {
        "documents.csv": "doc_id source sha256 format pages title issuer year admin_level template status error",
        "table_cells.csv": "doc_id table row_key col_key value raw blank row_label page",
        "figures.csv": "figure_id doc_id category subject value unit approx raw sentence section page",
        "flags.csv": "flag_id doc_id rule severity message refs expected found page",
    }
    for name, cols in spec_columns.items():
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        header = next(csv.reader([raw[3:].decode("utf-8").splitlines()[0]]))
        assert header[: len(cols.split())] == cols.split(), name


def _snapshot(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8-sig") for name in CSVS}


def test_same_output_whatever_the_number_of_workers(tmp_path):
    inputs = [str(CORPUS / name) for name in GOOD]
    run_batch(inputs, tmp_path / "serial", RunOptions(jobs=0, progress=False))
    run_batch(inputs, tmp_path / "pool", RunOptions(jobs=2, progress=False))
    assert _snapshot(tmp_path / "serial") == _snapshot(tmp_path / "pool")


def test_dask_executor_matches_local(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    inputs = [str(CORPUS / name) for name in GOOD]
    run_batch(inputs, tmp_path / "local", RunOptions(jobs=0, progress=False))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        run_batch(inputs, tmp_path / "dask", RunOptions(executor="dask", dask_client=client, progress=False))
    assert _snapshot(tmp_path / "local") == _snapshot(tmp_path / "dask")


def test_rerun_skips_done_documents(tmp_path):
    inputs = [str(CORPUS / name) for name in GOOD]
    first = run_batch(inputs, tmp_path, RunOptions(jobs=0, progress=False))
    second = run_batch(inputs, tmp_path, RunOptions(jobs=0, progress=False))
    assert first.resumed == 0 and second.resumed == len(GOOD)


def test_killed_run_resumes_to_the_same_csvs(tmp_path):
    """Kill a run once some documents are checkpointed; the re-run must give the uninterrupted result."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in GOOD:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    # a second, distinct text report (one more paragraph), so there is more to do than one worker's first file
    (folder / "enhe-2022-copy.txt").write_bytes((CORPUS / "enhe-2022.txt").read_bytes() + "\n附件：无\n".encode())
    run_batch([str(folder)], tmp_path / "whole", RunOptions(jobs=0, progress=False))

    out = tmp_path / "killed"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "-o", str(out),
                             "--jobs", "1", "-q"], env=env, cwd=ROOT)
    results = out / ".nianbao" / "results"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and any(results.rglob("*.json")):
            break
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    rerun = run_batch([str(folder)], out, RunOptions(jobs=0, progress=False))
    assert _snapshot(out) == _snapshot(tmp_path / "whole")
    assert rerun.documents == len(list(folder.iterdir()))


def test_usage_error_exits_non_zero(tmp_path):
    result = CliRunner().invoke(main, ["extract", "-o", str(tmp_path)])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0


def test_folder_walk_reads_reports_and_passes_over_code_and_notes(tmp_path):
    from pipeline.discover import discover

    (tmp_path / "sub").mkdir()
    for name in ("a.pdf", "sub/b.docx", "c.md", "d.txt", "README.md", "build.py", "truth.json", ".hidden.pdf"):
        (tmp_path / name).write_bytes(b"x")
    found = discover([str(tmp_path)])
    assert sorted(item.source.rsplit("/", 1)[-1] for item in found.items) == ["a.pdf", "b.docx", "c.md", "d.txt"]
    assert sorted(p.rsplit("/", 1)[-1] for p in found.passed_over) == [".hidden.pdf", "README.md", "build.py",
                                                                         "truth.json"]


def test_a_fault_in_a_later_stage_keeps_the_tables(monkeypatch):
    import extractors.narrative.figures
    from pipeline.process import process_bytes

    def broken(doc, doc_id):
        raise RuntimeError("figure extractor fault")

    monkeypatch.setattr(extractors.narrative.figures, "extract_figures", broken)
    result = process_bytes((CORPUS / "enhe-2022.txt").read_bytes(), "enhe-2022.txt")
    assert result.document.status == "partial"
    assert "narrative figures not extracted" in result.document.error
    assert len(result.cells) == 200 and result.figures == []


def test_typed_loader_reads_real_output_in_one_pass_as_column_by_column(hostile_run, monkeypatch):
    """The Arrow one-pass reader gives the same frames as the pandas column-by-column path."""
    import pandas as pd

    from pipeline import loader

    _, out, _ = hostile_run
    for stem in ("documents", "table_cells", "figures", "flags", "reports_wide"):
        path = out / f"{stem}.csv"
        fast = loader._read_with_arrow(path, loader.csv_kinds(stem))
        assert fast is not None, f"{stem}: the one-pass reader fell back on the pipeline's own output"
        with monkeypatch.context() as patched:
            patched.setattr(loader, "_read_with_arrow", lambda *args: None)
            slow = loader.read_csv_typed(path)
        assert len(fast) > 0 and list(fast.columns) == list(slow.columns)
        pd.testing.assert_frame_equal(fast, slow)


def _copy_csvs(out: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in CSVS:
        (target / name).write_bytes((out / name).read_bytes())
    return target


def test_analyst_files_streamed_in_small_pieces_match_the_whole_tables(hostile_run, tmp_path, monkeypatch):
    """The wide table and the Parquet copies are made a block at a time (flat memory on a whole archive):
    cut into blocks of a few rows, a document's cells split across blocks, they still equal the tables
    read whole, and the wide table is made in one pass, without holding every document's cells."""
    import pandas as pd
    import pyarrow.parquet as pq

    from pipeline import loader, parquet, wide
    from pipeline.extras import write_extras

    _, out, _ = hostile_run
    folder = _copy_csvs(out, tmp_path / "out")
    monkeypatch.setattr(loader, "STREAM_BLOCK", 2048)
    monkeypatch.setattr(wide, "STREAM_BLOCK", 2048)
    monkeypatch.setattr(parquet, "ROW_GROUP_ROWS", 40)

    def no_fallback(path):
        raise AssertionError("the wide table fell back to holding every document's cells")
    monkeypatch.setattr(wide, "_CellsByDocument", no_fallback)
    write_extras(folder)
    assert (folder / "reports_wide.csv").read_bytes() == (out / "reports_wide.csv").read_bytes()
    assert pq.ParquetFile(folder / "table_cells.parquet").num_row_groups > 3
    for stem in ("documents", "table_cells", "figures", "flags", "reports_wide"):
        whole = loader.read_csv_typed(out / f"{stem}.csv")
        assert len(whole) > 0
        pd.testing.assert_frame_equal(pd.read_parquet(folder / f"{stem}.parquet"), whole)


def test_wide_table_when_the_csvs_list_documents_in_other_orders(hostile_run, tmp_path):
    """A table_cells.csv whose documents come in another order (edited, concatenated) gives the same
    wide table: the one-pass merge notices and the cells are gathered by document instead."""
    from pipeline.wide import write_wide

    _, out, _ = hostile_run
    folder = _copy_csvs(out, tmp_path / "out")
    with open(out / "table_cells.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header, rows = next(reader), list(reader)
    doc_ids = list(dict.fromkeys(row[0] for row in rows))
    assert len(doc_ids) >= 3
    order = {doc_id: position for position, doc_id in enumerate(reversed(doc_ids))}
    with open(folder / "table_cells.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *sorted(rows, key=lambda row: order[row[0]])])
    write_wide(folder)
    assert (folder / "reports_wide.csv").read_bytes() == (out / "reports_wide.csv").read_bytes()


def test_parquet_copy_of_a_column_that_does_not_parse_as_its_type(hostile_run, tmp_path):
    """A count that is not whole (a hand-edited CSV) cannot be streamed as int64: that file is read
    whole and coerced, as the loader reads it, and the data package says what the column holds."""
    import json

    import pandas as pd

    from pipeline.extras import write_extras

    _, out, _ = hostile_run
    folder = _copy_csvs(out, tmp_path / "out")
    documents = read_rows(out / "documents.csv")
    edited = next(i for i, row in enumerate(documents) if row["pages"])
    documents[edited]["pages"] = "2.5"
    with open(folder / "documents.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(documents[0]))
        writer.writeheader()
        writer.writerows(documents)
    write_extras(folder)
    pages = pd.read_parquet(folder / "documents.parquet")["pages"]
    assert str(pages.dtype) == "Float64" and pages.iloc[edited] == 2.5
    assert len(pages) == len(documents)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "documents")
    assert next(f for f in resource["schema"]["fields"] if f["name"] == "pages")["type"] == "number"
    cells = next(r for r in package["resources"] if r["name"] == "table-cells")
    assert next(f for f in cells["schema"]["fields"] if f["name"] == "page")["type"] == "integer"


def test_results_arriving_out_of_order_are_written_in_input_order(tmp_path, monkeypatch):
    """Workers finish in any order; the CSVs follow the inputs, also when results wait in the checkpoint."""
    import pipeline.assemble
    import pipeline.run

    duplicate = tmp_path / "copy" / GOOD[0]
    duplicate.parent.mkdir()
    duplicate.write_bytes((CORPUS / GOOD[0]).read_bytes())
    inputs = [str(CORPUS / name) for name in GOOD] + [str(duplicate)]
    run_batch(inputs, tmp_path / "in-order", RunOptions(jobs=0, progress=False))

    real_execute = pipeline.run._execute

    def backwards(items, options):
        return reversed(list(real_execute(items, options)))

    monkeypatch.setattr(pipeline.run, "_execute", backwards)
    monkeypatch.setattr(pipeline.assemble, "MAX_WAITING", 1)  # all but one wait in the checkpoint only
    summary = run_batch(inputs, tmp_path / "backwards", RunOptions(jobs=0, progress=False))
    assert summary.documents == len(GOOD) + 1 and summary.duplicates == 1
    assert _snapshot(tmp_path / "in-order") == _snapshot(tmp_path / "backwards")
    rows = read_rows(tmp_path / "backwards" / "documents.csv")
    assert [Path(r["source"]).name for r in rows] == [*GOOD, GOOD[0]]
    assert rows[-1]["duplicate_of"] == str(CORPUS / GOOD[0])
