"""batch.py without the CLI: walking, mapping, sharding, resume, atomic writes, safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from speechclean import Config
from speechclean.batch import (
    CHECK, WRITE, Interrupt, Job, Options, PlanError, in_shard, plan, process, run_jobs, stale_reason, write_atomic,
)
from speechclean.report import CLEANED, FAILED, SKIPPED, WOULD_CHANGE

SPEECH = "在全区工作会议上的讲话\n同志们：\n今天我们召开全区工作会议，总结去年工作，部署今年任务。\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def options(out: Path, **changes) -> Options:
    return Options(out_dir=Path(os.path.realpath(out)), **changes)


def test_plan_maps_nested_inputs_to_txt_under_out_and_skips_hidden_and_foreign_suffixes(tmp_path):
    src = tmp_path / "in"
    for name in ("a.txt", "sub/b.html", "sub/deeper/c", ".hidden.txt", ".git/x.txt", "d.pdf", "e.json"):
        write(src / name, SPEECH)
    jobs = plan([str(src)], tmp_path / "out")
    assert [job.key for job in jobs] == ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    assert jobs[1].output == tmp_path / "out" / "sub" / "b.txt"


def test_plan_leaves_an_output_folder_inside_the_input_tree_out_of_the_walk(tmp_path):
    write(tmp_path / "in" / "a.txt", SPEECH)
    write(tmp_path / "in" / "clean" / "a.txt", SPEECH)  # an earlier run's output
    assert [job.key for job in plan([str(tmp_path / "in")], tmp_path / "in" / "clean")] == ["a.txt"]


def test_plan_refuses_an_output_folder_equal_to_the_input_folder(tmp_path):
    write(tmp_path / "in" / "a.html", SPEECH)
    with pytest.raises(PlanError, match="would land in the input folder"):
        plan([str(tmp_path / "in")], tmp_path / "in")


def test_plan_refuses_an_output_that_would_overwrite_an_input(tmp_path):
    source = write(tmp_path / "a.txt", SPEECH)
    with pytest.raises(PlanError, match="would overwrite the input"):
        plan([str(source)], tmp_path)


def test_plan_reports_two_inputs_with_the_same_output_instead_of_overwriting(tmp_path):
    write(tmp_path / "in" / "a.txt", SPEECH)
    write(tmp_path / "in" / "a.html", SPEECH)
    jobs = plan([str(tmp_path / "in")], tmp_path / "out")
    assert [job.problem is None for job in jobs] == [True, False]
    assert "is already the output of" in jobs[1].problem


def test_plan_does_not_follow_symlinked_folders(tmp_path):
    write(tmp_path / "elsewhere" / "x.txt", SPEECH)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(tmp_path / "elsewhere")
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    assert job.skip_reason == "symbolic link to a folder: not followed"


def test_plan_refuses_a_missing_input(tmp_path):
    with pytest.raises(PlanError, match="no such file or folder"):
        plan([str(tmp_path / "nope")], tmp_path / "out")


def test_shards_partition_the_jobs_and_do_not_depend_on_how_the_root_is_spelled(tmp_path):
    for index in range(60):
        write(tmp_path / "in" / f"{index:03d}.txt", SPEECH)
    jobs = plan([str(tmp_path / "in")], tmp_path / "out")
    shards = [[job.key for job in jobs if in_shard(job, i, 4)] for i in range(1, 5)]
    assert sorted(sum(shards, [])) == [job.key for job in jobs]
    assert all(shards)
    spelled_differently = plan([str(tmp_path / "in") + "/./"], tmp_path / "out")
    assert [job.key for job in spelled_differently if in_shard(job, 2, 4)] == shards[1]


def test_write_atomic_leaves_no_temporary_file_behind_even_when_writing_fails(tmp_path):
    target = tmp_path / "out" / "a.txt"
    write_atomic(target, "一\n")
    with pytest.raises(TypeError):
        write_atomic(target, None)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "一\n"
    assert os.listdir(target.parent) == ["a.txt"]


def test_process_writes_text_and_sidecar_then_skips_until_something_changes(tmp_path):
    source = write(tmp_path / "in" / "a.txt", SPEECH)
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    opts = options(tmp_path / "out")
    first = process(job, Config(), opts)
    assert (first.status, first.reason) == (CLEANED, "missing")
    sidecar = json.loads(job.output.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["source"]["path"] == str(source)
    assert process(job, Config(), opts).status == SKIPPED
    assert process(job, Config(), options(tmp_path / "out", force=True)).reason == "forced"
    assert process(job, Config(masks="unify"), opts).reason == "configuration changed"
    assert process(job, Config(), opts).reason == "configuration changed"
    job.output.write_text("edited\n", encoding="utf-8")
    assert process(job, Config(), opts).reason == "output edited since it was written"
    write(source, SPEECH + "散会。\n")
    assert process(job, Config(), opts).reason == "input changed"


def test_stale_reason_treats_a_damaged_sidecar_as_stale(tmp_path):
    write(tmp_path / "a.txt", SPEECH)
    write(tmp_path / "a.json", "{not json")
    assert stale_reason(tmp_path / "a.txt", "0" * 64, "cfg") == "unreadable sidecar"


def test_check_mode_writes_nothing(tmp_path):
    write(tmp_path / "in" / "a.txt", SPEECH)
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    outcome = process(job, Config(), options(tmp_path / "out", mode=CHECK))
    assert (outcome.status, outcome.reason) == (WOULD_CHANGE, "missing")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda p: p.symlink_to(p.parent / "gone.txt"), "broken symbolic link"),
        (lambda p: (p.symlink_to(p.parent / "loop2.txt"), (p.parent / "loop2.txt").symlink_to(p)), "symbolic link loop"),
        (lambda p: os.mkfifo(p), "not a regular file"),
        (lambda p: write(p, b"%PDF-1.4\n"), "not a text dump: the bytes are a PDF document"),
    ],
    ids=["broken-symlink", "symlink-loop", "fifo", "pdf"],
)
def test_bad_inputs_fail_with_a_reason_and_never_raise(tmp_path, make, error):
    (tmp_path / "in").mkdir()
    make(tmp_path / "in" / "bad.txt")
    jobs = [job for job in plan([str(tmp_path / "in")], tmp_path / "out") if job.key == "bad.txt"]
    outcome = process(jobs[0], Config(), options(tmp_path / "out"))
    assert (outcome.status, outcome.error) == (FAILED, error)


def test_inputs_over_max_size_fail_before_they_are_read(tmp_path):
    write(tmp_path / "in" / "big.txt", SPEECH * 10)
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    outcome = process(job, Config(max_size=100), options(tmp_path / "out"))
    assert outcome.status == FAILED and outcome.error.startswith("too large")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_files_fail_with_the_reason(tmp_path):
    source = write(tmp_path / "in" / "a.txt", SPEECH)
    source.chmod(0)
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    assert process(job, Config(), options(tmp_path / "out")).error == "cannot read: Permission denied"


def test_an_output_folder_symlinked_out_of_o_makes_that_file_fail(tmp_path):
    write(tmp_path / "in" / "sub" / "a.txt", SPEECH)
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "elsewhere")
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    outcome = process(job, Config(), options(tmp_path / "out"))
    assert outcome.status == FAILED and "would escape -o" in outcome.error
    assert not list((tmp_path / "elsewhere").iterdir())


def test_names_that_are_not_utf8_are_cleaned_and_recorded_escaped(tmp_path):
    (tmp_path / "in").mkdir()
    raw_name = os.fsencode(tmp_path / "in") + b"/\xd6\xd0\xce\xc4.txt"  # 中文.txt in GBK bytes
    with open(raw_name, "wb") as handle:
        handle.write(SPEECH.encode("utf-8"))
    [job] = plan([str(tmp_path / "in")], tmp_path / "out")
    outcome = process(job, Config(), options(tmp_path / "out"))
    assert outcome.status == CLEANED
    assert outcome.path.endswith("\\xd6\\xd0\\xce\\xc4.txt")
    assert any("not valid UTF-8" in warning for warning in outcome.warnings)
    json.dumps(outcome.to_json()).encode("utf-8")  # printable, JSON-safe
    assert os.path.exists(os.fsencode(tmp_path / "out") + b"/\xd6\xd0\xce\xc4.txt")


def test_outcomes_come_back_in_input_order_whatever_the_number_of_workers(tmp_path):
    for index in range(12):
        write(tmp_path / "in" / f"{index:02d}.txt", SPEECH.replace("今天", f"第{index}天"))
    jobs = plan([str(tmp_path / "in")], tmp_path / "out")
    serial = [o.to_json() for o in run_jobs(jobs, Config(), options(tmp_path / "out", mode=CHECK), 1, Interrupt())]
    parallel = [o.to_json() for o in run_jobs(jobs, Config(), options(tmp_path / "out", mode=CHECK), 3, Interrupt())]
    assert serial == parallel and len(serial) == 12


def test_a_requested_interrupt_stops_before_the_next_file(tmp_path):
    for index in range(5):
        write(tmp_path / "in" / f"{index}.txt", SPEECH)
    jobs = plan([str(tmp_path / "in")], tmp_path / "out")
    interrupt = Interrupt()
    done = []
    for outcome in run_jobs(jobs, Config(), options(tmp_path / "out", mode=WRITE), 1, interrupt):
        done.append(outcome)
        interrupt.requested = len(done) == 2
    assert len(done) == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.json", "0.txt", "1.json", "1.txt"]


def test_job_problem_fails_without_reading(tmp_path):
    job = Job(tmp_path / "missing.txt", tmp_path / "out" / "missing.txt", "missing.txt", problem="collision")
    assert process(job, Config(), options(tmp_path / "out")).error == "collision"
