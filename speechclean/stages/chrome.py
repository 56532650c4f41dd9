"""Strip site chrome: the lines and spliced-in spans that are not the speech.

Works on lines as the dump has them (before rejoining), because chrome is
laid out in lines: a navigation link, a metadata field, a disclaimer. The
knowledge of which lines are chrome is in `rules/chrome.toml`; this module
only applies it and records every removal with the rule's id.
"""

from __future__ import annotations

from ..config import Config
from ..document import Document, Removal
from ..ruleset import Rule, chrome_rules

NAME = "chrome"


def strip_chrome(text: str, rules: tuple[Rule, ...]) -> tuple[str, list[Removal], dict, dict | None]:
    """Return (text, removals, meta found, truncation marker or None)."""
    line_rules = [rule for rule in rules if rule.scope == "line"]
    inline_rules = [rule for rule in rules if rule.scope == "inline"]
    kept: list[str] = []
    removals: list[Removal] = []
    meta: dict = {}
    truncation = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped:
            kept.append(line)
            continue
        rule, match = _first_line_match(stripped, line_rules)
        if rule:
            removals.append(Removal(rule.id, stripped, number))
            for key in rule.meta:
                value = match.groupdict().get(key)
                if value and key not in meta:
                    meta[key] = value.strip()
            if rule.truncates and truncation is None:
                truncation = {"reason": "preview cut marker", "marker": stripped, "rule": rule.id, "line": number}
            continue
        for inline in inline_rules:
            pieces = [m.group(0) for m in inline.pattern.finditer(line)]
            if pieces:
                line = inline.pattern.sub("", line)
                removals.extend(Removal(inline.id, piece, number) for piece in pieces)
        kept.append(line)
    return "\n".join(kept), removals, meta, truncation


def _first_line_match(line: str, rules: list[Rule]):
    for rule in rules:
        match = rule.pattern.search(line)
        if match:
            return rule, match
    return None, None


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    rules = chrome_rules(config.rules_files, config.disabled_rules)
    text, removals, meta, truncation = strip_chrome(doc.text, rules)
    doc = doc.evolve(text=text).with_removed(*removals).with_meta(**meta)
    if truncation:
        doc = doc.evolve(truncated=True, truncation=truncation)
    counters = {"lines_removed": sum(1 for r in removals if r.rule in {x.id for x in rules if x.scope == "line"})}
    counters["spans_removed"] = len(removals) - counters["lines_removed"]
    return doc, counters
