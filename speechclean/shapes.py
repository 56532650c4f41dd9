"""Line shapes several stages must agree on: headings, salutations, titles.

The rejoiner keeps them on lines of their own, the classifier never takes
them for chrome, and `meta` recognises the title by them; one definition
keeps the three from drifting apart.
"""

from __future__ import annotations

import regex

#: A numbered heading: `一、` `（一）` `1、` `1.` `（1）` `第一，` `第二章`.
HEADING = regex.compile(
    r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[、．]|\d{1,2}\.(?!\d)"
    r"|[（(]\d{1,2}[)）]|第[一二三四五六七八九十百]+[章节部分条篇，,、])"
)
#: A salutation standing alone: `同志们：` `各位代表：` `尊敬的各位来宾：`.
SALUTATION = regex.compile(
    r"^(?:尊敬的.{1,40}|各位.{1,16}|.{0,16}同志们|同事们|朋友们|女士们、?先生们|老师们、?同学们|亲爱的.{1,20})[:：,，!！]$"
)
#: The word a speech title ends with (`在…大会上的讲话`).
SPEECH_TITLE_END = regex.compile(r"(讲话|致辞|发言|报告|讲稿|主持词|贺词|演讲)$")
#: The word any document title may end with: speeches, and the documents shared beside them.
TITLE_SHAPE = regex.compile(
    r"(讲话|致辞|发言|报告|讲稿|主持词|讲话稿|发言稿|贺词|演讲|总结|意见|方案|通知|决定|办法|规定|纲要|"
    r"要点|计划|规划|公报|决议|讲座|党课|致辞稿|开幕词|闭幕词|答谢词|欢迎词|表态发言)$"
)
_SENTENCE_END = regex.compile(r"[。！？；…!?;:：][”’）)》」』】\"']*$")


def is_heading(text: str, limit: int = 40) -> bool:
    """A short numbered heading without a sentence end (`一、认清形势`)."""
    return bool(HEADING.match(text)) and len(text) <= limit and not _SENTENCE_END.search(text)
