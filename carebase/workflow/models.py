"""The queue's rules: classification and priority rules, SLA policies with
their targets and escalations, the SLA clocks they start on conversations,
and macros. (Business calendars live in core, since core's clock reads them.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.crm.models import Language
from carebase.tickets.models import Priority, RequestType, Status, Ticket


class RuleKind(models.TextChoices):
    # Run first, on arrival: what kind of request it is.
    CLASSIFY = "classify", _("Classification")
    # Run next: how urgent it is and which team works it.
    PRIORITY = "priority", _("Priority and routing")


class Rule(models.Model):
    """If a new conversation meets the conditions, set fields. Within a kind,
    the first active rule that matches, by position, wins."""

    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # See workflow.conditions.Conditions: {"channel": [...], "keywords": [...], ...}.
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    set_type = models.CharField(_("set type"), max_length=20, blank=True)
    set_priority = models.CharField(_("set priority"), max_length=16, blank=True)
    set_team = models.ForeignKey(
        Team,
        verbose_name=_("set team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    add_tags = models.JSONField(_("add tags"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("queue rule")
        verbose_name_plural = _("queue rules")
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="rule_name_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class Metric(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_UPDATE = "next_update", _("Next update")
    RESOLUTION = "resolution", _("Resolution")


class SlaPolicy(models.Model):
    """Targets per priority for the conversations that meet its conditions;
    the first active policy that matches, by position, applies."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    business_hours = models.BooleanField(
        _("count business hours only"),
        default=True,
        help_text=_("Otherwise the clock runs day and night."),
    )
    # None: the calendar of the conversation's team (or the desk's default hours).
    calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pause_on_hold = models.BooleanField(_("pause while on hold"), default=False)
    warning_minutes = models.PositiveIntegerField(
        _("warn this many minutes before the deadline"), default=30
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("target"), max_length=16, choices=Metric.choices)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices)
    minutes = models.PositiveIntegerField(_("minutes"))

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "metric", "priority"], name="sla_target_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.metric} {self.priority} {self.minutes}"


class Moment(models.TextChoices):
    WARNING = "warning", _("At the warning")
    BREACH = "breach", _("At the breach")


class EscalationAction(models.TextChoices):
    NOTIFY_ASSIGNEE = "notify_assignee", _("Notify the assignee")
    NOTIFY_LEAD = "notify_lead", _("Notify the team lead")
    NOTIFY_HEAD = "notify_head", _("Notify the head of support")
    RAISE_PRIORITY = "raise_priority", _("Raise the priority one step")
    REASSIGN = "reassign", _("Reassign to the team lead")


class Escalation(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="escalations")
    moment = models.CharField(_("when"), max_length=8, choices=Moment.choices)
    # Blank: any target of the policy.
    metric = models.CharField(_("target"), max_length=16, choices=Metric.choices, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=EscalationAction.choices)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["moment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "moment", "metric", "action"], name="escalation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.moment} {self.action}"


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ACHIEVED = "achieved", _("Achieved")
    BREACHED = "breached", _("Breached")
    # Stopped unmeasured: solved without the reply it waited for, merged away,
    # or the new priority has no such target. Not in the KPIs, not in the API.
    CANCELLED = "cancelled", _("Cancelled")


