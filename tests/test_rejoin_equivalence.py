"""The faster rejoin stage gives exactly what the stage gave before the speed work.

`rejoin_reference.py` is the stage as it was (commit c6c2252). Both run on the
samples, on texts re-wrapped the ways the benchmark wraps them, and on
generated texts mixing the shapes the boundary rules read (headings,
salutations, titles, Latin words and hyphens, masks, indents, furniture).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from speechclean.stages import rejoin as stage

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rejoin_reference as reference  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _same(text: str) -> None:
    new = stage.rejoin(text, stage.furniture_rules())
    old = reference.rejoin(text, reference.furniture_rules())
    assert new == old


def _wrap(text: str, width: int, separator: str, indent: str) -> str:
    lines = []
    for paragraph in text.split("\n"):
        paragraph = indent + paragraph
        lines += [paragraph[i:i + width] for i in range(0, len(paragraph), width)]
    return separator.join(lines)


def test_the_samples_and_their_rewraps_come_out_as_before():
    for path in sorted((ROOT / "samples" / "dumps").iterdir()):
        text = path.read_bytes().decode("utf-8", "replace")
        _same(text)
        for width in (14, 17, 20, 23):
            for separator in ("\n", " ", "\r\n"):
                _same(_wrap(text, width, separator, ""))
                _same(_wrap(text, width, separator, "\u3000\u3000"))


_SHAPES = ["过去一年，我们坚持稳中求进工作总基调，", "经济运行总体平稳。", "XX项目完成投资12亿元；", "一、总体要求",
           "（二）城乡面貌持续改善。实施", "第一，", "1.", "2、加强", "同志们：", "各位代表，", "尊敬的各位来宾：",
           "在全市工作会议上的讲话", "推进Smart City建设，", "inter-", "national", "“五个一”", "……", "×××",
           "3/7", "- 3 -", "第 2 页 共 9 页", "Page 2 of 3", "12", "——", "(", ")", ",", ":", "abc", "2023", "。”",
           "重点抓好以下工作：", "——主持词", "-", "页", "共"]


@settings(max_examples=250, deadline=None)
@given(st.lists(st.sampled_from(_SHAPES), min_size=1, max_size=40),
       st.lists(st.sampled_from(["", "", "", "\n", " ", "\n\n", "\n\u3000\u3000", "\n  ", "  ", "\t"]),
                min_size=40, max_size=40),
       st.sampled_from([None, 8, 11, 14, 17, 20, 26]))
def test_generated_texts_come_out_as_before(shapes, separators, width):
    text = "".join(shape + separator for shape, separator in zip(shapes, separators))
    if width:
        _same(_wrap(text, width, "\n", ""))
        _same(_wrap(text, width, " ", ""))
    _same(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\u3000", "第 2 页 共 3 页", " - 4 -", "3/7", "Page 2 of 3", "第2页", "12",
                                 "第", "3 页", "共 3", "x 3/5", "全年增长 3/5 左右", "文 -5- 字", "\t5\t", "p 3",
                                 "在全市数字经济发展推进会上的讲话", "一 页\u30002/3\u3000", "\xa03/4"]), max_size=14))
def test_page_furniture_is_found_as_before(lines):
    text = "\n".join(lines)
    assert stage.strip_furniture(text, stage.furniture_rules()) == \
        reference.strip_furniture(text, reference.furniture_rules())


def test_the_inline_scan_knows_every_character_an_inline_match_can_begin_with():
    """The scan's first characters, found among likely ones, are all there are (checked on every character)."""
    import regex

    rules = stage.furniture_rules().rules
    body = regex.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in rules if rule.inline is not None))
    firsts = {chr(code) for code in range(0x110000) if body.fullmatch(chr(code), partial=True)}
    scan = stage.furniture_rules().inline_scan
    assert {c for c in firsts if scan.line_start.fullmatch("\n" + c)} == firsts
    assert not scan.line_start.fullmatch("\n中")


# Pieces of prose for texts the wrapped path takes: most lines full and mid-sentence, with the
# boundaries `_block_paragraphs` visits (short lines, sentence ends, indents, headings near,
# salutations at a line end or the next, Latin letters, digits and hyphens meeting at a wrap).
_PROSE = ["我们坚持稳中求进工作总基调", "统筹发展和安全", "全力以赴稳存量、拓增量、补链条", "，", ",", "。", "；", "：",
          "同志们：", "各位代表，", "尊敬的各位来宾：", "朋友们！", "一、", "（二）", "3.", "第一，", "Smart City", "inter-",
          "national", "2023", "12.5%", "XX", "×××", "“三电”", "……", "——", "A", "b", "-", "亲爱的同学们，"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PROSE), min_size=8, max_size=60),
       st.lists(st.sampled_from(["", "", "", "", "", "", "\n", "\n\u3000\u3000", "\n\n"]), min_size=60, max_size=60),
       st.sampled_from([12, 16, 20, 27, 33]), st.sampled_from(["\n", " ", "\n  "]))
