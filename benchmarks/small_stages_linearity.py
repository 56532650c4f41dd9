"""Cost of the small stages on adversarial inputs at n and 5n characters (prints figures).

    python benchmarks/small_stages_linearity.py

For each input and each of decode, hygiene, script, meta, width,
truncation and layout: CPU seconds at n and at 5n, and their ratio (about 5
when the cost is linear). Inputs include the worst cases of the perf3
changes: many protected-span hints (`@` on every line, one long line of
them) for width, astral and radical-heavy text for the Han counters.
"""

from __future__ import annotations

import gc
import time

from speechclean.config import Config
from speechclean.document import Document
from speechclean.stages import decode, hygiene, layout, meta, script, truncation, width

STAGES = (decode, hygiene, script, meta, width, truncation, layout)
N = 400_000  # characters at 1n

def _repeat(unit: str, n: int) -> str:
    """`unit` repeated to about n characters, whole units only (so n and 5n end alike)."""
    return unit * max(1, n // len(unit))


INPUTS = {
    "X run": lambda n: "X" * n,
    "space run": lambda n: " " * n,
    "\u3002 run": lambda n: "\u3002" * n,
    "one long line": lambda n: _repeat("今天我们召开会议,研究部署工作(一)", n),
    "newlines only": lambda n: "\n" * n,
    "one-char lines": lambda n: _repeat("字\n", n),
    "@ on every line": lambda n: _repeat("联系a@b.cn,谢谢\n", n),
    "@ in one line": lambda n: _repeat("a@b.cn 中文", n),
    "astral Han": lambda n: _repeat("\U00020001\u2e80\u3007的", n),
}


def cost(text: str, config: Config, repeat: int = 3) -> dict[str, float]:
    """Least CPU seconds per stage over `repeat` runs (the machine is shared)."""
    seconds: dict[str, float] = {}
    for _ in range(repeat):
        doc = Document(raw=text.encode("utf-8"))
        gc.collect()
        for stage in STAGES:
            start = time.process_time()
            doc, _ = stage.run(doc, config)
            elapsed = time.process_time() - start
            seconds[stage.NAME] = min(seconds.get(stage.NAME, elapsed), elapsed)
    return seconds


def main() -> None:
    config = Config()
    cost("预热。", config)
    print(f"{'input':18s} " + " ".join(f"{stage.NAME:>16s}" for stage in STAGES))
    for name, make in INPUTS.items():
        small, large = cost(make(N), config), cost(make(5 * N), config)
        cells = [f"{large[s.NAME]:6.3f}s x{large[s.NAME] / max(small[s.NAME], 1e-4):5.1f}" for s in STAGES]
        print(f"{name:18s} " + " ".join(f"{cell:>16s}" for cell in cells))
    print("(each cell: CPU seconds at 5n, and 5n/n; ~5 is linear, noisy below 0.01 s)")


if __name__ == "__main__":
    main()
