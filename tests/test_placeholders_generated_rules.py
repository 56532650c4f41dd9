"""The rule engine against its frozen reference on rule files it has never seen.

The stage reads its rules for shortcuts: one shared scan for every anchor (by
first character), the characters a gap pattern needs at the gap and after it
(tested before the pattern, and turned into an anchor for a rule written
without one), offset 0 skipped when a pattern needs a character before it.
Each shortcut must hold for any rules file a user may write, so rule files are
generated here from many shapes (lookbehinds, `^`, `$`, optional and branched
leads, `\\p{Han}`, negative lookarounds, scoped flags, anchors with negative
and positive shifts, anchors led by a lookbehind, a group or an optional
character) and the stage must find exactly what `tests/placeholders_reference.py`
finds with the same file.
"""

from __future__ import annotations

import placeholders_reference as reference
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean.stages.placeholders import _before, _pairs_at, _sre_parser, find_gaps, find_masks, parse_rules

BEHIND = ["", "(?<=与)", "(?<=[由从])", "(?<![零一二])", "(?<=[\\p{Han}])", "(?:(?<=[，、])|^)",
          "(?<=达到|新增)", "(?<=(?:新增)?)", "(?:(?<=[\\p{Han}])(?<![零一])|(?<![二]))", "(?<=(?:新增|达)了?)",
          "(?<=、)(?<![一二][个家]、)", "(?:(?<=与)|(?<=[，。]))", "^"]
AHEAD = ["(?=个)", "(?=(?:余|多)?个(?:[，。]|$))", "(?=[个家](?:[，。、]|以上|$))", "(?=个$)", "(?=家|个人)",
         "(?=\\p{Han}个)", "(?=个(?!人))", "(?=(?i:x)个)", "(?=等(?![待到]))", "(?=、+等)", "(?=[个家]?人)",
         "(?=万(?:人|元)|%|亿元)", "(?=$)", "(?=(?<!多)个百)", "(?=年月|月日)", "(?=[^个]人)", "个"]
ANCHORS = [None, "个", "[个家]", "人", "、", "(?<=与)个", "万?人", "(?:余|多)?个", "个(?:[，。]|$)", "(?:第)?个",
           "[由从]", "年月", "月(?:(?<=年月)|(?=日))", "(?i:X)", "\\n"]
SHIFTS = [0, 1, -1, [0, -1], [1, 2], [-2, 0, 1]]
MASK_SHAPES = [("X{2,}", ["X"]), ("(?<![A-Za-z])X(?=[\\p{Han}])", ["X"]), ("某{2,}", ["某某"]),
               ("[*＊]{2,}", ["\\*", "＊"]), ("×+", ["×"]), ("(?<=[\\p{Han}])x(?=个)", ["x(?=个)"])]
ALPHABET = list("个家人余多等万亿元年月日、，。与由从达到新增了第一二零X某×x*＊中国企业\n") + ["%", "以上", "个人", "百"]


@st.composite
def gap_rule(draw, number: int) -> dict:
    rule = {"id": f"gap.g{number}", "description": "generated", "example": "",
            "pattern": draw(st.sampled_from(BEHIND)) + draw(st.sampled_from(AHEAD)),
            "confidence": draw(st.sampled_from(["high", "medium", "low"]))}
    anchor = draw(st.sampled_from(ANCHORS))
    if anchor is not None:
        rule["anchor"] = anchor if draw(st.booleans()) else [anchor, draw(st.sampled_from(ANCHORS[1:]))]
        rule["anchor_shift"] = draw(st.sampled_from(SHIFTS))
    if draw(st.booleans()):
        rule["not_words"] = draw(st.sampled_from([["个人", "人家"], ["企业家"], ["万元"]]))
    return rule


@st.composite
def rule_file(draw) -> dict:
    gaps = [draw(gap_rule(n)) for n in range(draw(st.integers(1, 6)))]
    masks = []
    for n, (pattern, anchors) in enumerate(draw(st.lists(st.sampled_from(MASK_SHAPES), max_size=3, unique_by=lambda shape: shape[0]))):
        mask = {"id": f"mask.m{n}", "description": "generated", "example": "", "pattern": pattern}
        if draw(st.booleans()):
            mask["anchor"] = anchors
        masks.append(mask)
    return {"mask": masks, "gap": gaps}


TEXTS = st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(rule_file(), st.lists(TEXTS, min_size=1, max_size=4))
def test_generated_rule_files_find_what_the_reference_finds(data, texts):
    ours, theirs = parse_rules(data), reference.parse_rules(data)
    for text in texts:
        masks = find_masks(text, ours, "××")
        assert masks == reference.find_masks(text, theirs, "××"), (data, text)
        assert find_gaps(text, ours, masks) == reference.find_gaps(text, theirs, masks), (data, text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(BEHIND), st.sampled_from(AHEAD), TEXTS)
def test_characters_read_at_a_gap_hold_wherever_the_pattern_matches(behind, ahead, text):
    import regex
    pattern = behind + ahead
    tree = _sre_parser.parse(pattern.replace("\\p{Han}", "\U0010fffd")).data
    pairs, before = _pairs_at(tree), _before(tree)
    for match in regex.finditer(pattern, text, regex.MULTILINE):
        pos = match.start()
        if pairs is not None:
            assert text[pos:pos + 1] in pairs, (pattern, text, pos)
            after = pairs[text[pos:pos + 1]]
            assert after is None or text[pos + 1:pos + 2] in after, (pattern, text, pos)
        if before is not None:
            kind, chars = before
            assert (text[pos - 1:pos] in chars) == (kind == "allow"), (pattern, text, pos)


def test_characters_are_read_through_optional_leads_branches_and_line_ends():
    def read(pattern):
        return _pairs_at(_sre_parser.parse(pattern.replace("\\p{Han}", "\U0010fffd")).data)

    assert read("(?<=与)(?=(?:余|多)?个[，。])") == {"余": frozenset("个"), "多": frozenset("个"), "个": frozenset("，。")}
    assert read("(?=个$)") == {"个": frozenset(["\n", ""])}
    assert read("(?=\\p{Han}个)") is None  # "any character" gives nothing to test
    assert read("(?=(?i:x))") is None  # nor does a case-blind letter
    assert read("(?<=与)") is None  # nor a pattern that reads nothing after the gap


def test_characters_before_a_gap_are_read_from_lookbehinds_and_line_starts():
    def before(pattern):
        return _before(_sre_parser.parse(pattern.replace("\\p{Han}", "\U0010fffd")).data)

    assert before("(?<=与|由于)(?=个)") == ("allow", frozenset("与于"))
    assert before("(?:(?<=[，、])|^)(?=个)") == ("allow", frozenset(["，", "、", "\n", ""]))
    kind, chars = before("(?<=[\\p{Han}])(?<![一二])(?=个)")  # a Han character, not 一 or 二
    assert kind == "deny" and {"一", "二", "1", "a", "，", "\n", ""} <= chars and "中" not in chars
    assert before("(?<![0-9]多)(?=个)") is None  # two characters: not a test of the one before
    assert before("(?<=(?:新增)?)(?=个)") is None  # may read nothing
