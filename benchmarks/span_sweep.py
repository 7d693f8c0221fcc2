"""The colspan/rowspan sweep of issue 24: every span attribute of a report's HTML page made invalid in turn
(-1, 0, 1e9: read as 1, as browsers do), each mutant read and compared with the undamaged reading.

Prints, per outcome, how many mutants: `ok` and identical to the original (a damage that moved nothing,
or a re-read that put every cell back), `ok` with a cell wrong, blanked, lost or added (must be 0),
`partial` (the damage named), failed. Usage: python -m benchmarks.span_sweep [PAGE.html|FILE.docx ...]"""

from __future__ import annotations

import io
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import regex as re

from pipeline.process import process_bytes
from schemas.records import Status

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared/corpus/inputs/real-006-pingtan-2021.html", ROOT / "corpus/enhe-2022.docx"]
VALUES = ("-1", "0", "1e9")
_SPAN = re.compile(r'(colspan|rowspan)="[^"]*"')
_GRID_SPAN = re.compile(r'<w:gridSpan w:val="[^"]*"/>')


def mutants(path: Path) -> Iterator[tuple[str, bytes]]:
    """(what was changed, the mutant's bytes): each span of an HTML page, or each gridSpan of a DOCX."""
    if path.suffix == ".docx":
        source = zipfile.ZipFile(path)
        body = source.read("word/document.xml").decode()
        for m in _GRID_SPAN.finditer(body):
            for value in VALUES:
                text = body[:m.start()] + f'<w:gridSpan w:val="{value}"/>' + body[m.end():]
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                    for name in source.namelist():
                        zf.writestr(name, text.encode() if name == "word/document.xml" else source.read(name))
                yield f"{m.group(0)}@{m.start()} -> {value}", buffer.getvalue()
        return
    html = path.read_bytes().decode("utf-8")
    for m in _SPAN.finditer(html):
        for value in VALUES:
            yield f"{m.group(0)}@{m.start()} -> {value}", (html[:m.start()] + f'{m.group(1)}="{value}"'
                                                           + html[m.end():]).encode()


def _cells(result) -> dict[str, object]:
    return {c.ref: c.value for c in result.cells}


def sweep(path: Path) -> Counter[str]:
    """Outcome counts of every span mutant of one HTML page."""
    base = process_bytes(path.read_bytes(), path.name)
    seed = _cells(base)
    outcomes: Counter[str] = Counter()
    for what, data in mutants(path):
        result = process_bytes(data, path.name)
        read = _cells(result)
        status = result.document.status
        differs = read != seed
        if status == Status.OK:
            wrong = [k for k in seed if k in read and seed[k] is not None and read[k] is not None and read[k] != seed[k]]
            blanked = [k for k in seed if seed[k] is not None and read.get(k) is None]
            extra = read.keys() - seed.keys()
            if wrong or blanked or extra:
                outcomes["ok with cells wrong/blanked/lost/added"] += 1
                print(f"  BAD {path.name} {what}: wrong {wrong[:4]} "
                      f"blanked {blanked[:4]} extra {sorted(extra)[:4]}")
            elif differs:
                outcomes["ok, differing only where the original is blank"] += 1
            elif "re-mapped" in (result.document.warnings or ""):
                outcomes["ok, re-read to the original (columns re-mapped)"] += 1
            else:
                outcomes["ok, identical"] += 1
        else:
            outcomes[f"{status}{' (cells moved)' if differs else ''}"] += 1
    return outcomes


def main(paths: list[str]) -> None:
    for path in [Path(p) for p in paths] or DEFAULT:
        outcomes = sweep(path)
        total = sum(outcomes.values())
        print(f"{path.name}: {total} mutants")
        for name, count in sorted(outcomes.items()):
            print(f"  {count:4d}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
