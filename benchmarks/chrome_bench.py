"""Time the chrome stage alone, on the benchmark corpus and on adversarial inputs.

The stages before chrome run once per file (untimed) to give chrome its real
input; then `chrome.run` is timed over every file, best CPU time of
`--repeat` rounds (the machine is shared: the best round is the least noisy).
`--dump FILE` writes every output (text, removals, meta, warnings, counters)
as JSON lines, so two commits can be compared byte for byte.

Usage:
    python benchmarks/chrome_bench.py [--corpus DIR] [--repeat 3] [--dump out.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus  # noqa: E402

MB = 1_000_000


def chrome_inputs(corpus_dir: Path):
    from speechclean import Config
    from speechclean.document import Document
    from speechclean.pipeline import STAGES
    from speechclean.stages import chrome

    config = Config()
    before = STAGES[: STAGES.index(chrome)]
    docs = []
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        doc = Document(raw=path.read_bytes(), source_path=str(path))
        for stage in before:
            doc, _ = stage.run(doc, config)
        docs.append(doc)
    return docs, config


def time_chrome(docs, config, repeat: int) -> tuple[float, list]:
    from speechclean.stages import chrome

    best, outputs = float("inf"), []
    for _ in range(repeat):
        outputs = []
        started = time.process_time()
        for doc in docs:
            outputs.append(chrome.run(doc, config))
        best = min(best, time.process_time() - started)
    return best, outputs


def adversarial(config, repeat: int) -> None:
    from speechclean.document import Document
    from speechclean.stages import chrome

    prose = "".join(make_corpus.sentence_pool())
    cases = {
        "X run": lambda n: "X" * n,
        "space run": lambda n: " " * n,
        "\u3002 run": lambda n: "\u3002" * (n // 3),
        "one long line": lambda n: (prose * (n // len(prose.encode()) + 1))[: n // 3],
        "long line + disclaimer": lambda n: (prose * (n // len(prose.encode()) + 1))[: n // 6]
        + "本文内容由互联网用户自发贡献,该文观点仅代表作者本人。" + prose[: n // 6],
        "newlines only": lambda n: "\n" * n,
        "one-char lines": lambda n: "\u5b57\n" * (n // 4),
    }
    sizes = {"newlines only": 100_000, "one-char lines": 400_000}
    print(f"  {'input':24s} {'MB':>6s} {'s':>7s} {'s/MB':>7s} {'5n/n':>6s}")
    for name, make in cases.items():
        large = sizes.get(name, 2 * MB)
        seconds = {}
        for nbytes in (large // 5, large):
            text = make(nbytes)
            doc = Document(text=text)
            best = float("inf")
            for _ in range(repeat):
                started = time.process_time()
                chrome.run(doc, config)
                best = min(best, time.process_time() - started)
            seconds[nbytes] = (best, len(text.encode()))
        seconds_big, bytes_big = seconds[large]
        ratio = seconds_big / max(seconds[large // 5][0], 1e-9)
        print(f"  {name:24s} {bytes_big / MB:6.2f} {seconds_big:7.3f} {seconds_big / (bytes_big / MB):7.3f} {ratio:6.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the chrome stage's throughput.")
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "speechclean-chrome-corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--skip-adversarial", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        make_corpus.main(["--files", "1000", "--mb", "8", "--out", str(args.corpus)])
    docs, config = chrome_inputs(args.corpus)
    nbytes = sum(len(doc.text.encode()) for doc in docs)
    chrome_time, outputs = time_chrome(docs, config, args.repeat)
    print(f"chrome stage: {nbytes / MB / chrome_time:6.1f} MB/s of CPU time "
          f"({nbytes / MB:.1f} MB of chrome input, {len(docs)} files, best of {args.repeat}: {chrome_time:.2f} s)")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for doc, (new, counters) in zip(docs, outputs):
                out.write(json.dumps({"file": doc.source_path, "text": new.text, "meta": dict(new.meta),
                                      "removed": [r.to_json() for r in new.removed], "warnings": list(new.warnings),
                                      "truncation": dict(new.truncation), "counters": counters},
                                     ensure_ascii=False) + "\n")
    if not args.skip_adversarial:
        print("adversarial inputs (chrome stage alone, best of the rounds; 5n/n near 5 is linear):")
        adversarial(config, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
