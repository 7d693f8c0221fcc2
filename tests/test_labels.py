"""Label normalization and matching, with label strings printed in the real reports."""

from __future__ import annotations

import pytest

from extractors.tables.labels import (
    match_row,
    match_t2_col,
    match_t2_row,
    match_t3_col,
    match_t3_label,
    match_t4_col,
    normalize_label,
    split_numbering,
)


def test_normalize() -> None:
    assert normalize_label("予 以 公 开") == "予以公开"
    assert normalize_label("（一） 予以公开") == "(一)予以公开"
    assert normalize_label("1、申请人无正当理由逾期不补\n正") == "1.申请人无正当理由逾期不补正"
    assert normalize_label("3.危及“三安全一稳定”") == "3.危及三安全一稳定"
    assert split_numbering(normalize_label("三、（一）予以公开")) == (("三、", "(一)"), "予以公开")


@pytest.mark.parametrize("label, group, key", [
    ("一、本年新收政府信息公开申请数量", "", "new_received"),
    ("(一) 予以公开", "", "granted"),
    ("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）", "", "partially_granted"),  # real-001
    ("2.其他法律行政止公开", "denied", "denied_prohibited_by_law"),  # real-001 typo
    ("5.要求行政机关确认或重 新出具\n已获取信息", "rejected", "rejected_reconfirm"),
    ("1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信\n息公开申请", "other", "other_no_correction"),
    ("3、其他", "other", "other_misc"),  # real-003
    ("3.补正后申请内容仍不明确", "unable", "unable_unclear"),
    ("（七）总计", "", "handled_total"),
    ("合计", "", "handled_total"),
    ("四、结转下年度继续办理", "", "carried_forward"),
])
def test_t3_rows(label: str, group: str, key: str) -> None:
    assert match_row("t3_requests", label, group) == key


def test_t3_same_number_in_different_groups() -> None:
    assert match_row("t3_requests", "1.属于国家秘密", "denied") == "denied_state_secret"
    assert match_row("t3_requests", "3.要求提供公开出版物", "rejected") == "rejected_publication"
    assert match_row("t3_requests", "3.其他", "other") == "other_misc"
    assert match_row("t3_requests", "2.重复申请", "rejected") == "rejected_duplicate"


@pytest.mark.parametrize("label, group", [
    ("（三）不\n予公开", "denied"), ("（四）无", "unable"), ("（五）不\n予处理", "rejected"), ("（六）其\n他处理", "other"),
])
def test_t3_groups(label: str, group: str) -> None:
    m = match_t3_label(label)
    assert (m.kind, m.key) == ("group", group)


def test_single_other_row_and_unknown_labels() -> None:
    assert match_row("t3_requests", "（六）其他处理") == "other_total"
    assert match_t3_label("三\n、\n本\n年\n度\n办\n理\n结\n果").kind == "section"
    assert match_row("t3_requests", "（本列数据的勾稽关系为：第一项加第二项之和，等\n于第三项加第四项之和）") is None
    assert match_row("t3_requests", "本年度新增的地方特色事项") is None


@pytest.mark.parametrize("label, key", [
    ("商业\n企业", "commercial"), ("社会\n公益\n组织", "public_interest"), ("法律服务\n机构", "legal_services"),
    ("自然人", "natural_person"), ("其他", "other_org"), ("总 计", "total"), ("法人或其他组织小计", "org_subtotal"),
    ("法人或其他组织", None), ("申请人情况", None),
])
def test_t3_cols(label: str, key: str | None) -> None:
    assert match_t3_col(label) == key


def test_t2_labels() -> None:
    assert match_t2_row("规范性文件") == match_t2_row("行政规范性文件") == "normative_docs"
    assert match_t2_row("其他对外管理服务事项") == "other_external_services"
    assert match_t2_row("第二十条第（一）项") is None and match_t2_row("信息内容") is None
    assert match_t2_col("本年收费金额（单位：万元）") == "amount_10k_yuan"
    assert match_t2_col("本年增/减") == "change" and match_t2_col("采购总金额") == "amount_yuan"
    assert match_t2_col("处理决定数量") == match_t2_col("本年处理决定数量") == "decisions"


def test_t4_columns() -> None:
    assert match_t4_col(["行政复议", "结果\n维持"]) == "review_upheld"
    assert match_t4_col(["行政诉讼", "未经复议直接起诉", "尚未审\n结"]) == "suit_pending"
    assert match_t4_col(["行政诉讼", "复议后起诉", "总 计"]) == "post_review_suit_total"
    assert match_t4_col(["行政诉讼", "其他结果"]) is None
