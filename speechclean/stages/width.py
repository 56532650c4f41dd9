"""Width and punctuation to the spec (GB/T 15834 punctuation, GB/T 15835 numbers).

Runs after rejoining, because whether `,` is Chinese depends on its final
neighbours. Rules, in order:
1. Full-width letters and digits and the symbols `％＋－／＝～＃＆＊＠` fold to
   ASCII. The rest of U+FF01–FF5E (`，：；！？（）`) is never folded.
2. Ellipses (`...`, `。。。`, a lone `…`) become `……`; `--` or a lone `—`
   between Chinese characters becomes `——`.
3. ASCII `, ; : ! ?` become full width in Chinese context: a Chinese
   character or mark on either side, looking past spaces. Number-internal
   marks (`1,000`, `10:30`) stay ASCII.
4. ASCII parentheses become `（ ）` as a pair when the pair touches or
   contains Chinese.
5. ASCII double quotes in Chinese context become paired `“ ”`.
6. Whitespace next to Chinese is removed; a run of spaces between two
   non-Chinese characters becomes one space; lines are stripped.
"""

from __future__ import annotations

import regex

from ..chars import CJK_PUNCT, HAN
from ..config import Config
from ..document import Document

NAME = "width"

CHINESE = f"{HAN}{CJK_PUNCT}"
_FOLD = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FOLD.update({ord(full): ord(half) for full, half in zip("％＋－／＝～＃＆＊＠", "%+-/=~#&*@")})
_FOLDABLE = regex.compile("[" + "".join(chr(c) for c in _FOLD) + "]")

_ELLIPSIS = regex.compile(r"\.{3,}|。{3,}|…{3,}|(?<!…)…(?!…)")
_DASH = regex.compile(rf"(?<=[{CHINESE}])\s*(?:-{{2,}}|(?<!—)—(?!—)|－{{2,}})\s*(?=[{CHINESE}])")
_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_ASCII_PUNCT = regex.compile(
    rf"(?<![0-9])(?<=[{CHINESE}][ \t]*)[ \t]*([,;:!?])|(?<=[0-9%][ \t]*)([,;:!?])(?=[ \t]*[{CHINESE}])"
    rf"|(?<![0-9])([,;:!?])(?=[ \t]*[{CHINESE}])"
)
_PAREN_PAIR = regex.compile(r"\(([^()\n]{0,200})\)")
_QUOTE_RUN = regex.compile(r'"([^"\n]{0,400})"')
_SPACE_NEAR_CHINESE = regex.compile(rf"[ \t]+(?=[{CHINESE}])|(?<=[{CHINESE}])[ \t]+")
_MULTI_SPACE = regex.compile(r"[ \t]{2,}")
_HAS_CHINESE = regex.compile(rf"[{CHINESE}]")


def _count_sub(pattern, repl, text: str, counters: dict, key: str) -> str:
    new, n = pattern.subn(repl, text)
    if n:
        counters[key] = counters.get(key, 0) + n
    return new


def _paren(match: "regex.Match[str]") -> str:
    inner = match.group(1)
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if _HAS_CHINESE.search(inner + before + after):
        return f"（{inner}）"
    return match.group(0)


def _quote(match: "regex.Match[str]") -> str:
    inner = match.group(1)
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if _HAS_CHINESE.search(inner) or _HAS_CHINESE.search(before + after):
        return f"“{inner}”"
    return match.group(0)


def normalize_width(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Return (normalised text, counts per kind of change, warnings)."""
    counters: dict[str, int] = {}
    text = _count_sub(_FOLDABLE, lambda m: chr(_FOLD[ord(m.group(0))]), text, counters, "fullwidth_folded")
    text = _count_sub(_ELLIPSIS, "……", text, counters, "ellipsis")
    text = _count_sub(_DASH, "——", text, counters, "dash")
    text = _count_sub(_ASCII_PUNCT, lambda m: _PUNCT[m.group(1) or m.group(2) or m.group(3)], text, counters, "punct_to_fullwidth")
    text = _count_sub(_PAREN_PAIR, _paren, text, counters, "paren_pairs")
    text = _count_sub(_QUOTE_RUN, _quote, text, counters, "quote_pairs")
    before_spaces = text
    text = _SPACE_NEAR_CHINESE.sub("", text)
    text = _MULTI_SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    if text != before_spaces:
        counters["spaces"] = len(before_spaces) - len(text)
    warnings = []
    for line_no, line in enumerate(text.split("\n"), 1):
        if '"' in line and _HAS_CHINESE.search(line):
            warnings.append(f'unpaired ASCII quote left as is on line {line_no}')
    return text, {k: v for k, v in counters.items() if v}, warnings


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, counters, warnings = normalize_width(doc.text)
    return doc.evolve(text=text).with_warnings(*warnings), counters
