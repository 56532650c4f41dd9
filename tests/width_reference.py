"""Frozen copy of speechclean/stages/width.py before the speed work (issue 8).

The oracle of tests/test_width_equivalence.py: the fast stage must give the
same text, counters and warnings as this straightforward version on every
input. Not used by the package; the rules are documented in the stage itself.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

from speechclean.chars import CJK_PUNCT, HAN


#: Mask characters this stage looks past and never changes except by width.
#: Kept here rather than in chars.py: the placeholder detector owns the
#: definition of a mask; width only needs to know which characters to skip.
MASK_CHARS = "Xx*×○□_"

_HAN_LIKE = f"{HAN}〇々"
_CJK = f"{_HAN_LIKE}{CJK_PUNCT}"
_SPACE = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_TRANSPARENT = _SPACE + r"0-9.%‰+\-/~\[\]" + regex.escape(MASK_CHARS) + r",;:!?()\"'"

_FOLD_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FOLD_SYMBOLS = {ord(full): ord(half) for full, half in zip("％＋－／＝～＃＆＊＠＿", "%+-/=~#&*@_")}
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_SENTINEL_BASE = 0x100000
_SENTINEL_LIMIT = 0x10FFFD


@lru_cache(maxsize=None)
def _patterns() -> dict[str, "regex.Pattern[str]"]:
    """Every pattern of the stage, compiled once per process."""
    url_chars = r"A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%"
    mask_item = r"(?:[X×*○□]{1,6}|x{2,6})"
    item = rf"(?:[{_HAN_LIKE}]{{1,3}}|{mask_item})"
    return {
        "protected": regex.compile(
            rf"(?:https?://|ftp://|www\.)[{url_chars}]*[A-Za-z0-9/#=&%_~\-]"
            r"|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
            r"|`[^`\n]+`"
            r"|[\U00100000-\U0010FFFD]"
        ),
        "sentinel": regex.compile(r"[\U00100000-\U0010FFFD]"),
        "alnum": regex.compile("[０-９Ａ-Ｚａ-ｚ]"),
        "symbols": regex.compile("[％＋－／＝～＃＆＊＠＿]"),
        "chinese_ellipsis": regex.compile(r"。{3,}|…{3,}|(?<!…)…(?!…)"),
        "fullwidth_dots": regex.compile(r"．{3,}"),
        "inner_stop": regex.compile(r"(?<=[A-Za-z0-9])．(?=[A-Za-z0-9])"),
        "lone_dash": regex.compile("(?<![—―])[—―](?![—―])"),
        "cjk": regex.compile(f"[{_CJK}]"),
        "run": regex.compile(f"[{_TRANSPARENT}]+"),
        "mark_in_run": regex.compile(r"\.{3,}|(?<![0-9])[,:]|[,:](?![0-9])|[;!?]"),
        "dash_run": regex.compile(f"[{_SPACE}]*-{{2,}}[{_SPACE}]*"),
        "paren": regex.compile(r"[()（）\n]"),
        "quote": regex.compile(r"[\"“”‘’\n]|(?<![A-Za-z])'|'(?![A-Za-z])"),
        "space_run": regex.compile(f"[{_SPACE}]+"),
        "spaces_back": regex.compile(f"[{_SPACE}]*", flags=regex.REVERSE),
        "spaces_fwd": regex.compile(f"[{_SPACE}]*"),
        "newline": regex.compile("\n"),
        "enumeration": regex.compile(
            rf"(?<=[{_HAN_LIKE}X×*○□x])(?:,{item}){{2,}}(?=[,，、。；;等和及与]|$)"
            rf"|(?<=[{_HAN_LIKE}]),[{_HAN_LIKE}]{{1,3}}(?=等)",
            flags=regex.MULTILINE,
        ),
    }


def _is_cjk(ch: str) -> bool:
    return bool(ch) and _patterns()["cjk"].match(ch) is not None


class _Edits:
    """Where a length-changing pass moved text, so offsets can follow it.

    Each edit is (start, end, new_length) in the pass's input, in order.
    """

    def __init__(self) -> None:
        self.items: list[tuple[int, int, int]] = []

    def add(self, start: int, end: int, new_length: int) -> None:
        if end - start != new_length:
            self.items.append((start, end, new_length))

    def map(self, position: int) -> int:
        """The offset in the output of what stood at `position` in the input."""
        shift = 0
        for start, end, new_length in self.items:
            if end <= position:
                shift += new_length - (end - start)
            elif start <= position:
                return start + shift
            else:
                break
        return position + shift


def _replace_at(text: str, replacements: dict[int, str]) -> str:
    """`text` with single characters replaced at the given offsets."""
    if not replacements:
        return text
    pieces, last = [], 0
    for pos in sorted(replacements):
        pieces.append(text[last:pos])
        pieces.append(replacements[pos])
        last = pos + 1
    pieces.append(text[last:])
    return "".join(pieces)


class _Runs:
    """The transparent runs of one text, for asking what a mark stands beside."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [m.span() for m in _patterns()["run"].finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def _span(self, pos: int) -> tuple[int, int]:
        index = bisect_right(self.starts, pos) - 1
        if index >= 0 and self.ends[index] > pos:
            return self.starts[index], self.ends[index]
        return pos, pos + 1

    def left_is_cjk(self, pos: int) -> bool:
        start, _ = self._span(pos)
        return start > 0 and _is_cjk(self.text[start - 1])

    def right_is_cjk(self, pos: int) -> bool:
        _, end = self._span(pos)
        return end < len(self.text) and _is_cjk(self.text[end])


