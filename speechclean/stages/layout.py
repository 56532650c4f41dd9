"""Lay the text out as the spec says: title, blank line, one paragraph a line.

The last stage that changes line structure. Placeholder offsets are
computed after it, so they point into the text exactly as written.
"""

from __future__ import annotations

from ..config import Config
from ..document import Document

NAME = "layout"


def lay_out(text: str, has_title: bool) -> str:
    """Return the final text: optional title + blank line, paragraphs, one final LF.

    A title with no body under it is written as a single line: a blank line
    after it would leave the file ending in two newlines.
    """
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    if has_title and len(lines) > 1:
        return lines[0] + "\n\n" + "".join(line + "\n" for line in lines[1:])
    return "".join(line + "\n" for line in lines)


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text = lay_out(doc.text, doc.title is not None)
    title = text.split("\n", 1)[0] if doc.title is not None and text else None
    paragraphs = sum(1 for line in text.split("\n") if line) - (1 if title else 0)
    warnings = [] if text else ["nothing left after cleaning: the dump holds no body text"]
    return doc.evolve(text=text, title=title).with_warnings(*warnings), {"paragraphs": paragraphs}
