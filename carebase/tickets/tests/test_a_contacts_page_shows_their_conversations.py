"""A contact's page lists their latest conversations, those the viewer may see."""

import pytest

from carebase.accounts.models import Team
from carebase.crm.actions import do_create_contact
from carebase.testing import client_for
from carebase.tickets.actions import do_create_ticket

pytestmark = pytest.mark.django_db


def test_a_contacts_page_lists_the_conversations_the_viewer_may_see(agent, head_of_support, sales):
    anna = do_create_contact(actor=None, name="Anna Nowak", emails=["anna@acme.example"])
    vip = Team.objects.create(slug="vip", name="VIP", kind="support")
    do_create_ticket(subject="Brak nagrań", body="x", requester=anna, channel="email")
    do_create_ticket(subject="Umowa VIP", body="x", requester=anna, channel="email", team=vip)
    head = client_for(head_of_support).get(f"/crm/contacts/{anna.pk}/").content.decode()
    assert "Brak nagrań" in head and "Umowa VIP" in head
    mine = client_for(agent).get(f"/crm/contacts/{anna.pk}/").content.decode()
    assert "Brak nagrań" in mine and "Umowa VIP" not in mine
    theirs = client_for(sales).get(f"/crm/contacts/{anna.pk}/").content.decode()
    assert 'id="contact-tickets"' not in theirs
