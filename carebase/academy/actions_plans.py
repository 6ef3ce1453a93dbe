"""Onboarding plans: writing them, assigning them, adjusting a trainee's copy
and recording the trainee's progress.

Rules kept here, whatever page or request calls them:
- a plan's items are copied when it is assigned, so that a trainee's plan
  can change without touching the template, nor the template without
  changing the plans already given;
- a mentor holds the right to teach, and is not the trainee; a trainee
  works through one plan at a time;
- reading is recorded when the trainee opens the article through the plan
  and then confirms it, with the version read; a quiz item is done when the
  trainee passes the quiz, never by a click; lunch and admin time are never
  progress;
- an assignment is finished when every item that counts is done, and
  unfinished again when one is undone or added.
Refusals of the input are PlanError (a ValueError with a translated
message: 422 in the API, a form error on the pages); refusals of the person
are PermissionDenied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.academy.access import may_adjust
from carebase.academy.models import (
    BREAK_KINDS,
    Assignment,
    AssignmentItem,
    Attempt,
    EventKind,
    ItemKind,
    Meeting,
    Plan,
    PlanItem,
    PlanRole,
    Quiz,
    QuizKind,
)
from carebase.academy.progress import date_of_day, next_working_day
from carebase.core.access import Perm, has_perm, is_staff_member
from carebase.core.events import record_event
from carebase.core.hours import default_schedule
from carebase.core.roles import STAFF_ROLES, Role

MAX_DAY = 250  # a year of working days: beyond it, a typo
MAX_MINUTES = 600
MEETING_TIME = time(10, 0)
# Kinds the trainee confirms with a click (reading needs the article opened
# first; a quiz is done by passing it).
CONFIRMED_BY_TRAINEE = (
    ItemKind.READ,
    ItemKind.VIDEO,
    ItemKind.TASK,
    ItemKind.MEETING,
    ItemKind.SHADOW,
    ItemKind.SETUP,
)
OPENED_KINDS = (ItemKind.READ, ItemKind.VIDEO)


class PlanError(ValueError):
    """The plan, item or assignment asked for cannot be; the message says why."""


# People ----------------------------------------------------------------------


def staff_people() -> QuerySet[Any]:
    """Active people who work here: who may be given a plan."""
    from carebase.accounts.models import User

    names = [role.value for role in STAFF_ROLES]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=names) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def teachers() -> QuerySet[Any]:
    """Active people who hold the right to teach: who may mentor."""
    from carebase.accounts.models import User
    from carebase.core.access import ROLE_PERMS

    names = [role.value for role in Role if Perm.TEACH in ROLE_PERMS[role]]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=names) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# Items -------------------------------------------------------------------------


@dataclass
class ItemData:
    """What a plan's item and a trainee's copy of it are made of."""

    day: int
    kind: str
    title: str
    minutes: int = 30
    description: str = ""
    article: Any = None
    url: str = ""
    quiz: Quiz | None = None
    position: int | None = None  # None: after the day's last item


def check_item(data: ItemData, actor: Any = None) -> ItemData:
    """The item as it may be kept: PlanError names what is wrong. Only the
    field of its kind is kept (an article for reading, an address for a
    video, a quiz for a quiz). With an actor, the article must be one they
    may read and the quiz one they may see."""
    from carebase.academy.access import visible_quizzes
    from carebase.kb.access import readable_articles

    if data.kind not in ItemKind.values:
        raise PlanError(_("Choose what kind of item this is."))
    if not 1 <= data.day <= MAX_DAY:
        raise PlanError(_("The day must be between 1 and %(most)s.") % {"most": MAX_DAY})
    if not 1 <= data.minutes <= MAX_MINUTES:
        raise PlanError(
            _("The estimated time must be between 1 and %(most)s minutes.") % {"most": MAX_MINUTES}
        )
    title = data.title.strip()
    if not title:
        raise PlanError(_("Give the item a title."))
    if len(title) > 200:
        raise PlanError(_("The title is longer than 200 characters."))
    if data.position is not None and data.position < 0:
        raise PlanError(_("The position cannot be negative."))
    article = data.article if data.kind == ItemKind.READ else None
    url = data.url.strip() if data.kind == ItemKind.VIDEO else ""
    quiz = data.quiz if data.kind == ItemKind.QUIZ else None
    if data.kind == ItemKind.READ:
        if article is None:
            raise PlanError(_("Choose the article to read."))
        if actor is not None and not readable_articles(actor).filter(pk=article.pk).exists():
            raise PlanError(_("Choose a published article you may read."))
    if data.kind == ItemKind.VIDEO and not url:
        raise PlanError(_("Give the address of the video."))
    if data.kind == ItemKind.VIDEO and not url.lower().startswith(("https://", "http://")):
        raise PlanError(_("The video's address must begin with https:// or http://."))
    if data.kind == ItemKind.QUIZ:
        if quiz is None:
            raise PlanError(_("Choose the quiz to take."))
        if quiz.kind == QuizKind.REFRESHER:
            raise PlanError(_("A refresher is made for certified agents, not for a plan."))
        if actor is not None and not visible_quizzes(actor).filter(pk=quiz.pk).exists():
            raise PlanError(_("Choose a quiz you may see."))
    return ItemData(
        day=data.day,
        kind=data.kind,
        title=title,
        minutes=data.minutes,
        description=data.description.strip(),
        article=article,
        url=url,
        quiz=quiz,
        position=data.position,
    )


def _fields(data: ItemData) -> dict[str, Any]:
    return {
        "day": data.day,
        "kind": data.kind,
        "title": data.title,
        "minutes": data.minutes,
        "description": data.description,
        "article": data.article,
        "url": data.url,
        "quiz": data.quiz,
    }


def _next_position(items: QuerySet[Any], day: int) -> int:
    last = items.filter(day=day).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


# Plans -------------------------------------------------------------------------


def _check_plan(title: str, day_minutes: int, role: str) -> str:
    title = title.strip()
    if not title:
        raise PlanError(_("Give the plan a title."))
    if len(title) > 200:
        raise PlanError(_("The title is longer than 200 characters."))
    if not 60 <= day_minutes <= 720:
        raise PlanError(_("A working day lasts between 60 and 720 minutes."))
    if role not in PlanRole.values:
        raise PlanError(_("Choose whom the plan is for."))
    return title


@transaction.atomic
def do_create_plan(
    *,
    title: str,
    role: str = PlanRole.SUPPORT_AGENT,
    description: str = "",
    day_minutes: int = 480,
    items: list[ItemData] | None = None,
    actor: Any = None,
) -> Plan:
    plan = Plan.objects.create(
        title=_check_plan(title, day_minutes, role),
        role=role,
        description=description.strip(),
        day_minutes=day_minutes,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    for data in items or []:
        do_add_plan_item(plan, data, actor)
    return plan


def do_update_plan(
    plan: Plan, *, title: str, role: str, description: str, day_minutes: int, actor: Any = None
) -> Plan:
    plan.title = _check_plan(title, day_minutes, role)
    plan.role = role
    plan.description = description.strip()
    plan.day_minutes = day_minutes
    plan.save(update_fields=["title", "role", "description", "day_minutes"])
    return plan


@transaction.atomic
def do_add_plan_item(plan: Plan, data: ItemData, actor: Any = None) -> PlanItem:
    data = check_item(data, actor)
    position = data.position
    if position is None:
        position = _next_position(plan.items.all(), data.day)
    return PlanItem.objects.create(plan=plan, position=position, **_fields(data))


@transaction.atomic
def do_update_plan_item(item: PlanItem, data: ItemData, actor: Any = None) -> PlanItem:
    data = check_item(data, actor)
    if data.position is None:
        data.position = (
            item.position
            if data.day == item.day
            else _next_position(PlanItem.objects.filter(plan_id=item.plan_id), data.day)
        )
    for name, value in _fields(data).items():
        setattr(item, name, value)
    item.position = data.position
    item.save()
    return item


def do_delete_plan_item(item: PlanItem, actor: Any = None) -> None:
    # Assignments hold copies: deleting from the template changes none of them.
    item.delete()


def _move(items: QuerySet[Any], item: Any, step: int) -> None:
    """Swap the item with its neighbour in its day (step -1: up, +1: down),
    numbering the day's items afresh so that equal positions cannot stall."""
    day = list(items.filter(day=item.day).order_by("position", "pk"))
    index = next(number for number, row in enumerate(day) if row.pk == item.pk)
    other = index + step
    if 0 <= other < len(day):
        day[index], day[other] = day[other], day[index]
    for position, row in enumerate(day):
        row.position = position
    type(item).objects.bulk_update(day, ["position"])