def _protect(text: str) -> tuple[str, list[str]]:
    """Swap every protected span for one private-use sentinel character.

    Private-use characters of plane 16 already in the text are swapped too,
    so a sentinel can never be confused with the text's own characters.
    """
    spans: list[str] = []

    def swap(m: "regex.Match[str]") -> str:
        if _SENTINEL_BASE + len(spans) > _SENTINEL_LIMIT:
            return m.group()
        spans.append(m.group())
        return chr(_SENTINEL_BASE + len(spans) - 1)

    return _patterns()["protected"].sub(swap, text), spans


def _restore(text: str, spans: list[str]) -> tuple[str, _Edits]:
    edits = _Edits()

    def back(m: "regex.Match[str]") -> str:
        original = spans[ord(m.group()) - _SENTINEL_BASE]
        edits.add(m.start(), m.end(), len(original))
        return original

    return _patterns()["sentinel"].sub(back, text), edits


def _count(counters: dict[str, int], key: str, n: int) -> None:
    if n:
        counters[key] = counters.get(key, 0) + n


def _fold_width(text: str, counters: dict[str, int]) -> str:
    p = _patterns()
    _count(counters, "fullwidth_alnum", len(p["alnum"].findall(text)))
    _count(counters, "fullwidth_symbols", len(p["symbols"].findall(text)))
    text = text.translate(_FOLD_ALNUM).translate(_FOLD_SYMBOLS)
    return p["inner_stop"].sub(lambda m: _counted(counters, "fullwidth_symbols", "."), text)


def _fold_marks(text: str, counters: dict[str, int]) -> str:
    """Rule 0: `――` and `．．．` are Chinese marks in the wrong code points."""
    _count(counters, "dash", text.count("――"))
    text = text.replace("――", "——")
    return _patterns()["fullwidth_dots"].sub(lambda m: _counted(counters, "ellipsis", "……"), text)


def _counted(counters: dict[str, int], key: str, replacement: str) -> str:
    _count(counters, key, 1)
    return replacement


def _chinese_ellipses(text: str, counters: dict[str, int], edits: _Edits) -> str:
    """Rule 4: `。。。`, a lone `…` and `………` become `……`.

    Runs after the spaces rule so that `…… ……` joined by it becomes one `……`;
    a `…` is CJK before and after, so no context changes.
    """

    def ellipsis(m: "regex.Match[str]") -> str:
        edits.add(m.start(), m.end(), 2)
        return _counted(counters, "ellipsis", "……")

    return _patterns()["chinese_ellipsis"].sub(ellipsis, text)


def _parens(text: str, counters: dict[str, int]) -> str:
    """Rule 2a: pair parentheses per line, make Chinese pairs full width."""
    runs = _Runs(text)
    cjk = _patterns()["cjk"]
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    unpaired: list[int] = []
    for m in _patterns()["paren"].finditer(text):
        ch, pos = m.group(), m.start()
        if ch == "\n":
            unpaired.extend(stack)
            stack = []
        elif ch in "(（":
            stack.append(pos)
        elif stack:
            pairs.append((stack.pop(), pos))
        else:
            unpaired.append(pos)
    unpaired.extend(stack)
    out: dict[int, str] = {}
    for open_, close in pairs:
        if text[open_] == "（" and text[close] == "）":
            continue
        if (text[open_] == "（" or text[close] == "）" or cjk.search(text, open_ + 1, close)
                or runs.left_is_cjk(open_) or runs.right_is_cjk(close)):
            out.update({open_: "（", close: "）"})
    for pos in unpaired:
        if text[pos] in "()" and (runs.left_is_cjk(pos) or runs.right_is_cjk(pos)):
            out[pos] = _FULL_PUNCT[text[pos]]
    out = {pos: ch for pos, ch in out.items() if text[pos] != ch}
    _count(counters, "parens", len(out))
    return _replace_at(text, out)


