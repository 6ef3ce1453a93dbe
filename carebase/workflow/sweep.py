"""The SLA sweep, run every minute by the task worker: running clocks whose
warning or deadline has come are marked, recorded on their conversation's
timeline, and escalated as their policy says.

Idempotent: a clock is claimed by the change of its own row (warned_at set,
state breached) in the transaction that writes its events and notices, so
a second sweep, a restart or two workers never repeat one. It reads only
the clocks that are due, off two small partial indexes, so its cost grows
with what is due, not with the number of open conversations.

Each notice is emailed (tasks.send_sla_notices) and pops up as a toast in its
person's open pages, both once the batch commits; `quiet` records everything
and tells no one (the demo's history)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebase.accounts.models import User
from carebase.core import deferred
from carebase.core.errors import Conflict
from carebase.core.realtime import send_to_user
from carebase.core.roles import Role
from carebase.tickets.actions import do_assign, do_change_priority, record_ticket_event
from carebase.tickets.models import EventKind, Priority, Ticket, TicketEvent
from carebase.tickets.notify import muted
from carebase.workflow.models import (
    ClockState,
    Escalation,
    EscalationAction,
    Moment,
    Notice,
    SlaClock,
)
from carebase.workflow.notices import NOTICE_EVENT
from carebase.workflow.sla import policies_held

BATCH = 500
# Escalations that change the conversation, not just tell someone.
ONCE_A_CONVERSATION = (EscalationAction.RAISE_PRIORITY, EscalationAction.REASSIGN)
logger = logging.getLogger(__name__)
RAISE = {
    Priority.LOW: Priority.NORMAL,
    Priority.NORMAL: Priority.HIGH,
    Priority.HIGH: Priority.URGENT,
}


@dataclass
class SweepResult:
    warned: int = 0
    breached: int = 0
    notices: int = 0
    escalations: int = 0
    seconds: float = 0.0
    by_moment: dict[str, int] = field(default_factory=dict)


def sweep(now: datetime | None = None, *, quiet: bool = False) -> SweepResult:
    started = timezone.now()
    now = now or started
    result = SweepResult()
    escalations = _escalations()
    heads = list(
        User.objects.filter(is_active=True, groups__name=Role.HEAD_OF_SUPPORT).values_list(
            "pk", flat=True
        )
    )
    with policies_held():
        for moment in (Moment.WARNING, Moment.BREACH):
            while True:
                done = _sweep_batch(moment, now, escalations, heads, result, quiet=quiet)
                if done < BATCH:
                    break
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _escalations() -> dict[tuple[int, str], list[Escalation]]:
    found: dict[tuple[int, str], list[Escalation]] = defaultdict(list)
    for escalation in Escalation.objects.all():
        found[(escalation.policy_id, escalation.moment)].append(escalation)
    return found


def _sweep_batch(
    moment: str,
    now: datetime,
    escalations: dict[tuple[int, str], list[Escalation]],
    heads: list[int],
    result: SweepResult,
    *,
    quiet: bool = False,
) -> int:
    # The batch's timeline events go in with one statement (core.deferred).
    with transaction.atomic(), deferred.deferring():
        due = SlaClock.objects.filter(state=ClockState.RUNNING)
        if moment == Moment.WARNING:
            due = due.filter(warned_at__isnull=True, warn_at__lte=now)
        else:
            due = due.filter(due_at__lte=now)
        ids = list(
            due.order_by().select_for_update(skip_locked=True).values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return 0
        if moment == Moment.WARNING:
            claimed = SlaClock.objects.filter(pk__in=ids, warned_at__isnull=True)
            claimed.update(warned_at=now)
        else:
            # Breached at its deadline, whenever the sweep came by (as _stop does).
            SlaClock.objects.filter(pk__in=ids, state=ClockState.RUNNING).update(
                state=ClockState.BREACHED, breached_at=F("due_at")
            )
        clocks = list(
            SlaClock.objects.filter(pk__in=ids).select_related(
                "ticket", "ticket__team", "ticket__assignee"
            )
        )
        # One instance per conversation: an escalation that changes it (a new
        # priority) is seen by the next clock of the same conversation.
        tickets: dict[int, Ticket] = {}
        for clock in clocks:
            clock.ticket = tickets.setdefault(clock.ticket_id, clock.ticket)
        kind = EventKind.SLA_WARNING if moment == Moment.WARNING else EventKind.SLA_BREACHED
        TicketEvent.objects.bulk_create(
            TicketEvent(
                ticket_id=clock.ticket_id,
                kind=kind,
                new_value=clock.metric,
                created_at=now,
                data={
                    "clock": clock.pk,
                    "policy": clock.policy_name,
                    "target_minutes": clock.target_minutes,
                    "due_at": clock.due_at.isoformat() if clock.due_at else None,
                },
            )
            for clock in clocks
        )
        notices: list[Notice] = []
        # A conversation's priority is raised, or it is reassigned, once a
        # moment however many of its clocks reach it together.
        acted: set[tuple[int, str]] = set()
        for clock in clocks:
            for escalation in escalations.get((clock.policy_id or 0, moment), []):
                if escalation.metric and escalation.metric != clock.metric:
                    continue
                if escalation.action in ONCE_A_CONVERSATION:
                    key = (clock.ticket_id, escalation.action)
                    if key in acted:
                        continue
                    acted.add(key)
                notices += _escalate(clock, escalation, moment, now, heads)
                result.escalations += 1
        # One notice per person and moment, though a head may also be the lead.
        unique: dict[tuple[int, str, int], Notice] = {}
        for notice in notices:
            unique.setdefault((notice.clock_id, notice.moment, notice.user_id), notice)
        notices = list(unique.values())
        if notices:
            Notice.objects.bulk_create(notices, ignore_conflicts=True)
            result.notices += len(notices)
        if notices and not quiet:
            from carebase.workflow.tasks import send_sla_notices

            keys = [(notice.clock_id, notice.moment, notice.user_id) for notice in notices]
            transaction.on_commit(lambda: send_sla_notices.enqueue(keys))
            _toast(notices)
        if moment == Moment.WARNING:
            result.warned += len(clocks)
        else:
            result.breached += len(clocks)
    return len(ids)


def _escalate(
    clock: SlaClock, escalation: Escalation, moment: str, now: datetime, heads: list[int]
) -> list[Notice]:
    ticket: Ticket = clock.ticket
    team = ticket.team if ticket.team_id else None
    action = escalation.action
    people: list[int] = []
    if action == EscalationAction.NOTIFY_ASSIGNEE and ticket.assignee_id:
        people = [ticket.assignee_id]
    elif action == EscalationAction.NOTIFY_LEAD and team is not None and team.lead_id:
        people = [team.lead_id]
    elif action == EscalationAction.NOTIFY_HEAD:
        people = heads
    elif action == EscalationAction.RAISE_PRIORITY and ticket.priority in RAISE:
        # No rule's name as the reason: the conversation's page says an
        # escalation raised it, from the event.
        def raise_priority() -> None:
            with muted():
                do_change_priority(ticket, RAISE[Priority(ticket.priority)], actor=None)

        if not _attempt(clock, action, raise_priority):
            return []
    elif action == EscalationAction.REASSIGN and team is not None and team.lead_id:
        lead = team.lead
        if lead is None or ticket.assignee_id == lead.pk or ticket.is_closed:
            return []
        if not _attempt(clock, action, lambda: do_assign(ticket, lead, actor=None)):
            return []
    else:
        return []
    record_ticket_event(
        ticket,
        EventKind.ESCALATED,
        None,
        new=action,
        at=now,
        clock=clock.pk,
        metric=clock.metric,
        moment=moment,
        notified=people,
    )
    return [
        Notice(user_id=user, ticket_id=ticket.pk, clock=clock, moment=moment, created_at=now)
        for user in people
    ]


def _attempt(clock: SlaClock, action: str, change: Callable[[], object]) -> bool:
    """Make an escalation's change to the conversation in a savepoint: one
    that cannot be made (a lead who may not work conversations, a closed
    conversation) is logged and skipped, never allowed to undo the batch,
    which would stop the sweep for every conversation, minute after minute."""
    try:
        with transaction.atomic():
            change()
    except (ValidationError, Conflict) as error:
        logger.warning(
            "SLA escalation %s skipped on #%s (clock %s): %s",
            action,
            clock.ticket_id,
            clock.pk,
            error,
        )
        return False
    return True


def _toast(notices: list[Notice]) -> None:
    """A live toast in each person's open pages (sent after commit by
    core.realtime), in their language: what happened when it is one notice,
    how many when a batch brings several, rather than a column of toasts."""
    by_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_user[notice.user_id].append(notice)
    languages = dict(User.objects.filter(pk__in=by_user).values_list("pk", "language"))
    for user_id, theirs in by_user.items():
        with translation.override(languages.get(user_id) or settings.LANGUAGE_CODE):
            text = _toast_text(theirs)
        payload = {"tickets": sorted({notice.ticket_id for notice in theirs}), "toast": text}
        send_to_user(user_id, NOTICE_EVENT, payload)


def _toast_text(notices: list[Notice]) -> str:
    if len(notices) > 1:
        return ngettext(
            "%(count)s new SLA notice: see your home page.",
            "%(count)s new SLA notices: see your home page.",
            len(notices),
        ) % {"count": len(notices)}
    notice = notices[0]
    values = {"reference": f"#{notice.ticket_id}", "target": notice.clock.get_metric_display()}
    if notice.moment == Moment.BREACH:
        return _("SLA breached on %(reference)s: %(target)s") % values
    return _("SLA at risk on %(reference)s: %(target)s") % values
