"""A statistical second opinion on gaps: how often a deleted value stood between these characters.

The gap rules know the grammar of units, lists and dates, but each writer has
phrasings no rule was written for, and rules written from one writer's holes
barely find the next writer's. This model scores the place between two
characters by its context, two characters on the left and three on the right,
from counts taken on the project's annotated set (`benchmarks/placeholder_set`):
how often each piece of context stood at a gap and how often in plain text.
It is naive Bayes over nine pieces of context (each side alone, and the pairs
across the place), with add-α smoothing scaled so that a piece never seen in
training counts for nothing.

Counts are data in `rules/gap_model.json`, written by
`benchmarks/train_gap_model.py` from every annotated file but the clean held-out
ones, and from complete speeches with their numbers deleted; a test holds the
shipped file to what that script builds. Pieces seen only in plain text and at
most `pruned_below` times were left out (they barely move a score and were
most of the file).

Whether values were deleted at all is a property of the whole document: an
anonymiser who deletes numbers deletes them all through a speech, and most
speeches are complete. So the training prior (the share of places that were
gaps in the annotated set) is replaced by the document's own, estimated from
the high-confidence gaps the rules found in it (`Evidence`): in a long speech
where the rules find none the model all but falls silent, in a densely
anonymised one it speaks as trained. Only the rules' gaps count, not masks: a
gap filled with the mask token on a first run must not make a second run bolder.

The model only speaks where the rules did not: not at a gap a rule found nor
next to one, not inside a word the rules file knows (企业家, 事件: its
`not_words`), not next to a digit nor after a number in Chinese (the number is
there), and not within reach of a mask, whose characters are not the context
it learned (and a gap filled with the mask token must not make a second run
find another).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from operator import add
from importlib import resources
from typing import Callable, NamedTuple

RULE_ID = "gap.context_model"
LEFT, RIGHT = 2, 3  # context read on each side of a place
_LINE_EDGE = "\n"
_DIGITS = frozenset("0123456789０１２３４５６７８９")
# right after a number, in digits or in Chinese, or after 多/余/来 that follow
# one, the count is there: 三‸万, 八百多‸万平方米, 1500多‸万元, 十余‸家, 万余‸名
_NUMBER = _DIGITS | frozenset("〇零一二两三四五六七八九十百千万亿")
_APPROXIMATELY = frozenset("多余来")
# a gap the model adds may stand next to another gap only across list punctuation (‸、‸)
_BETWEEN_LIST_ITEMS = frozenset("、，,；")
# (name, offset of the piece from the place, length): l2 l1 | r1 r2 r3 and the pairs across
PIECES = (("r1", 0, 1), ("r2", 0, 2), ("r3", 0, 3), ("l1", -1, 1), ("l2", -2, 2),
          ("l1r1", -1, 2), ("l1r2", -1, 3), ("l2r1", -2, 3), ("l2r2", -2, 4))


class Evidence(NamedTuple):
    """How much of a document's text showed deleted values to the rules."""

    chars: int
    rule_gaps: int  # high-confidence gaps the rules found


def padded(line: str) -> str:
    """A line with line edges around it, as the model reads it: context stops at the line."""
    return _LINE_EDGE * LEFT + line + _LINE_EDGE * RIGHT


def next_to_a_number(line_padded: str, at: int) -> bool:
    """True when the place at index `at` of a padded line touches a digit or follows a
    number: the value is there, so the model neither learns from nor scores it."""
    left = line_padded[at - 1]
    return (left in _NUMBER or line_padded[at] in _DIGITS
            or left in _APPROXIMATELY and line_padded[at - 2] in _NUMBER)


def context(line_padded: str, place: int) -> tuple[str, ...]:
    """The nine pieces of context of `place` (an offset into the unpadded line)."""
    at = place + LEFT
    return tuple(line_padded[at + offset:at + offset + length] for _, offset, length in PIECES)


