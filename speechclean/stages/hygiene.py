"""Invisible-character hygiene: line endings, zero-width and control characters.

Runs before every other text stage so that no later rule has to tolerate a
zero-width space inside a word or a CR at a line end. U+3000 and NBSP become
ordinary spaces (two for U+3000, which is two cells wide) rather than being
deleted: an ideographic indent is evidence the rejoiner needs, and spaces
between Chinese characters are removed later by the stages that understand
their context.
"""

from __future__ import annotations

import re
from collections import Counter

from ..config import Config
from ..document import Document

NAME = "hygiene"

_INVISIBLE_CHARS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u034f\u180e"
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SPACE_CHARS = "\u00a0\u2000-\u200a\u202f\u205f\t"
_REPLACEMENT = "\ufffd"

# The standard `re` engine scans these plain classes 2-3x faster than `regex`.
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]+")
_SPACES = re.compile(f"[{_SPACE_CHARS}]")
#: Every character this stage touches: one scan finds which fixes a text needs.
_ANY = re.compile(f"[\r\u2028\u2029\u3000{_REPLACEMENT}{_INVISIBLE_CHARS}{_CONTROL_CHARS}{_SPACE_CHARS}]")


def _count(found: Counter, pattern: "re.Pattern[str]") -> int:
    return sum(n for ch, n in found.items() if pattern.match(ch))


def fix_hygiene(text: str) -> tuple[str, dict[str, int]]:
    """Normalise line endings and remove invisible junk; return text and counts.

    Most texts need none or one of the fixes, so one scan collects the
    characters concerned and only the passes they call for run.
    """
    found = Counter(_ANY.findall(text))
    if not found:
        return text, {}
    counts = {"crlf": text.count("\r\n") if "\r" in found else 0}
    counts["cr"] = found["\r"] - counts["crlf"]
    if "\r" in found:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in found or "\u2029" in found:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    counts["invisible"] = _count(found, _INVISIBLE)
    if counts["invisible"]:
        text = _INVISIBLE.sub("", text)
    counts["control"] = _count(found, _CONTROL)
    if counts["control"]:
        text = _CONTROL.sub("", text)
    counts["replacement"] = found[_REPLACEMENT]
    if counts["replacement"]:
        text = text.replace(_REPLACEMENT, "")
    counts["ideographic_space"] = found["\u3000"]
    if counts["ideographic_space"]:
        text = text.replace("\u3000", "  ")
    counts["odd_space"] = _count(found, _SPACES)
    if counts["odd_space"]:
        text = _SPACES.sub(" ", text)
    return text, {k: v for k, v in counts.items() if v}


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, counts = fix_hygiene(doc.text)
    warnings = []
    # Endings are mixed only if some are CR or CRLF: most texts skip the count of LFs.
    if counts.get("crlf") or counts.get("cr"):
        lone_lf = doc.text.count("\n") - counts.get("crlf", 0)
        if sum(1 for kind in (counts.get("crlf"), counts.get("cr"), lone_lf) if kind) > 1:
            warnings.append("mixed line endings normalised to LF")
    if counts.get("replacement"):
        warnings.append(f"{counts['replacement']} U+FFFD replacement character(s) removed: the dump lost text before it reached us")
    return doc.evolve(text=text).with_warnings(*warnings), counts
