"""Speed and memory benchmark: a synthetic archive of reports, the pipeline over it, figures printed.

    python benchmarks/run_benchmark.py [--docs 200] [--rounds 3] [--workdir /tmp/nianbao-bench]

Builds N reports from the project's corpus — layout variants (corpus/build_variants.py) with fresh,
template-consistent table values, and the seed township report with its narrative figures varied —
each as DOCX and as PDF (LibreOffice renders the PDFs in one batch), then measures in the same run:
documents/s and pages/s with 1 and 2 workers, the 1- vs 2-worker speed-up (passes taken in turn,
several rounds, the median reported), peak RSS per worker
(sampled over the run, first and last quarter, to show it stays flat), and the pipeline's time on
the PDFs against a bare pdfplumber `extract_text()` of every page of the same PDFs and against the floor
for reading a PDF's text (pypdfium2's text of every page), per page, the three interleaved over the
rounds; the run's writing tail (from the last document to the end); a worker's start-up both ways (a
fork of the warmed workers' server, wall and the worker's CPU; a fresh process importing the pipeline and
warming up, as the server does once a run) and memory per worker (RSS, PSS, USS) forked against cold; with `--previous DIR` (an export of an earlier version, e.g. `git archive <commit> | tar -x -C DIR`)
the per-document time of both versions as whole one-worker CLI runs, taken in turn; and OCR pages per
second on simulated scans (`corpus/make_scan.py`) where the [ocr] extra is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.worker_tasks import memory_task  # noqa: E402
from pipeline.run import RunOptions, run_batch  # noqa: E402
from pipeline.server import stop as stop_server  # noqa: E402


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "corpus" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _seed_report(builder, text: str, rng: random.Random, path: Path) -> bytes:
    """The seed township report with every narrative count and amount scaled (its tables as printed)."""
    def scale(match: re.Match) -> str:
        value = float(match.group(1))
        new = value * rng.uniform(0.6, 1.4)
        return (f"{new:.2f}" if "." in match.group(1) else str(max(1, round(new)))) + match.group(2)

    lines = [line if "\t" in line else re.sub(r"(?<![\d年月〔.])(\d+(?:\.\d+)?)(\s*(?:余|多)?\s*"
                                               r"(?:万元|元|户|人次|人|条|件|份|亩|次))", scale, line)
             for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return builder.build_docx(builder.read_seed(path))


def build_archive(folder: Path, docs: int, seed: int = 7) -> tuple[list[Path], list[Path]]:
    """N synthetic reports, each as DOCX and as PDF (LibreOffice renders the PDFs in one batch): in turn
    two layout variants (fresh, template-consistent table values from corpus/build_variants.py) and two
    copies of the seed township report with its narrative figures varied."""
    variants = _load("build_variants")
    builder = sys.modules["build_corpus"] if "build_corpus" in sys.modules else _load("build_corpus")
    seed_text = (ROOT / "corpus" / "enhe-2022.txt").read_text(encoding="utf-8")
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / "staging"
    staging.mkdir(exist_ok=True)
    docx_files, pdf_sources = [], []
    for i in range(docs):
        if i % 4 < 2:
            layout = variants.VARIANTS[(i // 4) % len(variants.VARIANTS)]
            variant = replace(layout, name=f"report-{i:04d}", seed=seed * 100_003 + i)
            data, _tables, _blanks = variants.build_docx(variant)
        else:
            data = _seed_report(builder, seed_text, rng, staging / f"report-{i:04d}.txt")
        target = folder / "docx" / f"report-{i:04d}.docx"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        docx_files.append(target)
        pdf_sources.append(target)  # every report also as PDF: the same content in both formats
    pdf_dir = folder / "pdf"
    pdf_dir.mkdir(exist_ok=True)
    if pdf_sources:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            sys.exit("LibreOffice is needed to render the PDFs: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
        subprocess.run([soffice, f"-env:UserInstallation={(staging / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, pdf_sources)],
                       check=True, capture_output=True, timeout=3600)
    del builder
    return docx_files, sorted(pdf_dir.glob("*.pdf"))


def descendants(root: int | None = None) -> list[int]:
    """The pids of every process below ROOT (this process by default), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root or os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class RssSampler:
    """Samples the resident memory of this process's child processes (the workers) over a run."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.samples: list[tuple[float, int]] = []  # (time, largest child RSS in bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _children_rss(self) -> int:
        """The largest resident size among this process's descendants (workers are forked from the
        workers' server, a child of this process, so they are grandchildren)."""
        largest = 0
        for pid in descendants():
            try:
                with open(f"/proc/{pid}/statm") as fh:
                    largest = max(largest, int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
            except (OSError, ValueError, IndexError):
                continue
        return largest

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), self._children_rss()))
            time.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def quarters(self) -> tuple[float, float, float]:
        """Peak worker RSS in MB over the whole run, its first quarter and its last quarter."""
        values = [rss for _, rss in self.samples if rss]
        if not values:
            return 0.0, 0.0, 0.0
        q = max(1, len(values) // 4)
        mb = 2**20
        return max(values) / mb, max(values[:q]) / mb, max(values[-q:]) / mb


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _reap_children(limit: float = 30.0) -> None:
    """Wait for the run's processes (workers, report processes) to exit, so their CPU time is counted."""
    deadline = time.monotonic() + limit
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)


