from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One typed row per state change: the timeline and the audit log.

    `kind` holds a value of an app's `EventKind` choices ("crm.contact_created");
    `data` holds what changed, for example {"field": [old, new]}.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    # Not a column: lets a list prefetch the targets of many events at once.
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"], name="audit_target_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.target_id}"

    @property
    def label(self) -> str:
        from carebase.core.events import event_label

        return str(event_label(self.kind))


class WorkerHeartbeat(models.Model):
    """Written every few seconds by each running `manage.py run_worker`."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class LiveEvent(models.Model):
    """A live update written by a process that cannot reach the open pages
    itself (the worker, a mail pipe) while live updates travel in memory;
    the web process forwards it to them (core/relay.py) and forgets it."""

    group = models.CharField(max_length=150)
    event = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.group} {self.event}"


class PeriodicJobState(models.Model):
    """When each periodic job is next due; claimed with a conditional UPDATE so
    that any number of workers enqueue it exactly once per period."""

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class SearchDocument(models.Model):
    """The search terms of one object (see core/search.py); the database's
    full-text index over `terms` is created by migration, per engine."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    terms = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class RankedDocument(models.Model):
    """The search terms of one object in three fields that weigh differently
    in the ranking: title, summary (and tags), body (see core/search.py).
    The full-text index over them is created by migration, per engine."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="ranked_document_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchTerm(models.Model):
    """Every term the ranked documents of a kind hold: the vocabulary that a
    query word with a typo is corrected against."""

    kind = models.CharField(max_length=32)
    term = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="search_term_word")]

    def __str__(self) -> str:
        return self.term


class Calendar(models.Model):
    """Business hours that a team, an SLA policy or the clients of an
    organization tier are served by: a week of opening periods in a time
    zone, closed on a country's public holidays and on the calendar's own
    days off. core.hours reads it as a Schedule."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Warsaw")
    hours = models.CharField(
        _("opening hours"),
        max_length=500,
        default="mon-fri 08:00-18:00",
        help_text=_('Such as "mon-fri 08:00-12:00, 13:00-17:00; sat 09:00-13:00".'),
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=8,
        blank=True,
        default="PL",
        help_text=_("A country code (PL, GB, DE...); empty for none."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name

    def schedule(self) -> Any:
        """The calendar as the clock reads it (core.hours.Schedule)."""
        from carebase.core.hours import schedule_of

        return schedule_of(self)


class CalendarTier(models.Model):
    """An organization tier (crm.models.Tier) whose clients are served by the
    calendar: their conversations' clocks and business-hours conditions go
    by it rather than by the team's (core.hours.conversation_calendar). A
    tier is served by one calendar at most: the database holds to it even
    when two heads save at once. Core stores the tier's value only; the
    calendar's writer (workflow.calendars) checks it is one of crm's."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="tiers")
    tier = models.CharField(_("organization tier"), max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tier"], name="one_calendar_per_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar_id} {self.tier}"


class DayOff(models.Model):
    """A day a calendar is closed besides the public holidays (a company
    day off, a bridge day)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="days_off")
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="one_day_off_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}".strip()
