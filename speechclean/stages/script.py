"""Traditional to simplified, only when the text is traditional.

OpenCC's t2s damages simplified text (`乾安县` -> `干安县`, and worse), so it
runs only when the share of Han characters that t2s would change is high
enough that the text must be traditional. Simplified text changes in well
under one percent of its characters; traditional text in a fifth or more.
The converter is built once per process (workers build their own).

Most texts are simplified, so a cheap pre-check comes first: the share of
Han characters that t2s changes on their own (a fixed set, computed once per
process from the converter itself). Well under the threshold, the text is
simplified and the full t2s pass is skipped; otherwise t2s runs and its
exact change count decides, as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..chars import HAN, han_count, has_astral
from ..config import Config
from ..document import Document

NAME = "script"

#: Share of Han characters changed by t2s above which a text is traditional.
TRADITIONAL_THRESHOLD = 0.05

#: Below this estimated share the text is simplified without running t2s.
PRECHECK_CEILING = TRADITIONAL_THRESHOLD / 2

#: Characters looked at first: a traditional head sends the text straight to t2s.
PRECHECK_HEAD = 512

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))
_ASTRAL_HAN = re.compile("[\U00020000-\U0002ebef]")
_ANY_HAN = re.compile(f"[{HAN}]")


@lru_cache(maxsize=None)
def converter(config_name: str = "t2s"):
    import opencc

    return opencc.OpenCC(config_name)


@lru_cache(maxsize=1)
def _traditional_only() -> tuple["re.Pattern[str]", frozenset[str]]:
    """Han characters t2s changes on their own: a class of the BMP ones, a set of the rest.

    One call converts every Han code point, one per line, so no phrase
    applies. The BMP class goes to `re`, whose bitmap classes scan at
    hundreds of MB/s; the few astral ones would force a slow range list, so
    they are checked only in texts that contain astral Han at all.
    """
    chars = [chr(code) for low, high in _HAN_RANGES for code in range(low, high + 1)]
    converted = converter().convert("\n".join(chars)).split("\n")
    changed = [ch for ch, out in zip(chars, converted) if ch != out]
    bmp = "".join(ch for ch in changed if ord(ch) < 0x10000)
    return re.compile(f"[{re.escape(bmp)}]"), frozenset(ch for ch in changed if ord(ch) >= 0x10000)


def traditional_only_count(text: str) -> int:
    """Characters of `text` that t2s would change on their own."""
    bmp, astral = _traditional_only()
    count = len(bmp.findall(text))
    if has_astral(text) and _ASTRAL_HAN.search(text):
        count += sum(1 for ch in _ASTRAL_HAN.findall(text) if ch in astral)
    return count


def simplified_estimate(text: str) -> float | None:
    """The estimated traditional share when `text` is clearly simplified, else None.

    Counting Han characters costs more than the pre-check itself, so it is
    done only when some traditional-only character is present; a head that
    already looks traditional ends the pre-check early.
    """
    head = text[:PRECHECK_HEAD]
    head_count = traditional_only_count(head)
    if head_count and head_count >= PRECHECK_CEILING * han_count(head):
        return None
    count = head_count if len(head) == len(text) else traditional_only_count(text)
    if not count:
        return 0.0
    share = count / han_count(text)
    return share if share < PRECHECK_CEILING else None


def changed_chars(before: str, after: str) -> int:
    """Characters t2s changed; t2s maps one character to one, so positions align.

    Compared as UTF-32 in bulk rather than character by character (which
    allocates a string per CJK character and runs at ~15 MB/s): XOR the two
    texts as integers, OR the four byte lanes of each code point together and
    count the code points whose lanes are not all zero.
    """
    if before == after:
        return 0
    if len(before) != len(after):
        return sum(map(str.__ne__, before, after)) + abs(len(before) - len(after))
    size = len(before)
    xor = (int.from_bytes(before.encode("utf-32-le"), "little")
           ^ int.from_bytes(after.encode("utf-32-le"), "little")).to_bytes(4 * size, "little")
    lanes = int.from_bytes(xor[0::4], "little") | int.from_bytes(xor[1::4], "little") | int.from_bytes(xor[2::4], "little")
    return size - lanes.to_bytes(size, "little").count(0)


def detect_and_convert(text: str, mode: str = "auto") -> tuple[str, str, int, float]:
    """Return (text, detected script, converted chars, traditional share)."""
    if not _ANY_HAN.search(text):
        return text, "none", 0, 0.0
    if mode != "always":
        estimate = simplified_estimate(text)
        if estimate is not None:
            return text, "simplified", 0, estimate
    converted = converter().convert(text)
    changes = changed_chars(text, converted)
    share = changes / han_count(text)
    detected = "traditional" if share >= TRADITIONAL_THRESHOLD else "simplified"
    if mode == "always" or (mode == "auto" and detected == "traditional"):
        return converted, detected, changes, share
    return text, detected, 0, share


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, detected, converted, share = detect_and_convert(doc.text, config.script)
    doc = doc.evolve(text=text, script_detected=detected, converted_chars=converted)
    return doc, {"detected": detected, "traditional_share": round(share, 4), "converted_chars": converted}
