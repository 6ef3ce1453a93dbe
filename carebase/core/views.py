from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from carebase.core.access import Perm, is_customer, require_perm
from carebase.core.events import event_kind_choices
from carebase.core.health import health_report
from carebase.core.models import AuditEvent
from carebase.core.navigation import home_panels_for

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded change, newest first, for those who may read the audit log."""
    require_perm(request.user, Perm.VIEW_AUDIT_LOG)
    events = AuditEvent.objects.select_related("actor", "target_type").prefetch_related("target")
    kind = request.GET.get("kind", "")
    if kind in dict(event_kind_choices()):
        events = events.filter(kind=kind)
    actor = request.GET.get("actor", "").strip()
    if actor:
        events = events.filter(actor__username__iexact=actor)
    page = Paginator(events.order_by("-created_at", "-id"), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "kinds": event_kind_choices(), "kind": kind, "actor": actor}
    return render(request, "core/audit_log.html", context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if is_customer(request.user):
        # A customer's home is the portal (the /portal/ of design.md's stable interfaces).
        return redirect("/portal/")
    return render(request, "core/home.html", {"panels": home_panels_for(request)})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page says; the icon is an SVG.
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))
