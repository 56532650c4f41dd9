"""A generic line classifier for chrome that no rule names.

Sites change their furniture faster than rules can follow, so after the
rules have run, the remaining lines are judged by their shape: length,
share of Chinese, sentence punctuation, position (in the furniture zone
above the first or below the last line of prose), density of site
keywords and URLs, and the neighbours' verdicts. It is tuned to be
conservative: dropping a body sentence is worse than keeping chrome, so
prose (a run of Chinese that ends like a sentence), headings, salutations
and title-shaped lines are never touched, and every other verdict needs
evidence of its own. Each verdict carries an id (`classify.*`) that the
sidecar shows and `--disable-rule` switches off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress
from operator import and_
from typing import NamedTuple

import regex

from ..chars import han_count
from ..shapes import HEADING, TITLE_SHAPE
from .rejoin import is_page_furniture

LINK_BAR = "classify.link_bar"
KEYWORDS = "classify.keywords"
NO_HAN_EDGE = "classify.no_han_edge"
CHROME_RUN = "classify.chrome_run"
CAPTION = "classify.caption"

PROSE_MIN_HAN = 15
CAPTION_MAX_CHARS = 30
CAPTION_AFTER_HAN = 25  # a caption follows a real paragraph, not a short line
RUN_MAX_CHARS = 10
SHAPE_MAX_CHARS = 200  # longer lines are never judged chrome by their shape alone
_PROSE_HEAD = 4 * PROSE_MIN_HAN  # is_prose counts Han characters here first

_SENTENCE_END_MARKS = "。！？!?…；;"
_CLOSERS = "”’」』）)"
_CLAUSE_PUNCT = regex.compile(r"[，。；：！？,;:!?]")
_SEPARATOR = regex.compile(r"\s*[|｜·•/]\s*|\s{2,}|\s+(?=\S{1,6}(\s|$))")
# The lookbehind starts an e-mail address only at the start of a run, so a long run stays linear.
_URL = regex.compile(r"(?:https?://|www\.)[!-~]+|(?<![A-Za-z0-9_.+-])[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
#: What a link bar needs between its links (every `_SEPARATOR` match holds one of these).
_LINK_BAR_MARK = regex.compile(r"[\s|｜·•/]")  # `regex`: the same `\s` as _SEPARATOR
_MASK = regex.compile(r"[X×*＊xX○□]{2,}|某某")
_DATE_OR_NUMBER = regex.compile(r"^[\d\s\-/.:：年月日()（）]+$")
_SALUTATION = regex.compile(r"(同志们|朋友们|代表|来宾|领导|同事们|同学们|先生们)[:：,，!！]?$")


class Lines(NamedTuple):
    """The lines of the dump that have text, as the classifier sees them: parallel lists, one entry a line.

    Lists rather than one record per line: most lines are never looked at.
    """

    text: list[str]  # stripped
    chrome: list[bool]  # already removed by a rule
    kept: list[bool]  # a rule the user switched off names it: body by the user's word
    blank_before: list[bool] | None = None  # only for news pages (captions); None elsewhere
    blank_after: list[bool] | None = None


def ends_like_a_sentence(text: str) -> bool:
    """Ends in `。！？!?…；;` and closing quotes: read from the end, not by scanning the line."""
    unclosed = text.rstrip(_CLOSERS)
    return bool(unclosed) and unclosed[-1] in _SENTENCE_END_MARKS


def is_prose(text: str) -> bool:
    """A run of Chinese that ends like a sentence: body unless a rule names it.

    The Han characters are counted in the line's head first: in a line of prose
    the head alone holds enough, and a line of a megabyte is not counted whole.
    """
    return (len(text) >= PROSE_MIN_HAN and ends_like_a_sentence(text)
            and (han_count(text[:_PROSE_HEAD]) >= PROSE_MIN_HAN
                 or (len(text) > _PROSE_HEAD and han_count(text) >= PROSE_MIN_HAN)))


def _protected(text: str) -> bool:
    return (
        is_prose(text)
        or is_page_furniture(text)
        or bool(HEADING.match(text))
        or bool(_SALUTATION.search(text))
        or (len(text) >= 4 and bool(TITLE_SHAPE.search(text)))
        or bool(_MASK.search(text))
    )


@lru_cache(maxsize=16)
def _lowered(keywords: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word.lower() for word in keywords)


@lru_cache(maxsize=16)
def _keyword_or_url(keywords: tuple[str, ...]) -> "re.Pattern[str]":
    """Any keyword (lower case) or the start of a URL or e-mail address: what a verdict inside the body needs."""
    words = sorted(set(_lowered(keywords)) | {"http://", "https://", "www.", "@"}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))


def _keyword_hits(text: str, keywords: tuple[str, ...]) -> int:
    lowered = text.lower()
    return sum(1 for word in _lowered(keywords) if word in lowered)


def _is_link_bar(text: str, keywords: tuple[str, ...], at_edge: bool) -> bool:
    if _CLAUSE_PUNCT.search(text) or len(text) > 120:
        return False
    tokens = [token for token in _SEPARATOR.split(text) if token and token.strip()]
    if len(tokens) < 3 or any(len(token) > 8 for token in tokens):
        return False
    return at_edge or _keyword_hits(text, keywords) >= 1


def _chrome_by_shape(text: str, keywords: tuple[str, ...], at_edge: bool) -> str | None:
    if len(text) > SHAPE_MAX_CHARS:
        return None
    if _is_link_bar(text, keywords, at_edge):
        return LINK_BAR
    hits = _keyword_hits(text, keywords)
    if len(text) <= 30 and not ends_like_a_sentence(text) and (hits >= 2 or (hits == 1 and len(text) <= 8 and at_edge)):
        return KEYWORDS
    url_chars = sum(len(m) for m in _URL.findall(text))
    if url_chars and url_chars >= 0.6 * len(text):
        return KEYWORDS
    if at_edge and not han_count(text) and regex.search(r"[A-Za-z]{2}", text) and not _DATE_OR_NUMBER.match(text):
        return NO_HAN_EDGE
    return None


def classify(lines: Lines, keywords: tuple[str, ...], news_page: bool,
             disabled: frozenset[str] = frozenset(), body: Iterable[int] | None = None) -> list[str | None]:
    """The classifier's reason for each line it judges chrome, else None.

    Lines a rule already removed and blank lines get None (they are not
    the classifier's to judge) but count as chrome neighbours. `body` holds
    every line inside the prose bounds that may hold a keyword or a URL
    (more do no harm; None: any line may): only those and the lines at the
    edges are looked at, since nothing else can get a verdict of its own.
    """
    texts, chrome, kept = lines.text, lines.chrome, lines.kept
    verdicts: list[str | None] = [None] * len(texts)
    first_prose, last_prose = _prose_bounds(texts, chrome)
    in_body = _keyword_or_url(keywords).search
    if body is None:
        judged: Iterable[int] = range(len(texts))
    else:
        judged = sorted({*range(0, max(first_prose, 0)), *body, *range(last_prose + 1, len(texts))})
    for i in judged:
        text = texts[i]
        if chrome[i] or kept[i] or not text or len(text) > SHAPE_MAX_CHARS:
            continue
        at_edge = i < first_prose or i > last_prose
        # Only a keyword or a URL can make a verdict inside the body; at the edges also a
        # separator (a link bar) or the lack of Han characters (see _chrome_by_shape).
        if in_body(text.lower()) is None and (not at_edge or (_LINK_BAR_MARK.search(text) is None and han_count(text))):
            continue
        if _protected(text):
            continue
        reason = _chrome_by_shape(text, keywords, at_edge)
        if reason and reason not in disabled:
            verdicts[i] = reason
    if CHROME_RUN not in disabled:
        _mark_chrome_runs(lines, verdicts, first_prose, last_prose)
    if news_page and CAPTION not in disabled:
        _mark_captions(lines, verdicts)
    return verdicts


def _prose_bounds(texts: list[str], chrome: list[bool]) -> tuple[int, int]:
    """The first and last line of prose (not removed by a rule), read from each end.

    With no prose at all no furniture zone can be told apart: (-1, len(lines)),
    so the shape alone judges and nothing is at the edge.
    """
    first = next((i for i, text in enumerate(texts) if not chrome[i] and is_prose(text)), None)
    if first is None:
        return -1, len(texts)
    last = next(i for i in range(len(texts) - 1, first - 1, -1) if not chrome[i] and is_prose(texts[i]))
    return first, last


def _is_chrome(chrome: list[bool], verdicts: list[str | None], i: int) -> bool:
    return chrome[i] or verdicts[i] is not None


def _neighbour(texts: list[str], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(texts):
        if texts[j]:
            return j
        j += step
    return None


def _mark_chrome_runs(lines: Lines, verdicts: list[str | None], first_prose: int, last_prose: int) -> None:
    """A short line in the furniture zone with chrome on both sides is chrome too.

    Only short lines can be such a line: they are picked out once, then
    marked until no more change.
    """
    texts, chrome, kept = lines.text, lines.chrome, lines.kept
    edge = [i for i in (*range(0, max(first_prose, 0)), *range(last_prose + 1, len(texts)))
            if 0 < len(texts[i]) <= RUN_MAX_CHARS and not chrome[i] and not kept[i]]
    changed = True
    while changed:
        changed = False
        for i in edge:
            text = texts[i]
            if verdicts[i]:
                continue
            if _protected(text) or _CLAUSE_PUNCT.search(text):
                continue
            if _DATE_OR_NUMBER.match(text):
                continue
            before, after = _neighbour(texts, i, -1), _neighbour(texts, i, 1)
            if before is None or after is None:
                continue
            if _is_chrome(chrome, verdicts, before) and _is_chrome(chrome, verdicts, after):
                verdicts[i] = CHROME_RUN
                changed = True


def _mark_captions(lines: Lines, verdicts: list[str | None]) -> None:
    """On a news page, a short unpunctuated line alone between prose paragraphs is a photo caption.

    Section headings of news pages are kept: they are two clauses with a
    comma (`突出主责主业，奋力推进…`), or follow something other than prose.
    """
    texts, chrome, kept = lines.text, lines.chrome, lines.kept
    blank_before, blank_after = lines.blank_before, lines.blank_after
    # Only a line between blank lines can be a caption: those are picked out in C.
    for i in compress(range(len(texts)), map(and_, blank_before, blank_after)):
        text = texts[i]
        if chrome[i] or kept[i] or verdicts[i] or not text:
            continue
        if len(text) > CAPTION_MAX_CHARS or _CLAUSE_PUNCT.search(text) or HEADING.match(text) or _MASK.search(text):
            continue
        before, after = _neighbour(texts, i, -1), _neighbour(texts, i, 1)
        if before is None or after is None or chrome[before] or verdicts[before]:
            continue
        if is_prose(texts[before]) and han_count(texts[before]) >= CAPTION_AFTER_HAN:
            verdicts[i] = CAPTION
