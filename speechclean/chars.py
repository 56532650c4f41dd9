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


class CodePointCounter:
    """Counts the characters of `text` that belong to a set, without a regex scan.

    A count by run-deleting substitution pays per run, and Chinese prose
    breaks Han runs every few characters (~60 MB/s). Here the text is
    encoded as UTF-16 once and only the high byte of each code unit is
    looked at: for a set like Han most high bytes are wholly in the set or
    wholly out of it, so `bytes.translate` deleting the wholly-in ones
    counts them at memory speed. The few high bytes shared with other
    characters (`partial`) and astral characters (surrogate pairs) are
    counted exactly by a regex, only in texts that hold them.
    """

    def __init__(self, bmp_ranges: list[tuple[int, int]], astral: "re.Pattern[str] | regex.Pattern[str]") -> None:
        members = [0] * 256  # per high byte: how many of its 256 code points are in the set
        partial_class = []
        for low, high in bmp_ranges:
            for block in range(low >> 8, (high >> 8) + 1):
                members[block] += min(high, block * 256 + 255) - max(low, block * 256) + 1
        self.full = bytes(block for block in range(256) if members[block] == 256)
        partial = {block for block in range(256) if 0 < members[block] < 256}
        self.not_partial = bytes(block for block in range(256) if block not in partial)
        for low, high in bmp_ranges:
            for block in range(low >> 8, (high >> 8) + 1):
                if block in partial:
                    first, last = max(low, block * 256), min(high, block * 256 + 255)
                    partial_class.append(f"{re.escape(chr(first))}-{re.escape(chr(last))}")
        self.partial = re.compile(f"[{''.join(partial_class)}]") if partial_class else None
        self.astral = astral

    def count(self, text: str) -> int:
        units = text.encode("utf-16-be", "surrogatepass")
        high = units[0::2]
        count = len(high) - len(high.translate(None, self.full))
        if self.partial is not None and high.translate(None, self.not_partial):
            count += len(self.partial.findall(text))
        if len(units) != 2 * len(text):  # surrogate pairs: astral characters
            count += len(self.astral.findall(text))
        return count


_HAN_COUNTER = CodePointCounter([(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)],
                                re.compile("[\U00020000-\U0002ebef]"))


def han_count(text: str) -> int:
    """Number of Han ideographs in `text` (see `CodePointCounter` for how it stays fast)."""
    return _HAN_COUNTER.count(text)


def has_astral(text: str) -> bool:
    """Whether `text` holds a character beyond the BMP.

    Encoding to UTF-16 is a copy for a text without one and grows by two
    bytes per one that is there: several times faster than a regex scan.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
