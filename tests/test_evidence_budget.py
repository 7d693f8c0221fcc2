"""The forecast of the audit page's crop budget that decides which batch flags' crops are begun while the
documents are read (pipeline.report_writers._Spending): with every document read it is the budget the
page's plan leaves each document; with documents still to come it counts what they are likely to take."""

from __future__ import annotations

import random

from pipeline.audit.crops import MAX_CROPS_PER_DOCUMENT, MAX_CROPS_PER_RUN
from pipeline.report_writers import _Spending


def _plan_left(documents: list[tuple[str, int, int, int]]) -> dict[str, int]:
    """source -> the crops left for it as the page's plan spends the budget: documents by rank, then input
    position, each taking its crops while any are left (documents: source, rank, position, crops)."""
    left: dict[str, int] = {}
    budget = MAX_CROPS_PER_RUN
    for source, _, _, crops in sorted(documents, key=lambda d: (d[1], d[2])):
        left[source] = budget
        budget -= min(budget, crops)
    return left


def test_every_document_read_leaves_each_what_the_plan_leaves_it():
    rng = random.Random(7)
    for _ in range(200):
        count = rng.randrange(1, 90)
        documents = [(f"d{at}", rng.randrange(3), at, rng.randrange(1, MAX_CROPS_PER_DOCUMENT + 1))
                     for at in range(count)]
        position = {source: at for source, _, at, _ in documents}
        spending = _Spending(count)
        told = documents[:]
        rng.shuffle(told)  # a batch flag can name an earlier file of its report: told out of input order
        for source, rank, _, crops in told:
            spending.spend(source, rank, crops, position)
        expected = _plan_left(documents)
        assert {source: spending.left(source, rank, position) for source, rank, _, _ in documents} == expected


def test_a_document_told_again_counts_once_at_its_new_rank():
    position = {"a": 0, "b": 1}
    spending = _Spending(2)
    spending.spend("a", 2, 12, position)
    spending.spend("b", 1, 5, position)
    assert spending.left("b", 1, position) == MAX_CROPS_PER_RUN  # "a" ranks after it
    spending.spend("a", 0, 12, position)  # a batch error flag moves "a" before every warning
    assert spending.left("b", 1, position) == MAX_CROPS_PER_RUN - 12
    assert spending.totals == [12, 5, 0] and spending.order == [[(0, "a")], [(1, "b")], []]


def test_documents_still_to_come_at_a_rank_before_take_their_share():
    """Ten documents of a hundred read, each with 12 crops of errors: the ninety to come would take the
    whole budget before any document of lower rank, but never before an error read earlier than them."""
    position = {f"e{at}": at for at in range(10)}
    spending = _Spending(100)
    for source in position:
        spending.spend(source, 0, 12, position)
    position["w"] = 10
    assert spending.left("w", 1, position) == 0
    assert spending.left("e5", 0, position) == MAX_CROPS_PER_RUN - 5 * 12
    done = _Spending(11)  # the same documents, all of the run's read: the warning gets what is left
    for source in list(position)[:10]:
        done.spend(source, 0, 12, position)
    assert done.left("w", 1, position) == MAX_CROPS_PER_RUN - 10 * 12
