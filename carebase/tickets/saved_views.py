"""Saved inbox views: create and delete, each in one place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebase.accounts.models import Team
from carebase.core.access import Perm, has_perm
from carebase.core.events import record_event
from carebase.tickets.access import can_delete_view
from carebase.tickets.events import AuditKind
from carebase.tickets.filters import KEYS, TicketFilterForm
from carebase.tickets.models import SavedView


def clean_view_filters(data: Any) -> dict[str, list[str]]:
    """The filters worth keeping from a query string (a QueryDict or a dict of
    lists), checked by the inbox's own form; ValidationError when one is wrong."""
    values: dict[str, list[str]] = {}
    for key in KEYS:
        raw = data.getlist(key) if hasattr(data, "getlist") else data.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        kept = [str(value).strip() for value in raw if str(value).strip()]
        if kept:
            values[key] = kept
    form = TicketFilterForm(_as_query(values))
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return values


def _as_query(values: dict[str, list[str]]) -> Any:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, items in values.items():
        query.setlist(key, items)
    return query


def view_query(view: SavedView) -> Any:
    return _as_query(view.filters)


def do_save_view(*, owner: Any, name: str, filters: Any, team: Team | None = None) -> SavedView:
    if not has_perm(owner, Perm.VIEW_TICKETS):
        raise PermissionDenied
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the view a name.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("Keep the name under 80 characters.")]})
    if (
        team is not None
        and not has_perm(owner, Perm.ALL_TEAMS_TICKETS)
        and not owner.teams.filter(pk=team.pk).exists()
    ):
        raise ValidationError({"team": [_("You can share a view only with your own teams.")]})
    cleaned = clean_view_filters(filters)
    with transaction.atomic():
        view = SavedView.objects.create(name=name, owner=owner, team=team, filters=cleaned)
        record_event(AuditKind.VIEW_SAVED, view, owner, name=name, team=team.pk if team else None)
    return view


def do_delete_view(view: SavedView, *, actor: Any) -> None:
    if not can_delete_view(actor, view):
        raise PermissionDenied
    with transaction.atomic():
        record_event(AuditKind.VIEW_DELETED, view, actor, name=view.name)
        view.delete()
