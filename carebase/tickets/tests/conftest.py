import pytest

from carebase.accounts.models import Team
from carebase.crm.actions import do_create_contact
from carebase.crm.models import Contact, Organization


# get_or_create: transactional tests flush the teams the data migration made.
@pytest.fixture
def support(db) -> Team:
    return Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )[0]


@pytest.fixture
def success(db) -> Team:
    return Team.objects.get_or_create(
        slug="success", defaults={"name": "Customer Success", "kind": "success"}
    )[0]


@pytest.fixture
def acme_contact(customer) -> Contact:
    """The Acme customer's own contact (the customer persona logs in as it)."""
    return Contact.objects.get(user=customer)


@pytest.fixture
def acme_colleague(customer) -> Contact:
    acme = Organization.objects.get(name="Acme")
    return do_create_contact(
        actor=None, name="Adam Acme", organization=acme, emails=["adam@acme.example"]
    )


@pytest.fixture
def globex_contact(other_customer) -> Contact:
    return Contact.objects.get(user=other_customer)
