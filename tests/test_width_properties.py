"""Invariants of the width normaliser (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from speechclean.chars import HAN
from speechclean.stages.width import normalize_width

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FOLD_ALNUM = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FOLD_ALL = {**_FOLD_ALNUM, **{ord(f): ord(h) for f, h in zip("％＋－／＝～＃＆＊＠＿", "%+-/=~#&*@_")}}
_HAN_LETTER_DIGIT = re.compile(f"[{HAN}A-Za-z0-9]")
_MASK = re.compile(r"X{2,}|\*+|×+|某某|○○|□□|_{2,}|\[单位名称\]|【姓名】|(?<![A-Za-z])x(?![A-Za-z])")

HAN_WORDS = ["同志们", "发展", "园区", "年", "月", "中国", "一汽", "大众", "增长", "亿元", "某某", "〇"]
CHINESE_MARKS = list("，。、；：？！“”‘’（）《》【】—…·") + ["——", "……"]
ASCII_BITS = list(",.;:!?()\"'-+/%~[]*_") + ["...", "--", "1,000", "10:30", "3.5%", "2023-02-23"]
LATIN_BITS = ["GDP", "iPhone", "OK", "He said", "don't", "students'", "x", "X", "XX", "a", "5G"]
FULLWIDTH_BITS = list("０１２３４５ＡＢＸａｂｘ％＋＊＿")
SPACE_BITS = [" ", "  ", "\t", "\u3000", "\u00a0", "\n"]
SPECIAL_BITS = ["http://a.cn/x,y", "a.b@c.org", "`f(x), y`", "××", "○○", "□□", "**", "***", "[单位名称]", "【姓名】"]

any_piece = st.sampled_from(HAN_WORDS + CHINESE_MARKS + ASCII_BITS + LATIN_BITS + FULLWIDTH_BITS + SPACE_BITS + SPECIAL_BITS)
mixed_text = st.one_of(
    st.lists(any_piece, max_size=40).map("".join),
    st.text(alphabet="中文,.:;!?()\"' -—…XxＸ１1%＊*、，。“”（）\n\u3000", max_size=60),
)
non_chinese_piece = st.sampled_from(
    [b for b in ASCII_BITS + LATIN_BITS + SPACE_BITS if b] + list("０１２３４５ＡＢＸａｂｘ") + ["××", "○○", "□□", "http://a.cn/x,y"]
)
non_chinese_text = st.one_of(
    st.lists(non_chinese_piece, max_size=40).map("".join),
    st.text(alphabet=st.characters(max_codepoint=0x7F, blacklist_categories=("Cs",)), max_size=60),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text)
@example("同志们... ...")
@example("长子— —中国")
@example("a,(b中)")
@example("a.b@c.org０1,000同志们")
@example(":――")
@example(":．．．")
def test_idempotent(text):
    once, _, _ = normalize_width(text)
    twice, counters, _ = normalize_width(once)
    assert twice == once
    assert not {k for k in counters if not k.startswith("warn_")}


@SETTINGS
@given(mixed_text)
def test_han_letters_and_digits_unchanged_apart_from_width(text):
    out, _, _ = normalize_width(text)
    assert _HAN_LETTER_DIGIT.findall(out) == _HAN_LETTER_DIGIT.findall(text.translate(_FOLD_ALNUM))


@SETTINGS
@given(non_chinese_text)
def test_text_without_chinese_is_only_width_folded(text):
    out, counters, warnings = normalize_width(text)
    assert out == text.translate(_FOLD_ALNUM)
    assert warnings == []


mask = st.sampled_from(["XX", "XXX", "x", "*", "**", "***", "＊＊", "××", "×", "某某", "○○", "□□", "__", "[单位名称]", "【姓名】"])
filler = st.lists(st.sampled_from(CHINESE_MARKS + [",", ":", ";", "!", "?", "(", ")", "\"", "...", "--", " ", "  ", "1", "%", "亿元"]),
                  max_size=4).map("".join)
separator = st.builds(lambda a, mid, b: a + mid + b, st.sampled_from(HAN_WORDS[:-2]), filler, st.sampled_from(HAN_WORDS[:-2]))


@SETTINGS
@given(st.lists(st.tuples(separator, mask), min_size=1, max_size=8), separator)
def test_masks_unchanged_apart_from_width(pairs, tail):
    text = "".join(sep + m for sep, m in pairs) + tail
    out, _, _ = normalize_width(text)
    assert _MASK.findall(out) == _MASK.findall(text.translate(_FOLD_ALL))
