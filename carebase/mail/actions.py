"""Email in: store the bytes, then turn them into a conversation message.

`do_receive_email` only stores (its own transaction, committed before any
parsing), so a message that crashes the parser is still there to look at and
to process again. `do_process_email` is idempotent: a Message-ID (or, for
mail without one, the bytes' digest) already in a conversation makes the
message a duplicate pointing at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.core.html import sanitize_html
from carebase.crm.actions import find_or_create_contact_by_email
from carebase.crm.models import Contact
from carebase.mail.models import CcAddress, EmailReference, InboundEmail, InboundStatus, Mailbox
from carebase.mail.parse import (
    ParsedAttachment,
    ParsedEmail,
    Unreadable,
    fingerprint,
    parse_email,
    raw_message_id,
)
from carebase.mail.quotes import strip_reply, strip_reply_html
from carebase.tickets.actions import do_add_reply, do_add_system_note, do_create_ticket
from carebase.tickets.models import Channel, Ticket

# A reply whose client dropped the threading headers and the reference still
# joins the requester's conversation of the same subject from this recent.
SAME_SUBJECT_WINDOW = timedelta(days=14)
ACKNOWLEDGEMENTS_PER_HOUR = 3
REFERENCE = re.compile(r"\[#(\d{1,18})\]")
# "Re:", "Fwd:", "Odp:", "PD:", "AW:", "SV:", "RE[2]:" ... as many as there are.
REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|odp|pd|aw|wg|sv|vs|tr|rv)(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)


@dataclass(frozen=True)
class Outcome:
    inbound: InboundEmail

    def as_json(self) -> dict[str, Any]:
        """The line `ingest_email` prints (a stable interface)."""
        ticket = self.inbound.ticket
        status = self.inbound.status
        return {
            "ticket": ticket.pk if ticket else None,
            "reference": ticket.reference if ticket else None,
            "status": status if status != InboundStatus.RECEIVED else "needs_attention",
        }


def do_receive_email(raw: bytes, *, mailbox: Mailbox | None, source: str) -> InboundEmail:
    """Store the message as it came. Only a database failure stops this."""
    with transaction.atomic():
        return InboundEmail.objects.create(
            mailbox=mailbox,
            raw=raw,
            size=len(raw),
            sha256=fingerprint(raw),
            message_id=raw_message_id(raw),
            source=source,
        )


def do_process_email(inbound: InboundEmail) -> Outcome:
    """Parse a stored message and file it; whatever goes wrong is recorded on
    the stored message (needs attention), never raised."""
    inbound.attempts += 1
    try:
        with transaction.atomic():
            _process(inbound)
    except Exception as error:  # any failure leaves the message to look at
        inbound.status = InboundStatus.NEEDS_ATTENTION
        inbound.error = _describe(error)
        inbound.ticket = None
        inbound.ticket_message = None
    inbound.processed_at = timezone.now()
    inbound.save(
        update_fields=[
            "attempts",
            "status",
            "error",
            "processed_at",
            "ticket",
            "ticket_message",
            "sender",
            "subject",
            "acknowledged_at",
        ]
    )
    return Outcome(inbound)


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, Unreadable):
        return str(error)
    return f"{type(error).__name__}: {error}"[:2000]


def _process(inbound: InboundEmail) -> None:
    parsed = parse_email(bytes(inbound.raw))
    inbound.sender = parsed.sender[:254]
    inbound.subject = parsed.subject[:250]
    inbound.error = ""
    key = parsed.message_id or f"sha256:{inbound.sha256}"
    known = EmailReference.objects.filter(message_id=key).select_related("ticket").first()
    if known is not None:
        inbound.status = InboundStatus.DUPLICATE
        inbound.ticket = _current(known.ticket)
        inbound.ticket_message = known.ticket_message
        return
    if parsed.bounce:
        _file_bounce(inbound, parsed, key)
        return
    if not parsed.sender:
        raise ValidationError(_("The message has no sender address to answer."))
    ours = _our_addresses()
    if parsed.sender in ours:
        raise ValidationError(_("The message comes from one of our own addresses."))
    contact = find_or_create_contact_by_email(parsed.sender, name=parsed.sender_name)
    ticket = find_conversation(parsed, contact)
    body, html = _bodies(parsed)
    attachments = _uploads(parsed.attachments)
    if ticket is None:
        ticket = do_create_ticket(
            subject=_clean_subject(parsed.subject) or _("(no subject)"),
            body=body,
            body_html=html,
            requester=contact,
            channel=Channel.EMAIL,
            team=inbound.mailbox.team if inbound.mailbox else None,
            external_id=key,
            attachments=attachments,
        )
        message = ticket.messages.get()
        inbound.status = InboundStatus.CREATED
        if _may_acknowledge(inbound, parsed):
            inbound.acknowledged_at = timezone.now()
            from carebase.mail.tasks import send_acknowledgement

            transaction.on_commit(lambda: send_acknowledgement.enqueue(inbound.pk))
    else:
        message = do_add_reply(
            ticket,
            body=body,
            body_html=html,
            author_contact=contact,
            channel=Channel.EMAIL,
            external_id=key,
            attachments=attachments,
        )
        inbound.status = InboundStatus.APPENDED
    ticket = message.ticket  # a follow-up when the conversation was closed
    EmailReference.objects.create(message_id=key, ticket=ticket, ticket_message=message)
    for address in set(parsed.cc) - {parsed.sender, *ours}:
        CcAddress.objects.get_or_create(ticket=ticket, address=address)
    inbound.ticket = ticket
    inbound.ticket_message = message


def _may_acknowledge(inbound: InboundEmail, parsed: ParsedEmail) -> bool:
    """Answer a new conversation's first mail at once, but never a program
    (auto-replies, lists, bounces: two robots would mail each other forever),
    and a person at most ACKNOWLEDGEMENTS_PER_HOUR times an hour."""
    if inbound.mailbox is None or not inbound.mailbox.acknowledge:
        return False
    if parsed.automatic:
        return False
    recent = InboundEmail.objects.filter(
        sender=parsed.sender, acknowledged_at__gte=timezone.now() - timedelta(hours=1)
    )
    return recent.count() < ACKNOWLEDGEMENTS_PER_HOUR


def find_conversation(parsed: ParsedEmail, contact: Contact) -> Ticket | None:
    """The conversation a message continues: by the Message-IDs it answers,
    then by the reference in its subject, then (clients that drop both) by its
    sender and subject within SAME_SUBJECT_WINDOW; None for a new one."""
    answered = [*parsed.in_reply_to, *reversed(parsed.references)]
    if answered:
        found = (
            EmailReference.objects.filter(message_id__in=answered)
            .select_related("ticket")
            .order_by("-created_at", "-id")
            .first()
        )
        if found is not None:
            return _current(found.ticket)
    for number in REFERENCE.findall(parsed.subject):
        ticket = Ticket.objects.filter(pk=int(number)).first()
        if ticket is not None and _may_write_to(contact, ticket):
            return _current(ticket)
    subject = _clean_subject(parsed.subject)
    if subject and REPLY_PREFIX.match(parsed.subject):
        recent = (
            Ticket.objects.filter(
                requester=contact,
                subject=subject,
                channel=Channel.EMAIL,
                updated_at__gte=timezone.now() - SAME_SUBJECT_WINDOW,
            )
            .order_by("-updated_at")
            .first()
        )
        if recent is not None:
            return _current(recent)
    return None


def _may_write_to(contact: Contact, ticket: Ticket) -> bool:
    """A subject reference is typed by anyone: it threads only mail from the
    requester, someone copied on the conversation, or the same organization."""
    if ticket.requester_id == contact.pk:
        return True
    if contact.organization_id is not None and contact.organization_id == ticket.organization_id:
        return True
    addresses = [identity.value for identity in contact.identities.all()]
    return CcAddress.objects.filter(ticket=ticket, address__in=addresses).exists()


def _current(ticket: Ticket) -> Ticket:
    """Follow merges to the conversation that lives on."""
    seen = set()
    while ticket.merged_into_id is not None and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return ticket


def _clean_subject(subject: str) -> str:
    subject = REFERENCE.sub("", subject)
    return " ".join(REPLY_PREFIX.sub("", subject).split())[:250]


def _bodies(parsed: ParsedEmail) -> tuple[str, str]:
    text = strip_reply(parsed.text) if parsed.text.strip() else ""
    html = sanitize_html(strip_reply_html(parsed.html)) if parsed.html.strip() else ""
    if not text.strip():
        names = ", ".join(item.filename for item in parsed.attachments)
        text = _("(no text; attached: %(names)s)") % {"names": names} if names else _("(empty)")
    return text, html


def _uploads(attachments: list[ParsedAttachment]) -> list[SimpleUploadedFile]:
    """The attachments that fit the limit; a larger one stays in the stored
    original, which the conversation links to."""
    limit = settings.ATTACHMENT_MAX_BYTES
    return [
        SimpleUploadedFile(item.filename, item.content, content_type=item.content_type)
        for item in attachments
        if len(item.content) <= limit
    ]


def _file_bounce(inbound: InboundEmail, parsed: ParsedEmail, key: str) -> None:
    """A delivery failure goes to the conversation of the message that failed,
    as an internal note, never a new conversation."""
    found = (
        EmailReference.objects.filter(message_id__in=parsed.bounced_ids + parsed.in_reply_to)
        .select_related("ticket")
        .first()
    )
    if found is None:
        raise ValidationError(_("A delivery failure notice for a message we do not know."))
    ticket = _current(found.ticket)
    body = _("Delivery failed: %(subject)s") % {"subject": parsed.subject}
    message = do_add_system_note(
        ticket, body=f"{body}\n\n{parsed.text[:5000]}".strip(), external_id=key
    )
    EmailReference.objects.create(message_id=key, ticket=ticket, ticket_message=message)
    inbound.status = InboundStatus.APPENDED
    inbound.ticket = ticket
    inbound.ticket_message = message


def _our_addresses() -> set[str]:
    return {address.lower() for address in Mailbox.objects.values_list("address", flat=True)}
