"""The queue's rules and SLA policies on pages: every member of staff reads
them (an agent learns why the queue is in its order); those who set the
queue's rules (heads, admins) write, reorder and try them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm, is_staff_member, require_perm
from carebase.core.errors import show_errors
from carebase.tickets.models import Priority, RequestType
from carebase.workflow.conditions import Conditions
from carebase.workflow.forms_rules import PolicyForm, RuleForm, TryForm, minutes_text
from carebase.workflow.models import Metric, Moment, Rule, RuleKind, SlaPolicy
from carebase.workflow.policies import (
    do_delete_policy,
    do_reorder_policies,
    do_save_policy,
)
from carebase.workflow.rules import do_delete_rule, do_reorder_rules, do_save_rule
from carebase.workflow.simulate import try_rules


def _require_staff(request: AuthenticatedRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


def _effects(rule: Rule) -> list[tuple[str, str]]:
    found: list[tuple[Any, Any]] = []
    if rule.set_type:
        found.append((_("Type"), RequestType(rule.set_type).label))
    if rule.set_priority:
        found.append((_("Priority"), Priority(rule.set_priority).label))
    if rule.set_team_id and rule.set_team is not None:
        found.append((_("Team"), rule.set_team.name))
    if rule.add_tags:
        found.append((_("Add tags"), ", ".join(rule.add_tags)))
    return [(str(label), str(value)) for label, value in found]


@login_required
def rules(request: AuthenticatedRequest) -> HttpResponse:
    _require_staff(request)
    listed = Rule.objects.select_related("set_team").order_by("kind", "position", "id")
    kinds = []
    for kind in (RuleKind.CLASSIFY, RuleKind.PRIORITY):
        of_kind = [rule for rule in listed if rule.kind == kind]
        kinds.append(
            {
                "kind": kind,
                "rows": [
                    {
                        "rule": rule,
                        "conditions": Conditions(rule.conditions).describe(),
                        "effects": _effects(rule),
                        "first": index == 0,
                        "last": index == len(of_kind) - 1,
                    }
                    for index, rule in enumerate(of_kind)
                ],
            }
        )
    trial = None
    try_form = TryForm(request.GET if "try" in request.GET else None)
    if try_form.is_bound and try_form.is_valid():
        data = try_form.cleaned_data
        trial = try_rules(
            subject=data["subject"],
            body=data["body"],
            channel=data["channel"],
            organization=data["organization"],
        )
    context = {
        "kinds": kinds,
        "can_edit": has_perm(request.user, Perm.CONFIGURE_WORKFLOW),
        "try_form": try_form,
        "trial": trial,
        "trial_targets": [
            (Metric(metric).label, minutes_text(minutes)) for metric, minutes in trial.targets
        ]
        if trial is not None
        else [],
        "trial_type": RequestType(trial.type).label if trial is not None else "",
        "trial_priority": Priority(trial.priority).label if trial is not None else "",
    }
    return render(request, "workflow/rules/list.html", context)


@login_required
def rule_edit(request: AuthenticatedRequest, rule_id: int | None = None) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    rule = get_object_or_404(Rule, pk=rule_id) if rule_id else None
    kind = rule.kind if rule is not None else request.GET.get("kind", "")
    if kind not in RuleKind.values:
        raise Http404
    if request.method == "POST":
        form = RuleForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                saved = do_save_rule(form.data_for_rule(), actor=request.user, instance=rule)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Saved the rule %(name)s.") % {"name": saved})
                return redirect("workflow:rules")
    else:
        form = RuleForm.for_rule(rule) if rule is not None else RuleForm(kind=kind)
    context = {"form": form, "rule": rule, "kind": RuleKind(kind)}
    status = 422 if request.method == "POST" else 200
    return render(request, "workflow/rules/form.html", context, status=status)


@login_required
@require_POST
def rule_delete(request: AuthenticatedRequest, rule_id: int) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    rule = get_object_or_404(Rule, pk=rule_id)
    do_delete_rule(rule, actor=request.user)
    messages.success(request, _("Deleted the rule %(name)s.") % {"name": rule.name})
    return redirect("workflow:rules")


def _moved(ids: list[int], pk: int, direction: str) -> list[int]:
    """The order with pk one place earlier ("up") or later ("down")."""
    index = ids.index(pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    return ids


@login_required
@require_POST
def rule_move(request: AuthenticatedRequest, rule_id: int) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    rule = get_object_or_404(Rule, pk=rule_id)
    ids = list(Rule.objects.filter(kind=rule.kind).values_list("pk", flat=True))
    order = _moved(ids, rule.pk, request.POST.get("direction", ""))
    do_reorder_rules(rule.kind, order, actor=request.user)
    return redirect(f"{reverse('workflow:rules')}#rule-{rule.pk}")


def _policy_rows(policies: list[SlaPolicy]) -> list[dict[str, Any]]:
    rows = []
    for index, policy in enumerate(policies):
        minutes = {(t.metric, t.priority): t.minutes for t in policy.targets.all()}
        rows.append(
            {
                "policy": policy,
                "conditions": Conditions(policy.conditions).describe(),
                "grid": [
                    (
                        metric.label,
                        [minutes_text(minutes.get((metric, priority))) for priority in Priority],
                    )
                    for metric in Metric
                ],
                # At the warning, then at the breach: the order they happen in.
                "escalations": sorted(
                    policy.escalations.all(), key=lambda e: (e.moment != Moment.WARNING, e.pk)
                ),
                "warning": minutes_text(policy.warning_minutes),
                "first": index == 0,
                "last": index == len(policies) - 1,
            }
        )
    return rows


@login_required
def policies(request: AuthenticatedRequest) -> HttpResponse:
    _require_staff(request)
    listed = list(
        SlaPolicy.objects.select_related("calendar")
        .prefetch_related("targets", "escalations")
        .order_by("position", "id")
    )
    context = {
        "rows": _policy_rows(listed),
        "priorities": Priority.choices,
        "can_edit": has_perm(request.user, Perm.CONFIGURE_WORKFLOW),
    }
    return render(request, "workflow/policies/list.html", context)


@login_required
def policy_edit(request: AuthenticatedRequest, policy_id: int | None = None) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    policy = get_object_or_404(SlaPolicy, pk=policy_id) if policy_id else None
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                saved = do_save_policy(form.data_for_policy(), actor=request.user, instance=policy)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Saved the SLA policy %(name)s.") % {"name": saved})
                return redirect("workflow:policies")
    else:
        form = PolicyForm.for_policy(policy) if policy is not None else PolicyForm()
    context = {"form": form, "policy": policy, "priorities": Priority.choices}
    status = 422 if request.method == "POST" else 200
    return render(request, "workflow/policies/form.html", context, status=status)


@login_required
@require_POST
def policy_delete(request: AuthenticatedRequest, policy_id: int) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    policy = get_object_or_404(SlaPolicy, pk=policy_id)
    do_delete_policy(policy, actor=request.user)
    messages.success(request, _("Deleted the SLA policy %(name)s.") % {"name": policy.name})
    return redirect("workflow:policies")


@login_required
@require_POST
def policy_move(request: AuthenticatedRequest, policy_id: int) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    policy = get_object_or_404(SlaPolicy, pk=policy_id)
    ids = list(SlaPolicy.objects.values_list("pk", flat=True))
    do_reorder_policies(
        _moved(ids, policy.pk, request.POST.get("direction", "")), actor=request.user
    )
    return redirect(f"{reverse('workflow:policies')}#policy-{policy.pk}")
