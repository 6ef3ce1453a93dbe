"""The conversations' background work: email about them, late indexing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_tasks import task

from carebase.accounts.models import User
from carebase.core.emails import send_templated
from carebase.tickets.models import Message, Ticket


@task()
def index_texts(ticket_id: int, texts: list[str]) -> None:
    """Search terms of a conversation's new texts, from a process that left
    the indexing to the worker (see core.search.indexing_later)."""
    from carebase.tickets.search import add_texts

    add_texts(ticket_id, texts)


@task()
def reindex_requester(contact_id: int) -> int:
    """The search documents of a contact's conversations, after what they
    hold of the contact (name, addresses) changed: a merge moved them."""
    from carebase.tickets.search import reindex_ticket

    tickets = Ticket.objects.filter(requester=contact_id).select_related(
        "requester", "organization"
    )
    count = 0
    for ticket in tickets.prefetch_related("requester__identities").iterator(chunk_size=200):
        reindex_ticket(ticket)
        count += 1
    return count


def reindex_merged_requester(sender: Any, *, kept_id: int, **extra: Any) -> None:
    """crm.signals.contacts_merged: the conversations moved to the kept
    contact are found by its name from now on."""
    reindex_requester.enqueue(kept_id)


@task()
def send_ticket_email(
    kind: str, ticket_id: int, user_id: int | None, message_id: int | None
) -> None:
    ticket = Ticket.objects.select_related("requester").filter(pk=ticket_id).first()
    if ticket is None:
        return
    message = (
        Message.objects.select_related("author_user").filter(pk=message_id).first()
        if message_id
        else None
    )
    if kind in ("assigned", "customer_replied"):
        user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
        if user is None or not user.email:
            return
        context = {
            "ticket": ticket,
            "user": user,
            "message": message,
            "link": reverse("tickets:ticket_detail", args=[ticket.pk]),
        }
        send_templated([user.email], f"tickets/email/{kind}", context, language=user.language)
    elif kind == "agent_replied" and message is not None:
        emails = ticket.requester.emails
        if not emails:
            return
        # The portal link only helps someone who can sign in.
        link = reverse("portal:ticket", args=[ticket.pk]) if ticket.requester.user_id else ""
        reply: dict[str, Any] = {
            "ticket": ticket,
            "contact": ticket.requester,
            "message": message,
            "link": link,
        }
        send_templated(
            [emails[0]], "tickets/email/agent_replied", reply, language=ticket.requester.language
        )
