"""The chrome development set stays at its targets: no body lost, chrome gone, titles right."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from chrome_eval import evaluate  # noqa: E402


def test_devset_meets_the_issue_targets():
    totals = evaluate()
    assert totals["titles"] >= 30
    assert totals["body_kept"] == totals["body"]
    assert totals["chrome_gone"] >= 0.98 * totals["chrome"]
    assert totals["titles_right"] >= 0.95 * totals["titles"]
    assert totals["trunc_right"] == totals["trunc"]
