"""What jieba costs the pipeline: a process's start of the segmenter, and the subjects of real reports.

    python benchmarks/segmenter_speed.py [--rounds 5] [--skip-subjects]

Prints, in one run, the CPU of `subjects.tokenizer()` in fresh processes (medians over the rounds, taken
in turn): from the segmenter's cache, with no cache yet (it is built and written), and jieba's own load
as subjects.py did it before the segmenter (load_userdict, initialize, import of jieba.posseg). Then the
CPU of every figure's subject (own_subject) of the reports in corpus/ and ../shared/corpus/inputs, as
their figures are found, with the cut cache, with it cleared before each document, and without it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_START = r"""
import json, sys, time
cpu = time.process_time()
if sys.argv[1] == "jieba":  # the load subjects.tokenizer() did before the segmenter
    import logging
    import jieba, jieba.posseg
    from extractors.narrative.subjects import DOMAIN_DICT
    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(DOMAIN_DICT))
    jieba.initialize()
    jieba.posseg.lcut("全年共受理政府信息公开申请128件")
else:
    from extractors.narrative.subjects import tokenizer
    tokenizer().cut("全年共受理政府信息公开申请128件")
print(json.dumps(time.process_time() - cpu))
"""


def start_costs(rounds: int) -> dict[str, list[float]]:
    """CPU seconds to a first cut in a fresh process: segmenter from its cache, with none, jieba's own."""
    costs: dict[str, list[float]] = {"cache": [], "no cache (built)": [], "jieba's own load": []}
    warm = tempfile.mkdtemp(prefix="nianbao-seg-")
    subprocess.run([sys.executable, "-c", _START, "cache"], cwd=ROOT, check=True, capture_output=True,
                   env=dict(os.environ, XDG_CACHE_HOME=warm))
    for _ in range(rounds):
        for name, arg, folder in (("cache", "cache", warm),
                                  ("no cache (built)", "cache", tempfile.mkdtemp(prefix="nianbao-seg-")),
                                  ("jieba's own load", "jieba", warm)):
            out = subprocess.run([sys.executable, "-c", _START, arg], cwd=ROOT, check=True, capture_output=True,
                                 text=True, env=dict(os.environ, XDG_CACHE_HOME=folder))
            costs[name].append(json.loads(out.stdout))
    return costs


def subject_calls() -> dict[str, list[tuple[str, str]]]:
    """own_subject's arguments, per report file, as the figure finder calls it (OCR variants left out)."""
    from extractors.narrative import figures, subjects
    from extractors.readers import read_document
    from extractors.readers.detect import detect_format
    from pipeline.discover import discover

    shared = ROOT.parent / "shared" / "corpus" / "inputs"
    folders = [ROOT / "corpus"] + ([shared] if shared.is_dir() else [])
    calls: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []

    def recording(before: str, after: str) -> str:
        current.append((before, after))
        return subjects.own_subject(before, after)

    figures.own_subject = recording  # type: ignore[assignment]
    try:
        for item in discover([str(f) for f in folders]).items:
            if Path(item.source).name.startswith("ocr-"):
                continue
            data = item.read_bytes()
            fmt = detect_format(data, item.source)
            try:
                doc = read_document(data, item.source, fmt)
            except Exception:  # noqa: BLE001 - a file no reader takes has no figures
                continue
            current = []
            figures.extract_figures(doc, "bench")
            calls[item.source] = current
    finally:
        figures.own_subject = subjects.own_subject
    return calls


def subject_costs(calls: dict[str, list[tuple[str, str]]], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of every own_subject call, by how the cut cache is used, the three taken in turn."""
    from extractors.narrative import subjects

    cached = subjects._cut
    plain = cached.__wrapped__
    costs: dict[str, list[float]] = {"cut cache kept across reports": [], "cut cache cleared per report": [],
                                     "no cut cache": []}
    try:
        for _ in range(rounds):
            for name in costs:
                subjects._cut = plain if name == "no cut cache" else cached  # type: ignore[assignment]
                cached.cache_clear()
                cpu = time.process_time()
                for report in calls.values():
                    if name == "cut cache cleared per report":
                        cached.cache_clear()
                    for before, after in report:
                        subjects.own_subject(before, after)
                costs[name].append(time.process_time() - cpu)
    finally:
        subjects._cut = cached
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-subjects", action="store_true")
    args = parser.parse_args()
    print(f"subjects.tokenizer() to a first cut, fresh process, CPU (median of {args.rounds}):")
    for name, values in start_costs(args.rounds).items():
        print(f"  {name:20s} {1000 * statistics.median(values):7.1f} ms")
    if args.skip_subjects:
        return
    from extractors.narrative.subjects import tokenizer

    calls = subject_calls()
    tokenizer().fill("".join(b + a for report in calls.values() for b, a in report))  # groups in: cuts only
    n = sum(map(len, calls.values()))
    print(f"own_subject over {n} figures of {len(calls)} report files (corpus/, shared), CPU "
          f"(median of {args.rounds}):")
    costs = subject_costs(calls, args.rounds)
    base = statistics.median(costs["no cut cache"])
    for name, values in costs.items():
        median = statistics.median(values)
        print(f"  {name:30s} {1000 * median:7.1f} ms  {1e6 * median / max(n, 1):6.1f} us a figure  "
              f"{median / base:.2f}x")


if __name__ == "__main__":
    main()
