"""The mechanical rules of the clean-text spec, as the project's own checks.

Mirrors every rule the spec states for a clean file, so the tests can fail
when the output breaks the contract without reading anything outside the
repository.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·"

RULES = {
    "space between Chinese": re.compile(rf"[{HAN}{CJK_PUNCT}][ \t\u3000\u00a0]+[{HAN}{CJK_PUNCT}]"),
    "ASCII punctuation beside Chinese": re.compile(rf"[{HAN}][,;:!?()]|[,;:!?(][{HAN}]"),
    "ASCII quote beside Chinese": re.compile(rf"[{HAN}][\"']|[\"'][{HAN}]"),
    "full-width letter or digit": re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"),
    "full-width symbol": re.compile("[\uff05\uff0b\uff0d\uff0f\uff1d\uff03\uff06\uff20]"),
    "ideographic space": re.compile("\u3000"),
    "invisible character": re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff\u00ad]"),
    "replacement character": re.compile("\ufffd"),
    "control character": re.compile("[\x00-\x08\x0b-\x1f\x7f]"),
    "three dots instead of ……": re.compile(r"\.\.\.|。。。|(?<!…)…(?!…)"),
}


def violations(text: str) -> dict[str, int]:
    """{rule: count} of every spec rule `text` breaks; empty when clean."""
    found = {name: len(rx.findall(text)) for name, rx in RULES.items()}
    lines = text.split("\n")
    found["no final newline / extra newlines"] = int(not text.endswith("\n") or text.endswith("\n\n"))
    found["CR line ending"] = text.count("\r")
    found["leading or trailing blanks"] = sum(1 for line in lines if line != line.strip())
    found["blank line in body"] = sum(1 for i, line in enumerate(lines[:-1]) if not line and i != 1)
    found["byte-order mark"] = int(text.startswith("\ufeff"))
    return {k: v for k, v in found.items() if v}
