"""The real CLI in a subprocess over a generated tree of 200+ mixed files.

The tree is built in a temporary folder from the sample dumps and texts
written here: every encoding we promise, nested folders, CRLF, and every
kind of bad input the batch must survive. One run is shared by several
tests to keep the suite fast.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import DUMPS

SPEECHES = [
    "在全区安全生产工作会议上的讲话\n同志们：\n今天召开全区安全生产工作会议，主要任务是总结去年工作，分析当前形势，部署今年任务。\n"
    "过去一年，全区上下认真落实安全生产责任制，事故总量持续下降，安全形势总体平稳。\n",
    "在乡村振兴工作推进会上的讲话\n同志们：\n这次会议的主要任务是，深入贯彻落实中央和省委、市委关于乡村振兴的部署要求，"
    "总结经验，查找不足，推动各项工作落地见效。\n下面，我讲三点意见。\n",
    "在XX县招商引资工作会议上的讲话\n同志们：\n刚才，***同志通报了全县招商引资工作情况，几个单位作了发言，讲得都很好。\n"
    "招商引资是经济工作的生命线，各级各部门要把这项工作摆在突出位置。\n",
]
TRADITIONAL = (
    "在全市教育工作會議上的講話\n同志們：\n今天我們召開全市教育工作會議，主要任務是總結過去一年的工作，"
    "研究部署今年的重點任務。大家要進一步統一思想，提高認識，切實把各項工作抓緊抓實抓好。\n"
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


#: Bad inputs and the error each must produce (relative path -> error start).
BAD = {
    "bad/report.pdf.txt": "not a text dump: the bytes are a PDF document",
    "bad/notes.txt": "not a text dump: the bytes are a Word document (DOCX)",
    "bad/scan.txt": "not a text dump: the bytes are a PNG image",
    "bad/photo": "not a text dump: the bytes are a JPEG image",
    "bad/noise.txt": "not a text dump:",
    "bad/russian.txt": "cannot decode: not UTF-8",
    "bad/deep/huge.txt": "too large: ",
    "bad/gone.txt": "broken symbolic link",
    "bad/loop.txt": "symbolic link loop",
    "bad/loop2.txt": "symbolic link loop",
    "bad/dup.txt": "output ",  # a.html and a.txt both map to dup.txt; dup.html wins in sorted order
}
WARNED = {"odd/empty.txt": "empty file", "odd/blank.txt": "whitespace-only file",
          "odd/padded.txt": "trailing NUL byte(s) of padding removed", "odd/mixed.txt": "mixed line endings normalised to LF"}
MAX_SIZE = "150KB"


def build_tree(root: Path) -> int:
    """Write the mixed tree under `root`; return the number of inputs."""
    def put(relative: str, data: bytes) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    samples = sorted(DUMPS.iterdir())
    encodings = [
        ("utf8", lambda t: t.encode("utf-8")),
        ("bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("u16le", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
        ("u16be", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("gb18030", lambda t: t.encode("gb18030")),
        ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ]
    count = 0
    for index in range(28):
        sample = samples[index % len(samples)].read_text(encoding="utf-8")
        label, encode = encodings[index % len(encodings)]
        put(f"samples/{index % 4}/{index:03d}_{label}.txt", encode(sample))
        count += 1
    for index in range(150):
        speech = SPEECHES[index % len(SPEECHES)].replace("今天", f"{index + 1}月{index % 28 + 1}日")
        label, encode = encodings[index % len(encodings)]
        if index % 10 == 0:
            label, encode = "gbk", lambda t: t.encode("gbk")
        put(f"speeches/{index % 3}/{index % 5}/{index:03d}_{label}.txt", encode(speech))
        count += 1
    for index in range(20):
        put(f"traditional/{index:02d}_big5.txt", TRADITIONAL.replace("今天", f"第{index + 1}天").encode("big5"))
        count += 1
    put("html/page.html", ("<html><head><meta charset='gbk'></head><body><p>" + SPEECHES[0].replace("\n", "</p><p>")
                           + "</p></body></html>").encode("gbk"))
    count += 1
    put("bad/report.pdf.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    put("bad/notes.txt", _docx())
    put("bad/scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))
    put("bad/photo", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64))
    put("bad/noise.txt", random.Random(1).randbytes(8000))
    put("bad/russian.txt", ("Уважаемые коллеги! Сегодня мы собрались, чтобы обсудить итоги работы за прошедший год "
                            "и наметить задачи на будущее. Мы добились значительных успехов.").encode("cp1251"))
    put("bad/deep/huge.txt", SPEECHES[0].encode("utf-8") * 800)
    (root / "bad" / "gone.txt").symlink_to(root / "bad" / "never-there.txt")
    (root / "bad" / "loop.txt").symlink_to(root / "bad" / "loop2.txt")
    (root / "bad" / "loop2.txt").symlink_to(root / "bad" / "loop.txt")
    put("bad/dup.html", SPEECHES[1].encode("utf-8"))
    put("bad/dup.txt", SPEECHES[2].encode("utf-8"))
    put("bad/image.png", b"\x89PNG\r\n\x1a\n")  # not an input suffix: never read
    count += 12
    put("odd/empty.txt", b"")
    put("odd/blank.txt", " \n\t\n\u3000\n".encode("utf-8"))
    put("odd/padded.txt", SPEECHES[0].encode("utf-8") + bytes(512))
    put("odd/mixed.txt", SPEECHES[1].replace("\n", "\r\n", 1).encode("utf-8"))
    count += 4
    return count


def speechclean(*args, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "speechclean", "fix", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def read_report(path: Path) -> tuple[list[dict], dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines[:-1], lines[-1]


def tree_contents(folder: Path) -> dict[str, bytes]:
    """Every output file, sidecars without their own output path (which names the -o folder)."""
    contents = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".json":
                sidecar = json.loads(data)
                sidecar["output"].pop("path")
                data = json.dumps(sidecar, sort_keys=True).encode("utf-8")
            contents[path.relative_to(folder).as_posix()] = data
    return contents


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The tree, one run over it with -j 2, and that run's results."""
    work = tmp_path_factory.mktemp("tree")
    count = build_tree(work / "dumps")
    result = speechclean("dumps", "-o", "clean", "-j", "2", "--max-size", MAX_SIZE, "--report", "report.jsonl", cwd=work)
    return work, count, result


