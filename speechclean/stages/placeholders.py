"""Find anonymisation masks and deleted-value gaps in the final text.

Speech texts are anonymised before they are shared: a value is replaced by a
mask (`XX`, `***`, `×`, `某某`, `□□` …) or simply deleted, leaving a gap
(`新增投资项目个`, `，、等`). A writing-model corpus must not learn the gaps as
Chinese and a person reusing a speech must fill them in, so both are reported
with offsets, a category and a confidence.

This stage runs last, on the text as it will be written, so offsets are
code-point offsets into the output. The rules are data
(`rules/placeholders.toml`); this module only applies them:

- masks are kept as written (`masks = "keep"`), or each is replaced by one
  token (`masks = "unify"`) with the original recorded;
- gaps are reported; with `fill_gaps` the token is inserted at every
  high-confidence gap;
- offsets always refer to the text after these edits.

The token itself is always recognised as a mask, so a second run over the
output finds the filled gaps as masks and changes nothing (idempotence).
"""

from __future__ import annotations

import dataclasses
import operator
import re
from re import _constants as _sre_constants
from re import _parser as _sre_parser
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

import regex

from ..config import Config, ConfigError
from ..document import Document, Placeholder
from ..ruleset import read_shipped_rules
from .gap_model import LEFT as LEFT_CONTEXT
from .gap_model import RIGHT as RIGHT_CONTEXT
from .gap_model import RULE_ID as GAP_MODEL_ID
from .gap_model import Evidence, GapModel
from .gap_model import load_model as load_gap_model

NAME = "placeholders"

CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Anchor:
    """A cheap necessary condition of a rule, in Python's `re` (whose scan for a
    leading literal is several times faster than a `regex` scan that must try a
    lookbehind at every position). For a mask rule every match contains a match
    of one of `patterns`; for a gap rule every gap lies `shift` characters after
    the start of one of their matches (or at offset 0)."""

    patterns: tuple["re.Pattern[str]", ...]
    shifts: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class MaskRule:
    id: str
    description: str
    pattern: "regex.Pattern[str]"
    example: str
    category: str | None = None
    anchor: Anchor | None = None
    requires: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class NotMaskRule:
    id: str
    description: str
    pattern: "regex.Pattern[str]"
    example: str
    anchor: Anchor | None = None
    requires: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class GapRule:
    id: str
    description: str
    pattern: "regex.Pattern[str]"
    example: str
    confidence: str
    category: str | None = None
    # The ordinary words (not_words), as the ways a position can split one: by
    # the two characters around the split, the (left, right) parts of each word
    # cut there. None when the rule has no such words.
    not_words: "Mapping[str, tuple[tuple[str, str], ...]] | None" = None
    counted_nouns: "regex.Pattern[str] | None" = None
    anchor: Anchor | None = None
    requires: tuple[tuple[str, ...], ...] = ()
    # False when every match needs a character before it (a leading lookbehind):
    # offset 0, tried for every anchored rule, is then skipped.
    may_match_at_start: bool = True
    # The characters the pattern needs at the gap, each mapped to those it needs
    # right after (None: any); None when unknown. A candidate position is dropped
    # by this test before the pattern is tried, and a rule without an anchor
    # gets one from it.
    at_chars: Mapping[str, frozenset[str] | None] | None = None
    # What it needs of the character before the gap ("" at offset 0): one of
    # `allow_before`, none of `deny_before` (None: no such need).
    allow_before: frozenset[str] | None = None
    deny_before: frozenset[str] | None = None

    def splits_a_word(self, text: str, pos: int) -> bool:
        """True when `pos` falls inside one of the rule's ordinary words (企业家, 市场):
        the classifier there is part of the word, not a count. A counted noun that
        ends right at `pos` (积案‸件, 实事‸项, 农户‸户, 招聘会‸场) is read first, as a
        reader segments left to right, so the word it overlaps (案件, 事项, 户户,
        会场) does not hide the gap."""
        if not _cuts_a_word(self.not_words, text, pos):
            return False
        return self.counted_nouns is None or self.counted_nouns.search(text, max(0, pos - 8), pos) is None


@dataclass(frozen=True)
class KnownWords:
    """The ordinary words of the whole rules file, which the gap model never cuts:
    every gap rule's `not_words`, read as that rule reads them (its own counted
    nouns first: 积案‸件), and the model's own list."""

    by_pair: "dict[str, tuple[GapRule, ...]]"  # the rules with a word across this pair of characters
    own: "dict[str, tuple[tuple[str, str], ...]] | None"

    @classmethod
    def build(cls, gaps: "tuple[GapRule, ...]", own_words: list[str]) -> "KnownWords":
        by_pair: dict[str, list[GapRule]] = {}
        for rule in gaps:
            for pair in rule.not_words or ():
                by_pair.setdefault(pair, []).append(rule)
        return cls({pair: tuple(rules) for pair, rules in by_pair.items()}, _word_splits(own_words))

    def cut_at(self, text: str, pos: int) -> bool:
        """True when `pos` falls inside one of the words."""
        return (any(rule.splits_a_word(text, pos) for rule in self.by_pair.get(text[pos - 1:pos + 1], ()) if pos)
                or _cuts_a_word(self.own, text, pos))


@dataclass(frozen=True)
class CategoryHints:
    """Words around a mask that tell what it hides, tried in `order`."""

    order: tuple[str, ...]
    after: Mapping[str, tuple[str, ...]]
    before: Mapping[str, tuple[str, ...]]
    list_nouns: tuple[str, ...]
    # The same words as two `re` patterns, one group per category in `order`
    # (groups in that order): matched at a mask's end (after) or start (before,
    # as lookbehinds), the first group that matches is the first category that
    # fits; `*_ranks` maps a group number to the category's position in `order`.
    after_pattern: "re.Pattern[str] | None" = field(default=None, compare=False)
    before_pattern: "re.Pattern[str] | None" = field(default=None, compare=False)
    after_ranks: tuple[int, ...] = field(default=(), compare=False)
    before_ranks: tuple[int, ...] = field(default=(), compare=False)
    # The characters those words start (after) or end (before) with: a mask
    # whose neighbour is not one of them cannot match, and the pattern is not
    # tried. None when a word is empty (it matches anywhere).
    after_firsts: frozenset[str] | None = field(default=None, compare=False)
    before_lasts: frozenset[str] | None = field(default=None, compare=False)

    @classmethod
    def build(cls, order, after, before, list_nouns) -> "CategoryHints":
        def ranked(words_by_name: Mapping[str, tuple[str, ...]], behind: bool):
            groups, ranks = [], []
            for rank, name in enumerate(order):
                # guess_category reads 6 characters on each side: longer words never match.
                words = [re.escape(w) for w in words_by_name[name] if len(w) <= _HINT_REACH]
                if words:
                    groups.append("(" + "|".join(f"(?<={w})" if behind else w for w in words) + ")")
                    ranks.append(rank)
            return (re.compile("|".join(groups)) if groups else None), tuple(ranks)

        def edges(words_by_name: Mapping[str, tuple[str, ...]], index: int) -> frozenset[str] | None:
            words = [w for name in order for w in words_by_name[name] if len(w) <= _HINT_REACH]
            return None if not all(words) else frozenset(w[index] for w in words)

        after_pattern, after_ranks = ranked(after, behind=False)
        before_pattern, before_ranks = ranked(before, behind=True)
        return cls(order, after, before, list_nouns, after_pattern, before_pattern, after_ranks, before_ranks,
                   edges(after, 0), edges(before, -1))


