"""Shared test fixtures: the project's own corpus and, where present, the shared real reports."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SHARED_INPUTS = SHARED / "corpus" / "inputs"
SHARED_TRUTH = SHARED / "corpus" / "truth"


@pytest.fixture
def shared_inputs() -> Path:
    """The real reports of ../shared/corpus/inputs; the test is skipped where they are absent."""
    if not SHARED_INPUTS.is_dir():
        pytest.skip("../shared/corpus is not present here")
    return SHARED_INPUTS


def shared_file(name: str) -> Path:
    """A file of ../shared/corpus/inputs, skipping the test where it is absent."""
    path = SHARED_INPUTS / name
    if not path.exists():
        pytest.skip(f"{path} is not present here")
    return path