_OPENERS = {"“": "D", "‘": "S"}
_CLOSERS = {"”": "D", "’": "S"}
_CURLY = {("D", True): "“", ("D", False): "”", ("S", True): "‘", ("S", False): "’"}


def _walk_quotes(tokens: list[tuple[int, str]]) -> tuple[list[tuple[int, int]] | None, list[int]]:
    """Pair quote tokens with a stack; (None, []) when they cross or mismatch.

    Returns the pairs (open, close) and the offsets still open at the end.
    """
    stack: list[tuple[str, int]] = []
    open_count = {"D": 0, "S": 0}
    pairs = []
    for pos, ch in tokens:
        kind = "D" if ch in "\"“”" else "S"
        if ch in _OPENERS:
            stack.append((kind, pos))
            open_count[kind] += 1
        elif stack and stack[-1][0] == kind:
            pairs.append((stack.pop()[1], pos))
            open_count[kind] -= 1
        elif ch in _CLOSERS or open_count[kind]:
            return None, []
        else:
            stack.append((kind, pos))
            open_count[kind] += 1
    return pairs, [pos for _, pos in stack]


def _quote_lines(text: str) -> list[list[tuple[int, str]]]:
    """Quote tokens (offset, character) of each line, apostrophes left out."""
    lines: list[list[tuple[int, str]]] = [[]]
    for m in _patterns()["quote"].finditer(text):
        if m.group() == "\n":
            lines.append([])
        else:
            lines[-1].append((m.start(), m.group()))
    return lines


def _quotes(text: str, counters: dict[str, int]) -> tuple[str, list[int]]:
    """Rule 2b: pair quotes, make Chinese pairs curly; return unpairable offsets."""
    runs = _Runs(text)
    cjk = _patterns()["cjk"]
    lines = _quote_lines(text)
    out: dict[int, str] = {}
    unpairable: list[int] = []

    def convert(pairs: list[tuple[int, int]]) -> None:
        for open_, close in pairs:
            ascii_halves = [pos for pos in (open_, close) if text[pos] in "\"'"]
            if not ascii_halves:
                continue
            if (len(ascii_halves) < 2 or cjk.search(text, open_ + 1, close)
                    or runs.left_is_cjk(open_) or runs.right_is_cjk(close)):
                kind = "D" if text[open_] in "\"“" else "S"
                out[open_] = _CURLY[(kind, True)]
                out[close] = _CURLY[(kind, False)]

    index = 0
    while index < len(lines):
        tokens = lines[index]
        index += 1
        if not any(ch in "\"'" for _, ch in tokens):
            continue
        pairs, still_open = _walk_quotes(tokens)
        if pairs is not None and not still_open:
            convert(pairs)
            continue
        if pairs is not None and index < len(lines):
            joined, joined_open = _walk_quotes(tokens + lines[index])
            if joined is not None and not joined_open:
                convert(joined)
                index += 1
                continue
        for kind_chars in ("\"“”", "'‘’"):
            own = [(pos, ch) for pos, ch in tokens if ch in kind_chars]
            kind_pairs, kind_open = _walk_quotes(own)
            if kind_pairs is not None and not kind_open:
                convert(kind_pairs)
            else:
                unpairable.extend(pos for pos, ch in own
                                  if ch in "\"'" and (runs.left_is_cjk(pos) or runs.right_is_cjk(pos)))
    out = {pos: ch for pos, ch in out.items() if text[pos] != ch}
    _count(counters, "quotes", len(out))
    return _replace_at(text, out), sorted(unpairable)


def _marks_in_runs(text: str, counters: dict[str, int], edits: _Edits) -> str:
    """Rule 2c: ASCII marks, `...` and `--` in runs that stand in Chinese context."""
    p = _patterns()
    mark_in_run, dash_run = p["mark_in_run"], p["dash_run"]

    def fix(m: "regex.Match[str]") -> str:
        run, start, end = m.group(), m.start(), m.end()
        left = _is_cjk(text[start - 1]) if start else False
        right = _is_cjk(text[end]) if end < len(text) else False
        if not (left or right):
            return run
        if left and right and dash_run.fullmatch(run):
            _count(counters, "dash", 1)
            edits.add(start, end, 2)
            return "——"
        pieces, last = [], 0
        for mark in mark_in_run.finditer(run):
            pieces.append(run[last:mark.start()])
            if mark.group()[0] == ".":
                _count(counters, "ellipsis", 1)
                edits.add(start + mark.start(), start + mark.end(), 2)
                pieces.append("……")
            else:
                _count(counters, "punct", 1)
                pieces.append(_FULL_PUNCT[mark.group()])
            last = mark.end()
        pieces.append(run[last:])
        return "".join(pieces)

    return p["run"].sub(fix, text)


