"""Find the title and the speech's own metadata; drop a repeated title.

Runs after rejoining, when the title glued to the body (`…大会上的讲 话 同志们:`)
has been split off. Which title wins (see docs/chrome.md):
1. the text's own first paragraph, when it reads as a title (short, no
   sentence-final punctuation, alone in its block or shaped like a speech
   title `在…上的讲话`);
2. else the title of the file-name line (`…讲话柠檬文苑.docx`);
3. else the HTML page's <title>.
A site name is never part of a title. A copy of the title opening the body
is removed. The occasion and the speaker come from the title
(`市长张三在…大会上的讲话`), a subtitle (`——在…上的讲话`) or a byline under the
title (`市委书记 张三`); a date line under the title (`（2023年2月20日）`) gives
the date. A text with no sign of being a speech gets a warning but is
cleaned all the same. After this stage, when `doc.title` is set, the first
line of `doc.text` is the title and the second is blank, as in the final
text (later stages normalise the title with the body).
"""

from __future__ import annotations

import regex

from ..config import Config
from ..document import Document, Removal
from ..ruleset import load_rules
from ..shapes import SALUTATION, TITLE_SHAPE, is_heading

NAME = "meta"

TITLE_MAX_CHARS = 60
_SENTENCE_END = regex.compile(r"[。！？；!?;，,、：:]$")
_SPEECH_WORDS = "讲话|致辞|发言|报告|主持词|总结讲话|讲话稿|发言稿|开幕词|闭幕词|贺词|演讲|动员讲话|党课"
_OCCASION = regex.compile(
    rf"^(?:[-—－]+)?(?P<speaker>[^在]{{2,30}}?)?(?:同志)?在(?P<occasion>.+?)(?:上|中|时)的(?:{_SPEECH_WORDS})(?:[(（].*[)）])?$"
)
_OFFICES = ("书记|副书记|市长|副市长|区长|县长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|主席|董事长|总经理|"
            "院长|校长|秘书长|行长|总裁|理事长|会长|委员|常委|党组书记|负责人|总监|司令员|政委")
_BYLINE = regex.compile(rf"^(?P<office>[\p{{Han}}、X×*]{{2,30}}?(?:{_OFFICES}))\s*(?P<name>[\p{{Han}}X×*]{{2,4}})$")
_DATE_LINE = regex.compile(r"^[(（]?\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[)）]?$")
_SPACES = regex.compile(r"\s+")
_CHAPTER = regex.compile(r"^第[一二三四五六七八九十百千零\d]+[章回]")  # a chapter heading alone on a page is its title
_FIRST_PERSON = regex.compile(r"我们|同志们|大家|我市|我区|我县|我省|咱们")


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


def strip_site(title: str, sites: tuple[str, ...]) -> str:
    """The title without a site name glued to its end (`…讲话-柠檬文苑`, `…讲话_文库`).

    A separator and a site end the title only if the site alone does, so one
    `endswith` over all sites answers for most titles.
    """
    if not title.endswith(sites):
        return title
    for site in sites:
        for sep in ("-", "_", "—", "|", "｜", " ", ""):
            if title.endswith(sep + site) and len(title) > len(sep + site):
                return title[: -len(sep + site)].rstrip(" -_—|｜")
    return title


def is_title(first: str, alone: bool, following: str | None) -> bool:
    """Whether the first paragraph of a text is its title."""
    if len(first) > TITLE_MAX_CHARS or _SENTENCE_END.search(first) or SALUTATION.match(first):
        return False
    if is_heading(first) and not (_CHAPTER.match(first) and alone):
        return False
    if TITLE_SHAPE.search(first) and following is not None:
        return True
    return alone and following is not None


