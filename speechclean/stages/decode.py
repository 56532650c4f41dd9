"""Bytes to text: refuse what is not a text dump, pick the encoding from evidence.

Refused before decoding (a `DecodeError` naming the reason):
- inputs over `Config.max_size` bytes (a 2 GB "dump" is a mistake, not a speech);
- binary formats recognised by their first bytes (PDF, ZIP/DOCX, old Office,
  images, archives): they are documents to convert first, not dumps to clean.

Order of evidence for the encoding:
1. a forced encoding (`--encoding`);
2. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
3. strict UTF-8 (Chinese in any other encoding almost never decodes as UTF-8);
4. an HTML `<meta charset>` when the bytes look like HTML;
5. GB18030 (a superset of GBK and GB2312) and Big5, each scored by the share
   of its decoded Han characters that are common Chinese characters, with
   every replacement character counted against it. Big5 bytes read as
   GB18030 (which accepts nearly any byte pair) give rare characters and
   lose to the Big5 reading, and vice versa.

Refused after decoding: a text that is mostly garbage (replacement, control
or private-use characters), and a guessed decoding whose Han characters are
almost all rare (mojibake: the bytes are in some other encoding). A few
undecodable bytes are decoded with replacement characters and reported.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

import regex

from ..chars import CodePointCounter
from ..config import Config
from ..document import Document

NAME = "decode"


class DecodeError(ValueError):
    """The bytes are not a text dump this tool can read."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: (offset, magic bytes, what the file is). Formats a scraper saves by mistake.
_MAGIC = (
    (0, b"%PDF-", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"PK\x05\x06", "a ZIP archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (DOC/XLS/PPT)"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (8, b"WEBP", "a WebP image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x7fELF", "an executable"),
)

#: Parts of an Office Open XML package that name what the ZIP holds.
_OOXML = ((b"word/", "a Word document (DOCX)"), (b"xl/", "an Excel workbook (XLSX)"), (b"ppt/", "a PowerPoint file (PPTX)"))

# Frequent characters of Chinese prose in both scripts. A correct decoding of
# real text draws a large share of its Han characters from this set; a wrong
# one (Big5 read as GB18030 or the reverse) draws almost none.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
    "這個們來對時說會國發與為們經過裡後還進種學現實動開問從關點當樣麼兩長將爲與頭應體從區業產質義員們機務將專見議讓還讀書記話請資產們"
)
#: Characters no text dump is made of: replacement, C0/C1 controls but the
#: line and tab controls, private use.
_GARBAGE = re.compile("[\ufffd\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_WHITESPACE = re.compile(r"\s+")
# A plain class: the standard `re` engine counts it (deleting runs) without a
# per-character Python loop.
_COMMON_RUNS = re.compile("[" + "".join(sorted(_COMMON)) + "]+")
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.IGNORECASE)
_HTML_SNIFF = regex.compile(rb"^\s*(<!doctype html|<html|<head|<meta|<body|<div|<p[ >])", regex.IGNORECASE)

#: Tried in this order after UTF-8; GBK and GB2312 are subsets of GB18030.
_CANDIDATES = ("gb18030", "big5")
#: Above this share of garbage among visible characters a text is refused.
MOSTLY_GARBAGE = 0.25
#: A guessed decoding with at least this many Han characters, fewer than this
#: share of them common, is mojibake (real Chinese prose scores 0.6 to 0.8).
MOJIBAKE_MIN_HAN = 50
MOJIBAKE_MAX_COMMON = 0.2


def sniff_binary(raw: bytes) -> str | None:
    """What binary format `raw` is, judged by its first bytes, or None."""
    for offset, magic, kind in _MAGIC:
        if raw[offset:offset + len(magic)] == magic:
            if kind == "a ZIP archive":
                head = raw[:65536]
                return next((name for part, name in _OOXML if part in head), kind)
            if kind == "a WebP image" and not raw.startswith(b"RIFF"):
                continue
            return kind
    return None


@lru_cache(maxsize=1)
def _han_counter() -> CodePointCounter:
    """A counter of `regex`'s `\\p{Han}` (radicals and `〇` too), built once per process.

    The BMP ranges are taken from `regex` itself, so the count stays the one
    `regex` would make.
    """
    bmp = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    runs = (m.span() for m in regex.finditer(r"\p{Han}+", bmp))
    ranges = [(start if start < 0xD800 else start + 0x800, (end if end <= 0xD800 else end + 0x800) - 1) for start, end in runs]
    return CodePointCounter(ranges, regex.compile(r"(?V1)[\p{Han}&&[\U00010000-\U0010FFFF]]"))


def _han_count(text: str) -> int:
    """Characters of `text` in the Han script (`\\p{Han}`)."""
    return _han_counter().count(text)


def plausibility(text: str, replaced: int = 0) -> float:
    """Share of Han characters (plus `replaced` lost ones) that are common Chinese characters (0..1)."""
    return _scored(text, replaced)[0]


def _scored(text: str, replaced: int) -> tuple[float, int]:
    """(plausibility, Han characters) of `text`: the mojibake check needs both."""
    han = _han_count(text)
    if not han and not replaced:
        return 0.0, han
    return (len(text) - len(_COMMON_RUNS.sub("", text))) / (han + replaced), han


def garbage_share(text: str) -> float:
    """Share of visible characters that no text dump is made of.

    Garbage is rare, so it is counted first and the costly count of visible
    characters is made only when there is some.
    """
    garbage = len(_GARBAGE.findall(text))
    if not garbage:
        return 0.0
    visible = len(_WHITESPACE.sub("", text))
    return garbage / visible if visible else 0.0


