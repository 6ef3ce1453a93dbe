"""Onboarding plans, assignments and progress over the REST API.

- plans (`/academy/plans`): managers read and write the templates;
- assignments (`/academy/assignments`): scoped as on the pages: managers
  see all, a mentor their mentees' (and their own), anyone their own;
  managers assign; the trainee opens and completes their items;
- progress (`/academy/progress`): the trainees table as on
  `/academy/trainees/`, most behind first (managers and mentors).
Refused input answers 422 with a message, what the caller may not see 404,
what they may see but not do 403.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from carebase.academy.access import (
    access_assignment,
    require_manage,
    require_staff,
    visible_assignments,
    visible_quizzes,
)
from carebase.academy.actions_plans import (
    MAX_DAY,
    MAX_MINUTES,
    ItemData,
    PlanError,
    do_assign_plan,
    do_complete_item,
    do_create_plan,
    do_open_item,
)
from carebase.academy.models import (
    BREAK_KINDS,
    Assignment,
    AssignmentItem,
    ItemKind,
    Plan,
    PlanRole,
)
from carebase.academy.progress import Progress, plan_dates, progress_for, progress_of
from carebase.academy.views_plans import access_plan, plans_with_totals, trainees_for
from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.kb.access import readable_articles

router = Router(tags=["academy"])


# Schemas -----------------------------------------------------------------------


class PlanItemIn(Schema):
    day: int = Field(ge=1, le=MAX_DAY, description="The working day, from 1.")
    kind: ItemKind
    title: str = Field(min_length=1, max_length=200)
    minutes: int = Field(30, ge=1, le=MAX_MINUTES, description="Estimated minutes.")
    description: str = Field("", max_length=5000)
    article: Id | None = Field(None, description="For `read`: the article to read.")
    url: str = Field("", max_length=500, description="For `video`: its https address.")
    quiz: Id | None = Field(None, description="For `quiz`: the quiz to pass.")
    position: int | None = Field(
        None, ge=0, le=1000, description="Order in the day; null: after the last."
    )


class PlanIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    role: PlanRole = PlanRole.SUPPORT_AGENT
    description: str = Field("", max_length=5000)
    day_minutes: int = Field(480, ge=60, le=720, description="A working day, breaks included.")
    items: list[PlanItemIn] = Field(default_factory=list, max_length=1000)


class PlanItemOut(Schema):
    id: int
    day: int
    position: int
    kind: ItemKind
    title: str
    description: str
    minutes: int
    article: int | None
    url: str
    quiz: int | None
    counts: bool = Field(description="False for lunch and admin time: never progress.")


class PlanOut(Schema):
    id: int
    title: str
    role: PlanRole
    description: str
    day_minutes: int
    days: int = Field(description="The plan's last working day.")
    item_count: int = Field(description="Items that count (lunch and admin time do not).")
    work_minutes: int
    active: int = Field(description="Trainees working through it now.")


class PlanList(Schema):
    items: list[PlanOut]
    next: str | None


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]


class ProgressOut(Schema):
    assignment: int
    trainee: int
    trainee_name: str
    mentor: int
    mentor_name: str
    plan: int
    plan_title: str
    start_date: date
    finished_at: datetime | None
    day: int = Field(description="Today's working day of the plan (0 before the start).")
    days: int = Field(description="The plan's last working day.")
    items_done: int
    items_total: int
    minutes_done: int
    minutes_total: int
    percent: int = Field(description="Done, weighted by estimated minutes.")
    today_left: int = Field(description="Today's items not done.")
    due_left: int = Field(description="Items of today and past days not done.")
    behind_items: int = Field(description="Items of past days not done.")
    behind_minutes: int
    behind_days: int = Field(description="How many working days back the oldest of them is.")
    state: str = Field(description="`ok`, `amber` (1 day behind) or `red` (2 or more).")
    next_meeting: datetime | None


class ProgressList(Schema):
    items: list[ProgressOut]


class AssignmentOut(Schema):
    id: int
    plan: int
    trainee: int
    mentor: int
    start_date: date
    finished_at: datetime | None
    meeting_every_days: int
    progress: ProgressOut


class AssignmentList(Schema):
    items: list[AssignmentOut]
    next: str | None


class AssignmentItemOut(PlanItemOut):
    date: dt.date | None = Field(description="The date of its working day.")
    opened_at: datetime | None = Field(description="When the trainee opened it (read, video).")
    done_at: datetime | None
    article_version_read: int | None = Field(description="For `read`: the version confirmed.")


class MeetingOut(Schema):
    id: int
    scheduled_at: datetime
    held_at: datetime | None


class AssignmentDetailOut(AssignmentOut):
    items: list[AssignmentItemOut]
    meetings: list[MeetingOut]


class AssignmentIn(Schema):
    plan: Id
    trainee: Id
    mentor: Id
    start_date: date
    meeting_every_days: int = Field(7, ge=1, le=31)


class AssignmentFilters(Schema):
    active: bool | None = Field(None, description="true: unfinished only; false: finished only.")
    trainee: Id | None = None


class OpenedOut(Schema):
    item: AssignmentItemOut
    url: str = Field(description="Where to read or watch it.")


# Shaping -----------------------------------------------------------------------


def _item(item: Any, dates: dict[int, date] | None = None) -> dict[str, Any]:
    row = {
        "id": item.pk,
        "day": item.day,
        "position": item.position,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "minutes": item.minutes,
        "article": item.article_id,
        "url": item.url,
        "quiz": item.quiz_id,
        "counts": item.kind not in BREAK_KINDS,
    }
    if isinstance(item, AssignmentItem):
        row.update(
            date=(dates or {}).get(item.day),
            opened_at=item.opened_at,
            done_at=item.done_at,
            article_version_read=item.article_version_read,
        )
    return row


def progress_row(progress: Progress) -> dict[str, Any]:
    assignment = progress.assignment
    return {
        "assignment": assignment.pk,
        "trainee": assignment.trainee_id,
        "trainee_name": str(assignment.trainee),
        "mentor": assignment.mentor_id,
        "mentor_name": str(assignment.mentor),
        "plan": assignment.plan_id,
        "plan_title": assignment.plan.title,
        "start_date": assignment.start_date,
        "finished_at": assignment.finished_at,
        "day": progress.day,
        "days": progress.days,
        "items_done": progress.items_done,
        "items_total": progress.items_total,
        "minutes_done": progress.minutes_done,
        "minutes_total": progress.minutes_total,
        "percent": progress.percent,
        "today_left": progress.today_left,
        "due_left": progress.due_left,
        "behind_items": progress.behind_items,
        "behind_minutes": progress.behind_minutes,
        "behind_days": progress.behind_days,
        "state": progress.state,
        "next_meeting": progress.next_meeting,
    }


def _assignment(progress: Progress) -> dict[str, Any]:
    assignment = progress.assignment
    return {
        "id": assignment.pk,
        "plan": assignment.plan_id,
        "trainee": assignment.trainee_id,
        "mentor": assignment.mentor_id,
        "start_date": assignment.start_date,
        "finished_at": assignment.finished_at,
        "meeting_every_days": assignment.meeting_every_days,
        "progress": progress_row(progress),
    }


def _assignment_detail(assignment: Assignment) -> dict[str, Any]:
    progress = progress_for(assignment)
    items = list(assignment.items.all())
    dates = plan_dates(assignment.start_date, max((item.day for item in items), default=0))
    return {
        **_assignment(progress),
        "items": [_item(item, dates) for item in items],
        "meetings": list(assignment.meetings.values("id", "scheduled_at", "held_at")),
    }


def _plan_detail(plan_id: int) -> dict[str, Any]:
    plan = plans_with_totals().get(pk=plan_id)
    return {
        **{name: getattr(plan, name) for name in PlanOut.model_fields if name != "items"},
        "items": [_item(item) for item in plan.items.all()],
    }


def _refused(error: PlanError) -> HttpError:
    return HttpError(422, str(error))


def _item_data(user: Any, body: PlanItemIn) -> ItemData:
    """The item with its article and quiz looked up as the caller may see
    them: one they may not is no article at all (422)."""
    article = quiz = None
    if body.kind == ItemKind.READ and body.article is not None:
        article = readable_articles(user).filter(pk=body.article).first()
        if article is None:
            raise HttpError(422, "No published article you may read has this id.")
    if body.kind == ItemKind.QUIZ and body.quiz is not None:
        quiz = visible_quizzes(user).filter(pk=body.quiz).first()
        if quiz is None:
            raise HttpError(422, "No quiz you may see has this id.")
    return ItemData(
        day=body.day,
        kind=body.kind,
        title=body.title,
        minutes=body.minutes,
        description=body.description,
        article=article,
        url=body.url,
        quiz=quiz,
        position=body.position,
    )


# Plans -------------------------------------------------------------------------


@router.get("/academy/plans", response={200: PlanList, **ERRORS}, summary="List onboarding plans")
def list_plans(request: AuthenticatedRequest, page: Query[PageParams]) -> dict[str, Any]:
    """The plan templates, with their length and work time (managers)."""
    require_manage(request.user)
    return paginate(plans_with_totals(), page.cursor, page.limit)


@router.get(
    "/academy/plans/{plan_id}",
    response={200: PlanDetailOut, **ERRORS},
    summary="Get a plan with its items",
)
def get_plan(request: AuthenticatedRequest, plan_id: Id) -> dict[str, Any]:
    plan = access_plan(request.user, plan_id)
    return _plan_detail(plan.pk)


@router.post(
    "/academy/plans", response={201: PlanDetailOut, **ERRORS}, summary="Create an onboarding plan"
)
def create_plan(request: AuthenticatedRequest, body: PlanIn) -> Status:
    """A plan with its items (managers). Lunch and admin time are items too
    (`lunch`, `admin`), so that each day is as long as a real one."""
    require_manage(request.user)
    items = [_item_data(request.user, item) for item in body.items]
    try:
        plan = do_create_plan(
            title=body.title,
            role=body.role,
            description=body.description,
            day_minutes=body.day_minutes,
            items=items,
            actor=request.user,
        )
    except PlanError as error:
        raise _refused(error) from error
    return Status(201, _plan_detail(plan.pk))


# Assignments -------------------------------------------------------------------


@router.get(
    "/academy/assignments",
    response={200: AssignmentList, **ERRORS},
    summary="List assignments of plans",
)
def list_assignments(
    request: AuthenticatedRequest, filters: Query[AssignmentFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Managers see every assignment, a mentor their mentees' and their own,
    anyone else their own; each with its progress."""
    require_staff(request.user)
    assignments = visible_assignments(request.user)
    if filters.active is not None:
        assignments = assignments.filter(finished_at__isnull=filters.active)
    if filters.trainee is not None:
        assignments = assignments.filter(trainee_id=filters.trainee)
    listed = paginate(assignments, page.cursor, page.limit)
    ids = [assignment.pk for assignment in listed["items"]]
    rows = progress_of(Assignment.objects.filter(pk__in=ids))
    progress = {row.assignment.pk: row for row in rows}
    return {"items": [_assignment(progress[pk]) for pk in ids], "next": listed["next"]}


