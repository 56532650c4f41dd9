"""A reader that closes stdout early (`| head`) stops the run quietly: exit 141, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _run_and_close_early(args: list[str], cwd: Path) -> tuple[int, str]:
    process = subprocess.Popen([sys.executable, "-m", "speechclean", "fix", *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as `head -1` does
    stderr = process.stderr.read().decode("utf-8")
    return process.wait(timeout=120), stderr


def test_a_closed_report_pipe_stops_quietly_with_141(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for number in range(400):
        (dumps / f"{number:03}.txt").write_text(f"同志们：\n今天召开第{number}次会议。\n" * 50, encoding="utf-8")
    code, stderr = _run_and_close_early(["dumps", "-o", "clean", "--report", "-", "-j", "1", "-q"], tmp_path)
    assert code == 141
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert not list((tmp_path / "clean").glob(".*.tmp"))
    for text in (tmp_path / "clean").glob("*.txt"):
        assert text.read_text(encoding="utf-8").endswith("\n")  # whole, never cut

