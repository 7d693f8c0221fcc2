"""Narrative figures on real report sentences: units, multipliers, traps, sections, breakdowns, recall."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from extractors.narrative.figures import extract_figures
from extractors.narrative.sections import find_headings
from extractors.readers.txt import read_txt
from schemas.document import Cell, Document, DocumentBuilder, Table
from schemas.records import FIGURE_CATEGORIES, FigureRecord

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_TXT = [ROOT / "corpus" / "enhe-2022.txt", SHARED / "seed" / "enhe-2022.txt"]


def doc_of(*paragraphs: str) -> Document:
    builder = DocumentBuilder("test.txt", "txt")
    builder.page(None)
    for text in paragraphs:
        builder.paragraph(text)
    return builder.build()


def figures(*paragraphs: str) -> list[FigureRecord]:
    return extract_figures(doc_of(*paragraphs), "d")


def pairs(found: list[FigureRecord]) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in found]


# ------------------------------------------------------------------ units, multipliers, approximations

def test_messages_and_money_with_multiplier() -> None:
    found = figures("今年共发送“村廉通”短信50188条，其中：公开收入短信154笔，公开金额2090余万元；"
                    "公开支出短信234笔，公开金额216余万元。")
    sms = found[0]
    assert (sms.value, sms.unit, sms.category, sms.approx) == (50188, "条", "messages", False)
    assert sms.subject == "村廉通短信"
    money = [f for f in found if f.unit == "元"]
    assert [(f.value, f.raw, f.approx, f.category) for f in money] == [
        (20_900_000, "2090余万元", True, "money"), (2_160_000, "216余万元", True, "money")]


def test_pdf_spacing_and_wan_yu() -> None:
    found = figures("全年完成辖区 12 岁以上群众四针疫苗接种 34800 万剂次，完成城乡居民核酸检测 50 万余人次，"
                    "及时将疫情防控信息在我镇公众号进行发布。")
    assert pairs(found) == [(348_000_000, "剂次"), (500_000, "人次")]  # the age 12岁 is no figure
    assert found[0].category == "doses" and found[0].raw == "34800 万剂次" and not found[0].approx
    assert found[1].category == "person_times" and found[1].approx


def test_households_area_money_and_generic_heads() -> None:
    found = figures("2022年度公示耕地地力补贴7571户，面积41908.39亩，补助金额3185037.64元。")
    assert [(f.value, f.unit, f.category) for f in found] == [
        (7571, "户", "households"), (41908.39, "亩", "area"), (3185037.64, "元", "money")]
    assert found[0].subject == "耕地地力补贴"
    assert found[1].subject == "耕地地力补贴面积"  # '面积' alone does not say of what


def test_people_person_times_cases() -> None:
    found = figures("2022年共开展“两禁”巡查360余次、安全生产检查220余次，劝导教育轻微行政违法人员340余人，"
                    "下达整改通知书28份，进行行政处罚11件，处罚11人次，共处罚金5020元，办理检察建议转办件3件")
    assert pairs(found) == [(360, "次"), (220, "次"), (340, "人"), (28, "份"), (11, "件"), (11, "人次"),
                            (5020, "元"), (3, "件")]
    by_raw = {f.raw: f for f in found}
    assert by_raw["360余次"].approx and by_raw["360余次"].category == "times"
    assert by_raw["28份"].subject == "整改通知书" and by_raw["28份"].category == "cases"
    assert by_raw["11件"].subject == "行政处罚"
    assert by_raw["11人次"].category == "person_times"


def test_approx_prefixes_and_suffixes() -> None:
    found = figures("截至目前，我区共收集网络信息近1000条，处置网络舆情70多件，受到区管委会领导的肯定。")
    assert [(f.value, f.unit, f.approx) for f in found] == [(1000, "条", True), (70, "件", True)]
    assert found[0].raw == "近1000条"


def test_number_before_its_noun() -> None:
    found = figures("截至目前共收到15564件咨询投诉件，已办结15042件。")
    assert pairs(found) == [(15564, "件"), (15042, "件")]
    assert found[0].subject == "咨询投诉件"


def test_chinese_numerals_count_but_idioms_do_not() -> None:
    found = figures("并对2022年以来政府信息网站和政务新媒体内容进行了三次全面排查整改。")
    assert pairs(found) == [(3, "次")]
    found = figures("每周全体领导干部要下村三次开展工作，到村宣讲党的二十大、自治区第十三次党代会精神及各项政策。")
    assert pairs(found) == [(3, "次")]  # not 二十大, not 第十三次
    found = figures("公示实际种粮农民一次性补贴补助共7594户，补助面积41847.86亩，共计公示3次，补助金额823147.4元。")
    assert pairs(found) == [(7594, "户"), (41847.86, "亩"), (3, "次"), (823147.4, "元")]  # no '一次'性


def test_percent_and_zero_money() -> None:
    found = figures("截至目前，全市在运维政务新媒体共计95个，在省办2024年四个季度政务新媒体检查抽查中，合格率均为100%。")
    assert [(f.value, f.unit, f.category) for f in found] == [(95, "个", "other"), (100, "%", "percent")]
    found = figures("2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。")
    assert [(f.value, f.unit, f.category) for f in found] == [(0, "元", "money")]


def test_fullwidth_digits() -> None:
    found = figures("下达整改通知书２８份，进行行政处罚１１件。")
    assert pairs(found) == [(28, "份"), (11, "件")]
    assert found[0].raw == "２８份"


def test_wan_without_unit_word() -> None:
    # 上海市人民政府办公厅 2019: a count in 万 with no unit after it; unit '' and category other (plays and
    # followers are neither people nor times); 超/突破 mean 'more than', so the value is approximate
    found = figures("运用抖音号报道进博会，41条短视频播放量超2300万，在抖音相关话题所有播放量中占比26%。",
                    "“上海发布”微信公众号用户已突破550万，月影响力稳居全国各省区市政务微信总榜第一。",
                    "微博粉丝突破770万。")
    bare = [f for f in found if f.unit == ""]
    assert [(f.value, f.approx, f.category, f.raw) for f in bare] == [
        (23_000_000, True, "other", "超2300万"), (5_500_000, True, "other", "突破550万"),
        (7_700_000, True, "other", "突破770万")]
    assert [f.subject for f in bare] == ["短视频播放量", "微信公众号用户", "微博粉丝"]
    assert next(f for f in found if f.unit == "条").subject == "短视频"  # 41条 counts videos, not plays


def test_wan_without_unit_needs_a_counting_context() -> None:
    # constructed: a bare 万 outside a count (量/数/用户/粉丝/突破/达 …) or before another word is no figure
    assert figures("项目投入资金300万，覆盖人口3万，辐射12万平方公里。") == []
    assert pairs(figures("网站总访问量达1.2亿。")) == [(120_000_000, "")]


# ------------------------------------------------------------------ not figures

@pytest.mark.parametrize("text", [
    # dates, statistical period, document number, URL, postcode, phone, fax, e-mail
    "根据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室关于印发<中华人民共和国政府信息"
    "公开工作年度报告格式>的通知》（国办公开办函〔2021〕30号）要求，现发布《中宁县恩和镇人民政府2022年政府信息公开工作年度报告》，"
    "本报告统计数据从2022年1月1日至2022年12月31日，电子版可在中宁县人民政府门户网站（<http://www.znzf.gov.cn>）查阅或下载。",
    "如有疑问或意见建议，请直接与中宁县恩和镇人民政府办公室联系（地址：中宁县恩和镇恩和街；邮编：755100；"
    "电话：0955-5710003；传真：0955-5710003；电子邮箱：znxehz@163.com）。",
    "2022年，恩和镇严格按照《中宁县2022年政务公开工作要点》（中宁政办发〔2022〕59号）要求，积极行动、紧密部署。",
    # regulation number, street number
    "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）（以下简称《条例》）要求编制此报告。",
    "如对本报告有疑问，请与淮安市洪泽区人民政府办公室联系（地址：淮安市洪泽区洪泽湖大道90号，邮编：223100，电话：0517-87222589）。",
    # floor, full-width @, protocol version, hotline name, date, document number
    "联系地址：平潭综合实验区北厝镇金井湾片区管委会大楼主楼14层；邮 编：350400；电 话：0591-23165255；电子邮箱：pzxxgkb＠163.com。",
    "（2）推进政府网站部署互联网协议第六版（IPv6）。目前互联网络尚未全面支持IPv6，根据省里工作要求组织实施。",
    "自12345便民服务平台正式上线以来，所有事项都能有相对应的职能部门办理，区效能办定期对诉求件办理情况进行督查。",
    "7月13日，我区组织人员进行检查，对排查的问题进行整改。",
    "及时下发《平潭综合实验区管委会办公室关于印发2018年政务公开工作主要任务分解表的通知》（岚综管办便函〔2018〕75号）。",
    # a school year inside a title, a law article, list ordinals, '第十八届'
    "先后下发《平潭综合实验区2019-2020学年全日制小学校历和教学计划》等规章制度。",
    "第二十条第（一）项",
    "一是加强基层政务公开组织保障。（1）加强政策解读信息公开。2.把握工作重点",
    "恩和镇第十八届人民代表大会第一次会议确定办理人大建议",
    # a template table flattened into prose (portal text)
    "二、主动公开政府信息情况 第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000"
    "规范性文件898989第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购13575394432.52元",
    "六、政府信息公开情况统计表指标名称计量单位2018年度历年累计主动公开文件数条206912106其中：1.政府网站公开数条206912106",
])
def test_not_figures(text: str) -> None:
    assert figures(text) == []


def test_bare_number_is_not_a_figure() -> None:
    assert figures("群众等候时间由42分钟缩至19分钟，聚焦新中国成立 70 周年") == []


# ------------------------------------------------------------------ subjects

def test_subjects_of_request_outcomes() -> None:
    # 上海市人民政府办公厅 2019: the outcome phrase, not a fragment of it ('部分', '不予')
    found = figures("予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，"
                    "占32.9%；不予处理158件，占19.6%；其他处理0件。")
    assert [(f.raw, f.subject) for f in found if f.unit == "件"] == [
        ("258件", "予以公开及部分公开"), ("35件", "不予公开"), ("265件", "无法提供"), ("158件", "不予处理"),
        ("0件", "其他处理")]


def test_subjects_skip_linking_words_and_look_ahead() -> None:
    found = figures("第二届进博会期间，两条微信阅读量即达180万次，运用抖音号报道进博会。")
    assert next(f for f in found if f.value == 1_800_000).subject == "微信阅读量"  # not '量即'
    found = figures("每季度对本市处于正常运行状态的70家政府网站开展全面检查。")
    assert found[0].subject == "政府网站"  # '…的70家政府网站': the thing follows
    found = figures("统一受理平台接入53个部门2261项事项，涵盖行政审批、公共服务等。")
    assert found[1].subject == "事项"  # not '部门', the thing the count before it counts


def test_subjects_keep_class_names() -> None:
    # 平潭 2018/2019: a verbal noun is part of the name; a year before the phrase is not
    found = figures("应急管理类信息15条，社会公益事业建设类信息5条。",
                    "发放施工许可证76条，安全生产许可证121条。",
                    "（一）主动公开政府信息的数量2018年全区主动公开政府信息2069条。")
    assert [f.subject for f in found] == ["应急管理类信息", "社会公益事业建设类信息", "施工许可证", "安全生产许可证",
                                          "全区主动公开政府信息"]


# ------------------------------------------------------------------ breakdowns

def test_breakdown_parts_point_to_total() -> None:
    found = figures("2022年我镇主动公开政府信息数491条，其中政府网站5条，政务服务网117条，杞乡清风智慧监督执纪大数据平台19条，"
                    "微信公众号201条。通过公示栏发布项目建设信息20次、乡村振兴信息10次。")
    total = found[0]
    assert (total.value, total.part_of) == (491, "")
    parts = [f for f in found if f.part_of == total.figure_id]
    assert [f.value for f in parts] == [5, 117, 19, 201]
    assert [f.subject for f in parts][:2] == ["政府网站", "政务服务网"]
    assert all(f.part_of == "" for f in found if f.unit == "次")


def test_breakdown_catch_all() -> None:
    found = figures("今年，我区政府信息公开单位共公布政府信息2599条，(其中机构职能类信息25条，政策、规范性文件类信息68条，"
                    "科教文体卫生类信息48条，安全生产、应急管理类信息124条，其他应主动公开政府信息856条)对于主动公开的政府信息，"
                    "主要通过政府门户网站发布公开。")
    total = found[0]
    assert total.value == 2599
    parts = [f for f in found if f.part_of == total.figure_id]
    assert [f.value for f in parts] == [25, 68, 48, 124, 856]
    assert [f.is_catch_all for f in parts] == [False, False, False, False, True]
    assert parts[-1].subject.startswith("其他")


def test_two_breakdowns_in_one_sentence() -> None:
    found = figures("政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
                    "政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件，其他结果9件，尚未审结7件。")
    ids = {f.value: f.figure_id for f in found}
    review, suit = ids[351], ids[46]
    assert [f.value for f in found if f.part_of == review] == [72, 64, 178, 37]
    assert [f.value for f in found if f.part_of == suit] == [25, 5, 9, 7]
    assert next(f for f in found if f.value == 46).part_of == ""
    assert [f.value for f in found if f.is_catch_all] == [178, 9]


def test_breakdown_after_full_stop() -> None:
    found = figures("我区各部门共开设新媒体数量70个。其中微博29个，共发布信息1992条；微信公众号41个，共发布信息3404条。")
    total = found[0].figure_id
    assert [f.value for f in found if f.part_of == total] == [29, 41]


def test_semicolon_opens_a_new_total() -> None:
    # constructed from the 淮安 2024 sentence without the second 其中: the ；-clause adds up to its own total
    found = figures("政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
                    "政府信息公开行政诉讼46件，结果维持25件，结果纠正5件，其他结果9件，尚未审结7件。")
    ids = {f.value: f.figure_id for f in found}
    assert next(f for f in found if f.value == 46).part_of == ""
    assert [f.value for f in found if f.part_of == ids[351]] == [72, 64, 178, 37]
    assert [f.value for f in found if f.part_of == ids[46]] == [25, 5, 9, 7]
    assert next(f for f in found if f.value == 37).subject == "尚未审结"


def test_nested_bracket_parts() -> None:
    # 平潭 2019: the bracketed 32 and 165 are parts of 197, which is a part of 380
    found = figures("今年共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条、部门预决算公开165条）、"
                    "“三公”经费27条、债券发行4条。")
    ids = {f.value: f.figure_id for f in found}
    assert [f.value for f in found if f.part_of == ids[380]] == [152, 197, 27, 4]
    assert [f.value for f in found if f.part_of == ids[197]] == [32, 165]
    assert [f.subject for f in found if f.part_of == ids[380]] == ["专项资金", "预决算", "三公经费", "债券发行"]


def test_breakdown_completed_in_next_sentence() -> None:
    # 平潭 2018: '其中' opens the list, the next sentence gives the rest (1592 + 477 = 2069)
    found = figures("2018年全区主动公开政府信息2069条。其中，区管委会及区直各部门主动公开政府信息1592条，占76.9%。"
                    "各乡镇主动公开政府信息477条，占23.1%，政府信息公开量较大的部门是区行政审批局。")
    total = found[0]
    assert [f.value for f in found if f.part_of == total.figure_id] == [1592, 477]
    # a next sentence that does not make the total exactly stays apart
    found = figures("我区各部门共开设新媒体数量70个。其中微博29个。另有微信公众号20个。")
    assert [f.value for f in found if f.part_of == found[0].figure_id] == [29]


def test_breakdown_after_baokuo() -> None:
    # 桃江县松木塘镇 2022: '32条,包括…' lists the parts like 其中
    found = figures("2022年,主动公开政府信息32条,包括领导信息类1条、机构职能类2条、内设机构类1条、工作动态类6条、"
                    "规章制度类2条、规范性文件类2条、整体规划类1条、工作计划类1条、人事任命类1条、人才管理类1条、"
                    "财政预决算类3条、三公经费类1条、处罚强制类9条、2021年信息公开年报1条。")
    total = found[0]
    parts = [f for f in found if f.part_of == total.figure_id]
    assert total.value == 32 and len(parts) == 14 and sum(f.value for f in parts) == 32


# ------------------------------------------------------------------ sections, provenance, tables

def test_sections_inline_headings() -> None:
    text = ("如对本报告有任何疑问，请与平潭综合实验区政府信息公开工作领导小组办公室联系。一、总体情况2019年，在省政府办公厅、"
            "省公开办等部门的关心和指导下，我区共公布政府信息2599条。二、主动公开政府信息情况 第二十条第（一）项信息内容"
            "采购项目数量采购总金额政府集中采购13575394432.52元三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为）"
            "五、存在的主要问题及改进情况2019年，我区政府信息公开工作取得了明显进展。六、其他需要报告的事项 无其他需要报告的事项")
    assert [h.numeral for h in find_headings(text)] == ["一", "二", "三", "五", "六"]
    found = figures(text)
    assert [(f.value, f.section) for f in found] == [(2599, "一")]


def test_provenance_and_ids() -> None:
    doc = doc_of("中宁县恩和镇人民政府 2022年政府信息公开工作年度报告", "一、总体情况",
                 "在民生信息公开方面：2022年公开新增低保76人，高龄老人津贴60人。",
                 "六、其他需要报告的情况。", "2022年度我镇微信公众号累计发布原创信息39条。")
    found = extract_figures(doc, "abc")
    assert [f.figure_id for f in found] == ["abc-f0001", "abc-f0002", "abc-f0003"]
    assert [f.section for f in found] == ["一", "一", "六"]
    for f in found:
        assert doc.text[f.start:f.end] == f.raw
        assert f.category in FIGURE_CATEGORIES and f.doc_id == "abc"
    assert found[0].sentence == "在民生信息公开方面：2022年公开新增低保76人，高龄老人津贴60人。"


def test_prose_in_a_table_cell() -> None:
    builder = DocumentBuilder("frame.docx", "docx")
    builder.page(None)
    builder.paragraph("一、总体情况")
    builder.table(Table(cells=[Cell(0, 0, "2023年，我区在政府网站平台主动公开政府信息1136条。2023年全区受理政府信息公开申请21件，"
                                          "均在法定期限答复。")]))
    builder.paragraph("六、其他需要报告的事项")
    found = extract_figures(builder.build(), "t")
    assert [(f.value, f.unit, f.section) for f in found] == [(1136, "条", "一"), (21, "件", "一")]
    assert found[1].category == "cases"


# ------------------------------------------------------------------ whole reports against verified truth

def _score(figs: list[FigureRecord], truth: dict) -> tuple[float, list[float]]:
    def same(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    keys = truth.get("key_figures") or []
    hit = sum(any(same(f.value, k["value"]) and f.unit == k["unit"] for f in figs) for k in keys)
    key_values = [k["value"] for k in keys]
    wrong = [b["value"] for b in truth.get("not_figures") or []
             if not any(same(b["value"], v) for v in key_values) and any(same(f.value, b["value"]) for f in figs)]
    return (hit / len(keys) if keys else 1.0), wrong


def test_seed_recall() -> None:
    seed = next((p for p in SEED_TXT if p.exists()), None)
    expected = SHARED / "seed" / "enhe-2022.expected.json"
    if seed is None or not expected.exists():
        pytest.skip("the seed report is not present here")
    figs = extract_figures(read_txt(seed.read_bytes(), str(seed)), "enhe")
    recall, wrong = _score(figs, json.loads(expected.read_text(encoding="utf-8")))
    assert recall >= 0.95
    assert wrong == []


@pytest.mark.parametrize(("name", "max_wrong"), [
    ("real-004-pingtan-2019", 0),
    # 行政许可类信息13条 is a real figure whose value the truth also lists as a date (7月13日)
    ("real-011-pingtan-2018", 1),
])
def test_real_txt_recall(name: str, max_wrong: int) -> None:
    path = SHARED / "corpus" / "inputs" / f"{name}.txt"
    truth = SHARED / "corpus" / "truth" / f"{name}.json"
    if not path.exists() or not truth.exists():
        pytest.skip(f"{path} is not present here")
    figs = extract_figures(read_txt(path.read_bytes(), str(path)), name)
    recall, wrong = _score(figs, json.loads(truth.read_text(encoding="utf-8")))
    assert recall >= 0.95
    assert len(wrong) <= max_wrong


def test_ranges_and_chinese_amounts() -> None:
    # constructed variants of report phrasing (no range appears in the corpus): a range keeps its upper bound
    found = figures("每期培训10-20人，全区发布信息两千余条。")
    assert [(f.value, f.unit, f.approx, f.raw) for f in found] == [(20, "人", True, "10-20人"),
                                                                  (2000, "条", True, "两千余条")]


# ------------------------------------------------------------------ the report's structure; parts across lists


@pytest.mark.parametrize("text", [
    "本报告共分6个部分，分别是总体情况、主动公开政府信息情况等。",
    "现将有关情况从以下3个方面报告如下。",
    "本年度报告包括5部分内容。",
])
def test_structural_numbers_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_small_counts_of_work_stay_figures() -> None:
    assert pairs(figures("推进3轮督促整改，开展培训2次，设置公开专栏5个部分。")) == [(3, "轮"), (2, "次"), (5, "个")]
    assert pairs(figures("组织三轮专项检查。")) == [(3, "轮")]


def test_a_part_heading_its_own_list_is_still_a_part() -> None:
    # the 2 closes the first list and heads the next one: 1744+393+21+2 = 2160 is what the prose says
    found = figures("网站全年累计发布信息2139条，其中工作动态1744条，通知公告393条，人事信息21条，政策解读2条，"
                    "其中图文解读1条。")
    ids = {f.value: f.figure_id for f in found}
    assert [f.value for f in found if f.part_of == ids[2139]] == [1744, 393, 21, 2]
    assert [f.value for f in found if f.part_of == ids[2]] == [1]
    # the figure before the next 其中 heads another list when the parts make the total without it
    found = figures("全年共收到申请30件，其中自然人20件，法人10件，办结28件，其中予以公开20件。")
    ids = {f.value: f.figure_id for f in found}
    assert [f.value for f in found if f.part_of == ids[30]] == [20, 10]


def test_a_parallel_part_in_the_next_sentence_completes_the_list_even_when_it_overshoots() -> None:
    found = figures("2013年主动公开政府信息1913条。其中，县直各单位主动公开政府信息1397条，占73%。"
                    "各乡镇主动公开政府信息534条，占27%。")
    assert [f.value for f in found if f.part_of == found[0].figure_id] == [1397, 534]


def test_char_index_answers_as_find_and_rfind():
    """The figure scanner's character index (O(log n) per question, so a report on one line scans in linear
    time) gives what str.rfind/str.find over each character of the set give, at every offset."""
    from extractors.narrative.figures import _DELIMS, _CharIndex

    text = "共受理申请12件，其中：予以公开8件；不予公开4件。\n办结12件（复议1件）" + "无分隔的一行文字" * 3
    index = _CharIndex(text, _DELIMS)
    for offset in range(len(text) + 1):
        assert index.last_before(offset) == max(text.rfind(c, 0, offset) for c in _DELIMS)
        assert index.first_from(offset) == min((i for i in (text.find(c, offset) for c in _DELIMS) if i >= 0),
                                               default=len(text))


def test_char_index_counts_as_str_count():
    """The bracket counts that tell a number inside a title 《…》 (from the character index, so a line with no
    break is not sliced and counted per figure) are what str.count over the span gives."""
    from extractors.narrative.figures import _CharIndex

    text = "印发《关于〔2022〕3号的通知》共5件。《未完的标题 7条\n" * 3
    for chars in ("《", "》", "〔", "〕"):
        index = _CharIndex(text, chars)
        for start in range(0, len(text), 5):
            for end in range(start, len(text) + 1, 3):
                assert index.count(start, end) == text[start:end].count(chars)


def test_a_text_with_no_sentence_end_reads_every_copy_alike():
    """The seed's paragraph on one line with its 。 printed as '.' (one sentence, one breakdown scope): each
    copy of it gives the same figures, subjects and categories, a number inside a title is no figure in any
    copy, and every figure carries the whole sentence."""
    one = ("全年收到政府信息公开申请12件,其中予以公开8件,不予公开4件.印发《关于做好3项工作的通知》, "
           "通过政务微信公众号发布信息35条,更新政策文件21条. ")
    copies = 40
    found = figures(one * copies)
    per_copy = len(found) // copies
    assert per_copy * copies == len(found) and per_copy == 5
    first = [(f.value, f.unit, f.subject, f.category) for f in found[:per_copy]]
    assert [v for v, *_ in first] == [12, 8, 4, 35, 21]  # 3项 sits inside 《…》: no figure
    for k in range(copies):
        assert [(f.value, f.unit, f.subject, f.category) for f in found[k * per_copy:(k + 1) * per_copy]] == first
    assert {f.sentence for f in found} == {(one * copies).strip()}
