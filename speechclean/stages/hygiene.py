"""Invisible-character hygiene: line endings, zero-width and control characters.

Runs before every other text stage so that no later rule has to tolerate a
zero-width space inside a word or a CR at a line end. U+3000 and NBSP become
ordinary spaces (two for U+3000, which is two cells wide) rather than being
deleted: an ideographic indent is evidence the rejoiner needs, and spaces
between Chinese characters are removed later by the stages that understand
their context.
"""

from __future__ import annotations

import regex

from ..config import Config
from ..document import Document

NAME = "hygiene"

_INVISIBLE = regex.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u034f\u180e]+")
_CONTROL = regex.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
_SPACES = regex.compile("[\u00a0\u2000-\u200a\u202f\u205f\t]")
_REPLACEMENT = "\ufffd"


def fix_hygiene(text: str) -> tuple[str, dict[str, int]]:
    """Normalise line endings and remove invisible junk; return text and counts."""
    counts = {
        "crlf": text.count("\r\n"),
        "cr": text.count("\r") - text.count("\r\n"),
    }
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    counts["invisible"] = sum(len(m) for m in _INVISIBLE.findall(text))
    text = _INVISIBLE.sub("", text)
    counts["control"] = sum(len(m) for m in _CONTROL.findall(text))
    text = _CONTROL.sub("", text)
    counts["replacement"] = text.count(_REPLACEMENT)
    text = text.replace(_REPLACEMENT, "")
    counts["ideographic_space"] = text.count("\u3000")
    text = text.replace("\u3000", "  ")
    counts["odd_space"] = len(_SPACES.findall(text))
    text = _SPACES.sub(" ", text)
    return text, {k: v for k, v in counts.items() if v}


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, counts = fix_hygiene(doc.text)
    warnings = []
    lone_lf = doc.text.count("\n") - counts.get("crlf", 0)
    if sum(1 for kind in (counts.get("crlf"), counts.get("cr"), lone_lf) if kind) > 1:
        warnings.append("mixed line endings normalised to LF")
    if counts.get("replacement"):
        warnings.append(f"{counts['replacement']} U+FFFD replacement character(s) removed: the dump lost text before it reached us")
    return doc.evolve(text=text).with_warnings(*warnings), counts
