"""Golden outputs of the samples: compare, or rewrite with SPEECHCLEAN_UPDATE_GOLDENS=1.

Volatile sidecar fields (paths, tool version, config hash) are left out of
the stored sidecars so a golden changes only when the cleaning changes.
Review every rewritten golden by hand (git diff) before committing it.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import DUMPS, EXPECTED, SAMPLE_NAMES  # noqa: E402

from speechclean import clean_bytes  # noqa: E402


def stable_sidecar(sidecar: dict) -> dict:
    """The sidecar without fields that vary between machines and versions."""
    data = copy.deepcopy(sidecar)
    data.pop("speechclean_version", None)
    data.pop("config", None)
    data["source"].pop("path", None)
    data["output"].pop("path", None)
    return data


def expected_paths(name: str) -> tuple[Path, Path]:
    stem = Path(name).with_suffix("").name
    return EXPECTED / f"{stem}.txt", EXPECTED / f"{stem}.json"


def clean_sample(name: str):
    return clean_bytes((DUMPS / name).read_bytes(), source_path=f"samples/dumps/{name}")


def update_all() -> None:
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_NAMES:
        result = clean_sample(name)
        text_path, json_path = expected_paths(name)
        text_path.write_text(result.text, encoding="utf-8", newline="\n")
        json_path.write_text(json.dumps(stable_sidecar(result.sidecar), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {text_path.name} and {json_path.name}")


if __name__ == "__main__" and os.environ.get("SPEECHCLEAN_UPDATE_GOLDENS") == "1":
    update_all()
