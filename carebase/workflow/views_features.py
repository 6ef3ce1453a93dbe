"""The feature requests board's pages, the "Feature request" card beside a
conversation and the links on its timeline. Thin: load through the access
helpers, call one action of features.py, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm
from carebase.core.errors import Conflict, show_errors
from carebase.core.events import events_for
from carebase.core.navigation import Panel
from carebase.tickets.access import access_ticket, tickets_for
from carebase.tickets.models import RequestType, Ticket
from carebase.tickets.timeline import Entry
from carebase.workflow.features import (
    FeatureEvent,
    Order,
    access_feature,
    audience,
    can_decide,
    can_use_board,
    do_create_feature,
    do_decide_feature,
    do_link_ticket,
    do_notify_requesters,
    do_unlink_ticket,
    do_update_feature,
    features_for,
    mrr_totals,
    ordered,
    search_condition,
    status_counts,
    with_counts,
)
from carebase.workflow.forms_features import BoardFilters, DecisionForm, FeatureForm
from carebase.workflow.models import Feature, FeatureRequest, FeatureStatus

PAGE_SIZE = 50
PICK_SIZE = 8


def _require_board(request: AuthenticatedRequest) -> None:
    if not can_use_board(request.user):
        raise PermissionDenied


def _rows(features: Any) -> list[dict[str, Any]]:
    return [{"feature": feature, "mrr": mrr_totals(feature)} for feature in features]


def _back(request: AuthenticatedRequest, feature: Feature, ticket_id: int | None) -> HttpResponse:
    """Back where the agent acted: the conversation's page or the feature's."""
    if request.POST.get("back") == "ticket" and ticket_id:
        return redirect("tickets:ticket_detail", ticket_id)
    return redirect("workflow:feature_detail", feature.pk)


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    _require_board(request)
    filters = BoardFilters(request.GET)
    values = filters.cleaned_data if filters.is_valid() else {}
    status, query = values.get("status") or "", values.get("q") or ""
    order = values.get("order") or Order.MRR
    queryset = with_counts(features_for(request.user))
    if status:
        queryset = queryset.filter(status=status)
    if query and (found := search_condition(query)) is not None:
        queryset = queryset.filter(found)
    page = Paginator(ordered(queryset, order), PAGE_SIZE).get_page(values.get("page") or 1)
    linking = None
    if values.get("ticket"):
        linking = access_ticket(request.user, values["ticket"], work=True)
    counts = status_counts()
    context = {
        "rows": _rows(page.object_list),
        "page": page,
        "filters": {"status": status, "q": query, "order": order},
        "statuses": [(value, label, counts[value]) for value, label in FeatureStatus.choices],
        "total": sum(counts.values()),
        "orders": Order.choices,
        "linking": linking,
        "can_decide": can_decide(request.user),
    }
    partial = bool(request.headers.get("HX-Request") and request.GET.get("partial"))
    template = "workflow/features/_rows.html" if partial else "workflow/features/board.html"
    return render(request, template, context)


@login_required
def feature_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_board(request)
    form = FeatureForm(request.POST or None, initial={"ticket": request.GET.get("ticket")})
    ticket = None
    if request.method == "POST" and form.is_valid():
        ticket_id = form.cleaned_data["ticket"]
        ticket = access_ticket(request.user, ticket_id, work=True) if ticket_id else None
        try:
            feature = do_create_feature(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                actor=request.user,
                ticket=ticket,
            )
        except (ValidationError, Conflict) as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Feature “%(title)s” created.") % {"title": feature})
            return _back(request, feature, ticket_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "workflow/features/feature_form.html", {"form": form}, status=status)


def _feature_page(
    request: AuthenticatedRequest,
    feature: Feature,
    *,
    edit_form: FeatureForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    counted = with_counts(Feature.objects.filter(pk=feature.pk)).get()
    requests = FeatureRequest.objects.filter(feature=feature)
    visible = list(
        requests.filter(ticket__in=tickets_for(request.user))
        .select_related("ticket__organization", "ticket__requester", "linked_by")
        .order_by("-linked_at", "-id")
    )
    deciding = can_decide(request.user)
    context = {
        "feature": feature,
        "counted": counted,
        "mrr": mrr_totals(counted),
        "requests": visible,
        "hidden": getattr(counted, "conversation_count", 0) - len(visible),
        "edit_form": edit_form or FeatureForm.for_feature(feature),
        "decision_form": decision_form or DecisionForm.for_feature(feature),
        "can_decide": deciding,
        "audience": audience(feature)
        if deciding and feature.status == FeatureStatus.DONE
        else None,
        "history": _history(feature),
    }
    return render(request, "workflow/features/feature.html", context, status=status)


def _history(feature: Feature) -> list[tuple[Any, str]]:
    """The feature's events, each with what changed in words."""
    labels = dict(FeatureStatus.choices)
    rows = []
    for event in events_for(feature)[:50]:
        detail = ""
        if event.kind == FeatureEvent.STATUS_CHANGED:
            old, new = event.data.get("status", ["", ""])
            detail = f"{labels.get(old, old)} → {labels.get(new, new)}"
        elif event.kind == FeatureEvent.NOTIFIED:
            detail = str(event.data.get("contacts", ""))
        elif event.kind == FeatureEvent.EDITED and "title" in event.data:
            detail = f"{event.data['title'][0]} → {event.data['title'][1]}"
        rows.append((event, detail))
    return rows


