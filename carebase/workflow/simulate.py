"""Trying the queue's rules on a request that has not arrived: which
classification rule, priority rule and SLA policy it would meet, and what
they would set. A head checks a new rule with it before the queue does; it
runs the very receivers that run on arrival, on a conversation never saved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from carebase.accounts.models import Team
from carebase.crm.models import Organization
from carebase.tickets.models import Priority, RequestType, Ticket
from carebase.tickets.signals import Arrival
from carebase.workflow.conditions import facts_of
from carebase.workflow.models import Metric, SlaPolicy
from carebase.workflow.rules import apply_on_arrival
from carebase.workflow.sla import active_policies, matching_policy


@dataclass
class Trial:
    type: str
    priority: str
    team: Team | None
    tags: list[str]
    # The rules that matched, in the order they ran: {"rule", "rule_id", "set"}.
    applied: list[dict[str, Any]]
    policy: SlaPolicy | None
    # (metric, minutes) of the policy for the priority reached.
    targets: list[tuple[str, int]] = field(default_factory=list)
    in_business_hours: bool = False


def try_rules(
    *,
    subject: str,
    body: str,
    channel: str,
    organization: Organization | None = None,
    tags: list[str] | None = None,
    source: Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> Trial:
    at = at or timezone.now()
    ticket = Ticket(
        subject=" ".join(subject.split())[:250],
        channel=channel,
        type=RequestType.QUESTION,
        priority=Priority.NORMAL,
        organization=organization,
        created_at=at,
    )
    arrival = Arrival(
        ticket=ticket, body=body, source=source or {}, given=frozenset(), tags=list(tags or [])
    )
    apply_on_arrival(Ticket, arrival=arrival)
    facts = facts_of(ticket, body, arrival.source, arrival.tags, at)
    policy = matching_policy(active_policies(), facts)
    targets = []
    if policy is not None:
        targets = [
            (target.metric, target.minutes)
            for target in policy.targets.all()
            if target.priority == ticket.priority
        ]
    return Trial(
        type=ticket.type,
        priority=ticket.priority,
        team=ticket.team if ticket.team_id else None,
        tags=arrival.tags,
        applied=arrival.applied,
        policy=policy,
        targets=sorted(targets, key=lambda item: ORDER.index(item[0])),  # as Metric lists them
        in_business_hours=facts.in_business_hours(),
    )


ORDER = list(Metric.values)
