"""The fast width stage gives exactly what the straightforward one gave.

`width_reference` is the stage as it was before the speed work; the fast
one guards and merges its passes, so every input must give the same text,
counters and warnings (offsets included).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import width_reference
from conftest import DUMPS, EXPECTED
from speechclean.stages.width import normalize_width
from width_table import load_cases

# Pieces chosen to hit every pass and every guard: ASCII marks and their
# number-internal uses, quotes and apostrophes, parentheses in both widths,
# dots and dashes of every length, spaces of every kind, full-width forms,
# masks, protected spans and line breaks.
PIECES = [
    "中", "国", "同志们", "发展", "年", "〇", "々", "北京", "上海", "等", "和",
    "，", "。", "、", "；", "：", "？", "！", "“", "”", "‘", "’", "（", "）", "《", "》", "—", "――", "……", "…", "。。。",
    ",", ";", ":", "!", "?", "(", ")", "\"", "'", ".", "..", "...", "-", "--", "---", "/", "%", "‰", "+", "~", "[", "]",
    "1", "23", "1,000", "10:30", "3.5%", "2023-02-23", "1-11月",
    "a", "GDP", "don't", "He said", "OK", "x", "X", "XX", "*", "**", "×", "○", "□", "_",
    " ", "  ", "\t", "\u3000", "\u00a0", "\u2002", "\n", "\n\n",
    "１２", "Ａ", "ｘ", "％", "＋", "＊", "＿", "＠", "．", "．．．", "３．５",
    "http://a.cn/x,y", "www.gov.cn", "a.b@c.org", "`f(x), y`", "\U00100001",
]
piece_text = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
# Without `--` the stage converts every mark beside CJK in bulk; keep that path well fed.
dashless_text = st.lists(st.sampled_from([p for p in PIECES if "-" not in p]), max_size=60).map("".join)
char_text = st.text(alphabet="中文国,.:;!?()\"'-—―… \u3000\nXx*1%，。（）“”‘’．Ａ１＊`@", max_size=80)


def _same(text: str) -> None:
    """Same text, same warnings, same counters in the same order (the sidecar keeps it)."""
    fast_text, fast_counters, fast_warnings = normalize_width(text)
    ref_text, ref_counters, ref_warnings = width_reference.normalize_width(text)
    assert (fast_text, list(fast_counters.items()), fast_warnings) == (ref_text, list(ref_counters.items()), ref_warnings)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(piece_text, dashless_text, char_text))
@example("a,(b中)")
@example("中,--国")
@example("中--,国")
@example("中X;,国...a")
@example("中,,  1")
@example("北京,上海,广州等...同志们...\"好")
@example("(中\n)国")
@example("“中\n\"国\"")
def test_same_as_reference_on_generated_text(text):
    _same(text)


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case.id)
def test_same_as_reference_on_the_table(case):
    _same(case.raw)
    _same(case.expected)


def test_same_as_reference_on_the_samples():
    for folder in (DUMPS, EXPECTED):
        for path in sorted(folder.iterdir()):
            if path.suffix == ".txt" or folder is DUMPS:
                _same(path.read_bytes().decode("utf-8", errors="replace"))


# Inputs whose cost grew faster than their size before (warnings mapped
# through every length-changing edit one by one), or could: long runs of
# one mark, one character a line, a warning per few characters.
ADVERSARIAL_UNITS = ["北京,上海,广州等...", "中\"", "(", "中(x)", "1,", "中--国", "中—", "中\n", "X", " ", "。", "...", ","]


@pytest.mark.parametrize("unit", ADVERSARIAL_UNITS)
def test_same_as_reference_on_repeated_units(unit):
    _same(unit * 300)


@pytest.mark.parametrize("unit", ADVERSARIAL_UNITS)
def test_large_adversarial_input_is_linear(unit):
    """1 MB of one unit: a quadratic cost took a minute here, a linear one well under a second."""
    text = unit * (1_000_000 // len(unit.encode()))
    started = time.process_time()
    normalize_width(text)
    assert time.process_time() - started < 10


PROTECT_PIECES = ["中", "a", ".", "@", "a.b@c.org", "x@y", "`", "`f(x)`", "http://a.cn/x,y", "://", "www.gov.cn", "www.",
                  "\U00100001", "\n", " ", "_", "-"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PROTECT_PIECES), max_size=30).map("".join))
def test_protect_line_by_line_equals_one_pass_over_the_text(text):
    """Protection runs only on lines holding a hint; the spans and sentinels are those of one whole-text pass."""
    from speechclean.stages import width

    spans: list[str] = []

    def swap(m):
        spans.append(m.group())
        return chr(width._SENTINEL_BASE + len(spans) - 1)

    rare = set(width._patterns()["rare"].findall(text))
    whole = width._patterns()["protected"].sub(swap, text)
    assert width._protect(text, rare) == (whole, spans)