def _lone_dashes(text: str, counters: dict[str, int], edits: _Edits) -> str:
    """Rule 2d: a lone `—` between CJK, looking past spaces, becomes `——`.

    A dash that faces another dash across spaces (`— —`) is half of a `——`
    torn apart; the spaces rule joins it again.
    """
    p = _patterns()

    def fix(m: "regex.Match[str]") -> str:
        before = p["spaces_back"].match(text, 0, m.start()).start()
        after = p["spaces_fwd"].match(text, m.end()).end()
        left = text[before - 1] if before > 0 else ""
        right = text[after] if after < len(text) else ""
        if _is_cjk(left) and _is_cjk(right) and left not in "—―" and right not in "—―":
            _count(counters, "dash", 1)
            edits.add(m.start(), m.end(), 2)
            return "——"
        return m.group()

    return p["lone_dash"].sub(fix, text)


def _context_round(text: str, counters: dict[str, int]) -> tuple[str, list[int], list[_Edits]]:
    """One round of rule 2: the text, unpairable quote offsets, and its edits.

    Parentheses and quotes keep every length, so only the later passes of
    the round move offsets; the unpairable offsets are mapped through them.
    """
    text = _parens(text, counters)
    text, unpairable = _quotes(text, counters)
    chain = [_Edits(), _Edits()]
    text = _marks_in_runs(text, counters, chain[0])
    text = _lone_dashes(text, counters, chain[1])
    return text, [_follow(pos, chain) for pos in unpairable], chain


def _follow(position: int, chain: list[_Edits]) -> int:
    """Map an offset through several passes' edits, in order."""
    for edits in chain:
        position = edits.map(position)
    return position


def _spaces(text: str, counters: dict[str, int], edits: _Edits) -> str:
    """Rule 3: spaces near CJK go; on Chinese lines other runs become one space."""
    p = _patterns()
    newlines = [m.start() for m in p["newline"].finditer(text)]
    line_has_cjk: dict[int, bool] = {}

    def on_chinese_line(pos: int) -> bool:
        line = bisect_right(newlines, pos)
        if line not in line_has_cjk:
            start = newlines[line - 1] + 1 if line else 0
            end = newlines[line] if line < len(newlines) else len(text)
            line_has_cjk[line] = p["cjk"].search(text, start, end) is not None
        return line_has_cjk[line]

    def fix(m: "regex.Match[str]") -> str:
        run, start, end = m.group(), m.start(), m.end()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < len(text) else "\n"
        if _is_cjk(before) or _is_cjk(after) or (before.isdigit() and after in "%‰" and on_chinese_line(start)):
            _count(counters, "spaces_removed", 1)
            edits.add(start, end, 0)
            return ""
        if run != " " and before != "\n" and after != "\n" and on_chinese_line(start):
            _count(counters, "spaces_collapsed", 1)
            edits.add(start, end, 1)
            return " "
        return run

    return p["space_run"].sub(fix, text)


def _excerpt(text: str, pos: int) -> str:
    return text[max(0, pos - 6):pos + 7].replace("\n", " ")


def normalize_width(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Return (normalised text, counts per kind of change, warnings).

    Warning offsets are code-point offsets into the returned text.
    """
    counters: dict[str, int] = {}
    text = _fold_width(text, counters)
    text = _fold_marks(text, counters)
    text, protected = _protect(text)
    enum_commas = [m.start() + i for m in _patterns()["enumeration"].finditer(text)
                   for i, ch in enumerate(m.group()) if ch == ","]
    chain: list[_Edits] = []
    while True:
        new_text, unpairable, round_edits = _context_round(text, counters)
        if new_text == text:
            break
        chain.extend(round_edits)
        text = new_text
    tail = [_Edits(), _Edits()]
    text = _spaces(text, counters, tail[0])
    text = _chinese_ellipses(text, counters, tail[1])
    text, restore_edits = _restore(text, protected)
    tail.append(restore_edits)

    warnings = []
    for pos in enum_commas:
        out = _follow(pos, chain + tail)
        warnings.append(f"width: ASCII comma between short items at offset {out} "
                        f"(“{_excerpt(text, out)}”): 、 may be meant; written as ，")
    for pos in unpairable:
        out = _follow(pos, tail)
        warnings.append(f"width: unpairable quote {text[out]} left as is at offset {out} (“{_excerpt(text, out)}”)")
    _count(counters, "warn_enumeration_comma", len(enum_commas))
    _count(counters, "warn_unpaired_quote", len(unpairable))
    return text, counters, warnings

