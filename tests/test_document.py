"""Document's copy methods: the fast `evolve` must behave as `dataclasses.replace`."""

from __future__ import annotations

import dataclasses

import pytest

from speechclean.document import Document, Placeholder, Removal, Step


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


def test_record_json_lists_the_fields_in_the_sidecar_order():
    """The sidecar's key order is part of its bytes: records serialise in declaration order."""
    removal = Removal("nav.breadcrumb", "首页 > 讲话稿", 6)
    assert list(removal.to_json().items()) == [("rule", "nav.breadcrumb"), ("text", "首页 > 讲话稿"), ("line", 6)]
    gap = Placeholder("gap", "", 3, 3, "gap.x", context="全局，‸的发展")
    assert list(gap.to_json()) == ["kind", "text", "start", "end", "rule", "category", "confidence", "context"]
    mask = dataclasses.replace(gap, kind="mask", text="XX", end=5, original="ＸＸ")
    assert list(mask.to_json().items())[-2:] == [("context", "全局，‸的发展"), ("original", "ＸＸ")]
    data = mask.to_json()
    data["start"] = 99  # a caller may change its copy
    assert mask.start == 3 and mask.to_json()["start"] == 3
