"""Workers forked from one warmed server, and report files made while the documents are read: what a
worker has loaded before its first document, what it leaves unloaded, and an audit page made from early
evidence that is the page made after the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.discover import InputItem
from pipeline.executors import Guards, _new_pool, batch_formats
from pipeline.server import stop
from tests.conftest import CORPUS, ROOT

_HEAVY = ("jieba", "pdfplumber", "pypdfium2", "docx", "lxml", "pandas", "pyarrow", "rapidocr_onnxruntime")


def _worker_state(_: int) -> tuple[int, int, list[str], int]:
    """(pid, parent pid, heavy packages loaded, jieba tokenizer cached) of the worker it runs in."""
    from extractors.narrative.subjects import tokenizer

    loaded = sorted({name.split(".")[0] for name in sys.modules} & set(_HEAVY))
    return os.getpid(), os.getppid(), loaded, tokenizer.cache_info().currsize


def test_a_pdf_batch_worker_is_forked_warm_and_loads_no_other_reader():
    items = [InputItem("a.pdf", "a.pdf"), InputItem("b.zip!x/Report.PDF", "b.zip", ("x/Report.PDF",))]
    formats = batch_formats(items)
    assert formats == ("pdf",)
    stop()  # the server is one per process: one an earlier run started may hold other readers
    pool = _new_pool(1, Guards(), formats)
    try:
        pid, parent, loaded, cached = pool.submit(_worker_state, 0).result()
    finally:
        pool.shutdown()
    assert parent != os.getpid()  # a fork of the workers' server, not of this process
    assert cached == 1  # jieba's dictionaries came loaded with the fork: nothing left for the first document
    assert "jieba" in loaded and "pypdfium2" in loaded
    assert not {"docx", "lxml", "pandas", "pyarrow", "rapidocr_onnxruntime"} & set(loaded), loaded


def test_batch_formats_go_by_the_names_only():
    names = ["r.docx", "r.DOC", "r.wps", "page.htm", "notes.txt", "archive.zip!inner/r.pdf", "README", "r.xlsx"]
    assert batch_formats([InputItem(n, n) for n in names]) == ("doc", "docx", "html", "pdf", "txt")


def test_the_cli_process_never_imports_pandas_or_the_readers(tmp_path):
    """`nianbao extract` of one file leaves reading to a worker and the analyst files to a report process."""
    script = ("import sys, runpy\n"
              "sys.argv = ['nianbao', 'extract', sys.argv[1], '-o', sys.argv[2], '-q']\n"
              "try:\n"
              "    runpy.run_module('pipeline.cli', run_name='__main__')\n"
              "except SystemExit:\n"
              "    pass\n"
              f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(_HEAVY)!r}))\n")
    main = tmp_path / "main.py"
    main.write_text(f"if __name__ == '__main__':\n    exec({script!r})\n")
    out = subprocess.run([sys.executable, str(main), str(CORPUS / "enhe-2022.pdf"), str(tmp_path / "out")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "table_cells.parquet").exists() and (tmp_path / "out" / "audit.html").exists()


def test_the_page_from_early_evidence_is_the_page_made_after_the_run(tmp_path):
    """Evidence made as each document's rows are written gives the same audit page as evidence made from
    the finished CSVs, whether the page takes a job's early result or makes it again."""
    from pipeline import __version__
    from pipeline.audit import RunInfo, write_audit
    from pipeline.audit.crops import plan_crops
    from pipeline.audit.data import load
    from pipeline.audit.text import plan_excerpts
    from pipeline.report_writers import ReportWriters
    from pipeline.run import RunOptions, run_batch
    from pipeline.store import ResultStore

    names = ["enhe-2022.pdf", "enhe-2022.docx", "enhe-2022.txt", "variants/t3-nbsp-blanks.pdf",
             "variants/cut-headers.docx"]
    out = tmp_path / "out"
    run_batch([str(CORPUS / n) for n in names], out, RunOptions(jobs=0, progress=False))
    alone = tmp_path / "alone"
    shutil.copytree(out, alone)
    run = RunInfo(started="2026-01-01 00:00:00 UTC", version=__version__, key="k")
    write_audit(alone, run=RunInfo(**vars(run)))

    store = ResultStore(out, __version__)
    writers = ReportWriters(("docx", "pdf", "txt"))
    try:
        import csv

        with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                result = store.get(row["sha256"])
                result.document.source = row["source"]
                writers.written(result)
        data = load(out)
        jobs = (plan_crops(data.documents, data.flags_by_doc, data.cells_by_doc, data.figures)
                + plan_excerpts(data.documents, data.flags_by_doc, data.cells_by_doc, data.figures))
        hits = sum(repr(job) in writers.early for job in jobs)
        writers.early.pop(repr(jobs[0]))  # as if a later flag had changed its job: made again at the end
        write_audit(out, executor=writers.evidence, run=RunInfo(**vars(run)), early=writers.early)
    finally:
        writers.close()
    assert hits == len(jobs) >= 4, (hits, len(jobs))  # crops and excerpts, each job made once, early
    assert (out / "audit.html").read_bytes() == (alone / "audit.html").read_bytes()


def test_workers_server_runs_the_callers_code(tmp_path):
    """The server imports the pipeline from where this process did, not from its working folder."""
    pool = _new_pool(1, Guards(), ())
    try:
        path = pool.submit(_pipeline_file, 0).result()
    finally:
        pool.shutdown()
    assert Path(path).resolve() == (ROOT / "pipeline" / "__init__.py").resolve()


def _pipeline_file(_: int) -> str:
    import pipeline

    return str(pipeline.__file__)


