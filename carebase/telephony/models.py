"""The phone channel: the PBXs calls come from, their extensions (mapped to
agents), and every call, as imported from a CDR file or built from events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carebase.crm.models import Contact


class Pbx(models.Model):
    """A telephone exchange (Asterisk, FreePBX...) whose calls carebase keeps."""

    name = models.SlugField(
        _("name"),
        max_length=50,
        unique=True,
        error_messages={"unique": _("Another PBX already has this name.")},
    )
    # The zone the PBX writes its CDR dates in (cdr_csv writes local time).
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Warsaw")
    # A call abandoned sooner than this is a short abandon, not a missed call
    # anybody must return (a wrong number, a caller who changed their mind).
    short_abandon_seconds = models.PositiveIntegerField(_("short abandon (seconds)"), default=5)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("PBX")
        verbose_name_plural = _("PBXs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """An extension or SIP user of a PBX, and the agent who answers on it.
    An extension seen in calls but not yet mapped is kept, user-less, to be
    mapped: its calls are never dropped."""

    pbx = models.ForeignKey(Pbx, on_delete=models.CASCADE, related_name="extensions")
    number = models.CharField(_("extension"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extensions",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["pbx", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pbx", "number"], name="extension_once_per_pbx")
        ]

    def __str__(self) -> str:
        return self.number


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    INTERNAL = "internal", _("Internal")


class Disposition(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")
    BUSY = "busy", _("Busy")
    FAILED = "failed", pgettext_lazy("call", "Failed")


class MissedReason(models.TextChoices):
    SHORT_ABANDON = "short_abandon", _("Short abandon")
    NO_AGENT = "no_agent", _("No agent available")
    NOT_ANSWERED = "not_answered", _("Agents did not answer")
    ABANDONED_IN_MENU = "abandoned_in_menu", _("Abandoned in the menu")


class CallSource(models.TextChoices):
    CDR = "cdr", _("CDR import")
    EVENTS = "events", _("PBX events")


class Call(models.Model):
    """One call, however many legs (transfers, queue attempts) the PBX
    logged for it: their earliest start, latest end, and the leg that was
    answered."""

    pbx = models.ForeignKey(Pbx, on_delete=models.PROTECT, related_name="calls")
    # The PBX's own id of the call (Asterisk's linkedid, else uniqueid): what
    # makes an import or an event idempotent.
    unique_id = models.CharField(max_length=150)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    caller = models.CharField(_("caller"), max_length=80)  # E.164 when it is a number
    caller_name = models.CharField(_("caller name"), max_length=200, blank=True)
    callee = models.CharField(_("callee"), max_length=80)
    line = models.CharField(_("line"), max_length=80, blank=True)  # context or queue
    extension = models.ForeignKey(
        Extension, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"))
    wait_seconds = models.PositiveIntegerField(_("wait (seconds)"), default=0)
    talk_seconds = models.PositiveIntegerField(_("talk (seconds)"), default=0)
    disposition = models.CharField(_("disposition"), max_length=10, choices=Disposition.choices)
    missed_reason = models.CharField(
        _("missed because"), max_length=20, choices=MissedReason.choices, blank=True
    )
    source = models.CharField(max_length=10, choices=CallSource.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pbx", "unique_id"], name="call_once_per_pbx")
        ]
        indexes = [
            models.Index(fields=["agent", "started_at"], name="call_agent_started"),
            models.Index(fields=["started_at"], name="call_started"),
        ]

    def __str__(self) -> str:
        return f"{self.caller} → {self.callee}"