def looks_like_html(raw: bytes, path: str | None) -> bool:
    if path and path.lower().endswith((".htm", ".html", ".xhtml")):
        return True
    head = raw[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_SNIFF.match(head))


def _gb_subset(raw: bytes) -> str:
    """Name the narrowest GB standard the bytes fit, for the evidence."""
    for name in ("gb2312", "gbk"):
        try:
            raw.decode(name)
            return f" (bytes are valid {name.upper()})"
        except UnicodeDecodeError:
            pass
    return ""


def decode_bytes(raw: bytes, forced: str | None = None, html: bool = False) -> tuple[str, str, str, int]:
    """Decode `raw`; return (text, encoding, evidence, replacement_count)."""
    return _decode(raw, forced, html)[:4]


def _decode(raw: bytes, forced: str | None, html: bool) -> tuple[str, str, str, int, tuple[float, int] | None]:
    """`decode_bytes`, plus the (plausibility, Han count) of a guessed decoding (None when not guessed)."""
    if forced:
        try:
            name = codecs.lookup(forced).name
        except LookupError as exc:
            raise DecodeError(f"unknown encoding {forced!r}") from exc
        for bom, bom_name in _BOMS:
            if raw.startswith(bom) and codecs.lookup(bom_name).name == name:
                raw = raw[len(bom):]
        text = raw.decode(name, errors="replace")
        return text, name, "forced by --encoding", text.count("\ufffd"), None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            text = raw[len(bom):].decode(name, errors="replace")
            return text, name, f"{name} byte-order mark", text.count("\ufffd"), None
    try:
        return raw.decode("utf-8"), "utf-8", "valid UTF-8", 0, None
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 (byte 0x{raw[exc.start]:02x} at {exc.start})"
    if html:
        match = _META_CHARSET.search(raw[:4096])
        if match:
            declared = match.group(1).decode("ascii").lower()
            try:
                text = raw.decode(declared)
                return text, codecs.lookup(declared).name, f"{utf8_error}; HTML meta charset {declared}", 0, None
            except (LookupError, UnicodeDecodeError):
                pass
    scored = []
    for name in _CANDIDATES:
        try:
            text, strict = raw.decode(name), True
        except UnicodeDecodeError:
            text, strict = raw.decode(name, errors="replace"), False
        replaced = text.count("\ufffd")
        score, han = _scored(text, replaced)
        scored.append((score, strict, name, text, replaced, han))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    score, strict, name, text, replaced, han = scored[0]
    how = "decodes strictly" if strict else f"decodes with {replaced} replacement(s)"
    subset = _gb_subset(raw) if name == "gb18030" and strict else ""
    evidence = f"{utf8_error}; {name} {how}{subset}, {score:.0%} common Chinese characters"
    others = ", ".join(f"{n} {s:.0%}{'' if ok else ' (errors)'}" for s, ok, n, _, _, _ in scored[1:])
    return text, name, f"{evidence} (vs {others})", replaced, (score, han)


def _utf16_hint(raw: bytes) -> str:
    """When NUL bytes sit at every other offset, the file is UTF-16 without a BOM."""
    sample = raw[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) > len(sample) // 8 and min(even, odd) * 4 < max(even, odd):
        return "; it looks like UTF-16 without a byte-order mark: pass --encoding " + ("utf-16-le" if odd > even else "utf-16-be")
    return ""


def check_size(size: int, limit: int) -> None:
    """Refuse an input over `limit` bytes, naming both sizes."""
    if limit and size > limit:
        raise DecodeError(f"too large: {size / 1e6:.1f} MB is over --max-size {limit / 1e6:.1f} MB")


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    """Refuse what is not a text dump; decode the rest and record why this encoding."""
    raw = doc.raw
    check_size(len(raw), config.max_size)
    kind = sniff_binary(raw)
    if kind:
        raise DecodeError(f"not a text dump: the bytes are {kind}")
    warnings = []
    has_bom = any(raw.startswith(bom) for bom, _ in _BOMS)
    padding = 0
    if not has_bom and not config.encoding:
        # Writers that crash or preallocate leave NUL padding at the end.
        stripped = raw.rstrip(b"\x00")
        padding, raw = len(raw) - len(stripped), stripped
        if padding:
            warnings.append(f"{padding} trailing NUL byte(s) of padding removed")
    html = looks_like_html(raw, doc.source_path)
    text, encoding, evidence, replaced, guess = _decode(raw, config.encoding, html)
    garbage = garbage_share(text)
    if garbage > MOSTLY_GARBAGE:
        raise DecodeError(
            f"not a text dump: {garbage:.0%} of its characters are undecodable or control characters "
            f"when read as {encoding}{_utf16_hint(raw)}"
        )
    if guess and guess[1] >= MOJIBAKE_MIN_HAN and guess[0] < MOJIBAKE_MAX_COMMON:
        raise DecodeError(
            f"cannot decode: {evidence.split('; ', 1)[0]}, and neither GB18030 nor Big5 gives Chinese text "
            f"({evidence.split('; ', 1)[1]}); pass --encoding to override"
        )
    if replaced:
        warnings.append(
            f"{replaced} undecodable byte sequence(s) replaced while decoding as {encoding}; pass --encoding to override"
        )
    nul = text.count("\x00")
    if nul:
        warnings.append(f"{nul} NUL character(s) in the text removed")
    if not text.strip():
        warnings.append("empty file" if not text else "whitespace-only file")
    doc = doc.evolve(text=text, encoding=encoding, encoding_evidence=evidence, format="html" if html else "text")
    counters = {"encoding": encoding, "chars": len(text), "replaced": replaced, "nul": nul, "nul_padding": padding}
    return doc.with_warnings(*warnings), {key: value for key, value in counters.items() if value or key in ("encoding", "chars", "replaced")}
