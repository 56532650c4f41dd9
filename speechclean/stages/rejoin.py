"""Rejoin visual lines into paragraphs: one paragraph per line.

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
from itertools import chain, compress, count, islice, repeat
from operator import add, and_, itemgetter, mul, not_, rshift, sub
from statistics import median
from typing import Iterable, NamedTuple

import regex

from ..chars import HAN
from ..config import Config
from ..document import Document, Removal
from ..ruleset import read_shipped_rules
from ..shapes import HEADING, SALUTATION, SPEECH_TITLE_END, is_heading

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
    #: Where an inline match can begin (see `_InlineScan`); None: the finders search the whole text.
    inline_scan: "_InlineScan | None" = None


@dataclass(frozen=True)
class _InlineScan:
    """Where an inline finder's match can begin, found by `re` scans several times faster than the finders.

    A match follows whitespace or a line start (`(?<!\\S)`) and begins with one
    of the characters the rules can start with. In a text with no whitespace
    but newlines, an inline match is a whole line, which the line finder finds.
    """

    space: "re.Pattern[str]"  # whitespace but a newline
    after_space: "re.Pattern[str]"  # such whitespace, then a possible first character
    line_start: "re.Pattern[str]"  # a newline, then a possible first character


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
    return Furniture(tuple(rules), title_id, int(title.get("max_chars", 50)), *_finders(rules), _inline_scan(rules))


#: What `str.strip()` removes, bar the newline: a whole furniture line is matched stripped.
_STRIPPED = "[" + "".join(regex.escape(c) for c in filter(str.isspace, map(chr, range(0x110000))) if c != "\n") + "]*"


def _finders(rules: list[FurnitureRule]) -> tuple[tuple["regex.Pattern[str]", ...], "regex.Pattern[str] | None"]:
    """(inline finders, line finder): see `Furniture`."""
    line_finder = None
    if rules:
        whole = "|".join(f"(?:{rule.pattern.pattern})" for rule in rules)
        line_finder = regex.compile(rf"\n{_STRIPPED}(?:{whole}){_STRIPPED}(?=\n|\Z)")
    inline = [rule.inline.pattern for rule in rules if rule.inline is not None]
    finders = (regex.compile("|".join(f"(?:{pattern})" for pattern in inline), regex.MULTILINE),) if inline else ()
    return finders, line_finder


_PLANE = 0x10000


def _characters_matching(pattern: str) -> str:
    """Every code point `regex` matches with `pattern`, read a plane at a time:
    the whole range at once would be a 1.1 M-character string built from as many
    one-character strings, ~100 MB at its peak for a worker that needs a few kB."""
    finder = regex.compile(f"(?:{pattern})+")
    return "".join(
        match.group(0)
        for start in range(0, 0x110000, _PLANE)
        for match in finder.finditer("".join(map(chr, range(start, start + _PLANE))))
    )


def _class_of(characters: "Iterable[str]") -> str:
    """An `re` character class of exactly these characters, in ranges."""
    codes = sorted(set(map(ord, characters)))
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in runs) + "]"


def _inline_scan(rules: list[FurnitureRule]) -> "_InlineScan | None":
    """`Furniture.inline_scan` for these rules, or None when their first characters are not known.

    The characters a match can begin with are found by partial matching among
    the characters the patterns spell out, their other case and the digits; a
    rule that could begin with anything else (`.`, `\\w`, a negated class:
    probed with characters none of the shipped rules starts with) turns the scan off.
    """
    if not any(rule.inline is not None for rule in rules):
        return None
    body = regex.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in rules if rule.inline is not None))
    digits = _characters_matching(r"\d")
    spelled = "".join(rule.pattern.pattern for rule in rules if rule.inline is not None)
    candidates = set(spelled) | set(spelled.swapcase()) | set(digits)
    if any(body.fullmatch(probe, partial=True) for probe in "中x_,，。Ａ\u00e9\u3000 " if probe not in candidates):
        return None
    firsts = _class_of(c for c in candidates if body.fullmatch(c, partial=True))
    space = _class_of(c for c in _characters_matching(r"\s") if c != "\n")
    return _InlineScan(re.compile(space), re.compile(space + firsts), re.compile("\n" + firsts))


def _candidate_lines(text: str, furniture: Furniture) -> list[int]:
    """Indices of the lines where a finder starts a match, one pass over the text per finder.

    Each search resumes at the next line, so a line is listed once however
    many numbers it holds. The line finder searches the text after a newline,
    where a line's match starts at the newline before it, which is the line's
    index in newlines before it.
    """
    found: set[int] = set()
    if furniture.inline_scan is not None and furniture.finders:
        found.update(_inline_lines(text, furniture))
        searches = []
    else:
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


def _inline_lines(text: str, furniture: Furniture) -> set[int]:
    """Lines where a finder's match begins at a start `inline_scan` marks.

    A line holding furniture an inline rule takes is so found: its match
    begins at such a start, and the finder matches there in the whole text as
    in the line alone (a newline after it is whitespace, as the line end is).
    A line found beyond those holds none, which the rules then see.
    """
    scan = furniture.inline_scan
    if not scan.space.search(text):
        return set()
    starts = sorted([m.end() - 1 for m in scan.after_space.finditer(text)]
                    + [m.start() for m in scan.line_start.finditer("\n" + text)])
    found: set[int] = set()
    index = position = 0
    for start in starts:
        index += text.count("\n", position, start)
        position = start
        if index not in found and any(finder.match(text, start) for finder in furniture.finders):
            found.add(index)
    return found


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
#: ASCII punctuation stands for a Chinese mark (two cells) when a Han character is beside it
#: (`,` after a Han character); these are the rare ones with none beside them.
_ASCII_NOT_CHINESE = re.compile(rf"[,;:!?()](?<![{HAN}].)(?![{HAN}])")
_ASCII_PUNCT_BYTES = b",;:!?()"


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
    made = []
    for prop in (_WIDE, _AMBIGUOUS):
        runs = [
            (start + m.start(), start + m.end() - 1)
            for start in range(0, 0x110000, _PLANE)
            for m in regex.finditer(f"{prop.pattern}+", "".join(map(chr, range(start, start + _PLANE))))
        ]
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


def _lengths_after(deleted: str) -> list[int]:
    return list(map(len, deleted.split("\n")))


def _measure(texts: list[str]) -> list[_Counts]:
    """The counts of each text (none holds a newline): `_measure_columns`, one tuple a text."""
    return list(map(_Counts, *_measure_columns(texts)))


#: Counts of many texts as parallel lists: (base, ambiguous, ascii), as in `_Counts`.
_Columns = tuple[list[int], list[int], list[int]]


def _measure_columns(texts: list[str], joined: str | None = None) -> _Columns:
    """Counts of many texts (none holds a newline) from a few whole-text passes, not one per text.

    The texts are joined with newlines (`joined`, when the caller has it).
    ASCII is counted on `encode('ascii', 'ignore')` of the whole text (bytes
    passes run ~10x faster than a class scan); one class scan keeps the
    characters that are neither ASCII nor wide (mostly ambiguous marks), and
    one finds the rare ASCII marks `,;:!?()` with no Han character beside
    them (the others stand for Chinese marks: two cells). The lengths of the
    lines that remain give every count.
    """
    if not texts:
        return [], [], []
    wide, ambiguous = _classes()
    if joined is None:
        joined = "\n".join(texts)
    lengths = list(map(len, texts))
    ascii_text = joined.encode("ascii", "ignore")
    # base = 2 * length - ASCII - other narrow + ASCII marks a Han character touches
    #      = 2 * length - ASCII but the marks - other narrow - marks no Han character touches;
    # ascii (marks) = ASCII but spaces and the marks + marks no Han character touches.
    unmarked = ascii_text.translate(None, _ASCII_PUNCT_BYTES)
    unmarked_counts = _byte_lengths(unmarked)
    base = list(map(sub, map(add, lengths, lengths), unmarked_counts))
    marks = _byte_lengths(unmarked.replace(b" ", b"")) if b" " in unmarked else unmarked_counts[:]
    others_text = _ascii_or_wide().sub("", joined)  # the newlines and the narrow characters not ASCII
    if _ASTRAL.search(others_text):
        others_text = wide.astral.sub("", others_text)
    ambiguous_counts = [0] * len(texts)
    if len(others_text) != len(texts) - 1:  # some
        others = _lengths_after(others_text)
        base = list(map(sub, base, others))
        unambiguous_text = ambiguous.deleted(others_text)
        if len(unambiguous_text) != len(others_text):
            ambiguous_counts = list(map(sub, others, _lengths_after(unambiguous_text)))
    if len(unmarked) != len(ascii_text):
        line = position = 0
        for match in _ASCII_NOT_CHINESE.finditer(joined):
            line += joined.count("\n", position, match.start())
            position = match.start()
            base[line] -= 1
            marks[line] += 1
    return base, ambiguous_counts, marks


def _byte_lengths(text: bytes) -> list[int]:
    return list(map(len, text.split(b"\n")))


@lru_cache(maxsize=None)
def _ascii_or_wide() -> "re.Pattern[str]":
    """A run of ASCII characters but the newline, or of wide characters in the BMP (`_classes`)."""
    wide_bmp = _classes()[0].bmp.pattern  # `[…]+`
    return re.compile("[\\x00-\\x09\\x0b-\\x7f" + wide_bmp[1:])


class Piece(NamedTuple):
    """One visual line (or a piece between whitespace breaks), before it is measured."""

    text: str
    newline_before: bool  # the break before it was a newline (or it starts a block)
    indented: bool  # it began with more whitespace than the document's plain break


class Segment(NamedTuple):
    """A piece, measured: what `_breaks_wrapped` reads of a visual line."""

    text: str
    newline_before: bool
    indented: bool
    width: int
    doubt: int  # cells the font may have added to `width`
    unit: int  # widest its first unbreakable unit can be


class _Lines(NamedTuple):
    """Visual lines (or pieces) of a text, flat and in order, as parallel lists, and the size of each block.

    Built once and read by every step, so no object is made per line and no
    list of blocks is flattened again.
    """

    texts: list[str]
    newline_before: list[bool]  # see `Piece`
    indented: list[bool]
    sizes: list[int]  # pieces in each block, in order (each at least one)

    def block_end(self) -> list[bool]:
        """Whether each piece is the last of its block."""
        ends = [False] * len(self.texts)
        stop = 0
        for size in self.sizes:
            stop += size
            ends[stop - 1] = True
        return ends

    def blocks(self) -> list[list[str]]:
        """The texts block by block."""
        texts = iter(self.texts)
        return [list(islice(texts, size)) for size in self.sizes]


class _Measured:
    """The pieces of a wrapped text, flat and in order, with their counts and facts as parallel lists.

    Built once per text from whole-list passes, so the boundary rules read
    list items instead of measuring, matching or building objects per line.
    """

    def __init__(self, lines: _Lines, counts: _Columns, block_end: list[bool], facts: _Facts) -> None:
        self.sizes = lines.sizes
        self.texts, self.newline_before, self.indented = lines.texts, lines.newline_before, lines.indented
        self.base, self.ambiguous, self.ascii = counts
        self.unit_base, self.unit_ambiguous, self.unit_ascii = _unit_counts(_first_units(self.texts))
        self.ends_sentence, self.firsts, self.shaped, self.mid = facts.ends, facts.firsts, facts.shaped, facts.mid
        self.lasts = "".join(map(itemgetter(-1), self.texts))  # each text's last character
        self._made: dict[Measure, tuple[list[int], list[int], list[int]]] = {}
        # Whether a piece is the last of its block (block ends are never boundaries inside it).
        self.block_end = block_end

    def measured(self, measure: Measure) -> tuple[list[int], list[int], list[int]]:
        """(width, doubt, unit) of every piece, as `_Counts.width`/`doubt` give them under `measure`.

        Kept per measure: calibration mostly keeps the measure the first-line
        width was read under, and the lists are then built once.
        """
        made = self._made.get(measure)
        if made is None:
            made = self._made[measure] = self._measured(measure)
        return made

    def _measured(self, measure: Measure) -> tuple[list[int], list[int], list[int]]:
        ambiguous, ambiguous_doubt, ascii_doubt = measure.ambiguous, measure.ambiguous_doubt, measure.ascii_doubt
        if ascii_doubt == 0:
            asciis, unit_asciis = [0] * len(self.base), None
        elif ascii_doubt == 0.5:  # ceil(x / 2) in integers, in C
            asciis, unit_asciis = _halves(self.ascii), _halves(self.unit_ascii)
        else:
            asciis = [math.ceil(ascii_doubt * x) for x in self.ascii]
            unit_asciis = [math.ceil(ascii_doubt * x) for x in self.unit_ascii]
        units = _plus(self.unit_base, self.unit_ambiguous, ambiguous + ambiguous_doubt)
        return (_plus(self.base, self.ambiguous, ambiguous), _plus(asciis, self.ambiguous, ambiguous_doubt),
                units if unit_asciis is None else list(map(add, units, unit_asciis)))

    def block_ranges(self) -> list[tuple[int, int]]:
        ranges, start = [], 0
        for size in self.sizes:
            ranges.append((start, start + size))
            start += size
        return ranges


def _plus(values: list[int], more: list[int], times: int) -> list[int]:
    """`values` plus `times` × `more`, item by item, by `map` in C (`values` itself when `times` is 0)."""
    if times == 0:
        return values
    if times == 1:
        return list(map(add, values, more))
    return list(map(add, values, map(mul, more, repeat(times))))


def _halves(values: list[int]) -> list[int]:
    """ceil(x / 2) of each (non-negative) value, by `map` in C."""
    return list(map(rshift, map(add, values, repeat(1)), repeat(1)))


#: `_FIRST_UNIT` after each newline of texts joined by newlines (its `.` never takes a newline):
#: led by the newline, the search skips from newline to newline instead of trying `^` at every character.
_FIRST_UNITS = re.compile("\n(" + _FIRST_UNIT.pattern.removeprefix("^") + ")")


def _first_units(texts: list[str]) -> list[str]:
    """`_FIRST_UNIT`'s match in each text (none holds a newline), from one `re` pass over them joined."""
    units = _FIRST_UNITS.findall("\n" + "\n".join(texts))
    if len(units) == len(texts):  # every text is non-empty: one match at each line start
        return units
    return [unit.group(0) if unit else "" for unit in map(_FIRST_UNIT.match, texts)]