@login_required
def feature_detail(request: AuthenticatedRequest, feature_id: int) -> HttpResponse:
    return _feature_page(request, access_feature(request.user, feature_id))


@login_required
@require_POST
def feature_edit(request: AuthenticatedRequest, feature_id: int) -> HttpResponse:
    feature = access_feature(request.user, feature_id)
    form = FeatureForm(request.POST)
    if form.is_valid():
        try:
            do_update_feature(
                feature,
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("workflow:feature_detail", feature.pk)
    return _feature_page(request, feature, edit_form=form, status=422)


@login_required
@require_POST
def feature_decide(request: AuthenticatedRequest, feature_id: int) -> HttpResponse:
    feature = access_feature(request.user, feature_id, decide=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            do_decide_feature(
                feature,
                actor=request.user,
                status=form.cleaned_data["status"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Saved the decision on “%(title)s”.") % {"title": feature.title}
            )
            return redirect("workflow:feature_detail", feature.pk)
    feature.refresh_from_db()
    return _feature_page(request, feature, decision_form=form, status=422)


@login_required
@require_POST
def feature_notify(request: AuthenticatedRequest, feature_id: int) -> HttpResponse:
    feature = access_feature(request.user, feature_id, decide=True)
    try:
        sent = do_notify_requesters(feature, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        if sent:
            text = ngettext(
                "One requester will get an email.", "%(count)s requesters will get an email.", sent
            )
            messages.success(request, text % {"count": sent})
        else:
            messages.info(request, _("Every requester with an email address was told already."))
    return redirect("workflow:feature_detail", feature.pk)


@login_required
@require_POST
def feature_link(request: AuthenticatedRequest, feature_id: int) -> HttpResponse:
    feature = access_feature(request.user, feature_id)
    try:
        ticket_id = int(request.POST.get("ticket", ""))
    except ValueError:
        messages.error(request, _("Say which conversation asks for it, by its number."))
        return redirect("workflow:feature_detail", feature.pk)
    ticket = access_ticket(request.user, ticket_id, work=True)
    try:
        do_link_ticket(feature, ticket, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(reference)s now counts for “%(title)s”.")
            % {"reference": ticket.reference, "title": feature.title},
        )
    return _back(request, feature, ticket.pk)


@login_required
@require_POST
def feature_unlink(request: AuthenticatedRequest, feature_id: int, ticket_id: int) -> HttpResponse:
    feature = access_feature(request.user, feature_id)
    ticket = access_ticket(request.user, ticket_id, work=True)
    do_unlink_ticket(feature, ticket, actor=request.user)
    messages.success(
        request,
        _("%(reference)s no longer counts for “%(title)s”.")
        % {"reference": ticket.reference, "title": feature.title},
    )
    return _back(request, feature, ticket.pk)


@login_required
def feature_pick(request: AuthenticatedRequest) -> HttpResponse:
    """The card's search: features to link the conversation to (htmx)."""
    _require_board(request)
    filters = BoardFilters(request.GET)
    values = filters.cleaned_data if filters.is_valid() else {}
    ticket = access_ticket(request.user, values.get("ticket") or 0, work=True)
    queryset = with_counts(features_for(request.user))
    query = values.get("q") or ""
    if query and (found := search_condition(query)) is not None:
        queryset = queryset.filter(found)
    rows = _rows(ordered(queryset, Order.ORGANIZATIONS)[:PICK_SIZE])
    context = {"rows": rows, "ticket": ticket, "query": query}
    return render(request, "workflow/features/_pick.html", context)


# --- On the conversation's page -------------------------------------------------------


def ticket_feature_panel(ticket: Ticket, user: Any) -> Panel | None:
    """The "Feature request" card: the feature the conversation asks for, or
    a search to link one and a button to make one of its subject."""
    if not can_use_board(user):
        return None
    request = FeatureRequest.objects.filter(ticket=ticket).select_related("feature").first()
    counted = None
    if request is not None:
        counted = with_counts(Feature.objects.filter(pk=request.feature_id)).get()
    context = {
        "ticket": ticket,
        "request": request,
        "feature": counted,
        "mrr": mrr_totals(counted) if counted is not None else [],
        "asks": ticket.type == RequestType.FEATURE_REQUEST,
    }
    return Panel("workflow/features/_panel.html", context, order=30)


def feature_timeline_entries(ticket: Ticket, user: Any) -> list[Entry]:
    """When the conversation was linked to a feature or unlinked, and when
    its requester was told the feature is done."""
    if not has_perm(user, Perm.VIEW_TICKETS):
        return []
    kinds = [FeatureEvent.LINKED, FeatureEvent.UNLINKED]
    found = [
        Entry(
            at=event.created_at,
            template="workflow/features/_timeline.html",
            context={"event": event, "linked": event.kind == FeatureEvent.LINKED},
        )
        for event in events_for(ticket).filter(kind__in=kinds)
    ]
    told = (
        FeatureRequest.objects.filter(ticket=ticket, notified_at__isnull=False)
        .select_related("feature")
        .first()
    )
    if told is not None and told.notified_at is not None:
        found.append(
            Entry(
                at=told.notified_at,
                template="workflow/features/_timeline_notified.html",
                context={"request": told},
            )
        )
    return found
