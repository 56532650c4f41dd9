"""The CLI in process (click's CliRunner): modes, options, config files, exit codes, docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from speechclean.cli import fix, main

ROOT = Path(__file__).resolve().parent.parent
SPEECH = "在全区工作会议上的讲话\n同志们：\n今天我们召开全区工作会议，总结去年工作，部署今年任务。\n"
TRADITIONAL = "在全區工作會議上的講話\n同志們：\n今天我們召開全區工作會議，總結去年工作，部署今年任務。\n"


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config file of the project leaks in
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return CliRunner()


@pytest.fixture
def dumps(tmp_path) -> Path:
    folder = tmp_path / "dumps"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(SPEECH, encoding="utf-8")
    (folder / "sub" / "b.txt").write_bytes(TRADITIONAL.encode("big5"))
    return folder


def run(runner, *args, **kwargs):
    return runner.invoke(main, ["fix", *map(str, args)], catch_exceptions=False, **kwargs)


def test_every_option_of_fix_is_documented_in_the_readme():
    documented = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [opt for param in fix.params for opt in param.opts if opt.startswith("-") and f"`{opt}" not in documented]
    assert missing == []


def test_help_lists_the_exit_codes(runner):
    result = run(runner, "--help")
    for code in ("0 ", "1 ", "2 ", "123", "130"):
        assert f"  {code}" in result.output


def test_pipe_mode_prints_only_clean_text_on_stdout(runner):
    result = run(runner, "-", input=SPEECH.encode("utf-8"))
    assert result.exit_code == 0
    assert result.stdout == "在全区工作会议上的讲话\n\n同志们：\n今天我们召开全区工作会议，总结去年工作，部署今年任务。\n"
    assert result.stderr == ""


def test_pipe_mode_json_and_sidecar(runner, tmp_path):
    result = run(runner, "-", "--json", "--sidecar", tmp_path / "s.json", input=TRADITIONAL.encode("big5"))
    data = json.loads(result.stdout)
    assert data["sidecar"]["source"]["encoding"] == "big5"
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == data["sidecar"]


def test_pipe_mode_failure_names_stdin_and_exits_123(runner):
    result = run(runner, "-", input=b"%PDF-1.5\n")
    assert result.exit_code == 123
    assert result.stdout == ""
    assert "<stdin>: not a text dump: the bytes are a PDF document" in result.stderr


def test_folder_mode_writes_outputs_and_a_summary(runner, dumps, tmp_path):
    result = run(runner, dumps, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "out" / "sub" / "b.txt").read_text(encoding="utf-8").startswith("在全区工作会议上的讲话")
    assert re.search(r"files cleaned\s+│\s+2", result.stderr)
    assert re.search(r"texts converted from traditional\s+│\s+1", result.stderr)
    rerun = run(runner, dumps, "-o", tmp_path / "out")
    assert re.search(r"files skipped \(up to date\)\s+│\s+2", rerun.stderr)


def test_quiet_prints_errors_only(runner, dumps, tmp_path):
    (dumps / "empty.txt").write_bytes(b"")
    (dumps / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(30))
    result = run(runner, dumps, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 123
    assert result.stderr.splitlines() == [f"speechclean: error: {dumps / 'c.txt'}: not a text dump: the bytes are a PNG image"]


def test_report_to_stdout_has_a_line_per_input_and_a_summary(runner, dumps, tmp_path):
    (dumps / "empty.txt").write_bytes(b"")
    result = run(runner, dumps, "-o", tmp_path / "out", "--report", "-", "-q")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line.get("path"), line.get("status")) for line in lines[:-1]] == [
        (str(dumps / "a.txt"), "cleaned"), (str(dumps / "empty.txt"), "cleaned"), (str(dumps / "sub" / "b.txt"), "cleaned")]
    assert lines[1]["warnings"][0] == "empty file"
    assert lines[-1]["summary"]["cleaned"] == 3 and lines[-1]["summary"]["warned"] == 1
    assert lines[-1]["exit_code"] == 0


def test_check_lists_missing_outputs_writes_nothing_and_exits_1(runner, dumps, tmp_path):
    result = run(runner, dumps, "-o", tmp_path / "out", "--check")
    assert result.exit_code == 1
    assert f"would write {tmp_path / 'out' / 'a.txt'} (missing)" in result.stderr
    assert not (tmp_path / "out").exists()
    run(runner, dumps, "-o", tmp_path / "out")
    assert run(runner, dumps, "-o", tmp_path / "out", "--check").exit_code == 0
    assert run(runner, dumps, "-o", tmp_path / "out", "--check", "--masks", "unify").exit_code == 1


def test_diff_prints_a_unified_diff_on_stdout_and_exits_1(runner, dumps, tmp_path):
    run(runner, dumps, "-o", tmp_path / "out")
    out_a = tmp_path / "out" / "a.txt"
    out_a.write_text("在全区工作会议上的讲话\n\n同志们：\n今天开会。\n", encoding="utf-8")
    result = run(runner, dumps, "-o", tmp_path / "out", "--diff", "-q")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {out_a}\n+++ {out_a} (cleaned)\n")
    assert "-今天开会。\n+今天我们召开全区工作会议，总结去年工作，部署今年任务。\n" in result.stdout
    assert out_a.read_text(encoding="utf-8").endswith("今天开会。\n")  # nothing written


def test_force_redoes_up_to_date_outputs(runner, dumps, tmp_path):
    run(runner, dumps, "-o", tmp_path / "out")
    result = run(runner, dumps, "-o", tmp_path / "out", "--force", "--report", "-", "-q")
    assert {json.loads(line).get("reason") for line in result.stdout.splitlines()[:-1]} == {"forced"}


def test_shards_together_clean_everything_once(runner, dumps, tmp_path):
    for index in range(10):
        (dumps / f"n{index}.txt").write_text(SPEECH, encoding="utf-8")
    reports = [run(runner, dumps, "-o", tmp_path / "out", "--shard", f"{i}/3", "--report", "-", "-q").stdout for i in (1, 2, 3)]
    paths = [json.loads(line)["path"] for report in reports for line in report.splitlines()[:-1]]
    assert sorted(paths) == sorted(str(p) for p in dumps.rglob("*.txt"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["{dumps}"], "give -o/--output DIR"),
        (["{dumps}", "-o", "{tmp}/out", "--check", "--diff"], "--check or --diff, not both"),
        (["{dumps}", "-o", "{tmp}/out", "--shard", "4/3"], "I must be between 1 and N"),
        (["{dumps}", "-o", "{tmp}/out", "--shard", "x"], "is not I/N"),
        (["{dumps}", "-o", "{tmp}/out", "--encoding", "klingon"], "unknown encoding 'klingon'"),
        (["{dumps}", "-o", "{tmp}/out", "--max-size", "lots"], "cannot read size 'lots'"),
        (["{dumps}", "-o", "{tmp}/out", "--rules", "{tmp}/bad.toml"], "is not valid TOML"),
        (["{dumps}", "-o", "{dumps}/a.txt"], "exists and is not a folder"),
        (["{dumps}", "-o", "{dumps}/a.txt/sub"], "cannot write to -o"),
        (["{dumps}", "-o", "{dumps}"], "would overwrite the input"),
        (["{dumps}", "-o", "{dumps}/sub/.."], "would overwrite the input"),
        (["{dumps}/a.txt", "-o", "{dumps}"], "would overwrite the input"),
        (["{tmp}/nothing", "-o", "{tmp}/out"], "no such file or folder"),
        (["{dumps}/a.txt", "--check"], "go with -o/--output"),
        (["-", "-o", "{tmp}/out"], "does not go with -o"),
        (["{dumps}", "-o", "{tmp}/out", "--json"], "not with -o"),
        (["{dumps}", "-o", "{tmp}/out", "--diff", "--report", "-"], "both write to stdout"),
    ],
)
def test_usage_and_configuration_errors_exit_2(runner, dumps, tmp_path, args, message):
    (tmp_path / "bad.toml").write_text("[[rule]\n", encoding="utf-8")
    result = run(runner, *(arg.format(dumps=dumps, tmp=tmp_path) for arg in args))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_config_file_in_the_working_directory_sets_defaults_and_flags_override(runner, dumps, tmp_path):
    (tmp_path / "speechclean.toml").write_text('script = "never"\nmask-token = "某某"\n', encoding="utf-8")
    kept = run(runner, dumps / "sub" / "b.txt")
    assert kept.stdout.startswith("在全區工作會議上的講話")
    converted = run(runner, dumps / "sub" / "b.txt", "--script", "auto")
    assert converted.stdout.startswith("在全区工作会议上的讲话")


def test_pyproject_tool_section_is_read(runner, dumps, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.speechclean]\nmax_size = "10B"\n', encoding="utf-8")
    result = run(runner, dumps / "a.txt")
    assert result.exit_code == 123
    assert "over --max-size 0.0 MB" in result.stderr


def test_config_flag_names_a_file_anywhere_and_resolves_rules_next_to_it(runner, dumps, tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "extra.toml").write_text(
        '[[rule]]\nid = "x-meeting"\nfamily = "test"\ndescription = "drop the greeting"\nscope = "line"\n'
        'pattern = "^同志们：$"\nexample = "同志们："\n', encoding="utf-8")
    (conf / "my.toml").write_text('rules = ["extra.toml"]\n', encoding="utf-8")
    result = run(runner, dumps / "a.txt", "--config", conf / "my.toml", "--json")
    assert "同志们" not in json.loads(result.stdout)["text"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('colour = "red"\n', "unknown key 'colour'"),
        ("jobs = \"two\"\n", "jobs must be an integer"),
        ("fill-gaps = 1\n", "fill-gaps must be true or false"),
        ("disable-rule = [1]\n", "disable-rule must be a list of strings"),
        ("script = \n", "is not valid TOML"),
    ],
)
def test_bad_config_files_exit_2_naming_the_key(runner, dumps, tmp_path, content, message):
    (tmp_path / "speechclean.toml").write_text(content, encoding="utf-8")
    result = run(runner, dumps / "a.txt")
    assert result.exit_code == 2
    assert message in result.stderr and "speechclean.toml" in result.stderr


@pytest.mark.parametrize("rule_id", ["gap.count_at_clause_ends", "page.of_totals", "nav.shops", "x-meeting"])
def test_unknown_disabled_rule_id_is_a_usage_error_naming_it(runner, dumps, rule_id):
    result = run(runner, dumps / "a.txt", "--disable-rule", "mask.asterisks", "--disable-rule", rule_id)
    assert result.exit_code == 2
    assert f"no rule has the id {rule_id}" in result.stderr and "mask.asterisks" not in result.stderr


@pytest.mark.parametrize("rule_id", ["nav.shop", "page.of_total", "page.running_title", "mask.asterisks",
                                     "not.x_word", "gap.count_at_clause_end"])
def test_every_rules_file_id_can_be_disabled(runner, dumps, rule_id):
    result = run(runner, dumps / "a.txt", "--disable-rule", rule_id)
    assert result.exit_code == 0, result.stderr


def test_disabled_rule_id_may_come_from_a_user_rules_file_or_a_config_file(runner, dumps, tmp_path):
    (tmp_path / "extra.toml").write_text(
        '[[rule]]\nid = "x-meeting"\nfamily = "test"\ndescription = "drop the greeting"\nscope = "line"\n'
        'pattern = "^同志们：$"\nexample = "同志们："\n', encoding="utf-8")
    assert run(runner, dumps / "a.txt", "--rules", tmp_path / "extra.toml", "--disable-rule", "x-meeting").exit_code == 0
    (tmp_path / "speechclean.toml").write_text('disable-rule = ["gap.no_such_rule"]\n', encoding="utf-8")
    result = run(runner, dumps / "a.txt")
    assert result.exit_code == 2 and "gap.no_such_rule" in result.stderr


def test_unknown_key_in_pyproject_names_the_table(runner, dumps, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.speechclean]\nline-length = 88\n", encoding="utf-8")
    result = run(runner, dumps / "a.txt")
    assert result.exit_code == 2
    assert "pyproject.toml [tool.speechclean]: unknown key 'line-length'" in result.stderr


def test_no_color_is_honoured(runner, dumps, tmp_path):
    (dumps / "c.txt").write_bytes(b"%PDF-1.5\n")
    coloured = run(runner, dumps, "-o", tmp_path / "o1", env={"FORCE_COLOR": "1"})
    plain = run(runner, dumps, "-o", tmp_path / "o2", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[31m" in coloured.stderr
    assert not re.search(r"\x1b\[(3\d|38;)", plain.stderr)