def _unit_counts(units: list[str]) -> _Columns:
    """`_measure_columns` of the first units, each distinct unit measured once per process.

    A unit's counts depend on it alone (no pass reads across the newline
    between two), and most units are one of a few thousand characters, so
    after the first files nearly every unit is looked up, not measured.
    """
    if not units:
        return [], [], []
    base, ambiguous, ascii_ = map(list, zip(*map(_unit_count, units)))
    return base, ambiguous, ascii_


@lru_cache(maxsize=1 << 14)
def _unit_count(unit: str) -> _Counts:
    return _measure([unit])[0]


def _ends_sentences(texts: list[str]) -> list[bool]:
    """`_ends_sentence` of each text."""
    return [text.rstrip(_CLOSING_MARKS)[-1:] in _SENTENCE_MARKS for text in texts]


def calibrate(pieces: _Measured, width: int, first: int) -> Measure:
    """Learn from the full lines how the font set ambiguous marks and ASCII.

    Lines that end mid-sentence are full: the next line's first unit did not
    fit (first lines, short by a lost indent, count against the first-line
    width). Ambiguous marks count 2 cells when the lines that hold them then
    do not run past the width. ASCII counts 1 cell exactly when lines holding
    it, so measured, are consistently full; when more than one line and a
    tenth leave room
    (seed 000, where `XX` ran wide), ASCII widths stay in doubt.
    """
    pairs = list(compress(count(), map(and_, pieces.mid, map(not_, pieces.block_end))))
    base, ambiguous, ascii_ = pieces.base, pieces.ambiguous, pieces.ascii
    marked = [index for index in pairs if ambiguous[index] and not ascii_[index]]
    wide_marks = len(marked) >= 3 and sum(base[i] + ambiguous[i] > width for i in marked) <= 0.1 * len(marked)
    marks = Measure(1, 0) if wide_marks else Measure(0, 1)
    exact = Measure(marks.ambiguous, marks.ambiguous_doubt, 0)
    latin = [index for index in pairs if ascii_[index]]
    spread = marks.ambiguous + marks.ambiguous_doubt  # cells of an ambiguous mark with its doubt
    roomy = 0
    for index in latin:
        room = width - base[index] - spread * ambiguous[index]
        unit = pieces.unit_base[index + 1] + spread * pieces.unit_ambiguous[index + 1]
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


