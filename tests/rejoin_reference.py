"""The rejoin stage as it was before the speed work (commit c6c2252), kept as the reference the
equivalence tests compare the stage with. Not used by the package.

Rejoin visual lines into paragraphs: one paragraph per line.

Dumps copied out of PDFs and preview pages keep every visual line break,
either as a newline or as a space (seed 000 is one long line in which each
wrap became a space: `奋 斗目标`), sometimes with page numbers and a running
title between pages. This stage:

1. removes page furniture (`rules/furniture.toml`), recording each removal;
2. cuts the text into *segments*, the visual lines as the page had them:
   newline-separated lines, or, when the lines themselves are not wrapped,
   the pieces between whitespace runs next to Chinese text;
3. decides per document whether the segments were wrapped at a fixed width,
   from the distribution of their display widths (CJK = 2, ASCII = 1);
4. joins segments into paragraphs. In a wrapped text a line ends a paragraph
   only on evidence: it is clearly shorter than the width and ends with
   closing punctuation; the next line is indented, or is a first line whose
   indent the dump lost (it is short by the indent, like every first line of
   the document); a heading, salutation or title stands on its own. A text
   that was not wrapped keeps its newline boundaries.

"Clearly shorter" is judged from the line's width plus the first unbreakable
unit of the next line (a Latin word or number moves whole to the next line):
a line is *open* when that unit would still have fitted, and only an open
line can end a paragraph. Widths of ASCII and ambiguous-width characters
(`“` `…` `×`) depend on the font, so they widen the margin of doubt.

Joining never puts whitespace between Chinese characters; two Latin words
keep one space; a Latin word hyphenated at a wrap is rejoined (counted).
No other non-whitespace character is changed or dropped. Blocks separated by
blank lines stay separated by one blank line (`meta` reads that).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from statistics import median
from typing import NamedTuple

import regex

from speechclean.chars import HAN
from speechclean.config import Config
from speechclean.document import Document, Removal
from speechclean.ruleset import read_shipped_rules
from speechclean.shapes import SALUTATION, SPEECH_TITLE_END, is_heading

NAME = "rejoin"

#: A sentence end, as `_ends_sentence` tests it without a regex.
_SENTENCE_END = regex.compile(r"[。！？；…!?;:：][”’）)》」』】\"']*$")
_COLON_END = regex.compile(r"[:：]$")
_INNER_SENTENCE_END = regex.compile(r"[。！？；!?;]")

_WS = "[ \\t\\u3000]"
_WS_CHARS = " \t\u3000"
_HAS_WS = re.compile(_WS)
#: Characters that make a whitespace run next to them a possible line break.
_CONTEXT_LEFT = f"{HAN}，。、；：？！“”‘’（）《》〈〉【】—…·,:;!?)"
_CONTEXT_RIGHT = f"{HAN}，。、；：？！“”‘’（）《》〈〉【】—…·("
#: A whitespace run with Chinese text on one side; matched only from the start
#: of a run (possessive), so long runs of spaces cost linear time.
_BREAK = regex.compile(rf"(?<!{_WS})(?:(?<=[{_CONTEXT_LEFT}]){_WS}++|{_WS}++(?=[{_CONTEXT_RIGHT}]))")
#: In a text wrapped with spaces, also the space after a Latin word hyphenated at a wrap.
_SPACE_BREAK = regex.compile(rf"{_BREAK.pattern}|(?<=[A-Za-z]-){_WS}++(?=[a-z])")
# Mirrors the fix of the shipped stage (a piece made only of marks is not cut off).
_SPACE_CUT = regex.compile(
    rf"(?<!(?:^|{_WS})[-–—|｜_=~·•*＊#>»<«]+)(?:{_SPACE_BREAK.pattern})(?![-–—|｜_=~·•*＊#>»<«]+(?:{_WS}|$))"
)
_OTHER_SPACE = regex.compile(rf"{_WS}{{2,}}")

#: The first unit that cannot be split from its neighbours at a wrap: opening marks,
#: a Latin word or number (or one character), closing marks.
_FIRST_UNIT = regex.compile(
    r"^[“‘（《〈【「『(\"']*(?:[A-Za-z0-9][A-Za-z0-9.,%'/:+\-]*|.)[，。、；：？！”’）》〉】」』,.;:!?)%]*"
)
#: `_glue` reads one or two characters at the ends of the texts it joins (no regex search there).
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_LETTERS = _LATIN - frozenset("0123456789")
_SQUASH = regex.compile(r"\s+")

MIN_WRAP_WIDTH = 16
#: Longest heading (characters) that may run on to a second visual line.
HEADING_RUN_ON = 24
MAX_WRAP_WIDTH = 200


#: CJK ideographs that can begin a `HEADING` (`一、` `第一，`); no other ideograph can
#: (the test checks each with a partial match), so a line starting with one is no heading.
_HEADING_IDEOGRAPHS = frozenset("一二三四五六七八九十百第")


def _is_heading(text: str, limit: int = 40) -> bool:
    """`is_heading`, answered at once for the commonest line start, an ideograph."""
    first = text[:1]
    if "\u4e00" <= first <= "\u9fff" and first not in _HEADING_IDEOGRAPHS:
        return False
    return is_heading(text, limit)


# --- page furniture ------------------------------------------------------------


@dataclass(frozen=True)
class FurnitureRule:
    id: str
    description: str
    pattern: "regex.Pattern[str]"  # matches the whole furniture text
    inline: "regex.Pattern[str] | None"  # finds it inside a line, whitespace on both sides
    example: str
    sequence: bool = False


@dataclass(frozen=True)
class Furniture:
    rules: tuple[FurnitureRule, ...]
    running_title_id: str | None
    running_title_max: int = 50
    #: Finders of the lines that may hold furniture: an inline rule's match (searched in the
    #: text), or a whole line any rule may match (`line_finder`, searched in the text after a
    #: newline: led by the newline before the line, the search skips from newline to newline
    #: instead of trying `^` at every character, ~10x faster); a line none finds holds none.
    finders: tuple["regex.Pattern[str]", ...] = ()
    line_finder: "regex.Pattern[str] | None" = None


@lru_cache(maxsize=8)
def furniture_rules(disabled: frozenset[str] = frozenset()) -> Furniture:
    """The shipped page-furniture rules, compiled once per process."""
    data = read_shipped_rules("furniture.toml")
    rules = []
    for entry in data["rule"]:
        if entry["id"] in disabled:
            continue
        body = entry["pattern"]
        inline = regex.compile(rf"(?<!\S)(?:{body})(?!\S)") if entry.get("inline") else None
        rules.append(FurnitureRule(entry["id"], entry["description"], regex.compile(body), inline,
                                   entry["example"], bool(entry.get("sequence"))))
    title = data.get("running_title", {})
    title_id = title.get("id") if title.get("id") not in disabled else None
    return Furniture(tuple(rules), title_id, int(title.get("max_chars", 50)), *_finders(rules))


#: What `str.strip()` removes, bar the newline: a whole furniture line is matched stripped.
_STRIPPED = "[" + "".join(regex.escape(c) for c in map(chr, range(0x110000)) if c.isspace() and c != "\n") + "]*"


def _finders(rules: list[FurnitureRule]) -> tuple[tuple["regex.Pattern[str]", ...], "regex.Pattern[str] | None"]:
    """(inline finders, line finder): see `Furniture`."""
    line_finder = None
    if rules:
        whole = "|".join(f"(?:{rule.pattern.pattern})" for rule in rules)
        line_finder = regex.compile(rf"\n{_STRIPPED}(?:{whole}){_STRIPPED}(?=\n|\Z)")
    inline = [rule.inline.pattern for rule in rules if rule.inline is not None]
    finders = (regex.compile("|".join(f"(?:{pattern})" for pattern in inline), regex.MULTILINE),) if inline else ()
    return finders, line_finder


def _candidate_lines(text: str, furniture: Furniture) -> list[int]:
    """Indices of the lines where a finder starts a match, one pass over the text per finder.

    Each search resumes at the next line, so a line is listed once however
    many numbers it holds. The line finder searches the text after a newline,
    where a line's match starts at the newline before it, which is the line's
    index in newlines before it.
    """
    found: set[int] = set()
    searches = [(finder, text, 0) for finder in furniture.finders]
    if furniture.line_finder is not None:
        searches.append((furniture.line_finder, "\n" + text, 1))
    for finder, searched, led in searches:
        index = position = 0
        while match := finder.search(searched, position):
            index += searched.count("\n", position, match.start())
            found.add(index)
            position = searched.find("\n", match.start() + led) + 1 - led
            if position == -led:
                break
            index += 1
    return sorted(found)


def _plausible_page(match: "regex.Match[str]") -> bool:
    groups = match.groupdict()
    if groups.get("page") and groups.get("total"):
        return 0 < int(groups["page"]) <= int(groups["total"])
    return True


def _furniture_line(text: str, rules: tuple[FurnitureRule, ...]) -> FurnitureRule | None:
    for rule in rules:
        match = rule.pattern.fullmatch(text)
        if match and _plausible_page(match):
            return rule
    return None


def is_page_furniture(text: str) -> bool:
    """Whether a whole line is page furniture (`第 3 页 共 7 页`, `- 3 -`).

    The chrome classifier leaves such lines to this stage, which removes them
    together with the running title they stand beside.
    """
    return _furniture_line(text.strip(), furniture_rules().rules) is not None


_CLAUSE_MARK = regex.compile(r"[，,、；;。！？!?：:]")


def _is_running_title_candidate(text: str, limit: int) -> bool:
    """Title-shaped: 4+ characters, no clause punctuation (a wrapped line of prose has some)."""
    return (4 <= len(text) <= limit and not _CLAUSE_MARK.search(text)
            and not _is_heading(text) and not SALUTATION.match(text))


def _token_before(line: str, start: int) -> tuple[int, int] | None:
    end = len(line[:start].rstrip())
    begin = end
    while begin > 0 and not line[begin - 1].isspace():
        begin -= 1
    return (begin, end) if end > begin else None


def _token_after(line: str, end: int) -> tuple[int, int] | None:
    begin = len(line) - len(line[end:].lstrip())
    stop = begin
    while stop < len(line) and not line[stop].isspace():
        stop += 1
    return (begin, stop) if stop > begin else None


def strip_furniture(text: str, furniture: Furniture) -> tuple[str, list[Removal]]:
    """Remove page numbers and running titles; a page break never splits a block.

    A whole furniture line goes with the blank lines around it, so a paragraph
    broken across pages is one block again. In a text where wraps became
    spaces, furniture delimited by whitespace is cut out of the line. A
    running title is a text found next to page numbers at least twice, or
    once when the text opens with it; the opening itself is never removed.
    """
    candidates = _candidate_lines(text, furniture)
    if not candidates:
        return text, []
    lines = text.split("\n")
    first_line = next((i for i, line in enumerate(lines) if line.strip()), -1)
    spans: dict[int, list[tuple[int, int, str]]] = {}  # line -> (start, end, rule id)
    weak = []
    for index in candidates:
        line = lines[index]
        rule = _furniture_line(line.strip(), furniture.rules) if line.strip() else None
        if rule and rule.sequence:
            weak.append((index, rule))
        elif rule:
            spans[index] = [(0, len(line), rule.id)]
    numbers = [int(lines[index].strip()) for index, _ in weak]
    if len(weak) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:])):
        spans.update({index: [(0, len(lines[index]), rule.id)] for index, rule in weak})
    spots: list[tuple[int, int, int]] = []  # places a running title would stand
    for index in list(spans):
        for step in (-1, 1):
            near = index + step
            while 0 <= near < len(lines) and not lines[near].strip():
                near += step
            if 0 <= near < len(lines) and near not in spans and near != first_line:
                spots.append((near, 0, len(lines[near])))
    inline_rules = [rule for rule in furniture.rules if rule.inline is not None]
    for index in candidates:
        line = lines[index]
        if index in spans or not line.strip():
            continue
        for rule in inline_rules:
            for match in rule.inline.finditer(line):
                if not _plausible_page(match):
                    continue
                spans.setdefault(index, []).append((match.start(), match.end(), rule.id))
                before = _token_before(line, match.start())
                if before and not (index == first_line and not line[: before[0]].strip()):
                    spots.append((index, *before))
                after = _token_after(line, match.end())
                if after:
                    spots.append((index, *after))
    if furniture.running_title_id and spots:
        texts = {spot: _SQUASH.sub("", lines[spot[0]][spot[1]:spot[2]]) for spot in spots}
        counts = Counter(texts.values())
        opening = _SQUASH.sub("", "".join(lines[first_line:first_line + 3]))[:200]
        for spot, title in texts.items():
            repeated = counts[title] >= 2 or opening.startswith(title)  # once is enough for the title itself
            if repeated and _is_running_title_candidate(title, furniture.running_title_max):
                spans.setdefault(spot[0], []).append((spot[1], spot[2], furniture.running_title_id))
    removals: list[Removal] = []
    out: list[str] = []
    after_furniture = False
    for index, line in enumerate(lines):
        if after_furniture and not line.strip():
            continue
        kept, last = "", 0
        for start, end, rule in sorted(spans.get(index, [])):
            if start < last:
                continue
            kept += line[last:start].rstrip()  # the break after the cut stays
            removals.append(Removal(rule, line[start:end].strip()))
            last = end
        kept += line[last:]
        if index in spans and not kept.strip():
            while out and not out[-1].strip():
                out.pop()
            after_furniture = True
            continue
        if index in spans and not line[:1].isspace():
            kept = kept.lstrip()
        after_furniture = False
        out.append(kept)
    return "\n".join(out), removals


# --- widths --------------------------------------------------------------------

_WIDE = regex.compile(r"[\p{East_Asian_Width=Wide}\p{East_Asian_Width=Fullwidth}]")
_AMBIGUOUS = regex.compile(r"\p{East_Asian_Width=Ambiguous}")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: ASCII punctuation standing for a Chinese mark (`,` after a Han character): two cells.
_ASCII_AS_CHINESE = re.compile(rf"[,;:!?()](?:(?<=[{HAN}].)|(?=[{HAN}]))")
_ASCII_PUNCT = re.compile(r"[,;:!?()]")
#: Deleting these leaves the ASCII characters that are not a space (newlines join the texts).
_NOT_ASCII_MARK = re.compile(r"[^\x00-\x1f\x21-\x7f]+")


@dataclass(frozen=True)
class _Class:
    """A character class as `re` runs: a bitmap of the BMP scans ~10x faster than a `regex`
    property, and the rare characters beyond the BMP get their own (slower) class."""

    bmp: "re.Pattern[str]"
    astral: "re.Pattern[str]"

    def deleted(self, text: str) -> str:
        text = self.bmp.sub("", text)
        return self.astral.sub("", text) if _ASTRAL.search(text) else text


@lru_cache(maxsize=None)
def _classes() -> tuple[_Class, _Class]:
    """(wide, ambiguous), taken from `regex`'s own Unicode tables once per process."""
    every = "".join(map(chr, range(0x110000)))
    made = []
    for prop in (_WIDE, _AMBIGUOUS):
        runs = [(m.start(), m.end() - 1) for m in regex.finditer(f"{prop.pattern}+", every)]
        parts = {
            plane: "".join(f"\\U{max(a, low):08x}-\\U{min(b, high):08x}" for a, b in runs if a <= high and b >= low)
            for plane, (low, high) in {"bmp": (0, 0xFFFF), "astral": (0x10000, 0x10FFFF)}.items()
        }
        made.append(_Class(**{plane: re.compile(f"[{part}]+" if part else "(?!)") for plane, part in parts.items()}))
    return made[0], made[1]


