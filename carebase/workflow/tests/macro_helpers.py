"""What the macros' tests build: teams, requesters, conversations, macros."""

from __future__ import annotations

from typing import Any

from carebase.accounts.models import Team
from carebase.crm.actions import do_create_contact
from carebase.crm.models import Contact, Organization
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import Ticket
from carebase.workflow.macros import MacroData, do_save_macro
from carebase.workflow.models import Macro


def team(slug: str, *members: Any) -> Team:
    made = Team.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "kind": "support"}
    )[0]
    made.members.add(*members)
    return made


def requester(
    name: str = "Łucja Żółkiewska",
    organization: str | None = "Szybki Telefon sp. z o.o.",
    **kw: Any,
) -> Contact:
    email = kw.pop("email", "lucja@szybkitelefon.example")
    known = Contact.objects.filter(identities__kind="email", identities__value=email).first()
    if known is not None:  # a second conversation of the same person
        return known
    company = Organization.objects.get_or_create(name=organization)[0] if organization else None
    return do_create_contact(actor=None, name=name, organization=company, emails=[email], **kw)


def conversation(contact: Contact | None = None, **fields: Any) -> Ticket:
    contact = contact or requester()
    return do_create_ticket(
        subject=fields.pop("subject", "Nie działa przekierowanie połączeń"),
        body="Od rana połączenia nie przechodzą na komórkę.",
        requester=contact,
        channel="email",
        **fields,
    )


def macro(actor: Any, name: str, body: str = "", **fields: Any) -> Macro:
    return do_save_macro(MacroData(name=name, body=body, **fields), actor=actor)
