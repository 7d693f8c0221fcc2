"""Fault injection: real reports with one injected fault must get that flag, and nothing else new.

Each fault of tests/faults.py is run on the text (and, for the seed, on a DOCX rendered by
corpus/build_corpus.py). Known misses are xfail(strict=False) with the reason, so a fix shows as XPASS.
`python3 -m pytest tests/test_fault_injection.py -q -s -k matrix` prints the fault matrix.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.faults import BASES, FAULTS, Fault, Verdict, cases, describe, run_fault

KNOWN_MISSES: dict[str, str] = {}  # fault name -> why the rules miss it (none at present)
# (fault name, format) -> why the rules miss it in that format only
KNOWN_FORMAT_MISSES: dict[tuple[str, str], str] = {}
KNOWN_FALSE: dict[tuple[str, str], str] = {}  # (fault name, format) -> why a false flag appears

_VERDICTS: dict[tuple[str, str], Verdict] = {}


def verdict(fault: Fault, fmt: str) -> Verdict:
    """Run one case once per session."""
    key = (fault.name, fmt)
    if key not in _VERDICTS:
        if not BASES[fault.base].path.exists():
            pytest.skip(f"{BASES[fault.base].path} is not present here")
        _VERDICTS[key] = run_fault(fault, fmt)
    return _VERDICTS[key]


def _param(fault: Fault, fmt: str, reasons: dict[str, str]) -> object:
    reason = reasons.get(fault.name) or KNOWN_FALSE.get((fault.name, fmt))
    if reasons is KNOWN_MISSES:
        reason = reason or KNOWN_FORMAT_MISSES.get((fault.name, fmt))
    marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
    return pytest.param(fault, fmt, id=f"{fault.name}-{fmt}", marks=marks)


INJECTED = [_param(f, fmt, KNOWN_MISSES) for f, fmt in cases() if f.expect is not None]
ALL_CASES = [_param(f, fmt, {}) for f, fmt in cases()]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_injector_changes_the_text(fault: Fault) -> None:
    path = BASES[fault.base].path
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    text = path.read_text(encoding="utf-8")
    assert fault.edit(text) != text


@pytest.mark.parametrize(("fault", "fmt"), INJECTED)
def test_injected_fault_is_caught(fault: Fault, fmt: str) -> None:
    v = verdict(fault, fmt)
    assert v.caught, f"{fault.name} ({fault.note}) not caught; flags: {describe(v.flags)}"


@pytest.mark.parametrize(("fault", "fmt"), ALL_CASES)
def test_no_false_flag_and_known_flags_kept(fault: Fault, fmt: str) -> None:
    v = verdict(fault, fmt)
    assert not v.false_flags, f"{fault.name}: unexpected {describe(v.false_flags)}"
    assert not v.known_lost, f"{fault.name}: lost {v.known_lost}"


def test_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    """Print the fault-kind x format matrix (caught/total, false flags); always passes."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for fault, fmt in cases():
        if not BASES[fault.base].path.exists():
            continue
        v = verdict(fault, fmt)
        fmt_key = fmt if fault.base == "enhe" else f"{fmt}(portal)"
        cell = cells[(fault.kind, fmt_key)]
        cell[0] += bool(v.caught)
        cell[1] += 1
        cell[2] += len(v.false_flags)
    formats = sorted({k[1] for k in cells})
    with capsys.disabled():
        print("\nkind     " + "".join(f"{f:>22}" for f in formats))
        for kind in sorted({k[0] for k in cells}):
            row = []
            for f in formats:
                c = cells.get((kind, f))
                row.append("-" if c is None else (f"{c[1]} docs, false {c[2]}" if kind == "control"
                                                  else f"{c[0]}/{c[1]} caught, false {c[2]}"))
            print(f"{kind:9}" + "".join(f"{r:>22}" for r in row))
