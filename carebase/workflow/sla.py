"""SLA clocks: started on arrival by the first matching policy, moved by the
conversation's changes (tickets.signals), swept every minute for warnings
and breaches.

- first response: from arrival to the first public reply that counts as one
  (tickets' own rule, shared with the KPI);
- next update: from each public reply of an agent to the next one, while the
  request is open: "acknowledge at once, then keep them informed";
- resolution: from arrival to solved.

All of them pause while the conversation is pending (waiting for the
customer), and on hold when the policy says so; a paused clock keeps what it
had used and runs on from there. Time is business time on the clock's
calendar unless the policy counts calendar hours; one clock module
(core.hours) does the arithmetic. A clock keeps its own copy of its target,
hours and warning, so that a changed policy applies to new clocks only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carebase.core.hours import Schedule, conversation_calendar, default_schedule, schedule_of
from carebase.core.models import Calendar
from carebase.tickets.actions import record_ticket_event
from carebase.tickets.models import ACTIVE_STATUSES, EventKind, Status, Ticket, urgency_at
from carebase.tickets.signals import Arrival
from carebase.workflow.conditions import Conditions, Facts, facts_of
from carebase.workflow.models import ClockState, Metric, SlaClock, SlaPolicy, SlaTarget

# Clocks that still measure something.
LIVE = (ClockState.RUNNING, ClockState.PAUSED)
ON_ARRIVAL = (Metric.FIRST_RESPONSE, Metric.RESOLUTION)


def active_policies() -> list[SlaPolicy]:
    return list(
        SlaPolicy.objects.filter(active=True)
        .select_related("calendar")
        .prefetch_related(Prefetch("targets", queryset=SlaTarget.objects.all()))
    )


def matching_policy(policies: Iterable[SlaPolicy], facts: Facts) -> SlaPolicy | None:
    for policy in policies:
        if Conditions(policy.conditions).matches(facts):
            return policy
    return None


def target_of(policy: SlaPolicy, metric: str, priority: str) -> SlaTarget | None:
    for target in policy.targets.all():
        if target.metric == metric and target.priority == priority:
            return target
    return None


def _schedule(clock: SlaClock) -> Schedule | None:
    """None: calendar time (day and night)."""
    if not clock.business_hours:
        return None
    calendar = clock.calendar
    return schedule_of(calendar) if calendar is not None else default_schedule()


def _later(schedule: Schedule | None, at: datetime, seconds: float) -> datetime:
    if schedule is None:
        return at + timedelta(seconds=seconds)
    return schedule.add(at, timedelta(seconds=seconds))


def _used(schedule: Schedule | None, start: datetime, end: datetime) -> float:
    if end <= start:
        return 0.0
    if schedule is None:
        return (end - start).total_seconds()
    return schedule.between(start, end).total_seconds()


def _set_deadlines(clock: SlaClock, at: datetime) -> None:
    """Run from `at` on: the deadline is what is left of the target later."""
    schedule = _schedule(clock)
    left = max(0.0, clock.target_minutes * 60 - clock.consumed_seconds)
    clock.resumed_at = at
    clock.due_at = _later(schedule, at, left)
    clock.warn_at = _later(schedule, at, max(0.0, left - clock.warning_minutes * 60))


def new_clock(
    ticket: Ticket,
    policy: SlaPolicy,
    target: SlaTarget,
    at: datetime,
    *,
    calendar: Calendar | None,
    paused: bool = False,
) -> SlaClock:
    """`calendar`: the one clock_calendar chose (the policy's own first)."""
    clock = SlaClock(
        ticket=ticket,
        policy=policy,
        policy_name=policy.name,
        metric=target.metric,
        priority=target.priority,
        target_minutes=target.minutes,
        business_hours=policy.business_hours,
        calendar=calendar,
        pauses_on_hold=policy.pause_on_hold,
        warning_minutes=min(policy.warning_minutes, target.minutes),
        state=ClockState.PAUSED if paused else ClockState.RUNNING,
        started_at=at,
    )
    if not paused:
        _set_deadlines(clock, at)
    return clock


def clock_calendar(ticket: Ticket, policy: SlaPolicy) -> Calendar | None:
    """The calendar the policy's clocks on this conversation run on (see
    core.hours.conversation_calendar): the policy's own, the requester
    organization's tier's, the team's; None: the desk's default hours. A
    clock that counts calendar time needs none, and is spared the look-up."""
    if not policy.business_hours:
        return None
    organization = ticket.organization if ticket.organization_id else None
    return conversation_calendar(
        team=ticket.team if ticket.team_id else None,
        tier=organization.tier if organization is not None else None,
        policy_calendar=policy.calendar,
    )


def start_on_arrival(sender: Any, *, arrival: Arrival, **extra: Any) -> None:
    """tickets.signals.ticket_arriving (after the rules): the clocks of the
    first policy that matches, and the urgency they give."""
    policies = active_policies()
    if not policies:
        return
    ticket = arrival.ticket
    at = ticket.created_at
    facts = facts_of(ticket, arrival.body, arrival.source, arrival.tags, at)
    policy = matching_policy(policies, facts)
    if policy is None:
        return
    calendar = clock_calendar(ticket, policy)
    clocks = [
        new_clock(ticket, policy, target, at, calendar=calendar)
        for metric in ON_ARRIVAL
        if (target := target_of(policy, metric, ticket.priority)) is not None
    ]
    if not clocks:
        return
    ticket.urgency_at = urgency_at(
        ticket.priority, min(clock.due_at for clock in clocks if clock.due_at), at
    )

    def save(saved: Ticket) -> None:
        for clock in clocks:
            clock.ticket = saved
        SlaClock.objects.bulk_create(clocks)

    arrival.after_save.append(save)


def refresh_urgency(ticket: Ticket) -> None:
    nearest = SlaClock.objects.filter(ticket=ticket, state=ClockState.RUNNING).aggregate(
        Min("due_at")
    )["due_at__min"]
    ticket.urgency_at = urgency_at(ticket.priority, nearest, ticket.created_at, ticket.status)
    Ticket.objects.filter(pk=ticket.pk).update(urgency_at=ticket.urgency_at)


def _event(clock: SlaClock, kind: EventKind, at: datetime, **data: Any) -> None:
    record_ticket_event(
        clock.ticket,
        kind,
        None,
        new=clock.metric,
        at=at,
        clock=clock.pk,
        policy=clock.policy_name,
        target_minutes=clock.target_minutes,
        **data,
    )


def _pause(clock: SlaClock, at: datetime) -> None:
    if clock.state != ClockState.RUNNING or clock.resumed_at is None:
        return
    clock.consumed_seconds = min(
        clock.target_minutes * 60,
        int(clock.consumed_seconds + _used(_schedule(clock), clock.resumed_at, at)),
    )
    clock.state = ClockState.PAUSED
    clock.resumed_at = clock.due_at = clock.warn_at = None


def _resume(clock: SlaClock, at: datetime) -> None:
    if clock.state != ClockState.PAUSED:
        return
    clock.state = ClockState.RUNNING
    _set_deadlines(clock, at)


def _stop(clock: SlaClock, at: datetime) -> None:
    """The clock's target was met at `at`: in time, or late."""
    if clock.stopped_at is not None:
        return
    clock.stopped_at = at
    if clock.state == ClockState.BREACHED:
        return  # recorded when it was breached
    if clock.state == ClockState.RUNNING and clock.due_at is not None and clock.due_at < at:
        # Late, and the sweep had not seen it yet.
        clock.state, clock.breached_at = ClockState.BREACHED, clock.due_at
        _event(clock, EventKind.SLA_BREACHED, at, due_at=clock.due_at.isoformat())
        return
    clock.state = ClockState.ACHIEVED
    _event(clock, EventKind.SLA_ACHIEVED, at)


def _cancel(clock: SlaClock, at: datetime) -> None:
    if clock.stopped_at is not None:
        return
    clock.stopped_at = at
    if clock.state in LIVE:
        clock.state = ClockState.CANCELLED


FIELDS = [
    "state",
    "resumed_at",
    "consumed_seconds",
    "due_at",
    "warn_at",
    "breached_at",
    "stopped_at",
    "target_minutes",
    "priority",
    "warning_minutes",
]


def _pauses(clock: SlaClock, status: str) -> bool:
    return status == Status.PENDING or (status == Status.ON_HOLD and clock.pauses_on_hold)


def follow_changes(
    sender: Any,
    *,
    ticket: Ticket,
    change: str,
    at: datetime,
    old: Any = None,
    new: Any = None,
    **extra: Any,
) -> None:
    """tickets.signals.ticket_changed: move the conversation's clocks."""
    if change not in ("agent_replied", "status", "priority"):
        return
    clocks = list(
        SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).select_related(
            "calendar", "policy"
        )
    )
    before = {clock.pk: _snapshot(clock) for clock in clocks}
    new_clocks: list[SlaClock] = []
    if change == "agent_replied":
        for clock in clocks:
            if clock.metric == Metric.NEXT_UPDATE or (
                clock.metric == Metric.FIRST_RESPONSE and new
            ):
                _stop(clock, at)
        if ticket.status in ACTIVE_STATUSES:
            new_clocks += _next_update(ticket, clocks, at)
    elif change == "status":
        for clock in clocks:
            if new in (Status.SOLVED, Status.CLOSED):
                if clock.metric == Metric.RESOLUTION:
                    _stop(clock, at)
                else:
                    _cancel(clock, at)
            elif _pauses(clock, new):
                _pause(clock, at)
            else:
                _resume(clock, at)
        if old == Status.SOLVED and new in ACTIVE_STATUSES:
            # The customer is back: they wait for an answer again.
            new_clocks += _next_update(ticket, clocks, at)
    elif change == "priority":
        for clock in clocks:
            if clock.state in LIVE:  # a breached clock keeps what it missed
                _retarget(clock, new, at)
    changed = [clock for clock in clocks if _snapshot(clock) != before[clock.pk]]
    if changed:
        SlaClock.objects.bulk_update(changed, FIELDS)
    if new_clocks:
        SlaClock.objects.bulk_create(new_clocks)
    if changed or new_clocks or change == "status":
        # A new status parks or unparks the conversation (tickets' _park
        # knows no deadline): a clock still running sets its urgency again.
        refresh_urgency(ticket)


