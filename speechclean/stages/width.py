"""Width and punctuation to the spec (GB/T 15834 punctuation, GB/T 15835 numbers).

Runs after the rejoiner and the title finder, because whether a `,` is
Chinese depends on its final neighbours, and before layout and the
placeholder detector, which need the final characters.

Terms
-----
- *Chinese character*: a Han ideograph, `〇` or `々`.
- *Chinese mark*: one of `，。、；：？！“”‘’（）《》〈〉【】—…·「」『』〔〕`.
- *CJK*: a Chinese character or a Chinese mark.
- *Transparent*: what a copy editor looks past to see what a mark belongs
  to: horizontal spaces, ASCII digits, the number symbols `. % ‰ + - / ~`,
  the mask characters `X x * × ○ □ _` and the brackets `[ ]` of masks like
  `[单位名称]`, and the ASCII marks this stage may convert, `, ; : ! ? ( ) " '`.
- *Run*: a maximal stretch of transparent characters on one line. Its
  *left neighbour* is the character before it, its *right neighbour* the
  character after it (nothing at a line edge).
- *Chinese context*: a run stands in Chinese context when its left or its
  right neighbour is CJK. So `同志们:`, `（一)`, `时间:2023-02-23`,
  `XX%,占` and `推动GDP,实现` are Chinese context, `He said: OK` is not.

Rules, in the order they run
----------------------------
0. Width. Full-width letters and digits (`Ａ-Ｚ ａ-ｚ ０-９`) and the symbols
   `％＋－／＝～＃＆＊＠＿` become ASCII everywhere, masks included
   (`＊＊` → `**`). The rest of U+FF01–FF5E (`，：；！？（）．` …) is Chinese
   punctuation and is never folded, except `．` between two ASCII letters
   or digits, which is a decimal point or a dot in a name (`３．５％` →
   `3.5%`; the heading `1．加强` keeps it). `――` (U+2015, a GBK decoding of the
   Chinese dash) becomes `——`, and `．．．` (three full stops or more) `……`.
1. Protected spans are then left exactly as they are: URLs (`http://`,
   `https://`, `ftp://`, `www.`), e-mail addresses and inline code in
   backticks. For the other rules a protected span is one opaque non-CJK
   character. (Folding first means a span is found the same way in a text
   and in its cleaned copy.)
2. Context rules, repeated until nothing changes (a converted mark can make
   its neighbour's context Chinese: `a,(b中)`; one or two rounds in practice,
   each linear in the text):
   a. Parentheses are paired on each line, nesting included. A pair becomes
      `（ ）` when one half is already full width, when it encloses a CJK
      character, or when its opening half's run or its closing half's run
      stands in Chinese context (`(一)`, `中国(x)`, `（2023年2月23日)`). An
      unpaired ASCII parenthesis becomes full width when its run stands in
      Chinese context.
   b. Quotes. `"` pairs with `"`/`“”`, `'` with `'`/`‘’`, nesting handled by a
      stack. An apostrophe (`'` between two Latin letters: `don't`) is not a
      quote. Quotes pair within a line; a quotation opened on one line may
      close on the next. A pair becomes `“ ”` / `‘ ’` when one half is already
      curly, when it encloses a CJK character, or when its outer runs stand
      in Chinese context. A line whose quotes cannot be paired keeps its
      ASCII quotes, and each one in Chinese context is reported as a warning
      with its offset.
   c. In every run in Chinese context: `, ; : ! ?` become `， ； ： ！ ？`,
      except `,` and `:` with an ASCII digit on both sides (`1,000`, `10:30`,
      `1:2`), which are number-internal; `...` (three dots or more) becomes
      `……`. A run that is only `--` (two hyphens or more, spaces allowed)
      with CJK on both sides becomes `——`. A single `-` is never touched
      (`1-11月`, `2023-02-23`, `一汽-大众`), nor a single `.` (`24.3`, `3.5%`).
   d. A lone `—` (or `―`) between CJK other than a dash on both sides,
      looking past spaces, becomes `——` (`长子—中国`; but `— —` is a torn
      `——`, joined by rule 3).
3. Spaces (space, tab, NBSP, U+3000 and the other Unicode spaces, never line
   breaks). A run of spaces next to a CJK character or mark is removed
   (`2023 年` → `2023年`, `推动 GDP 增长` → `推动GDP增长`, `战术 。` → `战术。`).
   On a line that holds CJK, a space between a digit and `%`/`‰` is removed
   and any other run of spaces between two characters becomes one space
   (`iPhone  15` → `iPhone 15`). A line without CJK keeps its spaces.
4. Ellipses that are already Chinese marks: `。。。` (or more), a lone `…`
   and three or more `…` become `……`. They change no context, so they run
   last, after the spaces rule has joined `…… ……`.

A text with no CJK in it is therefore only width-folded. Nothing is
deleted except spaces, and the sequence of Han characters, letters and
digits never changes apart from width folding.

Reported, not guessed
---------------------
- ASCII commas in a list of short items are where `、` is usually meant:
  three or more items joined by `,` whose items after the first are one to
  three Chinese characters or a mask, the list ending in a mark, `等`, `和`,
  `及`, `与` or the line end (`北京,上海,广州等`); or two Chinese items
  ending in `等` (`钢铁,煤炭等`).
  It is converted to `，` like any other comma in Chinese context, and
  reported as a warning with its offset into the text this stage returns.
- Unpairable quotes (rule 2b).

Counters (per kind of change): `fullwidth_alnum`, `fullwidth_symbols`,
`ellipsis`, `dash`, `parens`, `quotes`, `punct`, `spaces_removed`,
`spaces_collapsed`, and the warning counts `warn_unpaired_quote`,
`warn_enumeration_comma`.

How it stays fast
-----------------
The rules above read as passes over the whole text; the code gets the
same result while touching only what can change. One `re` scan collects
the rare characters some pass needs (full-width forms, spaces, quotes,
parentheses, dots, hyphens, dashes ...), and a pass whose characters are
absent is skipped. In rule 2c a mark with CJK right beside it is decided by
that neighbour alone, so such marks are converted by `str.replace` around
the few that must stay; only the other runs holding a mark are looked at
one by one, found from the mark outwards. Parentheses are read only on
lines holding an ASCII one. A round of rule 2 that leaves no ASCII
parenthesis, quote or mark is the last (no confirming round). Warning
offsets are mapped through the edits in one sweep. No input costs more than
its length times a constant (tests/test_width_equivalence.py checks large
adversarial inputs, and that the output equals the plain pass-by-pass
version kept in tests/width_reference.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

from ..chars import CJK_PUNCT, HAN
from ..config import Config
from ..document import Document

NAME = "width"

#: Mask characters this stage looks past and never changes except by width.
#: Kept here rather than in chars.py: the placeholder detector owns the
#: definition of a mask; width only needs to know which characters to skip.
MASK_CHARS = "Xx*×○□_"

_HAN_LIKE = f"{HAN}〇々"
_CJK = f"{_HAN_LIKE}{CJK_PUNCT}"
_SPACE = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_TRANSPARENT = _SPACE + r"0-9.%‰+\-/~\[\]" + re.escape(MASK_CHARS) + r",;:!?()\"'"

_FULLWIDTH_ALNUM = "０-９Ａ-Ｚａ-ｚ"
_FULLWIDTH_SYMBOLS = "％＋－／＝～＃＆＊＠＿"
_FOLD = {**{chr(code): chr(code - 0xFEE0) for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]},
         **dict(zip(_FULLWIDTH_SYMBOLS, "%+-/=~#&*@_"))}
_FOLD_ALNUM = frozenset(ch for ch in _FOLD if ch not in _FULLWIDTH_SYMBOLS)
_FOLD_TRIGGERS = frozenset(_FOLD) | {"．", "―"}
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_RUN_MARKS = ",;:!?"
_SPACE_CHARS = frozenset(" \t\u00a0\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))
_SENTINEL_BASE = 0x100000
_SENTINEL_LIMIT = 0x10FFFD


@lru_cache(maxsize=None)
def _patterns() -> dict[str, "re.Pattern[str]"]:
    """Every pattern of the stage, compiled once per process.

    Plain classes use `re`, which scans them faster than `regex`; `regex` is
    kept only where a scan runs backwards (REVERSE) and for the rare
    protected spans. Look-behinds sit after a consumed character, so a search
    skips ahead on that character instead of testing every position.
    """
    url_chars = r"A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%"
    mask_item = r"(?:[X×*○□]{1,6}|x{2,6})"
    item = rf"(?:[{_HAN_LIKE}]{{1,3}}|{mask_item})"
    patterns = {
        "protected": regex.compile(
            rf"(?:https?://|ftp://|www\.)[{url_chars}]*[A-Za-z0-9/#=&%_~\-]"
            r"|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
            r"|`[^`\n]+`"
            r"|[\U00100000-\U0010FFFD]"
        ),
        "plane16": regex.compile(r"[\U00100000-\U0010FFFD]"),
        "rare": re.compile(f"[{_FULLWIDTH_ALNUM}{_FULLWIDTH_SYMBOLS}．―—…@`/w.\\-{_SPACE}()\"'\U00100000-\U0010FFFD]"),
        "alnum": re.compile(f"[{_FULLWIDTH_ALNUM}]"),
        "chinese_ellipsis": re.compile(r"。{3,}|…{3,}|…(?<!……)(?!…)"),
        "fullwidth_dots": re.compile(r"．{3,}"),
        "inner_stop": re.compile(r"．(?<=[A-Za-z0-9]．)(?=[A-Za-z0-9])"),
        "lone_dash": re.compile("[—―](?<![—―][—―])(?![—―])"),
        "cjk": re.compile(f"[{_CJK}]"),
        "run_fwd": re.compile(f"[{_TRANSPARENT}]*"),
        "run_back": regex.compile(f"[{_TRANSPARENT}]*", flags=regex.REVERSE),
        "transparent": re.compile(f"[{_TRANSPARENT}]"),
        "mark_in_run": re.compile(r"\.{3,}|(?<![0-9])[,:]|[,:](?![0-9])|[;!?]"),
        "dash_run": re.compile(f"[{_SPACE}]*-{{2,}}[{_SPACE}]*"),
        "quote": re.compile(r"[\"“”‘’\n]|(?<![A-Za-z])'|'(?![A-Za-z])"),
        "space_run": re.compile(f"[{_SPACE}]+"),
        "spaces_back": regex.compile(f"[{_SPACE}]*", flags=regex.REVERSE),
        "spaces_fwd": re.compile(f"[{_SPACE}]*"),
        "enumeration": re.compile(
            # The look-ahead only lets through a comma whose next comma or 等
            # is at most 7 characters on, on the same line (every list needs
            # one); most commas fail there, after one possessive scan.
            rf",(?=[^,\n等]{{0,6}}+[,等])"
            rf"(?:(?<=[{_HAN_LIKE}X×*○□x],){item}(?:,{item})+(?=[,，、。；;等和及与]|$)"
            rf"|(?<=[{_HAN_LIKE}],)[{_HAN_LIKE}]{{1,3}}(?=等))",
            flags=re.MULTILINE,
        ),
    }
    # Per mark: `lone_` finds a run that is that mark alone beside CJK (the
    # previous and next characters are not transparent, one of them is CJK);
    # `beside_` finds the mark with CJK right before or after it, wherever
    # it stands in its run.
    for mark in _RUN_MARKS:
        m = re.escape(mark)
        patterns[f"lone_{mark}"] = re.compile(
            rf"{m}(?:(?<=[{_CJK}]{m})(?![{_TRANSPARENT}])|(?<![{_TRANSPARENT}]{m})(?=[{_CJK}]))")
        patterns[f"beside_{mark}"] = re.compile(rf"{m}(?:(?<=[{_CJK}]{m})|(?=[{_CJK}]))")
        # The complements: the marks each of those leaves alone.
        patterns[f"not_lone_{mark}"] = re.compile(
            rf"{m}(?:(?<=[{_TRANSPARENT}]{m})|(?=[{_TRANSPARENT}])|(?<![{_CJK}]{m})(?![{_CJK}]))")
        patterns[f"not_beside_{mark}"] = re.compile(rf"{m}(?<![{_CJK}]{m})(?![{_CJK}])")
    return patterns


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

    def map_sorted(self, positions: list[int]) -> list[int]:
        """Where what stood at each position (ascending) is in the output.

        One sweep over positions and edits together: a text with many
        warnings and many edits costs their sum, not their product.
        """
        out, shift, index, items = [], 0, 0, self.items
        for position in positions:
            while index < len(items) and items[index][1] <= position:
                start, end, new_length = items[index]
                shift += new_length - (end - start)
                index += 1
            if index < len(items) and items[index][0] <= position:
                out.append(items[index][0] + shift)
            else:
                out.append(position + shift)
        return out


def _follow(positions: list[int], chain: list[_Edits]) -> list[int]:
    """Map ascending offsets through several passes' edits, in order."""
    for edits in chain:
        if edits.items:
            positions = edits.map_sorted(positions)
    return positions


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
    """The transparent run around each of some positions, for asking what a mark stands beside.

    Runs are found around the positions asked for, in one sweep over them
    in order: each run is scanned once, however many positions it holds.
    """

    def __init__(self, text: str, positions: list[int]) -> None:
        p = _patterns()
        self.text = text
        self.spans: dict[int, tuple[int, int]] = {}
        start = end = 0
        for pos in sorted(positions):
            if pos < end:
                self.spans[pos] = (start, end)
            elif p["transparent"].match(text, pos):
                start = p["run_back"].match(text, end, pos).start()
                end = p["run_fwd"].match(text, pos).end()
                self.spans[pos] = (start, end)
            else:
                self.spans[pos] = (pos, pos + 1)

    def left_is_cjk(self, pos: int) -> bool:
        start, _ = self.spans[pos]
        return start > 0 and _is_cjk(self.text[start - 1])

    def right_is_cjk(self, pos: int) -> bool:
        _, end = self.spans[pos]
        return end < len(self.text) and _is_cjk(self.text[end])


