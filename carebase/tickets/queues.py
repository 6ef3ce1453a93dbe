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


QUEUES = [
    Queue("mine", _("Mine")),
    Queue("unassigned", _("Unassigned")),
    Queue("team", _("My teams")),
    Queue("open", _("All open")),
    Queue("pending", _("Pending")),
    Queue("on_hold", _("On hold")),
    Queue("solved", _("Solved recently")),
]
DEFAULT_QUEUE = "open"


def queue_condition(slug: str, user: Any) -> Q:
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
    """Every queue's size in one aggregate query."""
    counts = tickets.aggregate(
        **{queue.slug: Count("pk", filter=queue_condition(queue.slug, user)) for queue in QUEUES}
    )
    return {slug: value or 0 for slug, value in counts.items()}
