"""HTML to Markdown, for articles imported from help centers that store
HTML (Zendesk Guide, Freshdesk): headings, paragraphs, lists, links,
emphasis, code and quotes become Markdown; tables stay HTML (the renderer
sanitises them); scripts and the like are dropped; anything else keeps its
text. Built on the standard library's HTMLParser."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "ul",
}  # fmt: skip
# Their content is not text a reader should see.
DROPPED_TAGS = {
    "script", "style", "template", "noscript", "head", "title", "object", "embed", "applet",
    "svg", "math", "button", "select", "textarea", "input",
}  # fmt: skip
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
# Attributes a table kept as HTML holds on to; the renderer sanitises the rest anyway.
TABLE_ATTRIBUTES = {"colspan", "rowspan", "scope", "href", "title", "alt"}
TABLE_ROWS = {"table", "thead", "tbody", "tfoot", "tr", "caption"}
MEDIA_TAGS = {"img", "iframe", "video", "audio"}  # they become links to their source
BREAK = "\x00"  # a <br>, until the paragraph's spaces are collapsed
SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
ESCAPED = re.compile(r"([\\`*\[<])|(?<!\w)_|_(?!\w)|&(?=#?\w+;)")
LINE_START = re.compile(r"(#{1,6}|[-+]|=+|-+)(\s|$)|>|~~~")
NUMBERED = re.compile(r"(\d{1,9})([.)])(\s|$)")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A tree of the HTML, closing what authors leave open (<p>, <li>, <td>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def _close(self, tags: set[str], boundary: set[str]) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[index].tag
            if tag in tags:
                del self.stack[index:]
                return
            if tag in boundary:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag == "li":
            self._close({"li"}, {"ul", "ol"})
        elif tag in ("dt", "dd"):
            self._close({"dt", "dd"}, {"dl"})
        elif tag == "tr":
            self._close({"tr"}, {"table"})
        elif tag in ("td", "th"):
            self._close({"td", "th"}, {"tr", "table"})
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        self._close({tag}, set())

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def html_to_markdown(source: str) -> str:
    """Markdown that says what the HTML said: headings, paragraphs, lists,
    links, emphasis, code, quotes; images become links, tables stay HTML
    (the renderer sanitises it), scripts and styles go, and any other
    element keeps its text."""
    builder = _TreeBuilder()
    builder.feed(source or "")
    builder.close()
    text = "\n\n".join(block for block in _blocks(builder.root.children) if block.strip())
    return text.strip() + "\n" if text.strip() else ""


def _is_block(node: _Node) -> bool:
    if node.tag in DROPPED_TAGS:
        return False
    return node.tag in BLOCK_TAGS or any(
        isinstance(child, _Node) and _is_block(child) for child in node.children
    )


def _blocks(children: Iterable[_Node | str]) -> list[str]:
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = _paragraphs("".join(run))
        run.clear()
        if text:
            blocks.append(text)

    for child in children:
        if isinstance(child, _Node) and _is_block(child):
            flush()
            blocks.extend(_block(child))
        else:
            run.append(_inline(child))
    flush()
    return blocks


def _escape_line(line: str) -> str:
    """A line of text that Markdown must not read as a heading, a list item
    or a quote."""
    if LINE_START.match(line):
        return "\\" + line
    numbered = NUMBERED.match(line)
    if numbered:
        return f"{numbered.group(1)}\\{line[len(numbered.group(1)) :]}"
    return line


def _paragraphs(text: str) -> str:
    """Inline Markdown with collapsed spaces; one <br> breaks the line, two
    start a new paragraph."""
    lines = [_escape_line(SPACES.sub(" ", line).strip()) for line in text.split(BREAK)]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)


def _one_line(children: Iterable[_Node | str]) -> str:
    text = "".join(_inline(child) for child in children)
    return SPACES.sub(" ", text.replace(BREAK, " ")).strip()


def _text_of(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag in DROPPED_TAGS:
        return ""
    if node.tag == "br":
        return "\n"
    return "".join(_text_of(child) for child in node.children)


def _safe_url(url: str) -> str | None:
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if not url or scheme not in SAFE_SCHEMES:
        return None
    if re.search(r"[\s()<>]", url):
        return "<" + re.sub(r"\s", "%20", url).replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _wrap(marker: str, inner: str) -> str:
    core = inner.strip()
    if not core or BREAK in core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _inline(node: _Node | str) -> str:
    if isinstance(node, str):
        return ESCAPED.sub(lambda found: "\\" + found.group(0), node)
    tag = node.tag
    if tag in DROPPED_TAGS:
        return ""
    if tag == "br":
        return BREAK
    if tag in ("code", "kbd", "samp", "tt"):
        code = SPACES.sub(" ", _text_of(node))
        if not code.strip():
            return code
        fence = "`" * (max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
        padding = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{fence}{padding}{code}{padding}{fence}"
    inner = "".join(_inline(child) for child in node.children)
    if tag in ("strong", "b"):
        return _wrap("**", inner)
    if tag in ("em", "i", "cite", "dfn"):
        return _wrap("*", inner)
    if tag == "a":
        url = _safe_url(node.attrs.get("href", ""))
        if url is None or MEDIA_TAGS & _tags_within(node):
            return inner  # a link around an image: the image's own link (links do not nest)
        label = inner.strip() or _inline(node.attrs["href"].strip())
        return f"[{label.replace(BREAK, ' ')}]({url})"
    if tag in MEDIA_TAGS:
        source = node.attrs.get("src", "")
        url = _safe_url(source)
        if url is None:
            return ""
        name = node.attrs.get("alt") or node.attrs.get("title") or source.rsplit("/", 1)[-1]
        return f"[{_inline(name.strip()) or url}]({url})"
    return inner


def _tags_within(node: _Node) -> set[str]:
    found: set[str] = set()
    for child in node.children:
        if isinstance(child, _Node):
            found |= {child.tag} | _tags_within(child)
    return found


def _block(node: _Node) -> list[str]:
    tag = node.tag
    if tag in DROPPED_TAGS:
        return []
    if re.fullmatch(r"h[1-6]", tag):
        text = _one_line(node.children)
        # The article's title is the page's h1: a heading in the text starts at h2.
        return [f"{'#' * max(2, int(tag[1]))} {text}"] if text else []
    if tag in ("ul", "ol"):
        return _list(node)
    if tag == "pre":
        code = _text_of(node).strip("\n")
        classes = " ".join(
            child.attrs.get("class", "") for child in node.children if isinstance(child, _Node)
        )
        language = re.search(
            r"(?:language|lang)-([\w+-]+)", f"{node.attrs.get('class', '')} {classes}"
        )
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
        return [f"{fence}{language.group(1) if language else ''}\n{code}\n{fence}"]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(node.children))
        return (
            ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))] if inner else []
        )
    if tag == "hr":
        return ["---"]
    if tag == "table":
        return [_table(node)]
    if tag == "dt":
        text = _one_line(node.children)
        return [f"**{text}**"] if text else []
    return _blocks(node.children)


def _list(node: _Node) -> list[str]:
    items: list[list[_Node | str]] = []
    for child in node.children:
        if isinstance(child, _Node) and child.tag == "li":
            items.append(list(child.children))
        elif isinstance(child, str) and not child.strip():
            continue
        elif items:  # a list nested straight in a list belongs to the item before
            items[-1].append(child)
        else:
            items.append([child])
    try:
        number = int(node.attrs.get("start", "1"))
    except ValueError:
        number = 1
    lines = []
    for children in items:
        marker = f"{number}. " if node.tag == "ol" else "- "
        number += 1
        blocks = _blocks(children) or [""]
        nested = all(
            block.startswith(("- ", "1. ")) or NUMBERED.match(block) for block in blocks[1:]
        )
        text = ("\n" if nested else "\n\n").join(blocks)
        indent = " " * len(marker)
        first, *rest = text.split("\n")
        lines.append(
            marker + first + "".join(f"\n{indent}{line}" if line else "\n" for line in rest)
        )
    return ["\n".join(lines)] if lines else []


def _table(node: _Node) -> str:
    """The table as HTML without blank lines (so Markdown keeps it one
    block), its text escaped, scripts and odd attributes gone."""

    def serialise(item: _Node | str) -> str:
        if isinstance(item, str):
            return html.escape(SPACES.sub(" ", item), quote=False)
        if item.tag in DROPPED_TAGS:
            return ""
        inner = "".join(serialise(child) for child in item.children)
        if item.tag not in ARTICLE_TABLE_TAGS:
            return inner
        attributes = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in item.attrs.items()
            if name in TABLE_ATTRIBUTES and (name != "href" or _safe_url(value) is not None)
        )
        if item.tag in VOID_TAGS:
            return f"<{item.tag}{attributes}>"
        after = "\n" if item.tag in TABLE_ROWS else ""
        before = "\n" if item.tag == "table" else ""
        return f"<{item.tag}{attributes}>{before}{inner.strip()}</{item.tag}>{after}"

    text = serialise(node)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


ARTICLE_TABLE_TAGS = TABLE_ROWS | {
    "th", "td", "colgroup", "col", "a", "b", "strong", "i", "em", "code", "br", "p", "ul",
    "ol", "li", "sup", "sub", "kbd",
}  # fmt: skip
