"""Write the chrome development set: dumps wrapped in chrome, each with a gold annotation.

    python benchmarks/make_chrome_devset.py        # rewrites benchmarks/chrome_devset/

Bodies come from the seeds' clean texts (samples/expected 001, 003, 004)
and from texts written for the purpose (devset_texts.py). The chrome is
written here after the patterns seen in real dumps, one recipe per dump,
covering every family of issue 5: navigation, download prompts, resource
metadata, tips lists, file-name lines, preview cuts and paywalls, contact
ads, disclaimers, URLs and e-mail, news-page chrome and photo captions,
watermarks spliced into sentences, a repeated title, pinyin glosses, junk
symbols, mojibake, unknown sites' furniture (for the classifier), HTML
pages, and two texts that are not speeches. Deterministic: same output
every run.

Gold (NAME.gold.json): title, body (paragraphs that must survive), chrome
(lines that must go), inline (spans that must go), truncated, meta.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "chrome_devset"
sys.path.insert(0, str(HERE))

from devset_texts import NOT_SPEECHES, SPEECHES  # noqa: E402

HALF = str.maketrans("，：；（）！？", ",:;()!?")

TOP = {
    "shop": ["购物车", "我的足迹", "我的收藏"],
    "crumb": ["当前位置：首页 > 范文大全 > 讲话稿"],
    "menu": ["首页 | 范文大全 | 讲话稿 | 工作总结 | 心得体会"],
    "vip": ["加入VIP免费下载 立即下载"],
    "logins": ["快捷下载", "会员登录下载", "微信登录下载", "三方登录下载:", "微信扫一扫登录"],
    "resource": ["资源ID:55120931", "资源大小:23.50KB", "全文页数:6页", "- 资源格式: DOCX", "下载积分:10金币"],
    "tips": ["友情提示", "1、本站文档下载后可能被浏览器直接打开,请右键另存为。",
             "2、预览文档经过压缩,下载后原文更清晰。", "3、本站不支持迅雷下载,请使用IE或360浏览器下载。"],
    "unknown_bar": ["笔耕网 · 写作素材 · 精品范例 · 帮助"],
    "unknown_app": ["扫码下载APP 领取会员"],
    "unknown_run": ["购物车", "素材库", "我的足迹"],
    "english": ["English"],
    "cost": ["下载该文档需要5金币"],
    "counts": ["浏览 2356 次 | 下载 12 次 | 收藏 3"],
    "sep": ["|"],
}
BOTTOM = {
    "cut_marker": ["............试读结束............"],
    "remaining": ["剩余3页未读，继续阅读"],
    "preview": ["以上为文档预览,完整内容请下载后查看"],
    "wechat_full": ["查阅全文加微信:wenmi2023"],
    "contact": ["客服微信:wenmi2023  QQ:3231169"],
    "follow": ["更多材料请关注公众号“笔杆子素材库”"],
    "ugc": ["本文内容由互联网用户自发贡献,该文观点仅代表作者本人。本站仅提供信息存储空间服务,如有侵权请联系删除。"],
    "copyright": ["Copyright © 2023 柠檬文苑 All Rights Reserved 京ICP备12345678号"],
    "url": ["本文链接:https://www.example-wenku.com/doc/88231.html"],
    "email": ["投稿邮箱:tougao@example-wenku.com"],
    "news_foot": ["(责任编辑:李明)", "上一篇:全县召开春季防火工作会议", "下一篇:我县举办农民丰收节", "Back to Top"],
    "sep": ["|"],
}
WATERMARKS = {
    "site_name": "柠檬文苑",
    "site_url": "如来写作网www.rulaixiezuo.com",
    "phrase": "更多范文请访问",
}


def seed_paragraphs(stem: str) -> tuple[str, list[str]]:
    lines = [line for line in (ROOT / "samples/expected" / f"{stem}.txt").read_text("utf-8").split("\n") if line]
    return lines[0], lines[1:]


def splice(paragraph: str, piece: str, at: float = 0.5) -> str:
    """Insert `piece` between two Chinese characters near `at` of the paragraph."""
    i = int(len(paragraph) * at)
    while i < len(paragraph) - 1 and not (_han(paragraph[i - 1]) and _han(paragraph[i])):
        i += 1
    return paragraph[:i] + piece + paragraph[i:]


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def cut(paragraph: str, at: float = 0.6) -> str:
    """The paragraph cut mid-sentence, after a Chinese character."""
    i = int(len(paragraph) * at)
    while i < len(paragraph) and not (_han(paragraph[i - 1]) and _han(paragraph[i])):
        i += 1
    return paragraph[:i]


def wrap(paragraph: str, width: int) -> list[str]:
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)]


def build(recipe: dict) -> tuple[str, dict]:
    title, body = recipe["text"]
    body = list(body)
    gold = {"title": recipe.get("gold_title", title), "chrome": [], "inline": [], "truncated": False,
            "meta": dict(recipe.get("meta", {}))}
    if recipe.get("cut"):
        body[-1] = cut(body[-1])
        gold["truncated"] = True
    if recipe.get("bottom") and any(k in ("cut_marker", "remaining", "preview", "wechat_full") for k in recipe["bottom"]):
        gold["truncated"] = True
    for kind, index in recipe.get("inline", []):
        piece = {"gloss": "(fā)", "gloss3": "(fa)", "junk": "◆", "mojibake": "锟斤拷"}.get(kind) or WATERMARKS[kind]
        count = 3 if kind == "gloss3" else 1
        paragraph = body[index]
        for n in range(count):
            paragraph = splice(paragraph, piece, 0.3 + 0.2 * n)
        gold["inline"].append(piece)
        body[index] = paragraph
    clean_body = [p for p in recipe["text"][1]]
    if recipe.get("cut"):
        clean_body[-1] = cut(clean_body[-1])
    gold["body"] = clean_body
    half = recipe.get("half", False)
    top = [line for key in recipe.get("top", []) for line in TOP[key]]
    bottom = [line for key in recipe.get("bottom", []) for line in BOTTOM[key]]
    lines: list[str] = []
    lines += top
    if "filename" in recipe:
        name = f"{title}{recipe['filename']}.docx"
        lines.insert(0, name)
        gold["chrome"].append(name)
    if recipe.get("news"):
        byline = "时间:2023-03-02 来源:县融媒体中心 作者:王晓"
        lines += [title, "", byline, ""]
        gold["chrome"].append(byline)
        gold["meta"].update({"date": "2023-03-02", "source": "县融媒体中心", "author": "王晓"})
    elif recipe.get("title_line", True):
        lines += ["", title, ""] if recipe.get("blank_title", True) else [title]
    if recipe.get("duplicate"):
        lines.append(title)
    if recipe.get("glued_watermark"):
        body[0] = f"{title}-柠檬文苑{title} {body[0]}"
        gold["inline"].append(f"{title}-柠檬文苑")
    width = recipe.get("wrap")
    captions = recipe.get("captions", {})
    for i, paragraph in enumerate(body):
        if width:
            lines += wrap(paragraph, width)
        else:
            lines.append(paragraph)
        if recipe.get("news"):
            lines.append("")
        if i in captions:
            lines += [captions[i], ""]
            gold["chrome"].append(captions[i])
    lines += bottom
    gold["chrome"] += top + bottom
    text = "\n".join(lines) + "\n"
    if half:
        text = text.translate(HALF)
        gold["chrome"] = [line.translate(HALF) for line in gold["chrome"]]
    if recipe.get("html"):
        text = to_html(title, body, top, bottom, recipe)
    return text, gold


def to_html(title: str, body: list[str], top: list[str], bottom: list[str], recipe: dict) -> str:
    nav = "".join(f"<li><a href='#'>{line}</a></li>" for line in top)
    paras = "".join(f"<p>{p}</p>\n" for p in body)
    foot = "".join(f"<p>{line}</p>" for line in bottom)
    charset = recipe.get("charset", "utf-8")
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>{title}_柠檬文苑</title>"
            f"<script>var _hmt = [];</script><style>.nav{{color:red}}</style></head>\n<body>\n"
            f"<div class=\"nav\"><ul>{nav}</ul></div>\n<div class=\"breadcrumb\">当前位置：首页 &gt; 讲话稿</div>\n"
            f"<div class=\"article-main\"><h1>{title}</h1>\n{paras}"
            f"<div class=\"share-box\">分享到：微信 微博 QQ空间</div></div>\n"
            f"<div class=\"related\"><h3>相关文章</h3><ul><li>在全市工作会议上的讲话</li><li>年度工作总结范文</li></ul></div>\n"
            f"<div class=\"footer\">{foot}<p>关于我们 | 联系我们 | 网站地图</p></div>\n</body></html>\n")


def recipes() -> list[tuple[str, dict]]:
    s = SPEECHES
    seed1 = seed_paragraphs("001_d33a3e94cfc4a8bb")
    seed3 = seed_paragraphs("003_e4bbd29cda93c3b3")
    seed1_a = (seed1[0], seed1[1][:6])
    seed1_b = (seed1[0], [seed1[1][0]] + seed1[1][6:12])
    seed3_a = (seed3[0], seed3[1][:5])
    news = ("我县召开2023年经济工作会议", [
        "3月1日上午，我县召开2023年经济工作会议，全面总结2022年经济工作，安排部署2023年重点任务。县委书记张华出席会议并讲话，县长刘强主持会议。",
        "会议指出，过去一年，全县上下坚持稳中求进工作总基调，经济运行稳中有进，地区生产总值增长5.2%，一般公共预算收入增长6.1%。",
        "坚持项目为王，狠抓招商引资",
        "会议强调，要牢固树立项目为王理念，全年新签约亿元以上项目30个以上，推动一批重大项目落地见效。",
        "坚持民生为本，增进群众福祉",
        "会议要求，要扎实办好十件民生实事，持续改善群众生产生活条件，让发展成果更多惠及全县人民。",
    ])
    captions = {0: "会议现场", 1: "县委书记张华讲话", 3: "县长刘强主持会议"}
    return [
        ("01_shop_vip", {"text": s[0], "top": ["shop", "vip"], "meta": {"occasion": "全县春季农业生产工作会议"}}),
        ("02_resource_tips_filename", {"text": s[0], "filename": "柠檬文苑", "top": ["resource", "logins", "tips", "sep"],
                                       "meta": {"resource_id": "55120931", "site": "柠檬文苑"}}),
        ("03_seed002_shape", {"text": s[2], "filename": "柠檬文苑", "top": ["resource", "logins", "tips", "sep"],
                              "title_line": False, "glued_watermark": True, "half": True}),
        ("04_crumb_menu", {"text": s[1], "top": ["crumb", "menu"], "bottom": ["copyright"]}),
        ("05_marker_cut", {"text": s[2], "top": ["vip"], "bottom": ["cut_marker", "wechat_full", "ugc"]}),
        ("06_mid_sentence", {"text": s[0], "top": ["shop"], "cut": True}),
        ("07_remaining_pages", {"text": s[3], "bottom": ["remaining"], "half": True}),
        ("08_preview_paid", {"text": s[4], "top": ["menu"], "bottom": ["preview", "contact"]}),
        ("09_contact_follow", {"text": s[1], "bottom": ["contact", "follow", "url"]}),
        ("10_disclaimer_email", {"text": s[3], "bottom": ["ugc", "email", "copyright"]}),
        ("11_news", {"text": news, "news": True, "captions": captions, "bottom": ["news_foot"]}),
        ("12_news_half", {"text": news, "news": True, "captions": captions, "bottom": ["news_foot"], "half": True}),
        ("13_watermark_name", {"text": s[2], "top": ["shop"], "inline": [("site_name", 1), ("site_name", 3)]}),
        ("14_watermark_url", {"text": s[0], "inline": [("site_url", 2), ("phrase", 5)]}),
        ("15_gloss_tone", {"text": s[1], "inline": [("gloss", 1), ("gloss", 2)]}),
        ("16_gloss_plain", {"text": s[3], "inline": [("gloss3", 1)]}),
        ("17_junk_mojibake", {"text": s[2], "inline": [("junk", 1), ("junk", 3), ("mojibake", 5)]}),
        ("18_duplicate_title", {"text": s[0], "top": ["vip"], "duplicate": True}),
        ("19_wrapped_resource", {"text": s[2], "top": ["resource", "vip"], "wrap": 30}),
        ("20_wrapped_cut", {"text": s[0], "top": ["shop"], "wrap": 28, "cut": True, "half": True}),
        ("21_unknown_site", {"text": s[1], "top": ["unknown_bar", "unknown_app"], "bottom": ["copyright"]}),
        ("22_unknown_run", {"text": s[3], "top": ["unknown_run", "english"]}),
        ("23_cost_counts", {"text": s[4], "top": ["cost", "counts"], "bottom": ["url"]}),
        ("24_seed001_a", {"text": seed1_a, "top": ["shop", "vip"], "bottom": ["ugc"]}),
        ("25_seed001_b_cut", {"text": seed1_b, "filename": "如来写作网", "top": ["resource", "tips"], "cut": True}),
        ("26_seed001_watermarks", {"text": seed1_a, "inline": [("site_url", 1), ("junk", 2), ("gloss", 3)], "half": True}),
        ("27_seed003_marker", {"text": seed3_a, "bottom": ["cut_marker", "wechat_full", "ugc"]}),
        ("28_seed003_crumb", {"text": seed3_a, "top": ["crumb", "counts"], "bottom": ["follow"], "half": True}),
        ("29_html_speech", {"text": s[2], "html": True, "top": ["shop"], "bottom": ["ugc"]}),
        ("30_html_gbk", {"text": s[0], "html": True, "charset": "gbk", "top": ["menu"], "bottom": ["ugc", "url"]}),
        ("31_html_news", {"text": news, "html": True, "bottom": ["news_foot"]}),
        ("32_novel", {"text": NOT_SPEECHES[0], "top": ["menu"], "bottom": ["copyright"]}),
        ("33_product", {"text": NOT_SPEECHES[1], "top": ["shop"], "bottom": ["contact"]}),
        ("34_no_title", {"text": s[1], "title_line": False, "top": ["vip"], "gold_title": None}),
        ("35_filename_only", {"text": s[3], "filename": "", "title_line": False, "top": ["logins"]}),
        ("36_everything", {"text": s[2], "filename": "柠檬文苑", "top": ["shop", "crumb", "vip", "resource", "tips"],
                           "inline": [("site_name", 2), ("gloss", 4)], "bottom": ["cut_marker", "ugc", "url"],
                           "duplicate": True}),
    ]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    for name, recipe in recipes():
        text, gold = build(recipe)
        suffix = ".html" if recipe.get("html") else ".txt"
        encoding = recipe.get("charset", "utf-8")
        (OUT / f"{name}{suffix}").write_bytes(text.encode(encoding))
        if recipe.get("html"):
            gold["chrome"] = []  # HTML furniture is checked by what the text keeps, not line by line
            gold["html_chrome"] = ([line for key in recipe.get("top", []) for line in TOP[key]]
                                   + [line for key in recipe.get("bottom", []) for line in BOTTOM[key]]
                                   + ["分享到：微信 微博 QQ空间", "相关文章", "当前位置：首页 > 讲话稿"])
        (OUT / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {len(recipes())} dumps to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