def segment_width(text: str) -> int:
    """Display width at the lower bound: CJK 2, ASCII and ambiguous marks 1, `,` after Han 2."""
    return _measure([text])[0].base


@dataclass(frozen=True)
class Measure:
    """How this document's font set the characters whose width varies by font.

    `ambiguous`: cells an ambiguous-width mark (`“` `…` `×`) adds beyond 1
    (1 in a Chinese font, 0 in a Western one); `ambiguous_doubt`: cells it may
    add when that is unknown. `ascii_doubt`: cells an ASCII character may add
    (0 in a text where they set at 1 cell, 0.5 where `X` ran wide, seed 000).
    """

    ambiguous: int = 0
    ambiguous_doubt: int = 1
    ascii_doubt: float = 0.5


class _Counts(NamedTuple):
    base: int  # segment_width
    ambiguous: int
    ascii: int  # ASCII not standing for a Chinese mark

    def width(self, measure: Measure) -> int:
        return self.base + measure.ambiguous * self.ambiguous

    def doubt(self, measure: Measure) -> int:
        return measure.ambiguous_doubt * self.ambiguous + math.ceil(measure.ascii_doubt * self.ascii)


def _lengths_after(deleted: str) -> list[int]:
    return list(map(len, deleted.split("\n")))


def _measure(texts: list[str]) -> list[_Counts]:
    """Counts of many texts (none holds a newline) from a few whole-text passes, not one per text.

    The texts are joined with newlines; each pass deletes one class of
    characters, and the lengths of the lines that remain give every count.
    """
    if not texts:
        return []
    wide, ambiguous = _classes()
    joined = "\n".join(texts)
    lengths = list(map(len, texts))
    narrow = _lengths_after(wide.deleted(joined))
    unambiguous = _lengths_after(ambiguous.deleted(joined))
    marks = _lengths_after(_NOT_ASCII_MARK.sub("", joined))
    if _ASCII_PUNCT.search(joined):
        chinese = [n - m for n, m in zip(lengths, _lengths_after(_ASCII_AS_CHINESE.sub("", joined)))]
    else:
        chinese = [0] * len(texts)
    return [_Counts(2 * n - w + c, n - u, a - c)
            for n, w, u, a, c in zip(lengths, narrow, unambiguous, marks, chinese)]