@dataclass(frozen=True)
class PlaceholderRules:
    masks: tuple[MaskRule, ...]
    not_masks: tuple[NotMaskRule, ...]
    gaps: tuple[GapRule, ...]
    categories: CategoryHints
    context_chars: int
    mostly_masks_share: float
    # One `re` alternation of the anchors of all mask rules (None unless every
    # mask rule has one): a text it does not match has no mask, found in one scan.
    mask_gate: "re.Pattern[str] | None" = None
    gap_scan: "AnchorScan | None" = None
    mask_scan: "AnchorScan | None" = None
    gap_plan: "GapPlan | None" = None
    # the statistical second opinion on gaps (gap_model.py); None when its id is disabled
    gap_model: "GapModel | None" = None
    # every word the gap rules and the model's own list name: the model never cuts one
    known_words: "KnownWords | None" = None


@dataclass(frozen=True)
class GapPlan:
    """Which gap rules a text needs, read from the shared scan's hits.

    Most of the ~90 rules find no anchor in a given text; visiting each of them
    to learn that cost more than the rules that do run. Made for one tuple of
    rules (`gaps`, by identity): rules swapped for others are visited one by one."""

    gaps: tuple["GapRule", ...]
    slots: tuple[tuple[int, ...] | None, ...]  # per rule: the scan slots of its anchor patterns
    by_slot: tuple[tuple[int, ...], ...]  # per scan slot: the rules whose anchor holds it
    always: tuple[int, ...]  # rules visited whatever the scan found

    @classmethod
    def build(cls, gaps: tuple["GapRule", ...], scan: "AnchorScan") -> "GapPlan":
        slots, by_slot, always = [], [[] for _ in scan.patterns], []
        for index, rule in enumerate(gaps):
            found = None
            if rule.anchor is not None:
                found = tuple(scan.slots.get(id(pattern), -1) for pattern in rule.anchor.patterns)
                if -1 in found:
                    found = None
            slots.append(found)
            if found is None or rule.may_match_at_start:
                always.append(index)
            for slot in found or ():
                by_slot[slot].append(index)
        return cls(gaps, tuple(slots), tuple(map(tuple, by_slot)), tuple(always))


def _all_starts(pattern: "re.Pattern[str]", text: str) -> list[int]:
    """Every start position of `pattern` in `text`, overlapping ones too."""
    search, found = pattern.search, []
    hit = search(text)
    while hit is not None:
        found.append(hit.start())
        hit = search(text, hit.start() + 1)
    return found


def _compile(entry: dict, kind: str) -> "regex.Pattern[str]":
    try:
        return regex.compile(entry["pattern"], regex.MULTILINE)
    except regex.error as exc:
        raise ConfigError(f"placeholders.toml: {kind} {entry.get('id')!r} has a bad pattern: {exc}") from exc


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


_UNKNOWN_CLASS = "\U0010fffd"  # stands for \p{Han} while a rule is read with `re`'s parser
_UNKNOWN_CODE = ord(_UNKNOWN_CLASS)
_ABSENT = object()
_MAX_REQUIRED_SET = 8  # larger sets of characters are nearly always present: not worth a test
_MAX_REQUIRED_SETS = 2


def _required_strings(items) -> list[frozenset[str]]:
    """Sets of strings of a parsed `re` pattern such that every match holds one
    string of each set (lookarounds included: they read the text too); a run of
    literal characters is one string."""
    C = _sre_constants
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL and chr(av) != _UNKNOWN_CLASS:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        if op is C.IN:
            chars = set()
            for member, value in av:
                if member is C.LITERAL:
                    chars.add(chr(value))
                elif member is C.RANGE and value[1] - value[0] < _MAX_REQUIRED_SET:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    break
            else:
                if _UNKNOWN_CLASS not in chars:
                    found.append(frozenset(chars))
        elif op is C.SUBPATTERN:
            found += _required_strings(av[-1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                found += _required_strings(av[2])
        elif op is C.ASSERT:
            found += _required_strings(av[1])
        elif op is C.BRANCH:
            per_branch = [_required_strings(branch) for branch in av[1]]
            if all(per_branch):
                found.append(frozenset().union(*(max(sets, key=_selectivity) for sets in per_branch)))
    if run:
        found.append(frozenset(["".join(run)]))
    return found


def _selectivity(strings: frozenset[str]) -> tuple[int, int]:
    """Rarer first: longer strings, then fewer of them."""
    return min(map(len, strings)), -len(strings)


def _requires(pattern: str) -> tuple[tuple[str, ...], ...]:
    """A cheap necessary condition of a rule: sets of strings such that a text
    that holds no string of one set cannot match. Read from the pattern itself
    (with `re`'s parser; `\\p{Han}` is read as "any character"), so the rules
    file needs no hint; a pattern `re` cannot read gives none."""
    try:
        tree = _sre_parser.parse(pattern.replace(r"\p{Han}", _UNKNOWN_CLASS))
    except (re.error, ValueError, TypeError, OverflowError):
        return ()
    sets = sorted({s for s in _required_strings(tree.data) if len(s) <= _MAX_REQUIRED_SET},
                  key=lambda s: (_selectivity(s), sorted(s)), reverse=True)
    return tuple(tuple(sorted(s)) for s in sets[:_MAX_REQUIRED_SETS])


_ENDS = frozenset(("\n", ""))  # what `$` needs to see: a newline or the end of the text ("")


def _first_chars(items, ends: bool = False) -> frozenset[str] | None:
    """The characters a match of a parsed pattern can start with, or None when
    unknown (it may be empty, start with a category, ignore case, …). With
    `ends`, a `$` where the match starts gives a newline or the end ("")."""
    C = _sre_constants
    if not items:
        return None
    op, av = items[0]
    if ends and op is C.AT and av in (C.AT_END, C.AT_END_LINE, C.AT_END_STRING):
        return _ENDS
    if op is C.LITERAL:
        return None if av == _UNKNOWN_CODE else frozenset(chr(av))
    if op is C.IN:
        if any(member is not C.LITERAL or value == _UNKNOWN_CODE for member, value in av):
            return None
        return frozenset(chr(value) for _, value in av)
    if op is C.SUBPATTERN:
        if av[1] & re.IGNORECASE:
            return None
        return _first_chars(list(av[-1]) + list(items[1:]), ends)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        inner = _first_chars(av[2], ends)
        if inner is None or av[0] >= 1:
            return inner
        rest = _first_chars(items[1:], ends)  # the item may be skipped: what follows can start the match
        return None if rest is None else inner | rest
    if op is C.BRANCH:
        firsts = [_first_chars(list(branch) + list(items[1:]), ends) for branch in av[1]]
        return None if None in firsts else frozenset().union(*firsts)
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):  # zero-width: what follows reads the first character
        return _first_chars(items[1:], ends)
    return None


def _merge_pairs(found: list) -> dict[str, frozenset[str] | None] | None:
    """Several `_pairs` results for alternatives: any of them may hold."""
    if None in found:
        return None
    merged: dict[str, frozenset[str] | None] = {}
    for pairs in found:
        for char, after in pairs.items():
            if char in merged:
                before = merged[char]
                merged[char] = None if before is None or after is None else before | after
            else:
                merged[char] = after
    return merged


def _pairs(items) -> dict[str, frozenset[str] | None] | None:
    """For a parsed pattern: each character a match can start with, mapped to
    the characters that can follow it (None: any), or None when unknown."""
    C = _sre_constants
    if not items:
        return None
    op, av = items[0]
    rest = list(items[1:])
    if op is C.LITERAL or op is C.IN:
        firsts = _first_chars(items[:1])
        return None if firsts is None else dict.fromkeys(firsts, _first_chars(rest, ends=True))
    if op is C.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _pairs(list(av[-1]) + rest)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] == 1:
        taken = _pairs(list(av[2]) + rest)
        return taken if av[0] >= 1 else _merge_pairs([taken, _pairs(rest)])
    if op is C.BRANCH:
        return _merge_pairs([_pairs(list(branch) + rest) for branch in av[1]])
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return _pairs(rest)
    return None