def _lines_as_pieces(lines: list[str], sizes: list[int]) -> _Lines:
    """The lines, cleaned; indented when led by more whitespace than the least lead of any line."""
    leads = [len(line) - len(line.lstrip(_WS_CHARS)) for line in lines]
    base_indent = min(leads, default=0)
    return _Lines(_clean_all(lines), [True] * len(lines), [lead > base_indent for lead in leads], sizes)


#: `_SPACE_BREAK` as a separator kept by `split`, except next to a piece made only of the
#: marks that chrome's `furniture.separator` removes as a whole line (`***  的`, `|  正文`):
#: cut off, such a piece would become a line of its own, which the chrome stage removes on
#: the next run (cleaning must be idempotent), and a mask such as `***` must not be split
#: from its sentence.
_SPACE_SPLIT = regex.compile(
    rf"(?<!(?:^|{_WS})[-–—|｜_=~·•*＊#>»<«]+)({_SPACE_BREAK.pattern})(?![-–—|｜_=~·•*＊#>»<«]+(?:{_WS}|$))"
)
#: Whitespace `_BREAK` or `_OTHER_SPACE` may take: after a left context character, or before a right
#: context character or more whitespace. Most pieces hold none (a space between two Latin words at
#: most), found by one `re` scan that skips from whitespace to whitespace.
_MAY_BREAK = re.compile(rf"{_WS}(?:(?<=[{_CONTEXT_LEFT}].)|(?=[{_CONTEXT_RIGHT}]|{_WS}))")
#: `_OTHER_SPACE`, for `re`.
_OTHER_SPACE_RE = re.compile(_OTHER_SPACE.pattern)