class Piece(NamedTuple):
    """One visual line (or a piece between whitespace breaks), before it is measured."""

    text: str
    newline_before: bool  # the break before it was a newline (or it starts a block)
    indented: bool  # it began with more whitespace than the document's plain break


@dataclass
class Segment:
    """A piece, measured."""

    text: str
    newline_before: bool
    indented: bool
    counts: _Counts
    unit_counts: _Counts  # of its first unbreakable unit
    width: int = 0
    doubt: int = 0  # cells the font may have added to `width`
    unit: int = 0  # widest its first unbreakable unit can be

    def measure(self, measure: Measure) -> None:
        self.width = self.counts.width(measure)
        self.doubt = self.counts.doubt(measure)
        self.unit = self.unit_counts.width(measure) + self.unit_counts.doubt(measure)


def _as_segments(blocks: list[list[Piece]], counts: list[_Counts]) -> list[list[Segment]]:
    """Measure the pieces (`counts` are theirs, in order) and their first units."""
    pieces = [piece for block in blocks for piece in block]
    units = [unit.group(0) if unit else "" for unit in map(_FIRST_UNIT.match, (piece.text for piece in pieces))]
    measured = iter([Segment(*piece, count, unit) for piece, count, unit in zip(pieces, counts, _measure(units))])
    segmented = [[next(measured) for _ in block] for block in blocks]
    for segment in (s for segs in segmented for s in segs):
        segment.measure(Measure())
    return segmented