@dataclass(frozen=True)
class GapModel:
    """Weights (log-odds of a gap, per piece of context) and the two thresholds."""

    base: float  # log-odds of a gap at a place before any context is read
    weights: tuple[dict[str, float], ...]  # one dict per piece, in PIECES order
    candidate: float  # a place is scored in full only if base + r1 + l1 passes this
    low: float
    high: float
    # the document's prior (see `shift`): the rules' recall and a pseudo-count
    # turn the gaps they found into an estimate of how many there are; the
    # weight scales the change of log-odds (naive Bayes is overconfident)
    rule_recall: float
    pseudo_gaps: float
    prior_weight: float

    @classmethod
    def from_counts(cls, data: dict) -> "GapModel":
        gaps, places, alpha = data["gap_places"], data["other_places"], data["alpha"]
        ratio = gaps / places
        base = math.log(ratio)
        weights = tuple({} for _ in PIECES)
        index = {name: i for i, (name, _, _) in enumerate(PIECES)}
        for name, piece, at_gap, elsewhere in data["counts"]:
            weights[index[name]][piece] = math.log((at_gap + alpha * ratio) / (elsewhere + alpha)) - base
        return cls(base, weights, data["candidate"], data["low"], data["high"], data["rule_recall"],
                   data["pseudo_gaps"], data["prior_weight"])

    def shift(self, evidence: Evidence) -> float:
        """The change of log-odds at every place of a document with this evidence: 0 where
        it shows as many gaps as the training set, less the fewer it shows (never more)."""
        if not evidence.chars:
            return 0.0
        share = (evidence.rule_gaps + self.pseudo_gaps) / (evidence.chars * self.rule_recall)
        if share >= 0.5:
            return 0.0
        return self.prior_weight * min(0.0, math.log(share / (1 - share)) - self.base)

    def score(self, line_padded: str, place: int) -> float:
        """Log-odds that a value was deleted at `place` of the line."""
        return self.base + sum(w.get(piece, 0.0) for w, piece in zip(self.weights, context(line_padded, place)))

    def find(self, text: str, taken: set[int], near_mask: bytearray,
             inside_a_word: Callable[[str, int], bool], shift: float = 0.0) -> list[tuple[int, str]]:
        """(place, confidence) of every gap the model adds to those in `taken`, none inside a word
        `inside_a_word` knows; `shift` is added to every score (the document's prior)."""
        r1, r2, r3, l1, l2, l1r1, l1r2, l2r1, l2r2 = self.weights
        base = self.base + shift
        # r1 + l1 must pass this for a place to be scored in full; the first
        # pass runs in C (map, compress): most places of a text stop there
        bound = self.candidate - base
        found = []
        line_start = 0
        for line in text.split("\n"):
            pad = padded(line)
            n = len(line)
            firsts = map(add, map(r1.get, pad[LEFT:LEFT + n + 1], repeat(0.0)),
                         map(l1.get, pad[LEFT - 1:LEFT + n], repeat(0.0)))
            scored = []
            for place in compress(count(), map(bound.__lt__, firsts)):
                at = place + LEFT
                if next_to_a_number(pad, at) or near_mask[line_start + place]:
                    continue
                value = (base + r1.get(pad[at], 0.0) + l1.get(pad[at - 1], 0.0)
                         + r2.get(pad[at:at + 2], 0.0) + r3.get(pad[at:at + 3], 0.0) + l2.get(pad[at - 2:at], 0.0)
                         + l1r1.get(pad[at - 1:at + 1], 0.0) + l1r2.get(pad[at - 1:at + 2], 0.0)
                         + l2r1.get(pad[at - 2:at + 1], 0.0) + l2r2.get(pad[at - 2:at + 2], 0.0))
                if value > self.low:
                    scored.append((value, line_start + place))
            # the surest first: a place next to a gap already taken is the same hole seen twice
            for value, place in sorted(scored, reverse=True):
                if (place in taken or inside_a_word(text, place)
                        or any(_same_hole(text, place, other) for other in (place - 1, place + 1) if other in taken)):
                    continue
                taken.add(place)
                found.append((place, "high" if value > self.high else "low"))
            line_start += n + 1
        return sorted(found)


def _same_hole(text: str, place: int, other: int) -> bool:
    """Two gaps a character apart are one hole unless list punctuation stands between them."""
    return text[min(place, other)] not in _BETWEEN_LIST_ITEMS


@lru_cache(maxsize=1)
def load_model() -> GapModel:
    """The shipped model, read once per process."""
    data = json.loads(resources.files("speechclean.rules").joinpath("gap_model.json").read_text("utf-8"))
    return GapModel.from_counts(data)
