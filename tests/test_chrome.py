"""The chrome stage: line rules, inline cuts, the classifier, user rules and switches."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean import Config, ConfigError, clean_text
from speechclean.cli import main
from speechclean.ruleset import load_rules
from speechclean.stages.chrome import strip_chrome

PROSE = "今天我们召开全区经济工作会议，主要任务是总结去年工作，部署今年任务。"
PROSE2 = "过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，发展质量稳步提升。"


def strip(text: str, **kw):
    return strip_chrome(text, load_rules(), **kw)


@pytest.mark.parametrize(
    "line, rule_id",
    [
        ("购物车", "nav.shop"),
        ("当前位置：首页 > 范文大全 > 讲话稿", "nav.breadcrumb"),
        ("首页 | 范文 | 讲话稿 | 工作总结", "nav.menu_bar"),
        ("加入VIP免费下载", "download.prompt"),
        ("下载文档 ¥ 5.00", "download.prompt"),
        ("资源ID：87762768", "resource.id"),
        ("- 资源格式: DOCX", "resource.field"),
        ("浏览 235 次 | 下载 12 次", "resource.counts"),
        ("温馨提示：", "tips.heading"),
        ("1、本站文档均可在线预览，下载后无水印。", "tips.item"),
        ("在全县工作会议上的讲话_笔杆子文库.doc", "filename.line"),
        ("剩余5页未读，继续阅读", "paywall.preview_end"),
        ("查阅全文加微信：wenmi88", "paywall.contact"),
        ("客服QQ：3231169", "contact.id"),
        ("关注公众号“材料写作营”获取更多范文", "contact.follow"),
        ("如有侵权请联系删除", "disclaimer.ugc"),
        ("Copyright © 2023 All Rights Reserved", "disclaimer.copyright"),
        ("https://www.example.com/doc/1234.html", "url.line"),
        ("联系邮箱：service@example.com", "url.line"),
        ("发布时间：2023年2月24日 来源：市政府办公室", "news.byline"),
        ("来源：长春日报 作者：王丽", "news.source_line"),
        ("（责任编辑：李四）", "news.editor"),
        ("上一篇：在全市安全生产会议上的讲话", "news.nav"),
        ("|", "furniture.separator"),
        ("-- —", "furniture.separator"),  # spaced marks: found by the idempotence property
        ("— — —", "furniture.separator"),
    ],
)
def test_a_chrome_line_is_removed_by_its_rule(line, rule_id):
    result = strip(f"{PROSE}\n{line}\n{PROSE2}")
    assert result.text == f"{PROSE}\n{PROSE2}"
    assert [(r.rule, r.text, r.line) for r in result.removals] == [(rule_id, line, 2)]


@pytest.mark.parametrize(
    "body",
    [
        "同志们：",
        "一、提高思想认识",
        "（二）发展总目标",
        "谢谢大家！",
        "2023年2月23日",
        "XX市人民政府",
        "要用好微信公众号等新媒体平台，切实提升舆论引导能力。",
        "下一步，我们要把下载量大的政务服务事项全部搬到网上。",
        "首页设计要简洁，方便群众办事。",
        "——在全市经济工作会议上的讲话",
    ],
)
def test_body_lines_are_kept(body):
    text = f"{PROSE}\n{body}\n{PROSE2}"
    result = strip(text)
    assert result.text == text and result.removals == []


@pytest.mark.parametrize(
    "dirty, clean, rule_id",
    [
        ("推动产业柠檬文苑www.ningmengwenyuan.com高质量发展。", "推动产业高质量发展。", "watermark.site_url"),
        ("各园区要坚持柠檬文苑问题导向。", "各园区要坚持问题导向。", "watermark.site_name"),
        ("我们要坚持更多范文请访问稳中求进。", "我们要坚持稳中求进。", "watermark.phrase"),
        ("推动高质量发(fā)展。", "推动高质量发展。", "gloss.pinyin_tone"),
        ("推动高质量发（zhan3）展。", "推动高质量发展。", "gloss.pinyin_tone"),
        ("推动◆高质量☆发展。", "推动高质量发展。", "junk.symbol"),
        ("经济锟斤拷稳中向好。", "经济稳中向好。", "mojibake.fragment"),
    ],
)
def test_inline_chrome_is_cut_and_the_sentence_closed_up(dirty, clean, rule_id):
    result = strip(dirty)
    assert result.text == clean
    assert {r.rule for r in result.removals} == {rule_id}


def test_plain_pinyin_glosses_need_several_to_count():
    one = "发展人工智能(ai)产业。"
    assert strip(one).text == one
    many = "推动(tui)高质量发(fa)展，建设(she)现代化。"
    assert strip(many).text == "推动高质量发展，建设现代化。"


def test_masks_are_never_junk():
    text = "新增投资项目××个，□□县完成○○亿元。"
    assert strip(text).text == text


def test_preview_marker_records_truncation():
    result = strip(f"{PROSE}\n............试读结束............\n")
    assert result.truncation["marker"] == "............试读结束............"
    assert result.truncation["rule"] == "paywall.preview_end"


def test_meta_groups_of_a_rule_reach_meta():
    result = strip(f"时间:2023-02-23来源 : 中国网园区作者 : 孙海翔\n{PROSE}")
    assert result.meta == {"date": "2023-02-23", "source": "中国网园区", "author": "孙海翔"}


# A line rule on a line of prose cuts only the sentences it names (the bug: an
# unanchored rule such as disclaimer.ugc took the whole line, and a dump
# flattened into one line lost all its body text, or kept the disclaimer).

DISCLAIMER = "本文内容由互联网用户自发贡献,该文观点仅代表作者本人。"


def test_a_long_line_of_prose_loses_only_its_disclaimer_sentence():
    result = strip(PROSE * 12 + DISCLAIMER)
    assert result.text == PROSE * 12
    assert [(r.rule, r.text, r.line) for r in result.removals] == [("disclaimer.ugc", DISCLAIMER, 1)]
    assert result.lines_removed == 0 and result.spans_removed == 1 and not result.warnings


def test_a_short_line_of_prose_keeps_its_body_around_a_chrome_sentence():
    line = f"　　{PROSE}如有侵权请联系删除。 {PROSE2}"
    result = strip(f"{line}\n{PROSE}")
    assert result.text == f"　　{PROSE}{PROSE2}\n{PROSE}"
    assert [(r.rule, r.text, r.line) for r in result.removals] == [("disclaimer.ugc", "如有侵权请联系删除。", 1)]


def test_every_chrome_sentence_of_a_prose_line_is_recorded_with_its_rule():
    line = f"{PROSE}(责任编辑:李四) {PROSE2}{DISCLAIMER}"
    result = strip(line)
    assert result.text == f"{PROSE}(责任编辑:李四) {PROSE2}"  # an editor credit inside a sentence is not a line
    line = f"{PROSE}{DISCLAIMER}{PROSE2}如若转载,请注明出处:https://www.example.com/1.html"
    result = strip(line)
    assert result.text == PROSE + PROSE2
    assert [(r.rule, r.line) for r in result.removals] == [("disclaimer.ugc", 1), ("disclaimer.ugc", 1)]
    assert result.meta["url"] == "https://www.example.com/1.html"


def test_a_flattened_dump_keeps_every_body_sentence():
    """The 1 MB single line of the benchmark, scaled down: body sentences with one disclaimer inside."""
    sentences = [PROSE, PROSE2, "各园区要坚持问题导向，聚焦产业链招商，抓好重点项目建设。"] * 400
    line = "".join(sentences[:600]) + DISCLAIMER + "".join(sentences[600:])
    result = strip(line)
    assert result.text == "".join(sentences)
    cleaned = clean_text(line).text
    assert DISCLAIMER not in cleaned
    assert all(sentence in cleaned for sentence in set(sentences))


def test_a_line_of_chrome_sentences_only_goes_whole_as_one_removal():
    """Seed 003's last line: a contact ad and three disclaimer sentences, every one named."""
    line = ("查阅全文加微信:3231169 如来写作网:gw.rulaixiezuo.com(可搜索其他更多资料) 本文内容由互联网用户自发贡献,"
            "该文观点仅代表作者本人。本站仅提供信息存储空间服务,不拥有所有权,不承担相关法律责任。"
            "如若转载,请注明出处:https://www.qingsongxiezuo.com/181512.html")
    result = strip(f"{PROSE}\n{line}")
    assert result.text == PROSE
    assert [(r.rule, r.text) for r in result.removals] == [("paywall.contact", line)]
    assert result.truncation["marker"] == line


