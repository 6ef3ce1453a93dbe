"""What a reply adds: the quoted history and the signature cut off, for the
conversation's timeline. The message as sent stays in the raw store ("view
original"), so a cut that goes too far loses nothing."""

from __future__ import annotations

import re

# A line that introduces the quoted message, in the mail clients our users'
# customers use: Gmail, Apple Mail, Thunderbird and Outlook, in English and
# Polish.
ATTRIBUTION = re.compile(
    r"""^\s*(
        on\s.{1,200}\swrote:\s*$                                  # On Mon, 1 Dec ..., Anna wrote:
      | w\sdniu\s.{1,200}\s(pisze|napisał|napisała|napisał\(a\)):\s*$  # W dniu ... pisze:
      | dnia\s.{1,200}\s(pisze|napisał|napisała|napisał\(a\)):\s*$
      | .{1,200}\s(pisze|napisał|napisała|napisał\(a\)):\s*$       # Anna Nowak napisał(a):
      | -{2,}\s*(original\smessage|wiadomość\soryginalna|forwarded\smessage|
                 wiadomość\sprzekazana|przekazana\swiadomość)\s*-{2,}
      | _{20,}\s*$                                                 # Outlook's rule
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Outlook's header block: "From: ...", then "Sent: ..." (or the Polish
# "Od: ... Wysłano: ...") on the next lines.
HEADER_BLOCK = re.compile(r"^\s*\**(from|od|de|von):\**\s", re.IGNORECASE)
HEADER_NEXT = re.compile(
    r"^\s*\**(sent|date|wysłano|wysłane|data|to|do|subject|temat):\**\s", re.IGNORECASE
)
SIGNATURE = re.compile(
    r"""^(
        --\s?$                                        # RFC 3676's delimiter
      | sent\sfrom\smy\s.{1,40}$                      # Sent from my iPhone
      | (wysłane|wysłano)\sz\s.{1,40}$                # Wysłane z iPhone'a
      | get\soutlook\sfor\s.{1,40}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Where the quoted history starts in the HTML of the common clients.
HTML_QUOTE = re.compile(
    r"""<(div|blockquote|hr)\b[^>]*(
        class=["']?(gmail_quote|moz-cite-prefix|yahoo_quoted|protonmail_quote)
      | type=["']?cite
      | id=["']?(appendonsend|divRplyFwdMsg|stopSpelling|mail-editor-reference-message-container)
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def strip_reply(text: str) -> str:
    """The new part of a plain-text reply; the whole text when nothing is left."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = len(lines)
    for number, line in enumerate(lines):
        if ATTRIBUTION.match(line) or SIGNATURE.match(line):
            cut = number
            break
        if (
            HEADER_BLOCK.match(line)
            and number + 1 < len(lines)
            and HEADER_NEXT.match(lines[number + 1])
        ):
            cut = number
            break
    kept = lines[:cut]
    # Trailing quoted lines ("> ...") without an attribution line.
    while kept and (kept[-1].startswith(">") or not kept[-1].strip()):
        kept.pop()
    result = "\n".join(kept).strip()
    return result or text.strip()


def strip_reply_html(html: str) -> str:
    """The HTML before the quoted history; the whole HTML when that is empty.
    Cut before sanitising (the markers are classes and ids that sanitising
    drops); the sanitiser closes what the cut leaves open."""
    found = HTML_QUOTE.search(html)
    if found is None:
        return html
    head = html[: found.start()]
    visible = re.sub(r"(?s)<[^>]+>|&nbsp;|\s", "", head)
    return head if visible else html