def _pairs_at(items) -> dict[str, frozenset[str] | None] | None:
    """`_pairs` at the position where a pattern matches: read from its first
    positive lookahead (or consumed text) that gives them, on every branch."""
    C = _sre_constants
    for index, (op, av) in enumerate(items):
        if op is C.ASSERT:
            direction, sub = av
            if direction > 0:
                pairs = _pairs(list(sub.data))
                if pairs is not None:
                    return pairs
            continue
        if op is C.ASSERT_NOT or op is C.AT:
            continue
        rest = list(items[index + 1:])
        if op is C.SUBPATTERN:
            return None if av[1] & re.IGNORECASE else _pairs_at(list(av[-1]) + rest)
        if op is C.BRANCH:
            return _merge_pairs([_pairs_at(list(branch) + rest) for branch in av[1]])
        return _pairs(items[index:])
    return None


# What a gap pattern needs of the character before the gap ("" at offset 0),
# as ("allow", chars) or ("deny", chars); None needs nothing.
Before = tuple[str, frozenset[str]] | None

# Characters `\p{Han}` does not match, read from `regex` itself (ASCII, CJK and
# fullwidth punctuation, general punctuation); "" is the start of the text,
# where a lookbehind finds no character.
_NOT_HAN = frozenset(c for c in (
    [chr(i) for i in range(0x20, 0x7F)] + ["\n", "\t", "\r"] + [chr(i) for i in range(0x2000, 0x2070)]
    + [chr(i) for i in range(0x3000, 0x3040)] + [chr(i) for i in range(0xFF00, 0xFFF0)])
    if not regex.match(r"\p{Han}", c)) | {""}


def _either(options: list[Before]) -> Before:
    """The constraint that holds when any one of `options` does."""
    if not options or None in options:
        return None
    allow = frozenset().union(*(chars for kind, chars in options if kind == "allow"))
    denies = [chars for kind, chars in options if kind == "deny"]
    if not denies:
        return ("allow", allow)
    return ("deny", frozenset.intersection(*denies) - allow)


def _both(first: Before, second: Before) -> Before:
    """The constraint that holds when `first` and `second` do."""
    if first is None or second is None:
        return second if first is None else first
    (kind1, chars1), (kind2, chars2) = first, second
    if kind1 == kind2:
        return (kind1, chars1 & chars2 if kind1 == "allow" else chars1 | chars2)
    allow, deny = (chars1, chars2) if kind1 == "allow" else (chars2, chars1)
    return ("allow", allow - deny)


def _last_char(items) -> Before:
    """What a parsed lookbehind's match needs of its last character."""
    C = _sre_constants
    if not items:
        return None
    op, av = items[-1]
    if op is C.LITERAL:
        return ("deny", _NOT_HAN) if av == _UNKNOWN_CODE else ("allow", frozenset(chr(av)))
    if op is C.IN:
        negate = bool(av) and av[0][0] is C.NEGATE
        members = av[1:] if negate else av
        if not members or any(member is not C.LITERAL for member, _ in members):
            return None
        chars = frozenset(chr(value) for _, value in members)
        if _UNKNOWN_CLASS in chars:
            return None if negate else ("deny", _NOT_HAN - chars)
        return ("deny", chars | {""}) if negate else ("allow", chars)
    if op is C.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _last_char(list(items[:-1]) + list(av[-1]))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        inner = _last_char(list(items[:-1]) + list(av[2]))
        return inner if av[0] >= 1 else _either([inner, _last_char(items[:-1])])
    if op is C.BRANCH:
        return _either([_last_char(list(items[:-1]) + list(branch)) for branch in av[1]])
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return _last_char(items[:-1])
    return None


def _before(items) -> Before:
    """What a pattern needs of the character before the position where it
    matches: read from its leading lookbehinds (a negative one of one known
    character denies it) and `^`, on every branch."""
    C = _sre_constants
    found: Before = None
    for index, (op, av) in enumerate(items):
        if op is C.ASSERT or op is C.ASSERT_NOT:
            direction, sub = av
            if direction < 0 and op is C.ASSERT:
                found = _both(found, _last_char(list(sub.data)))
            elif direction < 0 and sub.getwidth() == (1, 1):
                chars = _first_chars(list(sub.data))
                if chars is not None:
                    found = _both(found, ("deny", chars))
            continue
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_LINE, C.AT_BEGINNING_STRING):
                found = _both(found, ("allow", frozenset(("\n", ""))))
            continue
        rest = list(items[index + 1:])
        if op is C.SUBPATTERN:
            return found if av[1] & re.IGNORECASE else _both(found, _before(list(av[-1]) + rest))
        if op is C.BRANCH:
            return _both(found, _either([_before(list(branch) + rest) for branch in av[1]]))
        return found
    return found


# `regex` syntax that `re`'s parser would read as literal text (fuzzy matching `{e<=1}`):
# a rule holding it is not read for characters.
_NOT_RE_SYNTAX = re.compile(r"(?<!\\)\{(?![0-9,])")