@router.post(
    "/academy/assignments",
    response={201: AssignmentDetailOut, **ERRORS},
    summary="Assign a plan to a trainee",
)
def create_assignment(request: AuthenticatedRequest, body: AssignmentIn) -> Status:
    """Managers give a trainee a copy of a plan with a mentor (who holds the
    right to teach) and a start date; the mentor's meetings are scheduled.
    422 when the trainee already works through a plan, the mentor may not
    teach, or the trainee would mentor themself."""
    from carebase.accounts.models import User

    require_manage(request.user)
    plan = Plan.objects.filter(pk=body.plan).first()
    if plan is None:
        raise HttpError(422, "No plan has this id.")
    people = User.objects.in_bulk([body.trainee, body.mentor])
    trainee, mentor = people.get(body.trainee), people.get(body.mentor)
    if trainee is None or mentor is None:
        raise HttpError(422, "No user has the trainee's or the mentor's id.")
    try:
        assignment = do_assign_plan(
            plan,
            trainee=trainee,
            mentor=mentor,
            start_date=body.start_date,
            meeting_every_days=body.meeting_every_days,
            actor=request.user,
        )
    except PlanError as error:
        raise _refused(error) from error
    return Status(201, _assignment_detail(assignment))


@router.get(
    "/academy/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **ERRORS},
    summary="Get an assignment with its items and progress",
)
def get_assignment(request: AuthenticatedRequest, assignment_id: Id) -> dict[str, Any]:
    return _assignment_detail(access_assignment(request.user, assignment_id))


