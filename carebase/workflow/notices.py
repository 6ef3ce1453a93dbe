"""SLA notices in the app: what the sweep's escalations told each person,
listed on their home page until they have read it, on their own notices
page, over the API, and as a live toast when it happens (sweep.py sends it).

- Whose: a person sees and marks their own notices only; anyone else's is
  "not found", like a conversation one may not see (`access_notice`).
- What they show: the conversation's reference always (the person was told
  about it), its subject and link only while the person may still see the
  conversation (`with_visibility`): a notice outlives a move to another team.
- Reading is personal state, not a change of the conversation: `read_at` is
  its own record, with no timeline or audit event. The person's other open
  pages hear of it after commit and refresh their lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from carebase.core.access import is_staff_member
from carebase.core.realtime import send_to_user
from carebase.tickets.access import tickets_for
from carebase.workflow.models import Moment, Notice

# How many unread notices the home page lists (the count says how many in all).
PANEL_SIZE = 10
# The live events: a new notice (sent by the sweep, with a toast), notices read.
NOTICE_EVENT = "sla_notice"
READ_EVENT = "sla_notices_read"


# --- Who may see what -----------------------------------------------------------


def can_have_notices(user: Any) -> bool:
    """Escalations tell the people who work conversations: staff, never customers."""
    return is_staff_member(user)


def notices_for(user: Any) -> QuerySet[Notice]:
    """The caller's own notices, newest first, each knowing whether its
    conversation is still the caller's to see."""
    if not can_have_notices(user):
        return Notice.objects.none()
    return with_visibility(Notice.objects.filter(user=user), user).select_related("ticket", "clock")


def with_visibility(queryset: QuerySet[Notice], user: Any) -> QuerySet[Notice]:
    """Annotate `ticket_visible`: in the same query, by tickets' own scoping."""
    visible = tickets_for(user).filter(pk=OuterRef("ticket_id"))
    return queryset.annotate(ticket_visible=Exists(visible)).order_by("-created_at", "-id")


def require_notices(user: Any) -> None:
    if not can_have_notices(user):
        raise PermissionDenied


def access_notice(user: Any, pk: int) -> Notice:
    """One of the caller's own notices: 403 for those who never get any,
    404 for a notice that is not theirs (or does not exist)."""
    require_notices(user)
    notice = Notice.objects.filter(pk=pk, user=user).first()
    if notice is None:
        raise Http404
    return notice


def access_notices(user: Any, ids: Iterable[int]) -> list[int]:
    """Ids that are all the caller's own notices: 404 when one is not (or
    does not exist), so that nothing is marked from a list with a stray id."""
    require_notices(user)
    wanted = set(ids)
    found = set(Notice.objects.filter(user=user, pk__in=wanted).values_list("pk", flat=True))
    if wanted - found:
        raise Http404
    return sorted(found)


def unread_count(user: Any) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


# --- What the pages and the API show -------------------------------------------


@dataclass
class Shown:
    """A notice as the caller may see it: no subject nor link once the
    conversation is no longer theirs to see."""

    notice: Notice
    visible: bool

    @property
    def subject(self) -> str | None:
        return self.notice.ticket.subject if self.visible else None

    @property
    def breached(self) -> bool:
        return self.notice.moment == Moment.BREACH

    @property
    def just_now(self) -> bool:
        # "0 minutes ago" reads oddly: under a minute is "just now".
        return (timezone.now() - self.notice.created_at).total_seconds() < 60


def shown(notices: Iterable[Notice]) -> list[Shown]:
    return [Shown(notice, bool(getattr(notice, "ticket_visible", False))) for notice in notices]


@dataclass
class Unread:
    rows: list[Shown]
    count: int

    @property
    def newest_id(self) -> int | None:
        return max((row.notice.pk for row in self.rows), default=None)


def unread_for(user: Any, size: int = PANEL_SIZE) -> Unread:
    """The newest unread notices and how many are unread in all: one query
    when they fit in the list, two when there are more."""
    unread = notices_for(user).filter(read_at__isnull=True)
    rows = shown(unread[:size])
    count = len(rows) if len(rows) < size else unread_count(user)
    return Unread(rows, count)


# --- Changes ----------------------------------------------------------------------


def do_mark_notices_read(
    user: Any,
    ids: Iterable[int] | None,
    *,
    up_to: int | None = None,
    at: datetime | None = None,
) -> int:
    """Mark the caller's unread notices read: those of `ids`, or all of them
    with None. `up_to`: only notices up to this id, so that "mark all" marks
    what the page showed, not one that arrived since. Someone else's ids are
    never touched; notices already read keep their time. Returns how many
    were marked now."""
    at = at or timezone.now()
    with transaction.atomic():
        unread = Notice.objects.filter(user=user, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=list(ids))
        if up_to is not None:
            unread = unread.filter(pk__lte=up_to)
        marked = list(unread.values_list("pk", flat=True))
        # Counted by the update itself: a second tab marking the same notices
        # at the same moment marks each once.
        count = Notice.objects.filter(pk__in=marked, read_at__isnull=True).update(read_at=at)
        if count:
            send_to_user(user.pk, READ_EVENT, {"ids": marked})
    return count
