"""The knowledge base beside a conversation: its suggested articles, a
search by hand (the card's search box asks for the list alone through
htmx; without JavaScript it is a page of its own), and flagging an article
as outdated from the conversation that showed it was."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm
from carebase.kb.access import access_article
from carebase.kb.actions import do_flag_outdated
from carebase.kb.panels import agent_context
from carebase.kb.suggest import MAX_QUERY_CHARS, find_articles, suggestions
from carebase.tickets.access import access_ticket

SEARCH_LIMIT = 10


class FlagForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What is outdated?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The article's owner reads it, with a link to this conversation."),
    )


@login_required
@require_GET
def suggestion_list(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    """The conversation's suggested articles, or those matching `q`."""
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        raise Http404
    ticket = access_ticket(request.user, ticket_id)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    if query:
        found = find_articles(query, request.user, ticket.requester.language, SEARCH_LIMIT)
    else:
        found = suggestions(ticket, request.user)
    context = {**agent_context(ticket, request.user), "suggestions": found, "query": query}
    if request.headers.get("HX-Request"):
        return render(request, "kb/agent/_list.html", context)
    # A page of its own, without the conversation's reply to insert into.
    context["can_insert"] = False
    return render(request, "kb/agent/suggestions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: AuthenticatedRequest, ticket_id: int, article_id: int) -> HttpResponse:
    """Flag an article as outdated: a review item for its owner, linked to
    the conversation."""
    ticket = access_ticket(request.user, ticket_id, work=True)
    article = access_article(request.user, article_id)
    form = FlagForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        do_flag_outdated(article, request.user, form.cleaned_data["note"], ticket)
        messages.success(
            request,
            _("Flagged “%(title)s” as outdated: its owner will review it.")
            % {"title": article.title},
        )
        return redirect("tickets:ticket_detail", ticket.pk)
    status = 422 if request.method == "POST" else 200
    context = {"ticket": ticket, "article": article, "form": form}
    return render(request, "kb/agent/flag.html", context, status=status)