def test_tree_has_at_least_200_inputs(tree):
    _, count, _ = tree
    assert count >= 200


def test_bad_files_fail_by_name_and_the_rest_are_written(tree):
    work, count, result = tree
    assert result.returncode == 123, result.stderr
    assert result.stdout == ""
    lines, summary = read_report(work / "report.jsonl")
    assert len(lines) == count
    failed = {line["path"].removeprefix("dumps/"): line["error"] for line in lines if line["status"] == "failed"}
    assert sorted(failed) == sorted(BAD)
    for relative, error in BAD.items():
        assert failed[relative].startswith(error), (relative, failed[relative])
        assert f"speechclean: error: dumps/{relative}: {failed[relative]}" in result.stderr
    cleaned = [line for line in lines if line["status"] == "cleaned"]
    assert len(cleaned) == count - len(BAD)
    for line in cleaned:
        assert Path(work / line["output"]).is_file() and Path(work / line["output"]).with_suffix(".json").is_file()
    assert summary["summary"]["failed"] == len(BAD) and summary["exit_code"] == 123


def test_warnings_reach_report_and_stderr(tree):
    work, _, result = tree
    lines, _ = read_report(work / "report.jsonl")
    by_path = {line["path"].removeprefix("dumps/"): line for line in lines}
    for relative, warning in WARNED.items():
        assert any(warning in w for w in by_path[relative]["warnings"]), relative
        assert f"speechclean: warning: dumps/{relative}: " in result.stderr


def test_every_encoding_is_decoded_as_itself(tree):
    work, _, _ = tree
    seen = {}
    for sidecar in (work / "clean").rglob("*.json"):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        label = Path(data["source"]["path"]).stem.split("_")[-1]
        seen.setdefault(label, set()).add(data["source"]["encoding"])
    assert seen["utf8"] == seen["crlf"] == {"utf-8"}
    assert seen["bom"] == {"utf-8"} and seen["u16le"] == {"utf-16-le"} and seen["u16be"] == {"utf-16-be"}
    assert seen["gb18030"] == seen["gbk"] == {"gb18030"}
    assert seen["big5"] == {"big5"}


