"""Measure the line-wrap rejoiner: re-wrap clean texts, clean them, count what came back.

    .venv/bin/python benchmarks/rejoin_bench.py [--quick]

Sources: the clean twin `samples/dumps/001_…` and the clean-form texts in
benchmarks/texts/ (written for this purpose). Each is cleaned once to get the
reference paragraphs, then re-wrapped deterministically in many ways (width
16–80 half-width cells; separator space as in seed 000, LF or CRLF; first-line
indent lost as in seed 000, two spaces or two U+3000; page numbers and a
running title every N lines or none), cleaned with the full pipeline and
compared with the reference. Printed:

- the share of reference paragraphs restored exactly (target >= 99.5 %),
- non-whitespace characters changed (target 0; furniture left in counts),
- seed 000 against its clean twin 001,
- the time of the rejoin stage on pathological inputs, to show it is linear.

A layout with no first-line indent at all ("flush") is printed apart: there a
paragraph whose last line is full leaves no trace, so it is not in the target.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from speechclean import clean_text  # noqa: E402
from speechclean.chars import display_width  # noqa: E402
from speechclean.stages.rejoin import furniture_rules, rejoin  # noqa: E402

WIDTHS = (16, 20, 24, 28, 32, 40, 48, 56, 64, 72, 80)
SEPARATORS = ("space", "LF", "CRLF")
INDENTS = ("lost", "spaces", "ideographic")
FURNITURE = (None, "of_total", "dashed", "fraction")
#: ASCII runs (words, numbers, `***` masks) move whole, as Word and PDF line breakers do.
_TOKEN = regex.compile(r"[!-~]+| |.")
_AMBIGUOUS_CJK = set("“”‘’…—·×")
_SALUTATION = regex.compile(r"^.{0,30}[：:]$")


def cells(text: str) -> int:
    """Width the way a Chinese font sets it: CJK and Chinese marks 2, ASCII 1."""
    return display_width(text) + sum(1 for ch in text if ch in _AMBIGUOUS_CJK)


def wrap(paragraph: str, width: int, indent: int) -> list[str]:
    """Greedy line fill; ASCII runs move whole, long lowercase words are hyphenated."""
    lines: list[str] = []
    line, used, avail, space = "", 0, width - indent, False
    for token in _TOKEN.findall(paragraph):
        if token == " ":
            space = bool(line)
            continue
        need = cells(token) + (1 if space else 0)
        if used + need > avail and line:
            room = avail - used - (1 if space else 0) - 1
            if token.isalpha() and token[1:].islower() and len(token) >= 6 and room >= 3 and len(token) - room >= 3:
                lines.append(line + (" " if space else "") + token[:room] + "-")
                token = token[room:]
            else:
                lines.append(line)
            line, used, avail, space, need = "", 0, width, False, cells(token)
        line += (" " if space else "") + token
        used += need
        space = False
    if line:
        lines.append(line)
    return lines


def render(paragraphs: list[str], width: int, separator: str, indent: str, furniture: str | None,
           page_lines: int) -> tuple[str, int]:
    """A wrapped dump of `paragraphs` and the number of furniture items put in it."""
    indent_text = {"lost": "", "spaces": "  ", "ideographic": "\u3000\u3000", "flush": ""}[indent]
    indent_cells = {"lost": 4, "spaces": 2, "ideographic": 4, "flush": 0}[indent]
    visual: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        flush = number == 0 or _SALUTATION.match(paragraph)  # title and salutation stand flush
        lines = wrap(paragraph, width, 0 if flush else indent_cells)
        if not flush:
            lines[0] = indent_text + lines[0]
        visual.extend(lines)
    inserted = 0
    if furniture:
        pages = [visual[i:i + page_lines] for i in range(0, len(visual), page_lines)]
        visual = []
        for number, page in enumerate(pages, 1):
            if number > 1:
                visual.append(paragraphs[0])  # the running title at the page top
                inserted += 1
            visual.extend(page)
            visual.append({"of_total": f"第 {number} 页 共 {len(pages)} 页", "dashed": f"- {number} -",
                           "fraction": f"{number}/{len(pages)}"}[furniture])
            inserted += 1
    if separator == "space":
        return " ".join(visual), inserted
    newline = "\r\n" if separator == "CRLF" else "\n"
    return newline.join(visual) + newline, inserted


def _nonspace(text: str) -> str:
    return regex.sub(r"\s+", "", text)


def compare(reference: list[str], output: list[str]) -> tuple[int, int]:
    """(paragraphs of the reference found exactly, non-whitespace characters changed)."""
    matcher = difflib.SequenceMatcher(None, reference, output, autojunk=False)
    restored = sum(block.size for block in matcher.get_matching_blocks())
    a, b = _nonspace("".join(reference)), _nonspace("".join(output))
    if a == b:
        return restored, 0
    changed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += max(i2 - i1, j2 - j1)
    return restored, changed


def sources() -> dict[str, list[str]]:
    paths = [ROOT / "samples/dumps/001_d33a3e94cfc4a8bb.txt", *sorted((ROOT / "benchmarks/texts").glob("*.txt"))]
    return {path.name: [line for line in clean_text(path.read_text("utf-8")).text.split("\n") if line] for path in paths}


def quality(quick: bool, flush: bool = True) -> dict[str, int]:
    """Re-wrap, clean and compare; print the figures and return the target ones."""
    texts = sources()
    combos = list(itertools.product(WIDTHS, SEPARATORS, INDENTS))
    if quick:
        combos = combos[::4]
    print(f"re-wrappings: {len(combos)} per text x {len(texts)} texts "
          f"({sum(len(p) for p in texts.values())} reference paragraphs)")
    total = restored = changed = inserted = removed = 0
    worst: list[tuple[int, str]] = []
    by_setting: dict[str, list[int]] = {}
    for number, (width, separator, indent) in enumerate(combos):
        furniture = FURNITURE[number % len(FURNITURE)]
        page_lines = 8 + (number * 7) % 30
        for name, reference in texts.items():
            dump, put = render(reference, width, separator, indent, furniture, page_lines)
            result = clean_text(dump)
            output = [line for line in result.text.split("\n") if line]
            got, diff = compare(reference, output)
            total += len(reference)
            restored += got
            changed += diff
            inserted += put
            removed += sum(1 for r in result.sidecar["removed"] if r["rule"].startswith("page."))
            for key in (f"width {width}", separator, indent, f"furniture {furniture}"):
                entry = by_setting.setdefault(key, [0, 0])
                entry[0] += got
                entry[1] += len(reference)
            if got < len(reference) or diff:
                worst.append((len(reference) - got, f"{name} {width} {separator} {indent} {furniture} {page_lines}: "
                              f"{len(reference) - got} paragraph(s) off, {diff} char(s) changed"))
    print(f"paragraphs restored exactly: {restored}/{total} = {100 * restored / total:.2f} %  (target >= 99.5 %)")
    print(f"non-whitespace characters changed: {changed}  (target 0)")
    print(f"page furniture: {inserted} inserted, {removed} removed and reported")
    print("by setting (restored %): " + ", ".join(f"{k} {100 * v[0] / v[1]:.1f}" for k, v in by_setting.items()))
    for _, line in sorted(worst, reverse=True)[:8]:
        print("  worst:", line)
    figures = {"restored": restored, "total": total, "changed": changed, "inserted": inserted, "removed": removed}
    if not flush:
        return figures
    flush_total = flush_restored = flush_changed = 0
    for width, separator in itertools.product(WIDTHS, SEPARATORS):
        for reference in texts.values():
            dump, _ = render(reference, width, separator, "flush", None, 0)
            got, diff = compare(reference, [line for line in clean_text(dump).text.split("\n") if line])
            flush_total, flush_restored, flush_changed = flush_total + len(reference), flush_restored + got, flush_changed + diff
    print(f"flush layout (no indent at all; not in the target): {flush_restored}/{flush_total} = "
          f"{100 * flush_restored / flush_total:.2f} % restored, {flush_changed} chars changed")
    return figures


def seed_000() -> None:
    def lines(name: str) -> list[str]:
        text = clean_text((ROOT / "samples/dumps" / name).read_text("utf-8")).text
        return [regex.sub(r"[X*×x]+", "▢", line) for line in text.split("\n") if line]

    dirty, clean = lines("000_403905cb824b750d.txt"), lines("001_d33a3e94cfc4a8bb.txt")
    same = sum(1 for a, b in zip(dirty[:-1], clean) if a == b)
    tail = clean[len(dirty) - 1].startswith(dirty[-1])
    print(f"seed 000 vs 001: {same}/{len(dirty) - 1} whole paragraphs equal, cut last paragraph is a prefix: {tail}")


def _time(text: str) -> float:
    furniture = furniture_rules()
    start = time.perf_counter()
    rejoin(text, furniture)
    return time.perf_counter() - start


def linearity(quick: bool) -> None:
    body = max((ROOT / "samples/dumps/000_403905cb824b750d.txt").read_text("utf-8").split("\n"), key=len)
    unit = body + " "
    cases = {
        "single line, wraps as spaces (seed 000 body)": lambda n: (unit * (n // len(unit.encode()) + 1))[: n // 3],
        "single line of X, no spaces": lambda n: "X" * n,
        "single line of 。": lambda n: "。" * (n // 3),
        "single line of spaces between two characters": lambda n: "字" + " " * n + "字",
        "newlines": lambda n: "字" + "\n" * n + "字",
        "one-character lines": lambda n: "字\n" * n,
    }
    sizes = {"newlines": (10**4, 10**5), "one-character lines": (10**4, 10**5)}
    print("rejoin stage time (size -> seconds; linear when the ratio tracks the size ratio):")
    for name, make in cases.items():
        small, big = sizes.get(name, (10**6, 5 * 10**6))
        if quick:
            small, big = small // 10, big // 10
        t_small, t_big = _time(make(small)), _time(make(big))
        unit_name = "MB" if big >= 10**6 else "lines"
        scale = 10**6 if big >= 10**6 else 1
        print(f"  {name}: {small / scale:g} {unit_name} {t_small:.3f} s, {big / scale:g} {unit_name} {t_big:.3f} s,"
              f" ratio {t_big / max(t_small, 1e-9):.1f} for size x{big / small:g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the re-wrappings, smaller timing inputs")
    args = parser.parse_args()
    quality(args.quick)
    seed_000()
    linearity(args.quick)


if __name__ == "__main__":
    main()
