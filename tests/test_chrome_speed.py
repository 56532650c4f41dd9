"""The chrome stage's fast paths give the answers of the plain ones.

- Each rule is tried only on lines holding one of its keys (`Rule.needs`,
  read from the pattern): checked against a rule set without keys, where
  every rule is tried on every line (the stage as it was).
- The classifier reads the sentence end from the line's end, finds the prose
  bounds from both ends and judges a body line only when it holds a keyword
  or a URL: checked against the plain definitions.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean.ruleset import load_rules, required_literals, start_literals
from speechclean.stages import classify
from speechclean.stages.chrome import strip_chrome

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def _without_keys(ruleset):
    """The same rules, every one tried on every line."""
    rules = tuple(dataclasses.replace(rule, needs=None) for rule in ruleset.rules)
    return dataclasses.replace(ruleset, rules=rules, keys=None, key_rules={})


PLAIN = _without_keys(RULES)


def _outcome(result):
    return (result.text, [r.to_json() for r in result.removals], result.meta, result.truncation,
            result.warnings, result.lines_removed, result.spans_removed)


def _texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "samples" / "dumps").glob("*.txt"))]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "benchmarks" / "chrome_devset").glob("*.txt"))]
    return texts


def _line_pool() -> list[str]:
    pool = [line for text in _texts() for line in text.split("\n")]
    for rule in RULES.rules:
        pool += [rule.example, *rule.keeps]
    return pool


POOL = _line_pool()


@pytest.mark.parametrize("index", range(len(_texts())))
def test_keys_change_nothing_on_the_samples_and_the_dev_set(index):
    text = _texts()[index]
    assert _outcome(strip_chrome(text, RULES)) == _outcome(strip_chrome(text, PLAIN))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(POOL), st.sampled_from(["\n", "\n\n", "", " ", "。"])), max_size=14))
def test_keys_change_nothing_on_mixed_lines(parts):
    """Chrome and body lines shuffled, glued into one line or split apart."""
    text = "".join(line + glue for line, glue in parts)
    assert _outcome(strip_chrome(text, RULES)) == _outcome(strip_chrome(text, PLAIN))


def test_every_match_of_a_rule_holds_one_of_its_keys():
    for rule in RULES.rules:
        assert rule.needs, f"{rule.id} has no keys: it would be tried on every line"
        for line in POOL:
            if rule.pattern.search(line):
                folded = line.casefold()
                assert any(key in folded for key in rule.needs), (rule.id, line)


@pytest.mark.parametrize("pattern, needs", [
    (r"^(购物车|我的足迹)$", ("我的足迹", "购物车")),
    (r"字[号体]", ("字体", "字号")),
    (r"^(?=.{0,60}$).*(关注公众号|扫码关注)", ("关注公众号", "扫码关注")),
    (r"(锟斤拷)+|烫烫烫+", ("烫烫", "锟斤拷")),
    (r"\L<sites>\s*$", ("乙文库", "甲文库")),
    (r"VIP|Copyright", ("copyright", "vip")),
    (r"(?<=\p{Han})x", ("x",)),
    (r"(?<=文库)\d+", None),  # a lookbehind may look into the line before: no key from it
    (r"a?b*", None),  # can match nothing
    (r"(?!下载).", None),
    (r"[^。]+", None),
])
def test_required_literals_of_a_pattern(pattern, needs):
    assert required_literals(pattern, {"sites": ["甲文库", "乙文库"]}) == needs


def _keyed_rules(line: str) -> frozenset[str]:
    """The keyed rules a line lets through by definition: a rule keyed at the line's start when
    its stripped case folding starts with one of its starts, any other when it holds one of its keys."""
    folded = line.casefold()
    return frozenset(rule.id for rule in RULES.rules if rule.needs and (
        folded.strip().startswith(rule.starts) if rule.starts and rule.scope == "line"
        else any(key in folded for key in rule.needs)))


def test_keys_inside_and_across_other_keys_are_found():
    """`qq号` holds `qq` (contact.id's key) and `本文档` holds `文档`: both rules are let through."""
    assert {"contact.id", "download.cost"} <= RULES.rules_by_line("客服qq号:12345本文档")[0]
    text = "x\n本文档需要5金币下载\n\n加QQ号"
    assert set(RULES.rules_by_line(text)) == {1, 3}
    for index, line in enumerate(text.split("\n")):
        assert RULES.rules_by_line(text).get(index, frozenset()) == _keyed_rules(line)


_SENTENCE_END = regex.compile(r"[。！？!?…；;][”’」』）)]*$")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="。！？!?…；;”’」』）)的a 中，", max_size=12))
def test_sentence_end_read_from_the_end_agrees_with_the_pattern(text):
    assert classify.ends_like_a_sentence(text) == bool(_SENTENCE_END.search(text))
    plain_prose = len(re.findall("[\u4e00-\u9fff]", text)) >= classify.PROSE_MIN_HAN and bool(_SENTENCE_END.search(text))
    assert classify.is_prose(text) == plain_prose


