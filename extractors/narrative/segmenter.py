"""jieba's part-of-speech cut with a user dictionary, ready in milliseconds and cutting exactly as jieba.

jieba spends about a second building its prefix dictionary (FREQ), parsing its word tags (dict.txt) and
adding the user words. This module keeps what jieba built in a cache file grouped by a word's first
two characters, and jieba (the engine, unchanged) gets only the groups a text can ask for: every
dictionary lookup jieba makes while cutting a block is of a piece of that block (a character of it, or
a longer piece beginning with one of its pairs of characters), and each block passes through
`Tokenizer.get_DAG` first, where the groups it needs are added. The cache is written on first
use, atomically, under a name keyed by jieba's version, its dictionary file and the user dictionary; a
missing, unwritable or corrupt cache means jieba's own load (a second slower), never a failed cut.
Writing one removes the folder's caches of other keys that no process has used for a month (each is
about 18 MB), so upgrades of jieba or of the user dictionary do not pile them up.
"""

from __future__ import annotations

import hashlib
import io
import logging
import marshal
import os
import struct
import sys
import tempfile
import threading
import time
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 3  # of the cache file; a change of layout or of what it holds takes a new number
MAGIC = b"NBJIEBA\x00"
STALE_AFTER = 30 * 86400  # seconds: a cache of another key unused this long goes when a new one is built
_TOUCH_AFTER = 86400  # seconds: a cache in use has its time renewed at most this often (one write a day)
_PREFIX = struct.Struct("<8sII")  # magic, header length, header crc32
# real clauses whose cut the cache carries from jieba's own load and a loaded cache must repeat
PROBES = ("全年共受理政府信息公开申请128件，其中当面申请3件",
          "发放耕地地力补贴资金41908.39元，惠及种粮农民7571户",
          "主动公开政府信息1.2万条，政务微博发布信息356条、微信公众号推送89期")

Tokens = list[tuple[str, str]]


class CacheError(Exception):
    """The cache file cannot be used (absent, another key, cut short, corrupt)."""


@dataclass(frozen=True)
class Sources:
    """What the segmentation depends on: jieba's version and dictionary file, the user dictionary."""

    version: str
    dictionary: Path
    user: Path | None

    def key(self) -> str:
        """The cache's name part: jieba's dictionary by path, size and change time, the user one by content."""
        stat = self.dictionary.stat()
        digest = hashlib.sha256(f"{FORMAT}|{self.version}|{self.dictionary}|{stat.st_size}|{stat.st_mtime_ns}|"
                                .encode())
        digest.update(self.user.read_bytes() if self.user else b"-")
        return f"jieba-{self.version}-{digest.hexdigest()[:24]}"


def cache_dirs() -> list[Path]:
    """Where the cache may live, best first: $XDG_CACHE_HOME/nianbao (or ~/.cache/nianbao), then a
    folder of this user's own in the temp dir."""
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    temp = Path(tempfile.gettempdir()) / f"nianbao-{uid}"
    return [Path(xdg) / "nianbao", temp] if os.path.isabs(xdg) else [temp]


def _own_dir(folder: Path) -> bool:
    """A folder only this user writes to (a temp dir is shared: another user's file is never read)."""
    try:
        st = folder.stat()
    except OSError:
        return False
    return not hasattr(os, "getuid") or (st.st_uid == os.getuid() and not st.st_mode & 0o022)


# ------------------------------------------------------------------ importing jieba without its load

def _import_jieba() -> ModuleType:
    """jieba, quiet. It imports pkg_resources (0.1 s) only to open its own data files and opens them
    directly when that import fails; nothing else here uses pkg_resources, so its import is refused."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # an import of it raises ImportError
        try:
            import jieba
        finally:
            if sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


def _import_posseg(jieba: Any, tokenizer: Any) -> ModuleType:
    """jieba.posseg; on first import its default POSTokenizer is built on TOKENIZER, so the import does
    not parse dict.txt's 349,046 tags (0.25 s) for a tokenizer nothing uses."""
    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    default = jieba.dt
    jieba.dt = tokenizer
    try:
        import jieba.posseg as posseg
    finally:
        jieba.dt = default
    return posseg


# ------------------------------------------------------------------ jieba's own load, and the cache file

@dataclass
class Tables:
    """What jieba builds from its dictionaries: the prefix dictionary with its total, the word tags, and
    jieba's own cut of the probe sentences with them."""

    freq: dict[str, int]
    total: int
    tags: dict[str, str]
    probes: list[Tokens]


