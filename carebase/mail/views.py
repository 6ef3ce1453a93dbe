"""Pages of the email channel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm
from carebase.mail.models import InboundEmail
from carebase.tickets.access import access_ticket


@login_required
def original(request: AuthenticatedRequest, inbound_id: int) -> HttpResponse:
    """A received message exactly as it came, for staff who may see its
    conversation (admins: any); always a download, never a page."""
    inbound = InboundEmail.objects.filter(pk=inbound_id).first()
    if inbound is None or not has_perm(request.user, Perm.VIEW_TICKETS):
        raise Http404
    if inbound.ticket_id is None:
        if not request.user.is_superuser:
            raise Http404
    else:
        access_ticket(request.user, inbound.ticket_id)
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{inbound.pk}.eml"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
