"""Email in: store the bytes, then turn them into a conversation message.

`do_receive_email` only stores (its own transaction, committed before any
parsing), so a message that crashes the parser is still there to look at and
to process again. `do_process_email` is idempotent: a Message-ID (or, for
mail without one, the bytes' digest) already in a conversation makes the
message a duplicate pointing at it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.core import deferred
from carebase.core.deferred import Batch, deferring
from carebase.core.errors import Conflict
from carebase.core.events import changes, record_event
from carebase.core.html import sanitize_html
from carebase.crm.actions import find_or_create_contact_by_email
from carebase.crm.models import Contact
from carebase.mail.events import EventKind
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
from carebase.tickets.models import Channel, Message, Ticket

# A reply whose client dropped the threading headers and the reference still
# joins the requester's conversation of the same subject from this recent.
SAME_SUBJECT_WINDOW = timedelta(days=14)
ACKNOWLEDGEMENTS_PER_HOUR = 3
# A message names at most a few dozen others (References); each is held once
# or twice (ours and a copy). Enough to find the newest among them.
REFERENCES_READ = 50
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
    return do_receive_emails([raw], mailbox=mailbox, source=source)[0]


def do_receive_emails(
    raws: Sequence[bytes], *, mailbox: Mailbox | None, source: str
) -> list[InboundEmail]:
    """Store messages as they came, in one commit."""
    stored = [
        InboundEmail(
            mailbox=mailbox,
            raw=raw,
            size=len(raw),
            sha256=fingerprint(raw),
            message_id=raw_message_id(raw),
            source=source,
        )
        for raw in raws
    ]
    with transaction.atomic():
        return InboundEmail.objects.bulk_create(stored)


def do_process_email(inbound: InboundEmail) -> Outcome:
    """Parse a stored message and file it; whatever goes wrong is recorded on
    the stored message (needs attention), never raised."""
    return do_process_emails([inbound])[0]


def do_process_emails(inbound: Sequence[InboundEmail]) -> list[Outcome]:
    """do_process_email for each message, in order, in one transaction (an
    IMAP fetch's batch): the rows nothing reads back before the commit are
    written in bulk at its end (core/deferred.py), which is what lets one
    worker file hundreds of messages a second. A message that fails is
    rolled back alone and flagged; if the batch's own writes fail, each
    message is filed again in a transaction of its own."""
    attempts = [item.attempts for item in inbound]
    try:
        with transaction.atomic(), deferring() as batch:
            for item in inbound:
                _process_in_batch(item, batch)
    except Exception as error:
        if len(inbound) == 1:
            _flag(inbound[0], attempts[0] + 1, error)
            return [Outcome(inbound[0])]
        for item, count in zip(inbound, attempts, strict=True):
            item.attempts = count
        return [do_process_email(item) for item in inbound]
    return [Outcome(item) for item in inbound]


def _process_in_batch(inbound: InboundEmail, batch: Batch) -> None:
    inbound.attempts += 1
    try:
        with batch.item():
            _process(inbound)
            _save_outcome(inbound)  # in the same commit as the filing
    except Exception as error:  # any failure leaves the message to look at
        _flag(inbound, inbound.attempts, error)


def _flag(inbound: InboundEmail, attempts: int, error: Exception) -> None:
    inbound.attempts = attempts
    inbound.status = InboundStatus.NEEDS_ATTENTION
    inbound.error = _describe(error)
    inbound.ticket = None
    inbound.ticket_message = None
    inbound.acknowledged_at = None
    _save_outcome(inbound)


# A message stored this long ago and still not processed was stranded: the
# process that stored it died before filing it (a pipe killed mid-way, a
# worker restarted during a fetch). Longer than any fetch takes to file what
# it stored, so that the sweep never files a message twice at once.
STRANDED_AFTER = timedelta(minutes=10)
STRANDED_BATCH = 200
STRANDED_ATTEMPTS = 3


def do_file_stranded_email() -> int:
    """File the stored messages that nobody processed (see STRANDED_AFTER);
    the number filed or flagged. The worker runs it every minute."""
    stranded = InboundEmail.objects.filter(
        status=InboundStatus.RECEIVED, received_at__lt=timezone.now() - STRANDED_AFTER
    ).order_by("received_at", "id")
    count = 0
    for inbound in stranded.select_related("mailbox")[:STRANDED_BATCH]:
        # The attempt is counted before processing, in its own commit: a
        # message that kills or hangs its process must not be retried forever
        # (nor hold up the ones behind it).
        claimed = InboundEmail.objects.filter(
            pk=inbound.pk, status=InboundStatus.RECEIVED, attempts=inbound.attempts
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue  # another sweep took it
        count += 1
        if inbound.attempts + 1 >= STRANDED_ATTEMPTS:
            inbound.attempts += 1
            inbound.status = InboundStatus.NEEDS_ATTENTION
            inbound.error = _("Processing never finished: its process stopped each time.")
            _save_outcome(inbound)
            continue
        do_process_email(inbound)  # counts this same attempt (attempts + 1)
    return count


OUTCOME_FIELDS = [
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


def _save_outcome(inbound: InboundEmail) -> None:
    inbound.processed_at = timezone.now()
    if not deferred.defer(_write_outcomes, inbound):
        inbound.save(update_fields=OUTCOME_FIELDS)


def _write_outcomes(inbound: list[InboundEmail]) -> None:
    deferred.update_each(inbound, OUTCOME_FIELDS)


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
    answered = [*parsed.in_reply_to, *reversed(parsed.references)]
    references = _referenced([key, *answered])  # one query for both questions
    known = next((found for found in references if found.message_id == key), None)
    if known is not None:
        inbound.status = InboundStatus.DUPLICATE
        inbound.ticket = _current(known.ticket)
        inbound.ticket_message_id = known.ticket_message_id
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
    ticket = find_conversation(parsed, contact, references)
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
            source={"mailbox": inbound.mailbox.name} if inbound.mailbox else None,
        )
        message = ticket.opening_message or ticket.messages.get()
        inbound.status = InboundStatus.CREATED
        if _may_acknowledge(inbound, parsed):
            inbound.acknowledged_at = timezone.now()
            if not deferred.defer(_acknowledge_after_commit, inbound.pk):
                _acknowledge_after_commit([inbound.pk])
    else:
        message = do_add_reply(
            ticket,
            body=body,
            body_html=html,
            author_contact=contact,
            channel=Channel.EMAIL,
            external_id=key,
            attachments=attachments,
            locked=True,  # find_conversation read it so
        )
        inbound.status = InboundStatus.APPENDED
    link_inline_images(message)
    ticket = message.ticket  # a follow-up when the conversation was closed
    _add_reference(key, ticket, message)
    for address in set(parsed.cc) - {parsed.sender, *ours}:
        CcAddress.objects.get_or_create(ticket=ticket, address=address)
    inbound.ticket = ticket
    inbound.ticket_message = message


def _acknowledge_after_commit(inbound_ids: list[int]) -> None:
    """Queue the acknowledgements once the messages are committed: a batch's
    in one transaction (one commit, not one a message)."""
    from carebase.mail.tasks import send_acknowledgement

    def enqueue() -> None:
        with transaction.atomic():
            for inbound_id in inbound_ids:
                send_acknowledgement.enqueue(inbound_id)

    transaction.on_commit(enqueue)


def _may_acknowledge(inbound: InboundEmail, parsed: ParsedEmail) -> bool:
    """Answer a new conversation's first mail at once, but never a program
    (auto-replies, lists, bounces: two robots would mail each other forever),
    and a person at most ACKNOWLEDGEMENTS_PER_HOUR times an hour."""
    if inbound.mailbox is None or not inbound.mailbox.acknowledge:
        return False
    if parsed.automatic:
        return False
    since = timezone.now() - timedelta(hours=1)
    recent = InboundEmail.objects.filter(sender=parsed.sender, acknowledged_at__gte=since)
    # And those acknowledged earlier in this batch, whose rows say so only
    # once it is written.
    batch = [
        item
        for item in deferred.queued(_write_outcomes)
        if item.sender == parsed.sender and item.acknowledged_at is not None
    ]
    return recent.count() + len(batch) < ACKNOWLEDGEMENTS_PER_HOUR


def _referenced(message_ids: list[str]) -> list[EmailReference]:
    """The references holding any of these Message-IDs, newest first: those
    of mail filed earlier in this batch (not written yet), then the stored."""
    wanted = set(message_ids)
    queued = deferred.queued(_write_references)
    found = [reference for reference in reversed(queued) if reference.message_id in wanted]
    if not wanted:
        return found  # a bounce that names no message: nothing to look up
    # Written out: every message asks this, and the ORM takes longer to build
    # it than the database to answer. Without the conversations: PostgreSQL
    # plans a join with them in ten times the time; the caller reads the one
    # it needs by its id.
    references = connection.ops.quote_name(EmailReference._meta.db_table)
    stored = EmailReference.objects.raw(
        f"SELECT id, message_id, ticket_id, ticket_message_id FROM {references}"  # noqa: S608 (table name only; values are parameters)
        f" WHERE message_id IN ({', '.join(['%s'] * len(wanted))})"
        # Newest first (the conversation a reply continues). An explicit order:
        # with ORDER BY id, PostgreSQL walks the primary key through the whole
        # table for an id list it cannot find.
        f" ORDER BY created_at DESC, id DESC LIMIT {REFERENCES_READ}",
        list(wanted),
    )
    return found + list(stored)


def _add_reference(message_id: str, ticket: Ticket, message: Message) -> None:
    reference = EmailReference(message_id=message_id, ticket=ticket, ticket_message=message)
    if not deferred.defer(_write_references, reference):
        reference.save(force_insert=True)


def _write_references(references: list[EmailReference]) -> None:
    EmailReference.objects.bulk_create(references)


def find_conversation(
    parsed: ParsedEmail, contact: Contact, references: list[EmailReference] | None = None
) -> Ticket | None:
    """The conversation a message continues: by the Message-IDs it answers,
    then by the reference in its subject, then (clients that drop both) by its
    sender and subject within SAME_SUBJECT_WINDOW; None for a new one.
    `references`: what _referenced found for them, if already asked.
    The conversation is read locked (select_for_update), as it is about to
    be written to: do_add_reply need not read it again."""
    answered = [*parsed.in_reply_to, *reversed(parsed.references)]
    locked = Ticket.objects.select_for_update()
    if answered:
        if references is None:
            references = _referenced(answered)
        found = next((ref for ref in references if ref.message_id in set(answered)), None)
        if found is not None:
            # By its id, not the reference's copy: one filed earlier in this
            # batch holds the conversation as it was then.
            return _current(locked.get(pk=found.ticket_id), lock=True)
    for number in REFERENCE.findall(parsed.subject):
        ticket = locked.filter(pk=int(number)).first()
        if ticket is not None and _may_write_to(contact, ticket):
            return _current(ticket, lock=True)
    subject = _clean_subject(parsed.subject)
    if subject and REPLY_PREFIX.match(parsed.subject):
        recent = (
            locked.filter(
                requester=contact,
                subject=subject,
                channel=Channel.EMAIL,
                updated_at__gte=timezone.now() - SAME_SUBJECT_WINDOW,
            )
            .order_by("-updated_at")
            .first()
        )
        if recent is not None:
            return _current(recent, lock=True)
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


def _current(ticket: Ticket, *, lock: bool = False) -> Ticket:
    """Follow merges to the conversation that lives on."""
    tickets = Ticket.objects.select_for_update() if lock else Ticket.objects.all()
    seen = set()
    while ticket.merged_into_id is not None and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = tickets.get(pk=ticket.merged_into_id)
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
    uploads = []
    for item in attachments:
        if len(item.content) > limit:
            continue
        upload = SimpleUploadedFile(item.filename, item.content, content_type=item.content_type)
        upload.content_id = item.content_id  # type: ignore[attr-defined]
        uploads.append(upload)
    return uploads


CID_LINK = re.compile(r"""(src=["'])cid:([^"']+)(["'])""", re.IGNORECASE)


def link_inline_images(message: Message) -> None:
    """Point the HTML's cid: images at the stored attachments, which the same
    permission check as the message serves; a cid with no attachment (too big,
    or never sent) stays a broken image rather than a request elsewhere."""
    if "cid:" not in message.body_html:
        return
    by_cid = {
        attachment.content_id.lower(): attachment.pk
        for attachment in message.attachments.all()
        if attachment.content_id
    }
    if not by_cid:
        return

    def link(match: re.Match[str]) -> str:
        attachment_id = by_cid.get(unquote(match.group(2)).strip("<> ").lower())
        if attachment_id is None:
            return match.group(0)
        url = reverse("tickets:attachment", args=[attachment_id])
        return f"{match.group(1)}{url}{match.group(3)}"

    linked = CID_LINK.sub(link, message.body_html)
    if linked != message.body_html:
        message.body_html = linked
        message.save(update_fields=["body_html"])


def _file_bounce(inbound: InboundEmail, parsed: ParsedEmail, key: str) -> None:
    """A delivery failure goes to the conversation of the message that failed,
    as an internal note, never a new conversation."""
    found = next(iter(_referenced(parsed.bounced_ids + parsed.in_reply_to)), None)
    if found is None:
        raise ValidationError(_("A delivery failure notice for a message we do not know."))
    ticket = _current(found.ticket)
    body = _("Delivery failed: %(subject)s") % {"subject": parsed.subject}
    message = do_add_system_note(
        ticket, body=f"{body}\n\n{parsed.text[:5000]}".strip(), external_id=key
    )
    _add_reference(key, ticket, message)
    inbound.status = InboundStatus.APPENDED
    inbound.ticket = ticket
    inbound.ticket_message = message


_OUR_ADDRESSES_TTL = 30.0  # seconds; another process's change to a mailbox shows after this
_our_addresses_cache: tuple[float, frozenset[str]] | None = None


def _our_addresses() -> frozenset[str]:
    """Every mailbox's address, read at most every _OUR_ADDRESSES_TTL seconds
    (once per message was a query per message); forgotten at once when this
    process changes a mailbox."""
    global _our_addresses_cache
    now = time.monotonic()
    if _our_addresses_cache is None or now - _our_addresses_cache[0] > _OUR_ADDRESSES_TTL:
        addresses = Mailbox.objects.values_list("address", flat=True)
        _our_addresses_cache = (now, frozenset(address.lower() for address in addresses))
    return _our_addresses_cache[1]


@receiver([post_save, post_delete], sender=Mailbox)
def _forget_our_addresses(**kwargs: Any) -> None:
    # Now, and again once the change commits: a message filed in between
    # would otherwise cache the addresses as they were.
    _clear_our_addresses()
    transaction.on_commit(_clear_our_addresses)


def _clear_our_addresses() -> None:
    global _our_addresses_cache
    _our_addresses_cache = None


# Mailboxes: the admins' settings.

MAILBOX_FIELDS = [
    "name",
    "address",
    "team",
    "language",
    "signature",
    "active",
    "acknowledge",
    "acknowledgement",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_folder",
    "imap_username",
    "imap_password_env",
]


PASSWORD_VARIABLE = re.compile(r"^IMAP_PASSWORD_[A-Z0-9_]+$")


def do_create_mailbox(*, actor: Any, imap_password: str = "", **values: Any) -> Mailbox:
    _check_fields(values)
    mailbox = Mailbox(**values)
    if imap_password:
        mailbox.set_imap_password(imap_password)
    _validate_mailbox(mailbox)
    with transaction.atomic():
        mailbox.save()
        record_event(EventKind.MAILBOX_CREATED, mailbox, actor, address=mailbox.address)
    return mailbox


def do_update_mailbox(
    mailbox: Mailbox,
    *,
    actor: Any,
    imap_password: str = "",
    forget_password: bool = False,
    **values: Any,
) -> dict:
    """Change a mailbox's settings; an empty `imap_password` keeps the stored
    one, `forget_password` removes it. Invalid values change nothing."""
    _check_fields(values)
    if "address" in values:
        values["address"] = values["address"].strip().lower()
    diff = changes(mailbox, list(values), values)
    before = {field: getattr(mailbox, field) for field in [*values, "imap_password_encrypted"]}
    for field in diff:
        setattr(mailbox, field, values[field])
    if imap_password:
        mailbox.set_imap_password(imap_password)
        diff["imap_password"] = ["", "changed"]
    elif forget_password and mailbox.has_stored_password:
        mailbox.imap_password_encrypted = ""
        diff["imap_password"] = ["", "removed"]
    if not diff:
        return diff
    try:
        _validate_mailbox(mailbox)
    except ValidationError:
        for field, value in before.items():
            setattr(mailbox, field, value)
        raise
    with transaction.atomic():
        mailbox.save()
        record_event(EventKind.MAILBOX_UPDATED, mailbox, actor, changes=diff)
    return diff


def _check_fields(values: dict[str, Any]) -> None:
    unknown = set(values) - set(MAILBOX_FIELDS)
    if unknown:
        raise TypeError(f"Not mailbox fields: {', '.join(sorted(unknown))}")


def _validate_mailbox(mailbox: Mailbox) -> None:
    mailbox.address = mailbox.address.strip().lower()
    problems: dict[str, list[str]] = {}
    try:
        mailbox.full_clean()
    except ValidationError as error:
        problems = error.message_dict
    if mailbox.imap_host:
        if not mailbox.imap_username:
            problems.setdefault("imap_username", []).append(
                _("A mailbox fetched by IMAP needs the user name to log in with.")
            )
        if not mailbox.imap_password_env and not mailbox.has_stored_password:
            problems.setdefault("imap_password", []).append(
                _("Enter the IMAP password, or the environment variable that holds it.")
            )
    if mailbox.imap_password_env and not PASSWORD_VARIABLE.match(mailbox.imap_password_env):
        # Any other name would let whoever edits a mailbox send the server's
        # own secrets (DATABASE_URL, SECRET_KEY...) to an IMAP host they chose.
        problems.setdefault("imap_password_env", []).append(
            _("The variable's name must start with IMAP_PASSWORD_ (capitals, digits, _).")
        )
    if not 1 <= mailbox.imap_port <= 65535:
        problems.setdefault("imap_port", []).append(_("A port is a number from 1 to 65535."))
    if problems:
        raise ValidationError(problems)


def do_reprocess_email(inbound: InboundEmail, *, actor: Any) -> Outcome:
    """File a stored message again after a fix (needs attention only: a
    filed message is already in its conversation)."""
    with transaction.atomic():
        # Claimed under a row lock: two clicks (or two admins) must not both
        # file it; the second one waits, then finds it filed.
        current = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
        if current.status != InboundStatus.NEEDS_ATTENTION:
            raise Conflict(
                _(
                    "This message is already filed (%(status)s): only a message that needs "
                    "attention is processed again."
                )
                % {"status": current.get_status_display()},
                field="status",
            )
        inbound.attempts = current.attempts
        outcome = do_process_email(inbound)
        record_event(
            EventKind.EMAIL_REPROCESSED,
            inbound,
            actor,
            status=inbound.status,
            ticket=inbound.ticket_id,
            error=inbound.error[:500],
        )
    return outcome