def test_a_script_without_a_main_guard_runs_with_workers(tmp_path: Path) -> None:
    """Workers forked from the server do not run the caller's script again (spawn's semantics would): an
    analyst's plain script calling nianbao.extract with two workers reads every file, once."""
    script = tmp_path / "plain.py"
    out = tmp_path / "out"
    files = [str(CORPUS / "enhe-2022.pdf"), str(CORPUS / "enhe-2022.docx")]
    script.write_text("import nianbao\n"
                      f"nianbao.extract({files!r}, {str(out)!r}, jobs=2)\n"
                      "print('ran once')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600,
                          env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("ran once") == 1, done.stdout
    assert "__main__" not in done.stderr and "bootstrapping phase" not in done.stderr, done.stderr[-2000:]
    import csv

    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(Path(r["source"]).name for r in rows) == ["enhe-2022.docx", "enhe-2022.pdf"]
    assert {r["status"] for r in rows} == {"ok"} and {r["year"] for r in rows} == {"2022"}


def test_batch_flags_crops_made_early_give_the_page_made_alone(tmp_path, monkeypatch):
    """A run renders the crops of a document's own flags as its rows are written and those of its batch
    flags (files of one report that disagree) as soon as its report's files so far disagree: the page
    joins the two and is the page made afterwards from the CSVs alone, and neither piece is rendered again."""
    import pipeline.audit
    from pipeline.audit import RunInfo, write_audit
    from pipeline.report_writers import ReportWriters
    from pipeline.run import RunOptions, run_batch

    # each PDF prints other numbers than the .docx that is its report's best source (corpus/metadata)
    names = ["metadata/year-first.docx", "variants/cut-headers.pdf", "metadata/running-header.docx",
             "variants/page-breaks-norepeat.pdf"]
    seen = []
    pieced = pipeline.audit._pieced

    def watch(jobs, pieces):  # noqa: ANN001, ANN202
        found = pieced(jobs, pieces)
        seen.extend(found)
        return found

    batch_jobs: list[tuple[str, bool]] = []  # the end's batch crop jobs: (source, begun while documents were read)
    render = ReportWriters._render

    def rendered(self, job, after=False):  # noqa: ANN001, ANN202
        if after:
            batch_jobs.append((job.source, repr(job) in self.foreseen))
        return render(self, job, after)

    monkeypatch.setattr(pipeline.audit, "_pieced", watch)
    monkeypatch.setattr(ReportWriters, "_render", rendered)
    out = tmp_path / "out"
    run_batch([str(CORPUS / n) for n in names], out, RunOptions(jobs=1, progress=False))
    flagged = {row["doc_id"] for row in _rows(out / "flags.csv") if row["rule"] == "same_report.files_disagree"}
    pdfs = {row["source"] for row in _rows(out / "documents.csv") if row["doc_id"] in flagged}
    assert len(pdfs) == 2 and all(source.endswith(".pdf") for source in pdfs), pdfs
    # both PDFs' batch crops were begun as each PDF arrived after its .docx, and taken at the end
    assert sorted(batch_jobs) == sorted((source, True) for source in pdfs), batch_jobs
    joined = [job for job in seen if isinstance(job, pipeline.audit._Pieces)
              and len(job.parts) == 2 and not any(isinstance(p, pipeline.audit.CropJob) for p in job.parts)]
    assert joined, seen  # a document's own flags and its batch flags, two pieces, none made at the end
    alone = tmp_path / "alone"
    shutil.copytree(out, alone)
    monkeypatch.setattr(pipeline.audit, "_pieced", pieced)
    write_audit(alone, run=RunInfo())
    def page(folder: Path) -> str:
        import re

        text = (folder / "audit.html").read_text(encoding="utf-8")
        return re.sub(r'data-run="[0-9a-f]+"|<dt>ran</dt><dd>[^<]*</dd>|<dt>inputs</dt>.*?</dd>', "", text)
    assert page(out) == page(alone)


def test_evidence_processes_yield_to_the_workers_only_where_a_core_is_spare():
    """With a core the workers leave free, the evidence processes run at the lowest priority (their work
    is a head start and must not slow a worker sharing their core); without one, at the run's own."""
    from pipeline.report_writers import EVIDENCE_NICE, ReportWriters

    own = os.nice(0)
    for spare, expected in ((True, min(19, own + EVIDENCE_NICE)), (False, own)):
        writers = ReportWriters((), server=False, spare_core=spare)
        try:
            found = {pool.submit(os.nice, 0).result() for pool in (writers.evidence, writers.after)}
            extras = writers.extras.submit(os.nice, 0).result()
        finally:
            writers.close()
        assert found == {expected}, (spare, found)
        assert extras == own  # the analyst files are the run's last step: never held back


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_server_starts_before_planning_only_where_every_input_is_read(tmp_path):
    """A first or forced run starts the workers' server before the inputs' digests; a rerun that may be
    resumed whole (a checkpoint holds results) or a run without local workers does not."""
    from pipeline.run import RunOptions, _needs_server, run_batch
    from pipeline.store import ResultStore

    items = [InputItem(str(CORPUS / "enhe-2022.txt"), str(CORPUS / "enhe-2022.txt"))]
    out = tmp_path / "out"
    store = ResultStore(out, "v")
    assert store.empty() and _needs_server(RunOptions(), items, store)
    assert not _needs_server(RunOptions(jobs=0), items, store)
    assert not _needs_server(RunOptions(executor="dask"), items, store)
    assert not _needs_server(RunOptions(), [], store)
    run_batch([items[0].source], out, RunOptions(jobs=0, progress=False))
    store = ResultStore(out, "v")
    assert not store.empty() and not _needs_server(RunOptions(), items, store)
    assert _needs_server(RunOptions(force=True), items, store)
