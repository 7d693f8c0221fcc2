"""notebooks/tour.ipynb runs headless, on a prepared output and on a fresh run of the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "tour.ipynb"


def _execute(monkeypatch, out: Path):
    """Run every cell with NIANBAO_OUT=out; returns the executed notebook."""
    for module in ("nbclient", "nbformat", "ipykernel", "matplotlib"):
        pytest.importorskip(module)
    import nbclient
    import nbformat

    monkeypatch.setenv("NIANBAO_OUT", str(out))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook


def _outputs(notebook) -> list[dict]:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def test_tour_runs_on_a_prepared_output(monkeypatch, tmp_path):
    from pipeline.extras import write_extras
    from tests.test_extras import _write_output

    out = _write_output(tmp_path / "out")
    write_extras(out)
    notebook = _execute(monkeypatch, out)
    outputs = _outputs(notebook)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # outcomes per report, flags by rule, outcomes by level and year, flags by rule and level,
    # reports by province code, one issuer across years
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 6
    text = "\n".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in outputs)
    assert "identity.t4_review_total" in text and "淮安市洪泽区人民政府 2023" in text
    assert "320000" in text and "江苏省" in text  # the province code table


def test_tour_extracts_the_corpus_when_output_is_missing(monkeypatch, tmp_path):
    out = tmp_path / "fresh"
    notebook = _execute(monkeypatch, out)
    assert not [o for o in _outputs(notebook) if o.get("output_type") == "error"]
    assert (out / "documents.csv").exists() and (out / "reports_wide.csv").exists()
