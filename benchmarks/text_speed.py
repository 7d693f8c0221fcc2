"""Text reading speed: the seed report's text repeated to SIZE MB (with its line breaks, and on one line),
through the narrative figures alone and through the whole per-document pipeline; prints CPU seconds per
MB for each, so growth with size shows (linear: the same s/MB at every size).

    python benchmarks/text_speed.py [--sizes 1 4 16] [--whole-max 8]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.narrative.figures import scan_text  # noqa: E402
from extractors.narrative.subjects import tokenizer  # noqa: E402
from pipeline.process import process_bytes  # noqa: E402


def _text(mb: float, one_line: bool) -> str:
    seed = (ROOT / "corpus" / "enhe-2022.txt").read_text(encoding="utf-8")
    text = seed * max(1, round(mb * 1e6 / len(seed.encode())))
    return text.replace("\n", " ") if one_line else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16])
    parser.add_argument("--whole-max", type=float, default=8, help="largest size run through the whole pipeline")
    args = parser.parse_args()
    tokenizer()  # loaded once per worker in a run: not part of the per-MB figure
    print(f"{'layout':<9}{'MB':>7}{'figures s':>11}{'s/MB':>7}{'whole s':>10}{'s/MB':>7}")
    for one_line in (False, True):
        for mb in args.sizes:
            text = _text(mb, one_line)
            size = len(text.encode()) / 1e6
            started = time.process_time()
            scan_text(text)
            figures = time.process_time() - started
            whole = ""
            if mb <= args.whole_max:
                started = time.process_time()
                process_bytes(text.encode(), "bench.txt")
                spent = time.process_time() - started
                whole = f"{spent:>10.1f}{spent / size:>7.2f}"
            print(f"{'one line' if one_line else 'lines':<9}{size:>7.1f}{figures:>11.1f}{figures / size:>7.2f}{whole}",
                  flush=True)


if __name__ == "__main__":
    main()