def _read_gap_pattern(pattern: str) -> tuple[dict[str, frozenset[str] | None] | None, Before]:
    """(`_pairs_at`, `_before`) of a rule's pattern, read with `re`'s parser
    (`\\p{Han}` standing for "a Han character"); (None, None) when unreadable."""
    if _NOT_RE_SYNTAX.search(pattern.replace(r"\p{Han}", "")):
        return None, None
    try:
        tree = _sre_parser.parse(pattern.replace(r"\p{Han}", _UNKNOWN_CLASS))
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None, None
    if tree.state.flags & re.IGNORECASE:
        return None, None
    return _pairs_at(tree.data), _before(tree.data)


def _fast_anchor(pattern: str) -> "re.Pattern[str]":
    """The anchor pattern compiled so that `re` finds its starts by a charset scan.
    `re` skips ahead only for a pattern led by a literal or a class, or by a
    branch whose every arm starts with a literal; any other pattern is tried at
    every position (`万?名…|家…` cost 30 ns a character). Such a pattern is led by
    the class of its first characters, and the pattern itself is then checked
    from there (`c(?<=(?=ANCHOR)c)`): same starts, one class test a character."""
    compiled = re.compile(pattern, re.MULTILINE)
    tree = _sre_parser.parse(pattern, re.MULTILINE)
    if tree.state.flags & re.IGNORECASE:
        return compiled
    op = tree.data[0][0] if tree.data else None
    C = _sre_constants
    if op in (C.LITERAL, C.IN) or (op is C.BRANCH and all(
            branch and branch[0][0] is C.LITERAL for branch in tree.data[0][1][1])):
        return compiled
    firsts = _first_chars(tree.data)
    if not firsts:
        return compiled
    lead = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    return re.compile(f"{lead}(?<=(?=(?:{pattern})){lead})", re.MULTILINE)


def _needs_char_before(items) -> bool:
    """True when a parsed pattern cannot match at offset 0: every way through it
    meets a lookbehind that reads at least one character before anything that
    consumes text. Shapes it does not know give False (offset 0 is tried)."""
    C = _sre_constants
    for index, (op, av) in enumerate(items):
        if op is C.ASSERT:
            direction, sub = av
            if direction < 0 and sub.getwidth()[0] >= 1:
                return True
            continue
        if op is C.ASSERT_NOT or op is C.AT:
            continue
        rest = list(items[index + 1:])
        if op is C.SUBPATTERN:
            return _needs_char_before(list(av[-1]) + rest)
        if op is C.BRANCH:
            return all(_needs_char_before(list(branch) + rest) for branch in av[1])
        return False
    return False


def _may_match_at_start(pattern: str) -> bool:
    try:
        tree = _sre_parser.parse(pattern.replace(r"\p{Han}", _UNKNOWN_CLASS))
    except (re.error, ValueError, TypeError, OverflowError):
        return True
    return not _needs_char_before(tree.data)


_ANCHOR_FLAGS = re.compile("", re.MULTILINE).flags


def _char_class(chars) -> str:
    """`chars` as a literal or a class, runs of consecutive code points as ranges."""
    codes = sorted(map(ord, chars))
    if len(codes) == 1:
        return re.escape(chr(codes[0]))
    runs, first = [], 0
    for index in range(1, len(codes) + 1):
        if index == len(codes) or codes[index] != codes[index - 1] + 1:
            low, high = chr(codes[first]), chr(codes[index - 1])
            runs.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
            first = index
    return "[" + "".join(runs) + "]"


def _dispatch(arms: list[str], arm_chars: list[list[str]]) -> str:
    """The arms as one alternation that `re` walks in about 2·sqrt(n) steps, not n.

    At every character of the scan's class, `re` tries the arms one by one (a
    test of the arm's first character each, ~1.5 ns); with ~90 arms that walk
    was most of the scan. The arms are cut, in order, into about sqrt(n) runs,
    each behind the class of its arms' first characters: a character skips a
    whole run by one class test. Order and groups are unchanged (the wrappers
    do not capture), so the first arm that matches and `lastindex` are the same."""
    size = max(1, round(len(arms) ** 0.5))
    if len(arms) <= 2 * size:
        return "|".join(arms)
    return "|".join(
        f"{_char_class([c for chars in arm_chars[i:i + size] for c in chars])}(?<=(?:{'|'.join(arms[i:i + size])}))"
        for i in range(0, len(arms), size))


@dataclass(frozen=True)
class AnchorScan:
    """The starts of many anchor patterns found by ONE `re` scan of a text.

    The scan is led by the class of every character an anchor can start with
    (read from the parse tree), so `re` skips to those characters at charset
    speed; at each, one branch per character checks only the anchors that can
    start there (`c(?<=(?=(?:ANCHOR))c)`: zero-width past `c`, so overlapping
    starts are all found; characters that start the same anchors share one
    branch led by their class). A hit's `lastindex` names the first anchor of
    its branch that matches there, and one group tells whether a later one
    matches too (then each is tried on its own: rare). Anchors whose first
    characters are unknown, or that hold groups or other flags, are scanned alone."""

    patterns: tuple["re.Pattern[str]", ...]
    slots: Mapping[int, int]  # id() of an anchor pattern -> its index in `patterns`
    combined: "re.Pattern[str] | None"
    # a hit's lastindex -> (index of the anchor, group set when no later anchor matches, later indices)
    by_group: Mapping[int, tuple[int, int, tuple[int, ...]]]
    alone: tuple[int, ...]

    @classmethod
    def build(cls, patterns) -> "AnchorScan":
        patterns = tuple({id(p): p for p in patterns}.values())
        chars: dict[str, list[int]] = {}
        alone = []
        for index, pattern in enumerate(patterns):
            firsts = None
            if pattern.groups == 0 and pattern.flags == _ANCHOR_FLAGS:
                firsts = _first_chars(_sre_parser.parse(pattern.pattern, re.MULTILINE).data)
            if not firsts:
                alone.append(index)
                continue
            for char in firsts:
                chars.setdefault(char, []).append(index)
        by_indices: dict[tuple[int, ...], list[str]] = {}
        for char in sorted(chars):
            by_indices.setdefault(tuple(chars[char]), []).append(char)
        # Each anchor of an arm is followed by an empty group, so a hit's
        # `lastindex` tells what matched. An arm of several anchors tries them
        # twice, last one first and then in order (each try skips fast to the
        # anchors that start with the character): the in-order try, closed
        # last, names the first anchor that matches; when the other try did not
        # end on that same anchor, a later one matches too (rare: each is tried).
        arms, arm_chars, by_group, group = [], [], {}, 0
        for indices, lead_chars in by_indices.items():
            lead = _char_class(lead_chars)
            arm_chars.append(lead_chars)
            if len(indices) == 1:
                arms.append(f"{lead}(?<=(?=(?:{patterns[indices[0]].pattern})()){lead})")
                group += 1
                by_group[group] = (indices[0], 0, ())
                continue
            last_first = "|".join(f"(?:{patterns[i].pattern})()" for i in reversed(indices))
            in_order = "|".join(f"(?:{patterns[i].pattern})()" for i in indices)
            arms.append(f"{lead}(?<=(?=(?:{last_first}))(?=(?:{in_order})){lead})")
            count = len(indices)
            for place, index in enumerate(indices):
                as_last = group + count - place
                by_group[group + count + 1 + place] = (index, as_last, indices[place + 1:])
            group += 2 * count
        # `re` scans at charset speed only for a pattern led by a class (or a
        # branch of literal-led arms): the arms sit in a lookbehind behind the
        # class of all first characters. Each arm ends with an empty group, so
        # a hit's `lastindex` names its arm.
        combined = None
        if arms:
            combined = re.compile(f"{_char_class(chars)}(?<=(?:{_dispatch(arms, arm_chars)}))", re.MULTILINE)
        return cls(patterns, {id(p): i for i, p in enumerate(patterns)}, combined, by_group, tuple(alone))

    def starts(self, text: str) -> list[list[int]]:
        """Every start of every pattern in `text` (overlapping ones too), by index."""
        found: list[list[int]] = [[] for _ in self.patterns]
        if self.combined is not None:
            by_group, patterns = self.by_group, self.patterns
            for hit in self.combined.finditer(text):
                index, as_last, later = by_group[hit.lastindex]
                pos = hit.start()
                found[index].append(pos)
                if later and hit.group(as_last) is None:
                    for other in later:
                        if patterns[other].match(text, pos) is not None:
                            found[other].append(pos)
        for index in self.alone:
            found[index] = _all_starts(self.patterns[index], text)
        return found


