"""Render the layouts that carry a report's title and issuer, as DOCX and PDF (LibreOffice), with truth.

Each layout is one way real reports print who published what for which year: a title block over two
or three lines, only the opening sentence naming the report, a generic title with the body named by the
signature, the title only as a running header, the year before the body's name. Re-run with
`python3 corpus/build_metadata_layouts.py [--no-pdf]` from the repo root: it writes
corpus/metadata/<name>.docx, <name>.pdf and <name>.truth.json (title, issuer, year, admin_level: the
generator's input, never the pipeline's output). A layout marked pdf_only has its text where the DOCX
reader does not look, so it has no DOCX truth (the running header is read from the DOCX's header part).
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_corpus import FIXED_TIME, _stable_zip, _style, read_seed, table2, table3, table4, to_pdf  # noqa: E402

OUT = Path(__file__).resolve().parent / "metadata"
SEED = Path(__file__).resolve().parent / "enhe-2022.txt"
BODY = ("2023年，本机关坚持以公开为常态、不公开为例外，及时更新政府网站栏目，加强政策解读与回应关切，"
        "规范依申请公开办理流程，按时答复申请人。")
SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


@dataclass(frozen=True)
class Layout:
    """One way of printing title and issuer: the lines before the body, the lines after it, a header."""

    name: str
    title: str
    issuer: str
    year: int
    admin_level: str
    head: tuple[str, ...]  # title lines (Title style), then the opening sentence (Normal)
    title_lines: int  # how many of HEAD are title lines
    tail: tuple[str, ...] = ()  # signature and date
    header: str = ""  # running header text on every page
    pdf_only: bool = False


LAYOUTS = (
    Layout("title-two-lines", "示范县人民政府2023年政府信息公开工作年度报告", "示范县人民政府", 2023, "county",
           ("示范县人民政府", "2023年政府信息公开工作年度报告",
            "本报告由示范县人民政府办公室根据《中华人民共和国政府信息公开条例》要求编制。"), 2),
    Layout("title-three-lines", "示范市人民政府办公室2023年政府信息公开工作年度报告", "示范市人民政府办公室", 2023,
           "prefecture", ("示范市人民政府办公室", "2023年政府信息公开", "工作年度报告",
                          "根据《中华人民共和国政府信息公开条例》规定，特编制本报告。"), 3),
    Layout("preamble-only", "县审计局2023年政府信息公开工作年度报告", "示范县审计局", 2023, "department",
           ("根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求，现公布县审计局2023年政府信息"
            "公开工作年度报告。本报告统计数据从2023年1月1日至2023年12月31日。",
            "2023年，示范县审计局坚持以公开为常态。"), 0),
    Layout("signature-only", "2023年政府信息公开工作年度报告", "示范县财政局", 2023, "department",
           ("2023年政府信息公开工作年度报告",), 1, tail=("示范县财政局", "2024年1月20日")),
    Layout("running-header", "示范市教育局2022年政府信息公开工作年度报告", "示范市教育局", 2022, "department",
           (), 0, header="示范市教育局2022年政府信息公开工作年度报告"),
    Layout("year-first", "2022年示范县民政局政府信息公开工作年度报告", "示范县民政局", 2022, "department",
           ("2022年示范县民政局政府信息公开工作年度报告",), 1),
    Layout("street-office", "示范区白云街道办事处2023年度政府信息公开工作年度报告", "示范区白云街道办事处", 2023,
           "township", ("示范区白云街道办事处", "2023年度政府信息公开工作年度报告",
                        "现将示范区白云街道办事处2023年度政府信息公开工作年度报告公布如下。"), 2),
)


def build_docx(layout: Layout) -> bytes:
    document = docx.Document()
    _style(document)
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.core_properties.title = ""  # the printed title must carry it, not the file's property
    if layout.header:
        document.sections[0].header.paragraphs[0].text = layout.header
    for i, line in enumerate(layout.head):
        document.add_paragraph(line, style="Title" if i < layout.title_lines else None)
    # the seed's three template tables (consistent, no 规章), so each layout is a whole report: the default
    # run over corpus/ reads it as ok, and only its title and issuer are what the layout is about
    tables = [block.rows for block in read_seed(SEED) if block.rows is not None]
    renderers = {1: table2, 2: table3, 3: table4}
    for j, heading in enumerate(SECTIONS):
        document.add_paragraph(heading, style="Heading 1")
        document.add_paragraph(BODY.replace("2023", str(layout.year)))
        if j in renderers:
            renderers[j](document, tables[j - 1])
        if j == 2:  # a second page, so a running header repeats
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in layout.tail:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def main(argv: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    for layout in LAYOUTS:
        path = OUT / f"{layout.name}.docx"
        path.write_bytes(build_docx(layout))
        truth = {"title": layout.title, "issuer": layout.issuer, "year": layout.year,
                 "admin_level": layout.admin_level, "pdf_only": layout.pdf_only}
        (OUT / f"{layout.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                      encoding="utf-8")
        if "--no-pdf" not in argv:
            to_pdf(path, path.with_suffix(".pdf"))
        print(f"wrote corpus/metadata/{layout.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
