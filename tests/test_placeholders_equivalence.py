"""Anchors only make the placeholder rules faster: same masks and gaps as a full scan.

The reference is the same rule set with every anchor removed, so each rule
scans the whole text at every position (the behaviour before anchors). Texts:
every case of the annotated set, the golden outputs, the rule examples, and
generated texts made of pieces of those examples, so that anchors, lookbehinds,
line starts and touching masks meet in many combinations.
"""

from __future__ import annotations

import dataclasses
import time
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean.stages.placeholders import (PlaceholderRules, _AnchorHits, find_gaps, find_masks, guess_category,
                                             load_rules)

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def _without_anchors(rules: PlaceholderRules) -> PlaceholderRules:
    strip = lambda group: tuple(dataclasses.replace(rule, anchor=None) for rule in group)  # noqa: E731
    return dataclasses.replace(rules, masks=strip(rules.masks), not_masks=strip(rules.not_masks),
                               gaps=strip(rules.gaps), mask_gate=None)


FULL_SCAN = _without_anchors(RULES)


def detect(text: str, rules: PlaceholderRules) -> tuple[list, list]:
    masks = find_masks(text, rules, "××")
    return masks, find_gaps(text, rules, masks)


def _rules_data() -> dict:
    return tomllib.loads(resources.files("speechclean.rules").joinpath("placeholders.toml").read_text("utf-8"))


def _examples() -> list[str]:
    data = _rules_data()
    return [e["example"] for kind in ("mask", "not_mask", "gap") for e in data[kind]]


def _set_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "benchmarks" / "placeholder_set").glob("*.txt")):
        for line in path.read_text("utf-8").split("\n"):
            if line.strip() and not line.startswith("#"):
                lines.append(line.replace("⟦", "").replace("⟧", "").replace("⟪", "").replace("⟫", ""))
    return lines


def test_the_reference_really_scans_without_anchors():
    assert any(r.anchor is not None for r in (*RULES.masks, *RULES.not_masks, *RULES.gaps))
    assert all(r.anchor is None for r in (*FULL_SCAN.masks, *FULL_SCAN.not_masks, *FULL_SCAN.gaps))


@pytest.mark.parametrize("text", _examples())
def test_rule_examples_same_as_full_scan(text):
    assert detect(text, RULES) == detect(text, FULL_SCAN)


def test_annotated_set_same_as_full_scan():
    lines = _set_lines()
    assert len(lines) > 300
    for line in lines:
        assert detect(line, RULES) == detect(line, FULL_SCAN), line


@pytest.mark.parametrize("path", sorted((ROOT / "samples" / "expected").glob("*.txt")), ids=lambda p: p.name[:3])
def test_golden_outputs_same_as_full_scan(path):
    text = path.read_text("utf-8")
    found = detect(text, RULES)
    assert found == detect(text, FULL_SCAN)


def test_gap_patterns_are_zero_width():
    """Trying a gap rule at chosen positions equals a full scan only for patterns that consume nothing."""
    for text in _examples() + _set_lines():
        for rule in RULES.gaps:
            assert all(m.start() == m.end() for m in rule.pattern.finditer(text)), rule.id


def _pieces() -> list[str]:
    """Short slices of every example and annotated case, plus the characters that start masks and lines."""
    pieces = {"\n", "XX", "X", "x", "*", "**", "×", "××", "某某", "○○", "□", "__", "[单位名称]", "、", "，", "。"}
    for text in _examples() + _set_lines()[:200]:
        for size in (1, 2, 3, 4):
            pieces.update(text[i:i + size] for i in range(0, max(1, len(text) - size + 1), size))
    return sorted(pieces)


_TEXTS = st.lists(st.sampled_from(_pieces()), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_generated_texts_same_as_full_scan(text):
    assert detect(text, RULES) == detect(text, FULL_SCAN)


def _guess_category_by_loop(text: str, start: int, end: int) -> str:
    """The category guess as first written: each category in order, its words tried one by one."""
    hints = RULES.categories
    after, before = text[end:end + 6], text[max(0, start - 6):start]
    for name in hints.order:
        if after.startswith(hints.after[name]) or before.endswith(hints.before[name]):
            return name
    if hints.list_nouns and after[:1] and after[0] in "、等和及与":
        clause = text[end:end + 40]
        for stop in "，。；！？\n":
            clause = clause.split(stop, 1)[0]
        if any(noun in clause for noun in hints.list_nouns):
            return "organisation"
    return "unknown"


def _hint_words() -> list[str]:
    hints = RULES.categories
    words = {w for name in hints.order for w in (*hints.after[name], *hints.before[name])}
    return sorted(words | set(hints.list_nouns) | {"、", "等", "，", "\n"})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_hint_words() + ["XX", "中", "的"]), max_size=12).map("".join))
