"""`import nianbao`: extract() writes an output folder, load() reads it back typed."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import nianbao
from tests.conftest import CORPUS


def test_version_is_the_pipelines():
    from pipeline import __version__

    assert nianbao.__version__ == __version__


def test_extract_then_load(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(CORPUS / "enhe-2022.txt", source / "enhe-2022.txt")
    (source / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    summary = nianbao.extract(source, tmp_path / "out", jobs=0)
    assert (summary.documents, summary.ok, summary.failed) == (2, 1, 1)
    out = nianbao.load(tmp_path / "out")
    docs = out.documents.set_index("source")
    seed = docs.loc[str(source / "enhe-2022.txt")]
    assert (seed["issuer"], seed["year"], seed["admin_level"]) == ("中宁县恩和镇人民政府", 2022, "township")
    assert (seed["region_code"], seed["county"], seed["township"]) == ("640521", "中宁县", "恩和镇")
    assert out.documents["year"].dtype == pd.Int64Dtype()
    assert len(out.wide) == 2 and "region_code" in out.wide.columns
    # the seed's 表三 new requests (新收政府信息公开申请数量) are all 0, printed as 0, not blank
    wide = out.wide.set_index("source")
    assert wide.loc[str(source / "enhe-2022.txt"), "t3_requests.new_received.total"] == 0
    assert len(out.cells) > 100 and {"rule", "severity"} <= set(out.flags.columns)


def test_load_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="extract"):
        nianbao.load(tmp_path)
