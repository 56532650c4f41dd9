"""Build a deterministic benchmark corpus of dirty speech dumps from the samples.

The body text is made of sentences taken from samples/dumps/ and reassembled
into new speeches; everything else (titles, chrome lines, masks, wraps,
encodings, HTML pages) is composed here. The same seed, file count and size
give the same bytes, so figures from two machines or two commits compare.

What the corpus holds, in proportions chosen to look like a real crawl:
- wraps: one paragraph a line, hard wraps every 28-42 characters, wraps
  turned into spaces on one long line (like sample 000), ideographic indents,
  CRLF line endings;
- chrome lines at the head and foot (download prompts, resource fields,
  bylines, disclaimers), ASCII punctuation in about a third of the files,
  masks (XX, ***, ××, 某某, □□, ○○) and a sprinkle of invisible characters;
- ~20 % traditional script (OpenCC s2t), ~10 % GB18030 bytes, ~1 % HTML pages;
- a few single-line files of 1-5 MB (one per ~30 MB of corpus).

Usage:
    python benchmarks/make_corpus.py                    # 20,000 files, 150 MB
    python benchmarks/make_corpus.py --files 500 --mb 4 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "dumps"
DEFAULT_OUT = Path(__file__).resolve().parent / "corpus"
MANIFEST = ".manifest.json"
FILES_PER_FOLDER = 1000

#: Share of files per variant (drawn independently per file).
TRADITIONAL_SHARE = 0.20
GB18030_SHARE = 0.10
HTML_SHARE = 0.01
ASCII_PUNCT_SHARE = 0.33
MASK_SHARE = 0.5

BIG_MIN, BIG_MAX = 1_000_000, 5_000_000
BIG_EVERY = 30_000_000  # one big single-line file per this many bytes of corpus

TOPICS = (
    "汽车产业高质量发展", "先进制造业专业园区", "园区经济工作务虚", "招商引资推进", "安全生产",
    "优化营商环境", "乡村振兴", "科技创新", "党风廉政建设", "生态环境保护", "重点项目建设",
    "民营经济发展", "数字经济", "人才工作", "城市更新", "防汛抗旱", "文明城市创建",
)
OCCASIONS = ("大会", "工作会议", "推进会", "动员会", "座谈会", "务虚会", "总结表彰大会", "专题会议")
SPEECH_KINDS = ("讲话", "讲话", "讲话", "致辞", "发言", "主持词", "总结讲话")
SALUTATIONS = ("同志们：", "各位领导、同志们：", "同志们、朋友们：", "尊敬的各位来宾：")
HEADINGS = ("一、", "二、", "三、", "四、", "五、", "（一）", "（二）", "（三）", "1．", "2．", "第一，", "第二，")
HEADING_TEXTS = (
    "认清形势，坚定发展信心", "突出重点，狠抓工作落实", "强化保障，优化发展环境",
    "聚焦主业，推动产业升级", "守牢底线，统筹发展和安全", "转变作风，提升干部能力",
)
CHROME_HEAD = (
    "购物车", "我的足迹", "加入Vip免费下载 立即下载", "资源ID:{n}", "资源大小:{kb}.{d}KB", "全文页数:{p}页",
    "- 资源格式: DOCX", "下载积分:{p}金币", "快捷下载", "会员登录下载", "微信登录下载", "友情提示",
    "2、PDF文件下载后,可能会被浏览器默认打开,此种情况可以点击浏览器菜单,保存网页到桌面,就可以正常下载了。",
    "3、本站不支持迅雷下载,请使用电脑自带的IE浏览器,或者360浏览器、谷歌浏览器下载即可。",
    "时间:2023-0{p}-1{d}来源 : 中国网园区作者 : 编辑部", "|", "首页 > 范文大全 > 讲话稿",
    "{title}文苑.docx",
)
CHROME_FOOT = (
    "............试读结束............", "(责任编辑:园区投稿0{d})", "Back to Top",
    "本文内容由互联网用户自发贡献,该文观点仅代表作者本人。",
    "查阅全文加微信:{n} 写作网:gw.example.com(可搜索其他更多资料)",
    "上一篇：关于做好年度考核工作的通知", "下一篇：在全区组织工作会议上的讲话", "相关推荐",
)
MASK_PHRASES = (
    "XX同志", "XX市", "XXX", "***", "××", "××局", "某某", "某某公司", "□□", "○○", "×万元", "XX%",
)
INVISIBLES = ("\u200b", "\u00a0", "\ufeff", "\u3000")

#: Sentences of the samples that are site furniture, not speech: kept out of the body.
FURNITURE = ("本站", "下载", "微信", "侵权", "文档", "资料", "@")

_SENTENCE = regex.compile(r"[^。！？!?；;]+[。！？!?；;]")
_SPACE_IN_HAN = regex.compile(r"(?<=[^\x00-\x7f])[ \u3000]+|[ \u3000]+(?=[^\x00-\x7f])")
_HAN = regex.compile(r"\p{Han}")
_TO_ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"})


@dataclass(frozen=True)
class Spec:
    """What one generated file is: its path relative to the corpus and its variants."""

    path: str
    target_bytes: int
    traditional: bool
    encoding: str
    html: bool
    big: bool


@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """Body sentences of the samples, without wrap spaces or site furniture, in a stable order."""
    pool = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text("utf-8", errors="replace").replace("\ufffd", "")
        for line in text.splitlines():
            line = _SPACE_IN_HAN.sub("", line.strip())
            for sentence in _SENTENCE.findall(line):
                sentence = sentence.strip()
                if (len(_HAN.findall(sentence)) >= 10 and len(sentence) <= 160
                        and not any(word in sentence for word in FURNITURE)):
                    pool.append(sentence)
    if not pool:
        sys.exit(f"make_corpus: no sentences found under {SAMPLES}")
    return tuple(dict.fromkeys(pool))


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def plan(files: int, total_bytes: int, seed: int) -> list[Spec]:
    """Sizes and variants of every file, decided before any text is written."""
    rng = random.Random(seed)
    big_count = 0 if total_bytes < 3_000_000 else max(1, min(8, round(total_bytes / BIG_EVERY)))
    big_max = max(BIG_MIN, min(BIG_MAX, total_bytes // 6))
    big_sizes = [rng.randint(BIG_MIN, big_max) for _ in range(big_count)]
    small_count = max(0, files - big_count)
    remaining = max(total_bytes - sum(big_sizes), small_count * 600)
    weights = [math.exp(rng.gauss(0.0, 0.6)) for _ in range(small_count)]
    scale = remaining / sum(weights) if weights else 0
    sizes = [max(600, min(250_000, int(w * scale))) for w in weights]
    specs = []
    big_slots = set(rng.sample(range(files), big_count)) if big_count else set()
    small_iter = iter(sizes)
    big_iter = iter(big_sizes)
    for index in range(files):
        big = index in big_slots
        size = next(big_iter) if big else next(small_iter)
        html = not big and rng.random() < HTML_SHARE
        traditional = rng.random() < TRADITIONAL_SHARE
        encoding = "gb18030" if not html and rng.random() < GB18030_SHARE else "utf-8"
        tag = "big" if big else "html" if html else ("t" if traditional else "s") + ("g" if encoding == "gb18030" else "")
        suffix = ".html" if html else ".txt"
        path = f"{index // FILES_PER_FOLDER:03d}/{index:06d}_{tag}{suffix}"
        specs.append(Spec(path, size, traditional, encoding, html, big))
    return specs


def _fill(template: str, rng: random.Random, title: str) -> str:
    return template.format(n=rng.randint(10_000_000, 99_999_999), kb=rng.randint(10, 99), d=rng.randint(0, 9),
                           p=rng.randint(2, 9), title=title)


def _title(rng: random.Random) -> str:
    return f"在{rng.randint(2019, 2025)}年{rng.choice(TOPICS)}{rng.choice(OCCASIONS)}上的{rng.choice(SPEECH_KINDS)}"


def _paragraph(rng: random.Random, pool: tuple[str, ...], masks: bool) -> str:
    sentences = [rng.choice(pool) for _ in range(rng.randint(2, 7))]
    if masks and rng.random() < 0.4:
        index = rng.randrange(len(sentences))
        sentence = sentences[index]
        cut = rng.randrange(len(sentence))
        sentences[index] = sentence[:cut] + rng.choice(MASK_PHRASES) + sentence[cut:]
    return "".join(sentences)


def _body(rng: random.Random, pool: tuple[str, ...], chars: int, masks: bool) -> list[str]:
    """Paragraphs (with the odd heading) adding up to about `chars` characters."""
    paragraphs: list[str] = []
    length = 0
    while length < chars:
        if rng.random() < 0.08:
            paragraph = rng.choice(HEADINGS) + rng.choice(HEADING_TEXTS)
        else:
            paragraph = _paragraph(rng, pool, masks)
        paragraphs.append(paragraph)
        length += len(paragraph) + 1
    return paragraphs


def _wrap(paragraphs: list[str], rng: random.Random) -> tuple[str, str]:
    """Lay the paragraphs out the way one kind of site dumps them."""
    style = rng.choices(("lines", "hard", "spaces", "indent", "blank"), weights=(30, 25, 15, 15, 15))[0]
    if style == "lines":
        return "\n".join(paragraphs), style
    if style == "blank":
        return "\n\n".join(paragraphs), style
    if style == "indent":
        return "\n".join("\u3000\u3000" + p for p in paragraphs), style
    width = rng.randint(28, 42)
    wrapped = []
    for paragraph in paragraphs:
        wrapped.extend(paragraph[i:i + width] for i in range(0, len(paragraph), width))
    return ("\n" if style == "hard" else " ").join(wrapped), style


def _sprinkle(text: str, rng: random.Random) -> str:
    """A few invisible characters at random places, as copy-paste leaves them."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(INVISIBLES) + text[at:]
    return text