def test_a_short_chrome_line_of_two_sentences_goes_whole():
    line = "1、本站文档均可在线预览。下载后无水印。"
    result = strip(f"{PROSE}\n{line}\n{PROSE2}")
    assert result.text == f"{PROSE}\n{PROSE2}"
    assert [(r.rule, r.text) for r in result.removals] == [("tips.item", line)]


def test_a_rule_matching_only_across_sentences_of_prose_keeps_the_line_with_a_warning():
    line = "完整版的实施方案已经印发。请各单位通过微信工作群及时传达，认真抓好贯彻落实。"
    result = strip(f"{PROSE}\n{line}")
    assert result.text == f"{PROSE}\n{line}"
    assert result.removals == [] and "paywall.contact" in result.warnings[0]


# ------------------------------------------------------------------ classifier


def test_classifier_removes_an_unknown_sites_link_bar_and_keyword_lines():
    text = "\n".join(["文秘天地 · 公文写作 · 材料超市 · 写作课堂", "标题", PROSE, PROSE2, "扫码下载APP 领取会员"])
    result = strip(text)
    assert result.text == "\n".join(["标题", PROSE, PROSE2])
    assert [r.rule for r in result.removals] == ["classify.link_bar", "classify.keywords"]


def test_classifier_removes_a_short_line_between_chrome_lines_at_the_top():
    text = "\n".join(["购物车", "素材库", "我的足迹", "在全区工作会议上的讲话", PROSE])
    result = strip(text)
    assert result.text == "\n".join(["在全区工作会议上的讲话", PROSE])
    assert ("classify.chrome_run", "素材库") in [(r.rule, r.text) for r in result.removals]