@dataclass
class Pass:
    """One run of the pipeline: wall time, CPU time of all its processes, worker memory over the run."""

    elapsed: float
    cpu: float
    rss: RssSampler
    writing: float  # the run's tail: from the last document's result to the end

    def busy(self, cores: int) -> float:
        """The share of `cores` the run kept busy."""
        return self.cpu / (cores * self.elapsed)


def pipeline_pass(inputs: list[Path], out: Path, jobs: int) -> Pass:
    """One whole run as the CLI makes it, its workers' server started for it and stopped after it (so its
    CPU time, and its workers', is counted)."""
    shutil.rmtree(out, ignore_errors=True)
    _reap_children()
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF) + _cpu_seconds(resource.RUSAGE_CHILDREN)
    with RssSampler() as sampler:
        started = time.perf_counter()
        summary = run_batch([str(p) for p in inputs], out, RunOptions(jobs=jobs, progress=False, force=True))
        elapsed = time.perf_counter() - started
    stop_server()
    _reap_children()
    cpu = _cpu_seconds(resource.RUSAGE_SELF) + _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before
    if summary.failed:
        print(f"  note: {summary.failed} documents failed in this pass", file=sys.stderr)
    return Pass(elapsed, cpu, sampler, summary.writing)


def bare_pdfplumber(pdfs: list[Path]) -> tuple[float, int]:
    import pdfplumber

    pages = 0
    started = time.perf_counter()
    for pdf_path in pdfs:
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return time.perf_counter() - started, pages


def pdfium_floor(pdfs: list[Path]) -> tuple[float, int]:
    """The floor for reading a PDF's text: pypdfium2 opens each file and takes every page's text."""
    import pypdfium2 as pdfium

    pages = 0
    started = time.perf_counter()
    for pdf_path in pdfs:
        doc = pdfium.PdfDocument(pdf_path)
        try:
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
                pages += 1
        finally:
            doc.close()
    return time.perf_counter() - started, pages


_WORKER_START = ("import sys, time; t = time.perf_counter(); sys.path.insert(0, {root!r}); "
                 "from pipeline.executors import warm_up; warm_up(['pdf']); "
                 "print(time.perf_counter() - t, time.process_time())")


