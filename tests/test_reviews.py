"""Auditors' reviews (OUT/reviews.csv) carried through real runs, a resumed one and a forced one."""

from __future__ import annotations

import csv

import pandas as pd

from pipeline.loader import load
from pipeline.reviews import ORPHANS_FILE, REVIEWS_FILE
from pipeline.run import RunOptions, run_batch
from tests.conftest import shared_file


def _flags(out) -> list[dict[str, str]]:
    with open(out / "flags.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_reviews_round_trip_through_a_resumed_and_a_forced_run(tmp_path):
    inputs = [str(shared_file("seed-enhe-2022.txt")), str(shared_file("real-001-hongze-2023.pdf"))]
    out = tmp_path / "out"
    first = run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    flags = _flags(out)
    # 恩和镇: 行政处罚 11 vs 6 and 34800万剂次; 洪泽: two 表四 totals of 0 beside non-zero parts
    assert len(flags) == 4 and all(f["review_decision"] == "" == f["review_note"] for f in flags)
    assert first.reviews == "" and not (out / ORPHANS_FILE).exists()
    penalty = next(f for f in flags if "行政处罚" in f["message"])
    review_total = next(f for f in flags if f["rule"] == "identity.t4_review_total")
    # written as Excel saves it: BOM, CRLF, a note over two lines with a comma, extra columns, upper case
    text = ("flag_id,decision,note,reviewer,date\r\n"
            f"{penalty['flag_id']},Confirmed,\"表二漏填5件，已函告\r\n区司法局\",张三,2024-03-01\r\n"
            f"{review_total['flag_id']},explained,表四总计栏填写有误,李四,\r\n"
            "f-00000000deadbeef,dismissed,旧报告的问题,,\r\n"
            f"{review_total['flag_id']},maybe,not a decision,,\r\n")
    reviews = out / REVIEWS_FILE
    reviews.write_bytes(text.encode("utf-8-sig"))
    before = reviews.read_bytes()

    for options in (RunOptions(jobs=0, progress=False), RunOptions(jobs=0, progress=False, force=True)):
        summary = run_batch(inputs, out, options)
        assert reviews.read_bytes() == before  # never rewritten, also with --force
        again = {f["flag_id"]: f for f in _flags(out)}
        assert set(again) == {f["flag_id"] for f in flags}  # the same ids, resumed or processed anew
        assert (again[penalty["flag_id"]]["review_decision"], again[penalty["flag_id"]]["review_note"]) == (
            "confirmed", "表二漏填5件，已函告\r\n区司法局")
        assert again[review_total["flag_id"]]["review_decision"] == "explained"
        assert sum(1 for f in again.values() if f["review_decision"]) == 2
        with open(out / ORPHANS_FILE, encoding="utf-8-sig", newline="") as fh:
            orphans = list(csv.DictReader(fh))
        assert [(o["flag_id"], o["decision"]) for o in orphans] == [("f-00000000deadbeef", "dismissed")]
        assert "2 applied" in summary.reviews and "1 without a flag" in summary.reviews
        assert "1 lines" in summary.reviews  # the line with decision "maybe"
    assert summary.resumed == 0 and first.resumed == 0

    # the typed copies carry the review columns
    data = load(out)
    assert data.flags.set_index("flag_id").loc[penalty["flag_id"], "review_decision"] == "confirmed"
    parquet = pd.read_parquet(out / "flags.parquet")
    assert parquet.set_index("flag_id").loc[review_total["flag_id"], "review_note"] == "表四总计栏填写有误"

    # once the orphaned review is taken out, its listing goes
    reviews.write_text("\n".join(before.decode("utf-8-sig").splitlines()[:3]) + "\n", encoding="utf-8")
    run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    assert not (out / ORPHANS_FILE).exists()


def test_an_auditors_formula_like_note_reaches_flags_csv_as_text(tmp_path):
    out = tmp_path / "out"
    run_batch([str(shared_file("seed-enhe-2022.txt"))], out, RunOptions(jobs=0, progress=False))
    flag_id = _flags(out)[0]["flag_id"]
    note = '=HYPERLINK("http://x.invalid","看这里")'
    (out / REVIEWS_FILE).write_text(f'flag_id,decision,note\n{flag_id},dismissed,"{note.replace(chr(34), 2 * chr(34))}"\n',
                                    encoding="utf-8")
    run_batch([str(shared_file("seed-enhe-2022.txt"))], out, RunOptions(jobs=0, progress=False))
    written = {f["flag_id"]: f for f in _flags(out)}[flag_id]["review_note"]
    assert written == "'" + note  # Excel shows it as text, never runs it
    assert load(out).flags.set_index("flag_id").loc[flag_id, "review_note"] == note  # the typed copy is exact
