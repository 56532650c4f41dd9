"""Upper bounds of three ways to speed up the placeholder stage (perf7).

    python benchmarks/placeholders_probe.py [--corpus DIR] [--rounds 7]

Each probe times a variant that does LESS work than the stage must do, so it
bounds from above what the real change could gain (CPU time, min over
--rounds, the two variants alternated; the stage's input is the corpus taken
once through the stages before it). Figures only, no assertion; noisy on a
shared machine.

1. Anchors moved onto a rarer character: the shared gap scan with and without
   every anchor led by a literal string whose later characters are rarer
   (`实到`, `出席`, `联合`, `时间`, …): removing them outright is more than moving
   them could save.
2. Masks by one whole-text pass per rule instead of per anchored line: the
   rule scans alone, both ways (windows found beforehand, not timed).
3. Per-hit cost of the shared gap scan: the scan's matches with its empty
   groups (which name the anchor that matched) and without them.
"""

from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import placeholders_bench  # noqa: E402
import throughput  # noqa: E402

from speechclean import Config  # noqa: E402
from speechclean.stages import placeholders as ph  # noqa: E402


def paired(first, second, rounds: int) -> tuple[float, float, float]:
    """(min of first, min of second, median ratio first/second), alternated."""
    a, b = [], []
    for _ in range(rounds):
        for fn, out in ((first, a), (second, b)):
            started = time.process_time()
            fn()
            out.append(time.process_time() - started)
    return min(a), min(b), statistics.median(x / y for x, y in zip(a, b))


def literal_lead(pattern: str) -> str:
    """The run of literal characters a pattern starts with."""
    lead = ""
    for op, av in ph._sre_parser.parse(pattern, re.MULTILINE).data:
        if op is not ph._sre_constants.LITERAL:
            break
        lead += chr(av)
    return lead


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp") / "speechclean-quick-corpus")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    config = Config()
    texts = [placeholders_bench.stage_input(raw, config).text for _, raw, _ in throughput.load_corpus(args.corpus)]
    rules = ph.load_rules()
    scan = rules.gap_scan
    freq = collections.Counter("".join(texts))
    print(f"corpus: {len(texts)} texts, {sum(map(len, texts)):,} characters; "
          f"{len(rules.gaps)} gap rules, {len(scan.patterns)} gap anchors, {len(rules.masks)} mask rules")

    def count(pattern):
        return lambda: [sum(1 for _ in pattern.finditer(text)) for text in texts]

    movable = [p for p in scan.patterns
               if len(lead := literal_lead(p.pattern)) >= 2 and min(freq[c] for c in lead[1:]) < freq[lead[0]]]
    rest = ph.AnchorScan.build(p for p in scan.patterns if p not in movable)
    full, without, ratio = paired(count(scan.combined), count(rest.combined), args.rounds)
    print(f"1. gap scan {full:.3f} s; without the {len(movable)} anchors a rarer character could lead "
          f"{without:.3f} s (x{ratio:.2f} on the scan)")

    hits = [ph._AnchorHits(text, rules.mask_scan) for text in texts]
    scans = []
    for rule in (*rules.not_masks, *rules.masks):
        windows = [ph._scan_windows(rule.anchor, h) for h in hits]
        scans.append((rule.pattern, windows))

    def per_line_all():
        for pattern, all_windows in scans:
            for text, spans in zip(texts, all_windows):
                for begin, end in spans:
                    for _ in pattern.finditer(text, begin, end):
                        pass

    def whole_all():
        for pattern, all_windows in scans:
            for text, spans in zip(texts, all_windows):
                if spans:
                    for _ in pattern.finditer(text):
                        pass

    line_s, whole_s, ratio = paired(per_line_all, whole_all, args.rounds)
    started = time.process_time()
    for text in texts:
        found = ph._AnchorHits(text, rules.mask_scan)
        for rule in (*rules.not_masks, *rules.masks):
            ph._scan_windows(rule.anchor, found)
    windows_s = time.process_time() - started
    print(f"2. mask rules over their anchored lines {line_s:.3f} s, over whole texts {whole_s:.3f} s "
          f"(x{ratio:.2f}); finding the lines (mask anchor scan included) {windows_s:.3f} s")

    bare = re.compile(scan.combined.pattern.replace("()", ""), re.MULTILINE)
    grouped, groupless, ratio = paired(count(scan.combined), count(bare), args.rounds)
    print(f"3. gap scan with its {scan.combined.groups} groups {grouped:.3f} s, without {groupless:.3f} s "
          f"(x{ratio:.2f}); full stage for scale:")
    started = time.process_time()
    for text in texts:
        ph.mark_placeholders(text, rules, config.mask_token)
    print(f"   mark_placeholders over the corpus {time.process_time() - started:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
