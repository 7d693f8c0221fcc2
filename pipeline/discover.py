"""Find the documents to process: files, folders (recursive), zip archives read in place, list files.

Each input becomes an InputItem that names where its bytes are without holding them, so discovery
stays cheap on a whole archive and an item can travel to another process or machine.
"""

from __future__ import annotations

import errno
import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pipeline.store import STATE_DIR  # the checkpoint folder marks a folder as this tool's output

# zip safety: members are read in memory, never extracted, but a bomb must not exhaust memory
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ARCHIVE_DEPTH = 2
_CHUNK = 1 << 20
MISSING = "no such file or folder"
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
    no_follow: bool = False  # a plain file when found: a symlink swapped in later is not read (O_NOFOLLOW)

    def digest(self, max_bytes: int = 0) -> tuple[str, int]:
        """(sha256, size) of the document's bytes, streamed (the main process never holds a whole file);
        raises ValueError for an unsafe member or a file over `max_bytes` (0: no limit), before reading it."""
        if self.problem:
            raise ValueError(self.problem)
        if len(self.members) > 1:  # inside a nested archive: the inner archive is read into memory
            data = self.read_bytes()
            _check_size(len(data), max_bytes)
            return hashlib.sha256(data).hexdigest(), len(data)
        if self.members:
            try:
                with zipfile.ZipFile(self.path) as archive:
                    info = archive.getinfo(self.members[0])
                    problem = _member_problem(info)
                    if problem:
                        raise ValueError(problem)
                    _check_size(info.file_size, max_bytes)
                    with archive.open(info) as fh:
                        return _stream_digest(fh)
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise ValueError(f"damaged zip archive: {exc}") from exc
        with self._open() as fh:
            _check_size(os.fstat(fh.fileno()).st_size, max_bytes)
            return _stream_digest(fh)

    def _open(self) -> BinaryIO:
        flags = os.O_RDONLY | (getattr(os, "O_NOFOLLOW", 0) if self.no_follow else 0)
        try:
            return os.fdopen(os.open(self.path, flags), "rb")
        except OSError as exc:
            if self.no_follow and exc.errno == errno.ELOOP:
                raise ValueError("became a symbolic link after it was found; not followed") from exc
            raise

    def read_bytes(self) -> bytes:
        """The document's bytes; raises ValueError with a clear reason for an unsafe member."""
        if self.problem:
            raise ValueError(self.problem)
        if not self.members:
            with self._open() as fh:
                return fh.read()
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


def _stream_digest(fh) -> tuple[str, int]:  # noqa: ANN001 - any binary file object
    """(sha256, size) of what FH holds, read a chunk at a time."""
    sha = hashlib.sha256()
    size = 0
    while chunk := fh.read(_CHUNK):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def _check_size(size: int, max_bytes: int) -> None:
    if max_bytes and size > max_bytes:
        raise ValueError(f"file of {size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB limit (raise --max-bytes)")


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


def _outside(link: Path, roots: tuple[Path, ...]) -> bool:
    """True when a symlink's target lies outside every input root (or does not exist)."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return True
    return not any(target == root or root in target.parents for root in roots)


def _symlink_item(link: Path, source: str) -> InputItem:
    return InputItem(source, str(link), problem="symbolic link leading outside the input folder, not followed "
                                               "(--follow-symlinks reads it)")


def _walk(folder: Path, passed_over: list[str], follow_symlinks: bool = False,
          exclude: Path | None = None) -> Iterator[Path | InputItem]:
    """Files under `folder` in a stable order; a symlink leading out of it becomes a failed item unless
    `follow_symlinks`. Hidden folders and this tool's own output folders (holding .nianbao/) are skipped."""
    root = folder.resolve()
    seen: set[Path] = {root}
    stack = [folder]
    found: list[Path | InputItem] = []
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            child = Path(entry.path)
            is_link = entry.is_symlink()
            if is_link and not follow_symlinks and _outside(child, (root,)):
                found.append(_symlink_item(child, str(child)))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                real = child.resolve()
                if entry.name.startswith(".") or real in seen or (exclude and real == exclude):
                    continue
                if (child / STATE_DIR).is_dir():
                    passed_over.append(str(child))  # an earlier run's output folder
                    continue
                if is_link and not follow_symlinks:
                    continue  # a link back inside the folder: its files are reached directly
                seen.add(real)
                stack.append(child)
            elif entry.is_file():
                if is_passed_over(child):
                    passed_over.append(str(child))
                else:
                    found.append(child)
    yield from sorted(found, key=lambda f: Path(f.path).parts if isinstance(f, InputItem) else f.parts)


@dataclass
class Discovery:
    items: list[InputItem]
    missing: list[str]  # inputs named that do not exist
    passed_over: list[str]  # files a folder walk left alone (code, data, README)


def discover(inputs: Iterable[str], exclude: Path | None = None, follow_symlinks: bool = False) -> Discovery:
    """Expand the user's inputs into items (in a stable order); note what is missing or passed over.

    A missing input becomes an item that fails with the reason, so it has its row in documents.csv."""
    items: list[InputItem] = []
    missing: list[str] = []
    passed_over: list[str] = []
    exclude = exclude.resolve() if exclude else None
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for f in _walk(path, passed_over, follow_symlinks, exclude):
                if isinstance(f, InputItem):
                    items.append(f)
                    continue
                items.extend(_zip_items(f, str(f)) if _is_zip(f) else
                             [InputItem(str(f), str(f), no_follow=not f.is_symlink())])
        elif path.is_file():
            items.extend(_zip_items(path, given) if _is_zip(path) else [InputItem(given, str(path))])
        else:
            missing.append(given)
            items.append(InputItem(given, given, problem=MISSING))
    return Discovery(items, missing, passed_over)


def read_list_file(path: str) -> list[str]:
    """Inputs named one per line in a list file; blank lines and # comments skipped."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
