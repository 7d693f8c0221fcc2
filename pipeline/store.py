"""The run's checkpoint: one JSON file per processed document under OUT/.nianbao/results.

Each result is written to a temporary file and renamed, so a run killed at any moment leaves only
whole results; a re-run skips every document whose bytes (sha256) and pipeline version match.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from schemas.records import CellRecord, DocumentRecord, DocumentResult, FigureRecord, FlagRecord

STATE_DIR = ".nianbao"


class ResultStore:
    """Per-document results on disk, keyed by the file's sha256."""

    def __init__(self, out: Path, version: str) -> None:
        self.root = out / STATE_DIR / "results"
        self.version = version
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def empty(self) -> bool:
        """True when no result was ever stored here (a first run: every input is to be read)."""
        return not any(folder.is_dir() and any(folder.iterdir()) for folder in self.root.iterdir())

    def has(self, sha256: str) -> bool:
        """True when a result for these bytes exists, reads whole, and was made by this pipeline version
        (parsed in full: a checkpoint damaged anywhere is made again rather than failing the run later)."""
        path = self._path(sha256)
        if not path.exists():
            return False
        try:
            with open(path, encoding="utf-8") as fh:
                return json.load(fh).get("version") == self.version
        except (OSError, ValueError, AttributeError):
            return False

    def put(self, result: DocumentResult) -> None:
        path = self._path(result.document.sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": self.version, "result": _as_data(result)}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(payload, ensure_ascii=False))  # dumps runs the C encoder; dump does not
        os.replace(tmp, path)

    def get(self, sha256: str) -> DocumentResult:
        with open(self._path(sha256), encoding="utf-8") as fh:
            return result_from_dict(json.load(fh)["result"])


def result_to_dict(result: DocumentResult) -> dict:
    """A result as plain data. Records are flat, so a shallow copy of each is enough (asdict recurses)."""
    return {
        "document": dict(vars(result.document)),
        "cells": [dict(vars(c)) for c in result.cells],
        "figures": [dict(vars(f)) for f in result.figures],
        "flags": [dict(vars(f)) for f in result.flags],
    }


def _as_data(result: DocumentResult) -> dict:
    """result_to_dict for json.dumps, which only reads it: each record's own __dict__, not a copy."""
    return {"document": vars(result.document), "cells": [vars(c) for c in result.cells],
            "figures": [vars(f) for f in result.figures], "flags": [vars(f) for f in result.flags]}


def result_from_dict(data: dict) -> DocumentResult:
    return DocumentResult(
        document=DocumentRecord(**data["document"]),
        cells=[CellRecord(**c) for c in data.get("cells", [])],
        figures=[FigureRecord(**f) for f in data.get("figures", [])],
        flags=[FlagRecord(**f) for f in data.get("flags", [])],
    )
