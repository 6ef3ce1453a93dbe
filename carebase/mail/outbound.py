"""Agent replies out by email, threaded so that the customer's client shows
one conversation and their answer finds its way back.

The reply's headers are fixed in the reply's own transaction (an
`OutboundEmail` row, queued); the worker sends it after commit, and a
periodic sweep retries what a server refused for a while, with growing
pauses, up to MAX_ATTEMPTS. A reply is never lost: it is on the timeline
whatever the server says, with its delivery state beside it.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.utils import formataddr, make_msgid

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from carebase.mail.models import (
    CcAddress,
    EmailReference,
    InboundEmail,
    Mailbox,
    OutboundEmail,
    OutboundStatus,
)
from carebase.tickets.channels import Delivery, deliveries_of
from carebase.tickets.models import Channel, Message, Ticket

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
# Pauses after the 1st, 2nd... failed attempt (about a day in all).
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
MAX_REFERENCES = 20


def mailbox_for(ticket: Ticket) -> Mailbox | None:
    """The mailbox the conversation's mail came in on, else the first one."""
    inbound = (
        InboundEmail.objects.filter(ticket=ticket, mailbox__active=True)
        .select_related("mailbox")
        .order_by("-received_at")
        .first()
    )
    if inbound is not None and inbound.mailbox is not None:
        return inbound.mailbox
    return Mailbox.objects.filter(active=True).order_by("pk").first()


def reply_subject(ticket: Ticket) -> str:
    subject = ticket.subject
    if ticket.reference not in subject:
        subject = f"{subject} [{ticket.reference}]"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


class EmailChannel:
    """The email channel as the tickets app sees it (tickets.channels)."""

    def deliver(self, message: Message) -> bool:
        ticket = message.ticket
        if ticket.channel != Channel.EMAIL:
            return False
        mailbox = mailbox_for(ticket)
        recipients = ticket.requester.emails
        if mailbox is None or not recipients:
            return False
        last_sender = (
            (InboundEmail.objects.filter(ticket=ticket).exclude(sender="").order_by("-received_at"))
            .values_list("sender", flat=True)
            .first()
        )
        to = [last_sender if last_sender in recipients else recipients[0]]
        references = list(
            EmailReference.objects.filter(ticket=ticket)
            .order_by("created_at", "id")
            .values_list("message_id", flat=True)
        )
        answered = (
            EmailReference.objects.filter(ticket=ticket, outbound=False)
            .order_by("-created_at", "-id")
            .values_list("message_id", flat=True)
            .first()
        )
        domain = mailbox.address.rsplit("@", 1)[-1]
        outbound = OutboundEmail.objects.create(
            ticket_message=message,
            mailbox=mailbox,
            message_id=make_msgid(domain=domain).strip("<>"),
            in_reply_to="" if answered is None or answered.startswith("sha256:") else answered,
            references=" ".join(
                item for item in references[-MAX_REFERENCES:] if not item.startswith("sha256:")
            ),
            to=to,
            cc=sorted(
                CcAddress.objects.filter(ticket=ticket)
                .exclude(address__in=to)
                .values_list("address", flat=True)
            ),
            subject=reply_subject(ticket),
        )
        EmailReference.objects.create(
            message_id=outbound.message_id, ticket=ticket, ticket_message=message, outbound=True
        )
        from carebase.mail.tasks import send_outbound_email

        transaction.on_commit(lambda: send_outbound_email.enqueue(outbound.pk))
        return True

    def deliveries(self, messages: list[Message]) -> dict[int, Delivery]:
        found = OutboundEmail.objects.filter(ticket_message__in=[m.pk for m in messages])
        return deliveries_of(found, dict(OutboundStatus.choices))

    def originals(self, messages: list[Message]) -> dict[int, str]:
        from django.urls import reverse

        found = InboundEmail.objects.filter(ticket_message__in=[m.pk for m in messages])
        return {
            message_id: reverse("mail:original", args=[pk])
            for pk, message_id in found.values_list("pk", "ticket_message_id")
            if message_id is not None
        }