def stock_tables(jieba: ModuleType, posseg: ModuleType, user: Path | None) -> Tables:
    """jieba's own load: its prefix dictionary (from jieba's cache), the user words, the tags of both."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if user is not None:
        tokenizer.load_userdict(str(user))
    pos = posseg.POSTokenizer(tokenizer)
    pos.makesure_userdict_loaded()
    probes = [[(pair.word, pair.flag) for pair in pos.cut(text)] for text in PROBES]
    return Tables(tokenizer.FREQ, tokenizer.total, pos.word_tag_tab, probes)


def units(text: str) -> set[str]:
    """The groups jieba may look up while it cuts TEXT: its characters (a one-character word) and the
    pairs of characters that begin at each position (every longer piece of TEXT begins with one)."""
    found = set(text)
    found.update(text[k:k + 2] for k in range(len(text) - 1))
    return found


def _groups(tables: Tables) -> dict[str, dict[str, tuple[dict[str, int], dict[str, str]]]]:
    """The tables by first character, then by second ('' for a one-character word); a tag's word is
    the prefix dictionary's own string, so the file stores it once."""
    groups: dict[str, dict[str, tuple[dict[str, int], dict[str, str]]]] = {}

    def group(word: str) -> tuple[dict[str, int], dict[str, str]]:
        seconds = groups.setdefault(word[0], {})
        found = seconds.get(word[1:2])
        if found is None:
            found = seconds[word[1:2]] = ({}, {})
        return found

    for word, freq in tables.freq.items():
        group(word)[0][word] = freq
    words = {word: word for word in tables.freq}
    for word, tag in tables.tags.items():
        group(word)[1][words.get(word, word)] = sys.intern(tag)
    return groups


def write_cache(path: Path, key: str, tables: Tables) -> None:
    """Write the cache to a temporary file beside PATH and rename it over PATH (atomic: a reader sees
    the old file or the new one, and two writers at once leave one whole file).

    The body holds, for each first character, its groups (one per second character) and then its
    directory (second characters, where each group lies, their crc32); the header indexes the
    directories by first character, as a string and arrays: nothing per entry to build on reading."""
    body = io.BytesIO()
    chars: list[str] = []
    starts, sizes, crcs = array("Q"), array("I"), array("I")
    for char, seconds in sorted(_groups(tables).items()):
        bounds, group_crcs = array("Q"), array("I")
        for group in seconds.values():
            blob = marshal.dumps(group)
            bounds.append(body.tell())
            group_crcs.append(zlib.crc32(blob))
            body.write(blob)
        bounds.append(body.tell())
        directory = marshal.dumps((tuple(seconds), bounds.tobytes(), group_crcs.tobytes()))
        chars.append(char)
        starts.append(body.tell())
        sizes.append(len(directory))
        crcs.append(zlib.crc32(directory))
        body.write(directory)
    header = marshal.dumps({"format": FORMAT, "key": key, "total": tables.total, "chars": "".join(chars),
                            "starts": starts.tobytes(), "sizes": sizes.tobytes(), "crcs": crcs.tobytes(),
                            "probes": (PROBES, tables.probes)})
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_PREFIX.pack(MAGIC, len(header), zlib.crc32(header)))
            out.write(header)
            out.write(body.getbuffer())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def mark_used(path: Path, now: float | None = None) -> None:
    """Renew PATH's modification time when it is older than a day, so that prune spares a cache in use
    (by another version of the project sharing the folder, say)."""
    now = time.time() if now is None else now
    try:
        if now - path.stat().st_mtime > _TOUCH_AFTER:
            os.utime(path, (now, now))
    except OSError:
        pass  # a read-only cache is still read; only its pruning is left to its owner


