"""How many of a held-out set's gaps a careful reader finds, and the detector's recall on those.

    python benchmarks/placeholder_readers.py [SET_NAME ...]

A gap the writer annotated is not always visible in the text: a deleted
reservoir name in `目前‸水库水位` leaves good Chinese behind. To know how much of
the detector's shortfall on blind text is shortfall and how much is holes that
no reader can see, independent readers were given each held-out set with the
markup removed (benchmarks/placeholder_set/readers/<set>.txt is what they read)
and marked every place where they could tell from the text that a value was
deleted (readers/<set>.<reader>.txt). Each reader worked alone and never saw
the annotations, the rules or the detector.

Printed for each set, as counts only (nothing here lists a gap, so a clean set
stays clean):
- each reader's precision and recall against the writer's gaps;
- the readers together: gaps found by at least one, and by all of them;
- the detector's high-confidence recall on every gap, on the gaps at least one
  reader found, and on the gaps all readers found, with its precision;
- places every reader marked that the writer did not annotate (possible
  omissions in the gold, or readers' misreadings).

A reader's mark one character away from a gold gap counts as finding it
(`⟦⟧第位` against `第⟦⟧位`): which side of a particle a reader puts a hole does
not change whether it was seen. This is generous to the readers, so the
detector's recall on what readers found is, if anything, understated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from placeholder_eval import SET, cases, gap_kind, parse_case, ratio

from speechclean.stages.placeholders import find_gaps, find_masks, load_rules

READERS = SET / "readers"
_MARK = "⟦⟧"


def reader_marks(line: str) -> tuple[str, list[int]]:
    """(the line without marks, the positions of the marks in it)."""
    plain, marks = [], []
    length = 0
    for piece_number, piece in enumerate(line.split(_MARK)):
        if piece_number:
            marks.append(length)
        plain.append(piece)
        length += len(piece)
    return "".join(plain), marks


def matched(gold: set[int], marks: list[int]) -> set[int]:
    """Gold gaps a reader found: an exact mark first, else one a character away, each mark used once."""
    free = sorted(marks)
    found = set()
    for position in sorted(gold):
        if position in free:
            free.remove(position)
            found.add(position)
    for position in sorted(gold - found):
        near = next((mark for mark in free if abs(mark - position) == 1), None)
        if near is not None:
            free.remove(near)
            found.add(position)
    return found


def reader_lines(path: Path) -> list[str]:
    """A reader's output lines that are text, in order (headers and blank lines left out)."""
    return [line for line in path.read_text("utf-8").split("\n") if line.strip() and not line.startswith("#")]


def compare(set_name: str) -> dict:
    rules = load_rules()
    gold_cases = [parse_case(line) for _, line in cases(SET / f"{set_name}.txt")]
    reader_paths = sorted(READERS.glob(f"{set_name}.*.txt"))
    if not reader_paths:
        raise SystemExit(f"no reader files for {set_name} in {READERS}")
    readings = {}
    for path in reader_paths:
        lines = reader_lines(path)
        if len(lines) != len(gold_cases):
            raise SystemExit(f"{path.name}: {len(lines)} text lines, the set has {len(gold_cases)}")
        parsed = [reader_marks(line) for line in lines]
        for number, ((plain, _), (text, *_)) in enumerate(zip(parsed, gold_cases), 1):
            if plain != text:
                raise SystemExit(f"{path.name}: text line {number} differs from the set's text beyond the marks")
        readings[path.name.split(".")[1]] = [marks for _, marks in parsed]

    figures = {"gold": 0, "readers": {name: [0, 0] for name in readings}, "any": 0, "all": 0,
               "tool_found": 0, "tool_hit": 0, "tool_hit_any": 0, "tool_hit_all": 0,
               "all_not_gold": 0, "tool_on_all_not_gold": 0,
               "kinds": {kind: [0, 0, 0] for kind in ("unit", "list", "date", "other")}}
    for index, (text, _, gold, _) in enumerate(gold_cases):
        masks = find_masks(text, rules, "××")
        high = {gap.start for gap in find_gaps(text, rules, masks) if gap.confidence == "high"}
        found_by = {name: matched(gold, marks[index]) for name, marks in readings.items()}
        seen_by_any = set().union(*found_by.values())
        seen_by_all = set.intersection(*found_by.values())
        figures["gold"] += len(gold)
        for name, found in found_by.items():
            figures["readers"][name][0] += len(readings[name][index])
            figures["readers"][name][1] += len(found)
        figures["any"] += len(seen_by_any)
        figures["all"] += len(seen_by_all)
        figures["tool_found"] += len(high)
        figures["tool_hit"] += len(high & gold)
        figures["tool_hit_any"] += len(high & seen_by_any)
        figures["tool_hit_all"] += len(high & seen_by_all)
        marked_by_all = set.intersection(*(set(marks[index]) for marks in readings.values()))
        unannotated = {mark for mark in marked_by_all if all(abs(mark - g) > 1 for g in gold)}
        figures["all_not_gold"] += len(unannotated)
        figures["tool_on_all_not_gold"] += len(unannotated & high)
        for position in gold:
            kind = figures["kinds"][gap_kind(text, position)]
            kind[0] += 1
            kind[1] += position in seen_by_any
            kind[2] += position in seen_by_any and position in high
    return figures


def report(set_name: str, f: dict) -> None:
    print(f"{set_name}: {f['gold']} annotated gaps, {len(f['readers'])} readers")
    for name, (marked, found) in f["readers"].items():
        print(f"  reader {name:<8} P {ratio(found, marked):.3f}  R {ratio(found, f['gold']):.3f}"
              f"   (marked {marked}, on a gold gap {found})")
    print(f"  found by at least one reader  {f['any']:>4}  ({ratio(f['any'], f['gold']):.3f} of the gaps)")
    print(f"  found by every reader         {f['all']:>4}  ({ratio(f['all'], f['gold']):.3f})")
    print(f"  detector, high confidence     P {ratio(f['tool_hit'], f['tool_found']):.3f}"
          f"  R {ratio(f['tool_hit'], f['gold']):.3f} on every gap,"
          f"  {ratio(f['tool_hit_any'], f['any']):.3f} on those a reader found,"
          f"  {ratio(f['tool_hit_all'], f['all']):.3f} on those every reader found")
    kinds = "  ".join(f"{kind} {ratio(seen, gold):.2f}/{ratio(hit, seen):.2f} ({gold})"
                      for kind, (gold, seen, hit) in f["kinds"].items())
    print(f"    by kind, share a reader found / detector's recall on those (gold): {kinds}")
    print(f"  marked by every reader, not annotated: {f['all_not_gold']}"
          f" (the detector reports {f['tool_on_all_not_gold']} of them)")


def main() -> None:
    names = sys.argv[1:] or sorted({path.name.split(".")[0] for path in READERS.glob("*.*.txt")})
    for name in names:
        report(name, compare(name))


if __name__ == "__main__":
    main()
