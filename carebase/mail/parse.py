"""Reading one RFC 5322 message: headers, bodies and attachments, whatever
state it arrives in.

The stdlib parser with the default policy reads every charset Python knows,
encoded words, quoted-printable and base64; what it cannot read it records
as defects instead of failing. Still, a header object or a part's content can
raise when asked for (an unknown charset, an address list that is mostly
garbage), so every read here falls back to a rougher one rather than fail:
a message is only refused (`Unreadable`) when it has no headers at all.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.errors import MissingHeaderBodySeparatorDefect
from email.message import EmailMessage, Message
from email.policy import EmailPolicy
from functools import lru_cache
from typing import Any

from django.utils import timezone

# The types a message's own text is read from; everything else is kept as an
# attachment (images, calendar invites, signatures, forwarded messages...).
TEXT_TYPES = ("text/plain", "text/html")
# Headers that say a message was sent by a program, not a person: nothing
# automatic must answer them (RFC 3834), or two robots mail each other forever.
BULK_PRECEDENCE = {"bulk", "list", "junk"}
ROBOT_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.I)
MAX_HEADER = 998  # RFC 5322's line limit, and what the database keeps of one


class _RememberingPolicy(EmailPolicy):
    """The default policy, but a header value is parsed once: the stdlib
    parses a header again on every read (a part's Content-Type is read five
    or six times while walking a message), which was a third of the time
    spent reading mail. Header objects are immutable, so the same parsed
    value serves every message that carries it."""

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        if hasattr(value, "name"):
            return value
        if len(value) > CACHED_HEADER_LENGTH:
            # A long References or To list: parsed trees weigh some fifty times
            # their text, and such values rarely repeat.
            return super().header_fetch_parse(name, value)
        return _parsed_header(name, value)


CACHED_HEADER_LENGTH = 512


@lru_cache(maxsize=8192)
def _parsed_header(name: str, value: str) -> Any:
    return EmailPolicy.header_fetch_parse(PARSE_POLICY, name, value)


# Equal to email.policy.default in every setting.
PARSE_POLICY = _RememberingPolicy()


class Unreadable(Exception):
    """Not an email at all (no header could be read)."""


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""
    inline: bool = False


@dataclass
class ParsedEmail:
    message_id: str  # without angle brackets; "" when the message has none
    in_reply_to: list[str]
    references: list[str]
    subject: str
    sender_name: str
    sender: str  # the address, lower-cased; "" when unreadable
    reply_to: str
    to: list[str]
    cc: list[str]
    date: datetime | None
    text: str  # the plain text, from the text part or made from the HTML
    html: str  # the HTML part as sent (unsafe: sanitise before showing)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    automatic: bool = False  # sent by a program: no auto-reply to it
    bounce: bool = False  # a delivery status notification
    # The Message-IDs a bounce speaks of (of the message that did not arrive).
    bounced_ids: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


def message_ids(value: str) -> list[str]:
    """The ids in a Message-ID, In-Reply-To or References header, without
    brackets, in order, without repeats. Tolerates ids without brackets."""
    found = re.findall(r"<([^<>\s]+)>", value) or value.split()
    return list(dict.fromkeys(item.strip("<>") for item in found if item.strip("<>")))[:100]


def raw_message_id(raw: bytes) -> str:
    """The Message-ID of raw bytes, or "" (a cheap look before parsing)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = re.search(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", head, re.I | re.M)
    if not found:
        return ""
    ids = message_ids(found.group(1).decode("ascii", "replace"))
    return ids[0][:MAX_HEADER] if ids else ""


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _header(message: Message, name: str) -> str:
    """A header as text, decoded; "" when missing. Never raises."""
    try:
        value = message.get(name)
    except Exception:  # a header the policy cannot parse
        value = None
    if value is None:
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                value = _decode_raw(raw)
                break
        else:
            return ""
    try:
        text = str(value)
    except Exception:
        text = _decode_raw(getattr(value, "_raw", "") or "")
    return " ".join(text.split())[:MAX_HEADER]


def _raw_header(message: Message, name: str) -> str:
    """A header's text as sent, unfolded; "" when missing. For the headers
    read by pattern (Message-IDs, the date): the policy's parse of a long
    References list costs more than everything else in a message."""
    wanted = name.lower()
    for key, raw in message.raw_items():
        if key.lower() == wanted:
            return " ".join(str(raw).split())[:MAX_HEADER]
    return ""


def _decode_raw(raw: Any) -> str:
    try:
        parts = email.header.decode_header(str(raw))
    except Exception:
        return str(raw)
    decoded = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            decoded.append(_bytes_to_text(chunk, charset))
        else:
            decoded.append(chunk)
    return "".join(decoded)


def _bytes_to_text(data: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8", "windows-1250", "latin-1"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(name, address) pairs of an address header, addresses lower-cased."""
    try:
        values = message.get_all(name) or []
        pairs = email.utils.getaddresses([str(value) for value in values])
    except Exception:
        pairs = email.utils.getaddresses([_header(message, name)])
    found = []
    for display, address in pairs:
        address = address.strip().lower()
        if "@" in address and " " not in address and len(address) <= 254:
            found.append((" ".join(display.split())[:200], address))
    return found


def _date(message: Message) -> datetime | None:
    value = _raw_header(message, "Date")
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_fixed_timezone(0))
    return parsed


def _content(part: Message) -> str:
    """A text part's content as str, whatever its declared charset."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except Exception:  # unknown charset, broken transfer encoding
        content = None
    if isinstance(content, str):
        if "\ufffd" in content and part.get_content_charset() in (None, "us-ascii"):
            # 8-bit text under no charset, or "us-ascii" (a misconfigured
            # client): read the bytes as UTF-8, else windows-1250 (Polish).
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return _bytes_to_text(payload, None)
        return content
    if isinstance(content, bytes):
        return _bytes_to_text(content, part.get_content_charset())
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return _bytes_to_text(payload, part.get_content_charset())
    return str(part.get_payload() or "")


def _attachment(part: Message, number: int) -> ParsedAttachment:
    content_type = part.get_content_type()
    if content_type in ("message/rfc822", "message/global") and part.is_multipart():
        # A forwarded or bounced message: kept whole, as it was sent.
        content = _as_bytes(part.get_payload(0))
    else:
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else str(part.get_payload()).encode()
    try:
        filename = part.get_filename() or ""
    except Exception:
        filename = ""
    filename = " ".join(filename.split())[:200] or _default_name(content_type, number)
    content_id = _header(part, "Content-ID").strip("<> ")[:255]
    try:
        disposition = part.get_content_disposition() or ""
    except Exception:
        disposition = ""
    return ParsedAttachment(
        filename=filename,
        content_type=content_type,
        content=content,
        content_id=content_id,
        inline=disposition == "inline" or bool(content_id and disposition != "attachment"),
    )


def _as_bytes(part: Any) -> bytes:
    if isinstance(part, Message):
        try:
            return part.as_bytes(policy=policy.SMTP)
        except Exception:
            return str(part).encode("utf-8", "replace")
    return str(part).encode("utf-8", "replace")


EXTENSIONS = {
    "text/calendar": "ics",
    "message/rfc822": "eml",
    "message/global": "eml",
    "message/delivery-status": "txt",
    "application/pkcs7-signature": "p7s",
    "application/pgp-signature": "asc",
    "text/plain": "txt",
    "text/html": "html",
}


def _default_name(content_type: str, number: int) -> str:
    extension = EXTENSIONS.get(content_type, content_type.rsplit("/", 1)[-1][:10] or "bin")
    names = {"text/calendar": "invite", "message/rfc822": "message"}
    return f"{names.get(content_type, 'attachment-' + str(number))}.{extension}"


def _is_body_part(part: Message, seen_body: dict[str, bool]) -> bool:
    content_type = part.get_content_type()
    if content_type not in TEXT_TYPES:
        return False
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    if disposition == "attachment":
        return False
    try:
        named = bool(part.get_filename())
    except Exception:
        named = False
    # The first text of each kind is the message's; a second plain text part
    # (a footer added by a list) joins it; named text files are attachments.
    return not named or not seen_body.get(content_type)


def _walk(message: Message, parsed: ParsedEmail) -> None:
    texts: list[str] = []
    htmls: list[str] = []
    seen: dict[str, bool] = {}
    stack: list[Message] = [message]
    number = 0
    while stack:
        part = stack.pop(0)
        content_type = part.get_content_type()
        if part.is_multipart() and not content_type.startswith("message/"):
            children = part.get_payload()
            if isinstance(children, list):
                # Depth first, in order: an alternative's plain and HTML
                # versions both become the body, each of its own kind.
                stack[0:0] = [child for child in children if isinstance(child, Message)]
            continue
        if _is_body_part(part, seen):
            content = _content(part)
            (htmls if content_type == "text/html" else texts).append(content)
            seen[content_type] = True
            continue
        if content_type == "message/delivery-status":
            parsed.bounce = True
        if content_type in ("message/rfc822", "message/global", "text/rfc822-headers"):
            inner = part.get_payload(0) if part.is_multipart() else None
            headers = inner if isinstance(inner, Message) else None
            if headers is None and content_type == "text/rfc822-headers":
                headers = email.message_from_string(_content(part), policy=PARSE_POLICY)
            if headers is not None:
                parsed.bounced_ids += message_ids(_header(headers, "Message-ID"))
        number += 1
        parsed.attachments.append(_attachment(part, number))
    parsed.text = "\n\n".join(text.strip("\n") for text in texts if text.strip())
    parsed.html = "\n".join(htmls)


def parse_email(raw: bytes) -> ParsedEmail:
    """Everything carebase needs of a message; raises Unreadable only when
    the bytes hold no headers."""
    if not raw.strip():
        raise Unreadable("The message is empty.")
    message = email.message_from_bytes(raw, policy=PARSE_POLICY)
    if not list(message.raw_items()):
        raise Unreadable("The message has no headers.")
    if (
        any(isinstance(defect, MissingHeaderBodySeparatorDefect) for defect in message.defects)
        and message.get("Message-ID") is None
        and raw_message_id(raw)
    ):
        # A header line that is not one (a folded line that lost its leading
        # space, as Python's own generator does to some group addresses): the
        # parser ended the headers there, and the Message-ID after it was read
        # as body. Read the line as the fold it was meant to be, and keep that
        # reading only if it recovers the Message-ID: mail that simply has no
        # blank line after its headers keeps its body as the parser read it.
        refolded = email.message_from_bytes(_refold(raw), policy=PARSE_POLICY)
        if refolded.get("Message-ID") is not None:
            message = refolded
    senders = _addresses(message, "From") or _addresses(message, "Sender")
    sender_name, sender = senders[0] if senders else ("", "")
    reply_to = _addresses(message, "Reply-To")
    parsed = ParsedEmail(
        message_id=(message_ids(_raw_header(message, "Message-ID")) or [""])[0][:MAX_HEADER],
        in_reply_to=message_ids(_raw_header(message, "In-Reply-To")),
        references=message_ids(_raw_header(message, "References")),
        subject=_header(message, "Subject")[:250],
        sender_name=sender_name,
        sender=sender,
        reply_to=reply_to[0][1] if reply_to else "",
        to=[address for _name, address in _addresses(message, "To")],
        cc=[address for _name, address in _addresses(message, "Cc")],
        date=_date(message),
        text="",
        html="",
    )
    _walk(message, parsed)
    if not parsed.text and parsed.html:
        parsed.text = html_to_text(parsed.html)
    content_type = message.get_content_type()
    report = message.get_param("report-type", "") if content_type == "multipart/report" else ""
    parsed.bounce = parsed.bounce or str(report).lower() == "delivery-status"
    parsed.automatic = _is_automatic(message, sender) or parsed.bounce
    parsed.defects = sorted({type(defect).__name__ for defect in _defects(message)})
    return parsed


HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")


def _refold(raw: bytes) -> bytes:
    """The header block with each line that is neither a header nor a fold,
    but is followed by more headers, made a fold of the header before it. A
    stray line with no header after it is where the body starts (mail with no
    blank line after its headers): it stays as it is."""
    lines = raw.splitlines(keepends=True)
    end = next((number for number, line in enumerate(lines) if not line.strip()), len(lines))
    last_header = max(
        (number for number in range(end) if HEADER_LINE.match(lines[number])), default=-1
    )
    for number in range(1, last_header):
        line = lines[number]
        if not line[:1].isspace() and not HEADER_LINE.match(line):
            lines[number] = b" " + line
    return b"".join(lines)


def _defects(message: Message) -> list[Any]:
    found = []
    if isinstance(message, EmailMessage) or hasattr(message, "defects"):
        for part in message.walk():
            found += list(getattr(part, "defects", []))
    return found


def _is_automatic(message: Message, sender: str) -> bool:
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if _header(message, "Precedence").lower() in BULK_PRECEDENCE:
        return True
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return True
    if _header(message, "X-Auto-Response-Suppress").lower() in ("all", "oof", "autoreply"):
        return True
    return bool(ROBOT_SENDERS.match(sender))


def html_to_text(html: str) -> str:
    """Plain text of an HTML body: block ends become line breaks."""
    import html as html_module

    text = re.sub(r"(?is)<(script|style|head)[^>]*>.*?</\1>", " ", html)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</(p|div|li|tr|h[1-6]|blockquote)>", "\n", text)
    text = re.sub(r"(?s)<[^>]+>", "", text)
    text = html_module.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