@dataclass
class Startup:
    """What a worker costs before its first document, medians of `rounds` (seconds)."""

    cold: float  # a fresh process importing the pipeline and warming up for PDFs (the workers' server does this once a run)
    cold_cpu: float  # its CPU time
    interpreter: float  # a fresh interpreter doing nothing
    forked: float  # a one-worker pool forked from the warmed server, until its worker has run a task
    forked_cpu: float  # the forked worker's own CPU time until then (its set-up: memory guard, signals)
    forked_first: float  # the same on the run's first pool, the server's own start and warm-up included


def _forked_pool() -> tuple[float, float]:
    """(seconds from asking for a one-worker pool to its worker's answer, the worker's CPU seconds until
    then), memory guard and all, as a run's pool."""
    from pipeline.executors import Guards, _new_pool

    started = time.perf_counter()
    pool = _new_pool(1, Guards(), ("pdf",))
    try:
        cpu = pool.submit(time.process_time).result()  # a child's CPU time counts from its fork (workers import nothing of this script)
        return time.perf_counter() - started, cpu
    finally:
        pool.shutdown()


def worker_startup(rounds: int = 5) -> Startup:
    """A worker's start-up both ways: a fresh process (import and warm-up) and a fork of the warmed
    server; and the first pool's, which waits for the server to warm up."""
    ready, ready_cpu, bare, forked, forked_cpu, first = [], [], [], [], [], []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
        out = subprocess.run([sys.executable, "-c", _WORKER_START.format(root=str(ROOT))], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        wall, cpu = out.stdout.split()[-2:]
        ready.append(float(wall))
        ready_cpu.append(float(cpu))
        stop_server()
        first.append(_forked_pool()[0])
        for _ in range(3):
            wall_f, cpu_f = _forked_pool()
            forked.append(wall_f)
            forked_cpu.append(cpu_f)
    stop_server()
    median = statistics.median
    return Startup(median(ready), median(ready_cpu), median(bare), median(forked), median(forked_cpu), median(first))


def worker_memory(pdfs: list[Path], workers: int = 2) -> str:
    """Memory per worker after reading PDFs, forked from the warmed server against started cold (each
    loading the pipeline and jieba alone): resident (RSS), proportional (PSS: shared pages split among
    the processes sharing them) and unique (USS: what the worker alone holds), psutil, medians over workers."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    import psutil

    from pipeline.executors import Guards, _init_worker, _new_pool

    def measure(pool: ProcessPoolExecutor) -> tuple[float, float, float]:
        list(pool.map(memory_task, [str(p) for p in pdfs]))
        infos = [psutil.Process(pid).memory_full_info() for pid in list(pool._processes)]  # noqa: SLF001
        mb = 2**20
        return tuple(statistics.median(getattr(i, k) / mb for i in infos) for k in ("rss", "pss", "uss"))

    stop_server()
    forked = _new_pool(workers, Guards(max_memory_mb=0), ("pdf",))
    try:
        f_rss, f_pss, f_uss = measure(forked)
        server = next((psutil.Process(p) for p in descendants() if p not in forked._processes  # noqa: SLF001
                       and "forkserver" in " ".join(psutil.Process(p).cmdline())), None)
        s_uss = server.memory_full_info().uss / 2**20 if server else 0.0
    finally:
        forked.shutdown()
        stop_server()
    cold = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                               initargs=(0, "", ("pdf",)))
    try:
        c_rss, c_pss, c_uss = measure(cold)
    finally:
        cold.shutdown()
    return (f"memory per worker after {len(pdfs)} PDFs over {workers} workers: forked from the server "
            f"RSS {f_rss:.0f} MB, PSS {f_pss:.0f} MB, USS {f_uss:.0f} MB (the server itself holds {s_uss:.0f} MB "
            f"once for all); started cold RSS {c_rss:.0f} MB, PSS {c_pss:.0f} MB, USS {c_uss:.0f} MB")


def cli_run(code_root: Path, inputs: Path, out: Path) -> float:
    """Wall time of a whole one-worker `nianbao extract` run of the version in `code_root` (a fresh process)."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from pipeline.cli import main; main()", "extract", str(inputs),
                    "-o", str(out), "-j", "1"], check=True, capture_output=True, cwd=code_root,
                   env=dict(os.environ, PYTHONPATH=str(code_root)))
    return time.perf_counter() - started


