"""Document's copy methods: the fast `evolve` must behave as `dataclasses.replace`."""

from __future__ import annotations

import dataclasses

import pytest

from speechclean.document import Document, Removal, Step


BASE = Document(raw=b"raw", source_path="a.txt", text="正文", meta={"date": "2023年2月20日"},
                removed=(Removal("r", "x", 1),), warnings=("w",))


@pytest.mark.parametrize("changes", [
    {},
    {"text": "新正文"},
    {"text": "t", "title": "题", "truncated": True, "truncation": {"reason": "r"}},
    {"steps": (Step("decode", True, {"chars": 2}),), "converted_chars": 3, "script_detected": "traditional"},
])
def test_evolve_equals_dataclasses_replace(changes):
    fast = BASE.evolve(**changes)
    assert fast == dataclasses.replace(BASE, **changes)
    assert type(fast) is Document and fast is not BASE
    assert vars(fast) == vars(dataclasses.replace(BASE, **changes))


def test_evolve_leaves_the_original_alone_and_the_copy_frozen():
    copy = BASE.evolve(text="新")
    assert BASE.text == "正文" and copy.text == "新"
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.text = "改"  # type: ignore[misc]


def test_evolve_refuses_unknown_fields_as_replace_does():
    with pytest.raises(TypeError, match="tilte"):
        BASE.evolve(tilte="x")


def test_with_methods_append_and_merge():
    doc = BASE.with_removed(Removal("s", "y")).with_warnings("v", "u").with_meta(date="2024年", speaker="张三", place="")
    assert doc.removed == (Removal("r", "x", 1), Removal("s", "y"))
    assert doc.warnings == ("w", "v", "u")
    assert doc.meta == {"date": "2023年2月20日", "speaker": "张三"}  # earlier value wins, empty values dropped
    assert BASE.with_removed() == BASE and BASE.with_warnings() == BASE
