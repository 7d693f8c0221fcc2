"""Auditors' corrections (OUT/corrections.csv) on a real report: the corrected value goes into
table_cells.csv with what was read and who corrected it, the checks run again on the corrected table,
the correction survives a resumed and a forced run, and one whose report or cell is gone is listed."""

from __future__ import annotations

import csv

from pipeline.corrections import CORRECTIONS_FILE, ORPHANS_FILE
from pipeline.run import RunOptions, run_batch
from tests.conftest import shared_file

TOTAL = ("t4_review_litigation", "cases", "review_total")


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_correction_sticks_through_resumed_and_forced_runs_and_the_identities_are_checked_again(tmp_path):
    # 洪泽 2023 prints 表四's 行政复议 总计 as 0 beside 维持 10 and 纠正 1: identity.t4_review_total fires
    inputs = [str(shared_file("real-001-hongze-2023.pdf"))]
    out = tmp_path / "out"
    run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    doc = _rows(out / "documents.csv")[0]
    rules = {f["rule"] for f in _rows(out / "flags.csv")}
    assert "identity.t4_review_total" in rules
    cell = next(c for c in _rows(out / "table_cells.csv") if (c["table"], c["row_key"], c["col_key"]) == TOTAL)
    assert (cell["value"], cell["original_value"], cell["corrected_by"]) == ("0", "", "")

    text = ("doc_id,sha256,table,row_key,col_key,value,note,reviewer,date\r\n"
            f"{doc['doc_id']},,{','.join(TOTAL)},11,总计漏填,张三,2024-03-01\r\n"
            f",{doc['sha256']},t4_review_litigation,cases,no_such_column,3,,张三,2024-03-01\r\n"
            "0123456789abcdef,,t2_active,rules,made,1,,李四,2024-03-02\r\n"
            f"{doc['doc_id']},,t2_active,rules,made,not a number,,,\r\n")
    (out / CORRECTIONS_FILE).write_bytes(text.encode("utf-8-sig"))
    before = (out / CORRECTIONS_FILE).read_bytes()
    for options in (RunOptions(jobs=0, progress=False), RunOptions(jobs=0, progress=False, force=True),
                    RunOptions(jobs=0, progress=False)):
        summary = run_batch(inputs, out, options)
        assert (out / CORRECTIONS_FILE).read_bytes() == before  # the auditor's file is never rewritten
        cell = next(c for c in _rows(out / "table_cells.csv") if (c["table"], c["row_key"], c["col_key"]) == TOTAL)
        assert (cell["value"], cell["original_value"], cell["corrected_by"], cell["raw"]) == (
            "11", "0", "张三 2024-03-01", "0")
        flags = _rows(out / "flags.csv")
        assert "identity.t4_review_total" not in {f["rule"] for f in flags}  # 11 = 10 + 1 now holds
        assert "identity.t4_post_review_suit_total" in {f["rule"] for f in flags}  # the other is still wrong
        orphans = {(o["col_key"], o["reason"]) for o in _rows(out / ORPHANS_FILE)}
        assert orphans == {("no_such_column", "cell not in this run's reading of the report"),
                           ("made", "report not in this run")}
        assert "1 applied" in summary.reviews and "2 without" in summary.reviews and "1 lines" in summary.reviews
        wide = _rows(out / "reports_wide.csv")[0]
        assert wide[".".join(TOTAL)] == "11"

    # the correction taken out: the reading's value and the flag come back (the checkpoint was never corrected)
    (out / CORRECTIONS_FILE).unlink()
    run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    cell = next(c for c in _rows(out / "table_cells.csv") if (c["table"], c["row_key"], c["col_key"]) == TOTAL)
    assert (cell["value"], cell["corrected_by"]) == ("0", "")
    assert "identity.t4_review_total" in {f["rule"] for f in _rows(out / "flags.csv")}
    assert not (out / ORPHANS_FILE).exists()
