"""Sixth speed round of the chrome stage (perf6-chrome): the same outputs, found with less work.

The key scan now names the key whose branch matched (an empty group per key) instead of
reading every key of an anchor at each stop; these tests hold it to the definition (a line
gets the rules of every key standing in it), on keys built to overlap at one anchor.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean.ruleset import KEYWORD_MARK, RuleSet, _keys, load_rules

RULES = load_rules()

#: Keys sharing anchor characters in every way: inside one another (下载 in 免费下载), across one
#: another at the same anchor (下载 / 载入, 载入 / 入载), apart, and a one-character key.
_OVERLAPPING = ("下载", "免费下载", "载入", "下载入口", "入载", "载", "费下", "文档下载", "档")


def _ruleset_of(keys: tuple[str, ...]) -> RuleSet:
    """A rule set whose rules each need one of `keys` (one rule per key), scanned by `_keys`."""
    template = next(rule for rule in RULES.rules if rule.scope == "inline")
    rules = tuple(dataclasses.replace(template, id=f"r{index}", needs=(key,)) for index, key in enumerate(keys))
    return RuleSet(rules, {}, (), *_keys(rules, ()))


def _by_definition(ruleset: RuleSet, text: str) -> dict[int, frozenset]:
    expected = {}
    for index, line in enumerate(text.casefold().split("\n")):
        ids = frozenset(rule.id for rule in ruleset.rules if any(key in line for key in rule.needs))
        if ids:
            expected[index] = ids
    return expected


OVERLAPPING = _ruleset_of(_OVERLAPPING)


def test_keys_of_one_anchor_that_stand_at_once_are_all_found():
    for text in ("免费下载入口", "入载入", "下载入\n载\n费下载入", "文档下载档"):
        assert OVERLAPPING.rules_by_line(text) == _by_definition(OVERLAPPING, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_OVERLAPPING, "免", "费", "入", "口", "文", "\n", "x"]), max_size=16))
def test_overlapping_keys_give_each_line_the_rules_of_every_key_in_it(parts):
    text = "".join(parts)
    assert OVERLAPPING.rules_by_line(text) == _by_definition(OVERLAPPING, text)
    hits = sorted((start, end, ids) for _, start, end, ids in OVERLAPPING._hits(text.casefold()))
    for start, end, ids in hits:  # every hit is a key standing there, holding only keys standing there
        assert text.casefold()[start:end] in _OVERLAPPING
    for index, key in enumerate(_OVERLAPPING):  # every key standing is in a hit that covers it
        at = text.find(key)
        while at >= 0:
            assert any(start <= at and at + len(key) <= end and f"r{index}" in ids for start, end, ids in hits)
            at = text.find(key, at + 1)


_SHIPPED_KEYS = sorted(key for key in RULES.key_rules if len(key) > 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_SHIPPED_KEYS), st.sampled_from(["\n", " ", "的", "X", "(", "ß"]),
                          st.sampled_from(_SHIPPED_KEYS).map(lambda key: key[1:]),
                          st.sampled_from(_SHIPPED_KEYS).map(lambda key: key[:-1])), max_size=20))
def test_shipped_keys_give_each_line_the_rules_and_keywords_of_the_keys_in_it(parts):
    text = "".join(parts)
    folded_lines = text.casefold().split("\n")
    found, keyword_lines = RULES.scan(text)
    for index, line in enumerate(folded_lines):
        standing = [key for key in RULES.key_rules if key in line]
        ids = frozenset().union(*(RULES.key_rules[key] for key in standing))
        assert (index in keyword_lines) == (KEYWORD_MARK in ids)
        anywhere = ids - {KEYWORD_MARK}
        assert anywhere <= found.get(index, frozenset())


def test_a_key_lets_through_the_rules_of_every_key_inside_it():
    """What lets a scan hit of a key stand for the keys inside it (`ruleset._mark`)."""
    for ruleset in (RULES, OVERLAPPING):
        for key, ids in ruleset.key_rules.items():
            for part, part_ids in ruleset.key_rules.items():
                if part in key:
                    assert part_ids <= ids, (key, part)
