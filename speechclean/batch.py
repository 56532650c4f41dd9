"""Walk inputs, map them to outputs, clean each file in a process pool, write atomically.

Kept apart from the CLI so that a script (or a test) can run a batch without
click, and from the pipeline so that the pipeline never touches the disk.

Safety rules, each enforced here:
- inputs are only read; an output that would overwrite an input, or land in
  an input folder where the next run would read it again, is a usage error;
- an `-o` folder inside an input folder is left out of the walk;
- every output stays inside `-o`: a symlinked folder under `-o` that points
  elsewhere makes that file fail;
- the text and then its sidecar are each written to a temporary file and
  renamed into place, so no reader (and no rerun) ever sees half a file;
  the sidecar, written last, marks the pair complete;
- a file whose sidecar records the same input sha256, tool version and
  configuration hash, and whose text still has the recorded sha256, is
  skipped (resume); `force` redoes it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import signal
import stat
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__, clean_bytes
from .config import Config
from .report import CLEANED, FAILED, SKIPPED, WOULD_CHANGE, FileOutcome
from .sidecar import dumps
from .stages.decode import DecodeError, check_size

INPUT_SUFFIXES = (".txt", ".text", ".htm", ".html")
WRITE, CHECK, DIFF = "write", "check", "diff"


class PlanError(ValueError):
    """The inputs and -o cannot be run safely together (a usage error, exit 2)."""


@dataclass(frozen=True)
class Job:
    """One input and where its output goes; `problem` fails it before it is read."""

    source: Path
    output: Path
    key: str  # output path relative to -o: the shard key, the same however the input is spelled
    problem: str | None = None
    skip_reason: str | None = None

    @property
    def name(self) -> str:
        return display(self.source)


@dataclass(frozen=True)
class Options:
    """How each job runs: mode (write, check, diff), force, and the real -o folder."""

    out_dir: Path
    mode: str = WRITE
    force: bool = False


def display(path: Path | str) -> str:
    """A path as text that can be printed and put into JSON, even if its bytes are not UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _is_inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk(root: Path, exclude: str) -> Iterator[tuple[Path, str | None]]:
    """Input files under `root`, sorted; symlinked folders come back with a skip reason.

    Hidden files and folders are left out, and so is the folder `exclude`
    (the real path of -o). Files with a dump suffix or with no suffix are
    inputs; an extension-less file that is binary is reported by decode.
    """
    for dirpath, dirnames, filenames in os.walk(root):
        kept = []
        for name in sorted(dirnames):
            path = Path(dirpath) / name
            if name.startswith(".") or os.path.realpath(path) == exclude:
                continue
            if path.is_symlink():
                yield path, "symbolic link to a folder: not followed"
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = Path(dirpath) / name
            suffix = path.suffix.lower()
            if not name.startswith(".") and (suffix in INPUT_SUFFIXES or not suffix):
                yield path, None


def plan(paths: Iterable[str], out_dir: Path) -> list[Job]:
    """Every job of a run, in a stable order, with collisions and unsafe outputs found up front."""
    out_real = os.path.realpath(out_dir)
    jobs: list[Job] = []
    roots: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            roots.append(os.path.realpath(path))
            for source, skip in walk(path, out_real):
                relative = source.relative_to(path)
                output = out_dir / relative.with_suffix(".txt") if skip is None else out_dir / relative
                jobs.append(Job(source, output, relative.with_suffix(".txt").as_posix(), skip_reason=skip))
        elif path.exists() or path.is_symlink():
            output = out_dir / Path(path.name).with_suffix(".txt")
            jobs.append(Job(path, output, output.name))
        else:
            raise PlanError(f"no such file or folder: {given}")
    inputs = {os.path.realpath(job.source): job for job in jobs if not job.skip_reason}
    owners: dict[str, Job] = {}
    planned = []
    for job in jobs:
        if job.skip_reason:
            planned.append(job)
            continue
        output_real = os.path.realpath(job.output)
        for written in (output_real, os.path.realpath(sidecar_path(job.output))):
            if written in inputs:
                raise PlanError(f"output {display(job.output)} would overwrite the input {inputs[written].name}")
        # An -o strictly inside an input folder is left out of the walk; any
        # other output in an input folder would be read as an input next time.
        reread = [root for root in roots if _is_inside(output_real, root) and not (_is_inside(out_real, root) and out_real != root)]
        if reread:
            raise PlanError(f"output {display(job.output)} would land in the input folder {display(reread[0])} and be read again; choose another -o")
        owner = owners.setdefault(output_real, job)
        if owner is not job:
            if os.path.realpath(owner.source) == os.path.realpath(job.source):
                continue  # the same file given twice
            job = Job(job.source, job.output, job.key, problem=f"output {display(job.output)} is already the output of {owner.name}; rename one of them")
        planned.append(job)
    return planned