def _snapshot(clock: SlaClock) -> tuple[Any, ...]:
    return tuple(getattr(clock, name) for name in FIELDS)


def _policy_of(ticket: Ticket, clocks: list[SlaClock]) -> SlaPolicy | None:
    """The policy that started the conversation's clocks (it may have changed since)."""
    for clock in clocks:
        if clock.policy is not None:
            return clock.policy
    earlier = (
        SlaClock.objects.filter(ticket=ticket, policy__isnull=False)
        .select_related("policy")
        .order_by("-started_at")
        .first()
    )
    return earlier.policy if earlier is not None else None


def _next_update(ticket: Ticket, clocks: list[SlaClock], at: datetime) -> list[SlaClock]:
    if any(c.metric == Metric.NEXT_UPDATE and c.stopped_at is None for c in clocks):
        return []
    policy = _policy_of(ticket, clocks)
    if policy is None or not policy.active:
        return []
    target = target_of(policy, Metric.NEXT_UPDATE, ticket.priority)
    if target is None:
        return []
    clock = new_clock(
        ticket, policy, target, at, calendar=clock_calendar(ticket, policy), paused=False
    )
    if _pauses(clock, ticket.status):
        _pause(clock, at)
    return [clock]


def _retarget(clock: SlaClock, priority: str, at: datetime) -> None:
    """A new priority: the policy's target for it, counted from the clock's start."""
    policy = clock.policy
    target = target_of(policy, clock.metric, priority) if policy is not None else None
    if target is None:
        _cancel(clock, at)
        return
    running = clock.state == ClockState.RUNNING
    if running:
        _pause(clock, at)
    clock.priority, clock.target_minutes = priority, target.minutes
    clock.warning_minutes = min(clock.warning_minutes, target.minutes)
    if running:
        _resume(clock, at)


