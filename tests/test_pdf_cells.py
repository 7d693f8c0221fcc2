"""The linear cell search (extractors/readers/pdf_cells.py) finds exactly pdfplumber's cells and tables.

Compared on every ruled page of the project's PDFs (and the shared real reports where present), through
both routes a page takes: pdfium's rules (pdf_pdfium_tables.RulePage) and a pdfplumber page.
"""

from __future__ import annotations

import random
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber import table as plumber_table
from pdfplumber.table import TableFinder

from extractors.readers.pdf_cells import FastTableFinder, cells_to_tables, edges_to_intersections
from extractors.readers.pdf_fast import page_chars
from extractors.readers.pdf_pdfium_tables import rule_page
from extractors.readers.pdf_tables import _SETTINGS, Edge, _components, _touch, closing_lines, is_visible_rule
from tests.conftest import CORPUS
from tests.pdf_pages import plain_pages


def _settings(page: object) -> dict:
    """The settings pdf_tables gives the finder: visible rules plus the closing lines it adds."""
    from extractors.readers.pdf_tables import _edges

    horizontal, vertical = _edges(page)
    h_extra, v_extra = closing_lines(horizontal, vertical)
    return dict(_SETTINGS, explicit_horizontal_lines=h_extra, explicit_vertical_lines=v_extra)


def _same(page: object) -> int:
    """Assert both finders agree on the page; the number of cells found."""
    settings = _settings(page)
    theirs = TableFinder(page, settings)  # type: ignore[arg-type]
    ours = FastTableFinder(page, settings)
    assert list(ours.intersections.items()) == list(theirs.intersections.items())  # points, order, edges
    assert ours.cells == theirs.cells
    assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables]
    return len(ours.cells)


def test_pdfium_rule_pages_match_pdfplumber_cells() -> None:
    cells = pages = 0
    for _, _, page in plain_pages():
        ruled = rule_page(page, page_chars(page))
        if ruled is None:
            continue
        found = _same(ruled.filter(is_visible_rule))
        cells += found
        pages += bool(found)
    assert pages >= 40 and cells >= 5000  # the corpus's table pages, not a vacuous pass


@pytest.mark.parametrize("name", ["t4-rotated.pdf", "t4-landscape.pdf"])
def test_pdfplumber_pages_match(name: str) -> None:
    path: Path = CORPUS / "variants" / name
    with pdfplumber.open(path) as pdf:
        found = sum(_same(page.filter(is_visible_rule)) for page in pdf.pages)
    assert found > 50


def test_cell_grouping_matches_pdfplumber_in_any_order() -> None:
    """Cells in any order (several passes needed), repeated cells, two tables and a lone cell: grouped
    and ordered as pdfplumber's cells_to_tables groups them."""
    rng = random.Random(5)
    grid = [(float(x), float(y), x + 10.0, y + 10.0) for x in range(0, 50, 10) for y in range(0, 40, 10)]
    other = [(float(x), float(y), x + 5.0, y + 5.0) for x in range(100, 120, 5) for y in range(0, 10, 5)]
    lone = [(300.0, 300.0, 310.0, 310.0)]
    for repeated in ([], grid[:3]):
        for _ in range(50):
            cells = grid + other + lone + repeated
            rng.shuffle(cells)
            ours = cells_to_tables(cells)
            assert ours == plumber_table.cells_to_tables(cells)
            assert sorted(map(len, ours)) == [8, 20 + len(repeated)]  # the lone cell is no table


def _random_edges(rng: random.Random, n: int) -> list[dict]:
    """Short rules on a coarse grid (so many meet exactly at the tolerance's edge), some reversed."""
    edges = []
    for _ in range(n):
        a, b, c = (rng.randrange(0, 80) * 0.5 for _ in range(3))
        if rng.random() < 0.5:
            edges.append({"x0": min(a, b), "x1": max(a, b), "top": c, "bottom": c, "orientation": "h"})
        else:
            top, bottom = (a, b) if rng.random() < 0.9 else (max(a, b), min(a, b))
            edges.append({"x0": c, "x1": c, "top": top, "bottom": bottom, "orientation": "v"})
    return edges


def test_intersections_match_pdfplumber_on_random_rules() -> None:
    """Every point, in pdfplumber's order, with the same edges, whatever the tolerances."""
    rng = random.Random(11)
    for _ in range(300):
        edges = _random_edges(rng, rng.randrange(0, 40))
        for tol in (0, 1, 1.5, 3):
            ours = edges_to_intersections(edges, tol, tol)
            assert list(ours.items()) == list(plumber_table.edges_to_intersections(edges, tol, tol).items())
    nan = [{"x0": 1.0, "x1": 9.0, "top": float("nan"), "bottom": float("nan"), "orientation": "h"},
           {"x0": 5.0, "x1": 5.0, "top": 0.0, "bottom": 9.0, "orientation": "v"}]
    assert edges_to_intersections(nan, 3, 3) == plumber_table.edges_to_intersections(nan, 3, 3)


