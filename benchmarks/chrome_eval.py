"""Score the chrome stripper on the development set and print the figures.

    python benchmarks/chrome_eval.py [-v]

For every dump in benchmarks/chrome_devset/ (made by make_chrome_devset.py)
the dump is cleaned with the default configuration and compared with its
gold annotation. Texts are compared after folding away everything but
Chinese characters, letters, digits and masks, so width normalisation and
rejoining do not count as errors; only lost or kept words do.

- chrome-line recall: gold chrome lines (and spliced spans, and HTML
  furniture) absent from the clean text;
- body-line retention: gold body paragraphs found whole in the clean text;
- title accuracy: the sidecar title equals the gold title (None included);
- truncation accuracy: the sidecar `truncated` equals the gold flag;
- meta accuracy: gold meta values the sidecar reproduces.
Targets (issue 5): 100 % body retained, >= 98 % chrome removed, >= 95 % titles.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "chrome_devset"
sys.path.insert(0, str(ROOT))

from speechclean import clean_bytes  # noqa: E402

_KEEP = regex.compile(r"[^\p{Han}\p{L}\p{N}×*]")


def fold(text: str | None) -> str:
    return _KEEP.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def chrome_gone(line: str, clean: str, clean_lines: set[str]) -> bool:
    """A chrome line is gone when no clean line is made of it (nor, for a long one, holds it).

    Short chrome such as a photo caption may also occur inside a body
    sentence (`县长刘强主持会议。`), so only long lines are looked for inside lines.
    """
    folded = fold(line)
    if not folded:
        return True
    if len(folded) < 16:
        return folded not in clean_lines
    return folded not in clean


def evaluate(verbose: bool = False) -> dict:
    totals = {"chrome": 0, "chrome_gone": 0, "body": 0, "body_kept": 0, "titles": 0, "titles_right": 0,
              "trunc": 0, "trunc_right": 0, "meta": 0, "meta_right": 0}
    for gold_path in sorted(DEVSET.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        dump = next(p for p in DEVSET.iterdir() if p.stem == name and not p.name.endswith(".json"))
        gold = json.loads(gold_path.read_text("utf-8"))
        result = clean_bytes(dump.read_bytes(), source_path=dump.name)
        clean = fold(result.text)
        clean_lines = {fold(line) for line in result.text.split("\n")}
        problems = []
        for line in gold["chrome"] + gold["inline"] + gold.get("html_chrome", []):
            totals["chrome"] += 1
            spliced = line in gold["inline"]
            if (line not in result.text) if spliced else chrome_gone(line, clean, clean_lines):
                totals["chrome_gone"] += 1
            else:
                problems.append(f"chrome kept: {line}")
        for paragraph in gold["body"]:
            totals["body"] += 1
            if fold(paragraph) in clean:
                totals["body_kept"] += 1
            else:
                problems.append(f"BODY LOST: {paragraph[:40]}")
        totals["titles"] += 1
        if fold(result.sidecar["title"]) == fold(gold["title"]):
            totals["titles_right"] += 1
        else:
            problems.append(f"title {result.sidecar['title']!r} != {gold['title']!r}")
        totals["trunc"] += 1
        if result.sidecar["truncated"] == gold["truncated"]:
            totals["trunc_right"] += 1
        else:
            problems.append(f"truncated {result.sidecar['truncated']} != {gold['truncated']}")
        for key, value in gold["meta"].items():
            totals["meta"] += 1
            if result.sidecar["meta"].get(key) == value:
                totals["meta_right"] += 1
            else:
                problems.append(f"meta {key}: {result.sidecar['meta'].get(key)!r} != {value!r}")
        if verbose and problems:
            print(f"{name}:")
            for problem in problems:
                print(f"  {problem}")
    return totals


def main() -> None:
    totals = evaluate("-v" in sys.argv)
    files = totals["titles"]

    def share(part: str, whole: str) -> str:
        return f"{totals[part] / totals[whole]:7.2%}  ({totals[part]}/{totals[whole]})" if totals[whole] else "n/a"

    print(f"chrome dev set: {files} dumps")
    print(f"chrome-line recall     {share('chrome_gone', 'chrome')}   target >= 98 %")
    print(f"body-line retention    {share('body_kept', 'body')}   target 100 %")
    print(f"title accuracy         {share('titles_right', 'titles')}   target >= 95 %")
    print(f"truncation accuracy    {share('trunc_right', 'trunc')}")
    print(f"meta accuracy          {share('meta_right', 'meta')}")
    print_pathological_timings()


def print_pathological_timings() -> None:
    """Seconds the chrome stage takes on long runs that make careless patterns backtrack."""
    from speechclean.ruleset import load_rules
    from speechclean.stages.chrome import strip_chrome

    rules = load_rules()
    for name, run in [("X", "X" * 200_000), ("spaces", "a" + " " * 200_000 + "b"), ("。", "。" * 200_000),
                      ("ab.", "ab." * 70_000), ("-", "-" * 200_000), ("www.", "www." * 50_000)]:
        start = time.perf_counter()
        strip_chrome(run, rules)
        print(f"chrome stage on a run of 200k {name!r:9}  {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
