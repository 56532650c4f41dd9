"""Load tests/cases/width_cases.tsv: (kind, raw, expected, warnings) rows.

Shared by the table test and benchmarks/width_vs_autocorrect.py, so both
read the same cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CASES_PATH = Path(__file__).resolve().parent / "cases" / "width_cases.tsv"
_ESCAPE = re.compile(r"\\(n|t|\\|u[0-9a-fA-F]{4})")


def _unescape(field: str) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1)
        return {"n": "\n", "t": "\t", "\\": "\\"}.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(one, field)


@dataclass(frozen=True)
class WidthCase:
    line: int
    kind: str
    raw: str
    expected: str
    warnings: dict[str, int]

    @property
    def id(self) -> str:
        return f"{self.line}-{self.kind}"


def load_cases(path: Path = CASES_PATH) -> list[WidthCase]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        fields = (line.split("\t") + ["", "", ""])[:4]
        kind, raw, expected, warn_field = fields
        warnings = {k: int(v) for k, v in (item.split(":") for item in warn_field.split())}
        cases.append(WidthCase(number, kind, _unescape(raw), _unescape(expected), warnings))
    return cases
