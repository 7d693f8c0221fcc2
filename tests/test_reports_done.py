"""Issue 22's done-when, on the bundled corpus and the shared real reports run together as one batch:
one report however many files, one issuer across the years, one panel row per issuer and year."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, SHARED_INPUTS

ZONE = "350128:平潭综合实验区管委会"
ZONE_FILES = ("real-016-pingtan-2013.txt", "real-011-pingtan-2018.txt", "real-004-pingtan-2019.html",
              "real-004-pingtan-2019.txt", "real-006-pingtan-2021.html", "real-006-pingtan-2021.txt")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from pipeline.run import RunOptions, run_batch

    inputs = [str(CORPUS)] + ([str(SHARED_INPUTS)] if SHARED_INPUTS.is_dir() else [])
    out = tmp_path_factory.mktemp("done22")
    summary = run_batch(inputs, out, RunOptions(jobs=0, progress=False))
    import nianbao

    loaded = nianbao.load(out)
    docs = loaded.documents.copy()
    docs["name"] = docs["source"].map(lambda s: Path(s).name)
    print(f"\nissue 22 batch: {len(docs)} files, {docs['report_id'].nunique()} reports, "
          f"{docs['issuer_key'].dropna().nunique()} issuer_keys, {len(loaded.panel)} panel rows; {summary.line()}")
    return summary, docs, loaded


def test_seed_files_are_one_report(batch):
    summary, docs, loaded = batch
    seed = docs[docs["name"].str.contains("enhe-2022")]
    assert len(seed) == (6 if SHARED_INPUTS.is_dir() else 3)  # TXT, DOCX, PDF here and in the shared corpus
    assert seed["report_id"].nunique() == 1
    assert summary.reports == docs["report_id"].nunique() < summary.documents
    wide = loaded.wide
    assert len(wide) == summary.reports and (wide["report_id"] == seed["report_id"].iloc[0]).sum() == 1


def test_no_two_reports_merged(batch):
    _, docs, _ = batch
    for report_id, files in docs.groupby("report_id"):
        assert files["issuer_key"].nunique(dropna=False) == 1, report_id
        assert files["year"].nunique(dropna=False) == 1, report_id


def test_one_panel_row_per_issuer_year(batch):
    _, docs, loaded = batch
    panel = loaded.panel
    keyed = panel[panel["issuer_key"].notna()]
    assert not keyed.duplicated(["issuer_key", "year"]).any()
    issuer_years = {(k, int(y)) for k, y in zip(docs["issuer_key"], docs["year"], strict=True)
                    if isinstance(k, str) and k and str(y) != "<NA>"}
    assert issuer_years == {(k, int(y)) for k, y in zip(keyed["issuer_key"], keyed["year"], strict=True)}
    unkeyed = docs[docs["issuer_key"].isna()]["report_id"].nunique()
    assert len(panel) == len(issuer_years) + unkeyed


def test_zone_across_years_one_issuer_county_another(batch):
    if not SHARED_INPUTS.is_dir():
        pytest.skip("../shared/corpus is not present here")
    _, docs, loaded = batch
    by_name = docs.set_index("name")
    zone = by_name.loc[list(ZONE_FILES)]
    assert set(zone["issuer_key"]) == {ZONE} and set(zone["region_code"]) == {"350128"}
    assert sorted({int(y) for y in zone["year"]}) == [2013, 2018, 2019, 2021]
    county = by_name.loc["real-020-pingtan-county-2012.txt"]
    assert county["issuer_key"] == "350128:人民政府" != ZONE and county["region_code"] == "350128"
    rows = loaded.panel[loaded.panel["issuer_key"] == ZONE]
    assert list(rows["year"]) == [2013, 2018, 2019, 2021]