def _pieces(blocks: list[list[str]]) -> tuple[_Lines, list[int | None]]:
    """Lines cut at whitespace breaks (`_SPACE_BREAK`): the visual lines of a text wrapped with spaces.

    Returns the pieces, cleaned, and, for each in order, the index of its line
    when the line was not cut (it keeps that line's text and counts), else None.
    A piece holds no `_BREAK` but those kept next to a piece of separator marks
    (`_SPACE_SPLIT`); cleaning takes those out, as `_clean_all` does, and
    squeezes the other whitespace runs.
    """
    texts: list[str] = []
    newline_before: list[bool] = []
    indented: list[bool] = []
    origin: list[int | None] = []
    sizes: list[int] = []
    number = 0
    for block in blocks:
        size = len(texts)
        for line in block:
            stripped = line.strip(_WS_CHARS)
            # Every part is non-empty: a break is a whole whitespace run, inside the stripped line.
            parts = _SPACE_SPLIT.split(stripped) if _HAS_WS.search(stripped) else [stripped]
            texts += parts[0::2]
            separators = parts[1::2]
            newline_before.append(True)
            indented.append(_is_indent(line[:len(line) - len(line.lstrip(_WS_CHARS))], True))
            if separators:
                newline_before += [False] * len(separators)
                indented += [separator != " " and _is_indent(separator, False) for separator in separators]
                origin += [None] * (len(separators) + 1)
            else:
                origin.append(number)
            number += 1
        sizes.append(len(texts) - size)
    joined = "\n".join(texts)
    if _MAY_BREAK.search(joined):
        texts = _OTHER_SPACE_RE.sub(" ", _BREAK.sub("", joined)).split("\n")
    return _Lines(texts, newline_before, indented, sizes), origin


