"""Inputs: zip archives read in place (nested too), path tricks refused, list files."""

from __future__ import annotations

import io
import zipfile

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.discover import discover, read_list_file
from pipeline.run import RunOptions, run_batch
from tests.conftest import CORPUS
from tests.test_pipeline import read_rows


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_zip_members_are_read_in_place_with_their_inner_path(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("2022/enhe.docx", (CORPUS / "enhe-2022.docx").read_bytes())
    archive = tmp_path / "county.zip"
    _zip(archive, {"reports/enhe.txt": (CORPUS / "enhe-2022.txt").read_bytes(), "old/more.zip": inner.getvalue()})
    run_batch([str(archive)], tmp_path / "out", RunOptions(jobs=0, progress=False))
    rows = {r["source"]: r for r in read_rows(tmp_path / "out" / "documents.csv")}
    assert set(rows) == {f"{archive}!old/more.zip!2022/enhe.docx", f"{archive}!reports/enhe.txt"}
    assert all(r["status"] == "ok" and r["issuer"] == "中宁县恩和镇人民政府" for r in rows.values())
    assert not any(p.name.endswith((".txt", ".docx")) for p in tmp_path.iterdir())  # nothing extracted


def test_path_tricks_in_a_zip_become_failed_rows(tmp_path):
    archive = tmp_path / "tricky.zip"
    _zip(archive, {"../../etc/evil.txt": b"x", "/abs/evil.txt": b"x", "ok.txt": (CORPUS / "enhe-2022.txt").read_bytes()})
    found = discover([str(archive)])
    problems = {item.source.split("!", 1)[1]: item.problem for item in found.items}
    assert problems["ok.txt"] == ""
    assert "unsafe path" in problems["../../etc/evil.txt"] and "unsafe path" in problems["/abs/evil.txt"]
    run_batch([str(archive)], tmp_path / "out", RunOptions(jobs=0, progress=False))
    rows = {r["source"].split("!", 1)[1]: r for r in read_rows(tmp_path / "out" / "documents.csv")}
    assert rows["ok.txt"]["status"] == "ok"
    assert rows["../../etc/evil.txt"]["status"] == "failed" and "unsafe path" in rows["../../etc/evil.txt"]["error"]


def test_from_list_reads_the_named_inputs(tmp_path):
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# reports to read\n{CORPUS / 'enhe-2022.txt'}\n\n{CORPUS / 'enhe-2022.docx'}\n", encoding="utf-8")
    assert read_list_file(str(listing)) == [str(CORPUS / "enhe-2022.txt"), str(CORPUS / "enhe-2022.docx")]
    result = CliRunner().invoke(main, ["extract", "--from-list", str(listing), "-o", str(tmp_path / "out"), "-j", "0"])
    assert result.exit_code == 0, result.output
    assert len(read_rows(tmp_path / "out" / "documents.csv")) == 2
