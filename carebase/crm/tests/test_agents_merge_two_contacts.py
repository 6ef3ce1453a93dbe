"""Agents merge a duplicate contact into the one they keep: identities,
conversations, messages, calls and history move, the duplicate is deleted."""

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carebase.core.errors import Conflict
from carebase.core.models import AuditEvent
from carebase.crm.actions import (
    do_create_contact,
    do_create_organization,
    do_merge_contacts,
    do_update_contact,
    plan_contact_merge,
)
from carebase.crm.models import Contact, ContactIdentity, IdentityKind
from carebase.crm.signals import contacts_merged
from carebase.telephony.models import Call, CallSource, Direction, Disposition, Pbx
from carebase.testing import client_for, make_customer
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.models import Channel, Message, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    return do_create_organization(actor=None, name="Acme")


@pytest.fixture
def anna(acme):
    return do_create_contact(
        actor=None,
        name="Anna Nowak",
        organization=acme,
        emails=["anna@acme.example"],
        phones=["601 234 567"],
        notes="Decides on the phone plan.",
    )


@pytest.fixture
def duplicate(db):
    """The same person, filed again when she wrote from her private address."""
    return do_create_contact(
        actor=None,
        name="A. Nowak",
        job_title="CTO",
        emails=["a.nowak@private.example"],
        telegram=["@annanowak"],
        notes="Prefers Telegram.",
    )


def ticket_of(contact: Contact, subject: str = "The line is down") -> Ticket:
    return do_create_ticket(
        subject=subject, body="Nobody can call us.", requester=contact, channel=Channel.EMAIL
    )


def call_of(contact: Contact, unique_id: str = "1700000000.1") -> Call:
    pbx, _created = Pbx.objects.get_or_create(name="main")
    return Call.objects.create(
        pbx=pbx,
        unique_id=unique_id,
        direction=Direction.INBOUND,
        caller="+48602345678",
        callee="100",
        contact=contact,
        started_at=datetime(2025, 3, 3, 9, 0, tzinfo=UTC),
        disposition=Disposition.MISSED,
        source=CallSource.CDR,
    )


def state() -> dict:
    """Everything a refused merge must leave as it was."""
    return {
        "contacts": list(Contact.objects.order_by("pk").values()),
        "identities": list(ContactIdentity.objects.order_by("pk").values("contact", "value")),
        "tickets": list(Ticket.objects.order_by("pk").values_list("pk", "requester")),
        "messages": list(Message.objects.order_by("pk").values_list("pk", "author_contact")),
        "calls": list(Call.objects.order_by("pk").values_list("pk", "contact")),
        "events": list(
            AuditEvent.objects.filter(kind__startswith="crm.")
            .order_by("pk")
            .values("target_id", "kind", "data")
        ),
    }


def test_merging_moves_the_identities_conversations_and_messages_to_the_kept_contact(
    agent, anna, duplicate
):
    ticket = ticket_of(duplicate)
    reply = do_add_reply(ticket, body="Still down.", author_contact=duplicate)
    duplicate_id = duplicate.pk

    do_merge_contacts(anna, duplicate, actor=agent)

    assert not Contact.objects.filter(pk=duplicate_id).exists()
    assert sorted(anna.emails) == ["a.nowak@private.example", "anna@acme.example"]
    assert anna.phones == ["+48601234567"] and anna.telegram == ["@annanowak"]
    ticket.refresh_from_db()
    assert ticket.requester == anna
    assert set(Message.objects.filter(ticket=ticket).values_list("author_contact", flat=True)) == {
        anna.pk
    }
    assert Message.objects.get(pk=reply.pk).author_contact == anna


def test_merging_moves_the_duplicates_calls(agent, anna, duplicate):
    call = call_of(duplicate)
    own_call = call_of(anna, unique_id="1700000000.2")

    do_merge_contacts(anna, duplicate, actor=agent)

    assert set(Call.objects.values_list("pk", "contact")) == {
        (call.pk, anna.pk),
        (own_call.pk, anna.pk),
    }


