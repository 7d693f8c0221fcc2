"""The text reader: encodings, portal headers, tab- and pipe-separated tables."""

from __future__ import annotations

from extractors.normalize import simplify
from extractors.readers.txt import read_txt
from tests.conftest import CORPUS


def test_seed_tables_come_from_tab_separated_lines():
    doc = read_txt((CORPUS / "enhe-2022.txt").read_bytes(), "enhe-2022.txt")
    assert len(doc.tables) == 3
    rows = doc.tables[0].text_rows()
    assert rows[3] == ["行政规范性文件", "0", "0", "0"]


def test_gb18030_text_is_decoded():
    text = "中宁县恩和镇人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
    doc = read_txt(text.encode("gb18030"), "gbk.txt")
    assert doc.paragraphs[0].text.startswith("中宁县恩和镇人民政府")


def test_pipe_rows_and_markdown_tables_become_tables():
    # rows as a real 2019 上海市人民政府办公厅 report prints them, exported with | separators
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "| 一、本年新收政府信息公开申请数量 | 821 | 35 |  |  | 2 | 1 | 859 |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 二、上年结转政府信息公开申请数量 | 18 |  |  |  |  |  | 18 |\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    doc = read_txt(text.encode("utf-8"), "pipe.txt")
    assert len(doc.tables) == 1
    rows = doc.tables[0].text_rows()
    assert rows[0] == ["一、本年新收政府信息公开申请数量", "821", "35", "", "", "2", "1", "859"]
    assert rows[1][0] == "二、上年结转政府信息公开申请数量" and rows[1][-1] == "18"
    assert [p.text for p in doc.paragraphs] == ["三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def test_traditional_script_is_simplified_with_offsets_kept():
    text = "開平市農業農村局2020年政府信息公開工作年度報告\n一、總體情況\n本年度共收到政府信息公開申請3件。\n"
    doc = read_txt(text.encode("utf-8"), "trad.txt")
    assert simplify(doc)
    assert doc.paragraphs[0].text == "开平市农业农村局2020年政府信息公开工作年度报告"
    for para in doc.paragraphs:
        assert doc.text[para.start: para.end] == para.text
    assert not simplify(read_txt((CORPUS / "enhe-2022.txt").read_bytes(), "enhe-2022.txt"))


def test_grid_and_box_drawing_tables_become_tables():
    # text exports of HTML tables by console browsers and converters: +---+ borders, │ cells and ├─┼─┤ rules;
    # a lone —— or -- line is a cell (a blank marker printed one cell per line), not a border
    text = (
        "二、主动公开政府信息情况\n"
        "+----------+----+----+----+\n"
        "| 规章     | 1  | 0  | 8  |\n"
        "+----------+----+----+----+\n"
        "| 行政规范性文件 | 2 | 3 | 4 |\n"
        "+==========+====+====+====+\n"
        "┌────┬──┐\n"
        "│ 行政许可 │ 5 │\n"
        "├────┼──┤\n"
        "│ 行政处罚 │ — │\n"
        "└────┴──┘\n"
        "——\n"
        "--\n"
    )
    doc = read_txt(text.encode("utf-8"), "grid.txt")
    assert [t.text_rows() for t in doc.tables] == [
        [["规章", "1", "0", "8"], ["行政规范性文件", "2", "3", "4"]],
        [["行政许可", "5"], ["行政处罚", "—"]],
    ]
    assert [p.text for p in doc.paragraphs] == ["二、主动公开政府信息情况", "——", "--"]


def _wrapped(text: str, cols: int) -> str:
    """The text as a fixed-width export breaks it: a wide character takes two columns."""
    import unicodedata

    out = []
    for line in text.split("\n"):
        cur, width = "", 0
        for ch in line:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if width + w > cols:
                out.append(cur)
                cur, width = "", 0
            cur, width = cur + ch, width + w
        out.append(cur)
    return "\n".join(out)


def test_hard_wrapped_text_is_joined_again():
    para = "本年度共收到政府信息公开申请220000325件，" * 12
    doc = read_txt(_wrapped("标题行\n" + para + "\n第二段。", 64).encode(), "wrapped.txt")
    assert [p.text for p in doc.paragraphs] == ["标题行", para, "第二段。"]
    # the seed's lines have no common width: left as they are
    seed = (CORPUS / "enhe-2022.txt").read_bytes()
    assert [p.text for p in read_txt(seed, "s.txt").paragraphs][:3] == [
        line.strip() for line in seed.decode("utf-8").split("\n") if line.strip() and "\t" not in line][:3]


def test_unwrapping_leaves_table_lines_alone():
    para = "本年度共收到政府信息公开申请220000325件，" * 12
    rows = ["规章\t1\t0\t8\t" + "说明" * 13, "行政规范性文件\t2\t3\t4"]  # the first as wide as the wrap
    doc = read_txt((_wrapped(para, 64) + "\n" + "\n".join(rows)).encode(), "wrapped.txt")
    assert [p.text for p in doc.paragraphs] == [para]
    assert [r[:4] for r in doc.tables[0].text_rows()] == [["规章", "1", "0", "8"], ["行政规范性文件", "2", "3", "4"]]


def test_damaged_text_is_read_with_what_was_removed_counted():
    """NUL and control bytes (a damaged copy) are removed and counted; a few NULs in the head the
    format sniffer reads do not make the file binary; lone surrogates never reach OpenCC."""
    from extractors.readers import sanitize
    from extractors.readers.detect import detect_format
    from pipeline.process import process_bytes

    seed = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    data = seed[:100].encode() + b"\x00\x00" + seed[100:300].encode() + b"\x07\x1b" + seed[300:].encode()
    assert detect_format(data, "x.txt") == "txt"
    doc = read_txt(data, "x.txt")
    assert "\x00" not in doc.text and "\x07" not in doc.text
    assert "4 NUL or control character(s) removed from the text" in doc.warnings
    result = process_bytes(data, "x.txt")
    assert result.document.status == "ok" and len(result.cells) == 200
    assert detect_format(b"\x00" * 100 + seed.encode()[:3900], "x.txt") == "binary"  # NULs are no text

    doc = read_txt("中宁县恩和镇政府信息公开工作年度报告\n繁體字報告內容".encode(), "s.txt")
    doc.paragraphs[1].text = doc.paragraphs[1].text[:2] + "\ud800" + doc.paragraphs[1].text[3:]
    doc.text = "\n".join(p.text for p in doc.paragraphs)
    sanitize(doc)
    assert "\ud800" not in doc.text and "\ufffd" in doc.paragraphs[1].text
    assert len(doc.text) == len(doc.paragraphs[0].text) + 1 + len(doc.paragraphs[1].text)  # offsets kept
    simplify(doc)  # OpenCC accepts the text now


def test_a_report_on_one_line_is_read():
    """Paragraphs and table rows joined on one line (tabs kept): read as text, its tables as flat text."""
    from pipeline.process import process_bytes

    seed = (CORPUS / "enhe-2022.txt").read_text(encoding="utf-8")
    for joined in (seed.replace("\n", " "), seed.replace("\n", "")):
        result = process_bytes(joined.encode(), "one-line.txt")
        assert result.document.status == "ok", result.document.error
        assert len(result.cells) == 200


def test_a_gbk_page_guessed_as_a_western_codepage_is_read_as_gb18030():
    from extractors.readers.decode import decode_bytes

    text = "中宁县恩和镇人民政府2022年政府信息公开工作年度报告。本年度主动公开政府信息，规章0件。"
    decoded = decode_bytes(text.encode("gbk"), "utf-8")
    assert decoded.text == text, (decoded.encoding, decoded.text)