def find_title(text: str, alternatives: tuple[str, ...] = (),
               drop_duplicates: bool = True) -> tuple[str | None, str, list[Removal]]:
    """Return (title, text with the title as its first line, removals).

    `alternatives` are other known forms of the title (file name, page
    title): a body line equal to one of them is a duplicate as well.
    """
    blocks = text.split("\n\n")
    first_block = blocks[0].split("\n")
    first = first_block[0].strip()
    alone = len(first_block) == 1 and len(blocks) > 1
    rest_lines = first_block[1:] + [line for block in blocks[1:] for line in block.split("\n")]
    rest_lines = [line for line in rest_lines if line.strip()]
    following = rest_lines[0] if rest_lines else None
    if not first or not is_title(first, alone, following):
        return None, "\n".join(line for line in text.split("\n") if line.strip()), []
    removals = []
    copies = {_squash(first)} | {_squash(alt) for alt in alternatives if alt}
    while drop_duplicates and rest_lines and _squash(rest_lines[0]) in copies:
        removals.append(Removal("title.duplicate", rest_lines.pop(0).strip()))
    return first, "\n".join([first] + rest_lines), removals


def speech_meta(title: str | None, lines: list[str]) -> dict:
    """Occasion, speaker and date from the title and the lines just under it."""
    meta: dict = {}
    candidates = ([title] if title else []) + [line.strip() for line in lines[:3] if len(line) <= TITLE_MAX_CHARS * 2]
    for line in candidates:
        occasion = _OCCASION.match(_squash(line))
        if occasion and "occasion" not in meta:
            meta["occasion"] = occasion.group("occasion")
            speaker = (occasion.group("speaker") or "").strip("—-－ ")
            if speaker and not regex.search(r"\d|年", speaker):
                meta["speaker"] = speaker
    for line in lines[:3]:
        line = line.strip()
        byline = _BYLINE.match(line.replace(" ", "").replace("\u3000", "")) if len(line) <= 40 else None
        if byline and "speaker" not in meta:
            meta["speaker"] = byline.group("name")
            meta["speaker_office"] = byline.group("office")
        date = _DATE_LINE.match(line)
        if date and "date" not in meta:
            meta["date"] = _squash(date.group("date"))
    return meta


def looks_like_speech(title: str | None, lines: list[str], meta: dict) -> bool:
    """Any sign that the text is a speech: a speech title, a salutation, an occasion, or first-person address."""
    if meta.get("occasion") or (title and regex.search(rf"({_SPEECH_WORDS})", title)):
        return True
    if any(SALUTATION.match(line.strip()) for line in lines[:40]):
        return True
    body = "".join(lines)
    return len(_FIRST_PERSON.findall(body)) >= max(2, len(body) // 1500)


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    sites = load_rules(config.rules_files, config.disabled_rules).words("sites")
    file_title = strip_site(doc.meta.get("file_title", ""), sites) or None
    page_title = strip_site(doc.meta.get("page_title", ""), sites) or None
    title, text, removals = find_title(doc.text, tuple(t for t in (file_title, page_title) if t),
                                       drop_duplicates="title.duplicate" not in config.disabled_rules)
    source = "text"
    if title is not None and "title.site_suffix" not in config.disabled_rules:
        stripped = strip_site(title, sites)
        if stripped != title:
            removals.append(Removal("title.site_suffix", title[len(stripped):]))
            text = stripped + text[len(title):]
            title = stripped
    else:
        title = file_title or page_title
        source = "file name" if file_title else ("page title" if page_title else None)
        if title:
            lines = text.split("\n")
            if lines and _squash(lines[0]) == _squash(title):
                lines = lines[1:]
            text = "\n".join([title] + lines)
    body_lines = text.split("\n")[1:] if title else text.split("\n")
    meta = speech_meta(title, body_lines)
    if title:
        meta["title_source"] = source
    if title:
        # Lay the title out as the final text has it (title, blank line, body), so
        # offsets that later stages record already point into the text as written.
        first, _, rest = text.partition("\n")
        text = f"{first}\n\n{rest}" if rest.strip() else first
    doc = doc.evolve(text=text, title=title).with_removed(*removals).with_meta(**meta)
    if text.strip() and not looks_like_speech(title, body_lines, doc.meta):
        doc = doc.with_warnings("does not look like a speech (no speech title, salutation, occasion or "
                                "first-person address); cleaned as plain text")
    return doc, {"title_found": title is not None, "duplicate_title_removed": any(
        r.rule == "title.duplicate" for r in removals)}
