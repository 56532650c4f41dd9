"""Title, duplicate title, occasion and speaker, the not-a-speech warning, truncation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean import Config, clean_text
from speechclean.stages.meta import find_title, looks_like_speech, speech_meta, strip_site
from speechclean.stages.truncation import stops_mid_sentence

BODY = "同志们：\n今天我们召开全区经济工作会议，主要任务是总结去年工作，部署今年任务。\n我们要坚定信心，真抓实干。\n"
TITLE = "在全区经济工作会议上的讲话"


@pytest.mark.parametrize(
    "dump, title, source",
    [
        (f"{TITLE}\n\n{BODY}", TITLE, "text"),
        (f"{TITLE}\n{BODY}", TITLE, "text"),  # speech-shaped, not alone in its block
        (f"{TITLE}柠檬文苑.docx\n{BODY}", TITLE, "file name"),
        (f"2023年{TITLE}柠檬文苑.docx\n\n{TITLE}\n\n{BODY}", TITLE, "text"),  # the text's own title wins
        (f"{TITLE}-柠檬文苑\n\n{BODY}", TITLE, "text"),  # never with the site suffix
        (BODY, None, None),
    ],
)
def test_which_title_wins(dump, title, source):
    result = clean_text(dump)
    assert result.sidecar["title"] == title
    assert result.sidecar["meta"].get("title_source") == source
    if title:
        assert result.text.startswith(title + "\n\n同志们：")
    else:
        assert result.text.startswith("同志们：")


def test_a_title_repeated_at_the_start_of_the_body_is_removed():
    result = clean_text(f"{TITLE}\n\n{TITLE}\n{BODY}")
    assert result.text.count(TITLE) == 1
    assert [r["rule"] for r in result.sidecar["removed"]] == ["title.duplicate"]


def test_the_file_name_form_of_the_title_is_a_duplicate_too():
    _, text, removals = find_title(f"{TITLE}\n\n2023年{TITLE}\n同志们：", ("2023年" + TITLE,))
    assert text == f"{TITLE}\n同志们：" and len(removals) == 1


def test_duplicate_removal_can_be_disabled():
    result = clean_text(f"{TITLE}\n\n{TITLE}\n{BODY}", Config(disabled_rules=frozenset({"title.duplicate"})))
    assert result.text.count(TITLE) == 2


def test_strip_site():
    assert strip_site("讲话稿_柠檬文苑", ("柠檬文苑",)) == "讲话稿"
    assert strip_site("柠檬文苑", ("柠檬文苑",)) == "柠檬文苑"


@pytest.mark.parametrize(
    "title, lines, expected",
    [
        ("在2023年汽车产业高质量发展大会上的讲话", [], {"occasion": "2023年汽车产业高质量发展大会"}),
        ("市长张三在全市安全生产工作会议上的讲话", [], {"occasion": "全市安全生产工作会议", "speaker": "市长张三"}),
        ("2023年在先进制造业专业园区工作会议上的讲话", [], {"occasion": "先进制造业专业园区工作会议"}),
        ("坚定信心 奋力前行", ["——在全县三级干部大会上的讲话", "县委书记 李四", "（2024年1月8日）"],
         {"occasion": "全县三级干部大会", "speaker": "李四", "speaker_office": "县委书记", "date": "2024年1月8日"}),
        ("关于加强基层治理的意见", ["各乡镇："], {}),
    ],
)
def test_occasion_speaker_and_date(title, lines, expected):
    assert speech_meta(title, lines) == expected


def test_a_novel_page_is_cleaned_never_emptied_and_flagged():
    novel = "第一章 雨夜\n\n雨下得很大，他站在屋檐下，望着远处的灯火。\n“你来了。”她轻声说。\n"
    result = clean_text(novel)
    assert "雨下得很大" in result.text and "她轻声说" in result.text
    assert any("does not look like a speech" in w for w in result.sidecar["warnings"])


def test_a_product_page_is_flagged_but_keeps_its_text():
    page = "购物车\n\n智能保温杯 500ml\n\n采用双层不锈钢真空结构，保温时间长达十二小时。\n"
    result = clean_text(page)
    assert "保温时间长达十二小时" in result.text
    assert any("does not look like a speech" in w for w in result.sidecar["warnings"])


def test_a_speech_is_not_flagged():
    assert clean_text(f"{TITLE}\n\n{BODY}").sidecar["warnings"] == []
    assert looks_like_speech(None, ["同志们："], {})


@pytest.mark.parametrize(
    "last, cut",
    [
        ("2023年是贯彻落实党的二十大精神开局之年，是实施“十四", True),
        ("所以必须未雨绸缪、赶紧谋划，要紧紧抓", True),
        ("我们要坚持以下原则：", True),
        ("下面，我讲三点意见，", True),
        ("让我们携手奋进，共创美好未来！", False),
        ("谢谢大家", False),
        ("2023年2月23日", False),
        ("XX市人民政府办公室", False),
        ("会议强调，要抓好“三个重点”。", False),
    ],
)
def test_a_body_that_stops_mid_sentence(last, cut):
    assert bool(stops_mid_sentence(last)) is cut


def test_truncation_is_recorded_with_reason_and_marker():
    cut = clean_text(f"{TITLE}\n\n同志们：\n今天我们召开全区经济工作会议，要坚持“稳中求进")
    assert cut.sidecar["truncated"] is True
    assert cut.sidecar["truncation"]["marker"] is None and "unclosed" in cut.sidecar["truncation"]["reason"]
    marked = clean_text(f"{TITLE}\n\n{BODY}剩余3页未读，继续阅读\n")
    assert marked.sidecar["truncation"]["marker"] == "剩余3页未读，继续阅读"
    assert clean_text(f"{TITLE}\n\n{BODY}").sidecar["truncated"] is False


def test_title_only_text_is_not_truncated():
    assert clean_text(TITLE + "\n").sidecar["truncated"] is False


def _strip_site_by_every_pair(title: str, sites: tuple[str, ...]) -> str:
    """The rule as written before the one-`endswith` guard: every site, every separator."""
    for site in sites:
        for sep in ("-", "_", "—", "|", "｜", " ", ""):
            if title.endswith(sep + site) and len(title) > len(sep + site):
                return title[: -len(sep + site)].rstrip(" -_—|｜")
    return title


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("讲话稿文苑库柠檬-_—|｜ "), max_size=12))
def test_strip_site_guard_changes_nothing(title):
    sites = ("柠檬文苑", "文库", "文苑", "库")
    assert strip_site(title, sites) == _strip_site_by_every_pair(title, sites)
