"""The inbox's built-in queues: each a filter over what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.tickets.models import ACTIVE_STATUSES, Status, Ticket

RECENTLY = timedelta(days=7)


@dataclass(frozen=True)
class Queue:
    slug: str
    label: Any
    # "Everything" has no count: it would cost a scan of every conversation.
    counted: bool = True


QUEUES = [
    Queue("mine", _("Mine")),
    Queue("unassigned", _("Unassigned")),
    Queue("team", _("My teams")),
    Queue("open", _("All open")),
    Queue("pending", _("Pending")),
    Queue("on_hold", _("On hold")),
    Queue("solved", _("Solved recently")),
    Queue("all", _("Everything"), counted=False),
]
DEFAULT_QUEUE = "open"


def queue_condition(slug: str, user: Any) -> Q:
    """The queue's condition; "" (a saved view without a queue) means everything."""
    if slug in ("all", ""):
        return Q()
    active = Q(status__in=ACTIVE_STATUSES)
    if slug == "mine":
        return active & Q(assignee=user)
    if slug == "unassigned":
        return active & Q(assignee__isnull=True)
    if slug == "team":
        return active & Q(team__in=user.teams.values_list("pk", flat=True))
    if slug == "pending":
        return Q(status=Status.PENDING)
    if slug == "on_hold":
        return Q(status=Status.ON_HOLD)
    if slug == "solved":
        return Q(
            status__in=(Status.SOLVED, Status.CLOSED), solved_at__gte=timezone.now() - RECENTLY
        )
    return active


def queue_counts(tickets: QuerySet[Ticket], user: Any) -> dict[str, int]:
    """Every counted queue's size, in two small queries that indexes answer
    alone: the open work grouped by status, assignee and team (a few hundred
    groups, summed here by the same rules as queue_condition; a test holds the
    two to each other), and the recently solved."""
    groups = (
        tickets.filter(status__in=ACTIVE_STATUSES)
        .values_list("status", "assignee_id", "team_id")
        .annotate(count=Count("status"))
        .order_by()
    )
    my_teams = set(user.teams.values_list("pk", flat=True))
    counts = dict.fromkeys(("mine", "unassigned", "team", "open", "pending", "on_hold"), 0)
    for status, assignee_id, team_id, count in groups:
        counts["open"] += count
        counts["mine"] += count if assignee_id == user.pk else 0
        counts["unassigned"] += count if assignee_id is None else 0
        counts["team"] += count if team_id in my_teams else 0
        counts["pending"] += count if status == Status.PENDING else 0
        counts["on_hold"] += count if status == Status.ON_HOLD else 0
    counts["solved"] = tickets.filter(queue_condition("solved", user)).count()
    return counts
