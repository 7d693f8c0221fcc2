"""nianbao: turn Chinese government information-disclosure annual reports into checked data.

The public API for analysts and scripts, a thin layer over `pipeline`:

    import nianbao
    summary = nianbao.extract(["corpus/"], "out/")      # what `nianbao extract corpus/ -o out/` does
    out = nianbao.load("out/")                           # documents, cells, figures, flags, wide
    out.wide.groupby("admin_level")["t3_requests.new_received.total"].sum()

pandas and the readers are imported on first use, so `import nianbao` itself is quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline import __version__

if TYPE_CHECKING:
    from nianbao.api import Output, RunSummary, extract, load

__all__ = ["Output", "RunSummary", "__version__", "extract", "load"]


def __getattr__(name: str) -> object:
    """extract, load, Output and RunSummary from nianbao.api, imported when first asked for."""
    if name in ("Output", "RunSummary", "extract", "load"):
        from nianbao import api

        return getattr(api, name)
    raise AttributeError(f"module 'nianbao' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
