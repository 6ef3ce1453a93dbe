"""Live chat: widgets that clients paste into their websites, the visitors
who write through them, each chat (a conversation of the chat channel), what
visitors sent (stored raw before anything reads it) and the agents' chat
status."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.crm.models import Contact
from carebase.tickets.models import Message, Ticket


def new_widget_key() -> str:
    return secrets.token_urlsafe(16)


class AskIdentity(models.TextChoices):
    BEFORE = "before", _("Before the chat")
    DURING = "during", _("During the chat")
    NEVER = "never", _("Never")


class Widget(models.Model):
    """One chat widget: its public key, the sites that may embed it, the team
    its chats go to and the rules of its chats."""

    name = models.CharField(_("name"), max_length=100)
    # Public: it is in the snippet on the client's site.
    key = models.CharField(max_length=32, unique=True, default=new_widget_key, editable=False)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    allowed_origins = models.JSONField(
        _("allowed sites"),
        default=list,
        blank=True,
        help_text=_("Origins such as https://www.example.com, one per line."),
    )
    ask_identity = models.CharField(
        _("ask for name and email"),
        max_length=8,
        choices=AskIdentity.choices,
        default=AskIdentity.BEFORE,
    )
    greeting_en = models.CharField(
        _("greeting (English)"), max_length=300, default="Hi! How can we help?"
    )
    greeting_pl = models.CharField(
        _("greeting (Polish)"), max_length=300, default="Dzień dobry! W czym możemy pomóc?"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat widget")
        verbose_name_plural = _("chat widgets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows(self, origin: str) -> bool:
        return origin.rstrip("/").lower() in {o.rstrip("/").lower() for o in self.allowed_origins}


class Visitor(models.Model):
    """Someone on a client's site who opened the widget. Their browser holds
    a signed token naming this row: a reload or another page of the site
    goes on with the same chat."""

    widget = models.ForeignKey(Widget, on_delete=models.CASCADE, related_name="visitors")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    page_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat visitor")
        verbose_name_plural = _("chat visitors")

    def __str__(self) -> str:
        return self.name or self.email or str(self.public_id)[:8]


class ChatStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an agent")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    FOLLOW_UP = "follow_up", _("Not resolved: follow up as a ticket")
    SPAM = "spam", _("Spam")


class Chat(models.Model):
    """One live chat: a conversation of the chat channel with its visitor,
    the agent who has it, and how it ended."""

    widget = models.ForeignKey(Widget, on_delete=models.CASCADE, related_name="chats")
    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="chats")
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_chat"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ChatStatus.choices, default=ChatStatus.WAITING
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_chats",
    )
    # Whom it was offered to last (round robin); they may take it or pass.
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Colleagues asked for advice: they follow the chat and write in its
    # internal notes, which the visitor never sees.
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="chats_invited_to"
    )
    started_at = models.DateTimeField(default=timezone.now)
    last_visitor_message_at = models.DateTimeField(null=True, blank=True)
    last_agent_message_at = models.DateTimeField(null=True, blank=True)
    # The last message each side has seen (for "read" marks).
    visitor_read_id = models.BigIntegerField(default=0)
    agent_read_id = models.BigIntegerField(default=0)
    checked_in_at = models.DateTimeField(null=True, blank=True)  # the idle check-in
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True
    )
    close_reason = models.CharField(_("reason"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["status", "agent"], name="chat_status_agent"),
            models.Index(fields=["visitor", "status"], name="chat_visitor_status"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def awaits_answer(self) -> bool:
        """The visitor wrote last and nobody has answered."""
        return self.last_visitor_message_at is not None and (
            self.last_agent_message_at is None
            or self.last_agent_message_at < self.last_visitor_message_at
        )


class InboundChatMessage(models.Model):
    """What a visitor sent, as it came off the socket, before anything reads
    it; `client_id` (made by the widget) makes a resend after a reconnect
    harmless."""

    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="inbound")
    client_id = models.CharField(max_length=64)
    raw = models.JSONField()
    # A file the visitor sent, kept as it came until it is on the message.
    upload = models.FileField(upload_to="chat/inbound/%Y/%m", blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor", "client_id"], name="chat_inbound_once")
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="chat_inbound_unfiled",
                condition=models.Q(message__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.visitor_id}/{self.client_id}"


class AgentState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class AgentStatus(models.Model):
    """An agent's chat status and how many chats they take at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_status"
    )
    state = models.CharField(
        _("status"), max_length=10, choices=AgentState.choices, default=AgentState.OFFLINE
    )
    max_chats = models.PositiveSmallIntegerField(_("chats at once"), default=3)
    changed_at = models.DateTimeField(default=timezone.now)
    # When the last chat was offered: round robin gives the next to whoever waited longest.
    last_offered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agent chat status")
        verbose_name_plural = _("agent chat statuses")

    def __str__(self) -> str:
        return f"{self.user}: {self.state}"


class ChatRules(models.Model):
    """The chat-closing rules the head of support sets (one row): whether an
    unanswered question needs a reason to close, and when an idle chat gets
    a check-in and then closes."""

    reason_for_unanswered = models.BooleanField(
        _("an unanswered question needs a reason to close"), default=True
    )
    checkin_after_minutes = models.PositiveSmallIntegerField(
        _("check in after (minutes)"),
        default=5,
        help_text=_("Minutes of the visitor's silence after an answer; 0: never."),
    )
    close_after_minutes = models.PositiveSmallIntegerField(
        _("close after the check-in (minutes)"), default=10
    )
    checkin_en = models.CharField(
        _("check-in (English)"),
        max_length=300,
        default="Are you still there? Can I help with anything else?",
    )
    checkin_pl = models.CharField(
        _("check-in (Polish)"), max_length=300, default="Czy mogę jeszcze w czymś pomóc?"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chat rules")
        verbose_name_plural = _("chat rules")

    def __str__(self) -> str:
        return str(_("Chat rules"))

    @classmethod
    def current(cls) -> ChatRules:
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules
