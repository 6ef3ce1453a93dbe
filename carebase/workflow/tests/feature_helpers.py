"""Organizations that pay, people who ask and the conversations they ask in,
for the feature board's tests."""

from __future__ import annotations

from decimal import Decimal

from carebase.accounts.models import Team
from carebase.crm.actions import do_create_contact, do_create_organization
from carebase.crm.models import Contact, Organization
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import RequestType, Ticket


def organization(name: str, mrr: str, currency: str = "PLN") -> Organization:
    return do_create_organization(actor=None, name=name, mrr=Decimal(mrr), currency=currency)


def person(
    name: str, organization: Organization | None, *, language: str = "pl", email: bool = True
) -> Contact:
    domain = (organization.name if organization else "home").lower().replace(" ", "-")
    address = f"{name.split()[0].lower()}@{domain}.example"
    return do_create_contact(
        actor=None,
        name=name,
        organization=organization,
        language=language,
        emails=[address] if email else [],
    )


def conversation(
    requester: Contact,
    subject: str = "Powiadomienie SMS o nieodebranym połączeniu",
    *,
    type: str = RequestType.FEATURE_REQUEST,
    team: Team | None = None,
) -> Ticket:
    return do_create_ticket(
        subject=subject,
        body="Byłoby super, gdyby system wysyłał SMS po nieodebranym połączeniu.",
        requester=requester,
        channel="email",
        type=type,
        team=team,
    )


def support_team() -> Team:
    return Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )[0]


def success_team() -> Team:
    return Team.objects.get_or_create(
        slug="success", defaults={"name": "Customer Success", "kind": "success"}
    )[0]