class SlaClock(models.Model):
    """One target's clock on one conversation. It keeps its own copy of what
    it was started with (target, hours, warning) so that a later change to the
    policy applies to new clocks and never rewrites what was measured."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_clocks")
    policy = models.ForeignKey(
        SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="clocks"
    )
    policy_name = models.CharField(max_length=120)
    metric = models.CharField(max_length=16, choices=Metric.choices)
    priority = models.CharField(max_length=16, choices=Priority.choices)
    target_minutes = models.PositiveIntegerField()
    business_hours = models.BooleanField()
    calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pauses_on_hold = models.BooleanField(default=False)
    warning_minutes = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ClockState.choices)
    started_at = models.DateTimeField()
    # The running stretch began here; what ran before it is in consumed_seconds.
    resumed_at = models.DateTimeField(null=True, blank=True)
    consumed_seconds = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)  # None while paused
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "metric"], name="sla_clock_ticket"),
            # The sweep's two questions, read off small partial indexes.
            models.Index(
                fields=["due_at"],
                name="sla_clock_due",
                condition=models.Q(state="running"),
            ),
            models.Index(
                fields=["warn_at"],
                name="sla_clock_warn",
                condition=models.Q(state="running", warned_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.metric} {self.state}"


class Notice(models.Model):
    """An escalation's word to one person, in the app: listed on their home
    page until they have read it (the email goes out too)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sla_notices"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="notices")
    moment = models.CharField(max_length=8, choices=Moment.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA notice")
        verbose_name_plural = _("SLA notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The sweep may run twice (a restart): one notice per person and moment.
            models.UniqueConstraint(fields=["clock", "moment", "user"], name="notice_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.ticket_id} {self.moment}"


class MacroScope(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    TEAM = "team", _("A team")
    EVERYONE = "everyone", _("Everyone")


class Macro(models.Model):
    """A saved reply with placeholders, in one language, that may also set
    the conversation's status, type and priority and add tags. Personal
    (its owner alone sees it), shared with a team, or with everyone."""

    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.POLISH
    )
    scope = models.CharField(
        _("shared with"), max_length=16, choices=MacroScope.choices, default=MacroScope.PERSONAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
    )
    set_status = models.CharField(
        _("set the status to"), max_length=16, choices=Status.choices, blank=True
    )
    set_type = models.CharField(
        _("set the type to"), max_length=20, choices=RequestType.choices, blank=True
    )
    set_priority = models.CharField(
        _("set the priority to"), max_length=16, choices=Priority.choices, blank=True
    )
    add_tags = models.JSONField(_("add the tags"), default=list, blank=True)
    # Name and text folded to lower-case ASCII (core.search.fold), for the
    # picker's search as you type: "potwierdzenie" finds "Potwierdzenie".
    search_key = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    usage_count = models.PositiveIntegerField(_("times used"), default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["scope", "owner", "team"], name="macro_scope")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="personal", owner__isnull=False, team__isnull=True)
                    | models.Q(scope="team", owner__isnull=True, team__isnull=False)
                    | models.Q(scope="everyone", owner__isnull=True, team__isnull=True)
                ),
                name="macro_scope_has_its_owner_or_team",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workflow:macro_edit", args=[self.pk])

    @property
    def sets_fields(self) -> bool:
        return bool(self.set_status or self.set_type or self.set_priority or self.add_tags)


# --- Feature requests board (workflow/features.py) ---------------------------


class FeatureStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("feature status", "New")
    UNDER_REVIEW = "under_review", pgettext_lazy("feature status", "Under review")
    PLANNED = "planned", pgettext_lazy("feature status", "Planned")
    DONE = "done", pgettext_lazy("feature status", "Done")
    DECLINED = "declined", pgettext_lazy("feature status", "Declined")


# The badge each status wears (classes of core's stylesheet).
FEATURE_BADGES = {
    FeatureStatus.NEW: "",
    FeatureStatus.UNDER_REVIEW: "trial",
    FeatureStatus.PLANNED: "status-open",
    FeatureStatus.DONE: "ok",
    FeatureStatus.DECLINED: "churned",
}


class Feature(models.Model):
    """One product wish that many conversations may ask for. Who asks for it
    and how much they pay are counted from its requests, never stored."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FeatureStatus.choices, default=FeatureStatus.NEW
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="feature_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workflow:feature_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return FEATURE_BADGES.get(FeatureStatus(self.status), "")


class FeatureRequest(models.Model):
    """A conversation that asks for a feature: one feature at most per
    conversation. The requesting organization is the conversation's."""

    feature = models.ForeignKey(
        Feature, verbose_name=_("feature"), on_delete=models.CASCADE, related_name="requests"
    )
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="feature_request",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    # When the requester was told the feature is done (once, ever).
    notified_at = models.DateTimeField(_("requester notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("feature request")
        verbose_name_plural = _("feature requests")
        ordering = ["linked_at", "id"]
        indexes = [models.Index(fields=["feature", "linked_at"], name="feature_request_feature")]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.feature_id}"
