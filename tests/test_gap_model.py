"""The statistical gap model (`--gap-model`): its data, where it may and may not speak, idempotence, CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from speechclean.cli import main
from speechclean.stages.gap_model import RULE_ID, context, load_model, padded
from speechclean.stages.placeholders import find_gaps, find_masks, load_rules, mark_placeholders
from test_placeholders import _TEXTS, _TOKENS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import placeholder_eval  # noqa: E402
import train_gap_model  # noqa: E402

WITH_MODEL = load_rules(gap_model=True)


def model_gaps(text: str) -> list[tuple[int, str]]:
    masks = find_masks(text, WITH_MODEL, "××")
    return [(g.start, g.confidence) for g in find_gaps(text, WITH_MODEL, masks) if g.rule == RULE_ID]


def test_the_shipped_model_is_what_the_annotated_set_trains():
    assert train_gap_model.MODEL.read_text("utf-8") == train_gap_model.render(
        train_gap_model.count(train_gap_model.training_files()))


def test_the_clean_held_out_sets_were_never_trained_on():
    trained_on = set(json.loads(train_gap_model.MODEL.read_text("utf-8"))["trained_on"])
    assert trained_on and not trained_on & set(placeholder_eval.CLEAN_HELDOUTS)


def test_the_model_is_off_unless_asked_for():
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


def test_the_cli_flag_adds_model_gaps_to_the_sidecar(tmp_path):
    dump = tmp_path / "a.txt"
    dump.write_text("同志们：\n我们要大力培养技术技能人才万余名，其中高级工名。\n", "utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["fix", str(dump), "-o", str(tmp_path / "plain")])
    modelled = runner.invoke(main, ["fix", str(dump), "-o", str(tmp_path / "model"), "--gap-model"])
    disabled = runner.invoke(main, ["fix", str(dump), "-o", str(tmp_path / "off"), "--gap-model",
                                    "--disable-rule", RULE_ID])
    assert plain.exit_code == modelled.exit_code == disabled.exit_code == 0, modelled.output

    def rules(folder: str) -> set[str]:
        sidecar = json.loads((tmp_path / folder / "a.json").read_text("utf-8"))
        return {p["rule"] for p in sidecar["placeholders"]}
    assert RULE_ID not in rules("plain") and RULE_ID not in rules("off")
    assert RULE_ID in rules("model")


def test_complete_speeches_train_on_the_numbers_they_lose(tmp_path, monkeypatch):
    """A number a reader would miss is a gap, one nothing shows (增长‸，) is not counted either way."""
    monkeypatch.setattr(train_gap_model, "COMPLETE", tmp_path)
    speech = tmp_path / "speech.txt"
    speech.write_text("# 标题\n新增项目12个，同比增长3.5%，增长7，\n", "utf-8")
    assert list(train_gap_model.examples(speech)) == [("新增项目个，同比增长%，增长，", {4, 10}, {14})]
