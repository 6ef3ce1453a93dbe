"""The phone channel: the PBXs calls come from, their extensions (mapped to
agents), and every call, as imported from a CDR file or built from events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carebase.crm.models import Contact
from carebase.tickets.models import Ticket


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
    # The digest of the token the PBX (or its forwarder) sends its events
    # with; the token itself is shown once, when it is made.
    token_digest = models.CharField(max_length=64, blank=True, editable=False)
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
    IN_PROGRESS = "in_progress", _("In progress")


class MissedReason(models.TextChoices):
    SHORT_ABANDON = "short_abandon", _("Short abandon")
    OUT_OF_HOURS = "out_of_hours", _("Out of business hours")
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

    # Indexes: a call table holds millions of rows, each index is paid on
    # every import; foreign keys led by a composite index have none of their own.
    # The PBX, extension and agent keys have no constraint in the database
    # (db_constraint=False): its check of each new row took a quarter of an
    # import, and the import has just read those rows itself. Deletes go
    # through Django, which protects, nulls or cascades as on_delete says
    # (docs/architecture.md, "Calls without database foreign keys").
    pbx = models.ForeignKey(
        Pbx, on_delete=models.PROTECT, related_name="calls", db_index=False, db_constraint=False
    )
    # The PBX's own id of the call (Asterisk's linkedid, else uniqueid): what
    # makes an import or an event idempotent.
    unique_id = models.CharField(max_length=150)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    caller = models.CharField(_("caller"), max_length=80)  # E.164 when it is a number
    caller_name = models.CharField(_("caller name"), max_length=200, blank=True)
    callee = models.CharField(_("callee"), max_length=80)
    line = models.CharField(_("line"), max_length=80, blank=True)  # context or queue
    extension = models.ForeignKey(
        Extension,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
        db_index=False,  # extensions are remapped, hardly ever deleted
        db_constraint=False,
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
        db_index=False,
        db_constraint=False,
    )
    # The contact keeps its constraint: a merge or an erasure racing an
    # import must fail, not leave a call pointing at nobody.
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)  # None: still going
    wait_seconds = models.PositiveIntegerField(_("wait (seconds)"), default=0)
    talk_seconds = models.PositiveIntegerField(_("talk (seconds)"), default=0)
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition.choices)
    missed_reason = models.CharField(
        _("missed because"), max_length=20, choices=MissedReason.choices, blank=True
    )
    source = models.CharField(max_length=10, choices=CallSource.choices)
    # The conversation the call is part of: the phone conversation it opened
    # or joined, or the callback conversation of a missed call.
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
        db_index=False,  # call_ticket: only the calls that have one
    )
    recording_url = models.URLField(_("recording URL"), max_length=500, blank=True)
    recording = models.FileField(_("recording"), upload_to="recordings/%Y/%m/", blank=True)
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
            # Most calls of a CDR history are in no conversation: an index of
            # those that are costs an import nothing for the rest.
            models.Index(
                fields=["ticket"], name="call_ticket", condition=models.Q(ticket__isnull=False)
            ),
            # The agent call report reads only this index (an index-only scan).
            models.Index(
                fields=["started_at", "agent", "wait_seconds", "talk_seconds"],
                name="call_answered_report",
                condition=models.Q(
                    direction="inbound", answered_at__isnull=False, agent__isnull=False
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caller} → {self.callee}"

    @property
    def customer_number(self) -> str:
        return self.callee if self.direction == Direction.OUTBOUND else self.caller

    @property
    def has_recording(self) -> bool:
        return bool(self.recording or self.recording_url)


class Ring(models.Model):
    """An extension the call rang, and whether its agent took it: what says
    who answers and who lets the phone ring."""

    # No constraints in the database, as for Call's PBX and agent.
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="rings", db_index=False, db_constraint=False
    )
    extension = models.ForeignKey(
        Extension,
        on_delete=models.CASCADE,
        related_name="rings",
        db_index=False,
        db_constraint=False,
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rang_at = models.DateTimeField()
    answered = models.BooleanField(default=False)
    ring_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rang_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "extension", "rang_at"], name="ring_once_per_call"
            )
        ]
        # The report counts the rings agents let pass: a few, among many answered.
        indexes = [
            models.Index(
                fields=["rang_at", "agent"], name="ring_passed", condition=models.Q(answered=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.extension_id} {self.rang_at:%Y-%m-%d %H:%M:%S}"


class Callback(models.Model):
    """A caller to ring back: the urgent conversation that missed calls from
    one number open (one an hour, however often they ring), due within the
    business minutes of CALLBACK_DUE_MINUTES, done by an answered call back."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="callback")
    number = models.CharField(_("number"), max_length=80)
    due_at = models.DateTimeField(_("call back by"))
    missed_calls = models.PositiveIntegerField(_("missed calls"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("called back"), null=True, blank=True)
    done_by = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["number", "created_at"], name="callback_number_created")]

    def __str__(self) -> str:
        return self.number

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_at < timezone.now()


class PbxEvent(models.Model):
    """A call event as the PBX sent it, stored before anything reads it:
    a call's record is rebuilt from all its events, in their own order, so
    events that arrive late or twice change nothing twice."""

    pbx = models.ForeignKey(Pbx, on_delete=models.CASCADE, related_name="events")
    call_id = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=30, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["pbx", "call_id"], name="pbxevent_call")]

    def __str__(self) -> str:
        return f"{self.kind or '?'} {self.call_id}"


class ImportFormat(models.TextChoices):
    ASTERISK_CSV = "asterisk-csv", _("Asterisk Master.csv")
    CSV = "csv", _("CSV with a header row")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", pgettext_lazy("import", "Failed")


class CallImport(models.Model):
    """A CDR file an admin uploaded, imported by the worker, with its summary."""

    pbx = models.ForeignKey(Pbx, verbose_name=_("PBX"), on_delete=models.CASCADE)
    file = models.FileField(upload_to="call-imports/%Y/%m/")
    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=20, choices=ImportFormat.choices)
    columns = models.JSONField(default=dict, blank=True)  # {carebase field: column}
    file_recent_hours = models.PositiveIntegerField(default=24)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # The first problems, [line, reason]: enough to fix a file.
    problems = models.JSONField(default=list, blank=True)
    new_extensions = models.JSONField(default=list, blank=True)
    filed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("call import")
        verbose_name_plural = _("call imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename
