"""The segmenter cuts exactly as jieba's own load did in subjects.py (jieba.load_userdict, initialize,
jieba.posseg.cut): every sentence and clause of the bundled reports (and of the shared real ones where
present), cut by stock jieba in a process of its own and by the segmenter building its cache, reading it,
after two first runs at once, from a damaged cache and with no writable cache folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import regex as re

from extractors.narrative.segmenter import CacheFile, sources_for, units
from extractors.narrative.subjects import DOMAIN_DICT
from extractors.readers import read_document
from extractors.readers.detect import detect_format
from pipeline.discover import discover
from tests.conftest import CORPUS, ROOT, SHARED_INPUTS

_SENTENCE_END = re.compile(r"[。！？；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]+")

_STOCK = """
import json, logging, sys
import jieba, jieba.posseg
jieba.setLogLevel(logging.WARNING)
jieba.load_userdict(sys.argv[3])
jieba.initialize()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump([[[p.word, p.flag] for p in jieba.posseg.cut(t)] for t in texts], open(sys.argv[2], "w", encoding="utf-8"))
"""

_OURS = """
import json, sys
from pathlib import Path
from extractors.narrative.segmenter import load
segmenter = load(Path(sys.argv[3]), [Path(d) for d in sys.argv[4:]])
at_start = len(segmenter.tokenizer.FREQ)
import jieba.posseg
texts = json.load(open(sys.argv[1], encoding="utf-8"))
cuts = [[list(t) for t in segmenter.cut(x)] for x in texts]
through_jieba = [[[p.word, p.flag] for p in jieba.posseg.cut(x)] for x in texts[:100]]
json.dump({"how": segmenter.how, "cuts": cuts, "entries": len(segmenter.tokenizer.FREQ), "at_start": at_start,
           "through_jieba": through_jieba}, open(sys.argv[2], "w", encoding="utf-8"))
"""


def _report_texts() -> list[str]:
    """Every sentence and clause of the reports in corpus/ and ../shared/corpus/inputs. The two OCR
    variants are left out: their text pages are the base report's, and reading their pictures takes
    half a minute each."""
    folders = [CORPUS] + ([SHARED_INPUTS] if SHARED_INPUTS.is_dir() else [])
    texts: set[str] = set()
    for item in discover([str(f) for f in folders]).items:
        if Path(item.source).name.startswith("ocr-"):
            continue
        data = item.read_bytes()
        fmt = detect_format(data, item.source)
        if fmt not in ("pdf", "docx", "doc", "html", "txt"):
            continue
        try:
            doc = read_document(data, item.source, fmt)
        except Exception:  # noqa: BLE001 - a file no reader takes has no sentences to cut
            continue
        for sentence in _SENTENCE_END.split(doc.text):
            sentence = sentence.strip()
            if sentence:
                texts.add(sentence)
                texts.update(c.strip() for c in _CLAUSE_END.split(sentence) if c.strip())
    return sorted(texts)


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("segmenter")
    found = _report_texts()
    path = folder / "texts.json"
    path.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return path, found


def _run(script: str, texts: Path, out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, str(texts), str(out), str(DOMAIN_DICT), *args],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)


def _result(process: subprocess.Popen, out: Path) -> dict | list:
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stock(texts, tmp_path_factory) -> list:
    """jieba's own cut of every text, in a process that never imported the segmenter."""
    out = tmp_path_factory.mktemp("stock") / "stock.json"
    return _result(_run(_STOCK, texts[0], out), out)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def some(texts, stock, tmp_path_factory) -> tuple[Path, list[str], list]:
    """Every eighth text and its stock cut: enough for the damaged caches (each run cuts them again)."""
    path = tmp_path_factory.mktemp("some") / "some.json"
    chosen = texts[1][::8]
    path.write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
    return path, chosen, stock[::8]


def _ours(texts: Path, tmp: Path, *folders: Path) -> dict:
    out = tmp / "ours.json"
    return _result(_run(_OURS, texts, out, *map(str, folders)), out)  # type: ignore[return-value]


def test_the_texts_are_the_reports(texts):
    path, found = texts
    assert len(found) > 1000, len(found)  # sentences and clauses of every report read
    assert any("政府信息公开" in t for t in found)


def test_cold_and_warm_cut_as_jieba_and_warm_loads_only_what_is_cut(texts, stock, tmp_path):
    cache = tmp_path / "cache"
    cold = _ours(texts[0], tmp_path, cache)
    assert cold["how"] == "built"  # no cache yet: jieba's own load, and the cache written
    assert cold["cuts"] == stock
    assert [p.suffix for p in cache.iterdir()] == [".cache"]
    warm = _ours(texts[0], tmp_path, cache)
    assert warm["how"] == "cache"
    assert warm["cuts"] == stock
    assert warm["through_jieba"] == stock[:100]  # jieba.posseg.cut in that process cuts as the segmenter
    # from the cache, only the groups of the characters cut so far: the probe sentences' at the start (a
    # few percent of jieba's prefix dictionary), the reports' after them (not all of it either)
    assert cold["at_start"] == cold["entries"]
    assert warm["at_start"] < cold["entries"] / 10 and warm["entries"] < cold["entries"], warm


