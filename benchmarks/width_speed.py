"""Print the width stage's speed on the benchmark corpus and its cost on adversarial inputs.

    .venv/bin/python benchmarks/width_speed.py                 # quick corpus (1,000 files, 8 MB)
    .venv/bin/python benchmarks/width_speed.py --corpus DIR    # any corpus made by make_corpus.py
    .venv/bin/python benchmarks/width_speed.py --reference     # also the stage as it was before the speed work

The corpus files are run through the pipeline up to the width stage once;
then `normalize_width` is timed alone over the texts it would see (CPU
time, best of three; MB are 10^6 bytes of the input files, as in
throughput.py). Adversarial inputs (runs of one unit: X, spaces, 。, `...`,
quotes, commas, parentheses, lists that warn ...) are timed at n and 5n
bytes; 5n/n near 5 means linear. `--reference` times the frozen copy in
tests/width_reference.py the same way, for the before/after figures in
docs/performance.md (it is quadratic on one adversarial input: give it
time). Figures are noisy on a shared machine; nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import make_corpus  # noqa: E402
import throughput  # noqa: E402

MB = 1_000_000
ADVERSARIAL = {
    "X run": "X",
    "space run": " ",
    "。 run": "。",
    "... run": "...",
    "ASCII quotes": '"',
    "quote beside Han": '中"',
    "comma run": ",",
    "comma beside Han": "中,",
    "number commas": "1,",
    "open parens": "(",
    "paren pairs": "中(x)",
    "dash runs": "中--国",
    "lone dashes": "中—",
    "lists that warn, with ...": "北京,上海,广州等...",
    "one-char lines": "中\n",
    "mixed": '同志们 : 1,000 (一) "好" ... XX ',
}


def width_inputs(corpus_dir: Path) -> tuple[list[str], int]:
    """The texts the width stage sees for every corpus file, and the corpus size in bytes."""
    from speechclean.config import Config
    from speechclean.document import Document
    from speechclean.pipeline import STAGES

    config = Config()
    texts, nbytes = [], 0
    for path, raw, _ in throughput.load_corpus(corpus_dir):
        doc = Document(raw=raw, source_path=path)
        for stage in STAGES:
            if stage.NAME == "width":
                break
            doc, _ = stage.run(doc, config)
        texts.append(doc.text)
        nbytes += len(raw)
    return texts, nbytes


def best_cpu(normalize, texts: list[str], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for text in texts:
            normalize(text)
        best = min(best, time.process_time() - started)
    return best


def adversarial(normalize, nbytes: int) -> None:
    print(f"  {'input':28s} {'n':>9s} {'5n':>9s} {'5n/n':>6s}")
    for name, unit in ADVERSARIAL.items():
        seconds = []
        for size in (nbytes, 5 * nbytes):
            text = unit * (size // len(unit.encode()))
            seconds.append(best_cpu(normalize, [text], repeats=1 if size > nbytes else 2))
        print(f"  {name:28s} {seconds[0]:8.3f}s {seconds[1]:8.3f}s {seconds[1] / max(seconds[0], 1e-4):6.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the quick corpus of throughput.py)")
    parser.add_argument("--adversarial-mb", type=float, default=1.0, help="n for the adversarial inputs (default 1 MB)")
    parser.add_argument("--reference", action="store_true", help="also time tests/width_reference.py")
    args = parser.parse_args(argv)

    from speechclean.stages.width import normalize_width

    corpus_dir = args.corpus or Path(tempfile.gettempdir()) / "speechclean-quick-corpus"
    if not (corpus_dir / make_corpus.MANIFEST).exists():
        print(f"making the corpus in {corpus_dir} ...", flush=True)
        make_corpus.write_corpus(corpus_dir, throughput.QUICK["files"], int(throughput.QUICK["mb"] * MB))
    texts, nbytes = width_inputs(corpus_dir)
    stages = [("width", normalize_width)]
    if args.reference:
        import width_reference

        stages.append(("width before the speed work", width_reference.normalize_width))
    print(f"corpus {corpus_dir}: {len(texts)} files, {nbytes / MB:.1f} MB")
    for name, normalize in stages:
        normalize("同志们:今天(一)\"好\"...")  # compile the patterns before timing
        seconds = best_cpu(normalize, texts)
        print(f"\n== {name}: {nbytes / MB / seconds:.1f} MB/s of CPU time ({seconds:.3f} s, best of 3)")
        adversarial(normalize, int(args.adversarial_mb * MB))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
