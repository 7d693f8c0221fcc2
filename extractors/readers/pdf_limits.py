"""A bound on what one PDF stream may inflate to in pdfminer (under pdfplumber).

pdfminer inflates a Flate stream whole (zlib.decompress), so a few kilobytes of a crafted content stream
become gigabytes. Its module's zlib is replaced by one whose decompressors stop at MAX_STREAM_BYTES and
raise StreamTooLarge, which the PDF reader reports; a font's ToUnicode map stops at MAX_CMAP_ENTRIES. pypdfium2 offers no such setting, so before either
library reads a file, `check_streams` inflates each Flate stream once into nothing, counting, and stops at
the limit: a bomb is refused in a fraction of a second and without memory.
"""

from __future__ import annotations

import re
import zlib
from types import SimpleNamespace
from typing import Any

MAX_STREAM_BYTES = 100 * 2**20  # a report page's content is well under 1 MB; a page-size image under 50 MB


class StreamTooLarge(Exception):
    """A stream that inflates beyond MAX_STREAM_BYTES (a decompression bomb)."""

    def __init__(self) -> None:
        super().__init__(f"a PDF stream inflates beyond {MAX_STREAM_BYTES // 2**20} MB (decompression bomb?)")


class _BoundedDecompressor:
    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._total = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:  # noqa: ARG002 - zlib's signature
        out = self._inner.decompress(data, MAX_STREAM_BYTES - self._total + 1)
        self._total += len(out)
        if self._total > MAX_STREAM_BYTES:
            raise StreamTooLarge()
        return out

    def flush(self, *args: Any) -> bytes:
        return self._inner.flush(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def bounded_decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:  # noqa: ARG001 - zlib's signature
    """zlib.decompress that stops at MAX_STREAM_BYTES (raises zlib.error on bad data, as zlib does)."""
    inner = zlib.decompressobj()
    out = inner.decompress(data, MAX_STREAM_BYTES + 1)
    if len(out) > MAX_STREAM_BYTES or inner.unconsumed_tail:
        raise StreamTooLarge()
    if not inner.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


MAX_CMAP_ENTRIES = 300_000  # a CJK font maps at most 65,536 codes; a ToUnicode range over 2**32 is an attack


class CMapTooLarge(Exception):
    """A font's ToUnicode map that grows beyond MAX_CMAP_ENTRIES."""

    def __init__(self) -> None:
        super().__init__(f"a font's ToUnicode map holds over {MAX_CMAP_ENTRIES} entries (a crafted font?)")


def _bound_cmaps() -> None:
    from pdfminer.cmapdb import FileUnicodeMap

    add = FileUnicodeMap.add_cid2unichr
    if getattr(add, "bounded", False):
        return

    def bounded_add(self: FileUnicodeMap, cid: int, code: Any) -> None:
        entries = self.__dict__.get("_entries_added", 0) + 1
        if entries > MAX_CMAP_ENTRIES:
            raise CMapTooLarge()
        self.__dict__["_entries_added"] = entries
        add(self, cid, code)

    bounded_add.bounded = True  # type: ignore[attr-defined]
    FileUnicodeMap.add_cid2unichr = bounded_add  # type: ignore[method-assign]


def install() -> None:
    """Bound pdfminer's inflation and its fonts' ToUnicode maps (idempotent)."""
    import pdfminer.pdftypes as pdftypes

    _bound_cmaps()
    if getattr(pdftypes.zlib, "bounded", False):
        return
    pdftypes.zlib = SimpleNamespace(  # type: ignore[assignment]  # a stand-in with zlib's used names
        decompress=bounded_decompress, decompressobj=_BoundedDecompressor,
        error=zlib.error, bounded=True)


_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 16


def inflated_size(data: bytes, start: int, limit: int = MAX_STREAM_BYTES) -> int:
    """Bytes the Flate stream at START inflates to, counted without keeping them; stops past LIMIT
    (a stream that is not Flate, or is damaged, counts what inflated before the error). What the last
    piece of the file inflates to is counted whole, not only its first _CHUNK * 16 bytes."""
    inflater = zlib.decompressobj()
    total = 0
    position = start
    try:
        while not inflater.eof and total <= limit:
            chunk = inflater.unconsumed_tail
            if not chunk:  # the input given so far is used up: the next piece of the file
                chunk = data[position:position + _CHUNK]
                position += len(chunk)
                if not chunk:
                    break
            out = len(inflater.decompress(chunk, _CHUNK * 16))
            if not out and inflater.unconsumed_tail == chunk:
                break  # no progress (zlib always makes some: never expected)
            total += out
    except zlib.error:
        pass
    return total


def _zlib_header(head: bytes) -> bool:
    """The two bytes a zlib stream starts with: deflate method, and the header checksum."""
    return len(head) == 2 and head[0] & 0x0F == 8 and (head[0] * 256 + head[1]) % 31 == 0


# deflate's largest expansion: a 258-byte match coded in two bits (one for the length, one for the
# distance) gives 1032 bytes for each byte read; no stream reading N bytes inflates to more than 1032 * N
MAX_RATIO = 1032


def check_streams(data: bytes, limit: int = MAX_STREAM_BYTES) -> None:
    """Raise StreamTooLarge when any Flate stream of the file inflates beyond LIMIT.

    A stream that starts so near the end that all the bytes left in the file could not inflate beyond
    LIMIT even at deflate's largest ratio is not inflated (nor is any after it)."""
    for match in _STREAM.finditer(data):
        start = match.end()
        if MAX_RATIO * (len(data) - start) <= limit:
            return
        if _zlib_header(data[start:start + 2]) and inflated_size(data, start, limit) > limit:
            raise StreamTooLarge()
