"""HTML dumps to lines: keep block structure, drop page furniture elements.

Runs only on documents `decode` marked as HTML. Each block element becomes
its own line so the later line-based stages see the page as a text dump
would show it.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from ..config import Config
from ..document import Document, Removal

NAME = "html"

#: Elements that never hold the speech.
DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg")
BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "section", "article", "blockquote", "pre", "dd", "dt", "title", "table", "ul", "ol",
)


def _parser() -> str:
    try:
        import lxml  # noqa: F401  (optional speed-up)
    except ImportError:
        return "html.parser"
    return "lxml"


def html_to_lines(markup: str) -> tuple[str, str | None, list[str]]:
    """Return (text with one block per line, <title> text, dropped element names)."""
    soup = BeautifulSoup(markup, _parser())
    page_title = soup.title.get_text(" ", strip=True) if soup.title else None
    dropped = []
    for element in soup(list(DROPPED_TAGS)):
        dropped.append(element.name)
        element.decompose()
    if soup.title:
        soup.title.decompose()
    for element in soup.find_all(BLOCK_TAGS):
        if element.name == "br":
            element.replace_with("\n")
        else:
            element.insert_before("\n")
            element.insert_after("\n")
    body = soup.body or soup
    text = body.get_text("")
    lines = [line.strip() for line in text.split("\n")]
    collapsed = "\n".join(line for line in lines if line)
    return collapsed, page_title, dropped


def run(doc: Document, config: Config) -> tuple[Document, dict]:
    if doc.format != "html":
        return doc, {}
    text, page_title, dropped = html_to_lines(doc.text)
    removals = [Removal("html.element", name) for name in sorted(set(dropped))]
    doc = doc.evolve(text=text).with_removed(*removals)
    if page_title:
        doc = doc.with_meta(page_title=page_title)
    return doc, {"elements_dropped": len(dropped)}
