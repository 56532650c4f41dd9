"""The width normaliser against its case table, plus its records (counters, warnings)."""

from __future__ import annotations

import pytest

from speechclean.config import Config
from speechclean.document import Document
from speechclean.stages import width
from speechclean.stages.width import normalize_width
from width_table import load_cases

CASES = load_cases()


def _warning_kinds(warnings: list[str]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for warning in warnings:
        kind = "enum" if "comma between short items" in warning else "quote" if "unpairable quote" in warning else warning
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_the_table_is_big_and_covers_every_kind():
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 200
    assert {"fold", "nofold", "punct", "number", "paren", "quote", "ellipsis", "dash", "space",
            "english", "url", "email", "file", "code", "mask", "warn", "seed", "keep"} <= kinds


def test_keep_rows_really_expect_no_change():
    assert all(case.raw == case.expected for case in CASES if case.kind == "keep")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case):
    text, _, warnings = normalize_width(case.raw)
    assert text == case.expected
    assert _warning_kinds(warnings) == case.warnings


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_output_is_a_fixed_point(case):
    text, counters, warnings = normalize_width(case.expected)
    assert text == case.expected
    assert {k: v for k, v in counters.items() if not k.startswith("warn_")} == {}


def test_counters_name_each_kind_of_change():
    raw = "２０２３年＊＊,同志们 :\"新布局\"(一)等等...长子--中国 增长 5 %  iPhone  15\n北京,上海,广州等"
    _, counters, _ = normalize_width(raw)
    assert counters == {
        "fullwidth_alnum": 4,
        "fullwidth_symbols": 2,
        "punct": 4,
        "quotes": 2,
        "parens": 2,
        "ellipsis": 1,
        "dash": 1,
        "spaces_removed": 4,
        "spaces_collapsed": 2,
        "warn_enumeration_comma": 2,
    }


@pytest.mark.parametrize("raw", [
    "北京,上海,广州等城市",
    "前言......很长 的 一段话 ，然后 北京,上海,广州等城市",
    "访问http://a.cn/x,y 后,北京,上海,广州等 ...",
    "他说\"好\"。\n 第二段 ,钢铁,煤炭等行业",
])
def test_enumeration_warning_offsets_point_at_the_comma_in_the_output(raw):
    text, _, warnings = normalize_width(raw)
    offsets = [int(w.split("offset ")[1].split(" ")[0]) for w in warnings]
    assert offsets
    assert all(text[offset] == "，" for offset in offsets)


@pytest.mark.parametrize("raw", [
    "他说\"好",
    "等等...... 很长 的 话 ，他说\"好",
    "访问http://a.cn/x,y 后 他说\"好",
])
def test_unpairable_quote_offsets_point_at_the_quote_in_the_output(raw):
    text, _, warnings = normalize_width(raw)
    offsets = [int(w.split("offset ")[1].split(" ")[0]) for w in warnings]
    assert len(offsets) == 1
    assert text[offsets[0]] == '"'


def test_whole_fullwidth_block_is_not_folded():
    chinese_marks = "，：；！？（）．"
    text, _, _ = normalize_width(f"中{chinese_marks}文")
    assert text == f"中{chinese_marks}文"


def test_protected_spans_survive_even_with_private_use_characters_in_the_text():
    raw = "甲\U00100000乙 http://a.cn/x,y 丙\U0010FFFD"
    text, _, _ = normalize_width(raw)
    assert text == "甲\U00100000乙http://a.cn/x,y丙\U0010FFFD"


def test_run_records_counters_and_warnings_on_the_document():
    doc = Document(text="北京,上海,广州等城市:\n他说\"好")
    new, counters = width.run(doc, Config())
    assert new.text == "北京，上海，广州等城市：\n他说\"好"
    assert counters["punct"] == 3
    assert len(new.warnings) == 3


def test_long_runs_stay_linear():
    """Long runs of masks, spaces, dots and marks finish quickly (no backtracking blow-up)."""
    raw = "中" + "X" * 20000 + " " * 20000 + "." * 20000 + ",(" * 5000 + "\"" * 5001 + "a" * 20000
    text, _, _ = normalize_width(raw)
    assert text.startswith("中" + "X" * 20000)
