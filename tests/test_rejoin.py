"""The line-wrap rejoiner: table-driven cases, furniture rules, properties."""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib import resources

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from speechclean.config import Config
from speechclean.document import Document
from speechclean.stages import rejoin as stage
from speechclean.shapes import is_heading
from speechclean.stages.rejoin import furniture_rules, rejoin

FURNITURE = furniture_rules()

P1 = "过去一年，我们以提振经济为根本，务实担当、逆势争先，彰显干字精神的鲜明底色，稳住了园区经济基本盘。"
P2 = "过去一年，我们以发展规划为统领，科学规划，统筹布局，擘画了汽车产业新发展的规划蓝图和路线图。"
P3 = "过去一年，我们以服务实体为导向，助企纾困、精准帮扶，展现了踏实肯干的精神风貌和优良作风。"


def wrap(paragraph: str, chars: int, indent: int = 2, lost: bool = True, mark: str = "") -> list[str]:
    """Wrap pure-CJK text at `chars` characters; the first line is short by `indent`."""
    first = chars - indent
    lines = [paragraph[:first]] + [paragraph[i:i + chars] for i in range(first, len(paragraph), chars)]
    lines = [line for line in lines if line]
    if not lost:
        lines[0] = mark + lines[0]
    return lines


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def run(text: str) -> list[str]:
    return paragraphs(rejoin(text, FURNITURE)[0])


# --- wrapped dumps ------------------------------------------------------------------


@pytest.mark.parametrize("separator", [" ", "\n", "\r\n"])
@pytest.mark.parametrize("chars", [10, 13, 20, 24])
def test_lost_indent_wrap_is_restored(separator, chars):
    lines = [line for p in (P1, P2, P3) for line in wrap(p, chars)]
    assert run(separator.join(lines)) == [P1, P2, P3]


@pytest.mark.parametrize("mark", ["\u3000\u3000", "    "])
def test_kept_indent_starts_a_paragraph(mark):
    lines = [line for p in (P1, P2, P3) for line in wrap(p, 16, lost=False, mark=mark)]
    assert run("\n".join(lines)) == [P1, P2, P3]
    assert run(" ".join(lines)) == [P1, P2, P3]


def test_paragraph_with_full_last_line_ends_before_a_short_first_line():
    """Seed 000's miss: the last line is full; only the next line's lost indent tells."""
    para = "甲" * 18 + "乙" * 19 + "。"  # a first line of 18, then exactly one full line of 20
    lines = wrap(para, 20) + wrap(P2, 20) + wrap(P3, 20)
    assert lines[1].endswith("。") and len(lines[1]) == 20
    assert run(" ".join(lines)) == [para, P2, P3]
    assert run("\n".join(lines)) == [para, P2, P3]


def test_glued_title_and_salutation_are_split_off():
    text = "在2023年汽车产业高质量发展大会上的讲 话 同志们: " + " ".join(wrap(P1, 20) + wrap(P2, 20))
    assert run(text) == ["在2023年汽车产业高质量发展大会上的讲话", "同志们:", P1, P2]


def test_headings_stand_alone_in_a_wrapped_text():
    lines = ["一、认清形势"] + wrap(P1, 20) + ["（一）看成绩"] + wrap(P2, 20)
    assert run("\n".join(lines)) == ["一、认清形势", P1, "（一）看成绩", P2]


def test_a_numbered_paragraph_is_not_a_heading_that_ends_its_first_line():
    para = "（二）城乡面貌持续改善。" + "甲" * 6 + "乙" * 18 + "。"
    lines = wrap(P1, 20) + wrap(para, 20) + wrap(P2, 20) + wrap(P3, 20)
    assert run("\n".join(lines)) == [P1, para, P2, P3]


def test_latin_words_keep_one_space_and_a_hyphenated_word_is_rejoined():
    lines = ["过去一年我们引进了甲甲甲", "甲" * 10 + "World", "Bank项目和乙乙乙乙乙inter-", "national合作。"]
    out = run("\n".join(lines + wrap(P2, 14) + wrap(P3, 14)))
    assert out == ["过去一年我们引进了" + "甲" * 13 + "World Bank项目和乙乙乙乙乙international合作。", P2, P3]
    text, _, counters = rejoin(" ".join(lines + wrap(P2, 14) + wrap(P3, 14)), FURNITURE)
    assert paragraphs(text) == out and counters["hyphens_rejoined"] == 1


def test_a_hyphen_is_kept_in_text_that_was_not_wrapped():
    text = "我们与well- known企业合作。\n第二段落内容。"
    assert run(text)[0].startswith("我们与well- known")


