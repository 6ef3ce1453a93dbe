"""The email channel: support addresses, every inbound message as it came,
and the Message-IDs that thread replies into their conversations."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.core.crypto import decrypt, encrypt
from carebase.tickets.models import Message, Ticket


class ImapSecurity(models.TextChoices):
    TLS = "tls", _("TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (a trusted local network only)")


class Mailbox(models.Model):
    """A support address (pomoc@, support@): where its mail lands and how
    carebase answers from it."""

    name = models.SlugField(
        _("name"),
        max_length=50,
        unique=True,
        error_messages={"unique": _("Another mailbox already has this name.")},
    )
    address = models.EmailField(
        _("address"),
        unique=True,
        error_messages={"unique": _("Another mailbox already has this address.")},
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="pl"
    )
    signature = models.TextField(_("signature"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    acknowledge = models.BooleanField(
        _("acknowledge new conversations"),
        default=True,
        help_text=_("Answer a new conversation's first email at once with its reference."),
    )
    acknowledgement = models.TextField(
        _("acknowledgement"),
        blank=True,
        help_text=_(
            "Its text; {reference} and {subject} are filled in. Empty: the standard text "
            "in the mailbox's language."
        ),
    )
    # Optional: fetch the mail by IMAP (fetch_mail, and the worker every minute).
    imap_host = models.CharField(_("IMAP server"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=8, choices=ImapSecurity.choices, default=ImapSecurity.TLS
    )
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    imap_username = models.CharField(_("IMAP user name"), max_length=255, blank=True)
    # The password: entered on the mailbox page and stored encrypted
    # (core/crypto.py), or the name of an environment variable that holds it,
    # configured like every other secret; the variable wins when both are set.
    imap_password_encrypted = models.TextField(blank=True, editable=False)
    imap_password_env = models.CharField(
        _("IMAP password variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "Instead of a stored password: the environment variable that holds it, "
            "e.g. IMAP_PASSWORD_POMOC."
        ),
    )
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_fetch_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    @property
    def fetches(self) -> bool:
        return bool(self.imap_host)

    @property
    def has_stored_password(self) -> bool:
        return bool(self.imap_password_encrypted)

    def set_imap_password(self, password: str) -> None:
        self.imap_password_encrypted = encrypt(password)

    def imap_password(self) -> str:
        """The password to log in with: the environment variable's when one is
        named, else the stored one (UnreadableSecret if no key opens it)."""
        if self.imap_password_env:
            return os.environ.get(self.imap_password_env, "")
        return decrypt(self.imap_password_encrypted)


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    CREATED = "created", _("New conversation")
    APPENDED = "appended", _("Added to a conversation")
    DUPLICATE = "duplicate", _("Duplicate")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")


class InboundEmail(models.Model):
    """One message as it arrived, stored before anything reads it: whatever
    processing does, the bytes stay, and processing can run again."""

    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    raw = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Without angle brackets; "" when the message has none.
    message_id = models.CharField(max_length=998, blank=True)
    source = models.CharField(max_length=16)  # "pipe", "imap"
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    # When the acknowledgement of the conversation it opened was queued.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound email")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["message_id"], name="inbound_message_id"),
            models.Index(fields=["status", "received_at"], name="inbound_status"),
            # The acknowledgements' rate limit per sender.
            models.Index(
                fields=["sender", "acknowledged_at"],
                name="inbound_acknowledged",
                condition=models.Q(acknowledged_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender} {self.subject}"


class EmailReference(models.Model):
    """A Message-ID that a conversation holds, inbound or outbound: a reply's
    In-Reply-To and References are looked up here."""

    message_id = models.CharField(max_length=998)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    ticket_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outbound = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["message_id"], name="email_reference_id")]

    def __str__(self) -> str:
        return self.message_id


class CcAddress(models.Model):
    """An address copied on a conversation's email: it receives the replies."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    address = models.EmailField(max_length=254)

    class Meta:
        verbose_name = _("copied address")
        verbose_name_plural = _("copied addresses")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "address"], name="cc_address_once")
        ]

    def __str__(self) -> str:
        return self.address


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class OutboundEmail(models.Model):
    """An agent's public reply on its way out by email: its headers are fixed
    when the reply is written, its state changes as the worker sends it."""

    ticket_message = models.OneToOneField(
        Message, on_delete=models.CASCADE, related_name="outbound_email"
    )
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="+")
    message_id = models.CharField(max_length=998)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    status = models.CharField(
        max_length=8, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # The SMTP server's answer to the last failed attempt.
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