def test_classifier_keeps_prose_even_with_chrome_words():
    line = "我们要加快发展数字经济，推动政务服务文档下载、在线登录等事项全部网上办理。"
    assert strip(f"{PROSE}\n{line}").removals == []


NEWS = (
    "时间:2023-02-23 来源:市政府网\n\n导语一行\n\n" + PROSE * 3 + "\n\n会场全景\n\n"
    "突出重点工作，推进高质量发展\n\n" + PROSE2 * 3 + "\n\n(责任编辑:王五)"
)


def test_a_news_caption_goes_and_a_news_heading_stays():
    result = strip(NEWS)
    assert "会场全景" not in result.text
    assert "突出重点工作，推进高质量发展" in result.text
    assert "导语一行" in result.text  # follows the byline, not prose: kept
    assert ("classify.caption", "会场全景") in [(r.rule, r.text) for r in result.removals]


def test_captions_only_on_news_pages():
    text = NEWS.replace("时间:2023-02-23 来源:市政府网", "").replace("(责任编辑:王五)", "")
    assert "会场全景" in strip(text).text


def test_a_classifier_verdict_can_be_disabled():
    assert "会场全景" in strip(NEWS, disabled=frozenset({"classify.caption"})).text


# ------------------------------------------------------------------ user rules and switches


def test_disable_rule_keeps_its_lines():
    text = f"购物车\n{PROSE}"
    assert clean_text(text, Config(disabled_rules=frozenset({"nav.shop"}))).text.startswith("购物车")


def test_disabling_an_unknown_id_is_a_config_error():
    with pytest.raises(ConfigError, match="nav.nope"):
        clean_text(PROSE, Config(disabled_rules=frozenset({"nav.nope"})))