def test_summary_table_counts_the_run(tree):
    work, count, result = tree
    _, summary = read_report(work / "report.jsonl")
    figures = summary["summary"]
    assert figures["files"] == count and figures["converted"] == 20
    assert figures["chars_in"] > figures["chars_out"] > 0 and figures["masks"] > 0 and figures["lines_removed"] > 0
    for label, value in (("files cleaned", figures["cleaned"]), ("files failed", len(BAD)),
                         ("texts converted from traditional", 20), ("characters out", figures["chars_out"])):
        assert any(label in row and f"{value:,}" in row for row in result.stderr.splitlines()), label
    assert "\x1b[" not in result.stderr  # NO_COLOR, and no progress bar off a terminal


def test_rerun_skips_finished_work_and_writes_nothing(tree):
    work, count, _ = tree
    before = {p: p.stat().st_mtime_ns for p in (work / "clean").rglob("*")}
    result = speechclean("dumps", "-o", "clean", "-j", "2", "--max-size", MAX_SIZE, "--report", "rerun.jsonl", "-q", cwd=work)
    assert result.returncode == 123
    _, summary = read_report(work / "rerun.jsonl")
    assert summary["summary"]["skipped"] == count - len(BAD) and summary["summary"]["cleaned"] == 0
    assert {p: p.stat().st_mtime_ns for p in (work / "clean").rglob("*")} == before


def test_output_is_identical_whatever_the_number_of_jobs(tree):
    work, _, _ = tree
    speechclean("dumps", "-o", "clean-j1", "-j", "1", "--max-size", MAX_SIZE, "-q", cwd=work)
    assert tree_contents(work / "clean-j1") == tree_contents(work / "clean")


def test_check_and_diff_on_the_tree(tree):
    work, _, _ = tree
    good = ["dumps/speeches", "dumps/samples", "dumps/traditional"]
    assert speechclean(*good, "-o", "clean-check", "--check", "-q", cwd=work).returncode == 1
    assert speechclean(*good, "-o", "clean-check", "-q", cwd=work).returncode == 0
    assert speechclean(*good, "-o", "clean-check", "--check", cwd=work).returncode == 0
    target = work / "clean-check" / "0" / "000_utf8.txt"
    target.unlink()
    check = speechclean(*good, "-o", "clean-check", "--check", cwd=work)
    assert check.returncode == 1 and "would write clean-check/0/000_utf8.txt (missing)" in check.stderr
    diff = speechclean(*good, "-o", "clean-check", "--diff", "-q", cwd=work)
    assert diff.returncode == 1 and diff.stdout.startswith("--- /dev/null\n+++ clean-check/0/000_utf8.txt (cleaned)\n")
    assert not target.exists()


def test_sigint_leaves_whole_files_and_a_rerun_matches_an_uninterrupted_run(tmp_path):
    many = tmp_path / "many"
    for index in range(400):
        folder = many / f"{index % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        speech = SPEECHES[index % 3].replace("今天", f"{index}日") * 10
        (folder / f"{index:04d}.txt").write_text(speech, encoding="utf-8")
    reference = speechclean("many", "-o", "reference", "-j", "1", "-q", cwd=tmp_path)
    assert reference.returncode == 0
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "speechclean", "fix", "many", "-o", "out", "-j", "1", "--report", "r.jsonl"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    report = tmp_path / "r.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not report.exists() or report.read_text().count("\n") < 40):
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted after" in stderr and stdout == ""
    lines, summary = read_report(report)
    assert summary["summary"]["interrupted"] is True and summary["exit_code"] == 130
    assert 40 <= len(lines) < 400
    written = list((tmp_path / "out").rglob("*"))
    assert not [p for p in written if p.name.startswith(".") or p.suffix == ".tmp"]
    texts = [p for p in written if p.suffix == ".txt"]
    assert len(texts) == len(lines) == len([p for p in written if p.suffix == ".json"])
    reference_contents = tree_contents(tmp_path / "reference")
    for text in texts:  # every file written before the interrupt is whole
        relative = text.relative_to(tmp_path / "out").as_posix()
        assert text.read_bytes() == reference_contents[relative]
    rerun = speechclean("many", "-o", "out", "-j", "2", "--report", "r2.jsonl", "-q", cwd=tmp_path)
    assert rerun.returncode == 0
    _, rerun_summary = read_report(tmp_path / "r2.jsonl")
    assert rerun_summary["summary"]["skipped"] == len(lines)
    assert rerun_summary["summary"]["cleaned"] == 400 - len(lines)
    assert tree_contents(tmp_path / "out") == reference_contents
