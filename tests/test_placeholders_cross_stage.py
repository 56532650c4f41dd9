"""Masks are protected tokens: no stage may delete, split or re-punctuate them.

The check: find the masks in the raw dump (decoded, line breaks and spaces
taken out so a mask wrapped over two visual lines counts once, full-width
forms folded) and in the clean text. Every raw mask must be in the clean text,
except masks inside text a stage removed and recorded (chrome). Counting
whole mask strings catches a deleted mask (`XX` missing), a split one
(`XXX` -> `X` + `XX`), and a re-punctuated one (`**` -> `*`).
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DUMPS, SAMPLE_NAMES
from speechclean import Config, clean_bytes, clean_text
from speechclean import pipeline
from speechclean.document import Document
from speechclean.stages.decode import decode_bytes
from speechclean.stages.placeholders import find_masks, load_rules

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def mask_counts(text: str) -> Counter:
    """Width-folded mask strings in `text`, with all whitespace taken out first."""
    squashed = "".join(text.split())
    return Counter(m.text.translate(_FULL_WIDTH) for m in find_masks(squashed, load_rules()))


def lost_masks(raw: bytes, result) -> Counter:
    """Masks of the raw dump that are neither in the clean text nor in a recorded removal."""
    raw_text = decode_bytes(raw)[0]
    kept = mask_counts(result.text)
    for removal in result.document.removed:
        kept += mask_counts(removal.text)
    return mask_counts(raw_text) - kept


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_stage_loses_a_mask_of_a_sample(name):
    raw = (DUMPS / name).read_bytes()
    assert lost_masks(raw, clean_bytes(raw)) == Counter()


def test_samples_do_carry_masks():
    """The check above is only worth something if the samples have masks."""
    total = sum((mask_counts(decode_bytes((DUMPS / n).read_bytes())[0]) for n in SAMPLE_NAMES), Counter())
    assert sum(total.values()) >= 150
    assert {"XX", "XXX", "**", "***", "×", "x"} <= set(total)


def _drop_one_star(doc: Document, config: Config):
    """A stage that does what general-purpose cleaners do: collapse `**` to `*`."""
    return doc.evolve(text=doc.text.replace("**", "*", 1)), {}


_drop_one_star.NAME = "bad"  # type: ignore[attr-defined]
_drop_one_star.run = _drop_one_star  # type: ignore[attr-defined]


def test_the_check_fails_when_a_stage_damages_a_mask(monkeypatch):
    name = next(n for n in SAMPLE_NAMES if n.startswith("001"))
    raw = (DUMPS / name).read_bytes()
    stages = list(pipeline.STAGES)
    stages.insert(stages.index(pipeline.width), _drop_one_star)
    monkeypatch.setattr(pipeline, "STAGES", tuple(stages))
    monkeypatch.setattr(pipeline.run_pipeline, "__defaults__", (tuple(stages),))
    assert lost_masks(raw, clean_bytes(raw)) != Counter()


# Sentences in the style of the samples, each with masks of one form.
SENTENCES = [
    "全年实现规模以上工业总产值XX亿元，同比下降XX%，占全区总产值的XXX%。",
    "专精特新中小企业达**家（国家级*家、省级*家），同比增长***%。",
    "推动＊＊＊、＊＊＊＊等一批关键零部件企业继续增资扩产。",
    "我市于×年底布局先进制造业专业园区建设，提高×个百分点。",
    "深入学习贯彻***总书记系列重要讲话精神，支持x开展区域协调发展试点。",
    "成功举办2024中国(x)智慧商显产业创新发展大会，在x市冲在前面。",
    "某某同志在○○局○○科工作，□□市□□区人民政府高度重视。",
    "兹有[单位名称]【姓名】同志前来联系工作，╳╳县╳╳镇。",
    "计划于xx年xx月xx日召开，20XX年完成投资____亿元。",
    "XXX、XXXX、XXX等XX家企业的研发中心被认定为省级工程技术研究中心。",
    "ＸＸ公司与ＸＸＸ集团签订合作协议，投资ＸＸ亿元。",
]


@st.composite
def dumps(draw):
    """A raw dump: sentences wrapped at a fixed width, as document sites print them."""
    picked = draw(st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=8))
    width = draw(st.integers(min_value=6, max_value=40))
    ascii_punct = draw(st.booleans())
    body = "".join(picked)
    if ascii_punct:
        body = body.replace("，", ",").replace("；", ";").replace("：", ":")
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    indent = draw(st.sampled_from(["", "  ", "\u3000\u3000"]))
    return "在XX县经济工作会议上的讲话\n\n同志们：\n" + "\n".join(indent + line for line in lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(dumps())
def test_no_stage_loses_a_mask_of_a_wrapped_dump(dump):
    raw = dump.encode("utf-8")
    assert lost_masks(raw, clean_text(dump)) == Counter()
