"""Pages of the email channel: the admins' mailbox settings with "test
connection", the list of mail that needs attention, and each message's original."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm, require_perm
from carebase.core.errors import Conflict, show_errors
from carebase.mail.access import access_inbound, access_mailbox
from carebase.mail.actions import do_create_mailbox, do_reprocess_email, do_update_mailbox
from carebase.mail.connection import check_mailbox
from carebase.mail.forms import MailboxForm
from carebase.mail.models import InboundEmail, InboundStatus, Mailbox
from carebase.tickets.access import access_ticket

PAGE_SIZE = 50
# "Process all again" works through at most this many per click.
REPROCESS_BATCH = 200


@login_required
def original(request: AuthenticatedRequest, inbound_id: int) -> HttpResponse:
    """A received message exactly as it came, for staff who may see its
    conversation (admins: any); always a download, never a page."""
    inbound = InboundEmail.objects.filter(pk=inbound_id).first()
    if inbound is None or not has_perm(request.user, Perm.VIEW_TICKETS):
        raise Http404
    if inbound.ticket_id is None:
        if not has_perm(request.user, Perm.MANAGE_CHANNELS):
            raise Http404
    else:
        access_ticket(request.user, inbound.ticket_id)
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{inbound.pk}.eml"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def mailboxes(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    attention = Count("inbound", filter=Q(inbound__status=InboundStatus.NEEDS_ATTENTION))
    rows = Mailbox.objects.select_related("team").annotate(attention=attention).order_by("name")
    unassigned = InboundEmail.objects.filter(
        mailbox=None, status=InboundStatus.NEEDS_ATTENTION
    ).count()
    return render(
        request, "mail/mailboxes.html", {"mailboxes": rows, "unassigned_attention": unassigned}
    )


@login_required
def mailbox_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    form = MailboxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mailbox = do_create_mailbox(
                actor=request.user,
                imap_password=form.cleaned_data["imap_password"],
                **form.values(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Mailbox %(name)s created.") % {"name": mailbox.name})
            return redirect("mail:mailbox_edit", mailbox.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "mail/mailbox_form.html", {"form": form}, status=status)


@login_required
def mailbox_edit(request: AuthenticatedRequest, mailbox_id: int) -> HttpResponse:
    mailbox = access_mailbox(request.user, mailbox_id)
    form = MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        try:
            diff = do_update_mailbox(
                mailbox,
                actor=request.user,
                imap_password=form.cleaned_data["imap_password"],
                forget_password=form.cleaned_data.get("forget_password", False),
                **form.values(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if diff:
                messages.success(request, _("Mailbox settings saved."))
            return redirect("mail:mailbox_edit", mailbox.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "mail/mailbox_form.html", {"form": form, "mailbox": mailbox}, status=status
    )


@login_required
@require_POST
def mailbox_test(request: AuthenticatedRequest, mailbox_id: int) -> HttpResponse:
    """Try the saved settings: log in to IMAP and greet the SMTP server."""
    mailbox = access_mailbox(request.user, mailbox_id)
    checks = check_mailbox(mailbox)
    if request.headers.get("HX-Request"):
        return render(request, "mail/_checks.html", {"checks": checks})
    form = MailboxForm(instance=mailbox)
    context = {"form": form, "mailbox": mailbox, "checks": checks}
    return render(request, "mail/mailbox_form.html", context)


@login_required
def attention(request: AuthenticatedRequest) -> HttpResponse:
    """Messages that could not be filed, newest first, with the reason."""
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    waiting = InboundEmail.objects.filter(status=InboundStatus.NEEDS_ATTENTION).select_related(
        "mailbox"
    )
    mailbox_id = request.GET.get("mailbox", "")
    if mailbox_id.isdigit():
        waiting = waiting.filter(mailbox_id=int(mailbox_id))
    page = Paginator(waiting.defer("raw").order_by("-received_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "mailboxes": Mailbox.objects.order_by("name"),
        "mailbox_id": mailbox_id,
        "total": page.paginator.count,
    }
    return render(request, "mail/attention.html", context)


@login_required
@require_POST
def reprocess(request: AuthenticatedRequest, inbound_id: int) -> HttpResponse:
    inbound = access_inbound(request.user, inbound_id)
    try:
        do_reprocess_email(inbound, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        _tell_outcome(request, [inbound])
    return redirect("mail:attention")


@login_required
@require_POST
def reprocess_all(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    waiting = InboundEmail.objects.filter(status=InboundStatus.NEEDS_ATTENTION).order_by("id")
    done = []
    for inbound in waiting[:REPROCESS_BATCH]:
        do_reprocess_email(inbound, actor=request.user)
        done.append(inbound)
    _tell_outcome(request, done)
    return redirect("mail:attention")


def _tell_outcome(request: AuthenticatedRequest, done: list[InboundEmail]) -> None:
    filed = [inbound for inbound in done if inbound.status != InboundStatus.NEEDS_ATTENTION]
    still = len(done) - len(filed)
    if len(done) == 1 and filed:
        ticket = filed[0].ticket
        messages.success(
            request,
            _("Filed: %(status)s %(reference)s.")
            % {
                "status": filed[0].get_status_display(),
                "reference": ticket.reference if ticket else "",
            },
        )
    elif len(done) == 1:
        messages.error(request, _("Still not filed: %(error)s") % {"error": done[0].error})
    else:
        messages.info(
            request,
            _("Processed %(count)d again: %(filed)d filed, %(still)d still need attention.")
            % {"count": len(done), "filed": len(filed), "still": still},
        )
