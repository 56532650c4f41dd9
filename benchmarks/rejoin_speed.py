"""CPU time of the rejoin stage alone: per kind of text on a corpus, and on adversarial inputs at n and 5n.

    .venv/bin/python benchmarks/rejoin_speed.py [--corpus DIR] [--base FILE] [--rounds N] [--skip-linearity]

The texts entering rejoin are made by running the stages before it over every
file of the corpus (default: the quick corpus, /tmp/speechclean-quick-corpus).
Each kind (wrap mode: lines, spaces, unwrapped) is timed alone, best of
`--rounds`. With `--base`, a copy of an older `speechclean/stages/rejoin.py`
(its `..` imports written as `speechclean.`) is loaded beside the current one;
the two are alternated in one process, their outputs compared on every text,
and the ratio printed. The adversarial inputs go straight to `rejoin`:
a run of spaces, newlines only, one-character lines, one long line of prose,
and prose wrapped at 35 characters with newlines and with spaces.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_corpus  # noqa: E402
import throughput  # noqa: E402

from speechclean.config import Config  # noqa: E402
from speechclean.document import Document  # noqa: E402
from speechclean.pipeline import STAGES  # noqa: E402
from speechclean.stages import rejoin as current  # noqa: E402

MB = 1_000_000


def texts_entering_rejoin(corpus: Path) -> list[str]:
    config = Config()
    texts = []
    for path, raw, _ in throughput.load_corpus(corpus):
        doc = Document(raw=raw, source_path=path)
        for stage in STAGES:
            if stage.NAME == "rejoin":
                texts.append(doc.text)
                break
            doc, _ = stage.run(doc, config)
    return texts


def load_base(path: str):
    spec = importlib.util.spec_from_file_location("rejoin_base", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["rejoin_base"] = module
    spec.loader.exec_module(module)
    return module


def best_cpu(module, texts: list[str], rounds: int) -> float:
    furniture = module.furniture_rules()
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            module.rejoin(text, furniture)
        best = min(best, time.process_time() - started)
    return best


def prose(nbytes: int, width: int | None = None, separator: str = "\n") -> str:
    text = "".join(make_corpus.sentence_pool())
    text = (text * (nbytes // len(text.encode()) + 1)).encode()[:nbytes].decode("utf-8", "ignore")
    if width is None:
        return text
    return separator.join(text[i:i + width] for i in range(0, len(text), width))


ADVERSARIAL = {
    "spaces": (MB, lambda n: " " * n),
    "newlines": (100_000, lambda n: "\n" * n),
    "one-char lines": (100_000, lambda n: "字\n" * n),
    "one long line": (MB, prose),
    "X run": (MB, lambda n: "X" * n),
    "\u3002 run": (MB // 3, lambda n: "\u3002" * n),
    "wrapped, newlines": (MB, lambda n: prose(n, 35, "\n")),
    "wrapped, spaces": (MB, lambda n: prose(n, 35, " ")),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/tmp/speechclean-quick-corpus")
    parser.add_argument("--base")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-linearity", action="store_true")
    args = parser.parse_args()
    modules = [("current", current)] + ([("base", load_base(args.base))] if args.base else [])
    texts = texts_entering_rejoin(Path(args.corpus))
    kinds: dict[str, list[str]] = {"all": texts}
    furniture = current.furniture_rules()
    for text in texts:
        result = current.rejoin(text, furniture)
        for name, module in modules[1:]:
            assert module.rejoin(text, module.furniture_rules()) == result, f"{name} differs"
        kinds.setdefault(result[2]["wrap_mode"], []).append(text)
    print(f"rejoin alone, CPU best of {args.rounds}, MB/s (MB = 10^6 bytes of UTF-8)")
    for kind, group in kinds.items():
        size = sum(len(text.encode()) for text in group) / MB
        seconds = {}
        for _ in range(2):  # alternated: ABAB
            for name, module in modules:
                seconds[name] = min(seconds.get(name, float("inf")), best_cpu(module, group, args.rounds))
        line = f"  {kind:10s} {len(group):5d} files {size:5.2f} MB"
        for name, _ in modules:
            line += f"  {name} {size / seconds[name]:6.1f} MB/s ({seconds[name]:.3f} s)"
        if args.base:
            line += f"  x{seconds['base'] / seconds['current']:.2f}"
        print(line)
    if args.skip_linearity:
        return 0
    print("adversarial inputs, rejoin alone, CPU best of 3: n, 5n, ratio")
    for kind, (size, make) in ADVERSARIAL.items():
        small, large = make(size), make(5 * size)
        for name, module in modules:
            t_small, t_large = best_cpu(module, [small], 3), best_cpu(module, [large], 3)
            print(f"  {kind:18s} {name:7s} {t_small:7.3f} s  {t_large:7.3f} s  5n/n = {t_large / t_small:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
