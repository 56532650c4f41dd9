"""Character classes every stage agrees on.

Kept in one place so that "Chinese context" means the same thing to the
rejoiner, the width normaliser and the placeholder detector.
"""

from __future__ import annotations

import re

import regex

#: Han ideographs (CJK Unified, Extension A, compatibility, Extensions B-F).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"

#: Chinese punctuation as the spec lists it (full-width forms and CJK marks).
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·「」『』〔〕"


def is_han(ch: str) -> bool:
    """True for a Han ideograph (any CJK block we know)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2EBEF
    )


_WIDE = regex.compile(r"[\p{East_Asian_Width=Wide}\p{East_Asian_Width=Fullwidth}]")


def display_width(text: str) -> int:
    """Display width of `text` in half-width cells (CJK = 2, ASCII = 1)."""
    return len(text) + len(_WIDE.findall(text))


# The standard `re` engine: for a plain class of ranges it scans several
# times faster than `regex`, and a run-deleting sub avoids one list item per
# character (see docs/performance.md).
_HAN_RUNS = re.compile(f"[{HAN}]+")


def han_count(text: str) -> int:
    """Number of Han ideographs in `text`."""
    return len(text) - len(_HAN_RUNS.sub("", text))