def against_previous(previous: Path, pdf_dir: Path, count: int, workdir: Path, rounds: int) -> None:
    """Per-document time of this version and `previous` on the same PDFs, whole CLI runs taken in turn."""
    ours, theirs = [], []
    for _ in range(rounds):
        theirs.append(cli_run(previous, pdf_dir, workdir / "out-previous"))
        ours.append(cli_run(ROOT, pdf_dir, workdir / "out-current"))
    now, before = statistics.median(ours), statistics.median(theirs)
    print(f"against the previous version ({previous}), whole 1-worker CLI runs over {count} PDFs, medians of "
          f"{rounds}: {1000 * now / count:.1f} ms per document now, {1000 * before / count:.1f} ms before "
          f"({now / before:.2f}x)")


def ocr_speed(source: Path, pages: int) -> str:
    """OCR pages per second on simulated scans of `pages` pages of `source` (after one page to load the engine)."""
    from extractors.readers.ocr import ocr_available, ocr_pdf

    if not ocr_available():
        return "OCR: not measured (the [ocr] extra is not installed)"
    make_scan = _load("make_scan")
    data = source.read_bytes()
    scan = make_scan.make_scan(data, pages=list(range(1, pages + 1)))
    ocr_pdf(make_scan.make_scan(data, pages=[1]), "warm-up.pdf")
    started = time.perf_counter()
    doc = ocr_pdf(scan, "scan.pdf")
    elapsed = time.perf_counter() - started
    return (f"OCR: {len(doc.pages)} simulated scan pages ({make_scan.ScanStyle().dpi} dpi) in {elapsed:.1f} s, "
            f"{len(doc.pages) / elapsed:.2f} pages/s")


