"""The fast paths of decode, hygiene and script give the answers of the plain ones.

Each fast path (a pre-check, a bulk comparison, a one-scan dispatch) is
checked against a direct, obviously correct computation of the same thing.
"""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean.chars import HAN, han_count, has_astral, is_han
from speechclean.stages import decode, hygiene, script

SIMPLIFIED = "同志们：今年是全面贯彻党的二十大精神的开局之年，我们要坚持稳中求进，推动汽车产业高质量发展。"
TRADITIONAL = opencc.OpenCC("s2t").convert(SIMPLIFIED)


def _full_pass(text: str, mode: str = "auto"):
    """The detection without a pre-check: convert, count, decide."""
    han = sum(1 for ch in text if is_han(ch))
    if not han:
        return text, "none", 0
    converted = script.converter().convert(text)
    changes = sum(1 for a, b in zip(text, converted) if a != b) + abs(len(text) - len(converted))
    detected = "traditional" if changes / han >= script.TRADITIONAL_THRESHOLD else "simplified"
    if mode == "always" or (mode == "auto" and detected == "traditional"):
        return converted, detected, changes
    return text, detected, 0


@pytest.mark.parametrize("text, detected", [
    (SIMPLIFIED, "simplified"),
    (TRADITIONAL, "traditional"),
    (SIMPLIFIED * 300 + TRADITIONAL, "simplified"),  # a traditional tail too short to matter
    (TRADITIONAL * 40 + SIMPLIFIED, "traditional"),
    (SIMPLIFIED * 40 + TRADITIONAL * 40, "traditional"),  # simplified head, traditional body
    ("乾安县" + SIMPLIFIED, "simplified"),  # a traditional-looking name in simplified text
    ("abc 123", "none"),
])
def test_precheck_agrees_with_the_full_pass(text, detected):
    result = script.detect_and_convert(text)
    assert result[:3] == _full_pass(text)
    assert result[1] == detected


@pytest.mark.parametrize("mode", ["always", "never"])
def test_modes_agree_with_the_full_pass(mode):
    for text in (SIMPLIFIED, TRADITIONAL, "乾安县" + SIMPLIFIED):
        assert script.detect_and_convert(text, mode)[:3] == _full_pass(text, mode)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([SIMPLIFIED, TRADITIONAL, "\n", "XX同志", "乾", "abc"]), max_size=40))
def test_precheck_agrees_on_mixtures(pieces):
    text = "".join(pieces)
    assert script.detect_and_convert(text)[:3] == _full_pass(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("的乾著為a\n\U00020001\U0002000a後"), max_size=60),
       st.text(alphabet=st.sampled_from("的干着为b\n\U00020001後后"), max_size=60))
def test_changed_chars_counts_differing_positions(before, after):
    expected = sum(1 for a, b in zip(before, after) if a != b) + abs(len(before) - len(after))
    assert script.changed_chars(before, after) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("的乾a，\n\U00020001\u3007\uf900")))
def test_han_count_counts_han(text):
    assert han_count(text) == sum(1 for ch in text if is_han(ch))


@pytest.mark.parametrize("text, fixed, counts", [
    ("今天开会。\n", "今天开会。\n", {}),
    ("今天\r\n开会\r", "今天\n开会\n", {"crlf": 1, "cr": 1}),
    ("今\u200b天\ufeff开会", "今天开会", {"invisible": 2}),
    ("今天\x07开会\ufffd", "今天开会", {"control": 1, "replacement": 1}),
    ("\u3000\u3000今天\u00a0开会\t。", "    今天 开会 。", {"ideographic_space": 2, "odd_space": 2}),
    ("行一\u2028行二", "行一\n行二", {}),
])
def test_hygiene_table(text, fixed, counts):
    assert hygiene.fix_hygiene(text) == (fixed, counts)


JUNK = "\r\n\u2028\u200b\ufeff\x07\x85\ufffd\u3000\u00a0\t"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("今天a 。" + JUNK)))
def test_hygiene_leaves_no_junk_and_counts_every_removal(text):
    fixed, counts = hygiene.fix_hygiene(text)
    assert not set(fixed) & set(JUNK.replace("\n", "").replace("\t", ""))
    assert "\t" not in fixed
    removed = counts.get("invisible", 0) + counts.get("control", 0) + counts.get("replacement", 0)
    grown = counts.get("ideographic_space", 0) - counts.get("crlf", 0)
    assert len(fixed) == len(text) - removed + grown
    assert hygiene.fix_hygiene(fixed) == (fixed, {})


@pytest.mark.parametrize("text, expected", [
    ("", 0.0),
    ("abc", 0.0),
    ("的是在", 1.0),
    ("的是在鑫", 0.75),
    ("〇的", 0.5),  # 〇 is Han to \p{Han} but not a common character
])
def test_plausibility(text, expected):
    assert decode.plausibility(text) == pytest.approx(expected)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "的乾a，\n\u3007\u33ff\u3400\u4d00\u4dbf\u4dc0\u4dff\u9fff\ua000\uf8ff\uf900\ufaff\ufb00\ud800"
    "\U0001ffff\U00020000\U0002ebef\U0002ebf0")))
def test_han_count_by_high_bytes_equals_a_regex_count(text):
    """Block edges, a block shared with non-Han (U+4DC0 hexagrams), astral Han and a lone surrogate."""
    assert han_count(text) == len(re.findall(f"[{HAN}]", text))


@pytest.mark.parametrize("text, expected", [("", False), ("abc", False), ("今天", False), ("今\U00020001", True),
                                            ("\ud800", False)])
def test_has_astral(text, expected):
    assert has_astral(text) is expected


@pytest.mark.parametrize("text, mixed", [
    ("一\n二\n", False), ("一\r\n二\r\n", False), ("一\r二\r", False), ("一\r\n二\n", True), ("一\r二\n", True),
    ("一\r\n二\r", True), ("一二", False),
])
def test_mixed_line_endings_warning_only_for_mixed_endings(text, mixed):
    from speechclean.config import Config
    from speechclean.document import Document

    doc, _ = hygiene.run(Document(text=text), Config())
    assert ("mixed line endings normalised to LF" in doc.warnings) is mixed
