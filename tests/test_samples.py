"""End to end over the sample dumps: goldens, the spec, the schema, idempotence."""

from __future__ import annotations

import json

import jsonschema
import pytest
import regex

from golden import clean_sample, expected_paths, stable_sidecar
from speclint_rules import violations
from speechclean import clean_text
from speechclean.sidecar import load_schema


def test_text_matches_golden(sample_name):
    text_path, _ = expected_paths(sample_name)
    assert clean_sample(sample_name).text == text_path.read_text(encoding="utf-8")


def test_sidecar_matches_golden(sample_name):
    _, json_path = expected_paths(sample_name)
    expected = json.loads(json_path.read_text(encoding="utf-8"))
    assert stable_sidecar(clean_sample(sample_name).sidecar) == expected


def test_output_meets_the_spec(sample_name):
    assert violations(clean_sample(sample_name).text) == {}


def test_sidecar_validates_against_shipped_schema(sample_name):
    jsonschema.validate(clean_sample(sample_name).sidecar, load_schema())


def test_cleaning_twice_changes_nothing(sample_name):
    once = clean_sample(sample_name).text
    assert clean_text(once).text == once


def test_placeholder_offsets_point_into_the_clean_text(sample_name):
    result = clean_sample(sample_name)
    for item in result.sidecar["placeholders"]:
        assert result.text[item["start"]:item["end"]] == item["text"]


def _paragraphs_without_masks(text: str) -> list[str]:
    """Paragraphs with masks and punctuation width folded, for comparing twins."""
    lines = [line for line in text.split("\n") if line]
    return [regex.sub(r"[X*×x]+", "▢", line) for line in lines]


def test_seed_000_reads_like_its_clean_twin_001():
    dirty = _paragraphs_without_masks(clean_sample("000_403905cb824b750d.txt").text)
    clean = _paragraphs_without_masks(clean_sample("001_d33a3e94cfc4a8bb.txt").text)
    # 000 is a cut preview: every paragraph but its last must equal 001's,
    # and its last must be the start of the matching paragraph of 001.
    assert dirty[:-1] == clean[: len(dirty) - 1]
    assert clean[len(dirty) - 1].startswith(dirty[-1])


def test_warning_offsets_point_into_the_text_as_written():
    # The width stage reports an unpairable quote by offset; the title's blank
    # line must already be in place when it does, or the offset is one short.
    result = clean_text('在全市工作会议上的讲话\n\n我们要抓好各项工作。他说"好。\n')
    (warning,) = [w for w in result.sidecar["warnings"] if "unpairable quote" in w]
    offset = int(regex.search(r"at offset (\d+)", warning).group(1))
    assert result.text[offset] == '"'
