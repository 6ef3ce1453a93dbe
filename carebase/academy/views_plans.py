"""Onboarding plan pages.

- `/academy/plans/`: the plan templates (managers), each day with its items
  and its time against the plan's working day, lunch and admin included;
- `/academy/assign/`: give a plan to a trainee with a mentor (managers);
- `/academy/trainees/`: every active trainee's progress, most behind first
  (managers see all, mentors their mentees), in a fixed number of queries;
- `/academy/assignments/<pk>/`: one trainee's plan: today first, then what
  is overdue, then every day; the mentor and managers adjust it there;
- `/academy/my-plan/`: the trainee's own plan.
Reading goes through the plan: "Open the article" records the opening and
leads to the article; "I have read it" is accepted after that only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebase.academy.access import (
    access_assignment,
    may_adjust,
    may_manage,
    may_teach,
    require_manage,
    require_staff,
    visible_assignments,
)
from carebase.academy.actions_plans import (
    PlanError,
    do_add_assignment_item,
    do_add_plan_item,
    do_assign_plan,
    do_complete_item,
    do_copy_plan,
    do_create_plan,
    do_delete_plan_item,
    do_move_assignment_item,
    do_move_plan_item,
    do_open_item,
    do_remove_assignment_item,
    do_uncomplete_item,
    do_update_assignment_item,
    do_update_plan,
    do_update_plan_item,
    is_trainee,
)
from carebase.academy.forms_plans import AssignForm, ItemForm, PlanForm
from carebase.academy.models import (
    BREAK_KINDS,
    Assignment,
    AssignmentItem,
    ItemKind,
    Plan,
    PlanItem,
)
from carebase.academy.progress import (
    active_assignments,
    plan_dates,
    progress_for,
    progress_of,
)
from carebase.accounts.http import AuthenticatedRequest
from carebase.kb.access import readable_articles

# Access to what these pages change ------------------------------------------


def access_plan(user: Any, pk: int) -> Plan:
    """A plan template: managers only (403), 404 for what does not exist."""
    require_manage(user)
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def access_plan_item(user: Any, pk: int) -> PlanItem:
    require_manage(user)
    item = PlanItem.objects.select_related("plan").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def access_assignment_item(user: Any, pk: int) -> AssignmentItem:
    """An item of an assignment the user may see; 404 otherwise."""
    item = (
        AssignmentItem.objects.select_related(
            "assignment", "assignment__trainee", "assignment__mentor", "article", "quiz"
        )
        .filter(pk=pk, assignment__in=visible_assignments(user))
        .first()
    )
    if item is None:
        raise Http404
    return item


def trainees_for(user: Any) -> QuerySet[Assignment]:
    """The active assignments on the trainees page: all for managers, the
    mentees' for a mentor."""
    if may_manage(user):
        return active_assignments()
    if may_teach(user):
        return active_assignments().filter(mentor_id=user.pk)
    raise PermissionDenied


# Days of a plan, as the pages show them ---------------------------------------


@dataclass
class ItemRow:
    item: Any
    counts: bool
    done: bool = False
    overdue: bool = False


@dataclass
class Day:
    number: int
    date: date | None = None
    rows: list[ItemRow] = field(default_factory=list)
    minutes: int = 0  # every item, lunch and admin included
    break_minutes: int = 0
    day_minutes: int = 480
    today: bool = False

    @property
    def work_minutes(self) -> int:
        return self.minutes - self.break_minutes

    @property
    def over(self) -> int:
        """Minutes past the working day (0 when it fits)."""
        return max(0, self.minutes - self.day_minutes)

    @property
    def short(self) -> bool:
        """Less than half the day planned: the trainee will wonder what to do."""
        return self.minutes * 2 < self.day_minutes


def _days(items: list[Any], day_minutes: int, today: int = 0) -> list[Day]:
    days: dict[int, Day] = {}
    for item in items:
        day = days.setdefault(item.day, Day(item.day, day_minutes=day_minutes))
        counts = item.kind not in BREAK_KINDS
        done = getattr(item, "done_at", None) is not None
        day.rows.append(
            ItemRow(
                item,
                counts,
                done=done,
                overdue=counts and not done and 0 < item.day < today,
            )
        )
        day.minutes += item.minutes
        if not counts:
            day.break_minutes += item.minutes
        day.today = item.day == today
    return [days[number] for number in sorted(days)]


