"""Rejoin visual lines into paragraphs: one paragraph per line.

Dumps copied out of PDFs and preview pages keep every visual line break,
either as a newline or as a space (seed 000 is one long line in which each
wrap became a space: `奋 斗目标`). A whitespace run next to Chinese text is a
possible break; the pieces between breaks are *segments* (visual lines).

Per block of non-blank lines the stage decides whether the text was wrapped
at a fixed width: most segments then have nearly the same display width.
- Wrapped: segments are joined, and a paragraph ends where a segment clearly
  shorter than the wrap width ends with closing punctuation, before a
  heading or a salutation, or before an indented line.
- Not wrapped (one paragraph a line already, or paragraphs separated by
  spaces as in seed 002): newline boundaries are kept; a space boundary is
  kept unless it falls inside a sentence (`各园区要 把`).
Joining never inserts whitespace between Chinese characters; between two
Latin words it keeps one space. No non-whitespace character is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..chars import HAN
from ..config import Config
from ..document import Document

NAME = "rejoin"

#: A whitespace run with Chinese text (or Chinese-context ASCII punctuation) on one side.
_BREAK = regex.compile(rf"(?<=[{HAN}，。、；：？！“”‘’（）《》〈〉【】—…·,:;!?)])[ \t]+|[ \t]+(?=[{HAN}，。、；：？！“”‘’（）《》〈〉【】—…·(])")
HEADING = regex.compile(
    r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[、．]|\d{1,2}\.(?!\d)"
    r"|[（(]\d{1,2}[)）]|第[一二三四五六七八九十百]+[章节部分条篇，,、])"
)
SALUTATION = regex.compile(
    r"^(?:尊敬的.{1,40}|各位.{1,16}|.{0,16}同志们|同事们|朋友们|女士们、?先生们|老师们、?同学们|亲爱的.{1,20})[:：,，!！]$"
)
_SENTENCE_END = regex.compile(r"[。！？；…!?;:：][”’）)》」』】\"']*$")
_LATIN_END = regex.compile(r"[A-Za-z0-9]$")
_LATIN_START = regex.compile(r"^[A-Za-z0-9]")


@dataclass
class Segment:
    text: str
    newline_before: bool  # the boundary before this segment was a newline
    indented: bool  # the source line began with whitespace


def is_heading(text: str, limit: int = 40) -> bool:
    """A short numbered heading without a sentence end (`一、认清形势`)."""
    return bool(HEADING.match(text)) and len(text) <= limit and not _SENTENCE_END.search(text)


def segment_width(text: str) -> int:
    """Display width as the page had it: ASCII Chinese punctuation counts 2."""
    width = 0
    for ch in text:
        width += 1 if ch < "\u1100" and ch not in ",:;!?()" else 2
    return width


def _segments(lines: list[str]) -> list[Segment]:
    segments: list[Segment] = []
    for line in lines:
        indented = line[:1] in (" ", "\t")
        pieces = [piece for piece in _BREAK.split(line.strip()) if piece]
        for index, piece in enumerate(pieces):
            segments.append(Segment(piece.strip(), index == 0, indented and index == 0))
    return segments


def wrap_width(widths: list[int]) -> int | None:
    """The wrap width if most segments share nearly one width, else None."""
    if len(widths) < 4:
        return None
    ordered = sorted(widths)
    width = ordered[int(len(ordered) * 0.75)]
    if width < 16 or width > 240:
        return None
    near = sum(1 for w in widths if abs(w - width) <= max(3, width // 10))
    return width if near >= 0.5 * len(widths) else None


def _ends_paragraph(seg: Segment, nxt: Segment, width: int | None) -> bool:
    if SALUTATION.match(seg.text) or SALUTATION.match(nxt.text):
        return True
    if width is None:
        if nxt.newline_before:
            return True
        if is_heading(seg.text):
            return True
        return bool(_SENTENCE_END.search(seg.text)) or not regex.search(rf"[{HAN}]$", seg.text)
    if nxt.indented:
        return True
    short = segment_width(seg.text) <= width - max(4, width // 10)
    if short and (_SENTENCE_END.search(seg.text) or is_heading(seg.text)):
        return True
    if _SENTENCE_END.search(seg.text) and is_heading(nxt.text, limit=10**6):
        return True
    return False


def _join(left: str, right: str) -> str:
    if _LATIN_END.search(left) and _LATIN_START.match(right):
        return f"{left} {right}"
    return left + right


def rejoin_block(lines: list[str]) -> tuple[list[str], bool]:
    """Paragraphs of one block of non-blank lines, and whether it was wrapped."""
    segments = _segments(lines)
    if not segments:
        return [], False
    width = wrap_width([segment_width(s.text) for s in segments[:-1]])
    paragraphs = [segments[0].text]
    for seg, nxt in zip(segments, segments[1:]):
        if _ends_paragraph(seg, nxt, width):
            paragraphs.append(nxt.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], nxt.text)
    return paragraphs, width is not None


def rejoin(text: str) -> tuple[str, dict[str, int]]:
    """Return text as paragraphs, one a line, blocks separated by one blank line."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out_blocks = []
    wrapped = 0
    lines_in = 0
    for block in blocks:
        if not block:
            continue
        lines_in += len(block)
        paragraphs, was_wrapped = rejoin_block(block)
        wrapped += was_wrapped
        out_blocks.append("\n".join(paragraphs))
    result = "\n\n".join(out_blocks)
    paragraphs_out = sum(1 for line in result.split("\n") if line)
    return result, {"lines_in": lines_in, "paragraphs_out": paragraphs_out, "wrapped_blocks": wrapped}


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text, counters = rejoin(doc.text)
    return doc.evolve(text=text), counters