def test_the_kept_contact_takes_the_fields_it_lacks_and_keeps_its_own(agent, duplicate):
    globex = do_create_organization(actor=None, name="Globex")
    kept = do_create_contact(actor=None, name="Anna Nowak", notes="Decides on the phone plan.")
    do_update_contact(duplicate, actor=None, language="en", organization=globex)

    do_merge_contacts(kept, duplicate, actor=agent)

    assert kept.name == "Anna Nowak" and kept.language == "pl"
    assert kept.organization == globex
    assert kept.job_title == "CTO"
    assert kept.notes == "Decides on the phone plan.\n\nPrefers Telegram."


def test_a_job_title_the_kept_contact_has_is_not_overwritten_and_notes_are_not_repeated(
    agent, anna, duplicate
):
    do_update_contact(anna, actor=None, job_title="Head of IT", notes="Prefers Telegram.")

    merge = do_merge_contacts(anna, duplicate, actor=agent)

    assert anna.job_title == "Head of IT" and anna.notes == "Prefers Telegram."
    assert anna.organization.name == "Acme"
    assert merge.values == {}


def test_two_contacts_never_hold_the_same_identity_so_each_is_kept_once(agent, anna, duplicate):
    # The unique (kind, value) constraint is what a merge relies on: the same
    # address can never be on both contacts, so moving them cannot make a pair.
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactIdentity.objects.create(
            contact=duplicate, kind=IdentityKind.EMAIL, value="anna@acme.example"
        )
    # The same number as a phone of one and the WhatsApp of the other is two
    # identities of two kinds: both stay, once each.
    do_update_contact(duplicate, actor=None, whatsapp=["+48 601 234 567"])

    do_merge_contacts(anna, duplicate, actor=agent)

    held = list(ContactIdentity.objects.values_list("contact", "kind", "value"))
    assert len(held) == len(set(held)) == 5
    assert anna.phones == anna.whatsapp == ["+48601234567"]


def test_the_merge_is_recorded_on_the_kept_contact_with_the_duplicates_history(
    agent, anna, duplicate
):
    ticket_of(duplicate)
    call_of(duplicate)
    duplicate_id = duplicate.pk

    do_merge_contacts(anna, duplicate, actor=agent)

    event = AuditEvent.objects.get(kind="crm.contact_merged")
    assert event.target_id == anna.pk and event.actor == agent
    assert event.data["merged"] == {"id": duplicate_id, "name": "A. Nowak"}
    assert event.data["moved"] == {
        "crm.contactidentity.contact": 2,
        "tickets.ticket.requester": 1,
        "tickets.message.author_contact": 1,
        "telephony.call.contact": 1,
    }
    assert event.data["identities"] == {
        "emails": ["a.nowak@private.example"],
        "telegram": ["@annanowak"],
    }
    assert event.data["changes"]["job_title"] == ["", "CTO"]
    # The duplicate's own history now shows on the kept contact, not emptied.
    created = AuditEvent.objects.get(kind="crm.contact_created", data__name="A. Nowak")
    assert created.target_id == anna.pk
    assert created.data["merged_from"] == duplicate_id
    assert event.data["history"] == 1
    contact_type = ContentType.objects.get_for_model(Contact)
    assert not AuditEvent.objects.filter(target_type=contact_type, target_id=duplicate_id)