def _anchor(entry: dict, kind: str) -> Anchor | None:
    if "anchor" not in entry:
        return None
    try:
        patterns = tuple(_fast_anchor(p) for p in _as_tuple(entry["anchor"]))
    except re.error as exc:
        raise ConfigError(f"placeholders.toml: {kind} {entry.get('id')!r} has a bad anchor: {exc}") from exc
    return Anchor(patterns, tuple(int(n) for n in _as_tuple(entry.get("anchor_shift", 0))))


def _followed_by(chars: frozenset[str]) -> str:
    """A lookahead for one of `chars` ("" is the end of the text)."""
    ahead = [_char_class(chars - {""})] if chars - {""} else []
    return "(?=" + "|".join(ahead + ([r"\Z"] if "" in chars else [])) + ")"


def _derived_anchor(at_chars: Mapping[str, frozenset[str] | None], allow_before: frozenset[str] | None,
                    deny_before: frozenset[str] | None) -> Anchor:
    """An anchor for a gap rule written without one: the characters its pattern
    needs before the gap, at it and after it, found by the shared scan."""
    by_next: dict[frozenset[str] | None, list[str]] = {}
    for char, after in at_chars.items():
        by_next.setdefault(after, []).append(char)
    arms = [_char_class(chars) + (_followed_by(after) if after else "")
            for after, chars in sorted(by_next.items(), key=lambda item: sorted(item[1]))]
    behind = ""
    if allow_before is not None:
        chars = allow_before - {""}
        behind = "|".join(([f"(?<={_char_class(chars)})"] if chars else []) + ([r"\A"] if "" in allow_before else []))
        behind = f"(?:{behind})" if behind else "(?!)"
    elif deny_before is not None and deny_before - {""}:
        behind = f"(?<!{_char_class(deny_before - {''})})"
    return Anchor((re.compile(behind + "(?:" + "|".join(arms) + ")", re.MULTILINE),))


def _cuts_a_word(splits: "dict[str, tuple[tuple[str, str], ...]] | None", text: str, pos: int) -> bool:
    """True when `pos` falls inside one of the words `_word_splits` made `splits` from."""
    cuts = splits.get(text[pos - 1:pos + 1]) if splits and pos else None
    return cuts is not None and any(text.startswith(right, pos) and text.endswith(left, 0, pos) for left, right in cuts)


def _word_splits(words) -> dict[str, tuple[tuple[str, str], ...]] | None:
    """`GapRule.not_words` from the words of the rules file."""
    if not words:
        return None
    splits: dict[str, set[tuple[str, str]]] = {}
    for word in set(words):
        for cut in range(1, len(word)):
            splits.setdefault(word[cut - 1:cut + 1], set()).add((word[:cut], word[cut:]))
    return {pair: tuple(sorted(cuts)) for pair, cuts in splits.items()}


def parse_rules(data: dict, disabled: frozenset[str] = frozenset()) -> PlaceholderRules:
    """Build the rule set from parsed TOML; ids in `disabled` are left out."""
    masks = tuple(
        MaskRule(e["id"], e["description"], _compile(e, "mask"), e["example"], e.get("category"), _anchor(e, "mask"))
        for e in data.get("mask", []) if e["id"] not in disabled
    )
    not_masks = tuple(
        NotMaskRule(e["id"], e["description"], _compile(e, "not_mask"), e["example"], _anchor(e, "not_mask"))
        for e in data.get("not_mask", []) if e["id"] not in disabled
    )
    gaps, derived = [], set()
    for e in data.get("gap", []):
        anchor = _anchor(e, "gap")
        if e["id"] in disabled:
            continue
        if e["confidence"] not in CONFIDENCES:
            raise ConfigError(f"placeholders.toml: gap {e['id']!r} has confidence {e['confidence']!r}")
        not_words = _word_splits(e.get("not_words", ()))
        nouns = sorted(set(e.get("counted_nouns", ())), key=len, reverse=True)
        counted = regex.compile("(?:" + "|".join(map(regex.escape, nouns)) + r")\Z") if nouns else None
        if nouns and max(map(len, nouns)) > 8:
            raise ConfigError(f"placeholders.toml: gap {e['id']!r} has a counted noun longer than 8 characters")
        at_chars, before = _read_gap_pattern(e["pattern"])
        allow_before = before[1] if before is not None and before[0] == "allow" else None
        deny_before = before[1] if before is not None and before[0] == "deny" else None
        if anchor is None and at_chars:
            anchor = _derived_anchor(at_chars, allow_before, deny_before)
            derived.add(e["id"])
        gaps.append(GapRule(e["id"], e["description"], _compile(e, "gap"), e["example"], e["confidence"],
                            e.get("category"), not_words, counted,
                            anchor, may_match_at_start=_may_match_at_start(e["pattern"]),
                            at_chars=at_chars, allow_before=allow_before, deny_before=deny_before))
    gap_scan = AnchorScan.build(p for rule in gaps if rule.anchor for p in rule.anchor.patterns)
    # A rule whose anchors the shared scan finds costs nothing in a text where they
    # are absent. Any other rule, and one whose anchor is only the characters at
    # the gap (often common ones: 等, 及), is skipped where its required strings are absent.
    scanned_alone = {id(gap_scan.patterns[i]) for i in gap_scan.alone}
    gaps = [rule if rule.anchor and rule.id not in derived and not any(
                id(p) in scanned_alone for p in rule.anchor.patterns)
            else dataclasses.replace(rule, requires=_requires(rule.pattern.pattern)) for rule in gaps]
    gaps = tuple(gaps)
    cat = data.get("category", {})
    order = tuple(cat.get("order", ()))
    hints = CategoryHints.build(
        order=order,
        after={name: tuple(sorted(cat.get(name, {}).get("after", ()), key=len, reverse=True)) for name in order},
        before={name: tuple(sorted(cat.get(name, {}).get("before", ()), key=len, reverse=True)) for name in order},
        list_nouns=tuple(cat.get("organisation", {}).get("list_nouns", ())),
    )
    settings = data.get("settings", {})
    gate = None
    if masks and all(rule.anchor for rule in masks):
        anchors = dict.fromkeys(p.pattern for rule in masks for p in rule.anchor.patterns)
        gate = re.compile("|".join(f"(?:{p})" for p in anchors), re.MULTILINE)
    known_words = KnownWords.build(gaps, list(data.get("gap_model", {}).get("not_words", ())))
    return PlaceholderRules(masks, not_masks, gaps, hints,
                            int(settings.get("context_chars", 10)), float(settings.get("mostly_masks_share", 0.5)),
                            gate, gap_scan,
                            AnchorScan.build(p for rule in (*masks, *not_masks) if rule.anchor
                                             for p in rule.anchor.patterns),
                            GapPlan.build(gaps, gap_scan), known_words=known_words)


