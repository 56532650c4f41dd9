"""Run the width case table through speechclean and through autocorrect; print both pass rates.

    .venv/bin/python benchmarks/width_vs_autocorrect.py [--failures]

autocorrect (PyPI `autocorrect-py`, imported as `autocorrect_py`) is the
best-known tool that converts half-width punctuation in CJK text. It is a
comparison only, never a dependency: when it is not installed its column
says so and the script still prints speechclean's figures. A case passes
when the output equals the expected text exactly (warnings are not compared:
autocorrect has none).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from width_table import load_cases  # noqa: E402

from speechclean.stages.width import normalize_width  # noqa: E402


def _autocorrect():
    """autocorrect's `format`, or None when the package is not installed."""
    try:
        import autocorrect_py
    except ImportError:
        return None
    return autocorrect_py.format


def _rate(passed: int, total: int) -> str:
    return f"{passed:>4}/{total:<4} {100 * passed / total:5.1f}%" if total else "-"


def main(argv: list[str]) -> int:
    cases = load_cases()
    peer = _autocorrect()
    ours_pass, peer_pass, totals = Counter(), Counter(), Counter()
    failures = []
    for case in cases:
        totals[case.kind] += 1
        ours_pass[case.kind] += normalize_width(case.raw)[0] == case.expected
        if peer is not None:
            theirs = peer(case.raw)
            peer_pass[case.kind] += theirs == case.expected
            if theirs != case.expected:
                failures.append((case, theirs))

    peer_name = "autocorrect" if peer is not None else "autocorrect: not installed (pip install autocorrect-py)"
    print(f"width case table: {len(cases)} cases (tests/cases/width_cases.tsv), exact match")
    print(f"{'kind':<10} {'speechclean':>17}   {peer_name}")
    for kind in sorted(totals):
        peer_cell = _rate(peer_pass[kind], totals[kind]) if peer is not None else "skipped"
        print(f"{kind:<10} {_rate(ours_pass[kind], totals[kind]):>17}   {peer_cell}")
    total = sum(totals.values())
    peer_total = _rate(sum(peer_pass.values()), total) if peer is not None else "skipped"
    print(f"{'all':<10} {_rate(sum(ours_pass.values()), total):>17}   {peer_total}")
    if "--failures" in argv:
        for case, theirs in failures:
            print(f"\n[{case.id}] {case.raw!r}\n  expected    {case.expected!r}\n  autocorrect {theirs!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
