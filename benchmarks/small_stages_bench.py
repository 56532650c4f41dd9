"""CPU MB/s of the small stages, the sidecar and the per-stage bookkeeping (prints figures).

    python benchmarks/small_stages_bench.py [stage,stage,...]

Runs the pipeline once over the quick corpus (`throughput.py --quick`
makes it on first use) to record each stage's input, then times each stage
alone on those inputs five times and prints the best: on a shared machine
the minimum is the figure least disturbed by other processes. "sidecar"
is build + JSON of the final documents; "overhead" is the `evolve(steps=…)`
and `Step` per stage that throughput.py counts as pipeline overhead. To
compare two revisions, run it from each checkout in the same minute
(PYTHONPATH=<checkout> python benchmarks/small_stages_bench.py).
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import throughput  # noqa: E402

from speechclean.config import Config  # noqa: E402
from speechclean.document import Document, Step  # noqa: E402
from speechclean.pipeline import STAGES  # noqa: E402
from speechclean.sidecar import build_sidecar, dumps  # noqa: E402

DEFAULT = ["decode", "html", "hygiene", "script", "meta", "width", "truncation", "layout", "sidecar", "overhead"]


def main() -> None:
    wanted = sys.argv[1].split(",") if len(sys.argv) > 1 else DEFAULT
    corpus_dir = Path(tempfile.gettempdir()) / "speechclean-quick-corpus"
    if not (corpus_dir / throughput.make_corpus.MANIFEST).exists():
        sys.exit(f"no corpus in {corpus_dir}: run benchmarks/throughput.py --quick once to make it")
    corpus = throughput.load_corpus(corpus_dir)
    config = Config()
    throughput.warm_up(config)
    nbytes = sum(len(raw) for _, raw, _ in corpus)
    inputs: dict[str, list[Document]] = {stage.NAME: [] for stage in STAGES}
    finals = []
    for path, raw, _ in corpus:
        doc = Document(raw=raw, source_path=path)
        for stage in STAGES:
            inputs[stage.NAME].append(doc)
            before = doc.text
            doc, counters = stage.run(doc, config)
            doc = doc.evolve(steps=doc.steps + (Step(stage.NAME, doc.text != before, counters),))
        finals.append((path, doc))

    def run(name: str) -> None:
        if name == "sidecar":
            for path, doc in finals:
                dumps(build_sidecar(doc, path, config.digest()))
        elif name == "overhead":
            for _, raw, _ in corpus:
                doc = Document(raw=raw)
                for stage in STAGES:
                    doc = doc.evolve(steps=doc.steps + (Step(stage.NAME, False, {}),))
        else:
            stage = next(stage for stage in STAGES if stage.NAME == name)
            for doc in inputs[name]:
                stage.run(doc, config)

    print(f"{len(corpus)} files, {nbytes / throughput.MB:.1f} MB; best of 5, MB/s of CPU time")
    for name in wanted:
        best = float("inf")
        for _ in range(5):
            gc.collect()
            start = time.process_time()
            run(name)
            best = min(best, time.process_time() - start)
        print(f"  {name:12s} {throughput.rate(nbytes, best):8.1f} MB/s  {best:.3f} s")


if __name__ == "__main__":
    main()