def _piece_counts(texts: list[str], origin: list[int | None], line_counts: _Columns | None) -> _Columns:
    """Counts of the pieces (`texts`); a piece that is a whole line reuses its line's counts when measured."""
    if line_counts is None:
        return _measure_columns(texts)
    fresh = _measure_columns([text for text, line in zip(texts, origin) if line is None])
    base, ambiguous, ascii_ = ([next(made) if line is None else column[line] for line in origin]
                               for made, column in zip(map(iter, fresh), line_counts))
    return base, ambiguous, ascii_


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


class _Facts(NamedTuple):
    """What the statistics and boundary rules read of each text, found once per text."""

    ends: list[bool]  # `_ends_sentence`
    firsts: str  # each text's first character (every text is non-empty)
    shaped: set[int]  # the texts `is_heading` takes with no length limit
    mid: list[bool]  # ends mid-sentence and is no heading (`is_heading`, 40 characters)


#: A text's first character, or "" for an empty one.
_FIRST_CHARACTER = itemgetter(slice(0, 1))


def _facts(texts: list[str]) -> _Facts:
    """`_Facts` of the texts: `is_heading` runs only on the texts a `HEADING` can begin (one `re`
    scan over the string of first characters) that do not end a sentence."""
    ends = _ends_sentences(texts)
    firsts = "".join(map(_FIRST_CHARACTER, texts))
    if len(firsts) == len(texts):
        starts = _heading_starts(firsts)
    else:  # an empty text
        starts = [index for index, text in enumerate(texts) if text[:1] in _heading_firsts()]
    shaped = {index for index in starts if not ends[index] and HEADING.match(texts[index])}
    mid = list(map(not_, ends))
    for index in shaped:
        if len(texts[index]) <= 40:
            mid[index] = False
    return _Facts(ends, firsts, shaped, mid)


def _mid_sentence(texts: list[str]) -> int:
    """How many of the texts end mid-sentence and are no heading (`_Facts.mid`, for the few lines of
    a text one paragraph a line, without building the facts)."""
    firsts = _heading_firsts()
    return len([text for text, end in zip(texts, _ends_sentences(texts))
                if not end and not (text[:1] in firsts and is_heading(text))])


def _may_be_wrapped(texts: list[str]) -> bool:
    """False when `wrap_width` surely finds no width for lines with these texts, known without measuring.

    `wrap_width` wants at least max(3, 40 %) of the lines near the width and
    half of those mid-sentence; fewer lines mid-sentence in all rule it out.
    A text one paragraph a line (most lines end a sentence) so skips the
    measuring passes.
    """
    if len(texts) < 4:
        return False
    return 2 * _mid_sentence(texts) >= max(3, 0.4 * len(texts))


def wrap_width(counts: list[_Counts], texts: list[str]) -> int | None:
    """`_wrap_width` of counts one tuple a text."""
    columns = tuple(map(list, zip(*counts))) if counts else ([], [], [])
    return _wrap_width(columns, texts)


def _wrap_width(counts: _Columns, texts: list[str], mid: "list[bool] | None" = None) -> int | None:
    """The wrap width if the lines (their counts and texts) read as lines of one measure, else None.

    The width is the widest exactly measurable width that many lines share
    (first lines that lost an indent can outnumber full lines in a text of
    short paragraphs, so the commonest width is not enough). The text is
    wrapped when at least three lines (and 40 % of all but block ends) come
    near it, and most of those end mid-sentence: a text that is one paragraph
    a line ends every line with punctuation or is a heading (`mid`:
    `_Facts.mid` of the texts, when known).
    """
    widths, ambiguous, ascii_ = counts  # width and doubt before calibration: Measure()
    if len(widths) < 4:
        return None
    if any(ambiguous) or any(ascii_):
        doubts = list(map(add, ambiguous, _halves(ascii_)))
        exact = list(compress(widths, map(not_, doubts))) or widths
    else:
        doubts, exact = [0] * len(widths), widths
    tally = Counter(exact)
    common = max(tally.values())
    width = max(w for w, n in tally.items() if n >= max(2, common / 4) or n == common)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    if mid is None:
        mid = _facts(texts).mid
    low, high = width - 6, width + 2
    near = [m for w, d, m in zip(widths, doubts, mid) if low - d <= w <= high + d]  # mid-sentence or not
    if len(near) < 3 or len(near) < 0.4 * len(widths) or sum(near) < 0.5 * len(near):
        return None
    return width


