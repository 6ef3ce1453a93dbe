"""What the tests of the knowledge base beside a conversation build:
requesters, conversations, and the suggestion cards of a page."""

from __future__ import annotations

import re
from typing import Any

from carebase.crm.actions import do_create_contact
from carebase.crm.models import Contact, Organization
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.models import Ticket


def requester(name: str = "Łucja Żółkiewska", language: str = "pl", **fields: Any) -> Contact:
    email = fields.pop("email", f"{name.split()[0].lower()}@szybkitelefon.example")
    company = Organization.objects.get_or_create(name="Szybki Telefon sp. z o.o.")[0]
    return do_create_contact(
        actor=None, name=name, organization=company, emails=[email], language=language, **fields
    )


def conversation(
    subject: str = "Nie działa przekierowanie połączeń",
    body: str = "Od rana połączenia nie przechodzą na komórkę.",
    contact: Contact | None = None,
) -> Ticket:
    return do_create_ticket(
        subject=subject, body=body, requester=contact or requester(), channel="email"
    )


def customer_writes(ticket: Ticket, body: str) -> None:
    do_add_reply(ticket, body=body, author_contact=ticket.requester)


def cards(page: str) -> dict[int, str]:
    """The suggestion cards of a page (or of the list alone), by article id."""
    pattern = r'(<li class="kb-suggestion" id="kb-suggestion-(\d+)".*?</li>)'
    return {int(pk): block for block, pk in re.findall(pattern, page, re.DOTALL)}