def prune(folder: Path, keep: str, now: float | None = None) -> list[str]:
    """Remove from FOLDER the caches of other keys (other jieba versions or dictionaries) unused for
    STALE_AFTER, and the temporary files a writer left more than a day ago; returns the names removed.
    Only this module's regular files are touched: a link or any other file is left where it is."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        cache = name.startswith("jieba-") and name.endswith(".cache") and name != keep
        temporary = name.startswith(".jieba-") and name.endswith(".tmp")
        if not (cache or temporary):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime > (STALE_AFTER if cache else 86400):
                os.unlink(entry.path)
                removed.append(name)
        except OSError:
            continue  # another process removed it first, or it is not ours to remove
    if removed:
        log.info("jieba cache: removed %s from %s", ", ".join(sorted(removed)), folder)
    return removed


@dataclass
class Directory:
    """One first character's groups: second character ('' for the character alone) -> its number, and
    where each lies in the body (bounds[n] to bounds[n + 1]) with its crc32."""

    index: dict[str, int]
    bounds: array
    crcs: array


class CacheFile:
    """An open cache file: its header read and checked, its groups read one by one as they are wanted."""

    def __init__(self, path: Path, key: str) -> None:
        try:
            self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise CacheError(f"cannot open {path}: {exc}") from exc
        try:
            prefix = os.pread(self.fd, _PREFIX.size, 0)
            if len(prefix) != _PREFIX.size:
                raise CacheError("cut short")
            magic, size, crc = _PREFIX.unpack(prefix)
            header_bytes = os.pread(self.fd, size, _PREFIX.size)
            if magic != MAGIC or len(header_bytes) != size or zlib.crc32(header_bytes) != crc:
                raise CacheError("not a cache file, or its header is damaged")
            header = marshal.loads(header_bytes)
            if header.get("format") != FORMAT or header.get("key") != key:
                raise CacheError("made for another jieba or dictionary")
            self.total: int = header["total"]
            chars: str = header["chars"]
            self.starts = array("Q", header["starts"])
            self.sizes, self.crcs = array("I", header["sizes"]), array("I", header["crcs"])
            if not len(chars) == len(self.starts) == len(self.sizes) == len(self.crcs):
                raise CacheError("damaged index")
            self.index = dict(zip(chars, range(len(chars)), strict=True))  # character -> its directory
            self.probes: tuple[tuple[str, ...], list[Tokens]] = header["probes"]
            self.body = _PREFIX.size + size
            self.directories: dict[str, Directory | None] = {}
        except CacheError:
            os.close(self.fd)
            raise
        except Exception as exc:  # noqa: BLE001 - any damage to what marshal reads
            os.close(self.fd)
            raise CacheError(f"damaged header: {exc}") from exc

    def close(self) -> None:
        os.close(self.fd)

    def _read(self, offset: int, size: int, crc: int, what: str) -> Any:
        try:
            blob = os.pread(self.fd, size, self.body + offset)
        except OSError as exc:
            raise CacheError(f"cannot read: {exc}") from exc
        if len(blob) != size or zlib.crc32(blob) != crc:
            raise CacheError(f"{what} is damaged")
        try:
            return marshal.loads(blob)
        except Exception as exc:  # noqa: BLE001 - damage crc32 did not catch
            raise CacheError(f"{what} is damaged: {exc}") from exc

    def directory(self, char: str) -> Directory | None:
        """CHAR's directory (read once), None when no word begins with CHAR."""
        if char in self.directories:
            return self.directories[char]
        number = self.index.get(char)
        found = None
        if number is not None:
            seconds, bounds, crcs = self._read(self.starts[number], self.sizes[number], self.crcs[number],
                                               f"the directory of {char!r}")
            found = Directory(dict(zip(seconds, range(len(seconds)), strict=True)), array("Q", bounds),
                              array("I", crcs))
            if len(found.bounds) != len(seconds) + 1 or len(found.crcs) != len(seconds):
                raise CacheError(f"the directory of {char!r} is damaged")
        self.directories[char] = found
        return found

    def locate(self, unit: str) -> tuple[int, int, int] | None:
        """Where UNIT's group lies in the body (offset, size, crc32), None when no word begins with it."""
        directory = self.directory(unit[0])
        number = None if directory is None else directory.index.get(unit[1:2])
        if directory is None or number is None:
            return None
        start = directory.bounds[number]
        return start, directory.bounds[number + 1] - start, directory.crcs[number]

    def group(self, unit: str) -> tuple[dict[str, int], dict[str, str]] | None:
        """The words that are UNIT (one character) or begin with it (two): prefix dictionary, tags."""
        where = self.locate(unit)
        if where is None:
            return None
        freq, tags = self._read(*where, f"the group of {unit!r}")
        return freq, tags


# ------------------------------------------------------------------ the segmenter

