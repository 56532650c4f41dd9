"""Frozen copy of speechclean/stages/placeholders.py as of commit c6c2252 (before the
third round of speed work): the oracle of tests/test_placeholders_equivalence.py.
Do not edit: it is the behaviour the stage must keep. One behaviour fix made
since is mirrored here: with unify, gaps are found on the text with its masks
already unified (a second run found one more gap behind a long mask).

Find anonymisation masks and deleted-value gaps in the final text.

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

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable, Mapping

import regex

from speechclean.config import Config, ConfigError
from speechclean.document import Document, Placeholder
from speechclean.ruleset import read_shipped_rules

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


@dataclass(frozen=True)
class NotMaskRule:
    id: str
    description: str
    pattern: "regex.Pattern[str]"
    example: str
    anchor: Anchor | None = None


@dataclass(frozen=True)
class GapRule:
    id: str
    description: str
    pattern: "regex.Pattern[str]"
    example: str
    confidence: str
    category: str | None = None
    not_words: "regex.Pattern[str] | None" = None
    longest_not_word: int = 0
    counted_nouns: "regex.Pattern[str] | None" = None
    anchor: Anchor | None = None

    def splits_a_word(self, text: str, pos: int) -> bool:
        """True when `pos` falls inside one of the rule's ordinary words (企业家, 市场):
        the classifier there is part of the word, not a count. A counted noun that
        ends right at `pos` (积案‸件, 实事‸项, 农户‸户, 招聘会‸场) is read first, as a
        reader segments left to right, so the word it overlaps (案件, 事项, 户户,
        会场) does not hide the gap."""
        if self.not_words is None:
            return False
        if self.counted_nouns is not None and self.counted_nouns.search(text, max(0, pos - 8), pos):
            return False
        reach = self.longest_not_word - 1
        window_start = max(0, pos - reach)
        for match in self.not_words.finditer(text, window_start, pos + reach, overlapped=True):
            if match.start() < pos < match.end():
                return True
        return False


@dataclass(frozen=True)
class CategoryHints:
    """Words around a mask that tell what it hides, tried in `order`."""

    order: tuple[str, ...]
    after: Mapping[str, tuple[str, ...]]
    before: Mapping[str, tuple[str, ...]]
    list_nouns: tuple[str, ...]
    # The same words as lookup tables: word -> position in `order` of the first
    # category that lists it, and the word lengths to try (one dict lookup per
    # length instead of a startswith per category).
    after_rank: Mapping[str, int] = field(default_factory=dict, compare=False)
    before_rank: Mapping[str, int] = field(default_factory=dict, compare=False)
    after_lengths: tuple[int, ...] = field(default=(), compare=False)
    before_lengths: tuple[int, ...] = field(default=(), compare=False)

    @classmethod
    def build(cls, order, after, before, list_nouns) -> "CategoryHints":
        def ranks(words_by_name: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
            table: dict[str, int] = {}
            for rank, name in enumerate(order):
                for word in words_by_name[name]:
                    table.setdefault(word, rank)
            return table

        after_rank, before_rank = ranks(after), ranks(before)
        # guess_category looks at 6 characters on each side: longer words never match.
        lengths = lambda table: tuple(sorted({len(w) for w in table if len(w) <= _HINT_REACH}))  # noqa: E731
        return cls(order, after, before, list_nouns, after_rank, before_rank,
                   lengths(after_rank), lengths(before_rank))


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


def _compile(entry: dict, kind: str) -> "regex.Pattern[str]":
    try:
        return regex.compile(entry["pattern"], regex.MULTILINE)
    except regex.error as exc:
        raise ConfigError(f"placeholders.toml: {kind} {entry.get('id')!r} has a bad pattern: {exc}") from exc


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def _anchor(entry: dict, kind: str) -> Anchor | None:
    if "anchor" not in entry:
        return None
    try:
        patterns = tuple(re.compile(p, re.MULTILINE) for p in _as_tuple(entry["anchor"]))
    except re.error as exc:
        raise ConfigError(f"placeholders.toml: {kind} {entry.get('id')!r} has a bad anchor: {exc}") from exc
    return Anchor(patterns, tuple(int(n) for n in _as_tuple(entry.get("anchor_shift", 0))))


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
    gaps = []
    for e in data.get("gap", []):
        if e["id"] in disabled:
            continue
        if e["confidence"] not in CONFIDENCES:
            raise ConfigError(f"placeholders.toml: gap {e['id']!r} has confidence {e['confidence']!r}")
        words = sorted(set(e.get("not_words", ())), key=len, reverse=True)
        not_words = regex.compile("|".join(map(regex.escape, words))) if words else None
        nouns = sorted(set(e.get("counted_nouns", ())), key=len, reverse=True)
        counted = regex.compile("(?:" + "|".join(map(regex.escape, nouns)) + r")\Z") if nouns else None
        if nouns and max(map(len, nouns)) > 8:
            raise ConfigError(f"placeholders.toml: gap {e['id']!r} has a counted noun longer than 8 characters")
        gaps.append(GapRule(e["id"], e["description"], _compile(e, "gap"), e["example"], e["confidence"],
                            e.get("category"), not_words, len(words[0]) if words else 0, counted,
                            _anchor(e, "gap")))
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
    return PlaceholderRules(masks, not_masks, tuple(gaps), hints,
                            int(settings.get("context_chars", 10)), float(settings.get("mostly_masks_share", 0.5)),
                            gate)


@lru_cache(maxsize=8)
def load_rules(disabled: frozenset[str] = frozenset()) -> PlaceholderRules:
    """The shipped rules, compiled once per process and set of disabled ids."""
    return parse_rules(read_shipped_rules("placeholders.toml"), disabled)


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
    after = text[end:end + _HINT_REACH]
    before = text[max(0, start - _HINT_REACH):start]
    best = len(hints.order)
    rank = hints.after_rank.get
    for length in hints.after_lengths:
        found = rank(after[:length], best)
        if found < best:
            best = found
    rank, size = hints.before_rank.get, len(before)
    for length in hints.before_lengths:
        if length <= size:
            found = rank(before[size - length:], best)
            if found < best:
                best = found
    if best < len(hints.order):
        return hints.order[best]
    if hints.list_nouns and after[:1] in _LIST_FOLLOW:
        clause = text[end:end + 40]
        clause_end = _CLAUSE_END.search(clause)
        if clause_end:
            clause = clause[:clause_end.start()]
        if any(noun in clause for noun in hints.list_nouns):
            return "organisation"
    return "unknown"


def _context(text: str, start: int, end: int, width: int, mark: str = "") -> str:
    return (text[max(0, start - width):start] + mark + text[start:end + width]).replace("\n", " ")


class _AnchorHits:
    """Where each anchor pattern matches in one text, found once and shared by the
    rules that use the same pattern (every start position, overlapping ones too)."""

    def __init__(self, text: str):
        self.text = text
        self._lines: dict = {}
        self._starts: dict = {}

    def lines(self, anchor: Anchor) -> list[tuple[int, int]]:
        """(start, end) of every line in which one of the anchor's patterns
        matches, its newline included, so that a scan bounded by it sees what a
        scan of the whole text sees after the match (lookbehinds see before pos)."""
        if len(anchor.patterns) == 1:
            return self._pattern_lines(anchor.patterns[0])
        return sorted(set().union(*map(self._pattern_lines, anchor.patterns)))

    def _pattern_lines(self, pattern: "re.Pattern[str]") -> list[tuple[int, int]]:
        # One pattern at a time: `re` finds a leading literal fast, an alternation slowly.
        if pattern not in self._lines:
            text, search, found = self.text, pattern.search, []
            hit = search(text)
            while hit is not None:
                end = text.find("\n", hit.start()) + 1 or len(text)
                found.append((text.rfind("\n", 0, hit.start()) + 1, end))
                hit = search(text, end) if end < len(text) else None
            self._lines[pattern] = found
        return self._lines[pattern]

    def starts(self, pattern: "re.Pattern[str]") -> list[int]:
        if pattern not in self._starts:
            text, search, found = self.text, pattern.search, []
            hit = search(text)
            while hit is not None:
                found.append(hit.start())
                hit = search(text, hit.start() + 1)
            self._starts[pattern] = found
        return self._starts[pattern]


def _scan_windows(anchor: Anchor | None, hits: _AnchorHits) -> list[tuple[int, int]]:
    """Where a mask or not-mask rule may match: the lines in which its anchor
    matches (no match spans a line), or the whole text when it has no anchor."""
    if anchor is None:
        return [(0, len(hits.text))]
    return hits.lines(anchor)


def _mark(span: bytearray, start: int, end: int) -> None:
    span[start:end] = b"\x01" * (end - start)


def find_masks(text: str, rules: PlaceholderRules, token: str | None = None) -> list[Placeholder]:
    """Every mask in `text`, in order; the first rule that claims a span wins.

    Rules run in file order over the whole text (a later rule cannot take a span
    that overlaps one an earlier rule took); the anchors only skip the part of
    the text where a rule cannot match. Overlaps are checked on a per-character
    claim map, so the cost stays linear in the text and the matches."""
    has_token = bool(token) and token in text
    if rules.mask_gate is not None and not has_token and rules.mask_gate.search(text) is None:
        return []
    hits = _AnchorHits(text)
    blocked = bytearray(len(text) + 1)
    for rule in rules.not_masks:
        for begin, end in _scan_windows(rule.anchor, hits):
            for match in rule.pattern.finditer(text, begin, end):
                _mark(blocked, match.start(), match.end())
    claimed = bytearray(len(text) + 1)
    found = []
    passes = [(rule.id, rule.pattern, rule.category, _scan_windows(rule.anchor, hits)) for rule in rules.masks]
    if token and has_token:
        passes.append(("mask.token", _token_pattern(token), None, [(0, len(text))]))
    for rule_id, pattern, category, windows in passes:
        for match in (m for begin, end in windows for m in pattern.finditer(text, begin, end)):
            start, end = match.span()
            if start == end or claimed.find(1, start, end) >= 0 or blocked.find(1, start, end) >= 0:
                continue
            _mark(claimed, start, end)
            found.append(Placeholder(
                "mask", match.group(0), start, end, rule_id,
                category or guess_category(text, start, end, rules.categories), "high",
                _context(text, start, end, rules.context_chars),
            ))
    found.sort(key=lambda p: p.start)
    return found


def _gap_positions(rule: GapRule, hits: _AnchorHits) -> Iterable[int]:
    """Positions where `rule` may match: all of them, or where its anchor says."""
    text = hits.text
    if rule.anchor is None:
        return (match.start() for match in rule.pattern.finditer(text))
    limit = len(text)
    candidates = {0}
    for pattern in rule.anchor.patterns:
        starts = hits.starts(pattern)
        for shift in rule.anchor.shifts:
            candidates.update(start + shift for start in starts)
    match = rule.pattern.match
    return (pos for pos in sorted(candidates) if 0 <= pos <= limit and match(text, pos))


def find_gaps(text: str, rules: PlaceholderRules, masks: list[Placeholder] = ()) -> list[Placeholder]:
    """Every gap in `text`, one per position (the first rule wins), none touching a mask.

    Gap patterns are zero-width, so a rule matches at a position or not whatever
    it found elsewhere: trying it only where its anchor matches finds the same gaps."""
    touches_mask = bytearray(len(text) + 2)
    for mask in masks:
        _mark(touches_mask, mask.start, mask.end + 1)
    hits = _AnchorHits(text)
    found: dict[int, Placeholder] = {}
    for rule in rules.gaps:
        for pos in _gap_positions(rule, hits):
            if pos in found or touches_mask[pos] or rule.splits_a_word(text, pos):
                continue
            category = rule.category or guess_category(text, pos, pos, rules.categories)
            found[pos] = Placeholder("gap", "", pos, pos, rule.id, category, rule.confidence,
                                     _context(text, pos, pos, rules.context_chars, "‸"))
    return [found[pos] for pos in sorted(found)]


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


def rewrite(text: str, masks: list[Placeholder], gaps: list[Placeholder], token: str,
            unify: bool, fill_gaps: bool) -> tuple[str, list[Placeholder]]:
    """Apply unify/fill to `text`; return it with placeholders re-offset into it.

    Unified masks carry their original text in `original`; filled gaps carry
    the token as `text` and `original=""`.
    """
    items = sorted(masks + gaps, key=lambda p: (p.start, p.kind == "mask"))
    if not unify and not (fill_gaps and any(gap.confidence == "high" for gap in gaps)):
        return text, items  # nothing is replaced or inserted: every offset stays as found
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
    visible = max(1, len("".join(text.split())))
    mask_share = sum(p.end - p.start for p in masks) / visible
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


def mark_placeholders(text: str, rules: PlaceholderRules, token: str, unify: bool = False,
                      fill_gaps: bool = False) -> tuple[str, list[Placeholder], dict, list[str]]:
    """The pure core: (text as written, its placeholders, counters, warnings)."""
    masks = find_masks(text, rules, token)
    if unify and masks:
        unified, placed = rewrite(text, masks, [], token, unify=True, fill_gaps=False)
        gaps = []
        for gap in find_gaps(unified, rules, find_masks(unified, rules, token)):
            # back into `text`: every unified mask that ends before the gap changed the length
            shift = sum(len(p.original) - (p.end - p.start) for p in placed
                        if p.original is not None and p.end <= gap.start)
            gaps.append(replace(gap, start=gap.start + shift, end=gap.end + shift))
    else:
        gaps = find_gaps(text, rules, masks)
    new_text, placed = rewrite(text, masks, gaps, token, unify, fill_gaps)
    counters, warnings = density(new_text, placed, rules.mostly_masks_share)
    counters["unified"] = sum(1 for p in placed if p.kind == "mask" and p.original is not None)
    counters["gaps_filled"] = sum(1 for p in placed if p.kind == "gap" and p.original == "")
    return new_text, placed, {k: v for k, v in counters.items() if v or k in ("masks", "gaps", "per_1000_chars")}, warnings


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    rules = load_rules(config.disabled_rules)
    text, placed, counters, warnings = mark_placeholders(
        doc.text, rules, config.mask_token, unify=config.masks == "unify", fill_gaps=config.fill_gaps)
    return doc.evolve(text=text, placeholders=tuple(placed)).with_warnings(*warnings), counters
