"""Precision and recall of the placeholder detector on the annotated set.

    python benchmarks/placeholder_eval.py [-v] [--list-clean-misses]

Reads benchmarks/placeholder_set/*.txt (markup: ⟦mask⟧, ⟦⟧ for a gap, ⟪negative⟫),
runs the detector on each case with the markup removed, and prints precision
and recall per kind: masks (exact span), gaps (exact position) for all
confidences and for high-confidence gaps alone (also leaving out the gaps right
after a preposition or conjunction, which the issue rates lower), and how many negatives drew a
report: for the dev files, for each older held-out file, for all of these
together, and last, apart, for the clean held-out files (CLEAN_HELDOUTS,
whose misses were not looked at while the rules or the model were made), each and, when
there are several, all together. The clean files are printed twice: with the rules alone (--no-gap-model) and with
the statistical gap model too, as speechclean runs by default (it was trained on every file but
the clean ones, so its figures on the others say nothing). The model weighs the
evidence of a whole speech: the lines under one `# ---` header of a set (a file
without headers is one document). With -v every miss and false alarm is listed, except
those of the clean held-out files: listing them spends them (add
--list-clean-misses, and then write new clean sets).
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex

from speechclean.stages.placeholders import find_gaps, find_masks, load_rules, rule_evidence

SET = Path(__file__).resolve().parent / "placeholder_set"
_MARKUP = regex.compile(r"⟦([^⟦⟧]*)⟧|⟪([^⟪⟫]*)⟫")
# The issue rates a gap right after a preposition or conjunction (与‸签订, 由‸牵头,
# 对‸的工作) lower confidence; the second high-confidence recall leaves those out.
_LOWER_KIND_BEFORE = frozenset("与由对在将把向同和及跟给为从被")
# The one set whose misses nobody has looked at while writing rules; printed
# apart from the others as the honest held-out figure.
# What grammar shows at a gap, by the text right after it (or right before it
# for a list): the kinds the issue names (a unit or classifier with no number,
# an empty list item, a date part) and the rest (a name or partner deleted
# where nothing but meaning shows the hole). Printed as recall per kind.
_UNIT_AFTER = regex.compile(r"(?:[万亿千百]?(?:[个家项件场次名座所条套处篇辆艘吨元亩宗列台张支栋幢株棵例份册届枚块批期起户人位倍岁轮号部只头顶床组种类级]|%|％|‰|公[里斤顷]|平方|立方|千[克瓦米]|[毫厘]米|[微毫]克|标箱|美元|周年|个百分点)|[余多](?:[万亿]?[个家项件场次名座所条套处人户元吨亩台辆]))")
_DATE_AFTER = regex.compile(r"[年月日](?!轻)|季度|月份")


def gap_kind(text: str, position: int) -> str:
    """unit, list, date or other: what the text around a gold gap shows."""
    after, before = text[position:position + 4], text[position - 1:position] if position else ""
    if _DATE_AFTER.match(after):
        return "date"
    if _UNIT_AFTER.match(after):
        return "unit"
    if after[:1] in ("、", "等") or before == "、":
        return "list"
    return "other"


CLEAN_HELDOUTS = ("heldout_27.txt", "heldout_28.txt")


def parse_case(line: str) -> tuple[str, set, set, list]:
    """(plain text, gold mask spans, gold gap positions, negative spans)."""
    plain, masks, gaps, negatives = [], set(), set(), []
    cursor = length = 0
    for match in _MARKUP.finditer(line):
        plain.append(line[cursor:match.start()])
        length += match.start() - cursor
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        if match.group(1) is not None and inner == "":
            gaps.add(length)
        elif match.group(1) is not None:
            masks.add((length, length + len(inner)))
        else:
            negatives.append((length, length + len(inner)))
        plain.append(inner)
        length += len(inner)
        cursor = match.end()
    plain.append(line[cursor:])
    return "".join(plain), masks, gaps, negatives


def cases(path: Path):
    """Each annotated case of a file: (line number, line), comments skipped."""
    for document in documents(path):
        yield from document


def documents(path: Path):
    """The cases of a file grouped by document: the lines under one `# --- title ---`
    header are one speech (the gap model reads the evidence of deleted values
    in the whole speech, as it does in a dump), a file without headers is one."""
    document = []
    for number, line in enumerate(path.read_text("utf-8").split("\n"), 1):
        if line.startswith("# ---"):
            if document:
                yield document
            document = []
        elif line.strip() and not line.startswith("#"):
            document.append((number, line))
    if document:
        yield document


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _with_evidence(path: Path, rules):
    """(number, line, the gap model's evidence in its document) for each case of a file."""
    for document in documents(path):
        evidence = (rule_evidence([parse_case(line)[0] for _, line in document], rules)
                    if rules.gap_model is not None else None)
        for number, line in document:
            yield number, line, evidence


def evaluate(paths: list[Path], verbose: bool = False, gap_model: bool = False) -> dict:
    rules = load_rules(gap_model=gap_model)
    totals = {key: 0 for key in ("mask_gold", "mask_found", "mask_hit", "gap_gold", "gap_found", "gap_hit",
                                 "gap_high_found", "gap_high_hit", "gap_high_kind", "gap_high_kind_hit",
                                 "negatives", "negatives_hit")}
    by_kind = {kind: [0, 0] for kind in ("unit", "list", "date", "other")}
    per_file = []
    for path in paths:
        counts = {"masks": 0, "gaps": 0, "negatives": 0}
        for number, line, evidence in _with_evidence(path, rules):
            text, gold_masks, gold_gaps, negatives = parse_case(line)
            found_masks = find_masks(text, rules, "××")
            found_gaps = find_gaps(text, rules, found_masks, evidence)
            spans = {(m.start, m.end) for m in found_masks}
            positions = {g.start for g in found_gaps}
            high = {g.start for g in found_gaps if g.confidence == "high"}
            totals["mask_gold"] += len(gold_masks)
            totals["mask_found"] += len(spans)
            totals["mask_hit"] += len(spans & gold_masks)
            totals["gap_gold"] += len(gold_gaps)
            totals["gap_found"] += len(positions)
            totals["gap_hit"] += len(positions & gold_gaps)
            totals["gap_high_found"] += len(high)
            totals["gap_high_hit"] += len(high & gold_gaps)
            high_kind = {g for g in gold_gaps if g == 0 or text[g - 1] not in _LOWER_KIND_BEFORE}
            totals["gap_high_kind"] += len(high_kind)
            totals["gap_high_kind_hit"] += len(high & high_kind)
            for gap in gold_gaps:
                counts_of_kind = by_kind[gap_kind(text, gap)]
                counts_of_kind[0] += 1
                counts_of_kind[1] += gap in high
            totals["negatives"] += len(negatives)
            for start, end in negatives:
                # a gap right at the edge of a look-alike (亿元以上项目‸个) is outside it
                if any(s < end and start < e for s, e in spans) or any(start < p < end for p in positions):
                    totals["negatives_hit"] += 1
                    if verbose:
                        print(f"  negative hit  {path.name}:{number}: {text[start:end]}  in  {text}")
            counts["masks"] += len(gold_masks)
            counts["gaps"] += len(gold_gaps)
            counts["negatives"] += len(negatives)
            if verbose:
                for s, e in sorted(gold_masks - spans):
                    print(f"  mask missed   {path.name}:{number}: {text[max(0, s - 8):s]}[{text[s:e]}]{text[e:e + 8]}")
                for s, e in sorted(spans - gold_masks):
                    print(f"  mask extra    {path.name}:{number}: {text[max(0, s - 8):s]}[{text[s:e]}]{text[e:e + 8]}")
                for p in sorted(gold_gaps - positions):
                    print(f"  gap missed    {path.name}:{number}: {text[max(0, p - 10):p]}‸{text[p:p + 10]}")
                for g in found_gaps:
                    if g.start not in gold_gaps:
                        print(f"  gap extra     {path.name}:{number}: {g.context}  ({g.rule}, {g.confidence})")
        per_file.append((path.name, counts))
    totals["per_file"] = per_file
    totals["by_kind"] = by_kind
    return totals


def report(title: str, t: dict) -> None:
    print(title)
    for name, counts in t["per_file"]:
        print(f"  {name:<22} masks {counts['masks']:>4}  gaps {counts['gaps']:>3}  negatives {counts['negatives']:>3}")
    print(f"  masks              P {ratio(t['mask_hit'], t['mask_found']):.3f}  R {ratio(t['mask_hit'], t['mask_gold']):.3f}"
          f"   (gold {t['mask_gold']}, found {t['mask_found']}, correct {t['mask_hit']})")
    print(f"  gaps (all conf.)   P {ratio(t['gap_hit'], t['gap_found']):.3f}  R {ratio(t['gap_hit'], t['gap_gold']):.3f}"
          f"   (gold {t['gap_gold']}, found {t['gap_found']}, correct {t['gap_hit']})")
    print(f"  gaps (high conf.)  P {ratio(t['gap_high_hit'], t['gap_high_found']):.3f}  R {ratio(t['gap_high_hit'], t['gap_gold']):.3f}"
          f"   (found {t['gap_high_found']}, correct {t['gap_high_hit']})")
    print(f"    without gaps after a preposition/conjunction      R {ratio(t['gap_high_kind_hit'], t['gap_high_kind']):.3f}"
          f"   (gold {t['gap_high_kind']}, found high {t['gap_high_kind_hit']})")
    kinds = "  ".join(f"{kind} {ratio(hit, gold):.3f} ({hit}/{gold})" for kind, (gold, hit) in t["by_kind"].items())
    print(f"    high-conf. recall by what shows the gap: {kinds}")
    print(f"  negatives          {t['negatives_hit']} of {t['negatives']} drew a report")


def main() -> None:
    verbose = "-v" in sys.argv
    paths = sorted(SET.glob("*.txt"))
    dev = [p for p in paths if not p.name.startswith("heldout")]
    report("dev set (rules were tuned on it): benchmarks/placeholder_set/", evaluate(dev, verbose))
    for held in (p for p in paths if p.name.startswith("heldout") and p.name not in CLEAN_HELDOUTS):
        report(f"held out, {held.stem} (misses since looked at; no longer clean):", evaluate([held], verbose))
    report("all files above:", evaluate([p for p in paths if p.name not in CLEAN_HELDOUTS]))
    clean = [SET / name for name in CLEAN_HELDOUTS if (SET / name).exists()]
    list_them = verbose and "--list-clean-misses" in sys.argv
    for gap_model, how in ((False, "rules alone (--no-gap-model)"), (True, "rules and the gap model (default)")):
        for path in clean:
            report(f"CLEAN HELD-OUT FIGURE, {path.stem}, {how} (written blind by a writer who never saw the rules;"
                   " never tuned on, never trained on):", evaluate([path], list_them, gap_model))
        if len(clean) > 1:
            report(f"CLEAN HELD-OUT FIGURE, all clean sets together, {how}:", evaluate(clean, gap_model=gap_model))

if __name__ == "__main__":
    main()