def test_wrapped_texts_come_out_as_before(pieces, separators, width, line_break):
    """The boundaries `_block_paragraphs` skips are exactly the plain wraps the old code joined with nothing."""
    text = "".join(piece + separator for piece, separator in zip(pieces, separators))
    _same(_wrap(text, width, line_break, ""))
    _same(_wrap(text, width, line_break, "\u3000\u3000"))


# Lines for the boundary rules themselves: speech titles (whole or split before their last
# character), salutations ending in a colon or not, headings, lead-ins ending in a colon,
# Latin ends and hyphens (one character long too), separator marks, sentence ends; plain
# prose weighs most, so that most boundaries are not near a heading.
_BOUNDARY_LINES = ["在全市工作会议上的讲话", "在全市工作会议上的讲", "话", "主持词", "同志们：", "各位代表，", "尊敬的各位来宾：",
                   "朋友们！", "一、总体要求", "（二）城乡面貌持续改善", "3.加强", "第一，", "重点抓好以下工作：",
                   "XX项目完成投资12亿元；", "inter-", "national", "a", "-", "b-", "——", "***", "。”", "Smart",
                   "2023"] + ["经济运行总体平稳。", "我们坚持稳中求进工作总基调", "统筹发展和安全，"] * 4


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_BOUNDARY_LINES), st.integers(-9, 3), st.integers(0, 2), st.integers(1, 8),
                          st.sampled_from([True, True, True, False]), st.sampled_from([False] * 4 + [True])),
                min_size=2, max_size=14),
       st.sampled_from([(20, 20), (20, 16), (24, 20), (30, 26), (16, 12)]), st.booleans(), st.integers(0, 3))
# A wrap hyphen alone on its line: the join reads the line before it (`Smart-` + `national`).
@example([("Smart", 0, 0, 2, True, False), ("-", -9, 0, 2, True, False), ("national", 0, 0, 2, True, False)],
         (20, 20), False, 0)
def test_block_boundaries_are_decided_as_breaks_wrapped_decides_them(lines, layout, first_block, before):
    """`_block_paragraphs` (most boundaries decided over the lists) against the old loop that asks
    `_breaks_wrapped` at every boundary, on lines of any width near the wrap width, any layout
    (a first-line width below the width: indents lost), the first block or not, after a block
    of `before` headings (the block's lines are not the text's first)."""
    width, first = layout
    texts = ["一、总体要求"] * before + [text for text, *_ in lines]
    widths = [width] * before + [width + offset for _, offset, *_ in lines]
    doubts = [0] * before + [doubt for _, _, doubt, *_ in lines]
    units = [2] * before + [unit for *_, unit, _, _ in lines]
    newline = [True] * before + [True] + [newline for *_, newline, _ in lines[1:]]
    indented = [False] * before + [indent for *_, indent in lines]
    size, sizes = len(texts), [before, len(lines)] if before else [len(lines)]
    block_end = [index == before - 1 for index in range(before)] + [False] * (len(lines) - 1) + [True]
    pieces = stage._Measured(stage._Lines(texts, newline, indented, sizes), (widths, [0] * size, [0] * size),
                             block_end, stage._facts(texts))
    counters_new, counters_old = Counter(), Counter()
    new = stage._block_paragraphs(pieces, before, size, (widths, doubts, units), stage.Layout(width, first),
                                  counters_new, first_block)
    segments = [reference.Segment(text, line_newline, indent, None, None, w, d, u)
                for text, line_newline, indent, w, d, u in zip(texts, newline, indented, widths, doubts, units)]
    old = reference._paragraphs(segments[before:], reference.Layout(width, first), counters_old, first_block)
    assert (new, counters_new) == ("\n".join(old), counters_old)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list(" \t\u3000中文，。“”（）()[]ab1-*|,:;!?)") + ["𠀀", "\n"]), max_size=16))
def test_pieces_the_break_scan_passes_over_hold_no_break_and_no_space_run(text):
    """`_pieces` skips cleaning its pieces when `_MAY_BREAK` finds nothing there: cleaning would change nothing."""
    if not stage._MAY_BREAK.search(text):
        assert stage._OTHER_SPACE.sub(" ", stage._BREAK.sub("", text)) == text