@lru_cache(maxsize=8)
def load_rules(disabled: frozenset[str] = frozenset(), gap_model: bool = False) -> PlaceholderRules:
    """The shipped rules, compiled once per process and set of options; with the gap model when
    asked for (the pipeline does, unless `--no-gap-model`) and not disabled. The rules alone
    by default: each rule's table tests read what the rule finds."""
    rules = parse_rules(read_shipped_rules("placeholders.toml"), disabled)
    if not gap_model or GAP_MODEL_ID in disabled:
        return rules
    return dataclasses.replace(rules, gap_model=load_gap_model())


@lru_cache(maxsize=8)
def _token_pattern(token: str) -> "regex.Pattern[str]":
    """The unify/fill token as a mask, unless it stands between two digits (3××4)."""
    escaped = regex.escape(token)
    return regex.compile(rf"(?<![0-9]){escaped}|{escaped}(?![0-9])")


_HINT_REACH = 6  # characters guess_category reads on each side of a placeholder
_CLAUSE_END = re.compile(r"[，。；！？\n]")
_LIST_FOLLOW = frozenset("、等和及与")


def guess_category(text: str, start: int, end: int, hints: CategoryHints) -> str:
    """What a mask (or the value missing at a gap) stands for, from its neighbours."""
    best = len(hints.order)
    if hints.after_pattern is not None and (hints.after_firsts is None or text[end:end + 1] in hints.after_firsts):
        found = hints.after_pattern.match(text, end)
        if found is not None:
            best = hints.after_ranks[found.lastindex - 1]
    if best and hints.before_pattern is not None and (
            hints.before_lasts is None or text[start - 1:start] in hints.before_lasts):
        found = hints.before_pattern.match(text, start)
        if found is not None:
            best = min(best, hints.before_ranks[found.lastindex - 1])
    if best < len(hints.order):
        return hints.order[best]
    if hints.list_nouns and text[end:end + 1] in _LIST_FOLLOW:
        clause = text[end:end + 40]
        clause_end = _CLAUSE_END.search(clause)
        if clause_end:
            clause = clause[:clause_end.start()]
        if any(noun in clause for noun in hints.list_nouns):
            return "organisation"
    return "unknown"


_new_record = object.__new__
_set_attribute = object.__setattr__


def _placeholder(kind: str, text: str, start: int, end: int, rule: str, category: str, confidence: str,
                 context: str, original: str | None = None) -> Placeholder:
    """The same record as `Placeholder(...)` at a third of the cost: the frozen
    dataclass's __init__ sets each field through object.__setattr__ (~1.7 µs), and
    a corpus text holds tens of placeholders. Fields in declaration order."""
    record = _new_record(Placeholder)
    _set_attribute(record, "__dict__", {
        "kind": kind, "text": text, "start": start, "end": end, "rule": rule, "category": category,
        "confidence": confidence, "context": context, "original": original})
    return record


class _AnchorHits:
    """Where anchors match in one text, found once and shared by the rules that
    use the same anchor patterns (by one `AnchorScan` when given; patterns are
    keyed by identity: hashing a compiled pattern hashes its whole code)."""

    def __init__(self, text: str, scan: "AnchorScan | None" = None):
        self.text = text
        self._scan = scan
        self._scan_starts = scan.starts(text) if scan is not None else None
        self._lines: dict = {}
        self._windows: dict = {}
        self._starts: dict = {}

    def lines(self, anchor: Anchor) -> list[tuple[int, int]]:
        """(start, end) of every line in which one of the anchor's patterns
        matches, its newline included, so that a scan bounded by it sees what a
        scan of the whole text sees after the match (lookbehinds see before pos)."""
        key = id(anchor.patterns)
        if key not in self._windows:
            patterns = anchor.patterns
            if self._scan is not None:
                slots = [self._scan.slots.get(id(pattern)) for pattern in patterns]
                if None not in slots and not any(self._scan_starts[slot] for slot in slots):
                    self._windows[key] = []
                    return []
            if len(patterns) == 1:
                self._windows[key] = self._pattern_lines(patterns[0])
            else:
                self._windows[key] = sorted(set().union(*map(self._pattern_lines, patterns)))
        return self._windows[key]

    def _pattern_lines(self, pattern: "re.Pattern[str]") -> list[tuple[int, int]]:
        key = id(pattern)
        if key not in self._lines:
            text, found = self.text, []
            slot = self._scan.slots.get(key) if self._scan is not None else None
            if slot is not None:
                end = -1
                for start in self._scan_starts[slot]:
                    if start >= end:
                        end = text.find("\n", start) + 1 or len(text)
                        found.append((text.rfind("\n", 0, start) + 1, end))
            else:
                # One pattern at a time: `re` finds a leading literal fast, an alternation slowly.
                search = pattern.search
                hit = search(text)
                while hit is not None:
                    end = text.find("\n", hit.start()) + 1 or len(text)
                    found.append((text.rfind("\n", 0, hit.start()) + 1, end))
                    hit = search(text, end) if end < len(text) else None
            self._lines[key] = found
        return self._lines[key]

    def starts(self, pattern: "re.Pattern[str]") -> list[int]:
        """Every start position of the pattern, overlapping ones too."""
        if pattern not in self._starts:
            self._starts[pattern] = _all_starts(pattern, self.text)
        return self._starts[pattern]


def _may_occur(requires: tuple[tuple[str, ...], ...], text: str, present: dict[str, bool]) -> bool:
    """False when no string of one of the sets is in `text` (each string looked
    up once per text: `in` runs at memchr speed)."""
    for strings in requires:
        for string in strings:
            seen = present.get(string)
            if seen is None:
                seen = present[string] = string in text
            if seen:
                break
        else:
            return False
    return True