def test_user_rules_file_adds_a_rule_and_extends_a_list(tmp_path: Path):
    rules = tmp_path / "site.toml"
    rules.write_text(
        '[lists]\nsites = ["星火文库"]\n\n[[rule]]\nid = "site.slogan"\nfamily = "watermark"\n'
        'description = "The slogan of a site we met."\nscope = "line"\npattern = "^星火燎原 文稿无忧$"\n'
        'example = "星火燎原 文稿无忧"\n',
        encoding="utf-8",
    )
    text = f"星火燎原 文稿无忧\n要坚持星火文库问题导向。\n{PROSE}"
    result = clean_text(text, Config(rules_files=(str(rules),)))
    assert "星火" not in result.text
    assert {"site.slogan", "watermark.site_name"} <= {r["rule"] for r in result.sidecar["removed"]}


@pytest.mark.parametrize(
    "content, message",
    [
        ("[[rule]]\nid = 'x'\n", "lacks"),
        ("not toml [", "not valid TOML"),
        ("[[rule]]\nid='a.b'\nfamily='f'\ndescription='d'\nscope='line'\npattern='(('\nexample='x'\n", "bad pattern"),
        ("[[rule]]\nid='a.b'\nfamily='f'\ndescription='d'\nscope='line'\npattern='^abc$'\nexample='xyz'\n",
         "does not match"),
        ("[[rule]]\nid='a.b'\nfamily='f'\ndescription='d'\nscope='line'\npattern='\\L<nolist>'\nexample='x'\n",
         "no \\[lists\\] table"),
        ("[rules]\n", "unknown table"),
    ],
)
def test_a_bad_rules_file_is_a_clear_config_error(tmp_path: Path, content, message):
    rules = tmp_path / "bad.toml"
    rules.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_rules((str(rules),))


def test_cli_rules_and_disable_rule(tmp_path: Path):
    dump = tmp_path / "a.txt"
    dump.write_text(f"购物车\n星火燎原\n{PROSE}\n", encoding="utf-8")
    rules = tmp_path / "r.toml"
    rules.write_text("[[rule]]\nid='my.slogan'\nfamily='watermark'\ndescription='our slogan line'\n"
                     "scope='line'\npattern='^星火燎原$'\nexample='星火燎原'\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["fix", str(dump), "--rules", str(rules), "--disable-rule", "nav.shop"])
    assert out.exit_code == 0 and out.output.startswith("购物车") and "星火燎原" not in out.output
    bad = runner.invoke(main, ["fix", str(dump), "--disable-rule", "no.such"])
    assert bad.exit_code == 2 and "no.such" in bad.output
    missing = runner.invoke(main, ["fix", str(dump), "--rules", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "cannot read rules file" in missing.output


# ------------------------------------------------------------------ properties

_BODY_LINE = st.text(alphabet="我们要坚持发展改革创新推动经济社会高质量建设", min_size=15, max_size=40).map(lambda s: s + "。")


@settings(max_examples=40, deadline=None)
@given(st.lists(_BODY_LINE, min_size=1, max_size=6))
def test_prose_lines_always_survive_the_chrome_stage(lines):
    text = "\n".join(lines)
    assert strip(text).text == text


@settings(max_examples=25, deadline=None)
@given(st.lists(_BODY_LINE, min_size=2, max_size=5), st.sampled_from(["购物车", "加入VIP免费下载", "友情提示", "|"]))
def test_chrome_stage_is_idempotent(lines, chrome):
    once = strip("\n".join([chrome] + lines)).text
    assert strip(once).text == once


def test_a_long_run_of_symbols_passes_through_unchanged():
    # Regression: an unanchored e-mail pattern in the classifier scanned a run of `-` quadratically.
    run = "-" * 3000 + "\n" + "ab." * 1000
    assert strip(run).text == run


def test_without_prose_no_line_is_judged_by_its_place():
    # Regression: with no prose line, every line counted as "at the edge" and short Latin lines went.
    text = "Tea Time\n绿茶 一百克\n红茶 二百克"
    assert strip(text).text == text
