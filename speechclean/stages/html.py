"""HTML dumps to lines: keep block structure, drop page furniture elements.

Runs only on documents `decode` marked as HTML (by file name or by sniffing;
the charset of a `<meta>` tag was already used by `decode`). Elements that
never hold the speech (script, style, nav, header, footer, aside …) and
containers whose class or id names them as chrome (`rules/html.toml`) are
dropped, unless they hold the page's <h1> or most of its text: a page that
wraps its article in `<div class="share-wrap">` must not lose the article.
Each block element becomes its own line so the later line-based stages see
the page as a text dump would show it. The <title> and the page's <meta>
fields (author, date, URL, site) go to `doc.meta`.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from bs4 import BeautifulSoup

from ..chars import HAN
from ..config import Config, ConfigError, read_toml_file
from ..document import Document, Removal
from ..ruleset import read_shipped_rules

NAME = "html"

#: Elements whose text is never shown as text (recorded by name only).
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
#: Elements that hold page furniture (recorded with their text).
FURNITURE_TAGS = ("nav", "header", "footer", "aside", "form", "button", "select")
BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article",
    "blockquote", "pre", "dd", "dt", "table", "ul", "ol", "hr", "figure", "figcaption", "main",
)
#: A container holding at least this share of the page's Chinese is the article itself.
CONTENT_SHARE = 0.4
_HAN_CHAR = regex.compile(rf"[{HAN}]")
_TOKEN_SPLIT = regex.compile(r"[\s_\-]+")
_META_FIELDS = {
    "author": "author",
    "article:author": "author",
    "og:title": "page_title",
    "og:url": "url",
    "og:site_name": "site",
    "article:published_time": "date",
    "pubdate": "date",
    "publishdate": "date",
    "publish_date": "date",
}


@lru_cache(maxsize=16)
def chrome_tokens(rules_files: tuple[str, ...] = ()) -> frozenset[str]:
    """Class/id tokens of chrome containers: shipped `html.toml`, then user rules files."""
    tokens = set(read_shipped_rules("html.toml")["html"]["chrome_tokens"])
    for path in rules_files:
        extra = read_toml_file(path, "rules file").get("html", {}).get("chrome_tokens", [])
        if not isinstance(extra, list) or not all(isinstance(t, str) for t in extra):
            raise ConfigError(f"{path}: [html] chrome_tokens must be a list of strings")
        tokens.update(token.lower() for token in extra)
    return frozenset(tokens)


def _parser() -> str:
    try:
        import lxml  # noqa: F401  (optional speed-up)
    except ImportError:
        return "html.parser"
    return "lxml"


def _han(text: str) -> int:
    return len(_HAN_CHAR.findall(text))


def _text_lines(element) -> str:
    return " / ".join(line.strip() for line in element.get_text("\n").split("\n") if line.strip())


def _is_chrome_container(element, tokens: frozenset[str]) -> bool:
    names = " ".join(element.get("class", []) or []) + " " + (element.get("id") or "")
    return any(token.lower() in tokens for token in _TOKEN_SPLIT.split(names) if token)


def _holds_content(element, page_han: int) -> bool:
    if element.find("h1") is not None:
        return True
    return page_han > 0 and _han(element.get_text()) >= CONTENT_SHARE * page_han


def page_meta(soup) -> dict:
    """Title and <meta> fields of the page."""
    meta = {}
    if soup.title and soup.title.get_text(strip=True):
        meta["page_title"] = soup.title.get_text(" ", strip=True)
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").lower()
        value = (tag.get("content") or "").strip()
        if key in _META_FIELDS and value and _META_FIELDS[key] not in meta:
            meta[_META_FIELDS[key]] = value
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href") and "url" not in meta:
        meta["url"] = canonical["href"]
    return meta


def html_to_lines(markup: str, tokens: frozenset[str] = frozenset()) -> tuple[str, dict, list[Removal]]:
    """Return (text with one block per line, page meta, removals)."""
    soup = BeautifulSoup(markup, _parser())
    meta = page_meta(soup)
    removals: list[Removal] = []
    for element in soup(list(INVISIBLE_TAGS)):
        if element.decomposed:
            continue
        removals.append(Removal("html.invisible", f"<{element.name}>"))
        element.decompose()
    page_han = _han(soup.get_text())
    for element in soup.find_all(True):
        if element.decomposed or element.name in ("html", "body"):
            continue
        if element.name in FURNITURE_TAGS:
            rule = f"html.{element.name}"
        elif _is_chrome_container(element, tokens):
            rule = "html.container"
        else:
            continue
        if _holds_content(element, page_han):
            continue
        text = _text_lines(element)
        if text:
            removals.append(Removal(rule, text))
        element.decompose()
    for element in soup.find_all(BLOCK_TAGS):
        if element.name in ("br", "hr"):
            element.replace_with("\n")
        else:
            element.insert_before("\n")
            element.insert_after("\n")
    body = soup.body or soup
    lines = [line.strip() for line in body.get_text("").split("\n")]
    return "\n".join(line for line in lines if line), meta, removals


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    if doc.format != "html":
        return doc, {}
    text, meta, removals = html_to_lines(doc.text, chrome_tokens(config.rules_files))
    doc = doc.evolve(text=text).with_removed(*removals).with_meta(**meta)
    return doc, {"elements_dropped": len(removals)}