def _scan_windows(anchor: Anchor | None, hits: _AnchorHits) -> list[tuple[int, int]]:
    """Where a mask or not-mask rule may match: the lines in which its anchor
    matches (no match spans a line), or the whole text when it has no anchor."""
    if anchor is None:
        return [(0, len(hits.text))]
    return hits.lines(anchor)


def find_masks(text: str, rules: PlaceholderRules, token: str | None = None) -> list[Placeholder]:
    """Every mask in `text`, in order; the first rule that claims a span wins.

    Rules run in file order over the whole text (a later rule cannot take a span
    that overlaps one an earlier rule took); the anchors only skip the part of
    the text where a rule cannot match. Overlaps are checked on a per-character
    claim map, so the cost stays linear in the text and the matches. Records are
    built once, in text order, after every rule has run."""
    has_token = bool(token) and token in text
    if rules.mask_gate is not None and not has_token and rules.mask_gate.search(text) is None:
        return []
    hits = _AnchorHits(text, rules.mask_scan)
    blocked = None
    for rule in rules.not_masks:
        finditer = rule.pattern.finditer
        for begin, end in _scan_windows(rule.anchor, hits):
            for match in finditer(text, begin, end):
                start, stop = match.span()
                if start < stop:
                    if blocked is None:
                        blocked = bytearray(len(text) + 1)
                    blocked[start:stop] = b"\x01" * (stop - start)
    claimed = bytearray(len(text) + 1)
    spans = []
    passes = [(rule.id, rule.pattern, rule.category, _scan_windows(rule.anchor, hits)) for rule in rules.masks]
    if token and has_token:
        passes.append(("mask.token", _token_pattern(token), None, [(0, len(text))]))
    for rule_id, pattern, category, windows in passes:
        finditer = pattern.finditer
        for begin, end in windows:
            for match in finditer(text, begin, end):
                start, stop = match.span()
                if start == stop or claimed.find(1, start, stop) >= 0 or (
                        blocked is not None and blocked.find(1, start, stop) >= 0):
                    continue
                claimed[start:stop] = b"\x01" * (stop - start)
                spans.append((start, stop, match.group(), rule_id, category))
    spans.sort()
    hints, width = rules.categories, rules.context_chars
    return [
        _placeholder("mask", value, start, stop, rule_id, category or guess_category(text, start, stop, hints),
                     "high", text[max(0, start - width):stop + width].replace("\n", " "))
        for start, stop, value, rule_id, category in spans
    ]


def find_gaps(text: str, rules: PlaceholderRules, masks: list[Placeholder] = (),
              evidence: Evidence | None = None) -> list[Placeholder]:
    """Every gap in `text`, one per position (the first rule wins), none touching a mask.

    `evidence` is what the rules found in the whole document `text` is part of
    (the gap model's prior, gap_model.Evidence); by default `text` is the document.

    Gap patterns are zero-width, so a rule matches at a position or not whatever
    it found elsewhere: trying it only where its anchor matches finds the same
    gaps, and a position an earlier rule took or a mask touches is not tried.
    The anchors of all rules are found by one shared scan (`AnchorScan`)."""
    limit = len(text)
    touches_mask = bytearray(limit + 2)
    for mask in masks:
        touches_mask[mask.start:mask.end + 1] = b"\x01" * (mask.end + 1 - mask.start)
    scan = rules.gap_scan
    anchor_starts = scan.starts(text) if scan is not None else None
    hits = None
    found: dict[int, GapRule] = {}
    present: dict[str, bool] = {}
    gaps, plan = rules.gaps, rules.gap_plan
    if plan is not None and plan.gaps is gaps and anchor_starts is not None:
        slots = plan.slots
        visit = set(plan.always)
        for slot in [slot for slot, starts in enumerate(anchor_starts) if starts]:
            visit.update(plan.by_slot[slot])
        visit = sorted(visit)
    else:
        slots, visit = None, range(len(gaps))
    for index in visit:
        rule = gaps[index]
        if rule.anchor is None:
            if rule.requires and not _may_occur(rule.requires, text, present):
                continue
            positions, match = [m.start() for m in rule.pattern.finditer(text)], None
        else:
            rule_slots = slots[index] if slots is not None else None
            if rule_slots is not None:
                sources = [anchor_starts[slot] for slot in rule_slots]
            else:
                sources = []
                for pattern in rule.anchor.patterns:
                    slot = scan.slots.get(id(pattern)) if scan is not None else None
                    if slot is not None:
                        sources.append(anchor_starts[slot])
                    else:  # rules built by hand around the shared scan
                        hits = hits or _AnchorHits(text)
                        sources.append(hits.starts(pattern))
            if not any(sources) and not rule.may_match_at_start:
                continue
            if rule.requires and not _may_occur(rule.requires, text, present):
                continue
            match = rule.pattern.match
            positions = [0] if rule.may_match_at_start else []
            for starts in sources:
                for shift in rule.anchor.shifts:
                    if not shift:
                        positions += starts
                    else:
                        positions += [pos for start in starts if 0 <= (pos := start + shift) <= limit]
        not_words = rule.not_words is not None
        at_chars, allow_before, deny_before = rule.at_chars, rule.allow_before, rule.deny_before
        for pos in positions:
            if pos in found or touches_mask[pos]:
                continue
            if match is not None:
                if at_chars is not None:
                    after = at_chars.get(text[pos:pos + 1], _ABSENT)
                    if after is _ABSENT or (after is not None and text[pos + 1:pos + 2] not in after):
                        continue
                if allow_before is not None:
                    if text[pos - 1:pos] not in allow_before:
                        continue
                elif deny_before is not None and text[pos - 1:pos] in deny_before:
                    continue
                if match(text, pos) is None:
                    continue
            if not_words and rule.splits_a_word(text, pos):
                continue
            found[pos] = rule
    hints, width = rules.categories, rules.context_chars
    model_found = {}
    if rules.gap_model is not None:
        words = rules.known_words or KnownWords({}, None)
        if evidence is None:
            evidence = Evidence(len(text), sum(1 for rule in found.values() if rule.confidence == "high"))
        model_found = dict(rules.gap_model.find(text, set(found), _near_masks(masks, limit), words.cut_at,
                                                rules.gap_model.shift(evidence)))
    gaps = []
    for pos in sorted(found.keys() | model_found.keys()):
        rule = found.get(pos)
        rule_id, category, confidence = ((rule.id, rule.category, rule.confidence) if rule is not None
                                         else (GAP_MODEL_ID, None, model_found[pos]))
        gaps.append(_placeholder("gap", "", pos, pos, rule_id, category or guess_category(text, pos, pos, hints),
                                 confidence, (text[max(0, pos - width):pos] + "‸" + text[pos:pos + width])
                                 .replace("\n", " ")))
    return gaps


