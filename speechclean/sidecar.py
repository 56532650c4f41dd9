"""The JSON sidecar: what was done to one text, and why.

Top-level keys are a published interface (other tools read them); they are
described by `schemas/sidecar.schema.json`, whose version is
`SCHEMA_VERSION`. Add keys freely inside objects; rename nothing.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from . import __version__
from .document import Document

SCHEMA_VERSION = "1.0"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_sidecar(doc: Document, output_path: str | None = None, config_digest: str | None = None) -> dict[str, Any]:
    """Serialise the records a document collected on its way through the stages."""
    text_bytes = doc.text.encode("utf-8")
    lines = doc.text.split("\n")
    return {
        "schema_version": SCHEMA_VERSION,
        "speechclean_version": __version__,
        "config": config_digest,
        "source": {
            "path": doc.source_path,
            "sha256": sha256(doc.raw),
            "bytes": len(doc.raw),
            "encoding": doc.encoding,
            "encoding_evidence": doc.encoding_evidence,
            "format": doc.format,
        },
        "output": {
            "path": output_path,
            "sha256": sha256(text_bytes),
            "chars": len(doc.text),
            "paragraphs": len(lines) - lines.count("") - (1 if doc.title else 0),
        },
        "title": doc.title,
        "meta": dict(doc.meta),
        "truncated": doc.truncated,
        "truncation": dict(doc.truncation) if doc.truncated else None,
        "script": {"detected": doc.script_detected, "converted_chars": doc.converted_chars},
        "removed": [removal.to_json() for removal in doc.removed],
        "placeholders": [placeholder.to_json() for placeholder in doc.placeholders],
        "steps": [step.to_json() for step in doc.steps],
        "warnings": list(doc.warnings),
    }


#: Built once: `json.dumps` with options builds an encoder per call. A sidecar
#: is a tree of fresh dicts and lists, so the check for reference cycles
#: (a dict lookup per container) has nothing to find.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def dumps(sidecar: dict[str, Any]) -> str:
    """The sidecar as written to disk: one line of UTF-8 JSON and a newline.

    Not indented: CPython's C encoder only runs without `indent`, which makes
    writing a sidecar four times faster; `jq .` shows it indented.
    """
    return _ENCODER.encode(sidecar) + "\n"


def load_schema() -> dict[str, Any]:
    return json.loads(resources.files("speechclean.schemas").joinpath("sidecar.schema.json").read_text("utf-8"))
