"""One report however many files, one issuer across years: report_id, issuer_key, the panel."""

from __future__ import annotations

import json

import pytest

from pipeline.issuers import issuer_key, report_id
from pipeline.regions import find_region
from schemas.panel import MEASURES
from schemas.template import Form
from tests.conftest import ROOT, SHARED_TRUTH


def _key(name: str) -> str:
    return issuer_key(name, find_region(name))


def test_issuer_key_joins_name_forms_and_keeps_bodies_apart():
    zone = _key("平潭综合实验区管委会")
    assert zone == "350128:平潭综合实验区管委会"  # the zone administers 平潭县: its code, the zone's own name
    assert _key("福建省平潭综合实验区管理委员会") == zone and _key("平潭综合实验区管委会办公室") == zone
    assert _key("平潭县人民政府") == "350128:人民政府" != zone
    assert _key("淮安市洪泽区人民政府") == _key("洪泽区人民政府") == "320813:人民政府"
    assert _key("淮安市人民政府办公室") == _key("淮安市政府") == "320800:人民政府"
    assert _key("鼓楼区人民政府") == ""  # several 鼓楼区: no key rather than one key for several bodies
    assert _key("教育局") == ""
    assert find_region("昆山开发区管委会").code == ""  # a 开发区 named after its city does not administer it
    assert "administers" in find_region("平潭综合实验区管委会").evidence


def test_report_id_is_issuer_and_year_never_a_guess():
    key = "350128:平潭综合实验区管委会"
    title = "平潭综合实验区2019年度政府信息公开工作年度报告"
    assert report_id(key, 2019, title, "a") == report_id(key, 2019, title.replace("年度", "年"), "b")
    assert report_id(key, 2019, title, "a") != report_id(key, 2021, title, "a")
    assert report_id(key, 2019, title, "a") != report_id(key, 2019, "平潭综合实验区2019年政务公开工作年度报告", "a")
    assert report_id("", 2019, title, "a") != report_id("", 2019, title, "b")  # no key: a report of its own


@pytest.fixture
def shared_out(tmp_path_factory, shared_inputs):
    from pipeline.run import RunOptions, run_batch

    out = tmp_path_factory.mktemp("shared")
    run_batch([str(shared_inputs)], out, RunOptions(jobs=0, progress=False))
    import nianbao

    return nianbao.load(out)


def test_shared_corpus_reports_issuers_and_panel(shared_out):
    docs = shared_out.documents.set_index(shared_out.documents["source"].str.rsplit("/", n=1).str[-1])
    assert docs.loc[[f"seed-enhe-2022.{f}" for f in ("txt", "docx", "pdf")], "report_id"].nunique() == 1
    for stem in ("real-004-pingtan-2019", "real-006-pingtan-2021"):
        assert docs.loc[[f"{stem}.html", f"{stem}.txt"], "report_id"].nunique() == 1
    assert len(docs) == 12 and docs["report_id"].nunique() == 8 and len(shared_out.wide) == 8
    zone = docs.loc[[f"real-{s}.txt" for s in ("016-pingtan-2013", "011-pingtan-2018", "004-pingtan-2019",
                                                "006-pingtan-2021")]]
    assert set(zone["issuer_key"]) == {"350128:平潭综合实验区管委会"} and set(zone["region_code"]) == {"350128"}
    assert docs.loc["real-020-pingtan-county-2012.txt", "issuer_key"] == "350128:人民政府"
    panel = shared_out.panel
    assert not panel.duplicated(["issuer_key", "year"]).any() and len(panel) == 8
    # every harmonized measure equals the truth of its form
    compared = 0
    for path in sorted(SHARED_TRUTH.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        row = panel[(panel["year"] == truth["year"]) & (panel["issuer"] == truth["issuer"])]
        assert len(row) == 1, path.name
        form = Form(truth["template"][:4] if truth["template"].startswith("2") else truth["template"])
        for measure in MEASURES:
            got = row.iloc[0][measure.name]
            got = None if got is None or str(got) == "<NA>" else got
            if measure.prose and form not in measure.sources:  # from the prose: checked below
                assert got is None or row.iloc[0][measure.source_column] == "prose"
                continue
            values = [truth["tables"].get(t, {}).get(r, {}).get(c) for t, r, c in
                      (ref.split(".") for ref in measure.sources.get(form, ()))]
            values = [v for v in values if v is not None]
            assert got == (sum(values) if values else None), (path.name, measure.name)
            compared += 1
    assert compared == 75
    # 主动公开 of the 2019+ reports, as their texts state it for the whole issuer (read by hand): 恩和镇
    # “2022年我镇主动公开政府信息数491条”, 平潭 2021 “全年主动公开我区各级单位政府信息2645条”; 平潭 2019 says
    # “共公布政府信息2599条” (other words), 洪泽 one channel (在政府网站平台…1136条), 淮安 5500余条 (approximate)
    stated = panel.set_index("issuer_key")[["proactive_items", "proactive_items_source"]]
    assert stated.loc["640521:恩和镇人民政府"].tolist() == [491, "prose"]
    new_zone = panel[(panel["issuer_key"] == "350128:平潭综合实验区管委会") & (panel["year"] >= 2019)]
    assert new_zone.set_index("year")["proactive_items"].astype("Float64").fillna(-1).to_dict() == {2019: -1, 2021: 2645}
    for issuer in ("320813:人民政府", "320800:人民政府"):  # 洪泽区, 淮安市
        assert str(stated.loc[issuer, "proactive_items"]) == "<NA>", issuer
    old = panel[panel["template"] == "old"]
    assert set(old["proactive_items_source"]) == {"table"}


def test_bundled_corpus_one_issuer_across_old_and_new_forms(tmp_path):
    from pipeline.run import RunOptions, run_batch

    series = sorted((ROOT / "corpus" / "variants").glob("legacy-series-20*.*"))
    inputs = [p for p in series if not p.name.endswith(".json")]
    inputs += [ROOT / "corpus" / "variants" / f"series-{y}.{f}" for y in (2019, 2021) for f in ("docx", "pdf")]
    summary = run_batch([str(p) for p in inputs], tmp_path, RunOptions(jobs=0, progress=False))
    assert summary.documents == 12 and summary.reports == 10  # 2019 and 2021 as DOCX and PDF
    import nianbao

    panel = nianbao.load(tmp_path).panel
    assert set(panel["issuer_key"]) == {"~:示范综合实验区管委会"}
    assert list(panel["year"]) == [*range(2011, 2020), 2021]
    truth = {y: json.loads((ROOT / "corpus" / "variants" / f"series-{y}.truth.json").read_text(encoding="utf-8"))
             for y in (2019, 2021)}
    for year, data in truth.items():
        assert panel.set_index("year").loc[year, "requests_new"] == data["tables"]["t3_requests"]["new_received"]["total"]
