"""SLA notices' pages: the home page's panel of unread notices, the page of
all of them, and the buttons that mark them read. Thin: load through
notices.py's access helpers, call its one action, render or redirect.

The buttons are plain forms that htmx enhances: without JavaScript they post
and come back to the page they were on; with htmx the redirect lands on the
part to swap (the panel's own fragment, or the page, whose list htmx selects),
so a view never renders after a change."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.navigation import Panel
from carebase.workflow.notices import (
    access_notice,
    can_have_notices,
    do_mark_notices_read,
    notices_for,
    require_notices,
    shown,
    unread_for,
)

PAGE_SIZE = 50
PANEL_TEMPLATE = "workflow/notices/panel.html"


def notices_panel(request: AuthenticatedRequest) -> Panel | None:
    """Home: the unread notices, newest first, first of the panels. With none
    unread it takes no room (an empty, hidden card) and only waits for a live
    notice to fetch itself, so that the home page stays calm."""
    if not can_have_notices(request.user):
        return None
    return Panel(PANEL_TEMPLATE, {"unread": unread_for(request.user)}, order=10)


@login_required
@require_GET
def panel(request: AuthenticatedRequest) -> HttpResponse:
    """The panel alone, for htmx: after a button, or when a notice arrives live."""
    require_notices(request.user)
    return render(request, PANEL_TEMPLATE, {"panel": {"unread": unread_for(request.user)}})


@login_required
@require_GET
def notices(request: AuthenticatedRequest) -> HttpResponse:
    require_notices(request.user)
    unread_only = request.GET.get("unread") == "1"
    mine = notices_for(request.user)
    totals = mine.aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        newest_unread=Max("pk", filter=Q(read_at__isnull=True)),
    )
    listed = mine.filter(read_at__isnull=True) if unread_only else mine
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": shown(page.object_list),
        "unread_only": unread_only,
        "unread_count": totals["unread"],
        "newest_unread": totals["newest_unread"],
        "here": _notices_url(page.number, unread_only),
    }
    return render(request, "workflow/notices/list.html", context)


@login_required
@require_POST
def notice_read(request: AuthenticatedRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    do_mark_notices_read(request.user, [notice.pk])
    return _back(request)


@login_required
@require_POST
def notices_read_all(request: AuthenticatedRequest) -> HttpResponse:
    """Every unread notice up to the newest the page showed (`up_to`): one
    that arrived since is left for the person to see."""
    require_notices(request.user)
    do_mark_notices_read(request.user, None, up_to=_an_id(request.POST.get("up_to", "")))
    return _back(request)


def _an_id(value: str) -> int | None:
    """A database id from a form, or None (then every unread one is marked)."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _notices_url(page: int | str | None, unread_only: bool) -> str:
    query: dict[str, str] = {}
    if unread_only:
        query["unread"] = "1"
    if page is not None and _an_id(str(page)) not in (None, 0, 1):
        query["page"] = str(page)
    url = reverse("workflow:notices")
    return f"{url}?{urlencode(query)}" if query else url


def _back(request: AuthenticatedRequest) -> HttpResponse:
    """Back where the button was: the home page (the panel's fragment for
    htmx), or the notices page at the same page and filter."""
    if request.POST.get("part") == "panel":
        if request.headers.get("HX-Request"):
            return redirect("workflow:notices_panel")
        return redirect("core:home")
    return redirect(_notices_url(request.POST.get("page"), request.POST.get("unread") == "1"))
