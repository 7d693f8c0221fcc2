"""The checkpoint's `has`: a result of this version that reads whole; anything else is made again."""

from __future__ import annotations

import json

from pipeline import __version__
from pipeline.run import RunOptions, run_batch
from pipeline.store import ResultStore
from tests.conftest import CORPUS


def _one_run(tmp_path):
    out = tmp_path / "out"
    run_batch([str(CORPUS / "enhe-2022.txt")], out, RunOptions(jobs=0, progress=False))
    store = ResultStore(out, __version__)
    (path,) = store.root.glob("*/*.json")
    return out, store, path


def test_has_reads_the_version_put_wrote(tmp_path):
    out, store, path = _one_run(tmp_path)
    sha = path.stem
    assert store.has(sha)
    assert store.get(sha).document.sha256 == sha
    assert not ResultStore(out, __version__ + ".1").has(sha)  # another version: read again
    assert not store.has("0" * 64)


def test_has_refuses_a_cut_file_and_reads_another_layout_whole(tmp_path):
    _out, store, path = _one_run(tmp_path)
    sha, text = path.stem, path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut: the head matches, the end does not
    assert not store.has(sha)
    payload = json.loads(text)
    path.write_text(json.dumps({"result": payload["result"], "version": payload["version"]}), encoding="utf-8")
    assert store.has(sha)  # same version, keys in another order: parsed whole
    path.write_text(json.dumps({"result": payload["result"], "version": "0.0.1"}), encoding="utf-8")
    assert not store.has(sha)
    path.write_text("[]", encoding="utf-8")
    assert not store.has(sha)


def test_has_refuses_a_file_damaged_in_the_middle(tmp_path):
    """Head and end intact, a byte in between broken: not a result (resuming makes it again instead of
    failing when the run reads it back)."""
    _out, store, path = _one_run(tmp_path)
    sha, text = path.stem, path.read_text(encoding="utf-8")
    middle = len(text) // 2
    path.write_text(text[:middle] + "\u0000{" + text[middle + 2:], encoding="utf-8")
    assert not store.has(sha)
