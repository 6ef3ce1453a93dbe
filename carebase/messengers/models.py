"""Messengers: Telegram bots and generic webhooks for other messengers,
what they sent (stored raw before anything reads it), the chats they hold
and the replies on their way out."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.core.crypto import decrypt, encrypt
from carebase.crm.models import Contact
from carebase.tickets.models import Message, Ticket


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class TelegramBot(models.Model):
    name = models.CharField(_("name"), max_length=100)
    username = models.CharField(_("bot username"), max_length=100, blank=True)
    token_encrypted = models.TextField(editable=False)
    # The path part of the webhook URL that only Telegram knows.
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    api_base_url = models.URLField(
        _("Bot API address"),
        default="https://api.telegram.org",
        help_text=_("Change it only for a self-hosted Bot API server."),
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    active = models.BooleanField(_("active"), default=True)
    webhook_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Telegram bot")
        verbose_name_plural = _("Telegram bots")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"@{self.username}" if self.username else self.name

    @property
    def token(self) -> str:
        return decrypt(self.token_encrypted)

    @token.setter
    def token(self, value: str) -> None:
        self.token_encrypted = encrypt(value)


class WebhookChannel(models.Model):
    """Another messenger (a WhatsApp gateway, Viber, a chat of one's own)
    that posts messages to carebase and takes replies at its callback URL."""

    name = models.SlugField(
        _("name"),
        max_length=50,
        unique=True,
        error_messages={"unique": _("Another webhook already has this name.")},
    )
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    callback_url = models.URLField(
        _("callback URL"), blank=True, help_text=_("Where agents' replies are posted.")
    )
    signing_secret_encrypted = models.TextField(editable=False, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("messenger webhook")
        verbose_name_plural = _("messenger webhooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def signing_secret(self) -> str:
        return decrypt(self.signing_secret_encrypted)

    @signing_secret.setter
    def signing_secret(self, value: str) -> None:
        self.signing_secret_encrypted = encrypt(value)


class Chat(models.Model):
    """A chat of a messenger with one client: the contact behind it and the
    conversation its messages go to now."""

    bot = models.ForeignKey(TelegramBot, null=True, blank=True, on_delete=models.CASCADE)
    webhook = models.ForeignKey(WebhookChannel, null=True, blank=True, on_delete=models.CASCADE)
    external_id = models.CharField(max_length=150)
    title = models.CharField(max_length=200, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="chats")
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        constraints = [
            models.UniqueConstraint(
                fields=["bot", "external_id"],
                condition=models.Q(bot__isnull=False),
                name="chat_once_per_bot",
            ),
            models.UniqueConstraint(
                fields=["webhook", "external_id"],
                condition=models.Q(webhook__isnull=False),
                name="chat_once_per_webhook",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.external_id


class UpdateStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Being filed")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed to process")
    IGNORED = "ignored", _("Nothing to file")


class InboundUpdate(models.Model):
    """A body a messenger posted, as it came: kept before it is read, so a
    crash while filing it loses nothing (it is filed again)."""

    bot = models.ForeignKey(TelegramBot, null=True, blank=True, on_delete=models.CASCADE)
    webhook = models.ForeignKey(WebhookChannel, null=True, blank=True, on_delete=models.CASCADE)
    # Telegram's update_id, the webhook's message id: what makes it idempotent.
    external_id = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    status = models.CharField(
        max_length=12, choices=UpdateStatus.choices, default=UpdateStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # the filing going on since
    next_attempt_at = models.DateTimeField(default=timezone.now)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("messenger update")
        verbose_name_plural = _("messenger updates")
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bot", "external_id"],
                condition=models.Q(bot__isnull=False) & ~models.Q(external_id=""),
                name="update_once_per_bot",
            ),
            models.UniqueConstraint(
                fields=["webhook", "external_id"],
                condition=models.Q(webhook__isnull=False) & ~models.Q(external_id=""),
                name="update_once_per_webhook",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="update_status")]

    def __str__(self) -> str:
        return self.external_id or str(self.pk)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class OutboundMessage(models.Model):
    """An agent's public reply on its way to a chat: tried again with
    growing pauses while the messenger fails, its state on the timeline."""

    ticket_message = models.OneToOneField(
        Message, on_delete=models.CASCADE, related_name="messenger_delivery"
    )
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="outbound")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # the sending going on since
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the messenger calls the sent message(s).
    external_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outgoing messenger message")
        verbose_name_plural = _("outgoing messenger messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="messenger_outbound_due")
        ]

    def __str__(self) -> str:
        return f"{self.chat} {self.status}"
