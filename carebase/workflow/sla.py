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

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carebase.core.hours import (
    MAX_DAYS,
    Schedule,
    conversation_calendar,
    default_schedule,
    schedule_of,
)
from carebase.core.models import Calendar
from carebase.tickets.actions import arrival_of, record_ticket_event
from carebase.tickets.models import ACTIVE_STATUSES, EventKind, Status, Ticket, urgency_at
from carebase.tickets.signals import Arrival
from carebase.workflow.conditions import Conditions, Facts, facts_of
from carebase.workflow.models import ClockState, Metric, SlaClock, SlaPolicy, SlaTarget

# Clocks that still measure something.
LIVE = (ClockState.RUNNING, ClockState.PAUSED)
ON_ARRIVAL = (Metric.FIRST_RESPONSE, Metric.RESOLUTION)


# The active policies of one sweep (sweep.py sets them): each conversation it
# changes would read them again, a query and its prefetch each time.
_POLICIES: ContextVar[list[SlaPolicy] | None] = ContextVar("sla_policies", default=None)


def active_policies() -> list[SlaPolicy]:
    held = _POLICIES.get()
    if held is not None:
        return held
    return list(
        SlaPolicy.objects.filter(active=True)
        .select_related("calendar")
        .prefetch_related(Prefetch("targets", queryset=SlaTarget.objects.all()))
    )


@contextmanager
def policies_held() -> Iterator[None]:
    """Read the active policies once for what runs inside (a sweep)."""
    token = _POLICIES.set(active_policies())
    try:
        yield
    finally:
        _POLICIES.reset(token)


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
    try:
        return schedule.add(at, timedelta(seconds=seconds))
    except ValueError:
        # More working time than the calendar opens in the clock's horizon
        # (a year's target on an hour a week): due beyond it, rather than a
        # conversation that cannot arrive.
        return at + timedelta(days=MAX_DAYS)


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
        warning_minutes=warning_for(policy.warning_minutes, target.minutes),
        state=ClockState.PAUSED if paused else ClockState.RUNNING,
        started_at=at,
    )
    if not paused:
        _set_deadlines(clock, at)
    return clock