def _inner(counts: _Columns, texts: list[str], mid: list[bool],
           inner: list[bool]) -> tuple[_Columns, list[str], list[bool]]:
    """Counts, texts and `_Facts.mid` of every piece but the last of each block (a block end is short by nature)."""
    base, ambiguous, ascii_ = (list(compress(column, inner)) for column in counts)
    return (base, ambiguous, ascii_), list(compress(texts, inner)), list(compress(mid, inner))


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


def _paragraphs(segments: list[Piece], counters: Counter) -> list[str]:
    """The paragraphs of a block of a text not wrapped (a wrapped one: `_wrapped_paragraphs`)."""
    paragraphs: list[str] = []
    parts = [segments[0].text]  # of the paragraph being built, joined once when it ends
    tail = parts[0][-_TAIL:]
    starts_paragraph = True
    for seg, nxt in zip(segments, segments[1:]):
        broken = _breaks_unwrapped(seg, nxt, starts_paragraph)
        if broken and not nxt.newline_before and not _WORD.search(nxt.text):
            # A piece split off a line that holds no word (`--`, `|`) is never a
            # paragraph; kept alone it would read as a separator line, which
            # chrome removes on a second pass.
            broken = False
        if broken:
            paragraphs.append("".join(parts))
            parts, tail = [nxt.text], nxt.text[-_TAIL:]
        else:
            drop, glue = _glue(tail, nxt.text, counters, False)
            if drop:
                parts[-1], tail = parts[-1][:-drop], tail[:-drop]
            parts += (glue, nxt.text)
            tail = (tail + glue + nxt.text)[-_TAIL:]
        starts_paragraph = broken
    paragraphs.append("".join(parts))
    return paragraphs


def _first_line_width(pieces: _Measured, width: int) -> int:
    """The width of first lines: the median first line after a clear paragraph end.

    A dump that lost its first-line indents (seed 000) shows it here: its
    first lines are shorter than the rest by the indent.

    A clear end is `_breaks_wrapped` of a line that is no paragraph's first,
    with no first-line width yet; the rules it then reads are spelled out
    here, over the lists (the equivalence tests hold them to the function).
    """
    widths, doubts, units = pieces.measured(Measure())
    texts, ends, indented, block_end = pieces.texts, pieces.ends_sentence, pieces.indented, pieces.block_end
    shaped = pieces.shaped  # `is_heading(text, 10**6)`: shaped, at most 10**6 characters
    # Each line with the line before it; a block's first and last lines are never samples.
    samples = [w for index, w, d, end, ind, last, w0, d0, end0, last0, unit
               in zip(count(1), widths[1:], doubts[1:], ends[1:], indented[1:], block_end[1:],
                      widths, doubts, ends, block_end, units[1:])
               if not d and not end and not last and not last0
               and (ind or ((is_open := w0 + d0 + unit <= width) and end0)
                    or ((is_open or end0) and index in shaped and len(texts[index]) <= 10**6))]
    if not samples or (len(samples) == 1 and width - samples[0] not in (2, 4)):
        return width  # one sample counts only when it is short by a usual indent
    first = int(median(samples))
    return first if first <= width - 2 else width


@lru_cache(maxsize=None)
def _heading_firsts() -> frozenset[str]:
    """Characters a `HEADING` can begin with: the listed ideographs, `（` `(` and `regex`'s digits."""
    digits = _characters_matching(r"\d")
    return _HEADING_IDEOGRAPHS | frozenset("（(") | frozenset(digits)




def _wrapped_paragraphs(pieces: _Measured, measure: Measure, layout: Layout, counters: Counter) -> list[str]:
    """Each block of a wrapped text as its paragraphs joined by newlines: `_paragraphs`, faster.

    Most boundaries are decided whatever the paragraph built so far: a full
    line that ends mid-sentence, with no heading or salutation near, is a
    wrap; a line that ends a sentence with room left even on a first line, or
    a line before an indent, ends a paragraph. Only the rest, and joins that
    may need a space or drop a hyphen, are taken in order, with the state
    `_paragraphs` holds there.
    """
    widths, doubts, units = pieces.measured(measure)
    return [_block_paragraphs(pieces, start, stop, (widths, doubts, units), layout, counters, number == 0)
            for number, (start, stop) in enumerate(pieces.block_ranges()) if stop > start]