def test_the_merge_signals_the_apps_built_on_crm_once_it_has_committed(
    agent, anna, duplicate, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    ticket_of(duplicate)
    duplicate_id = duplicate.pk
    contacts_merged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            do_merge_contacts(anna, duplicate, actor=agent)
            assert heard == []
    finally:
        contacts_merged.disconnect(receiver)

    assert len(callbacks) >= 1
    assert heard == [
        {
            "signal": contacts_merged,
            "kept_id": anna.pk,
            "merged_id": duplicate_id,
            "moved": {
                "crm.contactidentity.contact": 2,
                "tickets.ticket.requester": 1,
                "tickets.message.author_contact": 1,
            },
        }
    ]


def test_a_contact_cannot_be_merged_into_itself(agent, anna, api_as):
    before = state()

    with pytest.raises(ValidationError) as refused:
        do_merge_contacts(anna, Contact.objects.get(pk=anna.pk), actor=agent)
    assert "itself" in refused.value.message_dict["duplicate"][0]
    response = api_as(agent).post(f"/contacts/{anna.pk}/merge", {"duplicate": anna.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "duplicate"]
    page = client_for(agent).post(f"/crm/contacts/{anna.pk}/merge/", {"duplicate": anna.pk})
    assert page.status_code == 422 and "itself" in page.context["problem"]

    assert state() == before


def test_a_duplicate_deleted_meanwhile_is_a_conflict(agent, anna, duplicate):
    Contact.objects.filter(pk=duplicate.pk).delete()
    before = state()

    with pytest.raises(Conflict) as refused:
        do_merge_contacts(anna, duplicate, actor=agent)

    assert "A. Nowak" in refused.value.message
    assert state() == before


def test_a_customer_cannot_merge_contacts(customer, other_customer, api_as):
    own = Contact.objects.get(user=customer)
    colleague = do_create_contact(actor=None, name="Colleague", organization=own.organization)
    foreign = Contact.objects.get(user=other_customer)
    before = state()
    api = api_as(customer)

    assert api.post(f"/contacts/{own.pk}/merge", {"duplicate": colleague.pk}).status_code == 403
    assert api.post(f"/contacts/{foreign.pk}/merge", {"duplicate": own.pk}).status_code == 404
    page = client_for(customer).post(f"/crm/contacts/{own.pk}/merge/", {"duplicate": colleague.pk})
    assert page.status_code == 404

    assert state() == before


def test_a_role_without_the_right_to_edit_contacts_cannot_merge(
    mentor, trainee, anna, duplicate, api_as
):
    before = state()

    for user in (mentor, trainee):
        response = api_as(user).post(f"/contacts/{anna.pk}/merge", {"duplicate": duplicate.pk})
        assert response.status_code == 403
        client = client_for(user)
        assert client.get(f"/crm/contacts/{anna.pk}/merge/").status_code == 403
        page = client.post(f"/crm/contacts/{anna.pk}/merge/", {"duplicate": duplicate.pk})
        assert page.status_code == 403
        detail = client.get(f"/crm/contacts/{anna.pk}/").content.decode()
        assert "Merge another contact into this one" not in detail

    assert state() == before


def test_an_invisible_or_unknown_duplicate_answers_404(agent, anna, api_as):
    before = state()

    response = api_as(agent).post(f"/contacts/{anna.pk}/merge", {"duplicate": 999_999})
    assert response.status_code == 404
    response = api_as(agent).post("/contacts/999999/merge", {"duplicate": anna.pk})
    assert response.status_code == 404
    page = client_for(agent).get(f"/crm/contacts/{anna.pk}/merge/", {"duplicate": 999_999})
    assert page.status_code == 404

    assert state() == before


def test_two_contacts_that_both_sign_in_are_not_merged_and_nothing_changes(
    head_of_support, customer, api_as
):
    kept = Contact.objects.get(user=customer)
    second = Contact.objects.get(user=make_customer("acmeuser2", "Acme"))
    ticket_of(second)
    before = state()

    response = api_as(head_of_support).post(f"/contacts/{kept.pk}/merge", {"duplicate": second.pk})
    assert response.status_code == 409
    assert "portal" in response.json()["detail"]
    page = client_for(head_of_support).post(
        f"/crm/contacts/{kept.pk}/merge/", {"duplicate": second.pk}
    )
    assert page.status_code == 409 and "portal" in page.context["problem"]
    review = client_for(head_of_support).get(
        f"/crm/contacts/{kept.pk}/merge/", {"duplicate": second.pk}
    )
    assert review.status_code == 409 and b'type="submit">Merge' not in review.content

    assert state() == before


def test_the_duplicates_login_moves_when_the_kept_contact_has_none(agent, customer):
    login_contact = Contact.objects.get(user=customer)
    do_update_contact(login_contact, actor=None, sees_organization_tickets=False)
    kept = do_create_contact(actor=None, name="Acme User", organization=login_contact.organization)

    merge = do_merge_contacts(kept, login_contact, actor=agent)

    assert merge.moves_login
    assert Contact.objects.get(user=customer) == kept
    # The login saw only the conversations it started; the merge does not widen that.
    assert kept.sees_organization_tickets is False


def test_a_login_is_not_moved_into_another_organization(agent, customer, api_as):
    login_contact = Contact.objects.get(user=customer)
    globex = do_create_organization(actor=None, name="Globex")
    kept = do_create_contact(actor=None, name="Acme User at Globex", organization=globex)
    before = state()

    response = api_as(agent).post(f"/contacts/{kept.pk}/merge", {"duplicate": login_contact.pk})

    assert response.status_code == 409
    assert "Globex" in response.json()["detail"]
    assert state() == before


def test_a_login_does_not_gain_the_organization_of_the_duplicate(agent, customer, api_as):
    kept = Contact.objects.get(user=customer)
    do_update_contact(kept, actor=None, organization=None)
    other = do_create_contact(
        actor=None,
        name="Someone at Globex",
        organization=do_create_organization(actor=None, name="Globex"),
    )

    with pytest.raises(Conflict) as refused:
        plan_contact_merge(kept, other)

    assert "Globex" in refused.value.message


def test_the_api_merges_and_answers_the_kept_contact(agent, anna, duplicate, api_as):
    ticket_of(duplicate)

    response = api_as(agent).post(f"/contacts/{anna.pk}/merge", {"duplicate": duplicate.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == anna.pk and body["name"] == "Anna Nowak"
    assert sorted(body["emails"]) == ["a.nowak@private.example", "anna@acme.example"]
    assert body["telegram"] == ["@annanowak"] and body["job_title"] == "CTO"
    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    assert Ticket.objects.get().requester_id == anna.pk


@pytest.mark.parametrize("body", [{}, {"duplicate": "x"}, {"duplicate": 0}, {"duplicate": None}])
def test_the_api_refuses_an_unreadable_duplicate_and_changes_nothing(agent, anna, body, api_as):
    before = state()

    response = api_as(agent).post(f"/contacts/{anna.pk}/merge", body)

    assert response.status_code == 422
    assert state() == before


def test_the_merge_endpoint_is_documented(agent, api_as):
    schema = api_as(agent).get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/contacts/{contact_id}/merge"]["post"]
    assert operation["summary"] == "Merge a duplicate contact into this one"
    assert "409" in operation["responses"] and "portal login" in operation["description"]


def test_an_agent_finds_the_duplicate_reviews_what_moves_and_merges_it_on_the_page(
    agent, anna, duplicate
):
    ticket_of(duplicate)
    call_of(duplicate)
    client = client_for(agent)

    detail = client.get(f"/crm/contacts/{anna.pk}/").content.decode()
    assert "Merge another contact into this one" in detail

    found = client.get(f"/crm/contacts/{anna.pk}/merge/", {"q": "nowak"})
    assert found.status_code == 200
    assert list(found.context["candidates"]) == [duplicate]  # never the kept contact itself

    review = client.get(f"/crm/contacts/{anna.pk}/merge/", {"duplicate": duplicate.pk})
    assert review.status_code == 200
    counts = {relation.label: relation.count for relation in review.context["merge"].relations}
    assert counts["Contact identities"] == 2
    assert counts["Tickets"] == 1 and counts["Messages"] == 1 and counts["Calls"] == 1
    assert "a.nowak@private.example" in review.content.decode()
    assert 'type="submit">Merge' in review.content.decode()
    assert Contact.objects.filter(pk=duplicate.pk).exists()  # looking changes nothing

    response = client.post(
        f"/crm/contacts/{anna.pk}/merge/", {"duplicate": duplicate.pk}, follow=True
    )
    assert response.redirect_chain == [(f"/crm/contacts/{anna.pk}/", 302)]
    page = response.content.decode()
    assert "A. Nowak was merged into this contact." in page
    assert "Contact merged" in page
    assert not Contact.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_page_refuses_an_unreadable_duplicate(agent, anna):
    response = client_for(agent).get(f"/crm/contacts/{anna.pk}/merge/", {"duplicate": "abc"})

    assert response.status_code == 422
    assert response.context["form"].errors["duplicate"]


def test_every_relation_to_a_contact_is_one_the_merge_moves():
    # A many-to-many to Contact would need its own handling in do_merge_contacts.
    relations = Contact._meta.related_objects
    assert not [relation for relation in relations if relation.many_to_many]
    assert {"tickets.ticket", "tickets.message", "telephony.call"} <= {
        relation.related_model._meta.label_lower for relation in relations
    }
