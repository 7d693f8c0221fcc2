"""Text reading speed: the seed report's text repeated to SIZE MB (with its line breaks, on one line, and
on one line with no sentence end: 。 printed as '.', ； as ','), through the narrative figures alone and
through the whole per-document pipeline; prints CPU seconds per MB for each, so growth with size shows
(linear: the same s/MB at every size), and the whole pipeline's seconds for 50 MB at the largest size's
rate against the default per-document timeout.

    python benchmarks/text_speed.py [--sizes 1 4 16] [--whole-max 8] [--layouts lines one-line no-period]
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
from pipeline.executors import DEFAULT_TIMEOUT  # noqa: E402
from pipeline.process import process_bytes  # noqa: E402

LAYOUTS = {
    "lines": lambda text: text,
    "one-line": lambda text: text.replace("\n", " "),
    "no-period": lambda text: text.replace("\n", " ").replace("。", ".").replace("；", ","),
}
EXTRAPOLATE_MB = 50


def _text(mb: float, layout: str) -> str:
    seed = (ROOT / "corpus" / "enhe-2022.txt").read_text(encoding="utf-8")
    return LAYOUTS[layout](seed * max(1, round(mb * 1e6 / len(seed.encode()))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16])
    parser.add_argument("--whole-max", type=float, default=8, help="largest size run through the whole pipeline")
    parser.add_argument("--layouts", nargs="+", choices=sorted(LAYOUTS), default=list(LAYOUTS))
    args = parser.parse_args()
    tokenizer()  # loaded once per worker in a run: not part of the per-MB figure
    print(f"{'layout':<10}{'MB':>7}{'figures s':>11}{'s/MB':>7}{'whole s':>10}{'s/MB':>7}")
    rates: dict[str, float] = {}
    for layout in args.layouts:
        for mb in args.sizes:
            text = _text(mb, layout)
            size = len(text.encode()) / 1e6
            started = time.process_time()
            scan_text(text)
            figures = time.process_time() - started
            whole = ""
            if mb <= args.whole_max:
                started = time.process_time()
                process_bytes(text.encode(), "bench.txt")
                spent = time.process_time() - started
                rates[layout] = spent / size
                whole = f"{spent:>10.1f}{spent / size:>7.2f}"
            print(f"{layout:<10}{size:>7.1f}{figures:>11.1f}{figures / size:>7.2f}{whole}", flush=True)
    for layout, rate in rates.items():
        print(f"{layout}: {EXTRAPOLATE_MB} MB of text ≈ {rate * EXTRAPOLATE_MB:.0f} s CPU through the whole pipeline "
              f"(at {rate:.2f} s/MB), against the default per-document timeout of {DEFAULT_TIMEOUT:.0f} s "
              f"({rate * EXTRAPOLATE_MB / DEFAULT_TIMEOUT:.0%} of it)")


if __name__ == "__main__":
    main()