def _block_paragraphs(pieces: _Measured, start: int, stop: int, measured: tuple[list[int], list[int], list[int]],
                      layout: Layout, counters: Counter, first_block: bool) -> str:
    """One block's paragraphs, visiting only the boundaries where something may happen.

    Every other boundary is a full line that ends mid-sentence, with no
    heading, salutation, indent or Latin end near: a wrap, joined with
    nothing. The boundaries that need a look are found by whole-list passes
    (`map`, `compress`, one regex over the lines' last characters) and taken
    in order, each with the state the paragraph built so far gives it.
    """
    texts = pieces.texts[start:stop]
    if len(texts) == 1:
        return texts[0]
    widths, doubts, units = (column[start:stop] for column in measured)
    ends = pieces.ends_sentence[start:stop]
    newline = pieces.newline_before[start:stop]
    indented = pieces.indented[start:stop]
    width, first = layout.width, layout.first
    shaped = pieces.shaped  # by index in the whole text: start + index
    boundaries = len(texts) - 1
    # Each boundary is the line before it with the next one.
    rooms = list(map(add, map(add, widths, doubts), islice(units, 1, None)))
    lasts, firsts = pieces.lasts[start:stop], pieces.firsts[start:stop]
    near = _near_heading(texts, _heading_starts(firsts))
    looked_at = {*compress(count(), map(width.__ge__, rooms)), *compress(range(boundaries), ends),
                 *compress(count(), islice(indented, 1, None)), *near}
    for mark in _SALUTATION_END.finditer(lasts):  # a salutation there, or next
        if _greets(texts[mark.start()]):
            looked_at.update((mark.start(), mark.start() - 1))
    for mark in _LATIN_END.finditer(lasts, 0, boundaries):  # a space may join, a hyphen may be dropped
        if firsts[mark.start() + 1] in _LATIN:
            looked_at.add(mark.start())
    kept = texts[:]  # as joined: a wrap hyphen dropped
    glues = [""] * boundaries
    broke: set[int] = set()
    last_break = -1
    for index in sorted(looked_at):
        if not 0 <= index < boundaries:
            continue
        text, text_next = texts[index], texts[index + 1]
        end, room = ends[index], rooms[index]
        broken: bool | None = None
        if (room > width and not end and not _greets(text) and not (text_next[-1] in ":：" and _greets(text_next))
                and index not in near):
            broken = False
        if indented[index + 1] or (end and room <= first):
            broken = newline[index + 1] or _WORD.search(text_next) is not None
        begin = last_break + 1  # the paragraph's first line
        if broken is None and index in near:
            segment = [Segment(texts[i], newline[i], indented[i], widths[i], doubts[i], units[i])
                       for i in range(index, min(index + 3, len(texts)))]
            broken = _breaks_wrapped(segment[0], segment[1], segment[2] if len(segment) > 2 else None, layout,
                                     index == 0 or index - 1 in broke, _tail(kept, glues, begin, index),
                                     first_block and begin == 0)
            if broken and not newline[index + 1] and not _WORD.search(text_next):
                broken = False
        elif broken is None:
            # `_breaks_wrapped` where the paragraph cannot be a heading (not near one), spelled out
            # over the lists in its order (the equivalence tests hold it to the function); the
            # paragraph's text is read only by the title rule.
            starts_paragraph = index == 0 or index - 1 in broke
            is_open = room <= (first if starts_paragraph else width)
            has_after = index + 1 < boundaries
            next_room = rooms[index + 1] if has_after else widths[index + 1] + doubts[index + 1] + 2
            next_colon = text_next[-1] in ":："
            broken = (
                (next_colon and next_room <= width and _greets(text_next))
                or (starts_paragraph and (is_open or text[-1] in ":：") and _greets(text))
                or (is_open and end)
                or (is_open and first_block and begin == 0 and _title_ends(_tail(kept, glues, begin, index)))
                or ((end or is_open) and start + index + 1 in shaped and len(text_next) <= 10**6)
                or (end and first < width and not is_open and has_after
                    and first < next_room <= width and not indented[index + 2])
                or (end and not is_open and first < width and next_colon
                    and widths[index + 1] + doubts[index + 1] <= first and next_room <= width))
            if broken and not newline[index + 1] and not _WORD.search(text_next):
                broken = False
        elif not broken and not (text[-1] == "-" and text_next[0] in _LATIN):
            if text[-1] in _LATIN and text_next[0] in _LATIN:
                glues[index] = " "
            continue
        if broken:
            glues[index] = "\n"
            broke.add(index)
            last_break = index
            continue
        # `_glue` reads the last two characters of the paragraph.
        left = kept[index] if len(kept[index]) >= 2 else _tail(kept, glues, begin, index)
        drop, glues[index] = _glue(left, text_next, counters, True)
        if drop:
            kept[index] = kept[index][:-drop]
    return "".join(chain.from_iterable(zip(kept, glues))) + kept[-1]


#: Line ends that may make a boundary worth a look (see `_block_paragraphs`).
_SALUTATION_END = re.compile("[:：,，!！]")
_LATIN_END = re.compile("[A-Za-z0-9-]")


