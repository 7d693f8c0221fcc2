"""A cell record's box as written (extractors/table_grids.bbox_text): each coordinate to 0.1 pt exactly as
Python's own '.1f' format prints it, whatever number type the reader left in the box."""

from __future__ import annotations

import math
import random

from extractors.tables.table_grids import bbox_text
from schemas.document import Cell


def _cell(box: object) -> Cell:
    return Cell(row=0, col=0, text="1", bbox=box)  # type: ignore[arg-type]


def test_a_box_reads_as_four_coordinates_to_a_tenth() -> None:
    # 10.25 is exact in binary and rounds half to even; 0.05 is stored a hair above 0.05; ints get '.0'
    assert bbox_text(_cell((10.25, 0.05, 100.0, 7))) == "10.2 0.1 100.0 7.0"
    assert bbox_text(_cell([1.26, 2.0, -0.04, 3.95])) == "1.3 2.0 -0.0 4.0"  # a list as a tuple
    assert bbox_text(Cell(row=0, col=0, text="1")) == ""


def test_every_coordinate_as_format_prints_it() -> None:
    rng = random.Random(25)
    specials = [0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 841.89, 595.275, 1e6 + 0.05, -12.75, math.inf, math.nan, 3, -8]
    for _ in range(3000):
        box = tuple(rng.choice(specials) if rng.random() < 0.2 else
                    round(rng.uniform(-50, 900), rng.choice([0, 1, 2, 3, 6])) for _ in range(4))
        assert bbox_text(_cell(box)) == " ".join(format(v, ".1f") for v in box)
    for n in (2, 3, 5):  # a box of another length keeps its coordinates, however many
        box = tuple(rng.uniform(0, 800) for _ in range(n))
        assert bbox_text(_cell(box)) == " ".join(format(v, ".1f") for v in box)
