"""Walk inputs, map them to outputs, clean each file, write atomically.

Kept apart from the CLI so that a script (or a test) can run a batch without
click, and from the pipeline so that the pipeline never touches the disk.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import clean_bytes
from .config import Config
from .sidecar import dumps
from .stages.decode import DecodeError

INPUT_SUFFIXES = (".txt", ".text", ".htm", ".html")


def sniffs_as_text(path: Path, probe: int = 4096) -> bool:
    """An extension-less file counts as a dump when its head is not binary."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(probe)
    except OSError:
        return False
    return b"\x00" not in head


def discover(root: Path) -> list[Path]:
    """Every input file under `root`, sorted, relative order stable across runs."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            suffix = path.suffix.lower()
            if suffix in INPUT_SUFFIXES or (not suffix and sniffs_as_text(path)):
                found.append(path)
    return found


def output_for(source: Path, root: Path, out_dir: Path) -> Path:
    """`out_dir/<relative path>` with the suffix replaced by `.txt`."""
    relative = source.relative_to(root)
    return out_dir / relative.with_suffix(".txt")


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


@dataclass
class FileOutcome:
    source: str
    status: str  # "cleaned" or "failed"
    output: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def clean_file(source: Path, output: Path, config: Config) -> FileOutcome:
    """Clean one file into `output` and its sidecar; report, never raise, on bad input."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        return FileOutcome(str(source), "failed", error=f"cannot read {source}: {exc.strerror}")
    try:
        result = clean_bytes(raw, config, source_path=str(source), output_path=str(output))
    except DecodeError as exc:
        return FileOutcome(str(source), "failed", error=f"{source}: {exc}")
    write_atomic(output.with_suffix(".json"), dumps(result.sidecar))
    write_atomic(output, result.text)
    return FileOutcome(str(source), "cleaned", str(output), list(result.sidecar["warnings"]))
