"""Say whether the dump is a cut preview.

Two kinds of evidence: a preview-cut marker (`试读结束`, `剩余3页未读`), which
the chrome stage records when it removes the marker line, and a body that
stops in the middle of a sentence (seed 000 ends `是实施“十 四`). The second
needs the rejoined paragraphs and the title set apart, so this stage runs
after `meta`. A last paragraph stops mid-sentence when it ends in a clause
mark (`，、：“`), inside an unclosed quotation or bracket, or in Chinese
characters after prose with punctuation; short closing lines
(a date, a signature, `谢谢大家`) are never evidence.
"""

from __future__ import annotations

import regex

from ..chars import HAN
from ..config import Config
from ..document import Document

NAME = "truncation"

_ENDS_IN_CLAUSE = regex.compile(r"[，,、：:；;“‘（(《〈【—-]$")
_ENDS_COMPLETE = regex.compile(r"[。！？!?…”’）)》」』】\]\"'.]$")
_ENDS_IN_HAN = regex.compile(rf"[{HAN}]$")
_HAS_CLAUSE = regex.compile(r"[，,。！？!?；;、]")
_PAIRS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"))
SHORT_CLOSING = 12  # characters: shorter last lines are closings, dates or signatures


def stops_mid_sentence(paragraph: str) -> str | None:
    """Why `paragraph` (the last of a body) looks cut off, or None."""
    text = paragraph.strip()
    # The `…$` patterns are tried at the last character only (the text is
    # stripped, so `$` is its end): a search would try every position.
    last = len(text) - 1
    if not text or _ENDS_COMPLETE.search(text, last):
        return None
    if _ENDS_IN_CLAUSE.search(text, last):
        return f"the body ends with the clause mark {text[-1]!r}"
    last_sentence = regex.split(r"[。！？!?]", text)[-1]
    for opening, closing in _PAIRS:
        if last_sentence.count(opening) > last_sentence.count(closing):
            return f"the body ends inside an unclosed {opening}{closing}"
    if len(text) >= SHORT_CLOSING and _ENDS_IN_HAN.search(text, last) and _HAS_CLAUSE.search(text):
        return "the body ends in the middle of a sentence"
    return None


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    if doc.truncated:
        return doc, {"evidence": "marker"}
    lines = [line for line in doc.text.split("\n") if line.strip()]
    body = lines[1:] if doc.title is not None else lines
    if not body:
        return doc, {"evidence": None}
    reason = stops_mid_sentence(body[-1])
    if reason is None:
        return doc, {"evidence": None}
    tail = body[-1].strip()[-12:]
    doc = doc.evolve(truncated=True, truncation={"reason": reason, "marker": None, "rule": "truncation.mid_sentence",
                                                 "ends_with": tail})
    return doc, {"evidence": "mid-sentence"}
