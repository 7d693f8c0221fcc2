"""Find the documents to process: files, folders (recursive), zip archives read in place, list files.

Each input becomes an InputItem that names where its bytes are without holding them, so discovery
stays cheap on a whole archive and an item can travel to another process or machine.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# zip safety: members are read in memory, never extracted, but a bomb must not exhaust memory
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ARCHIVE_DEPTH = 2
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
# in a folder walk, files that are plainly not reports (code, data, notes) are passed over;
# a file named on the command line is always read, whatever its name
_SKIP_SUFFIXES = {".py", ".pyc", ".ipynb", ".json", ".csv", ".tsv", ".parquet", ".yaml", ".yml", ".toml",
                  ".ini", ".cfg", ".log", ".js", ".css", ".sh", ".lock"}
_SKIP_STEMS = ("readme", "license", "licence", "changelog", "contributing")


def is_passed_over(path: Path) -> bool:
    """Files a folder walk leaves alone: hidden ones, code, data and a folder's README/LICENSE notes."""
    name = path.name
    return (name.startswith(".") or name in _SKIP_NAMES or path.suffix.lower() in _SKIP_SUFFIXES
            or name.lower().startswith(_SKIP_STEMS))


@dataclass(frozen=True)
class InputItem:
    """One input document: a file on disk, or a member inside a zip archive on disk."""

    source: str  # as the user gave it; `archive.zip!inner/x.pdf` for members
    path: str  # the file on disk (the archive, for members)
    members: tuple[str, ...] = ()  # member path(s), nested archives outermost first
    problem: str = ""  # set when the item is known bad before reading (unsafe member, bomb)

    def read_bytes(self) -> bytes:
        """The document's bytes; raises ValueError with a clear reason for an unsafe member."""
        if self.problem:
            raise ValueError(self.problem)
        if not self.members:
            return Path(self.path).read_bytes()
        data: bytes | None = None
        archive: zipfile.ZipFile = zipfile.ZipFile(self.path)
        try:
            for depth, member in enumerate(self.members):
                info = archive.getinfo(member)
                data = _read_member(archive, info)
                if depth + 1 < len(self.members):
                    archive.close()
                    import io

                    archive = zipfile.ZipFile(io.BytesIO(data))
        finally:
            archive.close()
        assert data is not None
        return data


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    problem = _member_problem(info)
    if problem:
        raise ValueError(problem)
    with archive.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ValueError(f"zip member larger than {MAX_MEMBER_BYTES // 2**20} MiB (zip bomb?)")
    return data


def _member_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        return f"unsafe path in zip archive: {name!r}"
    if info.flag_bits & 0x1:
        return "encrypted zip member"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"zip member of {info.file_size // 2**20} MiB exceeds the {MAX_MEMBER_BYTES // 2**20} MiB limit (zip bomb?)"
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO and info.file_size > 2**20:
        return f"zip member expands {info.file_size // info.compress_size}x (zip bomb?)"
    return ""


def _is_zip(path: Path) -> bool:
    if path.suffix.lower() != ".zip":
        return False
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _zip_items(path: Path, source: str, prefix: tuple[str, ...] = (), archive: zipfile.ZipFile | None = None,
               depth: int = 1) -> Iterator[InputItem]:
    own = archive is None
    zf = zipfile.ZipFile(path) if archive is None else archive
    try:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir() or PurePosixPath(info.filename).name in _SKIP_NAMES:
                continue
            if info.filename.startswith("__MACOSX/"):
                continue
            member_source = f"{source}!{info.filename}"
            members = prefix + (info.filename,)
            problem = _member_problem(info)
            if not problem and info.filename.lower().endswith(".zip") and depth < MAX_ARCHIVE_DEPTH:
                import io

                try:
                    inner = zipfile.ZipFile(io.BytesIO(_read_member(zf, info)))
                except (zipfile.BadZipFile, ValueError):
                    yield InputItem(member_source, str(path), members)
                    continue
                with inner:
                    yield from _zip_items(path, member_source, members, inner, depth + 1)
                continue
            yield InputItem(member_source, str(path), members, problem)
    finally:
        if own:
            zf.close()


def _walk(folder: Path, passed_over: list[str]) -> Iterator[Path]:
    for child in sorted(folder.rglob("*")):
        if not child.is_file() or any(part.startswith(".") for part in child.relative_to(folder).parts[:-1]):
            continue
        if is_passed_over(child):
            passed_over.append(str(child))
            continue
        yield child


@dataclass
class Discovery:
    items: list[InputItem]
    missing: list[str]  # inputs named that do not exist
    passed_over: list[str]  # files a folder walk left alone (code, data, README)


def discover(inputs: Iterable[str], exclude: Path | None = None) -> Discovery:
    """Expand the user's inputs into items (in a stable order); note what is missing or passed over."""
    items: list[InputItem] = []
    missing: list[str] = []
    passed_over: list[str] = []
    exclude = exclude.resolve() if exclude else None
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files = [f for f in _walk(path, passed_over) if not (exclude and exclude in f.resolve().parents)]
            for f in files:
                source = str(path / f.relative_to(path))
                items.extend(_zip_items(f, source) if _is_zip(f) else [InputItem(source, str(f))])
        elif path.is_file():
            items.extend(_zip_items(path, given) if _is_zip(path) else [InputItem(given, str(path))])
        else:
            missing.append(given)
    return Discovery(items, missing, passed_over)


def read_list_file(path: str) -> list[str]:
    """Inputs named one per line in a list file; blank lines and # comments skipped."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
