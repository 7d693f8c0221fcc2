"""Legacy Word (.doc), WPS (.wps) and RTF reports: converted to DOCX by LibreOffice, then read as DOCX.

Each conversion runs with its own LibreOffice user profile in a temporary folder: two soffice
processes sharing a profile fail silently, and workers run in parallel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from extractors.errors import ReaderError
from schemas.document import Document

CONVERT_TIMEOUT = 180  # seconds
INSTALL_HINT = "apt-get install libreoffice-writer-nogui fonts-noto-cjk"


def soffice_path() -> str | None:
    """The LibreOffice binary, or None where it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """Convert legacy document bytes to DOCX bytes with LibreOffice headless."""
    binary = soffice_path()
    if binary is None:
        raise ReaderError(f"legacy {suffix} file needs LibreOffice to be read; install it: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{suffix}"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
        env = dict(os.environ, HOME=str(folder))
        try:
            completed = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReaderError(f"LibreOffice did not convert the {suffix} file within {CONVERT_TIMEOUT} s") from exc
        target = folder / "out" / "input.docx"
        if not target.exists():
            detail = " ".join(completed.stderr.decode("utf-8", "replace").split())[:200]
            raise ReaderError(f"LibreOffice could not convert this {suffix} file (corrupt?) {detail}".strip())
        return target.read_bytes()


def read_legacy(data: bytes, source: str) -> Document:
    """Read a .doc/.wps/.rtf report through a LibreOffice conversion to DOCX."""
    from extractors.readers.detect import detect_format
    from extractors.readers.docx import read_docx

    fmt = detect_format(data, source)
    suffix = fmt if fmt in ("doc", "wps", "rtf") else "doc"
    doc = read_docx(convert_to_docx(data, suffix), source)
    doc.format = fmt
    return doc
