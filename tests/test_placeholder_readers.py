"""The reader comparison counts a reader's mark as finding a gold gap only at
the gap or one character away, and each mark finds at most one gap."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import placeholder_readers  # noqa: E402


@pytest.mark.parametrize("line, plain, marks", [
    ("新增项目⟦⟧个", "新增项目个", [4]),
    ("于⟦⟧年⟦⟧月⟦⟧日召开", "于年月日召开", [1, 2, 3]),
    ("⟦⟧、⟦⟧等", "、等", [0, 1]),
    ("没有空缺。", "没有空缺。", []),
])
def test_reader_marks_are_positions_in_the_unmarked_line(line, plain, marks):
    assert placeholder_readers.reader_marks(line) == (plain, marks)


@pytest.mark.parametrize("gold, marks, found", [
    ({4}, [4], {4}),
    ({4}, [5], {4}),            # one character away: the same hole, seen
    ({4}, [3], {4}),
    ({4}, [6], set()),          # two away: a different place
    ({1, 2}, [2], {2}),         # an exact mark is not spent on a neighbour
    ({1, 2}, [1, 2], {1, 2}),
    ({1, 3}, [2], {1}),         # one mark finds one gap, not both of its neighbours
    (set(), [5], set()),
    ({7}, [], set()),
])
def test_a_mark_finds_the_gap_at_it_or_next_to_it_once(gold, marks, found):
    assert placeholder_readers.matched(gold, marks) == found