class Segmenter:
    """jieba.posseg over a prefix dictionary and tag table filled by first character as texts need them."""

    def __init__(self, sources: Sources, directories: Iterable[Path] | None = None) -> None:
        self.sources = sources
        self.jieba = _import_jieba()
        self.tokenizer = _grouped_tokenizer_class(self.jieba)(self)
        self.posseg = _import_posseg(self.jieba, self.tokenizer)
        self.pos = self.posseg.POSTokenizer(self.tokenizer)  # its tags are read from an empty file: ours follow
        self.pos.word_tag_tab = self.tokenizer.tags
        if self.posseg.dt.tokenizer is self.tokenizer:  # jieba.posseg.cut anywhere in the process cuts as we do
            self.posseg.dt.word_tag_tab = self.tokenizer.tags
        self.lock = threading.RLock()
        self.cache: CacheFile | None = None
        self.complete = False  # every group is in: nothing left to fill
        self.seen: set[str] = set()  # groups in (or that no word has), by their one or two characters
        self.how = ""  # 'cache', 'built' (cache written), 'jieba' (cache unusable): for tests and timing
        self.directories = list(cache_dirs() if directories is None else directories)
        self.key: str | None = None
        self._open()

    def _open(self) -> None:
        """Use the first valid cache of our folders; else load as jieba does and write the cache."""
        try:
            self.key = key = self.sources.key()
        except OSError as exc:
            log.info("jieba cache: cannot key it (%s); jieba's own load", exc)
            self._fill_all()
            return
        for folder in self.directories:
            path = folder / f"{key}.cache"
            if not path.is_file() or not _own_dir(folder):
                continue
            try:
                self.cache = CacheFile(path, key)
                self.tokenizer.total = self.cache.total
                texts, expected = self.cache.probes
                if texts != PROBES or [self.cut(text) for text in texts] != expected:
                    raise CacheError("its probe sentences cut otherwise")
                if not self.complete:  # (a damaged group the probes needed has made it jieba's own load)
                    self.how = "cache"
                    mark_used(path)
                return
            except Exception as exc:  # noqa: BLE001 - whatever is wrong with a cache, jieba's own load is right
                log.info("jieba cache %s unusable (%s); jieba's own load", path, exc)
                self._reset()
        self._fill_all()

    def _reset(self) -> None:
        if self.cache is not None:
            self.cache.close()
        self.cache = None
        self.seen.clear()
        self.tokenizer.FREQ.clear()
        self.tokenizer.tags.clear()

    def _fill_all(self) -> None:
        """jieba's own load into our tables; then write the cache (where it can) for the next process."""
        tables = stock_tables(self.jieba, self.posseg, self.sources.user)
        self._reset()
        self.tokenizer.FREQ = tables.freq
        self.tokenizer.total = tables.total
        self.tokenizer.tags.update(tables.tags)
        self.complete = True
        self.how = "jieba"
        if self.key is None:
            return
        key = self.key
        for folder in self.directories:
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not _own_dir(folder):
                    continue
                write_cache(folder / f"{key}.cache", key, tables)
                self.how = "built"
                prune(folder, f"{key}.cache")
                return
            except OSError as exc:
                log.info("jieba cache: cannot write under %s (%s)", folder, exc)

    def fill(self, text: str) -> None:
        """Add the groups TEXT needs that are not in yet; a damaged group means jieba's own load."""
        if self.complete:
            return
        wanted = units(text)
        if self.seen.issuperset(wanted):
            return
        with self.lock:
            if self.complete or self.cache is None:
                return
            try:
                for unit in wanted.difference(self.seen):
                    group = self.cache.group(unit)
                    if group is not None:
                        self.tokenizer.FREQ.update(group[0])
                        self.tokenizer.tags.update(group[1])
                    self.seen.add(unit)
            except CacheError as exc:
                log.warning("jieba cache damaged (%s); jieba's own load, and the cache written again", exc)
                self._fill_all()

    def cut(self, text: str) -> Tokens:
        """TEXT cut into (word, part-of-speech flag) pairs, as jieba.posseg.cut with the user dictionary."""
        return [(pair.word, pair.flag) for pair in self.pos.cut(text)]


def _grouped_tokenizer_class(jieba: ModuleType) -> type:
    """jieba's Tokenizer whose FREQ gets the groups of a block's characters before jieba looks any up."""

    class GroupedTokenizer(jieba.Tokenizer):  # type: ignore[name-defined,misc]
        """A jieba Tokenizer over a prefix dictionary filled by first character (see the module)."""

        def __init__(self, segmenter: Segmenter) -> None:
            super().__init__()
            self.segmenter = segmenter
            self.tags: dict[str, str] = {}
            self.initialized = True  # its FREQ and total come from the segmenter, never from initialize

        def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 - jieba's name
            """jieba's DAG of the block, after adding the groups of its characters."""
            self.segmenter.fill(sentence)
            return super().get_DAG(sentence)

        def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
            """jieba's add_word, after the groups the word's lookups need (a later fill would undo it)."""
            self.segmenter.fill(word)
            super().add_word(word, freq, tag)

        def suggest_freq(self, segment: Any, tune: bool = False) -> int:
            self.segmenter.fill(segment if isinstance(segment, str) else "".join(segment))
            return int(super().suggest_freq(segment, tune))

        def get_dict_file(self) -> io.BytesIO:
            """No tag file to parse: the tags come with the groups."""
            return io.BytesIO(b"")

    return GroupedTokenizer


def sources_for(user: Path | None) -> Sources:
    """The sources of the installed jieba and USER (the domain dictionary; None for none)."""
    jieba = _import_jieba()
    return Sources(jieba.__version__, Path(str(jieba.__file__)).resolve().parent / "dict.txt", user)


def load(user: Path | None, directories: Iterable[Path] | None = None) -> Segmenter:
    """A segmenter for USER's words over the installed jieba, its cache under DIRECTORIES (default:
    cache_dirs())."""
    return Segmenter(sources_for(user), directories)