def time_left(clock: SlaClock, now: datetime) -> timedelta | None:
    """Open time left to the deadline (negative once past), None when paused or stopped."""
    if clock.stopped_at is not None or clock.due_at is None:
        return None
    schedule = _schedule(clock)
    if clock.due_at >= now:
        return timedelta(seconds=_used(schedule, now, clock.due_at))
    return -timedelta(seconds=_used(schedule, clock.due_at, now))


def shown_state(clock: SlaClock, now: datetime) -> str:
    """The API's state: a running clock past its deadline is breached, even
    before the sweep has recorded it."""
    if clock.state == ClockState.RUNNING and clock.due_at is not None and clock.due_at <= now:
        return ClockState.BREACHED
    return clock.state


def colour(clock: SlaClock, now: datetime) -> str:
    """ "ok", "amber" (under the warning), "red" (breached), or the stopped state."""
    state = shown_state(clock, now)
    if state == ClockState.BREACHED:
        return "red"
    if state == ClockState.RUNNING and clock.warn_at is not None and clock.warn_at <= now:
        return "amber"
    if state == ClockState.PAUSED:
        return "paused"
    return "ok" if state == ClockState.RUNNING else state


def duration_text(seconds: float) -> str:
    """A stretch of working time as agents read it at a glance: "45 min",
    "3 h 20 min" (whole minutes, rounded down). Never in days: a day of
    business time is eight hours to one reader and twenty-four to another;
    what is a day or more away is said by its date (clock_text)."""
    minutes = max(0, int(seconds // 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        if minutes:
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


# Beyond this much working time, a deadline reads better as its date.
AS_A_DATE = timedelta(hours=24)


def clock_text(clock: SlaClock, now: datetime) -> str:
    """What a running or overdue clock has left, for the conversation's card
    and its inbox row: "20 min left", "due 9 Dec, 14:00", "overdue 1 h 5 min",
    "overdue since 12 Oct"; "" for a clock that is not counting down."""
    left = time_left(clock, now)
    if left is None or clock.due_at is None:
        return ""
    due = timezone.localtime(clock.due_at)
    if left >= timedelta(0):
        if left >= AS_A_DATE:
            return _("due %(when)s") % {"when": date_format(due, "j M, H:i")}
        return _("%(time)s left") % {"time": duration_text(left.total_seconds())}
    if -left >= AS_A_DATE:
        return _("overdue since %(when)s") % {"when": date_format(due, "j M")}
    return _("overdue %(time)s") % {"time": duration_text(-left.total_seconds())}