def in_shard(job: Job, index: int, count: int) -> bool:
    """Whether `job` belongs to shard `index` (1-based) of `count`.

    Decided by a hash of the output's relative path, so a file stays in its
    shard when the corpus grows and however the input folder is spelled.
    """
    digest = hashlib.sha1(job.key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def write_atomic(path: Path, data: str) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def sidecar_path(output: Path) -> Path:
    return output.with_suffix(".json")


def stale_reason(output: Path, input_sha256: str, config_digest: str) -> str | None:
    """Why `output` must be (re)written, or None when it is up to date."""
    try:
        recorded = json.loads(sidecar_path(output).read_text(encoding="utf-8"))
        text = output.read_bytes()
    except FileNotFoundError:
        return "missing"
    except (OSError, ValueError):
        return "unreadable sidecar"
    if not isinstance(recorded, dict):
        return "unreadable sidecar"
    if recorded.get("source", {}).get("sha256") != input_sha256:
        return "input changed"
    if recorded.get("speechclean_version") != __version__:
        return "speechclean version changed"
    if recorded.get("config") != config_digest:
        return "configuration changed"
    if recorded.get("output", {}).get("sha256") != hashlib.sha256(text).hexdigest():
        return "output edited since it was written"
    return None


def _read_input(source: Path, max_size: int) -> bytes:
    """The bytes of one input, or a DecodeError/OSError saying plainly why not."""
    try:
        info = os.stat(source)
    except FileNotFoundError:
        raise DecodeError("broken symbolic link" if source.is_symlink() else "no such file") from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise DecodeError("symbolic link loop") from None
        raise
    if not stat.S_ISREG(info.st_mode):
        raise DecodeError("not a regular file")
    check_size(info.st_size, max_size)
    return source.read_bytes()


def _stats(sidecar: dict, chars_in: int) -> dict[str, int]:
    placeholders = sidecar["placeholders"]
    return {
        "chars_in": chars_in,
        "chars_out": sidecar["output"]["chars"],
        "lines_removed": len(sidecar["removed"]),
        "masks": sum(1 for item in placeholders if item["kind"] == "mask"),
        "gaps": sum(1 for item in placeholders if item["kind"] == "gap"),
        "converted": int(sidecar["script"]["converted_chars"] > 0),
        "truncated": int(bool(sidecar["truncated"])),
    }


def _unified_diff(output: Path, new_text: str) -> str:
    try:
        old_text = output.read_text(encoding="utf-8")
        old_name = display(output)
    except (OSError, UnicodeDecodeError):
        old_text, old_name = "", "/dev/null"
    lines = difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                 old_name, f"{display(output)} (cleaned)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def process(job: Job, config: Config, options: Options) -> FileOutcome:
    """Clean one input into its output and sidecar; report, never raise, on bad input."""
    name, output = job.name, display(job.output)
    if job.skip_reason:
        return FileOutcome(name, SKIPPED, reason=job.skip_reason, warnings=[job.skip_reason])
    if job.problem:
        return FileOutcome(name, FAILED, error=job.problem)
    if not _is_inside(os.path.realpath(job.output.parent), str(options.out_dir)):
        return FileOutcome(name, FAILED, error=f"output {output} would escape -o through a symbolic link")
    warnings = []
    if name != str(job.source):
        warnings.append(f"file name is not valid UTF-8; recorded as {name}")
    try:
        raw = _read_input(job.source, config.max_size)
        digest = hashlib.sha256(raw).hexdigest()
        reason = "forced" if options.force else stale_reason(job.output, digest, config.digest())
        if reason is None:
            return FileOutcome(name, SKIPPED, output, reason="up to date")
        result = clean_bytes(raw, config, source_path=name, output_path=output)
    except DecodeError as exc:
        return FileOutcome(name, FAILED, error=str(exc))
    except OSError as exc:
        return FileOutcome(name, FAILED, error=f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one file's crash must not stop the batch
        return FileOutcome(name, FAILED, error=f"internal error, please report it: {type(exc).__name__}: {exc}")
    sidecar = result.sidecar
    warnings += sidecar["warnings"]
    decode_counters = result.document.steps[0].counters
    stats = _stats(sidecar, decode_counters.get("chars", 0))
    if options.mode != WRITE:
        diff = _unified_diff(job.output, result.text) if options.mode == DIFF else None
        return FileOutcome(name, WOULD_CHANGE, output, warnings, reason=reason, stats=stats, diff=diff)
    try:
        write_atomic(job.output, result.text)
        write_atomic(sidecar_path(job.output), dumps(sidecar))
    except OSError as exc:
        return FileOutcome(name, FAILED, output, warnings, error=f"cannot write {output}: {exc.strerror or exc}")
    return FileOutcome(name, CLEANED, output, warnings, reason=reason, stats=stats)


class Interrupt:
    """SIGINT sets a flag, so the run stops between files and never mid-write.

    A second SIGINT stops at once. Workers ignore SIGINT (a Ctrl-C in a
    terminal reaches the whole process group): the parent decides.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous = None

    def __enter__(self) -> "Interrupt":
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc_info) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True


def _init_worker(config: Config) -> None:
    """Ignore SIGINT and build the expensive objects (OpenCC, compiled rules) once per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    clean_bytes("同志们：\n今天召开会议。".encode("utf-8"), config)


def run_jobs(jobs: list[Job], config: Config, options: Options, workers: int, interrupt: Interrupt) -> Iterator[FileOutcome]:
    """Outcomes in the order of `jobs`, whatever the number of workers; stops early on `interrupt`."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            if interrupt.requested:
                return
            yield process(job, config, options)
        return
    window = workers * 4  # bounded, so an interrupt waits for a few files, not the whole corpus
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_init_worker, initargs=(config,)) as pool:
        pending: deque = deque()
        queue = iter(jobs)
        while True:
            while not interrupt.requested and len(pending) < window:
                job = next(queue, None)
                if job is None:
                    break
                pending.append(pool.submit(process, job, config, options))
            if not pending:
                return
            if interrupt.requested:
                for future in pending:
                    future.cancel()
            future = pending.popleft()
            if not future.cancelled():
                yield future.result()
