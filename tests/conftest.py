"""Shared fixtures: the sample dumps and their expected outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "samples" / "dumps"
EXPECTED = ROOT / "samples" / "expected"
SAMPLE_NAMES = sorted(p.name for p in DUMPS.iterdir() if p.is_file())


@pytest.fixture(params=SAMPLE_NAMES)
def sample_name(request) -> str:
    return request.param
