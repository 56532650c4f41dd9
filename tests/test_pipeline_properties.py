"""Invariants of the whole pipeline, over generated dumps (hypothesis).

The alphabet mixes what real dumps mix: Han characters, both widths of
punctuation, digits, Latin letters, masks, spaces, U+3000 and newlines.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speclint_rules import violations
from speechclean import clean_text
from speechclean.pipeline import STAGES
from speechclean.sidecar import load_schema

HAN = "的是在了和有我们这个中国发展年工作要会经济产业园区企业同志讲话推动建设"
PIECES = list(HAN) + list("，。、；：？！“”（）《》,.;:!?()\"'") + list("0123456789%") + [
    "GDP", "5G", "XX", "***", "××", "x", "某某", " ", "  ", "\u3000", "\n", "\n\n", "同志们:", "一、", "（二）",
    "......", "--", "—",
]

dumps = st.lists(st.sampled_from(PIECES), min_size=1, max_size=120).map("".join)
SCHEMA = load_schema()
RELAXED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(dumps)
def test_cleaning_is_idempotent(raw):
    once = clean_text(raw).text
    assert clean_text(once).text == once


@pytest.mark.parametrize("raw", ["***  的", "|  正文内容", "=  正文内容", "-  正文内容", "讲话  ——  正文", "***  同志在会上讲话"])
def test_a_piece_of_marks_is_not_cut_off_into_a_line_the_next_run_removes(raw):
    """Found by the property above: `***  的` became `***` + `的` on lines of their own, and
    the second run removed `***` as a separator line (and a mask lost its sentence)."""
    once = clean_text(raw).text
    assert clean_text(once).text == once
    assert not any(line and not any(ch.isalnum() for ch in line) for line in once.split("\n"))


@pytest.mark.parametrize("raw", ["-- —", "— —", "- -", "*  *  *"])
def test_a_separator_with_spaces_goes_on_the_first_run(raw):
    """Found by the idempotence property: `-- —` was kept, the width stage closed it
    to `--—`, and the second run removed that as a separator."""
    assert clean_text(raw).text == ""


def _chrome_separator_marks() -> str:
    rules = tomllib.loads(resources.files("speechclean.rules").joinpath("chrome.toml").read_text("utf-8"))
    pattern = next(rule["pattern"] for rule in rules["rule"] if rule["id"] == "furniture.separator")
    return re.match(r"\^\[([^\]]+)\]", pattern).group(1).replace("\\", "")


@pytest.mark.parametrize("mark", list(_chrome_separator_marks()))
def test_every_mark_chrome_drops_as_a_separator_stays_with_its_sentence(mark):
    """The rejoiner's list of marks must cover chrome's `furniture.separator` class."""
    once = clean_text(f"{mark}  正文内容").text
    assert clean_text(once).text == once


@RELAXED
@given(dumps)
def test_every_sidecar_validates(raw):
    jsonschema.validate(clean_text(raw).sidecar, SCHEMA)


@RELAXED
@given(dumps)
def test_output_has_the_spec_layout(raw):
    text = clean_text(raw).text
    found = violations(text) if text else {}
    for layout_rule in ("no final newline / extra newlines", "CR line ending", "leading or trailing blanks",
                        "blank line in body", "byte-order mark", "ideographic space"):
        assert layout_rule not in found


def test_every_stage_is_recorded_once_in_order():
    steps = clean_text("同志们:\n今天开会。").sidecar["steps"]
    assert [step["name"] for step in steps] == [stage.NAME for stage in STAGES]


def test_stage_names_are_unique():
    names = [stage.NAME for stage in STAGES]
    assert len(names) == len(set(names))