def calibrate(blocks: list[list[Segment]], width: int, first: int) -> Measure:
    """Learn from the full lines how the font set ambiguous marks and ASCII.

    Lines that end mid-sentence are full: the next line's first unit did not
    fit (first lines, short by a lost indent, count against the first-line
    width). Ambiguous marks count 2 cells when the lines that hold them then
    do not run past the width. ASCII counts 1 cell exactly when lines holding
    it, so measured, are consistently full; when more than one line and a
    tenth leave room
    (seed 000, where `XX` ran wide), ASCII widths stay in doubt.
    """
    pairs = [(seg, nxt) for segs in blocks for seg, nxt in zip(segs, segs[1:])
             if not _ends_sentence(seg.text) and not _is_heading(seg.text)]
    marked = [seg for seg, _ in pairs if seg.counts.ambiguous and not seg.counts.ascii]
    wide_marks = len(marked) >= 3 and sum(s.counts.width(Measure(1)) > width for s in marked) <= 0.1 * len(marked)
    marks = Measure(1, 0) if wide_marks else Measure(0, 1)
    exact = Measure(marks.ambiguous, marks.ambiguous_doubt, 0)
    roomy = 0
    latin = [(seg, nxt) for seg, nxt in pairs if seg.counts.ascii]
    for seg, nxt in latin:
        room = width - seg.counts.width(exact) - seg.counts.doubt(exact)
        unit = nxt.unit_counts.width(exact) + nxt.unit_counts.doubt(exact)
        if room >= unit and not width - first <= room < width - first + unit:
            roomy += 1
    if len(latin) >= 3 and roomy <= max(1, 0.1 * len(latin)):
        return exact
    return Measure(marks.ambiguous, marks.ambiguous_doubt, 0.5)


