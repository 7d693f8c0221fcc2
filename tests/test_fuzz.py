"""Structure-aware fuzzing: mutants of the seed report in every format (spans, dropped cells, deep markup,
damaged parts, encodings, truncation, flipped bytes) in one 2-worker batch with the good reports.

Bounded to about two minutes. Asserts: no internal error and no unlabelled timeout, the batch's memory
(all processes) under the 2-worker budget, the good reports intact, and no `ok` on any mutant with a cell
read differently from the seed, blank where the seed has a number, or added (classes 4 and 5 of issue 24:
a reading the table's shape puts in doubt, or a blank the table's totals, the narrative or another file of
the report contradict, is `partial`). The good files are files of the mutants' report, so the batch's
across-files pass (pipeline.sibling_blanks) runs on every mutant too."""

from __future__ import annotations

import io
import random
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import psutil
import regex as re

from pipeline.executors import Guards
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS
from tests.hostile import GOOD, seed_html
from tests.test_pipeline import by_name, read_rows

SEED = 20261204
MUTANTS_PER_KIND = 30
BUDGET_BYTES = int(2.5 * 2**30)  # two workers at the 1 GiB cap and the main process
_SPANS = ["-1", "0", "2", "3", "1000", "65535", "999999999", "abc", " 2px", "+1", "1e9"]


@dataclass
class Mutant:
    name: str
    data: bytes
    structural: bool  # the table structure changed while every value's text stayed as it was


def _html_mutants(rng: random.Random) -> list[Mutant]:
    base = seed_html().decode()
    tds = [m.start() for m in re.finditer("<td>", base)]
    out = []
    for i in range(MUTANTS_PER_KIND):
        text = base
        kind = i % 3
        if kind == 0:  # random spans on random cells
            for at in sorted(rng.sample(tds, 8), reverse=True):
                attr = f' {rng.choice(["colspan", "rowspan"])}="{rng.choice(_SPANS)}"'
                text = text[:at + 3] + attr + text[at + 3:]
        elif kind == 1:  # cells or rows dropped
            for at in sorted(rng.sample(tds, 3), reverse=True):
                end = text.index("</td>", at) + 5
                text = text[:at] + text[end:]
        else:  # deep and unclosed markup around the body
            depth = rng.choice([300, 3000, 30000])
            text = text.replace("<body>", "<body>" + "<span><div>" * depth, 1)
        out.append(Mutant(f"html-{i}.html", text.encode(), structural=kind < 2))
    return out


