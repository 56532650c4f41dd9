"""Find the title and the speech's own metadata; drop a repeated title.

Runs after rejoining, when the title glued to the body (`…大会上的讲 话 同志们:`)
has been split off. The title is the first paragraph when it reads as one:
short, no sentence-final punctuation, and either standing alone in its
block or shaped like a speech title (`在…上的讲话`). A copy of it opening the
body is removed. After this stage, when `doc.title` is set, the first line
of `doc.text` is the title (later stages normalise it with the body).
"""

from __future__ import annotations

import regex

from ..config import Config
from ..document import Document, Removal
from .rejoin import SALUTATION, is_heading

NAME = "meta"

TITLE_MAX_CHARS = 60
_TITLE_SHAPE = regex.compile(r"(讲话|致辞|发言|报告|讲稿|主持词|讲话稿|发言稿|贺词|演讲|动员会|总结|意见|方案|通知|决定)$")
_SENTENCE_END = regex.compile(r"[。！？；!?;，,、：:]$")
_OCCASION = regex.compile(r"^在(?P<occasion>.+?)(上|中)的(讲话|致辞|发言|报告|主持词|总结讲话)$")
_SPACES = regex.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


def is_title(first: str, alone: bool, following: str | None) -> bool:
    """Whether the first paragraph of a text is its title."""
    if len(first) > TITLE_MAX_CHARS or _SENTENCE_END.search(first) or SALUTATION.match(first):
        return False
    if is_heading(first):
        return False
    if _TITLE_SHAPE.search(first):
        return True
    return alone and following is not None


def find_title(text: str) -> tuple[str | None, str, list[Removal], dict]:
    """Return (title, text with the title as its first line, removals, meta)."""
    blocks = text.split("\n\n")
    first_block = blocks[0].split("\n")
    first = first_block[0].strip()
    alone = len(first_block) == 1 and len(blocks) > 1
    rest_lines = first_block[1:] + [line for block in blocks[1:] for line in block.split("\n")]
    rest_lines = [line for line in rest_lines if line.strip()]
    following = rest_lines[0] if rest_lines else None
    if not first or not is_title(first, alone, following):
        return None, "\n".join(line for line in text.split("\n") if line.strip()), [], {}
    removals = []
    if rest_lines and _squash(rest_lines[0]) == _squash(first):
        removals.append(Removal("title.duplicate", rest_lines.pop(0)))
    meta = {}
    occasion = _OCCASION.match(_squash(first))
    if occasion:
        meta["occasion"] = occasion.group("occasion")
    return first, "\n".join([first] + rest_lines), removals, meta


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    title, text, removals, meta = find_title(doc.text)
    if title is None and doc.meta.get("file_title"):
        # No title in the text itself: the file-name line names it.
        title = doc.meta["file_title"]
        text = title + "\n" + text if text else title
    doc = doc.evolve(text=text, title=title).with_removed(*removals).with_meta(**meta)
    return doc, {"title_found": title is not None, "duplicate_title_removed": bool(removals)}