# --- texts that were not wrapped ------------------------------------------------------


def test_one_paragraph_a_line_keeps_its_boundaries():
    text = "\n".join(["同志们:", P1, "一、要认清形势", "主要从四个方面来看:", P2, P3])
    assert run(text) == ["同志们:", P1, "一、要认清形势", "主要从四个方面来看:", P2, P3]


def test_space_separated_paragraphs_keep_boundaries_but_a_stray_space_goes():
    """Seed 002: paragraphs separated by single spaces, one stray space inside a sentence."""
    text = f"在工作会议上的讲话 同志们: {P1} 一、提高认识 各园区要 把工作抓实抓细。"
    assert run(text) == ["在工作会议上的讲话", "同志们:", P1, "一、提高认识", "各园区要把工作抓实抓细。"]


def test_blocks_stay_separated_by_one_blank_line():
    text = "长春汽开区召开年度工作会议\n\n\n" + P1 + "\n\n一汽生产车间\n\n" + P2
    out, _, _ = rejoin(text, FURNITURE)
    assert out == "长春汽开区召开年度工作会议\n\n" + P1 + "\n\n一汽生产车间\n\n" + P2


def test_masks_are_never_split_or_joined_differently():
    para = "全年实现总产值XXX亿元，同比增长**％，新增项目××个，" + "甲" * 20 + "。"
    lines = [para[i:i + 10] for i in range(0, len(para), 10)]
    out = run(" ".join(lines + wrap(P2, 10)))
    assert "XXX亿元" in out[0] and "**％" in out[0] and "××个" in out[0]


# --- page furniture ---------------------------------------------------------------------


@pytest.mark.parametrize("page, rule", [
    ("第 2 页 共 3 页", "page.of_total"),
    ("共3页 第2页", "page.of_total"),
    ("- 2 -", "page.dashed"),
    ("— 2 —", "page.dashed"),
    ("2/3", "page.fraction"),
    ("Page 2 of 3", "page.english"),
    ("第2页", "page.chinese"),
])
@pytest.mark.parametrize("separator", ["\n", " "])
def test_page_numbers_between_pages_are_removed_and_reported(page, rule, separator):
    lines = wrap(P1, 20) + wrap(P2, 20)
    lines.insert(3, page)  # mid-paragraph: the paragraph must close up across the page
    text, removals, counters = rejoin(separator.join(lines + wrap(P3, 20)), FURNITURE)
    if separator == " " and rule == "page.chinese":
        assert removals == []  # too weak to cut out of running text
        return
    assert paragraphs(text) == [P1, P2, P3]
    assert [(r.rule, r.text) for r in removals] == [(rule, page)]
    assert counters["furniture_removed"] == 1


def test_running_title_next_to_page_numbers_is_removed_but_the_title_stays():
    title = "在全市数字经济发展推进会上的讲话"
    pages = [[title, "同志们："] + wrap(P1, 20)[:2], wrap(P1, 20)[2:] + wrap(P2, 20)[:2], wrap(P2, 20)[2:] + wrap(P3, 20)]
    lines = pages[0] + ["- 1 -", title] + pages[1] + ["- 2 -", title] + pages[2] + ["- 3 -"]
    for separator in ("\n", " "):
        text, removals, _ = rejoin(separator.join(lines), FURNITURE)
        assert paragraphs(text) == [title, "同志们：", P1, P2, P3]
        assert sorted(r.rule for r in removals) == ["page.dashed"] * 3 + ["page.running_title"] * 2


def test_bare_numbers_go_only_when_they_count_up():
    lines = wrap(P1, 20) + ["1"] + wrap(P2, 20) + ["2"] + wrap(P3, 20)
    assert run("\n".join(lines)) == [P1, P2, P3]
    kept = "\n".join(["一、总体要求", "2", P1])
    assert run(kept) == ["一、总体要求", "2", P1]


def test_a_fraction_beyond_its_total_is_not_a_page_number():
    assert run("\n".join(["3/2", P1])) == ["3/2", P1]


def test_every_furniture_rule_matches_its_example():
    data = tomllib.loads(resources.files("speechclean.rules").joinpath("furniture.toml").read_text("utf-8"))
    rules = {rule.id: rule for rule in FURNITURE.rules}
    assert set(rules) == {entry["id"] for entry in data["rule"]}
    for rule in rules.values():
        assert stage._furniture_line(rule.example, (rule,)) is rule, rule.id


