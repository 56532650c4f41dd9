"""Traditional to simplified, only when the text is traditional.

OpenCC's t2s damages simplified text (`乾安县` -> `干安县`, and worse), so it
runs only when the share of Han characters that t2s would change is high
enough that the text must be traditional. Simplified text changes in well
under one percent of its characters; traditional text in a fifth or more.
The converter is built once per process (workers build their own).
"""

from __future__ import annotations

from functools import lru_cache

from ..chars import han_count
from ..config import Config
from ..document import Document

NAME = "script"

#: Share of Han characters changed by t2s above which a text is traditional.
TRADITIONAL_THRESHOLD = 0.05


@lru_cache(maxsize=None)
def converter(config_name: str = "t2s"):
    import opencc

    return opencc.OpenCC(config_name)


def changed_chars(before: str, after: str) -> int:
    """Characters t2s changed; t2s maps one character to one, so zip works."""
    if len(before) != len(after):
        return sum(1 for a, b in zip(before, after) if a != b) + abs(len(before) - len(after))
    return sum(1 for a, b in zip(before, after) if a != b)


def detect_and_convert(text: str, mode: str = "auto") -> tuple[str, str, int, float]:
    """Return (text, detected script, converted chars, traditional share)."""
    han = han_count(text)
    if not han:
        return text, "none", 0, 0.0
    converted = converter().convert(text)
    changes = changed_chars(text, converted)
    share = changes / han
    detected = "traditional" if share >= TRADITIONAL_THRESHOLD else "simplified"
    if mode == "always" or (mode == "auto" and detected == "traditional"):
        return converted, detected, changes, share
    return text, detected, 0, share


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, detected, converted, share = detect_and_convert(doc.text, config.script)
    doc = doc.evolve(text=text, script_detected=detected, converted_chars=converted)
    return doc, {"detected": detected, "traditional_share": round(share, 4), "converted_chars": converted}