def test_rule_groups_match_comparing_every_pair() -> None:
    """The sweep that groups rules into tables finds the groups comparing every pair of rules finds."""
    rng = random.Random(7)
    for _ in range(300):
        edges = _random_edges(rng, rng.randrange(0, 40))
        if rng.random() < 0.1:
            edges.append({"x0": 3.0, "x1": 30.0, "top": float("nan"), "bottom": float("nan"), "orientation": "h"})
        horizontal = [Edge(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"]
        vertical = [Edge(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"]
        items = [(e, True) for e in horizontal] + [(e, False) for e in vertical]
        group = list(range(len(items)))  # every pair compared; the smallest index names each group
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                if _touch(*items[i], *items[j]):
                    old, new = max(group[i], group[j]), min(group[i], group[j])
                    group = [new if g == old else g for g in group]
        expected: dict[int, tuple[list[Edge], list[Edge]]] = {}
        for (e, is_h), g in zip(items, group, strict=True):
            expected.setdefault(g, ([], []))[0 if is_h else 1].append(e)
        assert _components(horizontal, vertical) == list(expected.values())


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    """An edge as pdfplumber's obj_to_edges gives one (its size and PDF-space y as well)."""
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": 800.0 - bottom, "y1": 800.0 - top, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation}


def test_merged_edges_match_pdfplumber_on_random_rules() -> None:
    """Snapping and joining give pdfplumber's edges, in its order, key for key, whatever the tolerances
    (coarse coordinates, so many rules meet exactly at a tolerance's edge)."""
    from extractors.readers.pdf_cells import merge_edges

    rng = random.Random(13)
    for _ in range(300):
        edges = [_edge(e["x0"], min(e["top"], e["bottom"]), e["x1"], max(e["top"], e["bottom"]), e["orientation"])
                 for e in _random_edges(rng, rng.randrange(0, 40))]
        for snap, join in ((0, 0), (3, 3), (1.5, 0), (0, 1), (3, 0.5)):
            ours = merge_edges(edges, snap, snap, join, join)
            assert ours == plumber_table.merge_edges(edges, snap, snap, join, join)
    odd = [_edge(5.0, 0.0, 5.0, float("nan"), "v"), _edge(1.0, 2.0, 9.0, 2.0, "h")]
    assert merge_edges(odd, 3, 3, 3, 3) == plumber_table.merge_edges(odd, 3, 3, 3, 3)


def _random_grid(rng: random.Random) -> list[dict]:
    """A ruled grid with some rules missing or cut short (merged cells, open borders), as merged edges."""
    xs = sorted({rng.randrange(0, 40) * 2.0 for _ in range(rng.randrange(2, 8))})
    ys = sorted({rng.randrange(0, 40) * 2.0 for _ in range(rng.randrange(2, 8))})
    edges = []
    for y in ys:
        for a, b in zip(xs, xs[1:], strict=False):
            if rng.random() < 0.85:
                edges.append(_edge(a, y, b, y, "h"))
    for x in xs:
        for a, b in zip(ys, ys[1:], strict=False):
            if rng.random() < 0.85:
                edges.append(_edge(x, a, x, b, "v"))
    return edges


def test_cells_match_pdfplumber_on_random_grids_and_rules() -> None:
    """The cell search finds pdfplumber's cells in its order: on grids, where each point has one rule of
    each kind (the numbered path), and on loose rules, where points have several (the set path)."""
    from extractors.readers.pdf_cells import intersections_to_cells

    rng = random.Random(17)
    single = several = 0
    for trial in range(400):
        raw = _random_grid(rng) if trial % 2 else [
            _edge(e["x0"], min(e["top"], e["bottom"]), e["x1"], max(e["top"], e["bottom"]), e["orientation"])
            for e in _random_edges(rng, rng.randrange(0, 40))]
        edges = plumber_table.merge_edges(raw, 3, 3, 3, 3) if trial % 4 < 2 else raw
        points = plumber_table.edges_to_intersections(edges, 3, 3)
        if points and all(len(ix["v"]) == 1 and len(ix["h"]) == 1 for ix in points.values()):
            single += 1
        else:
            several += 1
        assert intersections_to_cells(points) == plumber_table.intersections_to_cells(points)
    assert single > 50 and several > 50  # both paths taken


def test_cell_text_matches_a_scan_of_every_glyph() -> None:
    """A cell's text (glyphs sorted once per row band) is what testing every glyph of the page gives."""
    from extractors.readers.pdf_tables import CharsByHeight
    from extractors.readers.pdf_text import chars_text

    rng = random.Random(19)
    for _ in range(200):
        chars: list[dict] = []
        for _ in range(rng.randrange(0, 60)):
            x, y = rng.randrange(0, 40) * 2.5, rng.randrange(0, 20) * 5.0
            chars.append({"text": rng.choice("0123456789一二三"), "x0": x, "x1": x + 5.0, "top": y,
                          "bottom": y + 5.0, "size": 5.0, "upright": True})
        if rng.random() < 0.1 and chars:
            chars[0] = dict(chars[0], x0=float("nan"))
        glyphs = CharsByHeight(chars)
        for _ in range(20):
            x0, x1 = sorted(rng.randrange(0, 40) * 2.5 for _ in range(2))
            top, bottom = sorted(rng.randrange(0, 20) * 5.0 for _ in range(2))
            inside = [ch for ch in chars
                      if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom]
            assert glyphs.text_in((x0, top, x1, bottom)) == chars_text(inside)