# Plans -------------------------------------------------------------------------


def plans_with_totals() -> QuerySet[Plan]:
    counted = ~Q(items__kind__in=BREAK_KINDS)
    active = (
        Assignment.objects.filter(plan=OuterRef("pk"), finished_at=None)
        .order_by()
        .values("plan")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Plan.objects.annotate(
        days=Coalesce(Max("items__day"), 0),
        item_count=Count("items", filter=counted),
        work_minutes=Coalesce(Sum("items__minutes", filter=counted), 0),
        active=Coalesce(Subquery(active, output_field=IntegerField()), 0),
    ).order_by("title", "pk")


@login_required
@require_GET
def plans(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    return render(request, "academy/plans/list.html", {"plans": plans_with_totals()})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = do_create_plan(**form.cleaned_data, actor=request.user)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Plan created: add its items day by day."))
            return redirect(plan)
    return render(request, "academy/plans/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    form = PlanForm(request.POST) if request.method == "POST" else PlanForm.for_plan(plan)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_plan(plan, **form.cleaned_data, actor=request.user)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Plan saved."))
            return redirect(plan)
    return render(request, "academy/plans/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_GET
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    items = list(plan.items.select_related("article", "quiz"))
    days = _days(items, plan.day_minutes)
    last_day = days[-1].number if days else 0
    context = {
        "plan": plan,
        "days": days,
        "last_day": last_day,
        "form": ItemForm(user=request.user, initial={"day": max(last_day, 1), "minutes": 30}),
        "assignments": plan.assignments.filter(finished_at=None).select_related(
            "trainee", "mentor"
        ),
        "work_minutes": sum(day.work_minutes for day in days),
    }
    return render(request, "academy/plans/plan.html", context)


@login_required
@require_POST
def plan_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    copy = do_copy_plan(plan, request.user)
    messages.success(request, _("Copied: change the copy as you need."))
    return redirect(copy)


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = do_add_plan_item(plan, form.item_data(), request.user)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added to day %(day)s: %(title)s.") % _named(item))
            return redirect(f"{plan.get_absolute_url()}#day-{item.day}")
    context = {"form": form, "plan": plan, "item": None, "back": plan.get_absolute_url()}
    return render(request, "academy/plans/item_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_plan_item(request.user, pk)
    plan = item.plan
    if request.method == "POST":
        form = ItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                do_update_plan_item(item, form.item_data(), request.user)
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved: %(title)s.") % _named(item))
                return redirect(f"{plan.get_absolute_url()}#day-{item.day}")
    else:
        form = ItemForm.for_item(item, request.user)
    context = {"form": form, "plan": plan, "item": item, "back": plan.get_absolute_url()}
    return render(request, "academy/plans/item_form.html", context)


@login_required
@require_POST
def plan_item_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_plan_item(request.user, pk)
    do_delete_plan_item(item, request.user)
    messages.success(request, _("Removed from the plan: %(title)s.") % _named(item))
    return redirect(f"{item.plan.get_absolute_url()}#day-{item.day}")


@login_required
@require_POST
def plan_item_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_plan_item(request.user, pk)
    do_move_plan_item(item, _step(request), request.user)
    return redirect(f"{item.plan.get_absolute_url()}#day-{item.day}")


def _step(request: AuthenticatedRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


def _named(item: Any) -> dict[str, Any]:
    return {"day": item.day, "title": item.title}


# Assigning ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    if request.method == "POST":
        form = AssignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assignment = do_assign_plan(
                    data["plan"],
                    trainee=data["trainee"],
                    mentor=data["mentor"],
                    start_date=data["start_date"],
                    meeting_every_days=data["meeting_every_days"],
                    actor=request.user,
                )
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(plan)s assigned to %(trainee)s.")
                    % {"plan": assignment.plan, "trainee": assignment.trainee},
                )
                return redirect(assignment)
    else:
        form = AssignForm(initial={"plan": request.GET.get("plan"), "meeting_every_days": 7})
    return render(request, "academy/plans/assign.html", {"form": form})


# Progress ------------------------------------------------------------------------


@login_required
@require_GET
def trainees(request: AuthenticatedRequest) -> HttpResponse:
    """Every active trainee the person mentors (managers: all), most behind
    first. Two queries whatever the number of trainees (progress_of)."""
    rows = progress_of(trainees_for(request.user))
    context = {"rows": rows, "manager": may_manage(request.user)}
    return render(request, "academy/plans/trainees.html", context)


@login_required
@require_GET
def my_plan(request: AuthenticatedRequest) -> HttpResponse:
    """The person's current plan; their last finished one when none is
    running; a page saying there is none otherwise."""
    require_staff(request.user)
    own = Assignment.objects.filter(trainee=request.user)
    current = own.filter(finished_at=None).order_by("-start_date", "-pk").first()
    current = current or own.order_by("-finished_at", "-pk").first()
    if current is not None:
        return redirect(current)
    return render(request, "academy/plans/no_plan.html")


@login_required
@require_GET
def assignment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk)
    progress = progress_for(assignment)
    items = list(assignment.items.select_related("article", "quiz"))
    days = _days(items, assignment.plan.day_minutes, today=progress.day)
    dates = plan_dates(assignment.start_date, days[-1].number if days else 0)
    for day in days:
        day.date = dates.get(day.number)
    today = next((day for day in days if day.today), None)
    overdue = [row for day in days for row in day.rows if row.overdue]
    adjust = may_adjust(request.user, assignment)
    context = {
        "assignment": assignment,
        "progress": progress,
        "days": days,
        "today": today,
        "overdue": overdue,
        "first_day": days[0] if days and progress.day == 0 else None,
        "own": is_trainee(request.user, assignment),
        "adjust": adjust,
        "meetings": assignment.meetings.all(),
        "form": ItemForm(user=request.user, initial={"day": max(progress.day, 1)})
        if adjust
        else None,
    }
    return render(request, "academy/plans/assignment.html", context)


def _back(item: AssignmentItem) -> HttpResponseRedirect:
    return redirect(f"{item.assignment.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def assignment_item_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open the article (or the video) through the plan: the trainee's first
    opening is recorded, then they go to it."""
    item = access_assignment_item(request.user, pk)
    if item.kind == ItemKind.READ:
        article = item.article
        if article is None or not readable_articles(request.user).filter(pk=article.pk).exists():
            messages.error(request, _("This article cannot be read now: ask your mentor."))
            return _back(item)
        do_open_item(item, request.user)
        return redirect(reverse("kb:article", args=[article.pk]))
    if item.kind == ItemKind.VIDEO and item.url:
        do_open_item(item, request.user)
        return HttpResponseRedirect(item.url)
    messages.error(request, _("There is nothing to open for this item."))
    return _back(item)


@login_required
@require_POST
def assignment_item_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_assignment_item(request.user, pk)
    try:
        do_complete_item(item, request.user)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: %(title)s.") % _named(item))
    return _back(item)


@login_required
@require_POST
def assignment_item_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_assignment_item(request.user, pk)
    try:
        do_uncomplete_item(item, request.user)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("To do again: %(title)s.") % _named(item))
    return _back(item)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_item_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk)
    if not may_adjust(request.user, assignment):
        raise PermissionDenied
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = do_add_assignment_item(assignment, form.item_data(), request.user)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added to day %(day)s: %(title)s.") % _named(item))
            return _back(item)
    context = {
        "form": form,
        "assignment": assignment,
        "item": None,
        "back": assignment.get_absolute_url(),
    }
    return render(request, "academy/plans/item_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_item_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_assignment_item(request.user, pk)
    if not may_adjust(request.user, item.assignment):
        raise PermissionDenied
    if request.method == "POST":
        form = ItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                do_update_assignment_item(item, form.item_data(), request.user)
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved: %(title)s.") % _named(item))
                return _back(item)
    else:
        form = ItemForm.for_item(item, request.user)
    context = {
        "form": form,
        "assignment": item.assignment,
        "item": item,
        "back": item.assignment.get_absolute_url(),
    }
    return render(request, "academy/plans/item_form.html", context)


@login_required
@require_POST
def assignment_item_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_assignment_item(request.user, pk)
    try:
        do_remove_assignment_item(item, request.user)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed from this plan: %(title)s.") % _named(item))
    return redirect(item.assignment)


@login_required
@require_POST
def assignment_item_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_assignment_item(request.user, pk)
    do_move_assignment_item(item, _step(request), request.user)
    return _back(item)
