"""Compare the crops of two audit pages pixel by pixel: the PNG data URIs of BASE's audit.html (and its
audit/*.html) against NEW's, decoded; prints how many match, how many differ, and both pages' sizes.

Run after a change to pipeline/audit/crops.py: the crops' pixels must stay identical and the page no larger.
    python benchmarks/crop_pixels.py BASE_OUT NEW_OUT
"""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path

from PIL import Image

_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def pages(out: Path) -> list[Path]:
    """The audit page and its per-report pages in a run's output folder."""
    return [p for p in [out / "audit.html", *sorted((out / "audit").glob("*.html"))] if p.exists()]


def crops(out: Path) -> dict[str, list[bytes]]:
    """Page name -> its crops' PNG bytes, in page order."""
    return {p.relative_to(out).as_posix(): [base64.b64decode(m) for m in _URI.findall(p.read_text("utf-8"))]
            for p in pages(out)}


def pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    """An image's size and its RGB pixels (palette resolved), whatever its PNG encoding."""
    image = Image.open(io.BytesIO(png))
    return image.size, image.convert("RGB").tobytes()


def main(base: Path, new: Path) -> int:
    old, now = crops(base), crops(new)
    same = differ = 0
    problems: list[str] = []
    if sorted(old) != sorted(now):
        problems.append(f"pages differ: {sorted(set(old) ^ set(now))}")
    for name in sorted(set(old) & set(now)):
        if len(old[name]) != len(now[name]):
            problems.append(f"{name}: {len(old[name])} crops against {len(now[name])}")
        for n, (a, b) in enumerate(zip(old[name], now[name], strict=False)):
            if a == b or pixels(a) == pixels(b):
                same += 1
            else:
                differ += 1
                problems.append(f"{name}: crop {n} differs")
    size_old = sum(p.stat().st_size for p in pages(base))
    size_new = sum(p.stat().st_size for p in pages(new))
    png_old = sum(len(b) for v in old.values() for b in v)
    png_new = sum(len(b) for v in now.values() for b in v)
    print(f"crops identical in pixels: {same}, differing: {differ}")
    print(f"pages: {size_old} bytes -> {size_new}; PNG bytes {png_old} -> {png_new}")
    for line in problems[:20]:
        print("  " + line)
    return 1 if problems or size_new > size_old else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
