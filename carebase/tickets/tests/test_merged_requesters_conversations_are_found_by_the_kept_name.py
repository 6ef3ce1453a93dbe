"""After two contacts are merged, the conversations that moved are found by
the kept contact's name and addresses (their search documents are rebuilt)."""

import pytest

from carebase.crm.actions import do_create_contact, do_merge_contacts
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import Ticket
from carebase.tickets.search import search_condition

pytestmark = pytest.mark.django_db


def found(query, user):
    return set(Ticket.objects.filter(search_condition(query, user)).values_list("pk", flat=True))


def test_moved_conversations_are_found_by_the_kept_contacts_name(
    agent, head_of_support, django_capture_on_commit_callbacks
):
    kept = do_create_contact(actor=None, name="Grażyna Kowalczyk", emails=["grazyna@acme.example"])
    duplicate = do_create_contact(actor=None, name="G. K.", emails=["gk@private.example"])
    ticket = do_create_ticket(
        subject="Brak nagrań", body="Od wczoraj.", requester=duplicate, channel="email"
    )
    assert ticket.pk not in found("Kowalczyk", head_of_support)
    with django_capture_on_commit_callbacks(execute=True):
        do_merge_contacts(kept, duplicate, actor=agent)
    assert ticket.pk in found("Kowalczyk", head_of_support)
    assert ticket.pk in found("grazyna@acme.example", head_of_support)
