"""The benchmark corpus generator is deterministic: figures from two runs compare."""

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parent.parent / "benchmarks" / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("make_corpus", make_corpus)  # dataclasses look their module up
_SPEC.loader.exec_module(make_corpus)


def _digest(files: int, total: int, seed: int) -> str:
    digest = hashlib.sha256()
    for path, data in make_corpus.build_corpus(files, total, seed):
        digest.update(path.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def test_same_seed_same_bytes():
    assert _digest(60, 400_000, seed=3) == _digest(60, 400_000, seed=3)


def test_other_seed_other_bytes():
    assert _digest(60, 400_000, seed=3) != _digest(60, 400_000, seed=4)


def test_written_corpus_matches_generated_bytes(tmp_path):
    manifest = make_corpus.write_corpus(tmp_path / "c", 40, 300_000, seed=5)
    generated = dict(make_corpus.build_corpus(40, 300_000, seed=5))
    on_disk = {e["path"]: (tmp_path / "c" / e["path"]).read_bytes() for e in manifest["entries"]}
    assert on_disk == generated


@pytest.mark.parametrize("seed", [1, 2])
def test_variants_are_present(seed):
    specs = make_corpus.plan(2000, 20_000_000, seed)
    assert 0.15 < sum(s.traditional for s in specs) / len(specs) < 0.25
    assert 0.05 < sum(s.encoding == "gb18030" for s in specs) / len(specs) < 0.15
    assert any(s.html for s in specs)
    assert 1 <= sum(s.big for s in specs) <= 8


def test_gb18030_files_are_not_utf8():
    specs = [s for s in make_corpus.plan(200, 1_000_000, 7) if s.encoding == "gb18030"][:3]
    assert specs
    for spec in specs:
        with pytest.raises(UnicodeDecodeError):
            make_corpus.render(spec, 7).decode("utf-8")
