"""The queue's rules and SLA policies over the REST API: staff read them;
those who set the queue's rules (heads, admins) write them. Bad rules and
policies are refused with the reason and change nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id
from carebase.core.access import Perm, is_staff_member, require_perm
from carebase.crm.models import Organization
from carebase.tickets.models import Channel, Priority, RequestType
from carebase.workflow.models import (
    EscalationAction,
    Metric,
    Moment,
    Rule,
    RuleKind,
    SlaPolicy,
)
from carebase.workflow.policies import (
    PolicyData,
    do_delete_policy,
    do_reorder_policies,
    do_save_policy,
)
from carebase.workflow.rules import RuleData, do_delete_rule, do_reorder_rules, do_save_rule
from carebase.workflow.simulate import try_rules

router = Router(tags=["queue rules"])

CONDITIONS_HELP = (
    'Every key given must hold, any of its values will do: "channel", "type", "tier", '
    '"plan", "tags", "keywords" (matched in any inflected form), "mailbox" (lists); '
    '"form" ({field: value}); "business_hours" (true: in them, false: outside). '
    '"priority" only in SLA policies; {} matches every conversation.'
)


def _read(request: AuthenticatedRequest) -> None:
    if not is_staff_member(request.user):
        raise HttpError(403, "Only staff read the queue's rules.")


class RuleIn(Schema):
    kind: RuleKind
    name: str = Field(max_length=120)
    conditions: dict[str, Any] = Field(default_factory=dict, description=CONDITIONS_HELP)
    set_type: RequestType | Literal[""] = ""
    set_priority: Priority | Literal[""] = ""
    set_team: Id | None = None
    add_tags: list[str] = Field(default_factory=list, max_length=10)
    active: bool = True
    position: int | None = Field(None, ge=0, description="Left out: last (new) or unchanged.")


class RuleOut(Schema):
    id: int
    kind: str
    name: str
    position: int
    active: bool
    conditions: dict[str, Any]
    set_type: str
    set_priority: str
    set_team: int | None = Field(None, alias="set_team_id")
    add_tags: list[str]
    updated_at: datetime


class RuleList(Schema):
    items: list[RuleOut]
    next: str | None = None


class OrderIn(Schema):
    kind: RuleKind
    order: list[Id] = Field(max_length=1000, description="Every rule of the kind, first first.")


def _rule_data(payload: RuleIn) -> RuleData:
    return RuleData(
        kind=payload.kind,
        name=payload.name,
        conditions=payload.conditions,
        set_type=payload.set_type,
        set_priority=payload.set_priority,
        set_team=payload.set_team,
        add_tags=payload.add_tags,
        active=payload.active,
        position=payload.position,
    )


@router.get("/rules", response={200: RuleList, **ERRORS}, summary="List the queue's rules")
def list_rules(request: AuthenticatedRequest, kind: RuleKind | None = None) -> dict[str, Any]:
    """In the order they run: classification first, then priority; first match wins."""
    _read(request)
    rules = Rule.objects.all()
    if kind is not None:
        rules = rules.filter(kind=kind)
    return {"items": list(rules), "next": None}


@router.post("/rules", response={201: RuleOut, **ERRORS}, summary="Add a rule")
def create_rule(request: AuthenticatedRequest, payload: RuleIn) -> Status:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    return Status(201, do_save_rule(_rule_data(payload), actor=request.user))


@router.post("/rules/order", response={200: RuleList, **ERRORS}, summary="Reorder rules")
def reorder_rules(request: AuthenticatedRequest, payload: OrderIn) -> dict[str, Any]:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    do_reorder_rules(payload.kind, payload.order, actor=request.user)
    return {"items": list(Rule.objects.filter(kind=payload.kind)), "next": None}


class TryIn(Schema):
    subject: str = Field(min_length=1, max_length=250)
    body: str = Field("", max_length=20_000)
    channel: Channel = Channel.EMAIL
    organization: Id | None = Field(None, description="For the tier and plan conditions.")
    tags: list[str] = Field(default_factory=list, max_length=20)
    mailbox: str = Field("", max_length=200)
    form: dict[str, str] = Field(
        default_factory=dict, description="Form fields sent with it, for `form` conditions."
    )


class AppliedRule(Schema):
    rule: str
    rule_id: int
    set: dict[str, Any]


class TargetOut(Schema):
    metric: Metric
    minutes: int


class TryOut(Schema):
    type: str
    priority: str
    team: int | None
    tags: list[str]
    applied: list[AppliedRule] = Field(description="The rules that matched, in order.")
    policy: int | None = Field(description="The SLA policy that would start its clocks.")
    policy_name: str | None
    targets: list[TargetOut] = Field(description="The policy's targets for that priority.")
    in_business_hours: bool


@router.post("/rules/try", response={200: TryOut, **ERRORS}, summary="Try the rules on a request")
def try_the_rules(request: AuthenticatedRequest, payload: TryIn) -> dict[str, Any]:
    """What a request like this, arriving now, would become: its type, priority,
    team and tags, the rules that set them and the SLA policy it would meet.
    Nothing is saved."""
    _read(request)
    organization = None
    if payload.organization is not None:
        organization = get_object_or_404(Organization, pk=payload.organization)
    source = {f"form.{name}": value for name, value in payload.form.items()}
    if payload.mailbox:
        source["mailbox"] = payload.mailbox
    trial = try_rules(
        subject=payload.subject,
        body=payload.body,
        channel=payload.channel,
        organization=organization,
        tags=[tag.strip().lower() for tag in payload.tags if tag.strip()],
        source=source,
    )
    return {
        "type": trial.type,
        "priority": trial.priority,
        "team": trial.team.pk if trial.team is not None else None,
        "tags": trial.tags,
        "applied": trial.applied,
        "policy": trial.policy.pk if trial.policy is not None else None,
        "policy_name": trial.policy.name if trial.policy is not None else None,
        "targets": [{"metric": metric, "minutes": minutes} for metric, minutes in trial.targets],
        "in_business_hours": trial.in_business_hours,
    }


@router.get("/rules/{rule_id}", response={200: RuleOut, **ERRORS}, summary="Read a rule")
def get_rule(request: AuthenticatedRequest, rule_id: int) -> Rule:
    _read(request)
    return get_object_or_404(Rule, pk=rule_id)


@router.put("/rules/{rule_id}", response={200: RuleOut, **ERRORS}, summary="Replace a rule")
def replace_rule(request: AuthenticatedRequest, rule_id: int, payload: RuleIn) -> Rule:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    rule = get_object_or_404(Rule, pk=rule_id)
    return do_save_rule(_rule_data(payload), actor=request.user, instance=rule)


@router.delete("/rules/{rule_id}", response={204: None, **ERRORS}, summary="Delete a rule")
def delete_rule(request: AuthenticatedRequest, rule_id: int) -> Status:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    do_delete_rule(get_object_or_404(Rule, pk=rule_id), actor=request.user)
    return Status(204, None)


class TargetSchema(Schema):
    metric: Metric
    priority: Priority
    minutes: int = Field(description="Business (or calendar) minutes; more than zero.")


class EscalationSchema(Schema):
    moment: Moment
    metric: Metric | Literal[""] = Field("", description="Empty: any target.")
    action: EscalationAction


class PolicyIn(Schema):
    name: str = Field(max_length=120)
    conditions: dict[str, Any] = Field(default_factory=dict, description=CONDITIONS_HELP)
    targets: list[TargetSchema] = Field(max_length=12)
    business_hours: bool = True
    calendar: Id | None = Field(None, description="Left out: the team's calendar.")
    pause_on_hold: bool = False
    warning_minutes: int = Field(30, ge=0, le=60 * 24 * 30)
    escalations: list[EscalationSchema] = Field(default_factory=list, max_length=30)
    active: bool = True
    position: int | None = Field(None, ge=0)


class PolicyOut(Schema):
    id: int
    name: str
    position: int
    active: bool
    conditions: dict[str, Any]
    targets: list[TargetSchema]
    business_hours: bool
    calendar: int | None
    pause_on_hold: bool
    warning_minutes: int
    escalations: list[EscalationSchema]
    updated_at: datetime


class PolicyList(Schema):
    items: list[PolicyOut]
    next: str | None = None


def _policy_out(policy: SlaPolicy) -> dict[str, Any]:
    return {
        "id": policy.pk,
        "name": policy.name,
        "position": policy.position,
        "active": policy.active,
        "conditions": policy.conditions,
        "targets": [
            {"metric": t.metric, "priority": t.priority, "minutes": t.minutes}
            for t in policy.targets.all()
        ],
        "business_hours": policy.business_hours,
        "calendar": policy.calendar_id,
        "pause_on_hold": policy.pause_on_hold,
        "warning_minutes": policy.warning_minutes,
        "escalations": [
            {"moment": e.moment, "metric": e.metric, "action": e.action}
            for e in policy.escalations.all()
        ],
        "updated_at": policy.updated_at,
    }


def _policy_data(payload: PolicyIn) -> PolicyData:
    targets: dict[tuple[str, str], int] = {}
    for target in payload.targets:
        key = (str(target.metric), str(target.priority))
        if key in targets:
            raise ValidationError(
                {
                    "targets": [
                        _("%(metric)s for %(priority)s is given twice.")
                        % {"metric": target.metric, "priority": target.priority}
                    ]
                }
            )
        targets[key] = target.minutes
    return PolicyData(
        name=payload.name,
        targets=targets,
        conditions=payload.conditions,
        business_hours=payload.business_hours,
        calendar=payload.calendar,
        pause_on_hold=payload.pause_on_hold,
        warning_minutes=payload.warning_minutes,
        escalations=[(e.moment, e.metric, e.action) for e in payload.escalations],
        active=payload.active,
        position=payload.position,
    )


def _policies() -> Any:
    return SlaPolicy.objects.prefetch_related("targets", "escalations")


@router.get("/sla-policies", response={200: PolicyList, **ERRORS}, summary="List SLA policies")
def list_policies(request: AuthenticatedRequest) -> dict[str, Any]:
    """In the order they are tried; the first that matches a conversation applies."""
    _read(request)
    return {"items": [_policy_out(policy) for policy in _policies()], "next": None}


@router.post("/sla-policies", response={201: PolicyOut, **ERRORS}, summary="Add an SLA policy")
def create_policy(request: AuthenticatedRequest, payload: PolicyIn) -> Status:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    policy = do_save_policy(_policy_data(payload), actor=request.user)
    return Status(201, _policy_out(_policies().get(pk=policy.pk)))


class PolicyOrderIn(Schema):
    order: list[Id] = Field(max_length=1000, description="Every policy, the first tried first.")


@router.post(
    "/sla-policies/order", response={200: PolicyList, **ERRORS}, summary="Reorder SLA policies"
)
def reorder_policies(request: AuthenticatedRequest, payload: PolicyOrderIn) -> dict[str, Any]:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    do_reorder_policies(payload.order, actor=request.user)
    return {"items": [_policy_out(policy) for policy in _policies()], "next": None}


@router.get(
    "/sla-policies/{policy_id}", response={200: PolicyOut, **ERRORS}, summary="Read an SLA policy"
)
def get_policy(request: AuthenticatedRequest, policy_id: int) -> dict[str, Any]:
    _read(request)
    return _policy_out(get_object_or_404(_policies(), pk=policy_id))


@router.put(
    "/sla-policies/{policy_id}",
    response={200: PolicyOut, **ERRORS},
    summary="Replace an SLA policy",
)
def replace_policy(
    request: AuthenticatedRequest, policy_id: int, payload: PolicyIn
) -> dict[str, Any]:
    """Clocks already running keep their targets; the change applies to new clocks."""
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    policy = get_object_or_404(SlaPolicy, pk=policy_id)
    do_save_policy(_policy_data(payload), actor=request.user, instance=policy)
    return _policy_out(_policies().get(pk=policy.pk))


@router.delete(
    "/sla-policies/{policy_id}", response={204: None, **ERRORS}, summary="Delete an SLA policy"
)
def delete_policy(request: AuthenticatedRequest, policy_id: int) -> Status:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    do_delete_policy(get_object_or_404(SlaPolicy, pk=policy_id), actor=request.user)
    return Status(204, None)
