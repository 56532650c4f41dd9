"""HTML dumps: chrome elements and containers dropped, blocks kept as lines, charset, meta."""

from __future__ import annotations

from speechclean import Config, clean_bytes
from speechclean.stages.html import html_to_lines

TITLE = "在全市工作会议上的讲话"
PARA = "今天我们召开全市工作会议，主要任务是总结去年工作，部署今年任务。"
PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="{{charset}}"><title>{TITLE}-柠檬文苑</title>
<meta name="author" content="市政府办公室"><link rel="canonical" href="https://example.org/a/1.html">
<style>p {{{{ color: red }}}}</style></head>
<body><div id="topnav">首页 | 范文 | 讲话稿</div>
<div class="breadcrumb">当前位置：首页 &gt; 讲话稿</div>
<div class="article"><h1>{TITLE}</h1><p>同志们：</p><p>{PARA}</p><p>一、认清形势</p><p>{PARA}<br>{PARA}</p>
<div class="share-box">分享到：微信 微博 QQ空间</div></div>
<aside><ul><li>热门文章</li><li>在全县工作会议上的讲话</li></ul></aside>
<footer>Copyright 2023 柠檬文苑 版权所有</footer><script>var x = "同志们";</script></body></html>"""


def test_an_html_page_is_cleaned_to_title_and_paragraphs():
    result = clean_bytes(PAGE.format(charset="utf-8").encode("utf-8"), source_path="a.html")
    assert result.text == f"{TITLE}\n\n同志们：\n{PARA}\n一、认清形势\n{PARA}\n{PARA}\n"
    assert result.sidecar["source"]["format"] == "html"
    rules = {r["rule"] for r in result.sidecar["removed"]}
    assert {"html.invisible", "html.container", "html.aside", "html.footer"} <= rules
    assert result.sidecar["meta"]["author"] == "市政府办公室"
    assert result.sidecar["meta"]["url"] == "https://example.org/a/1.html"


def test_charset_comes_from_the_meta_tag():
    raw = PAGE.format(charset="gbk").encode("gbk")
    result = clean_bytes(raw, source_path="b.htm")
    assert result.sidecar["source"]["encoding"] == "gbk"
    assert PARA in result.text


def test_html_is_sniffed_without_an_extension():
    result = clean_bytes(PAGE.format(charset="utf-8").encode("utf-8"), source_path="dump.txt")
    assert result.sidecar["source"]["format"] == "html" and "<p>" not in result.text


def test_a_container_holding_the_article_is_kept_whatever_its_class():
    markup = f'<html><body><div class="share-wrap"><p>{PARA}</p><p>{PARA}</p></div><div class="ad">广告位招租</div></body></html>'
    text, _, removals = html_to_lines(markup, frozenset({"share", "wrap", "ad"}))
    assert text == f"{PARA}\n{PARA}"
    assert [r.text for r in removals] == ["广告位招租"]


def test_user_rules_file_adds_chrome_tokens(tmp_path):
    rules = tmp_path / "html.toml"
    rules.write_text('[html]\nchrome_tokens = ["sitepromo"]\n', encoding="utf-8")
    markup = f'<html><body><p>{PARA}</p><div class="sitepromo">春季特惠进行中</div></body></html>'.encode()
    assert "春季特惠" in clean_bytes(markup, source_path="a.html").text
    assert "春季特惠" not in clean_bytes(markup, Config(rules_files=(str(rules),)), source_path="a.html").text
