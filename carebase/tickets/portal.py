"""The customer portal: a customer's conversations, new requests and replies.

Customers see what tickets.access allows them (their organization's
conversations, or only their own) and only the public replies in them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.errors import Conflict
from carebase.crm.models import Contact
from carebase.tickets.access import access_ticket, customer_contact, messages_for, tickets_for
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.forms import AttachmentsField
from carebase.tickets.models import ACTIVE_STATUSES, Channel, RequestType, Ticket

PAGE_SIZE = 25


class PortalRequestForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    type = forms.ChoiceField(label=gettext_lazy("What is it about?"), choices=RequestType.choices)
    body = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=200_000,
        help_text=gettext_lazy("What happened, where, and since when: it helps us answer at once."),
    )
    attachments = AttachmentsField(help_text=gettext_lazy("Screenshots or files that show it."))


class PortalReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=200_000,
    )
    attachments = AttachmentsField()


def _contact(request: AuthenticatedRequest) -> Contact:
    contact = customer_contact(request.user)
    if contact is None:
        # Staff use the inbox; the portal is for customers.
        raise Http404
    return contact


@login_required
def portal_index(request: AuthenticatedRequest) -> HttpResponse:
    contact = _contact(request)
    show = request.GET.get("show", "open")
    tickets = tickets_for(request.user).select_related("requester")
    if show == "open":
        tickets = tickets.filter(status__in=ACTIVE_STATUSES)
    page = Paginator(tickets.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "show": show, "contact": contact}
    return render(request, "tickets/portal/index.html", context)


@login_required
def portal_new(request: AuthenticatedRequest) -> HttpResponse:
    contact = _contact(request)
    form = PortalRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = do_create_ticket(
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                type=form.cleaned_data["type"],
                requester=contact,
                channel=Channel.PORTAL,
                actor=request.user,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Thank you. We have your request %(reference)s and will answer soon.")
                % {"reference": ticket.reference},
            )
            return redirect("portal:ticket", ticket.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "tickets/portal/new.html", {"form": form}, status=status)


def _ticket_page(
    request: AuthenticatedRequest, ticket: Ticket, form: PortalReplyForm, status: int = 200
) -> HttpResponse:
    conversation = messages_for(request.user, ticket).select_related(
        "author_user", "author_contact"
    )
    context = {"ticket": ticket, "conversation": conversation, "form": form}
    return render(request, "tickets/portal/ticket.html", context, status=status)


@login_required
def portal_ticket(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    contact = _contact(request)
    ticket = access_ticket(request.user, ticket_id)
    form = PortalReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = do_add_reply(
                ticket,
                body=form.cleaned_data["body"],
                author_contact=contact,
                channel=Channel.PORTAL,
                attachments=form.cleaned_data["attachments"],
            )
        except (ValidationError, Conflict) as error:
            form.add_error(
                None, error.message if isinstance(error, Conflict) else " ".join(error.messages)
            )
        else:
            if message.ticket_id != ticket.pk:
                messages.success(
                    request,
                    _("That request was closed; we opened a new one for you: %(reference)s.")
                    % {"reference": message.ticket.reference},
                )
            else:
                messages.success(request, _("Your reply has been sent."))
            return redirect("portal:ticket", message.ticket_id)
    return _ticket_page(request, ticket, form, status=422 if form.is_bound and form.errors else 200)