def _docx_mutants(rng: random.Random) -> list[Mutant]:
    source = zipfile.ZipFile(CORPUS / "enhe-2022.docx")
    body = source.read("word/document.xml").decode()
    out = []
    for i in range(MUTANTS_PER_KIND):
        parts = {name: source.read(name) for name in source.namelist()}
        kind = i % 3
        if kind == 0:  # spans and merges
            cells = [m.start() for m in re.finditer("<w:tcPr>", body)]
            text = body
            for at in sorted(rng.sample(cells, min(8, len(cells))), reverse=True):
                mark = rng.choice([f'<w:gridSpan w:val="{rng.choice(_SPANS)}"/>', "<w:vMerge/>",
                                   '<w:vMerge w:val="restart"/>'])
                text = text[:at + 8] + mark + text[at + 8:]
            parts["word/document.xml"] = text.encode()
        elif kind == 1:  # an optional part dropped
            parts.pop(rng.choice(["word/styles.xml", "word/settings.xml", "word/numbering.xml",
                                  "docProps/core.xml", "word/fontTable.xml"]), None)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
        data = buffer.getvalue()
        if kind == 2:  # the archive damaged
            data = data[: rng.randrange(len(data) // 2, len(data))]
        out.append(Mutant(f"docx-{i}.docx", data, structural=kind == 0))
    return out


def _span_damage_mutants(rng: random.Random) -> list[Mutant]:
    """The seed DOCX with some of its printed gridSpans made invalid (-1, 0, 1e9: read as 1, as Word and
    browsers do): header and value cells move under other columns, which must never read `ok`."""
    source = zipfile.ZipFile(CORPUS / "enhe-2022.docx")
    body = source.read("word/document.xml").decode()
    spans = list(re.finditer(r'<w:gridSpan w:val="\d+"/>', body))
    out = []
    for i in range(12):
        text = body
        for m in sorted(rng.sample(spans, rng.randrange(1, 4)), key=lambda m: m.start(), reverse=True):
            text = text[:m.start()] + f'<w:gridSpan w:val="{rng.choice(["-1", "0", "1e9"])}"/>' + text[m.end():]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in source.namelist():
                zf.writestr(name, text.encode() if name == "word/document.xml" else source.read(name))
        out.append(Mutant(f"docx-span-{i}.docx", buffer.getvalue(), structural=True))
    return out


def _txt_mutants(rng: random.Random) -> list[Mutant]:
    text = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    out = []
    for i in range(MUTANTS_PER_KIND):
        encoding = rng.choice(["utf-8", "gb18030", "utf-16-le", "utf-16-be", "utf-32-le", "utf-8-sig", "utf-16"])
        data = bytearray(text.encode(encoding))
        if i % 2:  # stray bytes
            for _ in range(rng.randrange(1, 4)):
                data.insert(rng.randrange(len(data)), rng.randrange(128, 256))
        else:
            data = bytearray(("<meta x>\n<p>" + text).encode(encoding))
        out.append(Mutant(f"txt-{i}.txt", bytes(data), structural=False))
    return out


def _pdf_mutants(rng: random.Random) -> list[Mutant]:
    base = (CORPUS / "enhe-2022.pdf").read_bytes()
    out = []
    for i in range(MUTANTS_PER_KIND):
        data = bytearray(base)
        kind = i % 3
        if kind == 0:  # flipped bytes
            for _ in range(20):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:  # truncated
            data = data[: rng.randrange(len(data) // 4, len(data))]
        else:  # every offset shifted, and a broken page box
            data = bytearray(base[:9] + b"%" + b"x" * rng.randrange(1, 999) + b"\n" + base[9:])
            data = bytearray(re.sub(rb"/MediaBox\s*\[[^\]]*\]", rng.choice([b"/MediaBox [0 0 NaN 842]",
                                    b"/MediaBox [0 0 1e40 1e40]", b"/MediaBox [0 0 0 0]"]), bytes(data), count=1))
        out.append(Mutant(f"pdf-{i}.pdf", bytes(data), structural=False))
    return out


def _recoverable_mutants(rng: random.Random) -> list[Mutant]:
    """Damage that must not cost the report (each is read `ok` with every seed cell): NUL and control
    bytes in a text file, a report on one line, a GBK page still declaring utf-8, a PDF whose xref
    offsets are all zero (pdfminer sees no page, pdfium all of them)."""
    text = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    pdf = (CORPUS / "enhe-2022.pdf").read_bytes()
    html = seed_html().decode()
    out = []
    for i in range(4):
        data = bytearray(text.encode())
        for _ in range(rng.randrange(1, 6)):  # NUL bytes and controls, some in the head the sniffer reads
            at = rng.randrange(min(len(data), 4000))
            while at < len(data) and 0x80 <= data[at] < 0xC0:
                at += 1  # between two characters, never inside one
            data[at:at] = bytes([rng.choice([0, 0, 1, 7, 27, 31])])
        out.append(Mutant(f"damage-nul-{i}.txt", bytes(data), structural=False))
    out.append(Mutant("damage-one-line.txt", text.replace("\n", " ").encode(), structural=False))
    out.append(Mutant("damage-one-line-crlf-lost.txt", text.replace("\n", "").encode("gb18030"), structural=False))
    declared = html.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">', 1)
    out.append(Mutant("damage-gbk-declared-utf8.html", declared.encode("gb18030"), structural=False))
    out.append(Mutant("damage-xref-zero.pdf", re.sub(rb"\n\d{10} 00000 n", b"\n0000000000 00000 n", pdf),
                      structural=False))
    return out


RECOVERABLE = "damage-"
MUTATORS: list[Callable[[random.Random], list[Mutant]]] = [_html_mutants, _docx_mutants, _txt_mutants, _pdf_mutants,
                                                           _recoverable_mutants, _span_damage_mutants]


def _peak_rss(stop: threading.Event, peak: list[int]) -> None:
    """The batch's memory: the proportional set sizes of this process and all below it summed (workers
    forked from one server share its pages; summing resident sizes would count those once per process)."""
    me = psutil.Process()
    while not stop.is_set():
        total = 0
        for process in [me, *me.children(recursive=True)]:
            try:
                total += process.memory_full_info().pss
            except psutil.Error:
                pass
        peak[0] = max(peak[0], total)
        time.sleep(0.05)


def test_fuzzed_mutants(tmp_path):
    rng = random.Random(SEED)
    folder = tmp_path / "in"
    folder.mkdir()
    mutants = [m for mutate in MUTATORS for m in mutate(rng)]
    for mutant in mutants:
        (folder / mutant.name).write_bytes(mutant.data)
    for name in GOOD:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=_peak_rss, args=(stop, peak), daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        run_batch([str(folder)], tmp_path / "out", RunOptions(jobs=2, progress=False, guards=Guards(timeout=30)))
    finally:
        stop.set()
        watcher.join()
    elapsed = time.monotonic() - started
    documents = by_name(read_rows(tmp_path / "out" / "documents.csv"))
    cells = read_rows(tmp_path / "out" / "table_cells.csv")

    def values(row):
        return {(c["table"], c["row_key"], c["col_key"]): c["value"] for c in cells if c["doc_id"] == row["doc_id"]}

    seed = values(documents["enhe-2022.txt"])
    assert len(seed) == 200
    for name in GOOD:
        assert documents[name]["status"] == "ok" and values(documents[name]) == seed, name
    for mutant in mutants:
        row = documents[mutant.name]
        assert "internal error" not in row["error"], (mutant.name, row["error"])
        assert not row["error"].startswith("timeout") or "raise --timeout" in row["error"], row["error"]
        if mutant.name.startswith(RECOVERABLE):  # damage that costs nothing: every seed cell read
            assert row["status"] == "ok" and values(row) == seed, (mutant.name, row["status"], row["error"])
        if row["status"] == "ok":  # whatever the damage, never a value misplaced, lost or blanked under `ok`
            read = {k: v for k, v in values(row).items() if v != ""}
            wrong = {k: v for k, v in read.items() if k in seed and seed[k] != v}
            assert not wrong, f"{mutant.name}: ok, but cells differ from the seed: {wrong}"
            every = values(row)
            missing = {k for k in seed if k not in every or (every[k] == "" and seed[k] != "")}
            extra = every.keys() - seed.keys()
            # a cell lost, turned blank or added by the damage is never silent either
            assert not missing and not extra, f"{mutant.name}: ok, but cells missing {missing}, extra {extra}"
    assert elapsed < 240, f"fuzz batch took {elapsed:.0f} s"
    assert peak[0] < BUDGET_BYTES, f"peak memory (PSS) of the batch {peak[0] / 2**20:.0f} MB"
    print(f"fuzz: {len(mutants)} mutants in {elapsed:.0f} s, peak memory (PSS) {peak[0] / 2**20:.0f} MB")
    for name, row in sorted(documents.items()):
        print(f"fuzz: {name}: {row['status']} {row['error'][:100]}")
