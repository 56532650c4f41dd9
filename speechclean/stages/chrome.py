"""Strip site chrome: the lines and spliced-in spans that are not the speech.

Works on lines as the dump has them (before rejoining), because chrome is
laid out in lines: a navigation link, a metadata field, a disclaimer. Three
passes, each recorded with its id in the sidecar:
1. line rules (`rules/chrome.toml`, scope "line") remove whole lines; on a
   line of prose (several sentences, one of them body) only the sentences a
   rule names go, since a dump flattened into one line must keep its body;
2. inline rules cut watermarks, pinyin glosses, junk symbols and mojibake
   out of the sentence and close it up;
3. the generic classifier (`classify.py`) judges the lines no rule named.
A rule marked `truncates` records the preview-cut marker; meta groups of a
matching rule (date, source, resource id, file title …) go to `doc.meta`.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress
from operator import not_
from dataclasses import dataclass, field

import regex

from ..config import Config
from ..document import Document, Removal
from ..ruleset import RuleSet, load_rules
from . import classify

NAME = "chrome"

#: A line rule that matches a line longer than this, where no sentence of its own
#: can be cut out, keeps the line and says so: such a line is a whole speech on
#: one line (seed 000), not a line of chrome.
LONG_LINE = 400
#: A sentence of a line: up to and including its end marks (and closing quotes),
#: with the spaces after it; or the rest of the line.
_SENTENCE = regex.compile(r"[^。！？]*[。！？]+[”’」』）)]*\s*|[^。！？]+")
_URL = regex.compile(r"(?:https?://|www\.)[A-Za-z0-9_./?=&%#:~+-]+")
_NONE: frozenset[str] = frozenset()


@dataclass
class ChromeResult:
    text: str
    removals: list[Removal] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    truncation: dict | None = None
    warnings: list[str] = field(default_factory=list)
    lines_removed: int = 0
    spans_removed: int = 0


def strip_chrome(text: str, ruleset: RuleSet, disabled: frozenset[str] = frozenset()) -> ChromeResult:
    """Remove chrome lines and spans from `text`; report every removal.

    Only the lines that hold a key are visited (all of them when a rule has no
    keys): a line no rule can match stays as it is and only the classifier
    may look at it.
    """
    result = ChromeResult(text)
    raw_lines = text.split("\n")
    keyed, keyword_lines = ruleset.scan(text)
    too_few = frozenset(rule.id for rule in ruleset.inline_rules()  # inline rules with fewer matches than they need
                        if rule.min_count > 1 and _count(rule, raw_lines, keyed) < rule.min_count)
    every_line = any(rule.needs is None and rule.id not in too_few for rule in ruleset.inline_rules())
    lines = list(raw_lines)
    by_rule = [False] * len(lines)
    changed: list[int] = []  # lines an edit changed: the classifier must read them anew
    removed: list[int] = []  # lines a rule removed, in order (by_rule marks them)
    news_page = False
    visited = range(len(lines)) if every_line or ruleset.unkeyed("line") else sorted(keyed)
    for index in visited:
        line = raw_lines[index]
        if not line:
            continue
        number = index + 1
        allowed = keyed.get(index, _NONE)
        stripped = line.strip()
        rule, match = _first_line_match(stripped, ruleset, allowed) if stripped else (None, None)
        sentences = _sentences_of_prose(stripped, ruleset) if rule else None
        if sentences is not None:
            cut, news_in_line = _cut_sentences(result, line, sentences, rule, number)
            news_page = news_page or news_in_line
            if cut != line:  # the kept sentences' keys, and those closing up made
                kept = frozenset().union(*(keys for _, named, _, keys in sentences if named is None))
                allowed = _keys_after_cut(cut, kept, _sentence_joins(line, sentences), ruleset)
            line = cut
            rule = None
        elif rule and len(stripped) > LONG_LINE:
            result.warnings.append(f"line {number} matches chrome rule {rule.id} but holds {len(stripped)} "
                                   f"characters; kept as body")
            rule = None
        if rule:
            _record_line(result, rule, match, stripped, number)
            news_page = news_page or rule.family == "news"
            lines[index] = ""
            by_rule[index] = True
            removed.append(index)
            continue
        tried, step = ruleset.tried("inline", allowed), 0
        while step < len(tried):
            inline = tried[step]
            step += 1
            if inline.id in too_few:
                continue
            matches = [m for m in inline.pattern.finditer(line) if m.end() > m.start()]
            if matches:
                pieces = [m.group(0) for m in matches]
                line = _cut_out(line, matches)
                allowed = _keys_of(line, ruleset)  # a cut can join the halves of another rule's key
                tried, step = _after(ruleset.tried("inline", allowed), inline, ruleset), 0
                result.removals.extend(Removal(inline.id, piece, number) for piece in pieces)
                result.spans_removed += len(pieces)
                if inline.family == "watermark":
                    result.meta.setdefault("site", _site_in(pieces, ruleset))
        cut_to_nothing = bool(stripped) and not line.strip()
        lines[index] = "" if cut_to_nothing else line
        by_rule[index] = cut_to_nothing
        if cut_to_nothing:
            removed.append(index)
        if line != raw_lines[index]:
            changed.append(index)
    if keyword_lines is not None:
        keyword_lines.update(changed)
    _classify(result, lines, raw_lines, by_rule, removed, ruleset, news_page, disabled, keyword_lines)
    result.meta = {k: v for k, v in result.meta.items() if v}
    result.text = _drop_removed_lines(lines, by_rule)
    return result


def _count(rule, lines: list[str], keyed: dict[int, frozenset[str]]) -> int:
    if rule.needs is None:
        return sum(len(rule.pattern.findall(line)) for line in lines)
    return sum(len(rule.pattern.findall(lines[index])) for index, ids in keyed.items() if rule.id in ids)


def _sentences_of_prose(stripped: str, ruleset: RuleSet) -> list[tuple[str, object, object, frozenset]] | None:
    """The sentences of a line of prose with the first line rule each matches (and its match and the
    keyed rules its keys let through), else None.

    A line is prose here when it has several sentences and one that no rule
    names is prose by the classifier's measure: cutting only the named
    sentences keeps that body. A line of chrome alone (seed 003's last line,
    a contact ad and a disclaimer, every sentence named) is not prose and
    goes whole, as does a short line such as `1、本站文档均可预览。下载后无水印。`.
    """
    spans = [match.span() for match in _SENTENCE.finditer(stripped)]
    if len(spans) < 2:
        return None
    every_sentence = bool(ruleset.unkeyed("line"))  # else a sentence without keys matches no line rule
    named = [(stripped[start:end], *(_first_line_match(stripped[start:end].strip(), ruleset, allowed)
                                     if allowed or every_sentence else (None, None)), allowed)
             for (start, end), allowed in zip(spans, ruleset.rules_by_span(stripped, spans))]
    if any(rule is None and classify.is_prose(piece.strip()) for piece, rule, _, _ in named):
        return named
    return None


def _cut_sentences(result: ChromeResult, line: str, sentences, line_rule, number: int) -> tuple[str, bool]:
    """Cut the named sentences out of a line of prose and close it up; the rest is body."""
    if all(rule is None for _, rule, _, _ in sentences):
        result.warnings.append(f"line {number} matches chrome rule {line_rule.id} only across sentences of "
                               f"prose; kept as body")
        return line, False
    kept: list[str] = []
    news = False
    for piece, rule, match, _ in sentences:
        if rule is None:
            kept.append(piece)
            continue
        _record(result, rule, match, piece.strip(), number)
        result.spans_removed += 1
        news = news or rule.family == "news"
    indent = line[: len(line) - len(line.lstrip())]
    body = "".join(kept)
    if sentences[-1][1] is not None:
        body = body.rstrip()
    return indent + body, news


def _record_line(result: ChromeResult, rule, match, stripped: str, number: int) -> None:
    result.lines_removed += 1
    _record(result, rule, match, stripped, number)


def _record(result: ChromeResult, rule, match, stripped: str, number: int) -> None:
    """Record a removal by a line rule: its text, its meta groups, a URL in it, a preview marker."""
    result.removals.append(Removal(rule.id, stripped, number))
    for key in rule.meta:
        value = match.groupdict().get(key)
        if value and value.strip() and key not in result.meta:
            result.meta[key] = value.strip()
    url = _URL.search(stripped)
    if url and "url" not in result.meta:
        result.meta["url"] = url.group(0).rstrip(".,)")
    if rule.truncates and result.truncation is None:
        result.truncation = {"reason": "preview cut marker", "marker": stripped, "rule": rule.id, "line": number}


def _classify(result: ChromeResult, lines: list[str], raw_lines: list[str], by_rule: list[bool], removed: list[int],
              ruleset: RuleSet, news_page: bool, disabled: frozenset[str], keyword_lines: set[int] | None) -> None:
    """Ask the classifier about the lines that have text; blank lines only make `blank_before/after`.

    The classifier never judges a blank line and skips blank lines to find a
    neighbour, so leaving them out of its list changes no verdict. Inside the
    body it judges only lines that may hold a keyword or URL (`keyword_lines`,
    None: any line may).
    """
    shown = list(map(str.strip, lines))  # list builders in C: a file's lines are mostly body
    for i in removed:
        shown[i] = raw_lines[i].strip()
    rows = list(compress(range(len(shown)), shown))
    texts = list(filter(None, shown))
    chrome = list(compress(by_rule, shown))
    switched_off = [rule for rule in ruleset.switched_off if rule.scope == "line"]
    kept = [any(rule.pattern.search(text) for rule in switched_off) for text in texts] if switched_off \
        else [False] * len(rows)
    views = classify.Lines(texts, chrome, kept)
    if news_page:
        blank = [not text and not gone for text, gone in zip(shown, by_rule)]
        last = len(lines) - 1
        views = views._replace(blank_before=[i == 0 or blank[i - 1] for i in rows],
                               blank_after=[i == last or blank[i + 1] for i in rows])
    body = None if keyword_lines is None else {bisect_left(rows, i) for i in keyword_lines if shown[i]}
    verdicts = classify.classify(views, ruleset.words("chrome_keywords"), news_page, disabled, body)
    for j in compress(range(len(verdicts)), verdicts):
        reason = verdicts[j]
        if reason:
            i = rows[j]
            result.removals.append(Removal(reason, lines[i].strip(), i + 1))
            result.lines_removed += 1
            lines[i] = ""
            by_rule[i] = True


def _drop_removed_lines(lines: list[str], removed: list[bool]) -> str:
    """Join the kept lines; a removed line leaves no blank line of its own behind."""
    return "\n".join(compress(lines, map(not_, removed)))


def _site_in(pieces: list[str], ruleset: RuleSet) -> str | None:
    for piece in pieces:
        for site in ruleset.words("sites"):
            if site in piece:
                return site
    return None


def _cut_out(line: str, matches: list) -> str:
    """`line` without the spans of `matches` (what `pattern.sub("", line)` gives, from the same matches)."""
    kept, last = [], 0
    for match in matches:
        kept.append(line[last:match.start()])
        last = match.end()
    kept.append(line[last:])
    return "".join(kept)


def _keys_of(line: str, ruleset: RuleSet) -> frozenset[str]:
    """The keyed rules a line lets through, read anew after an edit (one scan, not every rule on the line)."""
    return ruleset.rules_by_line(line).get(0, _NONE)


def _keys_after_cut(line: str, allowed: frozenset[str], joins: list[int], ruleset: RuleSet) -> frozenset[str]:
    """The keyed rules a line lets through after pieces were cut out of it and it was closed up at `joins`.

    A key of the new line stands in a part it kept (whose rules `allowed` holds)
    or across a join: only the text around each join is scanned, not the whole
    line (a line of a megabyte).
    """
    reach = ruleset.longest_key
    found = set(allowed)
    for join in joins:
        found.update(ruleset.rules_by_line(line[max(0, join - reach):join + reach]).get(0, _NONE))
    return frozenset(found)


def _joins(spans: list[tuple[int, int]]) -> list[int]:
    """Where the line is closed up once the (start, end) spans, in order, are cut out of it."""
    joins, removed = [], 0
    for start, end in spans:
        joins.append(start - removed)
        removed += end - start
    return joins


def _sentence_joins(line: str, sentences) -> list[int]:
    """The joins of a line of prose once its named sentences are cut out (`_cut_sentences`):
    the sentences are the stripped line, whole, after its indent."""
    spans, start = [], len(line) - len(line.lstrip())
    for piece, rule, _, _ in sentences:
        if rule is not None:
            spans.append((start, start + len(piece)))
        start += len(piece)
    return _joins(spans)


def _after(rules: tuple, rule, ruleset: RuleSet) -> tuple:
    """The inline rules of `rules` (in file order) that come after the inline rule `rule` in the file."""
    inline = ruleset.inline_rules()
    later = {id(other) for other in inline[[id(other) for other in inline].index(id(rule)) + 1:]}
    return tuple(other for other in rules if id(other) in later)


def _first_line_match(line: str, ruleset: RuleSet, allowed: frozenset[str] | None = None):
    """The first line rule that matches `line`, and its match.

    Only the keyed rules the line's keys let through (`allowed`; None: look
    them up) and the rules without keys are tried.
    """
    if allowed is None:
        allowed = ruleset.rules_by_line(line).get(0, _NONE)
    for rule in ruleset.tried("line", allowed):
        match = rule.pattern.search(line)
        if match:
            return rule, match
    return None, None


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    ruleset = load_rules(config.rules_files, config.disabled_rules)
    result = strip_chrome(doc.text, ruleset, config.disabled_rules)
    changes = {"text": result.text, "removed": doc.removed + tuple(result.removals),
               "warnings": doc.warnings + tuple(result.warnings)}
    if result.truncation and not doc.truncated:
        changes.update(truncated=True, truncation=result.truncation)
    doc = doc.evolve(**changes).with_meta(**result.meta)  # one copy of the document, not four
    return doc, {"lines_removed": result.lines_removed, "spans_removed": result.spans_removed}
