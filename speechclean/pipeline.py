"""The stage order, written down in one place, and the loop that runs it.

Why this order:
- decode: bytes to text, first, because everything else works on text;
- html: markup to lines, before any text rule sees tags;
- hygiene: invisible and control characters and line endings, so no later
  rule has to tolerate a zero-width space or a CR;
- script: traditional to simplified, so every later rule needs only
  simplified forms;
- chrome: site furniture, on lines as the dump has them;
- rejoin: visual lines back into paragraphs;
- meta: the title, found once the title glued to the body is split off;
- width: punctuation and width, which need each mark's final neighbours;
- truncation: a body that stops mid-sentence marks a cut preview; it needs
  the rejoined last paragraph and the title set apart (after meta), and reads
  the final punctuation (after width: an ASCII quote is already `“`), so the
  ending it records is the text as written;
- layout: title, blank line, one paragraph a line;
- placeholders: masks and gaps, with offsets into the final text.
"""

from __future__ import annotations

from .config import Config
from .document import Document, Step
from .stages import chrome, decode, html, hygiene, layout, meta, placeholders, rejoin, script, truncation, width

STAGES = (decode, html, hygiene, script, chrome, rejoin, meta, width, truncation, layout, placeholders)


def run_pipeline(doc: Document, config: Config, stages=STAGES) -> Document:
    """Run every stage in order, recording a `Step` for each."""
    steps = list(doc.steps)
    for stage in stages:
        before = doc.text
        doc, counters = stage.run(doc, config)
        changed = doc.text is not before and doc.text != before if stage is not decode else True
        steps.append(Step(stage.NAME, changed, counters))
    return doc.evolve(steps=tuple(steps))