def test_two_first_runs_at_once_leave_one_whole_cache(texts, stock, tmp_path):
    cache = tmp_path / "cache"
    runs = [(_run(_OURS, texts[0], tmp_path / f"{k}.json", str(cache)), tmp_path / f"{k}.json") for k in range(2)]
    results = [_result(p, out) for p, out in runs]
    for result in results:
        assert result["cuts"] == stock  # type: ignore[index]
    assert {r["how"] for r in results} <= {"built", "cache"}  # type: ignore[index]
    assert [p.suffix for p in cache.iterdir()] == [".cache"]  # one file, no temporary left
    third = _ours(texts[0], tmp_path, cache)
    assert third["how"] == "cache" and third["cuts"] == stock


def _built(texts: Path, tmp: Path) -> Path:
    cache = tmp / "cache"
    assert _ours(texts, tmp, cache)["how"] == "built"
    return next(cache.iterdir())


def test_a_cache_cut_short_or_overwritten_is_rebuilt(some, tmp_path):
    path = _built(some[0], tmp_path)
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole[:40], b"not a cache", whole[:8] + b"\xff" * 100 + whole[108:]):
        path.write_bytes(damaged)
        result = _ours(some[0], tmp_path, path.parent)
        assert result["how"] == "built" and result["cuts"] == some[2]
        assert path.read_bytes() == whole  # written again, the same bytes as the first time


def test_a_damaged_group_found_mid_run_falls_back_to_jiebas_load(some, tmp_path):
    path = _built(some[0], tmp_path)
    sources = sources_for(DOMAIN_DICT)
    cache = CacheFile(path, sources.key())
    probes = units("".join(cache.probes[0]))
    # a group the reports need (not the probe sentences', which the load itself cuts), the biggest
    unit = max((u for text in some[1] for u in units(text) - probes if cache.locate(u)),
               key=lambda u: cache.locate(u)[1])  # type: ignore[index]
    offset, size, _ = cache.locate(unit)  # type: ignore[misc]
    cache.close()
    data = bytearray(path.read_bytes())
    data[cache.body + offset + size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    result = _ours(some[0], tmp_path, path.parent)
    # read from the cache until the damaged group, then jieba's own load, and the cache written again
    assert result["how"] == "built"
    assert result["cuts"] == some[2]
    assert _ours(some[0], tmp_path, path.parent)["how"] == "cache"


def test_no_writable_cache_folder_is_jiebas_own_load(some, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    result = _ours(some[0], tmp_path, blocked / "cache")  # a folder under a file cannot be made
    assert result["how"] == "jieba" and result["cuts"] == some[2]
    assert not (blocked.parent / "cache").exists()


def test_building_a_cache_removes_caches_no_process_used_for_a_month(some, tmp_path):
    import os
    import time

    from extractors.narrative.segmenter import STALE_AFTER

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    month_ago = time.time() - STALE_AFTER - 3600
    planted = {
        "jieba-0.41-000000000000000000000000.cache": month_ago,  # an older jieba's, unused: removed
        "jieba-0.42.1-111111111111111111111111.cache": time.time(),  # another key in use: kept
        ".jieba-0.42.1-222222222222222222222222.cache.x1y2.tmp": time.time() - 2 * 86400,  # a dead writer's
        ".jieba-0.42.1-333333333333333333333333.cache.a1b2.tmp": time.time(),  # a writer at work: kept
        "notes.cache": month_ago,  # not ours: kept
    }
    for name, when in planted.items():
        (cache / name).write_bytes(b"x")
        os.utime(cache / name, (when, when))
    (cache / "jieba-0.40-444444444444444444444444.cache").symlink_to(tmp_path / "elsewhere")  # a link: kept
    result = _ours(some[0], tmp_path, cache)
    assert result["how"] == "built" and result["cuts"] == some[2]
    built = sources_for(DOMAIN_DICT).key() + ".cache"
    assert sorted(p.name for p in cache.iterdir()) == sorted([
        built, "jieba-0.42.1-111111111111111111111111.cache",
        ".jieba-0.42.1-333333333333333333333333.cache.a1b2.tmp", "notes.cache",
        "jieba-0.40-444444444444444444444444.cache"])
    # the cache in use is marked so (its time renewed when a day old), so a build elsewhere spares it
    os.utime(cache / built, (month_ago, month_ago))
    assert _ours(some[0], tmp_path, cache)["how"] == "cache"
    assert time.time() - (cache / built).stat().st_mtime < 3600
