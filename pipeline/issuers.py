"""issuer_key and report_id: one key per issuer across years and name forms, one id per issuer and year.

issuer_key = `<division code>:<name below the division>`: the code of the division the name starts with
(GB/T 2260, or the county-level division a zone administers, pipeline.regions) and the rest of the name
in one form (schemas.issuers: 管理委员会 → 管委会, 政府 → 人民政府, the compiling 办公室 dropped). So
淮安市洪泽区人民政府 and 洪泽区人民政府 are `320813:人民政府`; 平潭综合实验区管委会 and
福建省平潭综合实验区管理委员会 are `350128:平潭综合实验区管委会`, apart from 平潭县人民政府
(`350128:人民政府`). A name that starts with no division is keyed `~:<name>` when it is long enough
to name one body (MIN_UNPLACED_NAME), else it has no key.

report_id = `r-` + 12 hex of (issuer_key, year, report kind): decided by each file alone, so it never
depends on which other files are in the batch. A file with no key or no year is a report of its own
(`r-` + its bytes' hash): two reports are never merged on a guess.
"""

from __future__ import annotations

import hashlib

from pipeline.regions import Region, issuer_division
from schemas.issuers import COMPILERS, MIN_UNPLACED_NAME, NAME_FORMS, OTHER_REPORT_KINDS

UNPLACED = "~"


def canonical_name(name: str) -> str:
    """The name part of a key: spaces gone, one form for each name form, the compiling office dropped."""
    name = "".join((name or "").split())
    for compiler in COMPILERS:
        if name.endswith(compiler) and len(name) > len(compiler):
            name = name.removesuffix(compiler)
            break
    for seen, form in NAME_FORMS:
        if seen in name:
            if seen != form and form.endswith(seen):  # 政府 → 人民政府, not 人民人民政府
                if form in name:
                    continue
            name = name.replace(seen, form)
    return name


def issuer_key(issuer: str, region: Region | None = None) -> str:
    """The issuer's key (see module doc), '' when the name does not pin down one body."""
    issuer = "".join((issuer or "").split())
    if not issuer:
        return ""
    code, rest, named = issuer_division(issuer)
    if region is not None and region.code:
        # the region as placed with the title and text (a shared name such as 鼓楼区), or the
        # county-level division a zone administers: the zone's whole name stays in the key
        code = region.code
    rest = canonical_name(rest)
    if code:
        return f"{code}:{rest}" if rest else ""
    if named:  # it names a division, but not one: the name alone could be several bodies
        return ""
    name = canonical_name(issuer)
    return f"{UNPLACED}:{name}" if len(name) >= MIN_UNPLACED_NAME else ""


def report_kind(title: str) -> str:
    """'' for the annual report of the 条例, else the kind of the other report the title names."""
    title = "".join((title or "").split())
    for word, kind in OTHER_REPORT_KINDS:
        if word in title and "信息公开" not in title:
            return kind
    return ""


def report_id(key: str, year: int | None, title: str, sha256: str) -> str:
    """The report a file belongs to (see module doc)."""
    if key and year is not None:
        basis = "\x1f".join((key, str(year), report_kind(title)))
    else:
        basis = "file\x1f" + sha256
    return "r-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]
