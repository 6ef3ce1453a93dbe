"""Conversations (tickets), their messages and attachments, and the typed event
rows that are at once their timeline, their audit trail and the KPIs' input."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carebase.accounts.models import Team
from carebase.crm.models import Contact, Organization


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Live chat")
    PHONE = "phone", _("Phone")
    TELEGRAM = "telegram", _("Telegram")
    MESSENGER = "messenger", _("Other messenger")  # a generic webhook
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    INTERNAL = "internal", _("Internal")


class RequestType(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    CONFIGURATION = "configuration", _("Configuration request")
    QUESTION = "question", _("Question")
    FEATURE_REQUEST = "feature_request", _("Feature request")
    FEEDBACK = "feedback", _("Feedback")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("ticket status", "New")
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    PENDING = "pending", pgettext_lazy("ticket status", "Pending")
    ON_HOLD = "on_hold", pgettext_lazy("ticket status", "On hold")
    SOLVED = "solved", pgettext_lazy("ticket status", "Solved")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")


# Statuses in which the ticket still needs work from the team.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


# Sorting key: the most urgent first.
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}

# The urgency score is a moment, "work on it by": the nearest running SLA
# deadline, moved earlier for a higher priority (so an urgent request due in
# five hours comes before a normal one due in three), or, with no running
# clock, its arrival plus NO_DEADLINE. The inbox's default order sorts by it.
PRIORITY_LEAD = {
    Priority.URGENT: timedelta(hours=8),
    Priority.HIGH: timedelta(hours=4),
    Priority.NORMAL: timedelta(0),
    Priority.LOW: timedelta(hours=-8),
}
NO_DEADLINE = timedelta(days=3)
# A conversation that does not wait for us (waiting for the customer, on hold
# with no clock running, solved or closed) is parked: it sorts after all the
# work that does, in the same order among its kind. Never shown: a sort key.
PARKED_STATUSES = frozenset({Status.PENDING, Status.ON_HOLD, Status.SOLVED, Status.CLOSED})
PARKED_AFTER = timedelta(days=36_500)


def urgency_at(
    priority: str, deadline: datetime | None, created_at: datetime, status: str = Status.NEW
) -> datetime:
    base = deadline if deadline is not None else created_at + NO_DEADLINE
    if deadline is None and status in PARKED_STATUSES:
        base += PARKED_AFTER
    return base - PRIORITY_LEAD[Priority(priority)]


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    """A conversation with a requester, on any channel. Its reference is #<id>."""

    # Not a column: do_create_ticket leaves the first message here, so that
    # its caller need not read it back.
    opening_message: Message | None = None

    subject = models.CharField(_("subject"), max_length=250)
    requester = models.ForeignKey(
        Contact, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="tickets"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    type = models.CharField(
        _("type"), max_length=20, choices=RequestType.choices, default=RequestType.QUESTION
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    priority_rank = models.PositiveSmallIntegerField(default=PRIORITY_RANK[Priority.NORMAL])
    # What set the priority, when a rule did (its name): shown as the "why".
    priority_reason = models.CharField(_("priority set by"), max_length=200, blank=True)
    # See urgency_at(); kept by do_create_ticket and the SLA clocks.
    urgency_at = models.DateTimeField(_("work on it by"))
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="tickets")
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followers"),
        blank=True,
        related_name="followed_tickets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_tickets"
    )
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    # The timestamps the KPIs need (see shared/kpis.md).
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_solved_at = models.DateTimeField(_("first solved"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    last_agent_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["priority_rank", "created_at", "id"]
        indexes = [
            # The default queues: open work of a team or a person, most urgent first.
            models.Index(fields=["status", "priority_rank", "created_at"], name="ticket_queue"),
            models.Index(fields=["assignee", "status", "priority_rank"], name="ticket_assignee"),
            models.Index(fields=["team", "status", "priority_rank"], name="ticket_team"),
            models.Index(fields=["organization", "status"], name="ticket_organization"),
            models.Index(fields=["updated_at", "id"], name="ticket_updated"),
            # The "solved recently" queue and its count.
            models.Index(fields=["solved_at", "status"], name="ticket_solved"),
            # Most urgent, then oldest: the inbox's order, read off an index so
            # that a page stops after 50 rows (of all, and of the open ones).
            # It carries the filter columns too (PostgreSQL), so that a
            # filtered list's ids and sort keys come from the index alone.
            models.Index(
                fields=["priority_rank", "created_at", "id"],
                name="ticket_order",
                include=["status", "team", "assignee", "organization", "type", "channel"],
            ),
            models.Index(
                fields=["priority_rank", "created_at", "id"],
                name="ticket_open_order",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
            # The urgency order ("most urgent first"), with the filter columns.
            models.Index(
                fields=["urgency_at", "id"],
                name="ticket_urgency",
                include=["status", "team", "assignee", "organization", "type", "channel"],
            ),
            models.Index(
                fields=["urgency_at", "id"],
                name="ticket_open_urgency",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
            # The queues' counts, read from the index alone.
            models.Index(
                fields=["status", "assignee", "team"],
                name="ticket_open_counts",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:ticket_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Public reply")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    """A public reply (from an agent or the customer) or an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=8, choices=MessageKind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket_messages",
    )
    author_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    from_customer = models.BooleanField(default=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # The sender's own id (Message-ID, chat message id) for idempotent intake.
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_time")]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.kind} {self.pk}"

    @property
    def is_public(self) -> bool:
        return self.kind == MessageKind.REPLY


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original name is kept in `filename` and
    # only ever sent back in Content-Disposition.
    import uuid

    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=150)
    size = models.PositiveBigIntegerField()
    content_id = models.CharField(max_length=255, blank=True)  # cid: of inline images

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    REPLY_ADDED = "reply_added", _("Public reply")
    NOTE_ADDED = "note_added", _("Internal note")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assignee changed")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    TYPE_CHANGED = "type_changed", _("Type changed")
    TEAM_CHANGED = "team_changed", _("Team changed")
    TAGS_CHANGED = "tags_changed", _("Tags changed")
    SUBJECT_CHANGED = "subject_changed", _("Subject changed")
    MERGED_INTO = "merged_into", _("Merged into another ticket")
    MERGED_FROM = "merged_from", _("Another ticket merged in")
    FOLLOW_UP_CREATED = "follow_up_created", _("Follow-up ticket created")
    RULE_APPLIED = "rule_applied", _("Queue rule applied")
    SLA_ACHIEVED = "sla_achieved", _("SLA target achieved")
    SLA_WARNING = "sla_warning", _("SLA target at risk")
    SLA_BREACHED = "sla_breached", _("SLA target breached")
    ESCALATED = "escalated", _("Escalated")


class TicketEvent(models.Model):
    """One row per change. old_value/new_value are plain columns so that KPI
    queries (time to first solve, reopen counts, per-agent assignments) are
    SQL aggregates, not JSON digging."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="ticket_event_timeline"),
            models.Index(fields=["kind", "created_at"], name="ticket_event_kpi"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class SavedView(models.Model):
    """An inbox view an agent defined by filters: their own, or shared with a team."""

    name = models.CharField(_("name"), max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="ticket_views",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("shared with"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ticket_views",
    )
    # The inbox's query string as a dict of lists (see tickets/filters.py KEYS).
    filters = models.JSONField(_("filters"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tickets:inbox") + f"?view={self.pk}"