def _clean_inside(text: str) -> str:
    """Drop whitespace next to Chinese inside a line; one space between Latin words."""
    return _clean_all([text])[0]


def _clean_all(texts: list[str]) -> list[str]:
    """`_clean_inside` of many texts (none holds a newline) in two passes over them joined.

    Stripped texts begin and end with non-whitespace, so no whitespace run
    reaches the newline between two of them.
    """
    if not texts:
        return []
    joined = "\n".join(text.strip(_WS_CHARS) for text in texts)
    if _HAS_WS.search(joined):
        joined = _OTHER_SPACE.sub(" ", _BREAK.sub("", joined))
    return joined.split("\n")


def _lead(line: str) -> str:
    return line[: len(line) - len(line.lstrip(_WS_CHARS))]


def _lines_as_pieces(blocks: list[list[str]], base_indent: int) -> list[list[Piece]]:
    texts = iter(_clean_all([line for block in blocks for line in block]))
    return [[Piece(next(texts), True, len(_lead(line)) > base_indent) for line in block] for block in blocks]


def _pieces(blocks: list[list[str]], by_lines: list[list[Piece]]) -> tuple[list[list[Piece]], list[int | None]]:
    """Lines cut at whitespace breaks (`_SPACE_BREAK`): the visual lines of a text wrapped with spaces.

    Returns the pieces and, for each in order, the index of its line when the
    line was not cut (it keeps that line's text and counts), else None.
    """
    layout: list[list[tuple[str | None, bool, bool]]] = []
    origin: list[int | None] = []
    fresh: list[str] = []  # pieces cut out of a line, to clean
    number = 0
    for block, line_pieces in zip(blocks, by_lines):
        pieces: list[tuple[str | None, bool, bool]] = []
        for line, as_line in zip(block, line_pieces):
            stripped = line.strip(_WS_CHARS)
            matches = list(_SPACE_CUT.finditer(stripped)) if _HAS_WS.search(stripped) else []
            last, space_before = 0, _lead(line)
            if not matches:
                pieces.append((as_line.text, True, _is_indent(space_before, True)))
                origin.append(number)
                number += 1
                continue
            number += 1
            for match in matches:
                piece = stripped[last:match.start()]
                if piece:
                    fresh.append(piece)
                    pieces.append((None, last == 0, _is_indent(space_before, last == 0)))
                    origin.append(None)
                space_before, last = match.group(0), match.end()
            piece = stripped[last:]
            if piece:
                fresh.append(piece)
                pieces.append((None, last == 0, _is_indent(space_before, last == 0)))
                origin.append(None)
        layout.append(pieces)
    fresh_texts = iter(_clean_all(fresh))
    out = [[Piece(next(fresh_texts) if text is None else text, newline_before, indented)
            for text, newline_before, indented in pieces] for pieces in layout]
    return out, origin


def _piece_counts(texts: list[str], origin: list[int | None], line_counts: list[_Counts] | None) -> list[_Counts]:
    """Counts of the pieces (`texts`); a piece that is a whole line reuses its line's counts when measured."""
    if line_counts is None:
        return _measure(texts)
    fresh = iter(_measure([text for text, line in zip(texts, origin) if line is None]))
    return [next(fresh) if line is None else line_counts[line] for line in origin]


def _is_indent(space: str, line_start: bool) -> bool:
    """An indent: U+3000 or a tab, or more spaces than a wrap leaves (none at a line start, one inside)."""
    if "\u3000" in space or "\t" in space:
        return True
    return len(space) >= (1 if line_start else 2)


_SENTENCE_MARKS = frozenset("。！？；…!?;:：")
_CLOSING_MARKS = "”’）)》」』】\"'"


def _ends_sentence(text: str) -> bool:
    """`_SENTENCE_END.search(text)` for a text without a newline, by str methods."""
    return text.rstrip(_CLOSING_MARKS)[-1:] in _SENTENCE_MARKS


def _may_be_wrapped(texts: list[str]) -> bool:
    """False when `wrap_width` surely finds no width for lines with these texts, known without measuring.

    `wrap_width` wants at least max(3, 40 %) of the lines near the width and
    half of those mid-sentence; fewer lines mid-sentence in all rule it out.
    A text one paragraph a line (most lines end a sentence) so skips the
    measuring passes.
    """
    if len(texts) < 4:
        return False
    mid_sentence = sum(1 for text in texts if not _ends_sentence(text) and not _is_heading(text))
    return 2 * mid_sentence >= max(3, 0.4 * len(texts))