def test_category_lookup_table_same_as_ordered_loop(text):
    """The table lookup must keep the order of categories (企业家 vs 企业) and the
    list rule (XX、YY等企业): every span of a text gets the same guess as the loop."""
    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 3) + 1):
            assert guess_category(text, start, end, RULES.categories) == _guess_category_by_loop(text, start, end)


def test_category_lookup_table_same_on_the_annotated_set():
    for line in _set_lines() + _examples():
        for start in range(0, len(line), 3):
            assert guess_category(line, start, start + 2, RULES.categories) == _guess_category_by_loop(
                line, start, start + 2), line


def test_many_masks_cost_linear_time():
    """The overlap check must not compare each mask with all earlier ones: 8x the
    masks may cost at most ~8x the time (bound 20x: generous, noise-proof)."""
    unit = "全市XX家企业、**个项目、××亿元，某某同志□□市"

    def cost(copies: int) -> float:
        text = unit * copies
        started = time.process_time()
        detect(text, RULES)
        return time.process_time() - started

    small = min(cost(2_000) for _ in range(3))
    large = min(cost(16_000) for _ in range(2))
    assert large < 20 * max(small, 1e-3)


def test_long_runs_of_one_character_cost_linear_time():
    """An anchor that rescans a run at every position (`、(?=、*等)` did) is
    quadratic on a long run: 8x the run may cost at most ~8x (bound 20x). Anchors
    are timed alone, where nothing linear but costly hides a quadratic term."""
    chars = "、X*×个人等的月第，。 _□○某"
    anchors = {p for rule in (*RULES.masks, *RULES.not_masks, *RULES.gaps) if rule.anchor
               for p in rule.anchor.patterns}

    def cost(run: int) -> float:
        text = "推动" + "\n推动".join(ch * run for ch in chars) + "等"
        started = time.process_time()
        hits = _AnchorHits(text)
        for pattern in anchors:
            hits.starts(pattern)
        detect(text[:run], RULES)
        return time.process_time() - started

    small = min(cost(4_000) for _ in range(3))
    large = min(cost(32_000) for _ in range(2))
    assert large < 20 * max(small, 1e-3)


def test_line_windows_keep_the_newline_in_view():
    """A mask rule scans only the lines its anchor hits; its lookaheads must still
    see the newline that ends the line, as in a whole-text scan (a rule that
    looks for it finds the same masks)."""
    from speechclean.stages.placeholders import parse_rules

    rule = {"id": "mask.q_at_line_end", "description": "test", "example": "Q", "pattern": r"Q(?=\n)", "anchor": "Q"}
    anchored = parse_rules({"mask": [rule]})
    full = parse_rules({"mask": [{k: v for k, v in rule.items() if k != "anchor"}]})
    text = "甲Q\n乙Q丙\nQ\n"
    assert [m.start for m in find_masks(text, anchored)] == [m.start for m in find_masks(text, full)] == [1, 7]


# ---- third round: the stage against a frozen copy of itself before the change

import placeholders_reference as reference  # noqa: E402

from speechclean.document import Placeholder  # noqa: E402
from speechclean.stages.placeholders import _placeholder, mark_placeholders  # noqa: E402

REFERENCE_RULES = reference.load_rules()
SETTINGS = [("××", False, False), ("××", True, True), ("[X]", True, True), ("XX", False, True)]


def _same_as_reference(text: str) -> None:
    for token, unify, fill in SETTINGS:
        assert mark_placeholders(text, RULES, token, unify, fill) == reference.mark_placeholders(
            text, REFERENCE_RULES, token, unify, fill), (text, token, unify, fill)


def test_annotated_set_and_examples_same_as_reference():
    for text in _set_lines() + _examples():
        _same_as_reference(text)


