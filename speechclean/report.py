"""What a batch did: one outcome per input, counters, JSONL lines, the exit code.

The exit code is decided here and nowhere else (black's `Report` is the
model): the CLI only renders what this module counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import IO, Any

EXIT_OK = 0
EXIT_WOULD_CHANGE = 1  # --check / --diff: some output would be written
EXIT_USAGE = 2  # bad flag, config or rules file, unwritable or unsafe output
EXIT_SOME_FAILED = 123  # some inputs failed; the others were written
EXIT_INTERRUPTED = 130  # SIGINT: finished outputs are whole, a rerun does the rest
EXIT_STDOUT_CLOSED = 141  # the reader of stdout went away (as a SIGPIPE death would say)

#: Outcome statuses, as written in --report lines.
CLEANED, SKIPPED, WOULD_CHANGE, FAILED = "cleaned", "skipped", "would-change", "failed"

#: Per-file figures summed into the summary (all zero for skipped and failed files).
STAT_KEYS = ("chars_in", "chars_out", "lines_removed", "masks", "gaps", "converted", "truncated")


@dataclass
class FileOutcome:
    """What happened to one input. `reason` says why it was skipped or would change."""

    path: str
    status: str
    output: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    reason: str | None = None
    stats: dict[str, int] = field(default_factory=dict)
    diff: str | None = None

    def to_json(self) -> dict[str, Any]:
        line = {"path": self.path, "status": self.status, "output": self.output,
                "warnings": self.warnings, "error": self.error}
        if self.reason:
            line["reason"] = self.reason
        return line


@dataclass
class Report:
    """Counters over every outcome of a run, and the exit code they imply."""

    lines: IO[str] | None = None  # where JSONL lines go (--report), if anywhere
    counts: dict[str, int] = field(default_factory=lambda: {CLEANED: 0, SKIPPED: 0, WOULD_CHANGE: 0, FAILED: 0, "warned": 0})
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))
    interrupted: bool = False

    def add(self, outcome: FileOutcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.warnings:
            self.counts["warned"] += 1
        for key in STAT_KEYS:
            self.stats[key] += outcome.stats.get(key, 0)
        self._write(outcome.to_json())

    @property
    def files(self) -> int:
        return sum(self.counts[status] for status in (CLEANED, SKIPPED, WOULD_CHANGE, FAILED))

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.counts[FAILED]:
            return EXIT_SOME_FAILED
        if self.counts[WOULD_CHANGE]:
            return EXIT_WOULD_CHANGE
        return EXIT_OK

    def summary(self) -> dict[str, Any]:
        return {"files": self.files, **self.counts, **self.stats, "interrupted": self.interrupted}

    def close(self) -> None:
        """Write the final summary line."""
        self._write({"summary": self.summary(), "exit_code": self.exit_code})

    def _write(self, line: dict[str, Any]) -> None:
        if self.lines is not None:
            self.lines.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.lines.flush()
