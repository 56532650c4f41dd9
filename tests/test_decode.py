"""The decode stage on real bytes: every encoding we promise, and every kind of bad input."""

from __future__ import annotations

import codecs
import io
import random
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean import Config, ConfigError, DecodeError, clean_bytes
from speechclean.document import Document
from speechclean.stages import decode

SIMPLIFIED = (
    "关于加强基层治理工作的讲话\n同志们：\n今天我们召开这次会议，主要任务是总结过去一年的工作，"
    "研究部署今年的重点任务。大家要进一步统一思想，提高认识，切实把各项工作抓紧抓实抓好。\n"
)
TRADITIONAL = (
    "關於加強基層治理工作的講話\n同志們：\n今天我們召開這次會議，主要任務是總結過去一年的工作，"
    "研究部署今年的重點任務。大家要進一步統一思想，提高認識，切實把各項工作抓緊抓實抓好。\n"
)
GBK_ONLY = SIMPLIFIED + "王喆同志作了发言。\n"  # 喆 is in GBK, not in GB2312
GB18030_ONLY = SIMPLIFIED + "地名中的𠀀字要保留。\n"  # U+20000 needs GB18030's four-byte form


def run_decode(raw: bytes, **options) -> Document:
    doc, _ = decode.run(Document(raw=raw), Config(**options))
    return doc


@pytest.mark.parametrize(
    "raw, text, encoding, evidence",
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8", "valid UTF-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8", "byte-order mark"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le", "byte-order mark"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16-be", "byte-order mark"),
        (SIMPLIFIED.encode("gb2312"), SIMPLIFIED, "gb18030", "valid GB2312"),
        (GBK_ONLY.encode("gbk"), GBK_ONLY, "gb18030", "valid GBK"),
        (GB18030_ONLY.encode("gb18030"), GB18030_ONLY, "gb18030", "gb18030 decodes strictly,"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5", "big5 decodes strictly"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "gb2312", "gbk", "gb18030", "big5"],
)
def test_each_encoding_decodes_from_real_bytes(raw, text, encoding, evidence):
    doc = run_decode(raw)
    assert (doc.text, doc.encoding) == (text, encoding)
    assert evidence in doc.encoding_evidence
    assert not doc.warnings


def test_big5_bytes_are_not_read_as_gb18030_although_both_decode_strictly():
    raw = TRADITIONAL.encode("big5")
    raw.decode("gb18030")  # GB18030 accepts these bytes too: only the score tells them apart
    assert "vs gb18030" in run_decode(raw).encoding_evidence


def test_encoding_choice_and_evidence_reach_the_sidecar():
    source = clean_bytes(TRADITIONAL.encode("big5")).sidecar["source"]
    assert source["encoding"] == "big5"
    assert "common Chinese characters" in source["encoding_evidence"]


def test_forced_encoding_wins_over_detection():
    doc = run_decode(SIMPLIFIED.encode("gbk"), encoding="gb2312")
    assert (doc.text, doc.encoding, doc.encoding_evidence) == (SIMPLIFIED, "gb2312", "forced by --encoding")


def test_forced_utf16_drops_its_own_bom():
    doc = run_decode(codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), encoding="utf-16-le")
    assert doc.text == SIMPLIFIED


def test_unknown_forced_encoding_is_a_configuration_error():
    with pytest.raises(ConfigError, match="unknown encoding 'klingon'"):
        Config(encoding="klingon")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", SIMPLIFIED)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "raw, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document"),
        (_docx(), "a Word document (DOCX)"),
        (_zip(), "a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20), "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "a GIF image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "a WebP image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "an old Office document"),
    ],
    ids=["pdf", "docx", "zip", "png", "jpeg", "gif", "webp", "doc"],
)
def test_binary_formats_are_not_text_dumps(raw, kind):
    with pytest.raises(DecodeError, match=re.escape(f"not a text dump: the bytes are {kind}")):
        run_decode(raw)


@pytest.mark.parametrize("seed", range(3))
def test_random_bytes_are_refused_as_garbage(seed):
    noise = random.Random(seed).randbytes(6000)
    with pytest.raises(DecodeError, match=r"not a text dump: \d+% of its characters are undecodable or control"):
        run_decode(noise)


def test_utf16_without_bom_is_refused_with_a_hint():
    raw = ("Speech text in UTF-16 without a byte-order mark. " * 20).encode("utf-16-le")
    with pytest.raises(DecodeError, match="pass --encoding utf-16-le"):
        run_decode(raw)