@transaction.atomic
def do_move_plan_item(item: PlanItem, step: int, actor: Any = None) -> None:
    _move(PlanItem.objects.select_for_update().filter(plan_id=item.plan_id), item, step)


@transaction.atomic
def do_copy_plan(plan: Plan, actor: Any = None) -> Plan:
    copy = Plan.objects.create(
        title=(_("%(title)s (copy)") % {"title": plan.title})[:200],
        role=plan.role,
        description=plan.description,
        day_minutes=plan.day_minutes,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    PlanItem.objects.bulk_create(
        PlanItem(plan=copy, position=item.position, **_item_copy(item)) for item in plan.items.all()
    )
    return copy


def _item_copy(item: Any) -> dict[str, Any]:
    return {
        "day": item.day,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "minutes": item.minutes,
        "article_id": item.article_id,
        "url": item.url,
        "quiz_id": item.quiz_id,
    }


# Assigning ---------------------------------------------------------------------


def meeting_dates(start_date: date, plan_days: int, every_days: int) -> list[date]:
    """The mentor's meetings: every `every_days` calendar days from the
    start, over the plan's length rounded up to whole weeks (at least one),
    each moved forward to a working day."""
    schedule = default_schedule()
    last = date_of_day(start_date, max(plan_days, 1))
    weeks = max(1, math.ceil(((last - start_date).days + 1) / 7))
    count = max(1, math.ceil(weeks * 7 / every_days))
    dates: list[date] = []
    for number in range(1, count + 1):
        day = next_working_day(start_date + timedelta(days=number * every_days), schedule)
        if day not in dates:  # short intervals can meet a long weekend twice
            dates.append(day)
    return dates


def meeting_moment(day: date) -> datetime:
    return datetime.combine(day, MEETING_TIME, default_schedule().zone)


def _refusal(plan: Plan, trainee: Any, mentor: Any, every_days: int) -> str | None:
    if trainee is None or mentor is None:
        return _("Choose the trainee and the mentor.")
    if trainee.pk == mentor.pk:
        return _("A trainee cannot be their own mentor.")
    if not is_staff_member(trainee):
        return _("%(name)s does not work here: only staff are given plans.") % {"name": trainee}
    if not has_perm(mentor, Perm.TEACH):
        return _("%(name)s may not mentor: give them the mentor's role first.") % {"name": mentor}
    if not 1 <= every_days <= 31:
        return _("Meetings are held every 1 to 31 days.")
    if not plan.items.exclude(kind__in=BREAK_KINDS).exists():
        return _("This plan has nothing to do yet: add items to it first.")
    return None


# Plans start near today: a start far away is a typing mistake (and dates
# near the calendar's end leave no room for the plan's days).
START_RANGE = timedelta(days=5 * 366)


def do_assign_plan(
    plan: Plan,
    *,
    trainee: Any,
    mentor: Any,
    start_date: date,
    actor: Any = None,
    meeting_every_days: int = 7,
) -> Assignment:
    """Give a trainee a copy of the plan, with a mentor, a start date and the
    mentor's meetings scheduled. PlanError when it cannot be."""
    from carebase.accounts.models import User

    refusal = _refusal(plan, trainee, mentor, meeting_every_days)
    if refusal is not None:
        raise PlanError(refusal)
    today = timezone.localdate()
    if not today - START_RANGE <= start_date <= today + START_RANGE:
        raise PlanError(_("A plan starts within five years before or after today."))
    with transaction.atomic():
        # The trainee's row is locked, so two heads assigning at once cannot
        # both find the trainee free.
        User.objects.select_for_update().filter(pk=trainee.pk).first()
        if Assignment.objects.filter(trainee=trainee, finished_at=None).exists():
            raise PlanError(
                _("%(name)s is already working through a plan; finish or remove it first.")
                % {"name": trainee}
            )
        assignment = Assignment.objects.create(
            plan=plan,
            trainee=trainee,
            mentor=mentor,
            start_date=start_date,
            assigned_by=actor if actor is not None and actor.is_authenticated else None,
            meeting_every_days=meeting_every_days,
        )
        items = list(plan.items.all())
        AssignmentItem.objects.bulk_create(
            AssignmentItem(assignment=assignment, position=item.position, **_item_copy(item))
            for item in items
        )
        plan_days = max((item.day for item in items), default=1)
        Meeting.objects.bulk_create(
            Meeting(assignment=assignment, scheduled_at=meeting_moment(day))
            for day in meeting_dates(start_date, plan_days, meeting_every_days)
        )
        record_event(
            EventKind.PLAN_ASSIGNED,
            assignment,
            actor,
            plan=plan.pk,
            trainee=trainee.pk,
            mentor=mentor.pk,
            start=start_date.isoformat(),
        )
    return assignment


# Adjusting one trainee's plan ------------------------------------------------------


def _require_adjust(actor: Any, assignment: Assignment) -> None:
    if not may_adjust(actor, assignment):
        raise PermissionDenied(_("Only managers and the trainee's mentor change a plan."))


@transaction.atomic
def do_add_assignment_item(assignment: Assignment, data: ItemData, actor: Any) -> AssignmentItem:
    _require_adjust(actor, assignment)
    data = check_item(data, actor)
    position = data.position
    if position is None:
        position = _next_position(assignment.items.all(), data.day)
    item = AssignmentItem.objects.create(assignment=assignment, position=position, **_fields(data))
    _settle(assignment)
    return item


@transaction.atomic
def do_update_assignment_item(item: AssignmentItem, data: ItemData, actor: Any) -> AssignmentItem:
    """Move an item to another day or position, or change its time, title or
    what it points to. What the trainee has done of it stays done."""
    assignment = item.assignment
    _require_adjust(actor, assignment)
    data = check_item(data, actor)
    if data.position is None:
        data.position = (
            item.position
            if data.day == item.day
            else _next_position(assignment.items.all(), data.day)
        )
    changed_target = (item.kind, item.article_id, item.url, item.quiz_id) != (
        data.kind,
        getattr(data.article, "pk", None),
        data.url,
        getattr(data.quiz, "pk", None),
    )
    for name, value in _fields(data).items():
        setattr(item, name, value)
    item.position = data.position
    if changed_target:
        # Something else to read, watch or take: what was done was another thing.
        item.opened_at = item.done_at = item.article_version_read = None
    item.save()
    _settle(assignment)
    return item


@transaction.atomic
def do_move_assignment_item(item: AssignmentItem, step: int, actor: Any) -> None:
    _require_adjust(actor, item.assignment)
    _move(
        AssignmentItem.objects.select_for_update().filter(assignment_id=item.assignment_id),
        item,
        step,
    )


@transaction.atomic
def do_remove_assignment_item(item: AssignmentItem, actor: Any) -> None:
    assignment = item.assignment
    _require_adjust(actor, assignment)
    item.delete()
    _settle(assignment)


# Progress ------------------------------------------------------------------------


def is_trainee(user: Any, assignment: Assignment) -> bool:
    return bool(getattr(user, "pk", None) is not None and assignment.trainee_id == user.pk)


def do_open_item(item: AssignmentItem, user: Any) -> AssignmentItem:
    """The trainee opens the article or video through the plan: the first
    opening is recorded (a mentor looking at it records nothing)."""
    if item.kind not in OPENED_KINDS:
        raise PlanError(_("Only articles and videos are opened through the plan."))
    if is_trainee(user, item.assignment) and item.opened_at is None:
        item.opened_at = timezone.now()
        # Conditional: a second tab opening at the same moment keeps the first time.
        AssignmentItem.objects.filter(pk=item.pk, opened_at=None).update(opened_at=item.opened_at)
    return item


def _refusal_to_complete(item: AssignmentItem, user: Any) -> str | None:
    assignment = item.assignment
    if item.kind in BREAK_KINDS:
        return _("Lunch and admin time are part of the day, not something to tick off.")
    if item.kind == ItemKind.QUIZ and item.quiz_id is not None:
        return _("A quiz is ticked off by itself when you pass it.")
    trainee = is_trainee(user, assignment)
    mentor = item.kind == ItemKind.MEETING and may_adjust(user, assignment)
    if not (trainee or mentor):
        raise PermissionDenied(_("Only the trainee confirms this item."))
    if item.kind == ItemKind.READ and item.opened_at is None:
        return _("Open the article through your plan first, then confirm you have read it.")
    return None


@transaction.atomic
def do_complete_item(item: AssignmentItem, user: Any) -> AssignmentItem:
    """The trainee confirms an item (the mentor may confirm a meeting). A
    reading keeps the article's live version as the version read."""
    item = AssignmentItem.objects.select_for_update().select_related("assignment").get(pk=item.pk)
    refusal = _refusal_to_complete(item, user)
    if refusal is not None:
        raise PlanError(refusal)
    if item.done_at is not None:
        return item  # again: the first confirmation stands
    item.done_at = timezone.now()
    if item.kind == ItemKind.READ and item.article is not None:
        item.article_version_read = item.article.version
    item.save(update_fields=["done_at", "article_version_read"])
    _record_done(item, user)
    _settle(item.assignment)
    return item


def _record_done(item: AssignmentItem, actor: Any) -> None:
    record_event(
        EventKind.ITEM_DONE,
        item.assignment,
        actor,
        item=item.pk,
        item_kind=item.kind,
        title=item.title,
        day=item.day,
        version=item.article_version_read,
    )


@transaction.atomic
def do_uncomplete_item(item: AssignmentItem, user: Any) -> AssignmentItem:
    """The mentor or a manager sends an item back to do again."""
    item = AssignmentItem.objects.select_for_update().select_related("assignment").get(pk=item.pk)
    _require_adjust(user, item.assignment)
    if item.done_at is None:
        return item
    item.done_at = None
    item.article_version_read = None
    item.save(update_fields=["done_at", "article_version_read"])
    _settle(item.assignment)
    return item


def on_attempt_graded(attempt: Attempt) -> None:
    """A graded attempt: when it passed, the trainee's unfinished quiz items
    for that quiz are done."""
    if not attempt.passed:
        return
    with transaction.atomic():
        items = list(
            AssignmentItem.objects.select_for_update()
            .select_related("assignment")
            .filter(
                assignment__trainee_id=attempt.user_id,
                assignment__finished_at=None,
                kind=ItemKind.QUIZ,
                quiz_id=attempt.quiz_id,
                done_at=None,
            )
        )
        now = timezone.now()
        for item in items:
            item.done_at = now
        AssignmentItem.objects.bulk_update(items, ["done_at"])
        for item in items:
            record_event(
                EventKind.ITEM_DONE,
                item.assignment,
                None,
                item=item.pk,
                item_kind=item.kind,
                title=item.title,
                day=item.day,
                attempt=attempt.pk,
            )
        for assignment in {item.assignment_id: item.assignment for item in items}.values():
            _settle(assignment)


def _settle(assignment: Assignment) -> None:
    """Finished when every item that counts is done; unfinished otherwise."""
    open_items = (
        AssignmentItem.objects.filter(assignment_id=assignment.pk, done_at=None)
        .exclude(kind__in=BREAK_KINDS)
        .exists()
    )
    finished_at = None if open_items else (assignment.finished_at or timezone.now())
    if finished_at is None and assignment.finished_at is not None:
        # Reopening a finished plan must not give the trainee two at once.
        others = Assignment.objects.filter(trainee_id=assignment.trainee_id, finished_at=None)
        if others.exclude(pk=assignment.pk).exists():
            raise PlanError(_("The trainee has moved on to another plan; change that one instead."))
    if finished_at != assignment.finished_at:
        assignment.finished_at = finished_at
        assignment.save(update_fields=["finished_at"])