def test_a_disabled_furniture_rule_is_not_applied():
    doc = Document(text="\n".join(wrap(P1, 20) + ["- 2 -"] + wrap(P2, 20)))
    cleaned, _ = stage.run(doc, Config(disabled_rules=frozenset({"page.dashed"})))
    assert "- 2 -" in cleaned.text and not cleaned.removed
    cleaned, _ = stage.run(doc, Config())
    assert "- 2 -" not in cleaned.text and [r.rule for r in cleaned.removed] == ["page.dashed"]


def test_is_heading_accepts_a_heading_but_not_a_sentence():
    assert is_heading("一、认清形势") and not is_heading("一、认清形势。")


# --- properties ---------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("过去一年我们以提振经济为根本园区XX**××x，。、；：“”（）ab12 \n\u3000") + ["  "])


def _nonspace(text: str) -> str:
    return regex.sub(r"\s+", "", text)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=300).map("".join))
def test_no_non_whitespace_character_changes_without_furniture(text):
    out, removals, _ = rejoin(text, FURNITURE)
    removed = "".join(_nonspace(r.text) for r in removals)
    assert len(_nonspace(out)) + len(removed) == len(_nonspace(text))
    if not removals:
        assert _nonspace(out) == _nonspace(text)


_MASK_RUN = regex.compile(r"(?<![X*×x])(?:X{2,}|\*{2,}|×{2,})(?![X*×x])")


@settings(max_examples=100, deadline=None)
@given(st.lists(_ALPHABET, max_size=300).map("".join))
def test_masks_come_out_whole(text):
    out, _, _ = rejoin(text, None)
    for run_ in _MASK_RUN.findall(text.replace(" ", "").replace("\u3000", "").replace("\n", "")):
        # U+3000 is whitespace too: the pipeline's hygiene stage turns it into
        # spaces before rejoin, but the stage alone may keep it between Latin letters.
        assert run_ in out.replace(" ", "").replace("\u3000", "").replace("\n", "")
    for run_ in regex.findall(r"[X*×]+", text):
        assert run_ in out  # a run without whitespace inside is never split


@settings(max_examples=60, deadline=None)
@given(chars=st.integers(8, 40), separator=st.sampled_from([" ", "\n", "\r\n"]),
       mark=st.sampled_from(["", "\u3000\u3000", "  "]))
def test_any_wrapping_of_clean_paragraphs_comes_back_and_stays(chars, separator, mark):
    lines = [line for p in (P1, P2, P3, P1 + P2) for line in wrap(p, chars, lost=not mark, mark=mark)]
    out, _, _ = rejoin(separator.join(lines), FURNITURE)
    assert paragraphs(out) == [P1, P2, P3, P1 + P2]
    assert rejoin(out, FURNITURE)[0] == out


def test_a_wordless_piece_split_off_a_line_stays_with_its_paragraph():
    # "的  --" used to become two lines; the "--" line then read as a separator
    # line and chrome removed it on a second pass (not idempotent).
    text, _, _ = stage.rejoin("的  --")
    assert text == "的--"


# --- measurement and speed: the fast paths give what the plain per-text forms gave -----------

_WIDE_PROPERTY = regex.compile(r"[\p{East_Asian_Width=Wide}\p{East_Asian_Width=Fullwidth}]")
_AMBIGUOUS_PROPERTY = regex.compile(r"\p{East_Asian_Width=Ambiguous}")
_CHINESE_ASCII = regex.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef])[,;:!?()]"
                               r"|[,;:!?()](?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef])")


def _counts_one_by_one(text: str) -> tuple[int, int, int]:
    """The counts as measured before: `regex` property scans of each text on its own."""
    chinese_ascii = len(_CHINESE_ASCII.findall(text))
    ascii_marks = len(text.encode("ascii", "ignore")) - text.count(" ")
    return (len(text) + len(_WIDE_PROPERTY.findall(text)) + chinese_ascii,
            len(_AMBIGUOUS_PROPERTY.findall(text)), ascii_marks - chinese_ascii)


def test_width_classes_agree_with_the_regex_properties_on_every_code_point():
    every = "".join(map(chr, range(0x110000)))
    wide, ambiguous = stage._classes()
    assert wide.deleted(every) == _WIDE_PROPERTY.sub("", every)
    assert ambiguous.deleted(every) == _AMBIGUOUS_PROPERTY.sub("", every)