def test_a_body_line_without_keyword_or_url_is_never_judged_by_its_shape():
    keywords = RULES.words("chrome_keywords")
    finder = classify._keyword_or_url(keywords)
    for line in POOL:
        text = line.strip()
        if text and finder.search(text.lower()) is None:
            assert classify._chrome_by_shape(text, keywords, at_edge=False) is None, text


def test_blank_and_one_character_lines_cost_little():
    """10^5 of each: well under the generous bound (was 0.5 s and 1.7 s; linear, but 5x the corpus per MB)."""
    for text in ("\n" * 100_000, "字\n" * 100_000):
        started = time.process_time()
        strip_chrome(text, RULES)
        assert time.process_time() - started < 5



def test_key_groups_find_every_needed_literal_of_a_line():
    """Scanned in groups by first character, the keys still give each line exactly the rules whose literal it holds
    (or, for a rule keyed at the line's start, whose start it starts with)."""
    assert len(RULES.keys) > 1
    for text in _texts():
        expected = {index: _keyed_rules(line) for index, line in enumerate(text.split("\n"))}
        assert RULES.rules_by_line(text) == {index: ids for index, ids in expected.items() if ids}


# ---- third round (perf3-chrome): visit only keyed lines, classifier views on demand, spans, one-pass cuts


def _plain_classify(text: str):
    """The classifier asked about every line (no keyword lines given): what the stage did before."""
    from speechclean.stages import chrome as chrome_stage

    real = RULES.scan
    try:
        object.__setattr__(RULES, "scan", lambda t: (real(t)[0], None))
        return _outcome(chrome_stage.strip_chrome(text, RULES))
    finally:
        object.__delattr__(RULES, "scan")


@pytest.mark.parametrize("index", range(len(_texts())))
def test_judging_only_keyword_lines_in_the_body_changes_nothing(index):
    text = _texts()[index]
    assert _outcome(strip_chrome(text, RULES)) == _plain_classify(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(POOL), st.sampled_from(["\n", "\n\n", "", " ", "。"])), max_size=14))
def test_judging_only_keyword_lines_changes_nothing_on_mixed_lines(parts):
    text = "".join(line + glue for line, glue in parts)
    assert _outcome(strip_chrome(text, RULES)) == _plain_classify(text)


def test_keyword_lines_hold_every_line_whose_lower_case_holds_a_keyword_or_url():
    finder = classify._keyword_or_url(RULES.words("chrome_keywords"))
    for text in _texts():
        _, keyword_lines = RULES.scan(text)
        for index, line in enumerate(text.split("\n")):
            if finder.search(line.strip().lower()):
                assert index in keyword_lines, line


def test_case_folding_the_lower_case_gives_the_case_folding():
    """What lets the folded scan find the classifier's lower-case keywords (every code point)."""
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        assert char.lower().casefold() == char.casefold(), hex(code)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=12), st.sampled_from(["", " ", "ß", "İ"]))
def test_rules_by_span_hold_the_rules_of_each_span(parts, extra):
    """Every keyed rule a span's own scan lets through is let through by the one scan of the whole line."""
    line = extra.join(part.replace("\n", " ") for part in parts)
    spans = [m.span() for m in re.finditer(r"[^。！？]*[。！？]+|[^。！？]+", line)]
    for (start, end), ids in zip(spans, RULES.rules_by_span(line, spans)):
        assert RULES.rules_by_line(line[start:end]).get(0, frozenset()) <= ids


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab(（发fa)展 ", max_size=30))
def test_cutting_out_the_matches_is_the_substitution(text):
    from speechclean.stages.chrome import _cut_out

    for rule in RULES.inline_rules():
        matches = [m for m in rule.pattern.finditer(text) if m.end() > m.start()]
        assert _cut_out(text, matches) == rule.pattern.sub("", text)


# ---- fourth round (perf4-chrome): rules anchored with `^` keyed at the start of a line


@pytest.mark.parametrize("pattern, starts", [
    (r"^(购物车|我的足迹)$", ("我的足迹", "购物车")),
    (r"^[-*|]{1,80}$", ("*", "-", "|")),
    (r"^(?=.{0,80}$)(来源|文章来源)\s*[:：]", ("文章来源", "来源")),
    (r"^((当前位置)\s*[:：]|(网站)?首页\s*>)", ("当前位置", "网站", "首页")),
    (r"^VIP专享", ("vip专享",)),
    (r"^[(（]?\s*(编辑)", None),  # the spaces after the optional bracket start nothing
    (r"^(top|)$", None),  # an empty branch starts with nothing
    (r"(购物车|我的足迹)$", None),  # not anchored
    (r"(?m)^购物车", None),
    (r"^\d+、", None),
])
def test_start_literals_of_a_pattern(pattern, starts):
    assert start_literals(pattern, {}) == starts