@pytest.mark.parametrize(
    "raw",
    [
        ("Уважаемые коллеги! Сегодня мы собрались, чтобы обсудить итоги работы за прошедший год "
         "и наметить задачи на будущее. Мы добились значительных успехов в развитии промышленности.").encode("cp1251"),
        ("本日はお忙しいところお集まりいただき、誠にありがとうございます。昨年度の事業報告と今年度の"
         "計画についてご説明いたします。地域の皆様のご協力により、多くの成果を上げることができました。").encode("shift_jis"),
    ],
    ids=["cp1251", "shift_jis"],
)
def test_bytes_in_another_encoding_are_refused_not_turned_into_mojibake(raw):
    with pytest.raises(DecodeError, match="neither GB18030 nor Big5 gives Chinese text.*pass --encoding"):
        run_decode(raw)


def test_a_few_bad_bytes_are_replaced_and_counted():
    raw = SIMPLIFIED.encode("gbk") + b"\xff" + SIMPLIFIED.encode("gbk")
    doc = run_decode(raw)
    assert doc.encoding == "gb18030"
    assert doc.text.count("\ufffd") == 1
    assert any("1 undecodable byte sequence(s) replaced while decoding as gb18030" in w for w in doc.warnings)


def test_trailing_nul_padding_is_removed_and_reported():
    doc = run_decode(SIMPLIFIED.encode("utf-8") + bytes(4096))
    assert doc.text == SIMPLIFIED
    assert doc.warnings == ("4096 trailing NUL byte(s) of padding removed",)


def test_stray_nul_bytes_inside_text_are_reported_and_cleaned():
    result = clean_bytes(SIMPLIFIED.encode("utf-8").replace("今天".encode(), "今\x00天".encode()))
    assert "1 NUL character(s) in the text removed" in result.sidecar["warnings"]
    assert "\x00" not in result.text and "今天" in result.text


@pytest.mark.parametrize("raw, warning", [(b"", "empty file"), (b" \r\n\t\n\xe3\x80\x80\n", "whitespace-only file")])
def test_empty_and_whitespace_only_files_are_warned(raw, warning):
    result = clean_bytes(raw)
    assert warning in result.sidecar["warnings"]
    assert result.text.strip() == ""


def test_inputs_over_max_size_are_refused_with_both_sizes():
    with pytest.raises(DecodeError, match=r"too large: 0.0 MB is over --max-size 0.0 MB"):
        run_decode(SIMPLIFIED.encode("utf-8"), max_size=10)
    assert run_decode(SIMPLIFIED.encode("utf-8"), max_size=0).text == SIMPLIFIED  # 0: no limit


def test_mixed_line_endings_are_normalised_and_warned():
    result = clean_bytes("同志们：\r\n今天开会。\n明天休息。\r后天出发。\r\n".encode("utf-8"))
    assert "\r" not in result.text
    assert "mixed line endings normalised to LF" in result.sidecar["warnings"]


def test_decode_records_its_evidence_in_the_step_counters():
    counters = clean_bytes(SIMPLIFIED.encode("gbk")).document.steps[0].counters
    assert counters == {"encoding": "gb18030", "chars": len(SIMPLIFIED), "replaced": 0}


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_decode_or_raise_decode_error(raw):
    try:
        doc = run_decode(raw)
    except DecodeError:
        return
    assert isinstance(doc.text, str)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co")), max_size=200))
def test_any_utf8_text_comes_back_unchanged(text):
    if not decode.sniff_binary(text.encode("utf-8")):
        assert run_decode(text.encode("utf-8")).text == text


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("的乾a，〇々⺀⼀〡\u3400\uf900\ufa6e\U00016fe2\U00020001\U0002ebf0\U00030000\U0001f600\n"),
               max_size=60))
def test_fast_han_count_equals_the_regex_script_property(text):
    """The `re` class built from `\\p{Han}` counts what `regex` counts (radicals, 〇, astral Han)."""
    import regex

    assert decode._han_count(text) == len(regex.findall(r"\p{Han}", text))


def test_mojibake_check_reuses_the_guess_score():
    """The refusal uses the winner's own score and Han count, as computed while guessing."""
    text, _, _, replaced, (score, han) = decode._decode(TRADITIONAL.encode("big5"), None, False)
    assert score == decode.plausibility(text, replaced) and han == decode._han_count(text)
    assert decode._decode(SIMPLIFIED.encode("utf-8"), None, False)[4] is None
