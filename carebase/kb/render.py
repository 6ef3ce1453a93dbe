"""Markdown to safe HTML, and to plain text for snippets and search.

Authors may write raw HTML in an article (a table, a <kbd>); it goes
through the same sanitiser as inbound mail, so a script, a style, an event
handler or a javascript: link never reaches a reader. Headings get ids, so
that a link can point to a section.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt

from carebase.core.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

ARTICLE_TAGS = ALLOWED_TAGS | {"kbd", "mark", "figure", "figcaption", "caption"}
ARTICLE_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "code": {"class"},
    "th": {"colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
}
HEADING = re.compile(r"<(h[234])>(.*?)</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|tr|td|th|table|br|blockquote|pre|figure|figcaption|hr)\b[^>]*>",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def render_markdown(text: str) -> str:
    html = _parser().render(text)
    html = _heading_ids(html)
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        filter_style_properties={"text-align"},
    )


def _heading_ids(html: str) -> str:
    used: set[str] = set()

    def add_id(found: re.Match[str]) -> str:
        level, inner = found.group(1), found.group(2)
        base = slug_of(TAG.sub("", inner)) or "section"
        anchor, number = base, 2
        while anchor in used:
            anchor, number = f"{base}-{number}", number + 1
        used.add(anchor)
        return f'<{level} id="{anchor}">{inner}</{level}>'

    return HEADING.sub(add_id, html)


def slug_of(text: str) -> str:
    """An address made of the text: "Włączanie nagrań" -> "wlaczanie-nagran"."""
    from carebase.core.search import fold

    return slugify(fold(text))


def headings(html: str) -> list[tuple[str, str, str]]:
    """(level, id, text) of the h2 and h3 headings: the article's contents."""
    return [
        (level, anchor, TAG.sub("", inner))
        for level, anchor, inner in re.findall(r'<(h[23]) id="([^"]+)">(.*?)</\1>', html, re.DOTALL)
    ]


def plain_text(html: str) -> str:
    """The text a reader reads, without tags: for snippets and descriptions."""
    import html as html_module

    # Block tags part words; inline ones (<strong>) must not split "Płatności.".
    text = TAG.sub("", BLOCK_TAG.sub(" ", html))
    return " ".join(html_module.unescape(text).split())