def test_every_match_of_a_rule_keyed_at_the_start_starts_with_one_of_its_starts():
    keyed = [rule for rule in RULES.rules if rule.starts and rule.scope == "line"]
    assert {"furniture.separator", "news.byline", "news.source_line", "nav.shop"} <= {rule.id for rule in keyed}
    for rule in keyed:
        for line in POOL:
            stripped = line.strip()
            if rule.pattern.search(stripped):
                assert stripped.casefold().startswith(rule.starts), (rule.id, line)


@pytest.mark.parametrize("text", [
    "VİP专享",  # `İ` matches `i` but folds to `i` and U+0307
    "  \u3000时间:2023-02-23\n\t***\n来源：长春日报",
    "正文。\n — \n正文。",
    "***\n\n-\n*",
])
def test_rules_keyed_at_the_start_change_nothing(text):
    assert _outcome(strip_chrome(text, RULES)) == _outcome(strip_chrome(text, PLAIN))


def test_a_start_inside_a_line_lets_no_rule_through():
    """`*` of a mask and `时间` inside prose do not bring the separator and byline rules to the line."""
    ids = RULES.rules_by_line("会议时间由**同志确定。\n时间:2023-02-23")
    assert "furniture.separator" not in ids.get(0, frozenset()) and "news.byline" not in ids.get(0, frozenset())
    assert "news.byline" in ids[1]


def test_a_bracket_followed_by_a_group_of_letters_is_keyed_by_bracket_and_letter():
    """The plain pinyin gloss needs `(` and a letter, not any bracket (the `（一）` of headings)."""
    needs = required_literals(r"(?<=\p{Han})[(（](?-i:(zh|ch|[bp])?(ang|a|o))[)）]", {})
    assert needs == tuple(sorted(f"{bracket}{letter}" for bracket in "(（" for letter in "zcbpao"))
    plain = next(rule for rule in RULES.rules if rule.id == "gloss.pinyin_plain")
    assert "(" not in plain.needs and "(f" in plain.needs and "（ü" in plain.needs
    assert "gloss.pinyin_plain" not in RULES.rules_by_line("（一）坚持稳中求进。(3)项").get(0, frozenset())
    assert "gloss.pinyin_plain" in RULES.rules_by_line("推动发(fa)展")[0]


def test_keys_read_by_their_least_common_character_find_keys_inside_and_across_others():
    """Several keys can share an anchor character and stand at once; each is read at its place."""
    text = "免费下载\n下载提示\n本文档下载\n载下载"
    for index, line in enumerate(text.split("\n")):
        assert RULES.rules_by_line(text).get(index, frozenset()) == _keyed_rules(line)


def test_the_spaces_before_a_line_start_are_the_ones_strip_strips():
    """`[^\\S\\n]` of the line-start pattern is what `str.strip` strips (but the break), and case folding keeps it."""
    space = re.compile(r"\s")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert (space.match(char) is not None) == char.isspace(), hex(code)
        if char.isspace():
            assert char.casefold() == char, hex(code)
        else:
            assert not char.casefold()[:1].isspace(), hex(code)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=8), st.data())
def test_keys_after_a_cut_hold_every_key_of_the_closed_up_line(parts, data):
    """Scanning around the joins instead of the whole line after a cut loses no key (keys across a join included)."""
    from speechclean.stages.chrome import _cut_out, _joins, _keys_after_cut

    line = " ".join(part.replace("\n", " ") for part in parts)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(line)), max_size=6)))
    spans = [(start, end) for start, end in zip(cuts[::2], cuts[1::2]) if end > start]
    matches = [re.compile(".{%d}" % (end - start), re.S).match(line, start) for start, end in spans]
    cut = _cut_out(line, matches)
    allowed = RULES.rules_by_line(line).get(0, frozenset())
    assert RULES.rules_by_line(cut).get(0, frozenset()) <= _keys_after_cut(cut, allowed, _joins(spans), RULES)


def test_a_key_made_by_closing_up_is_found():
    from speechclean.stages.chrome import _keys_after_cut

    assert "tips.item" in _keys_after_cut("本站规定", frozenset(), [1], RULES)  # 本|站 joined
    assert "furniture.separator" in _keys_after_cut("  ***", frozenset(), [2], RULES)  # a new line start
