"""speechclean: clean raw dumps of Chinese speech texts.

    >>> from speechclean import clean_text
    >>> result = clean_text("同志们:\\n今天我们召开会议 。")
    >>> result.text
    '同志们：\\n今天我们召开会议。\\n'

`clean_bytes` takes the raw bytes of a dump (any supported encoding, text or
HTML); `clean_text` a decoded string. Both return a `CleanResult` with the
clean text and its sidecar (a JSON-ready dict).
"""

from __future__ import annotations

__version__ = "0.1.0"

from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from .config import Config, ConfigError  # noqa: E402
from .document import Document  # noqa: E402
from .stages.decode import DecodeError  # noqa: E402


@dataclass(frozen=True)
class CleanResult:
    """A clean text and the sidecar that explains it."""

    text: str
    sidecar: dict[str, Any]
    document: Document


def clean_bytes(raw: bytes, config: Config | None = None, source_path: str | None = None,
                output_path: str | None = None) -> CleanResult:
    """Clean the raw bytes of one dump."""
    from .pipeline import run_pipeline
    from .sidecar import build_sidecar

    config = config or Config()
    doc = run_pipeline(Document(raw=raw, source_path=source_path), config)
    return CleanResult(doc.text, build_sidecar(doc, output_path, config.digest()), doc)


def clean_text(text: str, config: Config | None = None, source_path: str | None = None) -> CleanResult:
    """Clean one dump that is already a string."""
    return clean_bytes(text.encode("utf-8"), config, source_path)


__all__ = ["CleanResult", "Config", "ConfigError", "DecodeError", "Document", "clean_bytes", "clean_text", "__version__"]
