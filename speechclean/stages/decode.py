"""Bytes to text: pick the encoding from evidence, never by silent mojibake.

Order of evidence:
1. a forced encoding (`--encoding`);
2. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
3. strict UTF-8 (Chinese in any other encoding almost never decodes as UTF-8);
4. an HTML `<meta charset>` when the bytes look like HTML;
5. strict GB18030 and Big5, each scored by how much of the decoded Han text
   is made of common Chinese characters, so Big5 bytes read as GB18030 (which
   accepts nearly any byte pair) lose to the Big5 reading, and vice versa.
When no candidate decodes strictly, the best-scoring candidate is decoded
with replacement characters, and their number is reported.
"""

from __future__ import annotations

import codecs
import re

import regex

from ..config import Config
from ..document import Document

NAME = "decode"


class DecodeError(ValueError):
    """The bytes are not a text dump this tool can read."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Frequent characters of Chinese prose in both scripts. A correct decoding of
# real text draws a large share of its Han characters from this set; a wrong
# one (Big5 read as GB18030 or the reverse) draws almost none.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
    "這個們來對時說會國發與為們經過裡後還進種學現實動開問從關點當樣麼兩長將爲與頭應體從區業產質義員們機務將專見議讓還讀書記話請資產們"
)
_HAN_RUNS = regex.compile(r"\p{Han}+")
# A plain class: the standard `re` engine counts it (deleting runs) without a
# per-character Python loop.
_COMMON_RUNS = re.compile("[" + "".join(sorted(_COMMON)) + "]+")
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.IGNORECASE)
_HTML_SNIFF = regex.compile(rb"^\s*(<!doctype html|<html|<head|<meta|<body|<div|<p[ >])", regex.IGNORECASE)

#: Tried in this order after UTF-8; GBK and GB2312 are subsets of GB18030.
_CANDIDATES = ("gb18030", "big5")


def plausibility(text: str) -> float:
    """Share of Han characters that are common Chinese characters (0..1)."""
    han = len(text) - len(_HAN_RUNS.sub("", text))
    if not han:
        return 0.0
    return (len(text) - len(_COMMON_RUNS.sub("", text))) / han


def looks_like_html(raw: bytes, path: str | None) -> bool:
    if path and path.lower().endswith((".htm", ".html", ".xhtml")):
        return True
    head = raw[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_SNIFF.match(head))


def decode_bytes(raw: bytes, forced: str | None = None, html: bool = False) -> tuple[str, str, str, int]:
    """Decode `raw`; return (text, encoding, evidence, replacement_count)."""
    if forced:
        try:
            codecs.lookup(forced)
        except LookupError as exc:
            raise DecodeError(f"unknown encoding {forced!r}") from exc
        text = raw.decode(forced, errors="replace")
        return text, codecs.lookup(forced).name, "forced by --encoding", text.count("\ufffd")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            text = raw[len(bom):].decode(name.replace("-sig", ""), errors="replace")
            return text, name.replace("-sig", ""), "byte-order mark", text.count("\ufffd")
    try:
        return raw.decode("utf-8"), "utf-8", "valid UTF-8", 0
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 (byte 0x{raw[exc.start]:02x} at {exc.start})"
    if html:
        match = _META_CHARSET.search(raw[:4096])
        if match:
            declared = match.group(1).decode("ascii").lower()
            try:
                text = raw.decode(declared)
                return text, codecs.lookup(declared).name, f"{utf8_error}; HTML meta charset {declared}", 0
            except (LookupError, UnicodeDecodeError):
                pass
    scored = []
    for name in _CANDIDATES:
        try:
            text = raw.decode(name)
            strict = True
        except UnicodeDecodeError:
            text = raw.decode(name, errors="replace")
            strict = False
        scored.append((strict, plausibility(text), name, text))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    strict, score, name, text = scored[0]
    evidence = f"{utf8_error}; {name} {'decodes strictly' if strict else 'decodes with errors'}, {score:.0%} common Chinese characters"
    others = ", ".join(f"{n} {s:.0%}{'' if ok else ' (errors)'}" for ok, s, n, _ in scored[1:])
    if others:
        evidence += f" (vs {others})"
    return text, name, evidence, text.count("\ufffd")


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    """Decode the raw bytes; refuse binary data."""
    raw = doc.raw
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError("contains NUL bytes: not a text dump")
    html = looks_like_html(raw, doc.source_path)
    text, encoding, evidence, replaced = decode_bytes(raw, config.encoding, html)
    warnings = []
    if replaced:
        warnings.append(f"{replaced} undecodable byte sequence(s) replaced while decoding as {encoding}")
    doc = doc.evolve(text=text, encoding=encoding, encoding_evidence=evidence, format="html" if html else "text")
    return doc.with_warnings(*warnings), {"encoding": encoding, "replaced": replaced}
