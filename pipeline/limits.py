"""The run's default limits, in a module of their own so the command line shows them without loading the pipeline."""

from __future__ import annotations

DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MAX_BYTES = 200 * 2**20  # an annual report is rarely over 20 MB; a scan of 200 pages fits
# memory a worker may add to its loaded size (about 200 MB) while reading one document (pipeline.memory):
# two workers at the cap stay near 2 GiB
DEFAULT_MAX_MEMORY_MB = 800
DEFAULT_MAX_PAGES = 500  # an annual report runs to tens of pages; thousands is something else
