"""Load rules files: site knowledge is data (TOML), not code.

The shipped `rules/chrome.toml` is read first, then every `--rules FILE` in
order. A rule in a user file with the id of an earlier rule replaces it;
a `[lists]` entry of a user file extends the shipped list of that name
(patterns use a list as `\\L<name>`, so a new site name is one line of data).
Every rule's `example` must match its pattern and none of its `keeps` may:
a rules file that breaks this is refused with a message naming the rule.
Rules are compiled once per process and configuration (workers of a process
pool each compile their own).

Speed: most lines of a dump are body text that no rule matches, and running
every rule on every line is most of the chrome stage's cost. So each rule's
pattern is read once for the literals any match of it must contain
(`required_literals`); a few `re` alternations of all of them (`RuleSet.keys`,
each key looked for by its least common character) are scanned over the
case-folded text, and only the lines they hit are tried rule by rule. A rule whose pattern has no such literal is tried on every line.
A line rule anchored with `^` whose matches all start with one of a few
literals (`Rule.starts`: the separator rule's `*`, `-` …, `news.byline`'s
`时间` …) is keyed by those at the start of a line instead, found by one
pattern led by the literal line break: its common characters (`*` of masks,
时, 来 …) leave the scan that tries a match wherever they stand.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import NamedTuple

import regex

from .config import ConfigError, read_toml_file

SCOPES = ("line", "inline")
_REQUIRED = ("id", "family", "description", "scope", "pattern", "example")
_OPTIONAL = ("truncates", "meta", "keeps", "min_count")

#: Ids of removals made by code rather than by a rules file; they can be
#: switched off with --disable-rule like any rule.
BUILTIN_RULE_IDS = frozenset(
    {
        "classify.link_bar",
        "classify.keywords",
        "classify.no_han_edge",
        "classify.chrome_run",
        "classify.caption",
        "title.duplicate",
        "title.site_suffix",
    }
)


#: Stands among a key's rule ids when the key holds a classifier keyword (`chrome_keywords`, lower
#: case) or the start of a URL: not a string, so no rule id can be it.
KEYWORD_MARK = object()
_MARK = frozenset({KEYWORD_MARK})
#: What the classifier looks for in a line of the body besides its keywords (`classify._keyword_or_url`).
URL_STARTS = ("http://", "https://", "www.", "@")


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    description: str
    scope: str
    pattern: "regex.Pattern[str]"
    example: str
    truncates: bool = False
    meta: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()
    min_count: int = 1  # inline rules: apply only when the text has at least this many matches
    needs: tuple[str, ...] | None = None  # case-folded literals every match contains; None: unknown
    #: Line rules anchored with `^`: case-folded literals every match starts with (None: unknown);
    #: such a rule is keyed by them at the start of a line rather than by `needs` anywhere.
    starts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RuleSet:
    """The active rules and the word lists they were compiled with."""

    rules: tuple[Rule, ...]
    lists: dict
    switched_off: tuple[Rule, ...] = ()  # disabled by the user: a line they match is kept as body
    #: Alternations of every rule's `needs` and of the classifier's keywords (split by first character),
    #: for the case-folded text: a line none of them hits can match only the rules with `needs` None.
    keys: "tuple[re.Pattern[str], ...] | None" = None
    #: For each key, the ids of the rules it lets through: those that need it or a part of it
    #: (where a key stands, every part of it stands too).
    key_rules: dict = field(default_factory=dict)
    #: For each pattern of `keys`, the `_Mark` of each of its groups (by group number): the key
    #: whose branch matched and what it lets through.
    anchored: tuple = ()
    #: The rules keyed at the start of a line (`Rule.starts`): a pattern of their starts after a
    #: line break (and spaces), the same at a given position (the text's or a sentence's start),
    #: and for each start the ids of the rules it lets through (those whose start is a prefix of it).
    line_starts: "tuple[re.Pattern[str], re.Pattern[str]] | None" = None
    start_rules: dict = field(default_factory=dict)

    def rules_by_line(self, text: str) -> dict[int, frozenset[str]]:
        """For each line of `text` that holds a key, the ids of the keyed rules its keys let through."""
        return self.scan(text)[0]

    def scan(self, text: str) -> tuple[dict[int, frozenset[str]], set[int] | None]:
        """The keyed rules of each line that holds a key, and the lines that hold a classifier keyword.

        One scan of the case-folded text per group of keys (case folding keeps
        every line break where it was) finds every key standing in it
        (`_hits`), and a key lets through the rules of its parts. Keys hold no
        line break. A line's rules are those with a needed literal in the line,
        whichever group finds it. The classifier's
        keywords (and URL starts) ride along in the same scan: a line of the
        body that holds none is never judged by its shape (`classify`). The
        rules keyed at the start of a line come from one more scan, of line
        breaks followed by their starts.
        Without keys: no keyed rule, and the keyword lines are unknown (None).
        """
        if self.keys is None:
            return {}, None
        folded = text.casefold()
        found: dict[int, set[str]] = {}
        count, line, line_pos = folded.count, 0, 0
        startswith = folded.startswith
        for keys, marks in zip(self.keys, self.anchored):
            line, line_pos, ids_here = 0, 0, None
            for hit in keys.finditer(folded):
                anchor = hit.start()
                breaks = count("\n", line_pos, anchor)
                if breaks or ids_here is None:
                    line += breaks
                    ids_here = found.get(line)
                    if ids_here is None:
                        ids_here = found[line] = set()
                line_pos = anchor
                _, _, ids, others = marks[hit.lastindex]
                ids_here.update(ids)
                for key, key_at, _, key_ids in others:
                    start = anchor - key_at
                    if start >= 0 and startswith(key, start):
                        ids_here.update(key_ids)
        if self.line_starts is not None:
            after_break, at = self.line_starts
            start_rules = self.start_rules
            if (hit := at.match(folded)) is not None:
                found.setdefault(0, set()).update(start_rules[_start_key(hit)])
            count, line, line_pos = folded.count, 0, 0
            for hit in after_break.finditer(folded):
                start = hit.start()
                line += count("\n", line_pos, start) + 1
                line_pos = start + 1
                found.setdefault(line, set()).update(start_rules[_start_key(hit)])
        keyword_lines = {index for index, ids in found.items() if KEYWORD_MARK in ids}
        by_line = {index: frozenset(ids - _MARK) if index in keyword_lines else frozenset(ids)
                   for index, ids in found.items()}
        return {index: ids for index, ids in by_line.items() if ids}, keyword_lines

    def rules_by_span(self, text: str, spans: list[tuple[int, int]]) -> list[frozenset[str]]:
        """For each (start, end) span of `text` (in order, not overlapping), the keyed rules its keys let through.

        One scan of the whole text instead of one per span (a line of prose cut
        into thousands of sentences): a span gets the rules of every hit that
        overlaps it, which holds every key standing inside it (more rules do no
        harm: each is still tried); the rules keyed at a line's start get the
        span's start. When case folding changes the text's length,
        positions do not carry over and each span is scanned on its own.
        """
        folded = text.casefold()
        if self.keys is None or len(folded) != len(text):
            return [self.rules_by_line(text[start:end]).get(0, frozenset()) for start, end in spans]
        hits = sorted(hit[1:] for hit in self._hits(folded))
        starts = [hit[0] for hit in hits]
        longest = max(map(len, self.key_rules), default=1)
        found = []
        for start, end in spans:
            ids: set = set()
            for index in range(bisect_left(starts, start - longest + 1), bisect_left(starts, end)):
                if hits[index][1] > start:
                    ids.update(hits[index][2])
            if self.line_starts is not None and (hit := self.line_starts[1].match(folded, start, end)) is not None:
                ids.update(self.start_rules[_start_key(hit)])
            found.append(frozenset(ids - _MARK))
        return found

    def _hits(self, folded: str):
        """(anchor position, start, end, rules it lets through) of the keys standing in the case-folded
        `folded`, by anchor group, then in order of the anchor's position.

        Each group's pattern matches the anchor character alone where one of its keys stands around it
        (the key's other parts in a lookbehind and a lookahead), so `finditer` stops at every such
        position, keys inside or across others included. The empty group of the first key standing
        there (`_Mark`) names it; the keys it holds stand with it and ride in its rules, and only the
        few keys that may stand beside it (`_Mark.others`) are read at their place.
        """
        startswith = folded.startswith
        for keys, marks in zip(self.keys, self.anchored):
            for hit in keys.finditer(folded):
                pos = hit.start()
                at, size, ids, others = marks[hit.lastindex]
                yield pos, pos - at, pos - at + size, ids
                for key, key_at, key_size, key_ids in others:
                    start = pos - key_at
                    if start >= 0 and startswith(key, start):
                        yield pos, start, start + key_size, key_ids

    @cached_property
    def longest_key(self) -> int:
        """The length of the longest key or line start: a key across a join stands within this of it."""
        return max(map(len, (*self.key_rules, *self.start_rules)), default=1)

    def tried(self, scope: str, allowed: frozenset[str]) -> tuple[Rule, ...]:
        """The rules of a scope, in file order, that a line whose keys let `allowed` through can match:
        those without keys and the keyed ones `allowed` names. Built once per set of keys (lines share
        a few dozen sets), not rule by rule on every line."""
        found = self._tried.get((scope, allowed))
        if found is None:
            if len(self._tried) >= _MAX_TRIED_SETS:
                self._tried.clear()
            found = self._tried[scope, allowed] = tuple(
                rule for rule in self._by_scope[scope] if rule.needs is None or rule.id in allowed)
        return found

    @cached_property
    def _tried(self) -> dict:
        return {}

    def unkeyed(self, scope: str) -> tuple[Rule, ...]:
        """The rules of a scope without keys: they are tried on every line."""
        return self._unkeyed[scope]

    @cached_property
    def _unkeyed(self) -> dict[str, tuple[Rule, ...]]:
        return {scope: tuple(rule for rule in self._by_scope[scope] if rule.needs is None) for scope in SCOPES}

    def line_rules(self) -> tuple[Rule, ...]:
        return self._by_scope["line"]

    def inline_rules(self) -> tuple[Rule, ...]:
        return self._by_scope["inline"]

    @cached_property
    def _by_scope(self) -> dict[str, tuple[Rule, ...]]:
        """Rules of each scope in file order, sorted once (asked for on every line)."""
        return {scope: tuple(rule for rule in self.rules if rule.scope == scope) for scope in SCOPES}

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(self.lists.get(name, ()))


#: How many sets of keys `RuleSet.tried` keeps (a text made to hold every mix of keys cannot grow it further).
_MAX_TRIED_SETS = 4096

_TABLES = ("rule", "lists", "html")


def _check_lists(data: dict, origin: str) -> dict[str, list[str]]:
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        raise ConfigError(f"{origin}: unknown table(s) {', '.join(unknown)}; a rules file has [[rule]], [lists] and [html]")
    html = data.get("html", {})
    tokens = html.get("chrome_tokens", []) if isinstance(html, dict) else None
    if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
        raise ConfigError(f"{origin}: [html] chrome_tokens must be a list of non-empty strings")
    lists = data.get("lists", {})
    if not isinstance(lists, dict):
        raise ConfigError(f"{origin}: [lists] must be a table of string lists")
    for name, words in lists.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(f"{origin}: list {name!r} must be a list of non-empty strings")
    return lists


def _compile(entry: dict, origin: str, lists: dict[str, list[str]]) -> Rule:
    rule_id = entry["id"]
    for name in regex.findall(r"\\L<(\w+)>", entry["pattern"]):
        if name not in lists:
            raise ConfigError(f"{origin}: rule {rule_id!r} uses list {name!r}, which no [lists] table defines")
    try:
        pattern = regex.compile(entry["pattern"], regex.IGNORECASE, **{k: v for k, v in lists.items()
                                                                       if f"\\L<{k}>" in entry["pattern"]})
    except (regex.error, TypeError) as exc:
        raise ConfigError(f"{origin}: rule {rule_id!r} has a bad pattern: {exc}") from exc
    rule = Rule(
        needs=required_literals(entry["pattern"], lists),
        starts=start_literals(entry["pattern"], lists) if entry["scope"] == "line" else None,
        id=rule_id,
        family=entry["family"],
        description=entry["description"],
        scope=entry["scope"],
        pattern=pattern,
        example=entry["example"],
        truncates=bool(entry.get("truncates", False)),
        meta=tuple(entry.get("meta", ())),
        keeps=tuple(entry.get("keeps", ())),
        min_count=int(entry.get("min_count", 1)),
    )
    if not rule.pattern.search(rule.example):
        raise ConfigError(f"{origin}: rule {rule_id!r}: its example {rule.example!r} does not match its pattern")
    for kept in rule.keeps:
        if rule.pattern.search(kept):
            raise ConfigError(f"{origin}: rule {rule_id!r} matches {kept!r}, which its `keeps` says is body text")
    missing_groups = [key for key in rule.meta if key not in pattern.groupindex]
    if missing_groups:
        raise ConfigError(f"{origin}: rule {rule_id!r} names meta {', '.join(missing_groups)} but has no such group")
    return rule


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_MAX_CLASS_CHARS = 40
_MAX_SPELLINGS = 64


def _parse(pattern: str, lists: dict[str, list[str]]):
    """The parse tree of `pattern` by the standard `re` module, `\\L<name>` read as the alternation
    of its list and `\\p{…}` as any character; None if `re` cannot parse it."""
    from re import _parser  # the parse tree of the standard engine (stable since 3.11)

    def list_alternation(match: "re.Match[str]") -> str:
        return "(?:" + "|".join(re.escape(word) for word in lists.get(match.group(1), ())) + ")"

    source = re.sub(r"\\L<(\w+)>", list_alternation, pattern)
    source = re.sub(r"\\[pP]\{[^}]*\}", ".", source)
    try:
        return _parser.parse(source)
    except (re.error, RecursionError, OverflowError):
        return None


def start_literals(pattern: str, lists: dict[str, list[str]]) -> tuple[str, ...] | None:
    """Case-folded literals of which every match of a `^`-anchored `pattern` starts with one, or None.

    After `^` (and lookaheads, which consume nothing) the pattern must go on
    with literal characters, small classes of them, or groups and branches
    of those; an optional part ends the start. None for a pattern that is
    not anchored, is multi-line, or starts otherwise.
    """
    tree = _parse(pattern, lists)
    if tree is None or tree.state.flags & re.MULTILINE:
        return None
    items = list(tree)
    if not items or (str(items[0][0]), str(items[0][1])) != ("AT", "AT_BEGINNING"):
        return None
    rest = items[1:]
    while rest and str(rest[0][0]) == "ASSERT" and rest[0][1][0] >= 0:
        rest = rest[1:]
    found = _starts_of_sequence(rest)
    if not found or any(not literal or "\n" in literal or "\u0307" in literal for literal in found):
        return None
    return tuple(sorted({literal.casefold() for literal in found}))


def _spelled(name: str, arg) -> set[str] | None:
    """The characters one parse-tree item spells: a literal or a small class of
    literals (None for anything else)."""
    if name == "LITERAL":
        return {chr(arg)}
    if name == "IN" and all(str(kind) == "LITERAL" for kind, _ in arg) and len(arg) <= _MAX_CLASS_CHARS:
        return {chr(code) for _, code in arg}
    return None


def _starts_of_sequence(items: list) -> set[str] | None:
    """The strings one of which begins every match of a sequence (None: unknown)."""
    run: set[str] = {""}
    for index, (op, arg) in enumerate(items):
        name = str(op)
        spelled = _spelled(name, arg)
        if spelled is not None and len(run) * len(spelled) <= _MAX_SPELLINGS:
            run = {head + tail for head in run for tail in spelled}
            continue
        if run != {""}:
            return run
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            return _starts_of_sequence(list(arg if name == "ATOMIC_GROUP" else arg[-1]))
        if name == "BRANCH":
            union: set[str] = set()
            for branch in arg[1]:
                inner = _starts_of_sequence(list(branch))
                if not inner:
                    return None
                union |= inner
            return union
        if name in _REPEATS:
            inner = _starts_of_sequence(list(arg[2]))
            if not inner or arg[0] >= 1:
                return inner
            rest = _starts_of_sequence(items[index + 1:])  # an optional part: it or what follows starts
            return inner | rest if rest else None
        return None
    return run if run != {""} else None


def required_literals(pattern: str, lists: dict[str, list[str]]) -> tuple[str, ...] | None:
    """Case-folded literals of which every match of `pattern` contains one, or None if unknown.

    Read from the parse tree of the standard `re` module: `\\L<name>` is read
    as the alternation of its list, `\\p{…}` as any character; a pattern `re`
    cannot parse has no literals (it is tried on every line). A lookahead's
    literal counts too: it stands in the same line as the match.
    """
    tree = _parse(pattern, lists)
    if tree is None:
        return None
    found = _required_in_sequence(list(tree))
    if not found or any(not literal or "\n" in literal for literal in found):
        return None
    return tuple(sorted({literal.casefold() for literal in found}))


def _required_in_sequence(items: list) -> set[str] | None:
    """The best literal set that one part of a sequence requires.

    Runs of literal characters and small classes are read as the strings
    they can spell (`字[号体]` → 字号, 字体); a group, a branch or a repeat of at
    least one gives the set its content requires.
    """
    candidates: list[set[str]] = []
    run: set[str] = {""}
    for index, (op, arg) in enumerate(items):
        name = str(op)
        spelled = _spelled(name, arg)
        if spelled is not None and len(run) * len(spelled) <= _MAX_SPELLINGS:
            run = {head + tail for head in run for tail in spelled}
            continue
        if run != {""}:
            candidates.append(run)
            # A run followed by a group whose matches all start with known characters:
            # the run and one of those (a bracket and a letter: `[(（]` then `(?-i:(zh|ch|…)?(a|o|…))`).
            following = _starts_of_sequence(items[index:]) if name == "SUBPATTERN" else None
            firsts = {start[0] for start in following} if following else set()
            if firsts and len(run) * len(firsts) <= 2 * _MAX_SPELLINGS:
                candidates.append({head + first for head in run for first in firsts})
        run = spelled if spelled is not None else {""}
        if name in ("SUBPATTERN", "ATOMIC_GROUP", "ASSERT"):
            inner = _required_in_sequence(list(arg[-1]))
            if inner and not (name == "ASSERT" and arg[0] < 0):  # a lookbehind may reach into the line before
                candidates.append(inner)
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in arg[1]:
                inner = _required_in_sequence(list(branch))
                if not inner:
                    union = set()
                    break
                union |= inner
            if union:
                candidates.append(union)
        elif name in _REPEATS and arg[0] >= 1:
            inner = _required_in_sequence(list(arg[2]))
            if inner:
                candidates.append(inner)
    if run != {""}:
        candidates.append(run)
    if not candidates:
        return None
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)))


#: The 300 commonest characters of the sample dumps (`samples/dumps`, case folded, spaces left
#: out), commonest first. A key is looked for by its least common character (`_anchor`): the
#: scan stops only where such a character stands, and far fewer positions hold one than hold
#: the first characters of the keys (下, 发, 工, 大, 全 … start keys and stand everywhere in a speech).
COMMON_CHARS = (
    ',、业，的。产区发新展车*汽园工一“”动企大建进力x能作为全化年2要实成资目项中等加强推开市不地设重面和部在链高以制务造'
    '了上持经党生智0是有点源量个增用心专我提创主投质联国合好下亿元家会同落出济定快级入坚基立方对规保们体集局政城干件人题长应'
    '服网行升精抓度领及关战1平来总稳先供零电环程二情各优效解改技商通决标划问公聚过期三现路统引机系步营活×本比与分3到台.做'
    '打导性障时极完整自品批态组势;深5特支得疫值于施土着事转明突速形安当贯理代术融群两金员范积配科前场多民调治任载十神色学彻'
    '功难位境更示委补子达模四核运策共费向套续协准器之第防根构头研育认厂这备道司4:求风促%传革取把并信消办次习近型去收计()'
)

_RANK = {char: rank for rank, char in enumerate(COMMON_CHARS)}

#: Keys are scanned in this many groups, split by the code point of their anchor character:
#: at each position holding an anchor the engine walks the branches of its group one by one,
#: so a few smaller groups cost less than one large one.
KEY_GROUPS = 2


def _anchor(key: str) -> int:
    """The position in `key` of its least common character (the first of equals)."""
    return min(range(len(key)), key=lambda index: (-_RANK.get(key[index], len(_RANK)), index))


def _keys(rules: tuple[Rule, ...], keywords: tuple[str, ...]) -> tuple["tuple[re.Pattern[str], ...] | None", dict, dict]:
    """Patterns of the keys found anywhere in a line and of the classifier's keywords, the rules
    each key lets through (with KEYWORD_MARK when a keyword stands in it), and the keys by anchor.

    Each pattern matches at a key's anchor character (`_anchor`) when the key stands around it
    (the part before in a lookbehind): one hit for each position where a key's anchor stands,
    whatever the number of keys there; `RuleSet._hits` reads which keys stand there. A keyword
    is looked for in a line's lower case (`classify`); case folding the lower case gives the case
    folding of the line, so a line whose lower case holds a keyword holds its case folding in
    the folded text. The rules keyed at a line's start (`_line_starts`) are left out.
    """
    anywhere = [rule for rule in rules if rule.needs and not _keyed_at_start(rule)]
    needed = {literal for rule in anywhere for literal in rule.needs}
    words = {word.lower().casefold() for word in (*keywords, *URL_STARTS)}
    literals = sorted(needed | words, key=lambda w: (-len(w), w))
    key_rules = {key: frozenset(rule.id for rule in anywhere if any(part in key for part in rule.needs))
                 | (_MARK if any(word in key for word in words) else frozenset())
                 for key in literals}
    anchored: dict[str, list[tuple[str, int]]] = {}
    for key in literals:
        at = _anchor(key)
        anchored.setdefault(key[at], []).append((key, at))
    chars = sorted(anchored)
    groups = [chars[i * len(chars) // KEY_GROUPS:(i + 1) * len(chars) // KEY_GROUPS] for i in range(KEY_GROUPS)]
    patterns, marks = [], []
    for group in groups:
        if not group:
            continue
        group_marks: list = [None]  # group 0 is the whole match
        branches = []
        for char in group:
            keys = anchored[char]  # longest first: a key's branch comes before those of its parts
            ways = []
            for index, (key, at) in enumerate(keys):
                ways.append(_anchored_way(key, at))
                group_marks.append(_mark(keys, index, key_rules))
            branches.append(f"{re.escape(char)}(?:{'|'.join(ways)})")
        patterns.append(re.compile("|".join(branches)))
        marks.append(tuple(group_marks))
    return tuple(patterns), key_rules, tuple(marks)


class _Mark(NamedTuple):
    """What a key's branch in a group pattern stands for: the key's anchor position, length and rules,
    and the later keys of its anchor that may stand beside it, to be read at their place (key, anchor
    position, length, rules)."""

    at: int
    size: int
    ids: frozenset
    others: tuple


def _mark(keys: list[tuple[str, int]], index: int, key_rules: dict) -> _Mark:
    """The mark of `keys[index]` among the keys of one anchor (in branch order).

    Where it stands, the earlier branches did not match (their keys do not stand); a key lying
    inside it stands too but lets through no rule it does not (a key's rules are those of its
    parts); a later key that overlaps it with other characters cannot stand; every other later key may.
    """
    key, at = keys[index]
    others = []
    for other, other_at in keys[index + 1:]:
        offset = at - other_at  # where `other` starts in `key` (negative: before it)
        if 0 <= offset and offset + len(other) <= len(key):
            continue
        overlap = range(max(0, offset), min(len(key), offset + len(other)))
        if all(key[i] == other[i - offset] for i in overlap):
            others.append((other, other_at, len(other), key_rules[other]))
    return _Mark(at, len(key), key_rules[key], tuple(others))


def _anchored_way(key: str, at: int) -> str:
    """A key around its anchor character, matched at the anchor: the part before in a lookbehind
    (with the anchor), the part after in a lookahead, then an empty group that names the key."""
    before = f"(?<={re.escape(key[:at + 1])})" if at else ""
    after = f"(?={re.escape(key[at + 1:])})" if at + 1 < len(key) else ""
    return before + after + "()"


def _keyed_at_start(rule: Rule) -> bool:
    return rule.needs is not None and rule.starts is not None and rule.scope == "line"


def _line_starts(rules: tuple[Rule, ...]) -> tuple["tuple[re.Pattern[str], re.Pattern[str]] | None", dict]:
    """The patterns of the starts of the rules keyed at a line's start, and the rules each start lets through.

    A line rule is matched against the stripped line: its start stands after the
    line break and the line's spaces (`[^\\S\\n]`: the whitespace `str.strip`
    strips, but the break). After a break the pattern begins with a literal, which
    the engine finds fast. `i` may be followed by U+0307: `İ` matches `i` in a
    case-insensitive pattern but case folds to `i` and U+0307.
    """
    at_start = [rule for rule in rules if _keyed_at_start(rule)]
    literals = sorted({literal for rule in at_start for literal in rule.starts}, key=lambda w: (-len(w), w))
    if not literals:
        return None, {}
    start_rules = {key: frozenset(rule.id for rule in at_start if any(key.startswith(part) for part in rule.starts))
                   for key in literals}
    starts = _trie(literals).replace("i", "i\u0307?")  # `_trie` escapes no `i`: every `i` in it is a literal's
    # The lookahead tests the first character against a class at once: six times faster on
    # a run of line breaks than walking the tree's branches one by one.
    firsts = "(?=[" + "".join(re.escape(first) for first in sorted({literal[0] for literal in literals})) + "])"
    return (re.compile(r"\n[^\S\n]*+" + firsts + "(" + starts + ")"),
            re.compile(r"[^\S\n]*+" + firsts + "(" + starts + ")")), start_rules


def _start_key(hit: "re.Match[str]") -> str:
    """The start a line-start hit found (without the spaces and line break before it)."""
    return hit.group(1).replace("\u0307", "")


def _trie(words: list[str]) -> str:
    """An alternation of `words` as a prefix tree: one branch per first character.

    The standard engine tries a flat alternation's branches one by one at each
    position (twice as slow on 345 keys); in a tree only one branch can match,
    and the greedy `?` makes the longest key win, so every key standing at a
    position is a prefix of the one matched there.
    """
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        longer = [rest for rest in rests if rest]
        if not longer:
            branches.append(re.escape(first))
        else:
            branches.append(f"{re.escape(first)}(?:{_trie(longer)}){'?' if '' in rests else ''}")
    return "|".join(branches)


def _entries(data: dict, origin: str) -> list[dict]:
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: expected [[rule]] tables")
    for index, entry in enumerate(entries, 1):
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise ConfigError(f"{origin}: rule #{index} lacks {', '.join(missing)}")
        unknown = set(entry) - set(_REQUIRED) - set(_OPTIONAL)
        if unknown:
            raise ConfigError(f"{origin}: rule {entry['id']!r} has unknown key(s) {', '.join(sorted(unknown))}")
        if entry["scope"] not in SCOPES:
            raise ConfigError(f"{origin}: rule {entry['id']!r} has scope {entry['scope']!r}; use line or inline")
    return entries


def read_shipped_rules(name: str) -> dict:
    """A rules file shipped in the package (`speechclean/rules/NAME`)."""
    return tomllib.loads(resources.files("speechclean.rules").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=16)
def load_rules(rules_files: tuple[str, ...] = (), disabled: frozenset[str] = frozenset()) -> RuleSet:
    """The active chrome rules: shipped, then user files, minus disabled ids.

    Raises ConfigError for a bad file and for a disabled id that no rule has
    (a typo would otherwise silently disable nothing).
    """
    sources = [("chrome.toml", read_shipped_rules("chrome.toml"))] + [
        (path, read_toml_file(path, "rules file")) for path in rules_files]
    lists: dict[str, list[str]] = {}
    for origin, data in sources:
        for name, words in _check_lists(data, origin).items():
            lists.setdefault(name, [])
            lists[name] += [w for w in words if w not in lists[name]]
    ordered: dict[str, Rule] = {}
    for origin, data in sources:
        for entry in _entries(data, origin):
            ordered[entry["id"]] = _compile(entry, origin, lists)
    if disabled:
        check_disabled_ids(rules_files, disabled)
    active = tuple(rule for rule in ordered.values() if rule.id not in disabled)
    return RuleSet(active, lists, tuple(rule for rule in ordered.values() if rule.id in disabled),
                   *_keys(active, tuple(lists.get("chrome_keywords", ()))), *_line_starts(active))


def chrome_rules(rules_files: tuple[str, ...] = (), disabled: frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    """The active chrome rules (see `load_rules`)."""
    return load_rules(rules_files, disabled).rules


def known_rule_ids(rules_files: tuple[str, ...] = ()) -> frozenset[str]:
    """Every id `--disable-rule` can name, read through the loaders that use them.

    Chrome rules (shipped and `--rules` files) and the classifier's and title's
    built-in ids, page furniture, placeholder masks, not-masks and gaps, and the gap model.
    """
    from .stages.gap_model import RULE_ID as GAP_MODEL_ID
    from .stages.placeholders import load_rules as placeholder_rules
    from .stages.rejoin import furniture_rules

    furniture = furniture_rules()
    placeholders = placeholder_rules()
    ids = {rule.id for rule in chrome_rules(rules_files)} | BUILTIN_RULE_IDS
    ids.update(rule.id for rule in furniture.rules)
    if furniture.running_title_id:
        ids.add(furniture.running_title_id)
    ids.update(rule.id for rule in (*placeholders.masks, *placeholders.not_masks, *placeholders.gaps))
    ids.add(GAP_MODEL_ID)
    return frozenset(ids)


def check_disabled_ids(rules_files: tuple[str, ...], disabled: frozenset[str]) -> None:
    """Refuse a disabled id that no rule has: a typo would silently disable nothing."""
    unknown = sorted(disabled - known_rule_ids(rules_files))
    if unknown:
        raise ConfigError(f"--disable-rule: no rule has the id {', '.join(unknown)} "
                          f"(ids are listed in the sidecar `removed` entries and in the rules files)")
