"""Find anonymisation masks and deleted-value gaps in the clean text.

Runs last, on the text as it will be written, so offsets in the sidecar are
code-point offsets into the output. Masks are reported and kept (or, with
`masks = "unify"`, replaced by one token with the original recorded);
gaps are reported (and, with `fill_gaps`, filled with the token).
"""

from __future__ import annotations

import regex

from ..chars import HAN
from ..config import Config
from ..document import Document, Placeholder

NAME = "placeholders"

#: (rule id, pattern) for masks; the first rule that matches at a position wins.
MASK_RULES = (
    ("mask.x_run", regex.compile(rf"(?<![A-Za-z])(?:X{{2,}}|x{{2,}}|Ｘ{{2,}})(?![A-Za-z])")),
    ("mask.x_single", regex.compile(rf"(?<![A-Za-z0-9])[Xx](?![A-Za-z0-9光射])(?=[{HAN}（(）)、，。%]|$)|(?<=[{HAN}（(])[Xx](?![A-Za-z0-9])")),
    ("mask.asterisks", regex.compile(r"\*{2,}")),
    ("mask.times", regex.compile(r"(?<![0-9])×+(?![0-9])")),
    ("mask.mou", regex.compile(r"某某+")),
    ("mask.circle", regex.compile(r"[○〇]{2,}(?![年月日])")),
    ("mask.box", regex.compile(r"[□■╳]+")),
    ("mask.underscore", regex.compile(r"_{2,}")),
    ("mask.bracketed", regex.compile(r"[\[【](?:单位名称|姓名|单位|地名|名称|公司名称|企业名称|人名|日期|数字|金额)[\]】]")),
)

_UNIT_AFTER = regex.compile(r"^(亿元|万元|亿|万|元|%|％|个|家|项|人|年|月|日|平方米|公里|千米|吨|辆|户|场|名|倍|个百分点)")
_PERSON_AFTER = regex.compile(r"^(同志|书记|主任|市长|县长|区长|局长|部长|总书记|省长|主席|董事长|总经理)")
_PLACE_AFTER = regex.compile(r"^(省|市|县|区|镇|乡|村|街道|园区|开发区)")

#: (rule id, pattern, confidence): a unit or list mark where a value was deleted.
GAP_RULES = (
    ("gap.count_before_unit", regex.compile(rf"(?<=(?:新增|投资|项目|企业|建成|完成|签约|引进|落地|在建|动工|封顶)(?:项目|企业)?)(?=个(?:[{HAN}]))"), "high"),
    ("gap.number_before_percent", regex.compile(r"(?<=(?:增长|下降|提高|降低|占比|达到|比重))(?=[%％])"), "high"),
    ("gap.empty_list_item", regex.compile(r"(?<=[，、：（])(?=、)"), "high"),
    ("gap.list_starts_empty", regex.compile(rf"(?<=[，。；：]|^)(?=、[{HAN}*X×])", regex.MULTILINE), "high"),
)


def _category(text: str, end: int) -> str:
    after = text[end:end + 4]
    if _UNIT_AFTER.match(after):
        return "number"
    if _PERSON_AFTER.match(after):
        return "person"
    if _PLACE_AFTER.match(after):
        return "place"
    return "unknown"


def find_masks(text: str) -> list[Placeholder]:
    taken: list[tuple[int, int]] = []
    found = []
    for rule, pattern in MASK_RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            context = text[max(0, start - 8):end + 8].replace("\n", " ")
            found.append(Placeholder("mask", match.group(0), start, end, rule, _category(text, end), "high", context))
    return sorted(found, key=lambda p: p.start)


def find_gaps(text: str) -> list[Placeholder]:
    found = []
    for rule, pattern, confidence in GAP_RULES:
        for match in pattern.finditer(text):
            pos = match.start()
            context = text[max(0, pos - 8):pos + 8].replace("\n", " ")
            found.append(Placeholder("gap", "", pos, pos, rule, _category(text, pos), confidence, context))
    return sorted(found, key=lambda p: p.start)


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    text = doc.text
    masks = find_masks(text)
    gaps = find_gaps(text)
    placeholders = sorted(masks + gaps, key=lambda p: (p.start, p.kind))
    chars = max(1, len(text))
    density = round(1000 * len(placeholders) / chars, 2)
    doc = doc.evolve(placeholders=tuple(placeholders))
    return doc, {"masks": len(masks), "gaps": len(gaps), "per_1000_chars": density}