def soak(pdfs: list[Path], folder: Path, count: int) -> None:
    """Run 2 workers over `count` distinct PDFs (the archive's, each copy made distinct by a trailing
    PDF comment) and print worker RSS over the run: it must stay flat, rows being streamed to disk."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        source = pdfs[i % len(pdfs)]
        (folder / f"soak-{i:05d}.pdf").write_bytes(source.read_bytes() + f"\n% soak copy {i}\n".encode())
    run = pipeline_pass(sorted(folder.glob("*.pdf")), folder.parent / "out-soak", jobs=2)
    elapsed = run.elapsed
    values = [rss / 2**20 for _, rss in run.rss.samples if rss]
    tenth = max(1, len(values) // 10)
    peaks = [max(values[i: i + tenth]) for i in range(0, len(values), tenth)]
    print(f"soak: {count} PDFs with 2 workers in {elapsed:.0f} s ({count / elapsed:.1f} documents/s); "
          f"peak worker RSS by tenth of the run (MB): {' '.join(f'{p:.0f}' for p in peaks)}")


def _spin(_: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(12_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def machine_ceiling(rounds: int = 3) -> list[float]:
    """What two processes give on this machine for a pure CPU loop (no memory traffic, no I/O): the
    most any 2-worker speed-up can be here. On a shared host it is often below 2."""
    from concurrent.futures import ProcessPoolExecutor

    ratios = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [0, 0]))  # processes started before timing
        for _ in range(rounds):
            alone = _spin(0)
            started = time.perf_counter()
            list(pool.map(_spin, [0, 1]))
            ratios.append(2 * alone / (time.perf_counter() - started))
    return sorted(ratios)


def speedup_rounds(everything: list[Path], workdir: Path, rounds: int) -> list[tuple[Pass, Pass]]:
    """(1-worker pass, 2-worker pass) per round, the two taken in turn: a shared host's speed drifts by
    a fifth from one minute to the next, so one pair of passes proves little."""
    results = []
    for number in range(rounds):
        one = pipeline_pass(everything, workdir / "out-1", jobs=1)
        two = pipeline_pass(everything, workdir / "out-2", jobs=2)
        print(f"  round {number + 1}: 1 worker {one.elapsed:.1f} s (CPU {one.cpu:.1f} s), 2 workers {two.elapsed:.1f} s "
              f"(CPU {two.cpu:.1f} s, cores {100 * two.busy(2):.0f}% busy), speed-up {one.elapsed / two.elapsed:.2f}x",
              file=sys.stderr)
        results.append((one, two))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200,
                        help="reports in the synthetic archive, each as DOCX and PDF (default 200: 400 files)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="1-worker and 2-worker passes taken in turn this many times (default 3)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nianbao-bench"))
    parser.add_argument("--keep", action="store_true", help="reuse an archive already built in --workdir")
    parser.add_argument("--previous", type=Path, default=None, metavar="DIR",
                        help="an export of an earlier version to compare per-document time with")
    parser.add_argument("--ocr-pages", type=int, default=4, help="scan pages OCR'd for pages/s (0: skip)")
    parser.add_argument("--soak", type=int, default=0, metavar="N",
                        help="also run 2 workers over N distinct PDFs and print worker RSS over the run")
    args = parser.parse_args()

    archive = args.workdir / "archive"
    if not (args.keep and archive.exists()):
        shutil.rmtree(archive, ignore_errors=True)
        print(f"building {args.docs} synthetic reports in {archive} …", file=sys.stderr)
        build_archive(archive, args.docs)
    docx_files = sorted((archive / "docx").glob("*.docx"))
    pdfs = sorted((archive / "pdf").glob("*.pdf"))
    everything = docx_files + pdfs

    # the pipeline on the PDFs (one worker, a whole run), bare pdfplumber, the pypdfium2 text floor and a
    # run's fixed cost (worker start with jieba, writing the audit page and analyst files: a one-document
    # run, so the per-document ratio an archive converges to can be shown too), interleaved over the
    # rounds so that the host's drift falls on all four alike; medians
    floors, bares, pdf_times, tails, fixed_times = [], [], [], [], []
    for _ in range(max(1, args.rounds)):
        floor_time, pdf_pages = pdfium_floor(pdfs)
        floors.append(floor_time)
        bares.append(bare_pdfplumber(pdfs)[0])
        pdf_pass = pipeline_pass(pdfs, args.workdir / "out-pdf", jobs=1)
        pdf_times.append(pdf_pass.elapsed)
        tails.append(pdf_pass.writing)
        fixed_times.append(pipeline_pass(pdfs[:1], args.workdir / "out-one", jobs=1).elapsed)
    floor_time, bare_time, pdf_time, fixed_time = map(statistics.median, (floors, bares, pdf_times, fixed_times))
    startup = worker_startup()
    bare_one, first_pages = bare_pdfplumber(pdfs[:1])
    steady = (pdf_time - fixed_time) / max(1e-9, bare_time - bare_one)
    # the fixed cost with two workers: a two-document run, one document each
    fixed_two = pipeline_pass(everything[:1] + pdfs[:1], args.workdir / "out-two", jobs=2).elapsed
    ceiling = machine_ceiling()
    rounds = speedup_rounds(everything, args.workdir, max(1, args.rounds))
    one_times = [one.elapsed for one, _ in rounds]
    two_times = [two.elapsed for _, two in rounds]
    speedups = sorted(one.elapsed / two.elapsed for one, two in rounds)
    steady_speedups = sorted((one.elapsed - fixed_time) / max(1e-9, two.elapsed - fixed_two) for one, two in rounds)
    median = statistics.median(speedups)
    cpu_growth = statistics.median(two.cpu / one.cpu - 1 for one, two in rounds)
    busy = statistics.median(two.busy(2) for _, two in rounds)
    peak = max(two.rss.quarters()[0] for _, two in rounds)
    _, first_q, last_q = rounds[-1][1].rss.quarters()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"archive: {len(everything)} reports ({len(docx_files)} DOCX, {len(pdfs)} PDF, {pdf_pages} PDF pages)")
    print(f"1 worker : {len(everything) / statistics.median(one_times):6.2f} documents/s (median of {len(rounds)})")
    print(f"2 workers: {len(everything) / statistics.median(two_times):6.2f} documents/s (median of {len(rounds)})")
    print(f"speed-up, 2 workers vs 1: {median:.2f}x for the whole run (median; rounds "
          f"{' '.join(f'{x:.2f}' for x in speedups)}); {statistics.median(steady_speedups):.2f}x beyond each run's "
          f"fixed cost ({fixed_time:.1f} s with 1 worker, {fixed_two:.1f} s with 2)")
    print(f"this machine's ceiling: 2 processes give {statistics.median(ceiling):.2f}x one on a pure CPU loop "
          f"(rounds {' '.join(f'{x:.2f}' for x in ceiling)})")
    print(f"where the 2-worker time goes: the cores were {100 * busy:.0f}% busy, and the same work took "
          f"{100 * cpu_growth:+.0f}% CPU time with both busy (median of {len(rounds)}; all the run's processes)")
    print(f"PDF pages: {pdf_pages / pdf_time:6.2f} pages/s through the pipeline (1 worker)")
    print(f"pipeline vs bare pdfplumber extract_text on the same PDFs: {pdf_time:.2f} s / {bare_time:.2f} s "
          f"= {pdf_time / bare_time:.2f}x for the whole run; {steady:.2f}x per document beyond the first "
          f"(a run's fixed cost: {fixed_time:.1f} s)")
    print(f"writing after the last document (CSVs' batch flags, reviews, analyst files, audit page): "
          f"{statistics.median(tails):.2f} s of the 1-worker PDF run's {pdf_time:.2f} s (median of {len(tails)})")
    print(f"per PDF page: {1000 * pdf_time / pdf_pages:.1f} ms through the pipeline (a whole 1-worker run), "
          f"{1000 * floor_time / pdf_pages:.1f} ms the pypdfium2 text floor: {pdf_time / floor_time:.1f}x the floor "
          f"(medians of {len(floors)})")
    # as the issue counts it: what a page costs beyond the run's fixed cost (start-up and the final writing)
    per_page = (pdf_time - fixed_time) / max(1, pdf_pages - first_pages)
    print(f"per PDF page beyond the run's fixed cost: {1000 * per_page:.1f} ms, "
          f"{per_page / (floor_time / pdf_pages):.2f}x the floor")
    print(f"worker start-up: forked from the warmed server {1000 * startup.forked:.0f} ms wall (a one-worker pool "
          f"until its worker answers), {1000 * startup.forked_cpu:.0f} ms of the worker's CPU; a fresh process "
          f"importing the pipeline and warming up {startup.cold:.2f} s wall, {startup.cold_cpu:.2f} s CPU (what the "
          f"server pays once a run: a run's first pool took {startup.forked_first:.2f} s; the interpreter alone "
          f"{startup.interpreter:.2f} s); medians of 5")
    print(worker_memory(pdfs[:8]))
    if args.previous:
        against_previous(args.previous.resolve(), archive / "pdf", len(pdfs), args.workdir, max(1, args.rounds))
    if args.ocr_pages:
        print(ocr_speed(ROOT / "corpus" / "enhe-2022.pdf", args.ocr_pages))
    if args.soak:
        soak(pdfs, args.workdir / "soak", args.soak)
    print(f"peak RSS per worker: {peak:.0f} MB (last 2-worker pass: first quarter {first_q:.0f} MB, "
          f"last quarter {last_q:.0f} MB)")


if __name__ == "__main__":
    main()
