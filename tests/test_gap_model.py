"""The statistical gap model (on unless `--no-gap-model`): its data, where it may and may not speak, idempotence, CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from speechclean.cli import main
from speechclean.stages.gap_model import RULE_ID, Evidence, context, load_model, padded
from speechclean.stages.placeholders import find_gaps, find_masks, load_rules, mark_placeholders, rule_evidence
from test_placeholders import _TEXTS, _TOKENS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import placeholder_eval  # noqa: E402
import train_gap_model  # noqa: E402

WITH_MODEL = load_rules(gap_model=True)
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def model_gaps(text: str) -> list[tuple[int, str]]:
    masks = find_masks(text, WITH_MODEL, "××")
    return [(g.start, g.confidence) for g in find_gaps(text, WITH_MODEL, masks) if g.rule == RULE_ID]


def test_the_shipped_model_is_what_the_annotated_set_trains():
    assert train_gap_model.MODEL.read_text("utf-8") == train_gap_model.render(
        train_gap_model.count(train_gap_model.training_files()))


def test_the_clean_held_out_sets_were_never_trained_on():
    trained_on = set(json.loads(train_gap_model.MODEL.read_text("utf-8"))["trained_on"])
    assert trained_on and not trained_on & set(placeholder_eval.CLEAN_HELDOUTS)


def test_the_rules_alone_unless_the_model_is_asked_for():
    assert load_rules().gap_model is None
    assert load_rules(frozenset({RULE_ID}), gap_model=True).gap_model is None


@pytest.mark.parametrize("text, expected", [
    ("我们要尊重企业家、服务企业家。", []),      # inside a word the rules file knows
    ("妥善处置各类突发事件。", []),
    ("新增5个项目，增长12%。", []),              # the number is there
    # ... in Chinese, or before 多/余 (all four were model gaps in complete news text)
    ("市政府筹集资金1500多万元，为困难企业解困。", []),
    ("现供热面积已达八百多万平方米。", []),
    ("该部农业生产创利三十余万元。", []),
    ("与XX公司签订协议。", []),                  # within reach of a mask
    ("同志们，大家好！", []),
])
def test_the_model_stays_silent(text, expected):
    assert model_gaps(text) == expected


@pytest.mark.parametrize("text", ["中央调集万余名官兵抗洪。", "培养技术技能人才万余名，其中高级工名。",
                                  "全年上缴税利八百多万元，"])
def test_the_model_never_cuts_a_number_from_its_unit(text):
    """调集‸万余名 may be a deleted count (a low guess), 万余‸名 never is."""
    assert all(text[place - 1] not in "余多" for place, _ in model_gaps(text))


@pytest.mark.parametrize("text", [
    "培养技术技能人才万余名，其中高级工名。",
    "参与签约的企业有家，协议金额亿元。",
])
def test_the_fast_path_scores_as_the_plain_score(text):
    """`GapModel.find` adds the pieces in its own order and skips places the first
    two pieces rule out; what it reports must be what `score` says."""
    model = load_model()
    pad = padded(text)
    found = model_gaps(text)
    assert found
    for place, confidence in found:
        score = model.score(pad, place)
        assert score > model.low
        assert (confidence == "high") == (score > model.high)
        assert len(context(pad, place)) == 9


def test_a_gap_only_the_model_finds_is_reported_with_its_rule():
    # 有‸家 with the count of the firms deleted: the rules leave it, the model finds it
    text = "参与签约的企业有家，协议金额亿元。"
    found = {g.start: g for g in find_gaps(text, WITH_MODEL, find_masks(text, WITH_MODEL, "××"))}
    rules_alone = {g.start for g in find_gaps(text, load_rules(), [])}
    assert set(found) >= rules_alone and 8 in set(found) - rules_alone
    for place, gap in found.items():
        assert (gap.rule == RULE_ID) == (place not in rules_alone)


@settings(max_examples=150, deadline=None)
@given(_TEXTS, _TOKENS)
def test_filling_the_model_gaps_is_idempotent(text, token):
    new, _, _, _ = mark_placeholders(text, WITH_MODEL, token, unify=True, fill_gaps=True)
    again, _, _, _ = mark_placeholders(new, WITH_MODEL, token, unify=True, fill_gaps=True)
    assert again == new
    kept, _, _, _ = mark_placeholders(text, WITH_MODEL, token, fill_gaps=True)
    assert mark_placeholders(kept, WITH_MODEL, token, fill_gaps=True)[0] == kept


def test_the_pipeline_runs_the_model_unless_told_not_to(tmp_path):
    dump = tmp_path / "a.txt"
    dump.write_text("同志们：\n我们要大力培养技术技能人才万余名，其中高级工名。\n", "utf-8")
    runner = CliRunner()
    default = runner.invoke(main, ["fix", str(dump), "-o", str(tmp_path / "default")])
    rules_alone = runner.invoke(main, ["fix", str(dump), "-o", str(tmp_path / "rules"), "--no-gap-model"])
    disabled = runner.invoke(main, ["fix", str(dump), "-o", str(tmp_path / "off"), "--disable-rule", RULE_ID])
    assert default.exit_code == rules_alone.exit_code == disabled.exit_code == 0, default.output

    def rules(folder: str) -> set[str]:
        sidecar = json.loads((tmp_path / folder / "a.json").read_text("utf-8"))
        return {p["rule"] for p in sidecar["placeholders"]}
    assert RULE_ID in rules("default")
    assert RULE_ID not in rules("rules") and RULE_ID not in rules("off")
    assert rules("rules") == rules("off") == rules("default") - {RULE_ID}


# a gap only the model finds (有‸家), and one the rules find (金额‸亿元)
_MODEL_ONLY = "参与签约的企业有家，协议金额亿元。"


def _complete_speech() -> str:
    """A clean sample with masks and no deleted values (the rules find no gap in it)."""
    text = next((SAMPLES / "expected").glob("002_*.txt")).read_text("utf-8")
    assert not [g for g in find_gaps(text, load_rules(), find_masks(text, load_rules(), "××"))
                if g.confidence == "high"]
    return text


def test_in_a_long_complete_speech_the_model_falls_silent():
    """Deleting values is a property of the whole document: one odd sentence in a
    speech of a few thousand complete characters is not evidence enough."""
    assert (8, "high") in model_gaps(_MODEL_ONLY)
    speech = _complete_speech()
    assert model_gaps(speech + "\n" + _MODEL_ONLY) == []


def test_in_a_densely_anonymised_speech_the_model_speaks():
    speech = "\n".join(["全市新增市场主体户，其中企业家，增幅居全省第位。", _MODEL_ONLY,
                      "全年完成固定资产投资亿元，同比增长%。"])
    line_start = speech.index(_MODEL_ONLY)
    assert (line_start + 8, "high") in model_gaps(speech)


@pytest.mark.parametrize("chars, rule_gaps", [(0, 0), (17, 1), (200, 10), (5000, 400)])
def test_a_document_as_dense_in_gaps_as_training_keeps_the_trained_prior(chars, rule_gaps):
    assert load_model().shift(Evidence(chars, rule_gaps)) == 0.0


def test_the_fewer_gaps_the_rules_find_the_surer_the_model_must_be():
    model = load_model()
    shifts = [model.shift(Evidence(5000, found)) for found in (60, 20, 5, 1, 0)]
    assert shifts == sorted(shifts, reverse=True) and shifts[-1] < shifts[0] <= 0.0
    # a longer complete text is stronger evidence than a short one
    assert model.shift(Evidence(20000, 0)) < model.shift(Evidence(2000, 0)) < 0.0


def test_evidence_read_line_by_line_is_what_the_whole_document_gives():
    """The eval reads its sets a line at a time, with the evidence of the speech the line belongs to."""
    speech = _complete_speech() + "\n" + _MODEL_ONLY
    lines = speech.split("\n")
    evidence = rule_evidence(lines, WITH_MODEL)
    assert evidence == Evidence(len(speech), 1)
    whole = model_gaps(speech)
    offset = 0
    by_line = []
    for line in lines:
        masks = find_masks(line, WITH_MODEL, "××")
        by_line += [(offset + g.start, g.confidence) for g in find_gaps(line, WITH_MODEL, masks, evidence)
                    if g.rule == RULE_ID]
        offset += len(line) + 1
    assert by_line == whole


def test_seeds_cleaned_with_the_model_and_filled_gaps_are_idempotent(tmp_path):
    """With --fill-gaps the rules' gaps become tokens, so the second run sees less
    evidence and the model is surer, never bolder: nothing new is found."""
    runner = CliRunner()
    first, second = tmp_path / "first", tmp_path / "second"
    args = ["--masks", "unify", "--fill-gaps"]
    assert runner.invoke(main, ["fix", str(SAMPLES / "dumps"), "-o", str(first), *args]).exit_code == 0
    assert runner.invoke(main, ["fix", str(first), "-o", str(second), *args]).exit_code == 0
    for text in sorted(first.glob("*.txt")):
        assert (second / text.name).read_text("utf-8") == text.read_text("utf-8"), text.name


def test_complete_speeches_train_on_the_numbers_they_lose(tmp_path, monkeypatch):
    """A number a reader would miss is a gap, one nothing shows (增长‸，) is not counted either way."""
    monkeypatch.setattr(train_gap_model, "COMPLETE", tmp_path)
    speech = tmp_path / "speech.txt"
    speech.write_text("# 标题\n新增项目12个，同比增长3.5%，增长7，\n", "utf-8")
    assert list(train_gap_model.examples(speech)) == [("新增项目个，同比增长%，增长，", {4, 10}, {14})]