_MEASURED = st.text(st.one_of(
    st.sampled_from(list("过去一年XX**××x，。、；：“”‘’…—·（）()ab12 ,;:!?\t\u3000ＡＢ１ｘ①ⅰαЖ") + ["𠀀", "𪚥", "😀", "\U000f0000"]),
    st.characters(blacklist_characters="\n")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(_MEASURED, max_size=8))
def test_measuring_texts_together_gives_each_text_its_own_counts(texts):
    assert [tuple(c) for c in stage._measure(texts)] == [_counts_one_by_one(t) for t in texts]
    for text in texts:
        assert stage.segment_width(text) == _counts_one_by_one(text)[0]


def test_measuring_finds_each_ascii_mark_no_han_touches_on_its_own_line():
    """The rare marks counted one cell are found in the whole text and given to the right line."""
    texts = ["中,文", "a,b(c)", "x", "(1)中", "3,4;5", "中文", "!", "说:“好”"]
    assert [tuple(c) for c in stage._measure(texts)] == [_counts_one_by_one(t) for t in texts]


def _clean_one(text: str) -> str:
    return stage._OTHER_SPACE.sub(" ", stage._BREAK.sub("", text.strip(" \t\u3000")))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_ALPHABET.filter(lambda s: "\n" not in s), max_size=30).map("".join), max_size=8))
def test_cleaning_texts_together_cleans_each_on_its_own(texts):
    assert stage._clean_all(texts) == [_clean_one(t) for t in texts]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["", "  ", "第 2 页 共 3 页", " - 4 -", "3/7", "Page 2 of 3", "第2页", "12", "5",
                                 "在全市数字经济发展推进会上的讲话", P1[:20], P2[:20] + " - 2 - " + P2[20:30],
                                 "全年增长 3/5 左右", "x\u30003/4"]), max_size=14))
def test_furniture_finders_miss_no_line_a_rule_would_take(lines):
    """Only the lines the finders mark are read by the rules; reading every line finds the same."""
    text = "\n".join(lines)
    every_line = stage.Furniture(FURNITURE.rules, FURNITURE.running_title_id, FURNITURE.running_title_max,
                                 (regex.compile(r"^", regex.MULTILINE),))
    assert stage.strip_furniture(text, FURNITURE) == stage.strip_furniture(text, every_line)


@pytest.mark.parametrize("make", [
    lambda n: "字\n" * n,  # 10^5 one-character lines: 2.9 s before, ~0.3 s now
    lambda n: "字" + "\n" * n + "字",
    lambda n: "过去一年，我们 务实担当 逆势争先。" * (n // 5),  # one long line, wraps as spaces
])
def test_cost_grows_linearly(make):
    """Ten times the input may cost at most 30x (generous, for a shared machine; quadratic is 100x)."""
    import time

    def cost(n: int) -> float:
        text = make(n)
        start = time.process_time()
        rejoin(text, FURNITURE)
        return time.process_time() - start

    cost(10**4)  # warm-up
    small, large = min(cost(10**4) for _ in range(2)), cost(10**5)
    assert large < max(30 * small, 2.0) and large < 10.0


# --- the guard that skips measuring a text that cannot be wrapped ------------------

_ENDINGS = st.text(st.sampled_from(list("过去一年。！？；…!?;:：”’）)》」』】\"'，、 ab1一、（二）") + ["\u3000"]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(_ENDINGS)
def test_ends_sentence_agrees_with_the_sentence_end_pattern(text):
    assert stage._ends_sentence(text) == bool(stage._SENTENCE_END.search(text))


_LINE = st.builds(lambda body, end: body + end,
                  st.text(st.sampled_from(list("过去一年我们坚持XX，、ab 1")), min_size=0, max_size=40),
                  st.sampled_from(["", "。", "；", "”", "。”", "，", "：", "一、总体要求"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE.map(str.strip).filter(bool), max_size=14))
def test_a_text_the_guard_rules_out_has_no_wrap_width(texts):
    if not stage._may_be_wrapped(texts):
        assert stage.wrap_width(stage._measure(texts), texts) is None


def test_the_guard_skips_a_text_one_paragraph_a_line_and_not_a_wrapped_one():
    paragraphs = ["过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳。"] * 6
    assert not stage._may_be_wrapped(paragraphs)
    wrapped = ["过去一年，我们坚持稳中求进工作总基调，经济运行总体", "平稳。"] * 3
    assert stage._may_be_wrapped(wrapped)


def _sample_texts() -> list[str]:
    from pathlib import Path

    dumps = Path(__file__).resolve().parent.parent / "samples" / "dumps"
    return [path.read_bytes().decode("utf-8", "replace") for path in sorted(dumps.iterdir()) if path.is_file()]


_SENTENCES = ["过去一年，我们坚持稳中求进工作总基调。", "经济运行总体平稳，XX项目完成投资12亿元；",
              "一、总体要求", "同志们：", "推进Smart City建设，", "（二）城乡面貌持续改善。", "第 3 页 共 7 页"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=30),
       st.sampled_from([None, 20, 26, 34]), st.sampled_from(["\n", " ", "\n\n", "\n\u3000\u3000"]))
def test_rejoin_with_the_guard_equals_rejoin_measuring_every_text(sentences, width, separator):
    text = separator.join(sentences)
    if width:  # cut into visual lines of `width` characters, as a PDF dump keeps them
        text = separator.join(text[i:i + width] for i in range(0, len(text), width))
    _assert_guard_changes_nothing(text)


def test_rejoin_with_the_guard_equals_rejoin_measuring_every_text_on_the_samples():
    for text in _sample_texts():
        _assert_guard_changes_nothing(text)


def _assert_guard_changes_nothing(text: str) -> None:
    furniture = furniture_rules()
    fast = rejoin(text, furniture)
    guard = stage._may_be_wrapped
    stage._may_be_wrapped = lambda texts: len(texts) >= 4  # wrap_width's own first test only
    try:
        full = rejoin(text, furniture)
    finally:
        stage._may_be_wrapped = guard
    assert fast == full


def _lines_matching_from_each_line_start(text: str) -> set[int]:
    """The line finder's lines, by the plain form: `^…$` tried at every line start."""
    whole = "|".join(f"(?:{rule.pattern.pattern})" for rule in FURNITURE.rules)
    plain = regex.compile(f"^{stage._STRIPPED}(?:{whole}){stage._STRIPPED}$", regex.MULTILINE)
    return {index for index, start in enumerate(_line_starts(text)) if plain.match(text, start)}


def _line_starts(text: str) -> list[int]:
    starts = [0]
    while (found := text.find("\n", starts[-1])) >= 0:
        starts.append(found + 1)
    return starts


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\u3000", "第 2 页 共 3 页", " - 4 -", "3/7", "Page 2 of 3", "第2页", "12",
                                 "第", "3 页", "共 3", "x 3/5", "全年增长 3/5 左右", P1[:10], "\t5\t"]), max_size=14))