def _title_ends(paragraph: str) -> bool:
    """A speech title's last word ends the paragraph, which ends no sentence (`_breaks_wrapped`)."""
    return SPEECH_TITLE_END.search(paragraph) is not None and not _ends_sentence(paragraph)


def _greets(text: str) -> bool:
    """Whether a line is a salutation; only one ending in a salutation mark and naming whom it greets can be."""
    return text[-1] in ":：,，!！" and (text[0] in "尊各亲" or "们" in text) and SALUTATION.match(text) is not None


@lru_cache(maxsize=None)
def _heading_classes() -> tuple["re.Pattern[str]", "re.Pattern[str]"]:
    """The characters a `HEADING` can begin with (`_heading_firsts`) as two `re` classes, in the BMP
    (a bitmap, ~5x faster than the one class with ranges beyond it) and beyond it."""
    firsts = _heading_firsts()
    return (re.compile(_class_of(c for c in firsts if c < "\U00010000")),
            re.compile(_class_of(c for c in firsts if c >= "\U00010000")))


def _heading_starts(firsts: str) -> list[int]:
    """Where in `firsts` (a string of first characters) a character a `HEADING` can begin with stands."""
    bmp, astral = _heading_classes()
    starts = [match.start() for match in bmp.finditer(firsts)]
    if _ASTRAL.search(firsts):
        starts = sorted(starts + [match.start() for match in astral.finditer(firsts)])
    return starts


def _near_heading(texts: list[str], lines: list[int]) -> set[int]:
    """The boundaries after which the paragraph up to them could be a heading.

    Only if a line a `HEADING` can begin (`lines`: `_heading_starts` of the
    string of first characters) starts it, at most 40 characters before (a dropped
    hyphen aside): from the latest such line, the lines whose length (less
    one) adds up to under 40. Each line is visited at most once, from the
    latest such line before it.
    """
    boundaries = len(texts) - 1
    near: set[int] = set()
    for start, stop in zip(lines, lines[1:] + [boundaries]):
        total = 0
        for index in range(start, min(stop, boundaries)):
            total += len(texts[index]) - 1
            if total >= 40:
                break
            near.add(index)
    return near


def _tail(kept: list[str], glues: list[str], begin: int, index: int) -> str:
    """The last `_TAIL` characters of the paragraph from line `begin` to line `index`."""
    parts = [kept[index]]
    size = len(kept[index])
    while index > begin and size < _TAIL:
        index -= 1
        parts += (glues[index], kept[index])
        size += len(glues[index]) + len(kept[index])
    return "".join(reversed(parts))[-_TAIL:]


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
    # A text without spaces, tabs or U+3000 has nothing to clean, indent or cut at a space.
    spaced = _HAS_WS.search(text) is not None
    mode = "lines"
    # The lines as pieces: when too few for `_may_be_wrapped` to read, a spaced text is cut
    # into pieces (`_pieces`) without cleaning its lines first.
    lines: _Lines | None = None
    if not spaced:
        flat = [line for block in blocks for line in block]
        lines = _Lines(flat, [True] * len(flat), [False] * len(flat), [len(block) for block in blocks])
    elif counters["lines_in"] - len(blocks) >= 4:
        lines = _lines_as_pieces([line for block in blocks for line in block], [len(block) for block in blocks])
    line_counts: _Columns | None = None  # measured only when the lines may be wrapped
    width = None
    pieces = lines
    if lines is not None:
        block_end = lines.block_end()
        inner = [not end for end in block_end]
        if _may_be_wrapped(list(compress(lines.texts, inner))):
            facts = _facts(lines.texts)
            counts = line_counts = _measure_columns(lines.texts)
            width = _wrap_width(*_inner(counts, lines.texts, facts.mid, inner))
    cut = False  # some line was cut at spaces
    if width is None:
        pieces, origin = _pieces(blocks) if spaced else (lines, [])
        cut = None in origin
        if cut:
            block_end = pieces.block_end()
            inner = [not end for end in block_end]
            if _may_be_wrapped(list(compress(pieces.texts, inner))):  # uncut: the lines again
                facts = _facts(pieces.texts)
                counts = _piece_counts(pieces.texts, origin, line_counts)
                width = _wrap_width(*_inner(counts, pieces.texts, facts.mid, inner))
        mode = "spaces" if width is not None else "unwrapped"
    layout = Layout(None, 0)
    if width:
        measured = _Measured(pieces, counts, block_end, facts)
        first = _first_line_width(measured, width)
        layout = Layout(width, first)
        out_blocks = _wrapped_paragraphs(measured, calibrate(measured, width, first), layout, counters)
    elif not cut:  # each line is a paragraph (`_breaks_unwrapped`)
        out_blocks = ["\n".join(block) for block in pieces.blocks()]
    else:
        made = iter(map(Piece, pieces.texts, pieces.newline_before, pieces.indented))
        out_blocks = ["\n".join(_paragraphs(list(islice(made, size)), counters)) for size in pieces.sizes]
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