def _html(title: str, paragraphs: list[str], rng: random.Random) -> str:
    nav = "".join(f"<li><a href=\"/c/{i}\">栏目{i}</a></li>" for i in range(rng.randint(3, 8)))
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
        f"{title}_范文网</title><style>p{{margin:0}}</style></head>\n<body>"
        f"<nav><ul>{nav}</ul></nav>\n<div class=\"content\"><h1>{title}</h1>\n{body}\n</div>"
        "<script>var _hm=[];(function(){_hm.push('x');})();</script>"
        "<footer>Copyright 范文网 版权所有</footer></body></html>\n"
    )


def render(spec: Spec, seed: int) -> bytes:
    """The bytes of one file; depends only on the spec and the seed."""
    rng = random.Random(f"{seed}:{spec.path}")
    pool = sentence_pool()
    title = _title(rng)
    # ~3 bytes per character in UTF-8, ~2 in GB18030.
    per_char = 2 if spec.encoding == "gb18030" else 3
    masks = rng.random() < MASK_SHARE
    paragraphs = _body(rng, pool, max(40, spec.target_bytes // per_char), masks)
    if spec.html:
        text = _html(title, paragraphs, rng)
    elif spec.big:
        text = title + " " + " ".join(paragraphs)
    else:
        head = [_fill(rng.choice(CHROME_HEAD), rng, title) for _ in range(rng.choice((0, 0, 1, 3, 6)))]
        foot = [_fill(rng.choice(CHROME_FOOT), rng, title) for _ in range(rng.choice((0, 0, 1, 2)))]
        opening = [rng.choice(SALUTATIONS)] if rng.random() < 0.7 else []
        body, style = _wrap(opening + paragraphs, rng)
        text = "\n".join(head + [title, "", body] + foot) + "\n"
        if style == "spaces":
            text = text.replace(f"{title}\n\n", f"{title} ", 1)
        if rng.random() < ASCII_PUNCT_SHARE:
            text = text.translate(_TO_ASCII)
        if rng.random() < 0.3:
            text = _sprinkle(text, rng)
        if rng.random() < 0.1:
            text = text.replace("\n", "\r\n")
    if spec.traditional:
        text = _s2t().convert(text)
    if spec.encoding == "gb18030":
        return text.encode("gb18030", errors="replace")
    return text.encode("utf-8")


def build_corpus(files: int, total_bytes: int, seed: int = 8):
    """Yield (relative path, bytes) for every file of the corpus, in order."""
    for spec in plan(files, total_bytes, seed):
        yield spec.path, render(spec, seed)


def write_corpus(out: Path, files: int, total_bytes: int, seed: int = 8) -> dict:
    """Write the corpus under `out` (replacing it) with a manifest; return the manifest."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = []
    for spec in plan(files, total_bytes, seed):
        data = render(spec, seed)
        target = out / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        entries.append({"path": spec.path, "bytes": len(data), "traditional": spec.traditional,
                        "encoding": spec.encoding, "html": spec.html, "big": spec.big})
    manifest = {"seed": seed, "files": files, "target_bytes": total_bytes,
                "bytes": sum(e["bytes"] for e in entries), "entries": entries}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False) + "\n", "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20_000, help="number of files (default 20000)")
    parser.add_argument("--mb", type=float, default=150.0, help="target corpus size in MB of 10^6 bytes (default 150)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"corpus folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = write_corpus(args.out, args.files, int(args.mb * 1_000_000), args.seed)
    entries = manifest["entries"]
    print(f"{len(entries)} files, {manifest['bytes'] / 1e6:.1f} MB in {args.out} "
          f"({time.perf_counter() - started:.1f} s, seed {args.seed}): "
          f"{sum(e['traditional'] for e in entries)} traditional, "
          f"{sum(e['encoding'] == 'gb18030' for e in entries)} GB18030, "
          f"{sum(e['html'] for e in entries)} HTML, {sum(e['big'] for e in entries)} single-line of 1-5 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