def test_the_line_finder_marks_the_lines_a_whole_line_pattern_matches_at_their_start(lines):
    text = "\n".join(lines)
    line_only = stage.Furniture(FURNITURE.rules, None, 50, (), FURNITURE.line_finder)
    assert set(stage._candidate_lines(text, line_only)) == _lines_matching_from_each_line_start(text)


def test_no_ideograph_outside_the_listed_ones_can_begin_a_heading():
    from speechclean.shapes import HEADING

    starters = {chr(c) for c in range(0x4E00, 0xA000) if HEADING.match(chr(c), partial=True)}
    assert starters <= stage._HEADING_IDEOGRAPHS


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("一二十百第章（）()12１、.．，：:过去年abX。 ") + ["\u4e00", "\u9fff", "〇"]), max_size=14),
       st.sampled_from([40, 24, 10**6]))
def test_the_quick_heading_test_agrees_with_is_heading(text, limit):
    assert stage._is_heading(text, limit) == is_heading(text, limit)


_GLUE_ENDS = st.text(st.sampled_from(list("aZz09-–，。X ") + ["过"]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_GLUE_ENDS, _GLUE_ENDS, st.booleans())
def test_glue_reads_the_ends_as_the_latin_patterns_did(left, right, wrapped):
    latin_end, latin_start = regex.compile(r"[A-Za-z0-9]$"), regex.compile(r"^[A-Za-z0-9]")
    hyphen_end, lower_start = regex.compile(r"[A-Za-z]-$"), regex.compile(r"^[a-z]")
    if wrapped and hyphen_end.search(left) and lower_start.match(right):
        expected = (1, "")
    elif latin_end.search(left) and latin_start.match(right) or hyphen_end.search(left) and lower_start.match(right):
        expected = (0, " ")
    else:
        expected = (0, "")
    counters: Counter = Counter()
    assert stage._glue(left, right, counters, wrapped) == expected
    assert counters["hyphens_rejoined"] == (expected == (1, ""))


def test_first_use_does_not_build_every_code_point_at_once():
    """The width and furniture tables are read from `regex` a plane at a time:
    building all 1.1 M code points at once peaked near 100 MB per worker."""
    import subprocess
    import sys

    probe = (
        "import tracemalloc; tracemalloc.start()\n"
        "from speechclean import clean_bytes\n"
        "clean_bytes('同志们：\\n今天开会，第 1 页 共 2 页\\n'.encode())\n"
        "print(tracemalloc.get_traced_memory()[1] // 2**20)\n"
    )
    peak_mb = int(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
    assert peak_mb < 50
