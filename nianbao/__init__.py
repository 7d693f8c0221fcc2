"""nianbao: turn Chinese government information-disclosure annual reports into checked data.

The public API for analysts and scripts, a thin layer over `pipeline`:

    import nianbao
    summary = nianbao.extract(["corpus/"], "out/")      # what `nianbao extract corpus/ -o out/` does
    out = nianbao.load("out/")                           # documents, cells, figures, flags, wide
    out.wide.groupby("admin_level")["t3_requests.new_received.total"].sum()
"""

from __future__ import annotations

from nianbao.api import Output, RunSummary, extract, load
from pipeline import __version__

__all__ = ["Output", "RunSummary", "__version__", "extract", "load"]