def warning_for(warning_minutes: int, target_minutes: int) -> int:
    """The policy's warning, but at most half the target: one warning serves
    targets of 15 minutes and of two days, and a clock amber from its start
    (its "at the warning" escalation firing on arrival) warns of nothing."""
    return min(warning_minutes, target_minutes // 2)


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
    """The conversation's urgency from its nearest deadline: of a running
    clock, or of one breached and still unmet (assigning an overdue request
    must not send it down the queue), unless it waits for the customer."""
    counting = [ClockState.RUNNING]
    if ticket.status not in (Status.PENDING, Status.SOLVED, Status.CLOSED):
        counting.append(ClockState.BREACHED)
    nearest = SlaClock.objects.filter(
        ticket=ticket, state__in=counting, stopped_at__isnull=True
    ).aggregate(Min("due_at"))["due_at__min"]
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
    if clock.due_at is not None and clock.due_at <= at:
        # Past its deadline before the sweep came by (a worker down): the
        # target was missed, and waiting for the customer now changes nothing.
        _breach(clock, at)
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
        _breach(clock, at)  # late, and the sweep had not seen it yet
        return
    clock.state = ClockState.ACHIEVED
    _event(clock, EventKind.SLA_ACHIEVED, at)


def _breach(clock: SlaClock, at: datetime) -> None:
    """Record a missed deadline the sweep has not: breached at the deadline."""
    assert clock.due_at is not None
    clock.state, clock.breached_at = ClockState.BREACHED, clock.due_at
    _event(clock, EventKind.SLA_BREACHED, at, due_at=clock.due_at.isoformat())


def _cancel(clock: SlaClock, at: datetime) -> None:
    if clock.stopped_at is not None:
        return
    clock.stopped_at = at
    if clock.state in LIVE:
        clock.state = ClockState.CANCELLED


FIELDS = [
    "policy",
    "policy_name",
    "business_hours",
    "calendar",
    "pauses_on_hold",
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


# What a change may touch, compared by value (ids, not related rows).
SNAPSHOT = [{"policy": "policy_id", "calendar": "calendar_id"}.get(name, name) for name in FIELDS]


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
    if change not in ("agent_replied", "status", "priority", "type"):
        return
    clocks = list(
        SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True)
        .select_related("calendar", "policy")
        .prefetch_related("policy__targets")
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
    elif change == "status" and new == Status.CLOSED and ticket.merged_into_id:
        # Merged away: the conversation goes on in another one, which keeps
        # its own clocks; these measured nothing that ended here.
        for clock in clocks:
            _cancel(clock, at)
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
    elif change in ("priority", "type"):
        # A new type or priority may put the conversation under another
        # policy (first match wins, as on arrival); under the same one, a new
        # priority takes that policy's targets for it.
        policy, switched = _rematch(ticket, clocks)
        if switched:
            calendar = clock_calendar(ticket, policy) if policy is not None else None
            for clock in clocks:
                if clock.state in LIVE:
                    _switch(clock, policy, ticket, at, calendar)
            if policy is not None:
                new_clocks += _missing_clocks(ticket, policy, clocks, at)
        elif change == "priority":
            for clock in clocks:
                if clock.state in LIVE:  # a breached clock keeps what it missed
                    _retarget(clock, new, at)
            if policy is not None:
                # A target the old priority lacked (no first response for low).
                new_clocks += _missing_clocks(ticket, policy, clocks, at)
    changed = [clock for clock in clocks if _snapshot(clock) != before[clock.pk]]
    for clock in changed:
        # Row by row, the changed columns only: a conversation has a clock
        # or three, and bulk_update's CASE for each of fifteen columns cost
        # more to compile than the rows to write.
        fields = [
            name
            for name, was, now in zip(FIELDS, before[clock.pk], _snapshot(clock), strict=True)
            if was != now
        ]
        values = {name: getattr(clock, name) for name in fields}
        SlaClock.objects.filter(pk=clock.pk).update(**values)
    if new_clocks:
        SlaClock.objects.bulk_create(new_clocks)
    if changed or new_clocks or change == "status":
        # A new status parks or unparks the conversation (tickets' _park
        # knows no deadline): a clock still running sets its urgency again.
        refresh_urgency(ticket)


def _snapshot(clock: SlaClock) -> tuple[Any, ...]:
    return tuple(getattr(clock, name) for name in SNAPSHOT)


def _rematch(ticket: Ticket, clocks: list[SlaClock]) -> tuple[SlaPolicy | None, bool]:
    """The policy the conversation meets now, and whether it is another than
    the one its clocks run by (a conversation without any clock switches
    only when a policy now takes it)."""
    current = _policy_of(ticket, clocks)
    tags = list(ticket.tags.values_list("name", flat=True))
    source = arrival_of(ticket).get("source") or {}
    facts = facts_of(ticket, "", source, tags, ticket.created_at)
    policy = matching_policy(active_policies(), facts)
    if current is None and not clocks:
        had_clocks = SlaClock.objects.filter(ticket=ticket).exists()
        return policy, policy is not None and not had_clocks
    return policy, (policy.pk if policy else None) != (current.pk if current else None)


def _switch(
    clock: SlaClock,
    policy: SlaPolicy | None,
    ticket: Ticket,
    at: datetime,
    calendar: Calendar | None,
) -> None:
    """Run a live clock by another policy from now on, on `calendar` (the
    clock_calendar of the conversation and policy): the working time it
    used stays used, the new policy's target for the metric and priority
    applies (no such target, or no policy: the clock is cancelled)."""
    target = target_of(policy, clock.metric, ticket.priority) if policy is not None else None
    if policy is None or target is None:
        _cancel(clock, at)
        return
    running = clock.state == ClockState.RUNNING
    if running:
        _pause(clock, at)
        if clock.state == ClockState.BREACHED:
            return  # it had missed its deadline already: that stays
    clock.policy, clock.policy_name = policy, policy.name
    clock.priority, clock.target_minutes = ticket.priority, target.minutes
    clock.business_hours, clock.pauses_on_hold = policy.business_hours, policy.pause_on_hold
    clock.calendar = calendar
    clock.warning_minutes = warning_for(policy.warning_minutes, target.minutes)
    if running:
        _resume(clock, at)


def _missing_clocks(
    ticket: Ticket, policy: SlaPolicy, clocks: list[SlaClock], at: datetime
) -> list[SlaClock]:
    """The clocks a conversation now under a policy lacks: first response
    (while none was given) and resolution (while open), counted from its
    arrival, as if the policy had taken it then (its pauses so far are not
    known apart: the time since arrival counts)."""
    have = {clock.metric for clock in clocks} | set(
        SlaClock.objects.filter(ticket=ticket).values_list("metric", flat=True)
    )
    wanted = []
    if ticket.first_response_at is None:
        wanted.append(Metric.FIRST_RESPONSE)
    if ticket.status in ACTIVE_STATUSES:
        wanted.append(Metric.RESOLUTION)
    made = []
    calendar = clock_calendar(ticket, policy)
    for metric in wanted:
        target = target_of(policy, metric, ticket.priority)
        if metric in have or target is None:
            continue
        clock = new_clock(ticket, policy, target, ticket.created_at, calendar=calendar)
        # Already past its deadline, it stays running: the sweep records the
        # breach and escalates, as for any other.
        if _pauses(clock, ticket.status) and clock.due_at is not None and clock.due_at > at:
            _pause(clock, at)
        made.append(clock)
    return made


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
    if policy is not None:
        clock.warning_minutes = warning_for(policy.warning_minutes, target.minutes)
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