def wrap_width(counts: list[_Counts], texts: list[str]) -> int | None:
    """The wrap width if the lines (their counts and texts) read as lines of one measure, else None.

    The width is the widest exactly measurable width that many lines share
    (first lines that lost an indent can outnumber full lines in a text of
    short paragraphs, so the commonest width is not enough). The text is
    wrapped when at least three lines (and 40 % of all but block ends) come
    near it, and most of those end mid-sentence: a text that is one paragraph
    a line ends every line with punctuation or is a heading.
    """
    if len(counts) < 4:
        return None
    widths = [count.base for count in counts]  # width and doubt before calibration: Measure()
    doubts = [count.ambiguous + (count.ascii + 1) // 2 for count in counts]
    exact = [w for w, d in zip(widths, doubts) if d == 0] or widths
    tally = Counter(exact)
    common = max(tally.values())
    width = max(w for w, n in tally.items() if n >= max(2, common / 4) or n == common)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    near = [text for w, d, text in zip(widths, doubts, texts) if width - 6 - d <= w <= width + 2 + d]
    mid_sentence = [text for text in near if not _ends_sentence(text) and not _is_heading(text)]
    if len(near) < 3 or len(near) < 0.4 * len(counts) or len(mid_sentence) < 0.5 * len(near):
        return None
    return width


def _inner_texts(blocks: list[list[Piece]]) -> list[str]:
    """Texts of every piece but the last of each block, as `_inner` gives them."""
    return [piece.text for block in blocks for piece in block[:-1]]


def _inner(blocks: list[list[Piece]], counts: list[_Counts]) -> tuple[list[_Counts], list[str]]:
    """Counts and texts of every piece but the last of each block (a block end is short by nature)."""
    inner_counts: list[_Counts] = []
    texts: list[str] = []
    start = 0
    for block in blocks:
        inner_counts += counts[start:start + len(block) - 1]
        texts += [piece.text for piece in block[:-1]]
        start += len(block)
    return inner_counts, texts


# --- paragraph boundaries --------------------------------------------------------


def _open(seg: Segment, nxt: Segment | None, avail: int) -> bool:
    """Whether the next line's first unit would still have fitted after `seg`."""
    unit = nxt.unit if nxt is not None else 2
    return seg.width + seg.doubt + unit <= avail


@dataclass(frozen=True)
class Layout:
    width: int | None  # wrap width; None when the text was not wrapped
    first: int  # width of a paragraph's first line (width minus a lost indent)


def _breaks_wrapped(seg: Segment, nxt: Segment, after: Segment | None, layout: Layout,
                    starts_paragraph: bool, paragraph: str, first_paragraph: bool) -> bool:
    """Whether a paragraph ends after `seg`; `paragraph` is its text so far (the last `_TAIL` characters)."""
    width = layout.width
    avail = layout.first if starts_paragraph else width
    if nxt.indented:
        return True
    # A heading ends like a sentence, even when it fills its line; a numbered
    # paragraph (`（二）城乡面貌持续改善。实施…`) is no heading.
    heading = _is_heading(paragraph) and not _INNER_SENTENCE_END.search(paragraph)
    ends_sentence = _ends_sentence(seg.text) or heading
    is_open = _open(seg, nxt, avail)
    if SALUTATION.match(nxt.text) and _COLON_END.search(nxt.text) and _open(nxt, after, width):
        return True
    if starts_paragraph and SALUTATION.match(seg.text) and (is_open or _COLON_END.search(seg.text)):
        return True
    if is_open and ends_sentence:
        return True
    if is_open and heading:
        return True
    if is_open and first_paragraph and SPEECH_TITLE_END.search(paragraph) and not _ends_sentence(paragraph):
        return True
    if (ends_sentence or is_open) and _is_heading(nxt.text, limit=10**6):
        return True
    if heading and _is_heading(paragraph + nxt.text, HEADING_RUN_ON) and _open(nxt, after, width):
        return False  # a heading that runs on to a second line
    # A first line whose indent the dump lost: open at the full width, yet
    # filled to the first-line width, after a line that ends a sentence.
    if ends_sentence and layout.first < width and not is_open and after is not None:
        fills_first = nxt.width + nxt.doubt + after.unit > layout.first
        if _open(nxt, after, width) and fills_first and not after.indented:
            return True
    # A full line ending a sentence, then a short line ending in a colon that
    # would fit a first line: a lead-in paragraph (`重点抓好以下工作：`).
    if (ends_sentence and not is_open and layout.first < width and _COLON_END.search(nxt.text)
            and nxt.width + nxt.doubt <= layout.first and _open(nxt, after, width)):
        return True
    return False


def _breaks_unwrapped(seg: Segment, nxt: Segment, starts_paragraph: bool) -> bool:
    if nxt.newline_before or nxt.indented:
        return True
    if SALUTATION.match(nxt.text) or (starts_paragraph and SALUTATION.match(seg.text)):
        return True
    if starts_paragraph and _is_heading(seg.text):
        return True
    return _ends_sentence(seg.text)


def _glue(left: str, right: str, counters: Counter, wrapped: bool) -> tuple[int, str]:
    """How `right` joins a paragraph ending in `left` (its last two characters decide).

    Returns the characters to drop from the end of the paragraph (a wrap
    hyphen) and the separator: a space between two Latin words.
    """
    hyphen_lower = left[-1:] == "-" and left[-2:-1] in _LETTERS and right[:1] in _LOWER
    if wrapped and hyphen_lower:
        counters["hyphens_rejoined"] += 1
        return 1, ""
    if left[-1:] in _LATIN and right[:1] in _LATIN or hyphen_lower:
        return 0, " "
    return 0, ""


#: The end of a paragraph the boundary rules read: a heading is at most 40 characters and a
#: title ending a few, so the last 64 stand for a longer paragraph, whose whole text would
#: cost a copy (and a scan) per visual line.
_TAIL = 64


_WORD = regex.compile(r"\w")


def _paragraphs(segments: list[Segment], layout: Layout, counters: Counter, first_block: bool) -> list[str]:
    paragraphs: list[str] = []
    parts = [segments[0].text]  # of the paragraph being built, joined once when it ends
    tail = parts[0][-_TAIL:]
    starts_paragraph = True
    for index, (seg, nxt) in enumerate(zip(segments, segments[1:])):
        after = segments[index + 2] if index + 2 < len(segments) else None
        if layout.width is None:
            broken = _breaks_unwrapped(seg, nxt, starts_paragraph)
        else:
            broken = _breaks_wrapped(seg, nxt, after, layout, starts_paragraph, tail, first_block and not paragraphs)
        if broken and not nxt.newline_before and not _WORD.search(nxt.text):
            # A piece split off a line that holds no word (`--`, `|`) is never a
            # paragraph; kept alone it would read as a separator line, which
            # chrome removes on a second pass.
            broken = False
        if broken:
            paragraphs.append("".join(parts))
            parts, tail = [nxt.text], nxt.text[-_TAIL:]
        else:
            drop, glue = _glue(tail, nxt.text, counters, layout.width is not None)
            if drop:
                parts[-1], tail = parts[-1][:-drop], tail[:-drop]
            parts += (glue, nxt.text)
            tail = (tail + glue + nxt.text)[-_TAIL:]
        starts_paragraph = broken
    paragraphs.append("".join(parts))
    return paragraphs


def _first_line_width(blocks: list[list[Segment]], width: int) -> int:
    """The width of first lines: the median first line after a clear paragraph end.

    A dump that lost its first-line indents (seed 000) shows it here: its
    first lines are shorter than the rest by the indent.
    """
    samples = []
    layout = Layout(width, width)
    for segments in blocks:
        for index in range(1, len(segments) - 1):
            seg, nxt, after = segments[index - 1], segments[index], segments[index + 1]
            if nxt.doubt or _ends_sentence(nxt.text):
                continue
            if _breaks_wrapped(seg, nxt, after, layout, False, "", False):
                samples.append(nxt.width)
    if not samples or (len(samples) == 1 and width - samples[0] not in (2, 4)):
        return width  # one sample counts only when it is short by a usual indent
    first = int(median(samples))
    return first if first <= width - 2 else width


# --- the stage -----------------------------------------------------------------


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def rejoin(text: str, furniture: Furniture | None = None) -> tuple[str, list[Removal], dict]:
    """Return (text as paragraphs one a line, page furniture removed, counters).

    Blocks separated by blank lines stay separated by one blank line.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    removals: list[Removal] = []
    if furniture is not None:
        text, removals = strip_furniture(text, furniture)
    blocks = _blocks(text)
    counters: Counter = Counter()
    counters["lines_in"] = sum(len(block) for block in blocks)
    base_indent = min((len(_lead(line)) for block in blocks for line in block), default=0)
    mode = "lines"
    pieces = _lines_as_pieces(blocks, base_indent)
    line_counts: list[_Counts] | None = None  # measured only when the lines may be wrapped
    width = None
    if _may_be_wrapped(_inner_texts(pieces)):
        counts = line_counts = _measure([piece.text for block in pieces for piece in block])
        width = wrap_width(*_inner(pieces, counts))
    if width is None:
        pieces, origin = _pieces(blocks, pieces)
        if None in origin and _may_be_wrapped(_inner_texts(pieces)):  # uncut: the lines again
            counts = _piece_counts([piece.text for block in pieces for piece in block], origin, line_counts)
            width = wrap_width(*_inner(pieces, counts))
        mode = "spaces" if width is not None else "unwrapped"
    segmented: list[list[Segment]] | list[list[Piece]] = pieces  # a text not wrapped needs no measures
    layout = Layout(None, 0)
    if width:
        segmented = _as_segments(pieces, counts)
        first = _first_line_width(segmented, width)
        measure = calibrate(segmented, width, first)
        for segment in (s for segs in segmented for s in segs):
            segment.measure(measure)
        layout = Layout(width, first)
    out_blocks = []
    for number, segments in enumerate(segmented):
        if segments:
            out_blocks.append("\n".join(_paragraphs(segments, layout, counters, number == 0)))
    result = "\n\n".join(out_blocks)
    out_lines = result.split("\n")
    return result, removals, {
        **counters,
        "wrap_mode": mode,
        "wrap_width": width or 0,
        "first_line_width": layout.first,
        "paragraphs_out": len(out_lines) - out_lines.count(""),
        "furniture_removed": len(removals),
    }


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    furniture = furniture_rules(frozenset(config.disabled_rules))
    text, removals, counters = rejoin(doc.text, furniture)
    return doc.evolve(text=text).with_removed(*removals), counters
