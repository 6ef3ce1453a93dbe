"""Which conversations a caller sees, by the rules of carebase.core.access.

- heads and admins (ALL_TEAMS_TICKETS): every conversation;
- other staff who work conversations: those of their teams, those without a
  team yet (the triage pool), and those assigned to them;
- a customer: their organization's conversations (or only their own, when
  the contact is limited to them or has no organization), and only the
  public replies in them;
- anyone else: nothing. What the caller may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from carebase.core.access import Perm, has_perm, is_customer
from carebase.crm.models import Contact
from carebase.tickets.models import Message, MessageKind, SavedView, Ticket


def customer_contact(user: Any) -> Contact | None:
    if not is_customer(user):
        return None
    return Contact.objects.filter(user=user).first()


def tickets_for(user: Any) -> QuerySet[Ticket]:
    queryset = Ticket.objects.all()
    if has_perm(user, Perm.ALL_TEAMS_TICKETS):
        return queryset
    if has_perm(user, Perm.VIEW_TICKETS):
        teams = user.teams.values_list("pk", flat=True)
        return queryset.filter(Q(team__in=teams) | Q(team__isnull=True) | Q(assignee=user))
    contact = customer_contact(user)
    if contact is None:
        return queryset.none()
    if contact.organization_id is not None and contact.sees_organization_tickets:
        return queryset.filter(organization_id=contact.organization_id)
    return queryset.filter(requester=contact)


def messages_for(user: Any, ticket: Ticket) -> QuerySet[Message]:
    """Staff read every message; customers read the public replies only."""
    queryset = ticket.messages.all()
    if has_perm(user, Perm.VIEW_TICKETS):
        return queryset
    return queryset.filter(kind=MessageKind.REPLY)


def access_ticket(user: Any, pk: int, *, work: bool = False) -> Ticket:
    """A ticket the caller may see; with work=True, one they may change as staff."""
    ticket = (
        tickets_for(user)
        .select_related("requester", "organization", "team", "assignee")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404
    if work and not has_perm(user, Perm.WORK_TICKETS):
        raise PermissionDenied
    return ticket


def can_work(user: Any) -> bool:
    return has_perm(user, Perm.WORK_TICKETS)


def saved_views_for(user: Any) -> QuerySet[SavedView]:
    """A person's own views and those shared with their teams."""
    if not has_perm(user, Perm.VIEW_TICKETS):
        return SavedView.objects.none()
    teams = user.teams.values_list("pk", flat=True)
    return SavedView.objects.filter(Q(owner=user) | Q(team__in=teams)).select_related(
        "owner", "team"
    )


def can_delete_view(user: Any, view: SavedView) -> bool:
    """The owner removes their view; a head may also remove one shared with a team."""
    return view.owner_id == user.pk or (
        view.team_id is not None and has_perm(user, Perm.ALL_TEAMS_TICKETS)
    )


def access_view_to_delete(user: Any, pk: int) -> SavedView:
    """A view the caller may delete: 404 when they cannot see it, 403 when they
    see it but it is not theirs to remove."""
    view = saved_views_for(user).filter(pk=pk).first()
    if view is None and has_perm(user, Perm.ALL_TEAMS_TICKETS):
        view = SavedView.objects.filter(pk=pk, team__isnull=False).first()
    if view is None:
        raise Http404
    if not can_delete_view(user, view):
        raise PermissionDenied
    return view