class _Needles:
    """The next occurrence of any of a few strings, by `str.find`.

    `str.find` is several times faster than a regex class scan. Each
    string's next occurrence is kept and only searched again once passed,
    so asking in increasing order reads the text once per string.
    """

    def __init__(self, text: str, needles: list[str], start: int = 0, end: int | None = None) -> None:
        self.text = text
        self.end = len(text) if end is None else end
        self.upcoming = {needle: text.find(needle, start, self.end) for needle in needles}

    def find(self, pos: int) -> tuple[int, str] | None:
        """(offset, string) of the first occurrence at or after `pos` (before the end), or None."""
        best = None
        for needle, at in self.upcoming.items():
            if 0 <= at < pos:
                at = self.upcoming[needle] = self.text.find(needle, pos, self.end)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, needle)
        return best


def _pairs_around_cjk(text: str, pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs (open, close) with a CJK character strictly between them.

    One sweep in order of opening, reusing the next CJK character found, so
    deeply nested pairs cost the length of the text, not the sum of theirs.
    """
    cjk = _patterns()["cjk"]
    found = set()
    next_cjk = -1
    for open_, close in sorted(pairs):
        if next_cjk <= open_:
            m = cjk.search(text, open_ + 1)
            next_cjk = m.start() if m else len(text)
        if next_cjk < close:
            found.add((open_, close))
    return found


def _protect(text: str, rare: set[str]) -> tuple[str, list[str]]:
    """Swap every protected span for one private-use sentinel character.

    Private-use characters of plane 16 already in the text are swapped too,
    so a sentinel can never be confused with the text's own characters.
    """
    p = _patterns()
    spans: list[str] = []
    if not ("@" in rare or "`" in rare or any(ch >= "\U00100000" for ch in rare)
            or ("/" in rare and "://" in text) or ("w" in rare and "www." in text)):
        return text, spans

    def swap(m: "regex.Match[str]") -> str:
        if _SENTINEL_BASE + len(spans) > _SENTINEL_LIMIT:
            return m.group()
        spans.append(m.group())
        return chr(_SENTINEL_BASE + len(spans) - 1)

    # Every protected span lies within one line and holds one of the hints
    # (`://`, `www.`, `@`, a backtick, a plane-16 character), so only the
    # lines holding a hint go through the (slow, many-branched) pattern.
    # Each line is cut out whole: the one look-behind sees a line break or
    # the start of the string, which it treats alike.
    hints = _Needles(text, [hint for hint in ("://", "www.", "@", "`") if hint in text]
                     + [ch for ch in rare if ch >= "\U00100000"])
    pieces, last = [], 0
    while hit := hints.find(last):
        start = text.rfind("\n", 0, hit[0]) + 1
        end = text.find("\n", hit[0])
        end = len(text) if end < 0 else end
        pieces += [text[last:start], p["protected"].sub(swap, text[start:end])]
        last = end
    pieces.append(text[last:])
    return "".join(pieces), spans


def _restore(text: str, spans: list[str]) -> tuple[str, _Edits]:
    edits = _Edits()
    if not spans:
        return text, edits

    def back(m: "regex.Match[str]") -> str:
        original = spans[ord(m.group()) - _SENTINEL_BASE]
        edits.add(m.start(), m.end(), len(original))
        return original

    return _patterns()["plane16"].sub(back, text), edits


def _count(counters: dict[str, int], key: str, n: int) -> None:
    if n:
        counters[key] = counters.get(key, 0) + n


def _counted(counters: dict[str, int], key: str, replacement: str) -> str:
    _count(counters, key, 1)
    return replacement


def _fold_width(text: str, counters: dict[str, int], rare: set[str]) -> str:
    p = _patterns()
    if any(ch in _FOLD_ALNUM for ch in rare):
        text, n = p["alnum"].subn(lambda m: _FOLD[m.group()], text)
        _count(counters, "fullwidth_alnum", n)
    for symbol in _FULLWIDTH_SYMBOLS:
        if symbol in rare:
            _count(counters, "fullwidth_symbols", text.count(symbol))
            text = text.replace(symbol, _FOLD[symbol])
    if "．" not in rare:
        return text
    return p["inner_stop"].sub(lambda m: _counted(counters, "fullwidth_symbols", "."), text)


def _fold_marks(text: str, counters: dict[str, int], rare: set[str]) -> str:
    """Rule 0: `――` and `．．．` are Chinese marks in the wrong code points."""
    if "―" in rare and "――" in text:
        _count(counters, "dash", text.count("――"))
        text = text.replace("――", "——")
    if "．" not in rare or "．．．" not in text:
        return text
    return _patterns()["fullwidth_dots"].sub(lambda m: _counted(counters, "ellipsis", "……"), text)


def _chinese_ellipses(text: str, counters: dict[str, int], edits: _Edits) -> str:
    """Rule 4: `。。。`, a lone `…` and `………` become `……`.

    Runs after the spaces rule so that `…… ……` joined by it becomes one `……`;
    a `…` is CJK before and after, so no context changes.
    """
    if "…" not in text and "。。。" not in text:
        return text

    def ellipsis(m: "re.Match[str]") -> str:
        edits.add(m.start(), m.end(), 2)
        return _counted(counters, "ellipsis", "……")

    return _patterns()["chinese_ellipsis"].sub(ellipsis, text)


def _parens(text: str, counters: dict[str, int]) -> tuple[str, bool]:
    """Rule 2a: pair parentheses per line, make Chinese pairs full width.

    Only lines holding an ASCII parenthesis can change, so only they are read.
    Returns the text and whether an ASCII parenthesis is left.
    """
    if "(" not in text and ")" not in text:
        return text, False
    pairs: list[tuple[int, int]] = []
    unpaired: list[int] = []
    tokens: list[int] = []
    ascii_parens = _Needles(text, ["(", ")"])
    line_end = 0
    while hit := ascii_parens.find(line_end):
        line_start = text.rfind("\n", 0, hit[0]) + 1
        line_end = text.find("\n", hit[0])
        if line_end < 0:
            line_end = len(text)
        stack: list[int] = []
        in_line = _Needles(text, ["(", ")", "（", "）"], line_start, line_end)
        pos = line_start
        while token := in_line.find(pos):
            at, ch = token
            pos = at + 1
            tokens.append(at)
            if ch in "(（":
                stack.append(at)
            elif stack:
                pairs.append((stack.pop(), at))
            else:
                unpaired.append(at)
        unpaired.extend(stack)
    # Pairs with a full-width half or CJK inside are decided without runs;
    # runs are found only around the parentheses still undecided.
    around_cjk = _pairs_around_cjk(text, pairs)
    out: dict[int, str] = {}
    undecided: list[tuple[int, int]] = []
    for open_, close in pairs:
        if text[open_] == "（" and text[close] == "）":
            continue
        if text[open_] == "（" or text[close] == "）" or (open_, close) in around_cjk:
            out.update({open_: "（", close: "）"})
        else:
            undecided.append((open_, close))
    unpaired = [pos for pos in unpaired if text[pos] in "()"]
    runs = _Runs(text, [pos for pair in undecided for pos in pair] + unpaired)
    for open_, close in undecided:
        if runs.left_is_cjk(open_) or runs.right_is_cjk(close):
            out.update({open_: "（", close: "）"})
    for pos in unpaired:
        if runs.left_is_cjk(pos) or runs.right_is_cjk(pos):
            out[pos] = _FULL_PUNCT[text[pos]]
    out = {pos: ch for pos, ch in out.items() if text[pos] != ch}
    _count(counters, "parens", len(out))
    ascii_count = sum(text[pos] in "()" for pos in tokens)
    if len(out) == ascii_count:  # every ASCII parenthesis converted
        return text.replace("(", "（").replace(")", "）"), False
    return _replace_at(text, out), True


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


def _quotes(text: str, counters: dict[str, int]) -> tuple[str, list[int], bool]:
    """Rule 2b: pair quotes, make Chinese pairs curly.

    Returns the text, the unpairable offsets, and whether an ASCII quote is left.

    Pairs with both halves ASCII cannot nest more than two deep (an ASCII
    quote only opens when none of its kind is open), so looking inside each
    for CJK stays linear.
    """
    if '"' not in text and "'" not in text:
        return text, [], False
    cjk = _patterns()["cjk"]
    lines = _quote_lines(text)
    runs = _Runs(text, [pos for tokens in lines for pos, _ in tokens])
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
    leftover = any(ch in "\"'" and pos not in out for tokens in lines for pos, ch in tokens)
    return _replace_at(text, out), sorted(unpairable), leftover


def _marks_in_runs(text: str, counters: dict[str, int], edits: _Edits, rare: set[str]) -> tuple[str, bool]:
    """Rule 2c: ASCII marks, `...` and `--` in runs that stand in Chinese context.

    Returns the text and whether any of them is left (not in Chinese context,
    or a number-internal mark), which a later round might still convert.

    First the marks that can be decided by their neighbours alone are
    converted by a plain substitution per mark, which keeps every length:
    a mark with CJK right beside it stands in Chinese context and is no
    number-internal mark, so it becomes full width. Converting it splits its
    run, and every piece then has CJK beside it too, so the rule decides the
    rest as it would have decided the whole run. The one exception is a
    piece that becomes a bare `--` between CJK (`中--,国` keeps its `--`), so
    in a text holding `--` only runs that are a mark alone are done this way.
    Then the runs that still hold a mark are visited one by one. New counters
    are added in the order of their first change in the text, as a
    left-to-right pass would.
    """
    p = _patterns()
    present = [mark for mark in _RUN_MARKS if mark in text]
    extra = [needle for needle in ("...", "--") if needle[0] in rare and needle in text]
    if not present and not extra:
        return text, False
    before = text
    firsts: dict[str, int] = {}
    tally: dict[str, int] = {}

    def note(key: str, pos: int, n: int = 1) -> None:
        firsts[key] = min(firsts.get(key, pos), pos)
        tally[key] = tally.get(key, 0) + n

    converted = []
    bulk = "lone" if "--" in extra else "beside"
    for mark in present:
        text, n = _convert_all_but(text, mark, p[f"not_{bulk}_{mark}"])
        if n:
            converted.append(mark)
            tally["punct"] = tally.get("punct", 0) + n
    left = [mark for mark in present if mark in text] + extra
    leftover = False
    if left:
        text, leftover = _longer_runs(text, note, edits, left)
    if len([key for key in tally if key not in counters]) > 1 and converted:
        # Several new counters: the first bulk conversion decides where punct goes.
        # A mark converted only because its neighbour was is no earlier than
        # the chain of marks it stands in, whose first member is found here.
        found = (p[f"{bulk}_{mark}"].search(before) for mark in converted)
        first_bulk = min(m.start() for m in found if m)
        firsts["punct"] = min(firsts.get("punct", first_bulk), first_bulk)
    for key in sorted(tally, key=lambda key: firsts.get(key, 0)):
        _count(counters, key, tally[key])
    return text, leftover


def _convert_all_but(text: str, mark: str, kept: "re.Pattern[str]") -> tuple[str, int]:
    """Every `mark` made full width except those `kept` matches; and how many changed.

    The marks to keep are few, so the text is cut at them and the pieces
    go through `str.replace`, far cheaper than a substitution per mark.
    """
    total = text.count(mark)
    keep = [m.start() for m in kept.finditer(text)]
    if len(keep) == total:
        return text, 0
    full = _FULL_PUNCT[mark]
    pieces, last = [], 0
    for pos in keep:
        pieces += [text[last:pos].replace(mark, full), mark]
        last = pos + 1
    pieces.append(text[last:].replace(mark, full))
    return "".join(pieces), total - len(keep)


def _longer_runs(text: str, note, edits: _Edits, needles: list[str]) -> tuple[str, bool]:
    """Rule 2c for each run holding one of `needles` (marks, `...`, `--`), found from it outwards.

    Also says whether any needle is left (a later round may convert it).
    """
    p = _patterns()
    triggers = _Needles(text, needles)
    run_back, run_fwd = p["run_back"], p["run_fwd"]
    mark_in_run, dash_run = p["mark_in_run"], p["dash_run"]
    pieces, last, pos, leftover = [], 0, 0, False
    while hit := triggers.find(pos):
        at, needle = hit
        start = run_back.match(text, pos, at).start()
        end = pos = run_fwd.match(text, at + len(needle)).end()
        left = _is_cjk(text[start - 1]) if start else False
        right = _is_cjk(text[end]) if end < len(text) else False
        if not (left or right):
            leftover = True
            continue
        run = text[start:end]
        pieces.append(text[last:start])
        last = end
        if left and right and dash_run.fullmatch(run):
            note("dash", start)
            edits.add(start, end, 2)
            pieces.append("——")
            continue
        new_run, run_last = [], 0
        for mark in mark_in_run.finditer(run):
            new_run.append(run[run_last:mark.start()])
            if mark.group()[0] == ".":
                note("ellipsis", start + mark.start())
                edits.add(start + mark.start(), start + mark.end(), 2)
                new_run.append("……")
            else:
                note("punct", start + mark.start())
                new_run.append(_FULL_PUNCT[mark.group()])
            run_last = mark.end()
        new_run.append(run[run_last:])
        pieces.append("".join(new_run))
        leftover = leftover or any(needle in pieces[-1] for needle in needles)
    if not pieces:
        return text, leftover
    pieces.append(text[last:])
    return "".join(pieces), leftover


def _lone_dashes(text: str, counters: dict[str, int], edits: _Edits) -> str:
    """Rule 2d: a lone `—` between CJK, looking past spaces, becomes `——`.

    A dash that faces another dash across spaces (`— —`) is half of a `——`
    torn apart; the spaces rule joins it again.
    """
    if "―" not in text and text.count("—") == 2 * text.count("——"):
        return text  # every dash is half of a `——`
    p = _patterns()

    def fix(m: "re.Match[str]") -> str:
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


def _context_round(text: str, counters: dict[str, int], rare: set[str]) -> tuple[str, list[int], list[_Edits], bool]:
    """One round of rule 2: the text, unpairable quote offsets, its edits, and whether it is the last.

    Parentheses and quotes keep every length, so only the later passes of
    the round move offsets; the unpairable offsets are mapped through them.
    A round that leaves no ASCII parenthesis, quote or mark is the last one
    that can change anything: only those can change in a next round (the
    lone-dash pass comes last and sees what a next round would see).
    """
    unpairable: list[int] = []
    parens_left = quotes_left = False
    if "(" in rare or ")" in rare:
        text, parens_left = _parens(text, counters)
    if '"' in rare or "'" in rare:
        text, unpairable, quotes_left = _quotes(text, counters)
    chain = [_Edits(), _Edits()]
    text, marks_left = _marks_in_runs(text, counters, chain[0], rare)
    if "—" in rare or "―" in rare:
        text = _lone_dashes(text, counters, chain[1])
    settled = not (parens_left or quotes_left or marks_left)
    return text, _follow(unpairable, chain), chain, settled


def _spaces(text: str, counters: dict[str, int], edits: _Edits, space_chars: list[str]) -> str:
    """Rule 3: spaces near CJK go; on Chinese lines other runs become one space.

    `space_chars` are the space characters the text holds; runs are found
    from them with `str.find`, faster than a regex class over the text.
    """
    p = _patterns()
    line = [0, -1, False]  # start, end and whether it holds CJK, of the last line asked about

    def on_chinese_line(pos: int) -> bool:
        if not line[0] <= pos < line[1]:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line[:] = [start, end, p["cjk"].search(text, start, end) is not None]
        return line[2]

    def fix(m: "re.Match[str]") -> str:
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

    pieces, last, pos = [], 0, 0
    spaces = _Needles(text, space_chars)
    while hit := spaces.find(pos):
        m = p["space_run"].match(text, hit[0])
        pos = m.end()
        replacement = fix(m)
        if replacement != m.group():
            pieces += [text[last:m.start()], replacement]
            last = pos
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _excerpt(text: str, pos: int) -> str:
    return text[max(0, pos - 6):pos + 7].replace("\n", " ")


def _enumeration_commas(text: str) -> list[int]:
    """Offsets of the ASCII commas in lists of short items (reported, rule above)."""
    if "," not in text:
        return []
    return [m.start() + i for m in _patterns()["enumeration"].finditer(text)
            for i, ch in enumerate(m.group()) if ch == ","]


def normalize_width(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Return (normalised text, counts per kind of change, warnings).

    Warning offsets are code-point offsets into the returned text.
    """
    counters: dict[str, int] = {}
    # The rare characters some pass needs, found in one scan: a pass whose
    # characters are absent is skipped (the set only shrinks as the text is
    # cleaned, except for what folding makes, which is added).
    rare = set(_patterns()["rare"].findall(text))
    if rare & _FOLD_TRIGGERS:
        text = _fold_width(text, counters, rare)
        text = _fold_marks(text, counters, rare)
        rare |= {_FOLD[ch] for ch in rare & _FOLD.keys()} | {made for source, made in (("―", "—"), ("．", ".")) if source in rare}
    text, protected = _protect(text, rare)
    enum_commas = _enumeration_commas(text)
    chain: list[_Edits] = []
    while True:
        new_text, unpairable, round_edits, settled = _context_round(text, counters, rare)
        if new_text == text:
            break
        chain.extend(round_edits)
        text = new_text
        if settled:  # a further round would change nothing (and no quote was left unpairable)
            break
    tail = [_Edits(), _Edits()]
    if rare & _SPACE_CHARS:
        text = _spaces(text, counters, tail[0], sorted(rare & _SPACE_CHARS))
    text = _chinese_ellipses(text, counters, tail[1])
    text, restore_edits = _restore(text, protected)
    tail.append(restore_edits)

    warnings = []
    for out in _follow(enum_commas, chain + tail):
        warnings.append(f"width: ASCII comma between short items at offset {out} "
                        f"(“{_excerpt(text, out)}”): 、 may be meant; written as ，")
    for out in _follow(unpairable, tail):
        warnings.append(f"width: unpairable quote {text[out]} left as is at offset {out} (“{_excerpt(text, out)}”)")
    _count(counters, "warn_enumeration_comma", len(enum_commas))
    _count(counters, "warn_unpaired_quote", len(unpairable))
    return text, counters, warnings


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, counters, warnings = normalize_width(doc.text)
    return doc.evolve(text=text).with_warnings(*warnings), counters
