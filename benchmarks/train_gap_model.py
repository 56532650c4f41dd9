"""Count the contexts of gaps and of plain text in the annotated set: the data of the gap model.

    python benchmarks/train_gap_model.py [--check]

Reads every file of benchmarks/placeholder_set/ except the clean held-out ones
(placeholder_eval.CLEAN_HELDOUTS: a model that had read them would make their
figure worthless), and the complete speeches of placeholder_set/complete/
with every Arabic number deleted as anonymisers delete them (a deleted number
a reader can see is a gap, one nothing shows is not counted), and writes
speechclean/rules/gap_model.json: for each piece
of context (speechclean/stages/gap_model.py says which), how often it stood at
a gold gap and how often at any other place. Places touching a gold mask or
next to a number are not counted: the model never scores them.

--check writes nothing and exits 1 if the shipped file differs from what the
set gives (the tests run this, so a changed set cannot leave a stale model).
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

from placeholder_corpus import anonymise
from placeholder_eval import CLEAN_HELDOUTS, SET, cases, parse_case

from speechclean.stages.gap_model import LEFT, PIECES, context, next_to_a_number, padded

# complete speeches, with no holes: the model reads them with every number
# deleted, as anonymisers delete them (placeholder_corpus.anonymise)
COMPLETE = SET / "complete"
MODEL = Path(__file__).resolve().parent.parent / "speechclean" / "rules" / "gap_model.json"
SETTINGS = {
    "alpha": 0.5,
    # a piece seen only in plain text, at most this often, is left out
    "pruned_below": 3,
    # thresholds on the log-odds, after the document's prior: chosen with each
    # dev set left out of training in turn, against the false alarms on a news
    # corpus of complete text (docs/placeholders.md)
    "candidate": -8.0,
    "low": 2.0,
    "high": 6.0,
    # the document's prior (gap_model.GapModel.shift): the share of gaps the
    # rules find at high confidence on unseen sets, a pseudo-count, and the
    # weight of the change of log-odds
    "rule_recall": 0.78,
    "pseudo_gaps": 0.5,
    "prior_weight": 2.0,
}


def training_files() -> list[Path]:
    return [path for path in [*sorted(SET.glob("*.txt")), *sorted(COMPLETE.glob("*.txt"))]
            if path.name not in CLEAN_HELDOUTS]


def examples(path: Path):
    """(text, gold gaps, places not counted) for each line of an annotated or a complete file."""
    if path.parent == COMPLETE:
        for line in path.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                text, shown, hidden = anonymise(line)
                yield text, set(shown), set(hidden)
        return
    for _, line in cases(path):
        text, masks, gaps, _ = parse_case(line)
        yield text, gaps, {place for start, end in masks for place in range(start, end + 1)}


def count(paths: list[Path]) -> dict:
    """The model's data, from the lines of `paths`."""
    at_gap, elsewhere = collections.Counter(), collections.Counter()
    gap_places = other_places = 0
    for path in paths:
        for text, gaps, not_counted in examples(path):
            pad = padded(text)
            for place in range(len(text) + 1):
                at = place + LEFT
                if place in not_counted or next_to_a_number(pad, at):
                    continue
                pieces = zip((name for name, _, _ in PIECES), context(pad, place))
                if place in gaps:
                    at_gap.update(pieces)
                    gap_places += 1
                else:
                    elsewhere.update(pieces)
                    other_places += 1
    kept = sorted(key for key in at_gap.keys() | elsewhere.keys()
                  if at_gap[key] or elsewhere[key] > SETTINGS["pruned_below"])
    return {**SETTINGS, "trained_on": [str(path.relative_to(SET)) for path in paths], "gap_places": gap_places,
            "other_places": other_places, "counts": [[name, piece, at_gap[(name, piece)], elsewhere[(name, piece)]]
                                                     for name, piece in kept]}


def render(data: dict) -> str:
    """JSON with one count a line, so a retrained model diffs line by line."""
    head = {key: value for key, value in data.items() if key != "counts"}
    lines = [json.dumps(entry, ensure_ascii=False, separators=(",", ":")) for entry in data["counts"]]
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return body + ',\n "counts": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def main() -> int:
    rendered = render(count(training_files()))
    if "--check" in sys.argv:
        if MODEL.read_text("utf-8") != rendered:
            print(f"{MODEL} is not what benchmarks/train_gap_model.py builds from the set: run it", file=sys.stderr)
            return 1
        return 0
    MODEL.write_text(rendered, "utf-8")
    print(f"wrote {MODEL}: {len(json.loads(rendered)['counts'])} pieces of context")
    return 0


if __name__ == "__main__":
    sys.exit(main())
