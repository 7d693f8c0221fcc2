"""pipeline.audit.data.named_rows: the rows a flag names, their keys read as the CSV's readers restore them."""

from __future__ import annotations

from pipeline.audit.data import named_rows
from pipeline.writers import CsvWriter
from schemas.records import CellRecord


def _cell(doc_id: str, row_key: str, raw: str) -> CellRecord:
    return CellRecord(doc_id=doc_id, table="t2_active", row_key=row_key, col_key="issued", value=1, raw=raw,
                      blank=False, row_label="规章", page=1)


def test_named_rows_finds_neutralised_keys_and_short_rows(tmp_path):
    path = tmp_path / "table_cells.csv"
    writer = CsvWriter(path, CellRecord)
    writer.write([_cell("a1", "rules", "1"), _cell("a1", "=cmd|x", "-@2"), _cell("'=b", "rules", "3"),
                  _cell("a2", "rules", "4")])
    writer.close()
    text = path.read_text(encoding="utf-8-sig")
    assert "'=cmd|x" in text and "''=b" in text  # neutralised in the file
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write("a3,t2_active,rules\r\n")  # a short row: col_key reads as ''
    wanted = {("a1", "t2_active.=cmd|x.issued"), ("'=b", "t2_active.rules.issued"), ("a3", "t2_active.rules."),
              ("a2", "t2_active.other.issued")}
    found = list(named_rows(path, wanted, ("table", "row_key", "col_key")))
    assert [(r["doc_id"], r["row_key"], r["raw"]) for r in found] == [("a1", "=cmd|x", "-@2"), ("'=b", "rules", "3"),
                                                                      ("a3", "rules", "")]
    assert found[2]["col_key"] == "" and len(found[2]) == len(found[0])
    assert list(named_rows(path, {("a1", "figure:t2_active.rules.issued")}, ("table", "row_key", "col_key"))) == []
