"""Writing SLA policies: checked as a whole (conditions, at least one target,
no target of zero, a calendar that exists), saved with their targets and
escalations in one transaction, audited. Clocks already running keep the
targets they started with: a change applies to new clocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.core.events import event_kinds, record_event
from carebase.core.models import Calendar
from carebase.tickets.models import Priority
from carebase.workflow.conditions import read_conditions
from carebase.workflow.models import (
    Escalation,
    EscalationAction,
    Metric,
    Moment,
    SlaPolicy,
    SlaTarget,
)

POLICY_CONDITIONS = ("channel", "type", "priority", "tier", "plan", "tags", "mailbox")
MAX_TARGET_MINUTES = 60 * 24 * 365


@event_kinds
class PolicyEvent(models.TextChoices):
    SAVED = "workflow.policy_saved", gettext_lazy("SLA policy saved")
    DELETED = "workflow.policy_deleted", gettext_lazy("SLA policy deleted")
    REORDERED = "workflow.policies_reordered", gettext_lazy("SLA policies reordered")


@dataclass
class PolicyData:
    name: str
    # {(metric, priority): minutes}
    targets: dict[tuple[str, str], int]
    conditions: dict[str, Any] = field(default_factory=dict)
    business_hours: bool = True
    calendar: int | None = None
    pause_on_hold: bool = False
    warning_minutes: int = 30
    # [(moment, metric or "", action)]
    escalations: list[tuple[str, str, str]] = field(default_factory=list)
    active: bool = True
    position: int | None = None


def clean_policy(data: PolicyData, *, instance: SlaPolicy | None = None) -> PolicyData:
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())[:120]
    if not name:
        errors["name"] = [_("A policy needs a name.")]
    elif (
        SlaPolicy.objects.filter(name__iexact=name)
        .exclude(pk=instance.pk if instance is not None else 0)
        .exists()
    ):
        errors["name"] = [_("Another policy is called %(name)s.") % {"name": name}]
    conditions: dict[str, Any] = {}
    try:
        conditions = read_conditions(data.conditions, allow=POLICY_CONDITIONS).values
    except ValidationError as error:
        errors.update(error.message_dict)
    targets: dict[tuple[str, str], int] = {}
    for (metric, priority), minutes in data.targets.items():
        if metric not in Metric.values or priority not in Priority.values:
            errors.setdefault("targets", []).append(
                _("“%(metric)s” for “%(priority)s” is not a target.")
                % {"metric": metric, "priority": priority}
            )
            continue
        label = f"{Metric(metric).label} / {Priority(priority).label}"
        if minutes is None:
            continue
        if minutes <= 0:
            errors.setdefault("targets", []).append(
                _(
                    "%(target)s: a target of zero would be breached as the clock starts; "
                    "give minutes, or leave it out for no target."
                )
                % {"target": label}
            )
        elif minutes > MAX_TARGET_MINUTES:
            errors.setdefault("targets", []).append(
                _("%(target)s: at most a year.") % {"target": label}
            )
        else:
            targets[(metric, priority)] = int(minutes)
    if not targets and "targets" not in errors:
        errors["targets"] = [_("A policy without a target measures nothing: give at least one.")]
    if data.warning_minutes < 0:
        errors["warning_minutes"] = [_("The warning is a number of minutes before the deadline.")]
    if data.calendar is not None and not Calendar.objects.filter(pk=data.calendar).exists():
        errors["calendar"] = [_("No such calendar: %(id)s.") % {"id": data.calendar}]
    if data.calendar is not None and not data.business_hours:
        errors["calendar"] = [
            _("A calendar counts business hours: tick “count business hours only”.")
        ]
    escalations = []
    for moment, metric, action in data.escalations:
        if (
            moment not in Moment.values
            or (metric and metric not in Metric.values)
            or action not in EscalationAction.values
        ):
            errors.setdefault("escalations", []).append(
                _("“%(value)s” is not an escalation.") % {"value": f"{moment} {metric} {action}"}
            )
            continue
        if (moment, metric, action) not in escalations:
            escalations.append((moment, metric, action))
    if errors:
        raise ValidationError(errors)
    return PolicyData(
        name=name,
        targets=targets,
        conditions=conditions,
        business_hours=data.business_hours,
        calendar=data.calendar,
        pause_on_hold=data.pause_on_hold,
        warning_minutes=data.warning_minutes,
        escalations=escalations,
        active=data.active,
        position=data.position,
    )


def do_save_policy(data: PolicyData, *, actor: Any, instance: SlaPolicy | None = None) -> SlaPolicy:
    data = clean_policy(data, instance=instance)
    with transaction.atomic():
        policy = instance or SlaPolicy()
        policy.name, policy.conditions = data.name, data.conditions
        policy.business_hours, policy.calendar_id = data.business_hours, data.calendar
        policy.pause_on_hold, policy.warning_minutes = data.pause_on_hold, data.warning_minutes
        policy.active = data.active
        if data.position is not None:
            policy.position = data.position
        elif instance is None:
            last = SlaPolicy.objects.aggregate(models.Max("position"))["position__max"]
            policy.position = 0 if last is None else last + 1
        policy.updated_at = timezone.now()
        policy.save()
        policy.targets.all().delete()
        SlaTarget.objects.bulk_create(
            SlaTarget(policy=policy, metric=metric, priority=priority, minutes=minutes)
            for (metric, priority), minutes in sorted(data.targets.items())
        )
        policy.escalations.all().delete()
        Escalation.objects.bulk_create(
            Escalation(policy=policy, moment=moment, metric=metric, action=action)
            for moment, metric, action in data.escalations
        )
        record_event(
            PolicyEvent.SAVED,
            policy,
            actor,
            name=policy.name,
            conditions=policy.conditions,
            targets={f"{metric}/{priority}": m for (metric, priority), m in data.targets.items()},
            business_hours=policy.business_hours,
            calendar=policy.calendar_id,
            escalations=[list(item) for item in data.escalations],
        )
    return policy


def do_delete_policy(policy: SlaPolicy, *, actor: Any) -> None:
    """Its clocks keep what they measured (and their copy of its name)."""
    with transaction.atomic():
        record_event(PolicyEvent.DELETED, policy, actor, name=policy.name)
        policy.delete()


def do_reorder_policies(ids: list[int], *, actor: Any) -> None:
    """Try the policies in this order: every one of them, each once."""
    policies = {policy.pk: policy for policy in SlaPolicy.objects.all()}
    if sorted(ids) != sorted(policies):
        raise ValidationError({"order": [_("List each SLA policy once, and no other.")]})
    if not ids:
        return
    with transaction.atomic():
        for position, pk in enumerate(ids):
            policies[pk].position = position
        SlaPolicy.objects.bulk_update(policies.values(), ["position"])
        record_event(PolicyEvent.REORDERED, policies[ids[0]], actor, order=ids)


def policy_data(policy: SlaPolicy) -> PolicyData:
    return PolicyData(
        name=policy.name,
        targets={(t.metric, t.priority): t.minutes for t in policy.targets.all()},
        conditions=dict(policy.conditions),
        business_hours=policy.business_hours,
        calendar=policy.calendar_id,
        pause_on_hold=policy.pause_on_hold,
        warning_minutes=policy.warning_minutes,
        escalations=[(e.moment, e.metric, e.action) for e in policy.escalations.all()],
        active=policy.active,
        position=policy.position,
    )
