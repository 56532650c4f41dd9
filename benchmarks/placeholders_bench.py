"""Speed and linearity of the placeholder stage alone.

    python benchmarks/placeholders_bench.py [--corpus DIR] [--repeat 3] [--no-gap-model]

Prints CPU-time figures (time.process_time, best of --repeat) of the
placeholder stage's `run` on:

1. the benchmark corpus (the quick one of throughput.py unless --corpus):
   every file is taken through the stages before placeholders once, untimed,
   and the stage is then timed on those texts; MB/s are of the raw input
   bytes, as throughput.py counts them;
2. one text built from the samples at 1, 2, 4 and 8 MB (ratios to 1 MB);
3. adversarial texts at n and 5n characters (5n/n near 5 is linear).

No assertion: figures only, and noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402
import throughput  # noqa: E402

from speechclean import Config  # noqa: E402
from speechclean.document import Document  # noqa: E402
from speechclean.pipeline import STAGES  # noqa: E402
from speechclean.stages import placeholders  # noqa: E402

MB = 1_000_000


def stage_input(raw: bytes, config: Config) -> Document:
    """The document as the placeholder stage receives it."""
    doc = Document(raw=raw)
    for stage in STAGES:
        if stage.NAME == placeholders.NAME:
            return doc
        doc, _ = stage.run(doc, config)
    raise SystemExit("placeholders is not in pipeline.STAGES")


def best_cpu(docs: list[Document], config: Config, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        for doc in docs:
            placeholders.run(doc, config)
        best = min(best, time.process_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp") / "speechclean-quick-corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-gap-model", action="store_true", help="the rules alone, as `fix --no-gap-model`")
    args = parser.parse_args(argv)
    config = Config(gap_model=not args.no_gap_model)
    throughput.warm_up(config)

    if not (args.corpus / make_corpus.MANIFEST).exists():
        make_corpus.main(["--out", str(args.corpus), "--files", str(throughput.QUICK["files"]),
                          "--mb", str(throughput.QUICK["mb"])])
    corpus = throughput.load_corpus(args.corpus)
    nbytes = sum(len(raw) for _, raw, _ in corpus)
    docs = [stage_input(raw, config) for _, raw, _ in corpus]
    seconds = best_cpu(docs, config, args.repeat)
    print(f"1. corpus {args.corpus} ({len(docs)} files, {nbytes / MB:.1f} MB): "
          f"{seconds:.2f} s, {nbytes / MB / seconds:.1f} MB/s")

    text = throughput._sample_text()
    single = {}
    for size in (1, 2, 4, 8):
        doc = stage_input(throughput._sized(text, size * MB), config)
        single[size] = best_cpu([doc], config, args.repeat)
    print("2. one text from the samples: " + ", ".join(
        f"{s} MB {t:.3f} s ({t / single[1]:.2f}x)" for s, t in single.items()))

    adversarial = {
        "X run": lambda n: "X" * n,
        "× run": lambda n: "×" * n,
        "* run": lambda n: "*" * n,
        "、 run": lambda n: "、" * n,
        "X、 pairs": lambda n: "X、" * (n // 2),
        "。 run": lambda n: "。" * n,
        "space run": lambda n: " " * n,
        "个， pairs": lambda n: "项目个，" * (n // 4),
        "one long line": lambda n: ("".join(make_corpus.sentence_pool()) * (n // 1000 + 1))[:n],
        "one-char lines": lambda n: "字\n" * (n // 2),
    }
    print("3. adversarial, 1M and 5M characters (5n/n):")
    for name, make in adversarial.items():
        small = best_cpu([Document(raw=b"", text=make(1_000_000))], config, args.repeat)
        large = best_cpu([Document(raw=b"", text=make(5_000_000))], config, 1)
        print(f"   {name:15} {small:.3f} s, {large:.3f} s ({large / max(small, 1e-6):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
