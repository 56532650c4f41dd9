"""The one type that flows through the pipeline, and the records it carries.

A `Document` is immutable: every stage returns a new one made with
`Document.evolve`, so a stage can be tested as a pure function and the
pipeline can compare before/after to say whether a stage changed anything.
Everything a stage decides (a removed line, a conversion, a mask found) is
added to the document as a record; the sidecar is just these records
serialised, so nothing is dropped without a trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping


@dataclass(frozen=True)
class Removal:
    """Text a stage removed, with the rule that removed it.

    `line` is the 1-based line of the decoded input where the text stood,
    or None when the removal happened after lines were rejoined.
    """

    rule: str
    text: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        # The instance dict holds the fields in declaration order (the order
        # the sidecar lists them); copying it is cheaper than a dict display.
        return self.__dict__.copy()


@dataclass(frozen=True)
class Placeholder:
    """An anonymisation mask or a gap left by a deleted value.

    `start`/`end` are code-point offsets into the clean text as written.
    """

    kind: str  # "mask" or "gap"
    text: str
    start: int
    end: int
    rule: str
    category: str = "unknown"
    confidence: str = "high"
    context: str = ""
    original: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order, `original` only when there is one.

        A copy of the instance dict (which holds the fields in that order):
        a sidecar lists some thirty of these, and the copy is a third of the
        cost of a dict display.
        """
        data = self.__dict__.copy()
        if data["original"] is None:
            del data["original"]
        return data


@dataclass(frozen=True)
class Step:
    """What one stage did: whether the text changed and its counters."""

    name: str
    changed: bool
    counters: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "changed": self.changed, "counters": dict(self.counters)}


@dataclass(frozen=True)
class Document:
    """A dump on its way to a clean text.

    Before `decode` only `raw` is set; after it `text` holds the working text
    (lines separated by LF). The `title` is kept apart from `text` once a
    stage has found it; `layout` joins them at the end.
    """

    raw: bytes = b""
    source_path: str | None = None
    text: str = ""
    encoding: str | None = None
    encoding_evidence: str = ""
    format: str = "text"
    title: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    truncated: bool = False
    truncation: Mapping[str, Any] = field(default_factory=dict)
    script_detected: str = "simplified"
    converted_chars: int = 0
    removed: tuple[Removal, ...] = ()
    placeholders: tuple[Placeholder, ...] = ()
    steps: tuple[Step, ...] = ()
    warnings: tuple[str, ...] = ()

    def evolve(self, **changes: Any) -> "Document":
        """Return a copy with `changes` applied (the document is frozen).

        The same result as `dataclasses.replace`, four times cheaper: the copy
        takes the fields as they are instead of running the generated
        `__init__`, which sets each of the 16 fields through
        `object.__setattr__` (a frozen class forbids plain assignment). Stages
        call this some thirty times per file.
        """
        if not _DOCUMENT_FIELDS.issuperset(changes):
            unknown = ", ".join(sorted(set(changes) - _DOCUMENT_FIELDS))
            raise TypeError(f"Document has no field(s) {unknown}")
        copy = object.__new__(self.__class__)
        state = copy.__dict__
        state.update(self.__dict__)
        state.update(changes)
        return copy

    def with_removed(self, *removals: Removal) -> "Document":
        return self.evolve(removed=self.removed + removals) if removals else self

    def with_warnings(self, *warnings: str) -> "Document":
        return self.evolve(warnings=self.warnings + warnings) if warnings else self

    def with_meta(self, **items: Any) -> "Document":
        """Add metadata; values already found by an earlier stage win."""
        merged = dict(items)
        merged.update(self.meta)
        return self.evolve(meta={k: v for k, v in merged.items() if v not in (None, "")})


_DOCUMENT_FIELDS = frozenset(field.name for field in fields(Document))
