"""The command line's exit codes and messages, and the paths it will not follow or write through."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import CORPUS, ROOT
from tests.test_pipeline import by_name, read_rows

REPORT = CORPUS / "enhe-2022.txt"


def _extract(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def test_missing_input_is_a_failed_row_and_strict_exits_1(tmp_path):
    args = [str(REPORT), str(tmp_path / "nope.pdf"), "-o", str(tmp_path / "out"), "-j", "0", "-q"]
    relaxed = _extract(*args)
    assert relaxed.exit_code == 0, relaxed.output
    rows = by_name(read_rows(tmp_path / "out" / "documents.csv"))
    assert rows["nope.pdf"]["status"] == "failed" and "no such file" in rows["nope.pdf"]["error"]
    assert rows["enhe-2022.txt"]["status"] == "ok"
    strict = _extract(*args, "--strict")
    assert strict.exit_code == 1
    ok_only = _extract(str(REPORT), "-o", str(tmp_path / "out2"), "-j", "0", "-q", "--strict")
    assert ok_only.exit_code == 0


@pytest.mark.parametrize("bad", [["-j", "-1"], ["--timeout", "-5"], ["--max-memory", "-1"], ["--max-pages", "-2"],
                                 ["--max-bytes", "-3M"], ["--max-bytes", "lots"], ["--no-such-option"]])
def test_bad_options_are_one_line_and_exit_2_before_anything_is_written(tmp_path, bad):
    out = tmp_path / "out"
    result = _extract(str(REPORT), "-o", str(out), *bad)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("error:"), result.output
    assert not out.exists()


def test_unwritable_output_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file where the output folder should go", encoding="utf-8")
    result = _extract(str(REPORT), "-o", str(blocker / "out"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [result.output.strip()] and "cannot write" in result.output


def test_summary_line_agrees_with_documents_csv(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("enhe-2022.txt", "enhe-2022.docx"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    (folder / "copy.txt").write_bytes(REPORT.read_bytes())  # a duplicate: its row repeats the first's status
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 8)
    result = _extract(str(folder), "-o", str(tmp_path / "out"), "-j", "0")
    line = result.output.strip().splitlines()[-1]
    counted = dict(re.findall(r"(\d+) (ok|partial|failed|files|reports)\b", line))
    rows = read_rows(tmp_path / "out" / "documents.csv")
    statuses = [r["status"] for r in rows]
    assert {k: int(v) for k, v in ((w, n) for n, w in counted.items())} == {
        "files": len(rows), "ok": statuses.count("ok"), "partial": statuses.count("partial"),
        "failed": statuses.count("failed"), "reports": 2}, (line, statuses)  # the seed in 3 files, and junk
    assert len({r["report_id"] for r in rows}) == 2
    flags = [r["severity"] for r in read_rows(tmp_path / "out" / "flags.csv")]
    for severity in ("error", "warning", "info"):
        assert f"{flags.count(severity)} {severity}" in line
    assert f"audit page: {tmp_path / 'out' / 'audit.html'}" in line


def test_folder_walk_skips_an_earlier_output_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_bytes(REPORT.read_bytes())
    assert _extract(str(folder), "-o", str(folder / "results"), "-j", "0", "-q").exit_code == 0
    assert (folder / "results" / "audit.html").exists()  # an HTML file a walk would otherwise read
    again = _extract(str(folder), "-o", str(tmp_path / "out2"), "-j", "0", "-q")
    assert again.exit_code == 0
    assert [Path(r["source"]).name for r in read_rows(tmp_path / "out2" / "documents.csv")] == ["report.txt"]


def test_ctrl_c_exits_130_and_says_a_rerun_resumes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"r{i}.pdf").write_bytes((CORPUS / "enhe-2022.pdf").read_bytes() + f"\n%{i}\n".encode())
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "-o", str(tmp_path / "out"),
                             "-j", "1", "-q"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    results = tmp_path / "out" / ".nianbao" / "results"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(results.rglob("*.json")):
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "resume" in err and "Traceback" not in err


# Ctrl-C while `python -m pipeline.cli` still loads its modules (seconds on a loaded machine): an import hook
# sends SIGINT to the process as pipeline.executors starts loading, which is before main() can catch it
_CTRL_C_WHILE_LOADING = """
import importlib.abc, os, runpy, signal, sys
class CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "pipeline.executors":
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, CtrlC())
sys.argv = ["nianbao", "extract", sys.argv[1], "-o", sys.argv[2], "-j", "0", "-q"]
runpy.run_module("pipeline.cli", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_while_the_command_loads_exits_130_not_by_the_signal(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.txt").write_bytes(REPORT.read_bytes())
    proc = subprocess.run([sys.executable, "-c", _CTRL_C_WHILE_LOADING, str(tmp_path / "in"), str(tmp_path / "out")],
                          cwd=ROOT, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr  # was -2: the KeyboardInterrupt escaped main() and Python re-raised SIGINT
    assert "resume" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()  # stopped before any work


def test_workers_die_with_their_parent(tmp_path):
    script = ("import time, sys\n"
              "from pipeline.executors import Guards, _new_pool\n"
              "pool = _new_pool(2, Guards(max_memory_mb=0))\n"
              "[f.result() for f in [pool.submit(time.sleep, 0.5) for _ in range(2)]]\n"
              "print(' '.join(str(p) for p in pool._processes), flush=True)\n"
              "time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_bytes(REPORT.read_bytes())
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "own.docx").write_bytes((CORPUS / "enhe-2022.docx").read_bytes())
    (folder / "leak.txt").symlink_to(secret)
    (folder / "sub" / "door").symlink_to(outside, target_is_directory=True)
    (folder / "inside.docx").symlink_to(folder / "own.docx")  # a link within the folder is fine
    assert _extract(str(folder), "-o", str(tmp_path / "out"), "-j", "0", "-q").exit_code == 0
    rows = {Path(r["source"]).name: r for r in read_rows(tmp_path / "out" / "documents.csv")}
    assert set(rows) == {"own.docx", "inside.docx", "leak.txt", "door"}
    for name in ("leak.txt", "door"):
        assert rows[name]["status"] == "failed" and "symbolic link" in rows[name]["error"]
        assert rows[name]["sha256"] == ""  # nothing of the target was read
    followed = _extract(str(folder), "-o", str(tmp_path / "out2"), "-j", "0", "-q", "--follow-symlinks")
    assert followed.exit_code == 0
    rows = {r["source"].removeprefix(str(folder) + "/"): r for r in read_rows(tmp_path / "out2" / "documents.csv")}
    assert rows["leak.txt"]["status"] == "ok" and rows["sub/door/secret.txt"]["duplicate_of"].endswith("leak.txt")


def test_outputs_are_never_written_through_a_planted_link(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    for name in ("documents.csv.tmp", "table_cells.csv.tmp", "reports_wide.csv.tmp", "documents.parquet.tmp",
                 "datapackage.json.tmp", "audit.html.tmp"):
        (out / name).symlink_to(victim)
    assert _extract(str(REPORT), "-o", str(out), "-j", "1", "-q").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert read_rows(out / "documents.csv")[0]["status"] == "ok"
    assert (out / "reports_wide.csv").exists() and (out / "audit.html").exists()
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind


def test_max_bytes_refuses_a_large_file_before_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(REPORT.read_bytes() + b" " * 2_000_000)
    result = _extract(str(big), str(REPORT), "-o", str(tmp_path / "out"), "-j", "0", "-q", "--max-bytes", "1M")
    assert result.exit_code == 0, result.output
    rows = by_name(read_rows(tmp_path / "out" / "documents.csv"))
    assert rows["big.txt"]["status"] == "failed" and "raise --max-bytes" in rows["big.txt"]["error"]
    assert rows["enhe-2022.txt"]["status"] == "ok"


def test_hash_is_streamed_and_matches_the_bytes(tmp_path, monkeypatch):
    import hashlib

    from pipeline.discover import InputItem

    item = InputItem("r.pdf", str(CORPUS / "enhe-2022.pdf"))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("whole-file read in the main process"))
    data = open(CORPUS / "enhe-2022.pdf", "rb").read()  # noqa: SIM115 - the expected value
    assert item.digest() == (hashlib.sha256(data).hexdigest(), len(data))


def test_a_file_swapped_for_a_symlink_after_discovery_is_not_read(tmp_path):
    from pipeline.discover import discover

    folder = tmp_path / "in"
    folder.mkdir()
    report = folder / "report.txt"
    report.write_bytes(REPORT.read_bytes())
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the output", encoding="utf-8")
    (item,) = discover([str(folder)]).items
    report.unlink()
    report.symlink_to(secret)  # swapped between the walk and the read
    with pytest.raises(ValueError, match="symbolic link"):
        item.read_bytes()
    with pytest.raises(ValueError, match="symbolic link"):
        item.digest()