@pytest.mark.parametrize("path", sorted((ROOT / "samples" / "expected").glob("*.txt")), ids=lambda p: p.name[:3])
def test_golden_outputs_same_as_reference(path):
    _same_as_reference(path.read_text("utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_pieces()), max_size=60).map("".join))
def test_generated_texts_same_as_reference(text):
    _same_as_reference(text)


def test_fast_record_is_a_placeholder():
    fields = ("mask", "XX", 3, 5, "mask.x_run", "number", "high", "ctx", None)
    fast, slow = _placeholder(*fields), Placeholder(*fields)
    assert type(fast) is Placeholder and fast == slow and vars(fast) == vars(slow) and hash(fast) == hash(slow)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(Placeholder)]



# ---- fourth round: rules skipped by their required strings, anchors led by a class

from speechclean.stages.placeholders import _all_starts, _fast_anchor, _may_occur, _requires  # noqa: E402


def _every_rule():
    return (*RULES.masks, *RULES.not_masks, *RULES.gaps)


def test_required_strings_are_read_from_the_patterns():
    # a run of literals is one string; of several sets, the rarest first (longer strings, then fewer)
    assert _requires(r"(?<=由|请|邀请)(?=同志(?:作|主持))") == (("同志",), ("主持", "作"))
    assert _requires(r"(?<=[\p{Han}])(?=个[，。])") == (("个",), ("。", "，"))
    assert _requires(r"\p{Han}+") == ()  # "any character" requires nothing
    assert _requires(r"(?<!甲)乙?丙*") == ()  # negative lookarounds and optional items require nothing


@pytest.mark.parametrize("rule", _every_rule(), ids=lambda r: r.id)
def test_a_rule_never_matches_where_its_required_strings_are_absent(rule):
    requires = _requires(rule.pattern.pattern)
    for text in _examples() + _set_lines():
        if rule.pattern.search(text) is not None:
            assert _may_occur(requires, text, {}), (rule.id, text)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_required_strings_hold_on_generated_texts(text):
    for rule in _every_rule():
        if rule.pattern.search(text) is not None:
            assert _may_occur(_requires(rule.pattern.pattern), text, {}), (rule.id, text)


def _anchor_sources() -> list[str]:
    data = _rules_data()
    return sorted({a for kind in ("mask", "not_mask", "gap") for e in data[kind]
                   for a in ([e["anchor"]] if isinstance(e.get("anchor"), str) else e.get("anchor", []))})


# Anchors as a rules file may write them: led by an optional character or
# group, which `re` would try at every position (the shipped rules are
# written class- or literal-led, so they pass through unchanged).
GROUP_LED_ANCHORS = ["万?名(?:干部|党员)", "(?:第)?批(?:项目|企业)", "万?[亩吨](?:[，。]|$)"]


@pytest.mark.parametrize("source", GROUP_LED_ANCHORS)
def test_group_led_anchor_is_rewritten_and_finds_the_same_starts(source):
    import re
    fast = _fast_anchor(source)
    assert fast.pattern != source
    text = "万名干部，名党员；第批项目，批企业。新建万亩，吨。\n万吨"
    assert _all_starts(fast, text) == _all_starts(re.compile(source, re.MULTILINE), text)


@pytest.mark.parametrize("source", _anchor_sources())
def test_class_led_anchor_finds_the_same_starts(source):
    import re
    plain, fast = re.compile(source, re.MULTILINE), _fast_anchor(source)
    for text in _examples() + _set_lines() + ["万名干部\n家企业，公斤，千克。\n"]:
        assert _all_starts(fast, text) == _all_starts(plain, text), (source, text)


# ---- sixth round: the shared scan walks its arms in runs; only rules with hits are visited

from speechclean.stages.placeholders import _dispatch  # noqa: E402


def test_shared_scan_of_all_gap_anchors_finds_every_start_of_each():
    """The shipped scan has enough arms to be cut into runs: each anchor's starts
    must be exactly those the anchor finds alone, on every text."""
    scan = RULES.gap_scan
    assert len(scan.combined.pattern) > len("|".join(p.pattern for p in scan.patterns))  # runs are in use
    for text in _examples() + _set_lines() + [path.read_text("utf-8") for path in
                                              sorted((ROOT / "samples" / "expected").glob("*.txt"))]:
        found = scan.starts(text)
        for index, pattern in enumerate(scan.patterns):
            assert found[index] == _all_starts(pattern, text), (pattern.pattern, text[:40])


def test_dispatch_keeps_the_arms_in_order_and_adds_no_group():
    import re
    arms = [f"{c}()" for c in "甲乙丙丁戊己庚辛壬癸子丑"]
    runs = _dispatch(arms, [[c] for c in "甲乙丙丁戊己庚辛壬癸子丑"])
    assert runs != "|".join(arms) and re.compile(runs).groups == len(arms)
    for index, char in enumerate("甲乙丙丁戊己庚辛壬癸子丑"):
        assert re.compile(f"[甲乙丙丁戊己庚辛壬癸子丑](?<=(?:{runs}))").search(char).lastindex == index + 1
    assert _dispatch(arms[:3], [["甲"], ["乙"], ["丙"]]) == "|".join(arms[:3])  # few arms: one plain alternation


def test_rules_without_a_plan_visit_every_rule_and_find_the_same():
    unplanned = dataclasses.replace(RULES, gap_plan=None)
    assert RULES.gap_plan is not None and RULES.gap_plan.gaps is RULES.gaps
    for text in _examples() + _set_lines():
        masks = find_masks(text, RULES, "××")
        assert find_gaps(text, RULES, masks) == find_gaps(text, unplanned, masks), text