def _near_masks(masks: list[Placeholder], limit: int) -> bytearray:
    """Places whose context (gap_model.LEFT/RIGHT characters) reaches into a mask:
    the model never learned mask characters as context, and a gap it filled with
    the token must not lead a second run to another."""
    near = bytearray(limit + 1)
    for mask in masks:
        start, end = max(0, mask.start - RIGHT_CONTEXT), min(limit, mask.end + LEFT_CONTEXT)
        near[start:end + 1] = b"\x01" * (end + 1 - start)
    return near


def _merge_adjacent(masks: list[Placeholder], text: str) -> list[Placeholder]:
    """Masks that touch (`XX**`) hide one value: one token replaces them, or a
    second run would see the two tokens as one mask and change the text again."""
    merged: list[Placeholder] = []
    for mask in masks:
        if merged and merged[-1].end == mask.start:
            last = merged[-1]
            merged[-1] = Placeholder("mask", text[last.start:mask.end], last.start, mask.end, last.rule,
                                     last.category if last.category != "unknown" else mask.category,
                                     last.confidence, last.context)
        else:
            merged.append(mask)
    return merged


_START = operator.attrgetter("start")


def rewrite(text: str, masks: list[Placeholder], gaps: list[Placeholder], token: str,
            unify: bool, fill_gaps: bool) -> tuple[str, list[Placeholder]]:
    """Apply unify/fill to `text`; return it with placeholders re-offset into it.

    Unified masks carry their original text in `original`; filled gaps carry
    the token as `text` and `original=""`.
    """
    if not unify and not (fill_gaps and any(gap.confidence == "high" for gap in gaps)):
        # Nothing is replaced or inserted: every offset stays as found. Masks do
        # not overlap and gaps are one per position, so a stable sort by start
        # with the gaps first puts a gap before a mask at the same offset.
        return text, sorted(gaps + masks, key=_START)
    items = sorted(masks + gaps, key=lambda p: (p.start, p.kind == "mask"))
    if unify:
        masks = _merge_adjacent(masks, text)
        items = sorted(masks + gaps, key=lambda p: (p.start, p.kind == "mask"))
    pieces: list[str] = []
    placed: list[Placeholder] = []
    cursor = 0
    out_len = 0
    for item in items:
        pieces.append(text[cursor:item.start])
        out_len += item.start - cursor
        cursor = item.end
        if item.kind == "mask" and unify and item.text != token:
            new = Placeholder(item.kind, token, out_len, out_len + len(token), item.rule, item.category,
                              item.confidence, item.context, original=item.text)
        elif item.kind == "gap" and fill_gaps and item.confidence == "high":
            new = Placeholder(item.kind, token, out_len, out_len + len(token), item.rule, item.category,
                              item.confidence, item.context, original="")
        else:
            new = Placeholder(item.kind, item.text, out_len, out_len + len(item.text), item.rule,
                              item.category, item.confidence, item.context, item.original)
        pieces.append(new.text)
        out_len += len(new.text)
        placed.append(new)
    pieces.append(text[cursor:])
    return "".join(pieces), placed


def density(text: str, placeholders: list[Placeholder], mostly_masks_share: float) -> tuple[dict, list[str]]:
    """Placeholders per 1,000 characters, the share of characters that are masks, and a warning."""
    chars = max(1, len(text))
    masks = [p for p in placeholders if p.kind == "mask"]
    gaps = [p for p in placeholders if p.kind == "gap"]
    # Visible characters are counted only where there are masks to share them.
    mask_share = sum(p.end - p.start for p in masks) / max(1, len("".join(text.split()))) if masks else 0.0
    counters = {
        "masks": len(masks),
        "gaps": len(gaps),
        "gaps_high": sum(1 for p in gaps if p.confidence == "high"),
        "per_1000_chars": round(1000 * len(placeholders) / chars, 2),
        "masks_per_1000_chars": round(1000 * len(masks) / chars, 2),
        "gaps_per_1000_chars": round(1000 * len(gaps) / chars, 2),
        "mask_char_share": round(mask_share, 4),
    }
    warnings = []
    if masks and mask_share >= mostly_masks_share:
        warnings.append(f"text is mostly masks: {mask_share:.0%} of its characters are masks ({len(masks)} masks)")
    return counters, warnings


def rule_evidence(lines: Iterable[str], rules: PlaceholderRules) -> Evidence:
    """The gap model's evidence in a document read line by line (as the eval reads its sets):
    what `find_gaps` counts when it is given the whole document."""
    rules = dataclasses.replace(rules, gap_model=None)
    lines = list(lines)
    found = 0
    for line in lines:
        found += sum(1 for gap in find_gaps(line, rules, find_masks(line, rules, "××")) if gap.confidence == "high")
    return Evidence(len("\n".join(lines)), found)


def _gaps_through_unified_masks(text: str, masks: list[Placeholder], rules: PlaceholderRules,
                                token: str) -> list[Placeholder]:
    """The gaps of the text as `--masks unify` will write it, offset back into `text`.

    Some rules read a few characters past a mask (a head noun within eight
    characters: `个XXXXXXXXX项目` against `个××项目`); found on the text as
    written they would change on a second run, once the masks are tokens.
    """
    unified, placed = rewrite(text, masks, [], token, unify=True, fill_gaps=False)
    # what each unified mask added to the length of the text after it
    shifts = [(p.end, len(p.original) - (p.end - p.start)) for p in placed if p.original is not None]
    gaps = []
    for gap in find_gaps(unified, rules, placed):  # `placed` are the unified masks, at their new offsets
        shift = sum(change for end, change in shifts if end <= gap.start)
        gaps.append(dataclasses.replace(gap, start=gap.start + shift, end=gap.end + shift))
    return gaps


def mark_placeholders(text: str, rules: PlaceholderRules, token: str, unify: bool = False,
                      fill_gaps: bool = False) -> tuple[str, list[Placeholder], dict, list[str]]:
    """The pure core: (text as written, its placeholders, counters, warnings)."""
    masks = find_masks(text, rules, token)
    gaps = _gaps_through_unified_masks(text, masks, rules, token) if unify and masks else find_gaps(text, rules, masks)
    new_text, placed = rewrite(text, masks, gaps, token, unify, fill_gaps)
    counters, warnings = density(new_text, placed, rules.mostly_masks_share)
    counters["unified"] = sum(1 for p in placed if p.kind == "mask" and p.original is not None)
    counters["gaps_filled"] = sum(1 for p in placed if p.kind == "gap" and p.original == "")
    return new_text, placed, {k: v for k, v in counters.items() if v or k in ("masks", "gaps", "per_1000_chars")}, warnings


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    rules = load_rules(config.disabled_rules, config.gap_model)
    text, placed, counters, warnings = mark_placeholders(
        doc.text, rules, config.mask_token, unify=config.masks == "unify", fill_gaps=config.fill_gaps)
    return doc.evolve(text=text, placeholders=tuple(placed)).with_warnings(*warnings), counters
