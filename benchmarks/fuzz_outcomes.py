"""Outcomes of the fuzz test's mutants (tests/test_fuzz.py, same seed), each read in this process and
compared with the seed's reading: per kind, how many are `ok` and exact, `ok` with a cell wrong, `ok`
with a cell blank or missing where the seed prints a number, `partial`, `failed`.

Usage: python -m benchmarks.fuzz_outcomes (run from the worktree root; about 5 minutes on one core)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import regex as re

from pipeline.process import process_bytes
from schemas.records import Status
from tests.conftest import CORPUS
from tests.test_fuzz import MUTATORS, SEED


def _cells(result) -> dict[str, object]:
    return {c.ref: c.value for c in result.cells}


def main() -> None:
    rng = random.Random(SEED)
    mutants = [m for mutate in MUTATORS for m in mutate(rng)]
    seed = _cells(process_bytes((CORPUS / "enhe-2022.txt").read_bytes(), "enhe-2022.txt"))
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    for mutant in mutants:
        kind = re.sub(r"(-\d+)?\.\w+$", "", mutant.name)
        result = process_bytes(mutant.data, mutant.name)
        status = result.document.status
        if status != Status.OK:
            outcomes[kind][str(status)] += 1
            continue
        read = _cells(result)
        wrong = [k for k, v in seed.items() if read.get(k) is not None and v is not None and read[k] != v]
        blanked = [k for k, v in seed.items() if v is not None and read.get(k) is None]
        if wrong:
            outcomes[kind]["ok, cells wrong"] += 1
        if blanked:
            outcomes[kind]["ok, cells blank/missing"] += 1
        if wrong or blanked:
            print(f"  {mutant.name}: ok with {len(wrong)} wrong {wrong[:3]}, {len(blanked)} blank {blanked[:3]}")
        elif "re-mapped" in (result.document.warnings or ""):
            outcomes[kind]["ok, re-read (columns re-mapped)"] += 1
        else:
            outcomes[kind]["ok, exact"] += 1
    total: Counter[str] = Counter()
    for kind, counts in sorted(outcomes.items()):
        total.update(counts)
        print(f"{kind:10s} " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items())))
    print(f"{'all':10s} {len(mutants)} mutants: " + ", ".join(f"{n} {name}" for name, n in sorted(total.items())))


if __name__ == "__main__":
    main()