def compose(outbound: OutboundEmail) -> EmailMultiAlternatives:
    message = outbound.ticket_message
    mailbox = outbound.mailbox
    author = message.author_user
    signature = mailbox.signature.strip()
    text = message.body_text.rstrip()
    html = message.body_html
    if signature:
        text += f"\n\n-- \n{signature}"
        html += f"<p>-- </p>{linebreaks(escape(signature))}"
    name = str(author) if author is not None else mailbox.name
    headers = {"Message-ID": f"<{outbound.message_id}>"}
    if outbound.in_reply_to:
        headers["In-Reply-To"] = f"<{outbound.in_reply_to}>"
    if outbound.references:
        headers["References"] = " ".join(f"<{item}>" for item in outbound.references.split())
    email = EmailMultiAlternatives(
        subject=outbound.subject,
        body=text,
        from_email=formataddr((name, mailbox.address)),
        to=outbound.to,
        cc=outbound.cc,
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as file:
            email.attach(attachment.filename, file.read(), attachment.content_type)
    return email


def attempt(outbound_id: int) -> OutboundEmail | None:
    """Try to send one queued reply; claimed by a conditional UPDATE, so two
    workers never send it twice."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=outbound_id, status=OutboundStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=OutboundStatus.SENDING)
    if not claimed:
        return None
    outbound = OutboundEmail.objects.select_related(
        "mailbox", "ticket_message", "ticket_message__author_user"
    ).get(pk=outbound_id)
    outbound.attempts += 1
    try:
        compose(outbound).send()
    except (smtplib.SMTPException, OSError) as error:
        outbound.last_error = _server_answer(error)
        if outbound.attempts >= MAX_ATTEMPTS or _is_permanent(error):
            outbound.status = OutboundStatus.FAILED
        else:
            outbound.status = OutboundStatus.QUEUED
            pause = BACKOFF[min(outbound.attempts - 1, len(BACKOFF) - 1)]
            outbound.next_attempt_at = now + pause
    else:
        outbound.status = OutboundStatus.SENT
        outbound.sent_at = timezone.now()
        outbound.last_error = ""
    outbound.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return outbound


def _is_permanent(error: Exception) -> bool:
    """5xx answers do not get better by waiting (RFC 5321)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    code = getattr(error, "smtp_code", 0)
    return isinstance(code, int) and code >= 500


def _server_answer(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(answer)}"
            for address, (code, answer) in error.recipients.items()
        )[:2000]
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"[:2000]
    return (str(error) or type(error).__name__)[:2000] or _("The mail server did not answer.")


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


def due() -> list[int]:
    return list(
        OutboundEmail.objects.filter(
            status=OutboundStatus.QUEUED, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:200]
    )


def acknowledgement_text(mailbox: Mailbox, reference: str, subject: str) -> str:
    text = mailbox.acknowledgement.strip()
    if not text:
        with translation.override(mailbox.language):
            text = _(
                "Thank you for your message. We have opened the conversation {reference} "
                "({subject}) and will answer as soon as we can. Please keep {reference} in "
                "the subject when you write to us about it."
            )
    return text.replace("{reference}", reference).replace("{subject}", subject)


def send_acknowledgement(inbound_id: int) -> None:
    """The automatic answer to a new conversation's first mail: marked as
    automatic (RFC 3834), threaded to it, and recorded, so that the
    customer's reply to it joins the conversation too."""
    inbound = InboundEmail.objects.select_related("mailbox", "ticket").filter(pk=inbound_id).first()
    if inbound is None or inbound.mailbox is None or inbound.ticket is None or not inbound.sender:
        return
    mailbox, ticket = inbound.mailbox, inbound.ticket
    message_id = make_msgid(domain=mailbox.address.rsplit("@", 1)[-1]).strip("<>")
    headers = {
        "Message-ID": f"<{message_id}>",
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
        "Precedence": "auto_reply",
    }
    if inbound.message_id:
        headers["In-Reply-To"] = f"<{inbound.message_id}>"
        headers["References"] = f"<{inbound.message_id}>"
    text = acknowledgement_text(mailbox, ticket.reference, ticket.subject)
    email = EmailMultiAlternatives(
        subject=f"[{ticket.reference}] {ticket.subject}",
        body=text + (f"\n\n-- \n{mailbox.signature.strip()}" if mailbox.signature.strip() else ""),
        from_email=formataddr((mailbox.name, mailbox.address)),
        to=[inbound.sender],
        headers=headers,
    )
    EmailReference.objects.create(message_id=message_id, ticket=ticket, outbound=True)
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        # An acknowledgement is a courtesy: the conversation is there either way.
        logger.warning("Acknowledgement for %s not sent: %s", ticket.reference, error)
