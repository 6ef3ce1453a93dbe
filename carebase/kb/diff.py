"""What changed between two versions of an article, line by line: for the
version pages (side by side, changed words marked) and the API (unified)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from carebase.kb.models import ArticleVersion


@dataclass
class Line:
    kind: str  # "same", "added", "removed", "changed"
    old: SafeString
    new: SafeString


def _text(version: ArticleVersion) -> list[str]:
    return [f"# {version.title}", version.summary, "", *version.body.splitlines()]


def unified(old: ArticleVersion, new: ArticleVersion) -> str:
    return "\n".join(
        difflib.unified_diff(
            _text(old), _text(new), f"version {old.number}", f"version {new.number}", lineterm=""
        )
    )


def _words_marked(old: str, new: str) -> tuple[SafeString, SafeString]:
    old_words, new_words = old.split(" "), new.split(" ")
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        before = escape(" ".join(old_words[a1:a2]))
        after = escape(" ".join(new_words[b1:b2]))
        if tag == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(f"<del>{before}</del>")
        if after:
            right.append(f"<ins>{after}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))


def side_by_side(old: ArticleVersion, new: ArticleVersion, context: int = 3) -> list[Line | None]:
    """The changed lines with `context` lines around them; None marks a gap."""
    a, b = _text(old), _text(new)
    lines: list[Line | None] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(None)
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [Line("same", escape(a[i]), escape(b[b1 + i - a1])) for i in range(a1, a2)]
            else:
                # Replaced lines pair up, their changed words marked; the
                # rest of the longer side was removed or added.
                paired = min(a2 - a1, b2 - b1) if tag == "replace" else 0
                for offset in range(paired):
                    left, right = _words_marked(a[a1 + offset], b[b1 + offset])
                    lines.append(Line("changed", left, right))
                empty = mark_safe("")
                lines += [Line("removed", escape(a[i]), empty) for i in range(a1 + paired, a2)]
                lines += [Line("added", empty, escape(b[i])) for i in range(b1 + paired, b2)]
    return lines