def _access_item(user: Any, assignment_id: int, item_id: int) -> AssignmentItem:
    assignment = access_assignment(user, assignment_id)
    item = assignment.items.select_related("assignment", "article").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _item_out(item: AssignmentItem) -> dict[str, Any]:
    item.refresh_from_db()
    dates = plan_dates(item.assignment.start_date, item.day)
    return _item(item, dates)


@router.post(
    "/academy/assignments/{assignment_id}/items/{item_id}/open",
    response={200: OpenedOut, **ERRORS},
    summary="Open an article or video item",
)
def open_item(request: AuthenticatedRequest, assignment_id: Id, item_id: Id) -> dict[str, Any]:
    """The trainee opens the item's article or video: the first opening is
    recorded (reading is confirmed after it only). Answers where to go."""
    item = _access_item(request.user, assignment_id, item_id)
    if item.kind == ItemKind.READ:
        article = item.article
        if article is None or not readable_articles(request.user).filter(pk=article.pk).exists():
            raise HttpError(422, "This article cannot be read now.")
        url = article.get_absolute_url()
    else:
        url = item.url
    try:
        do_open_item(item, request.user)
    except PlanError as error:
        raise _refused(error) from error
    return {"item": _item_out(item), "url": url}


@router.post(
    "/academy/assignments/{assignment_id}/items/{item_id}/complete",
    response={200: AssignmentItemOut, **ERRORS},
    summary="Complete an item",
)
def complete_item(request: AuthenticatedRequest, assignment_id: Id, item_id: Id) -> dict[str, Any]:
    """The trainee confirms an item (again: the first confirmation stands);
    the mentor may confirm a meeting. 422 for an article not opened yet, a
    quiz (done by passing it) or lunch and admin time; 403 for anyone else."""
    item = _access_item(request.user, assignment_id, item_id)
    try:
        item = do_complete_item(item, request.user)
    except PlanError as error:
        raise _refused(error) from error
    return _item_out(item)


@router.get(
    "/academy/progress",
    response={200: ProgressList, **ERRORS},
    summary="Every active trainee's progress",
)
def trainees_progress(request: AuthenticatedRequest) -> dict[str, Any]:
    """Managers see every trainee working through a plan, a mentor their
    mentees, most behind first; anyone else 403."""
    return {"items": [progress_row(row) for row in progress_of(trainees_for(request.user))]}
