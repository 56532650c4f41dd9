"""The rules file itself: every rule's example matches, in both widths; its keeps don't."""

from __future__ import annotations

import pytest
import regex

from speechclean.ruleset import load_rules

RULES = load_rules().rules
_TO_FULL = dict(zip(",:;()|!?", "，：；（）｜！？"))
_TO_HALF = {v: k for k, v in _TO_FULL.items()}
_BESIDE_CHINESE = regex.compile(r"(?<=[^\x00-\x7f])[,:;()|!?，：；（）｜！？]|[,:;()|!?，：；（）｜！？](?=[^\x00-\x7f])")


def _swap(text: str, table: dict) -> str:
    """Punctuation beside Chinese in the other width (`https://` stays as it is)."""
    return _BESIDE_CHINESE.sub(lambda m: table.get(m.group(0), m.group(0)), text)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_example_matches_its_pattern(rule):
    assert rule.pattern.search(rule.example), rule.example


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_example_matches_in_both_punctuation_widths(rule):
    assert rule.pattern.search(_swap(rule.example, _TO_FULL))
    assert rule.pattern.search(_swap(rule.example, _TO_HALF))


@pytest.mark.parametrize("rule", [r for r in RULES if r.keeps], ids=lambda rule: rule.id)
def test_body_texts_a_rule_keeps_do_not_match(rule):
    for body in rule.keeps:
        assert not rule.pattern.search(body), body


def test_every_rule_is_documented():
    for rule in RULES:
        assert rule.id and rule.family and len(rule.description) > 10


def test_ids_are_unique_and_dotted():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all("." in rule_id for rule_id in ids)
