import pytest

from carebase.crm.actions import do_create_contact, do_create_organization
from carebase.crm.models import Contact
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    organization = do_create_organization(actor=None, name="Acme")
    return do_create_contact(
        actor=None,
        name="Anna Nowak",
        organization=organization,
        emails=["anna@acme.example"],
        phones=["+48 601 234 567"],
    )


def test_an_agent_creates_a_contact_with_several_emails_and_phones(agent):
    response = client_for(agent).post(
        "/crm/contacts/new/",
        {
            "name": "Jan Kowalski",
            "language": "pl",
            "emails": "jan@example.com\nJ.Kowalski@Example.com",
            "phones": "601 234 567, 22 628 12 34",
        },
    )
    contact = Contact.objects.get(name="Jan Kowalski")
    assert response.status_code == 302
    assert sorted(contact.emails) == ["j.kowalski@example.com", "jan@example.com"]
    assert sorted(contact.phones) == ["+48226281234", "+48601234567"]


def test_an_unreadable_phone_number_is_refused_with_a_message_that_says_so(agent):
    response = client_for(agent).post(
        "/crm/contacts/new/", {"name": "Jan", "language": "pl", "phones": "12ab"}
    )
    assert response.status_code == 422
    assert "phone number" in response.context["form"].errors["phones"][0]
    assert not Contact.objects.exists()


def test_a_duplicate_phone_names_the_contact_that_holds_it(agent, anna):
    response = client_for(agent).post(
        "/crm/contacts/new/", {"name": "Someone", "language": "pl", "phones": "0048601234567"}
    )
    assert response.status_code == 422
    message = response.context["form"].errors["phones"][0]
    assert "Anna Nowak" in message and str(anna.pk) in message
    assert Contact.objects.count() == 1


def test_contacts_are_found_by_phone_number_typed_any_way(agent, anna):
    page = client_for(agent).get("/crm/contacts/", {"q": "601-234-567"}).content.decode()
    assert "Anna Nowak" in page


def test_contacts_are_found_by_part_of_the_email(agent, anna):
    page = client_for(agent).get("/crm/contacts/", {"q": "acme.example"}).content.decode()
    assert "Anna Nowak" in page


def test_editing_a_contact_keeps_identities_that_did_not_change(agent, anna):
    client = client_for(agent)
    form = client.get(f"/crm/contacts/{anna.pk}/edit/").context["form"]
    assert form.initial["phones"] == ["+48601234567"]
    response = client.post(
        f"/crm/contacts/{anna.pk}/edit/",
        {
            "name": "Anna Nowak-Kowalska",
            "language": "en",
            "organization": anna.organization_id,
            "emails": "anna@acme.example",
            "phones": "+48601234567\n+49 30 1234567",
        },
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.name == "Anna Nowak-Kowalska"
    assert sorted(anna.phones) == ["+48601234567", "+49301234567"]
    assert anna.language == "en"


def test_the_contact_page_shows_the_history(agent, anna):
    client = client_for(agent)
    client.post(
        f"/crm/contacts/{anna.pk}/edit/",
        {"name": "Anna N.", "language": "pl", "emails": "anna@acme.example", "phones": "601234567"},
    )
    page = client.get(f"/crm/contacts/{anna.pk}/").content.decode()
    assert "Contact updated" in page and "Contact created" in page


def test_a_mentor_cannot_edit_contacts(mentor, anna):
    assert client_for(mentor).get(f"/crm/contacts/{anna.pk}/edit/").status_code == 403
    response = client_for(mentor).post(f"/crm/contacts/{anna.pk}/edit/", {"name": "X"})
    assert response.status_code == 403
    anna.refresh_from_db()
    assert anna.name == "Anna Nowak"


def test_the_contact_list_costs_a_fixed_number_of_queries(agent, django_assert_max_num_queries):
    organization = do_create_organization(actor=None, name="Acme")
    for number in range(25):
        do_create_contact(
            actor=None,
            name=f"P{number}",
            organization=organization,
            emails=[f"p{number}@example.com"],
            phones=[f"+4860100{number:04d}"],
        )
    client = client_for(agent)
    client.get("/crm/contacts/")
    with django_assert_max_num_queries(10):
        assert client.get("/crm/contacts/").status_code == 200


def test_contacts_are_found_by_name_in_any_letter_case(agent):
    do_create_contact(actor=None, name="ŁUKASZ Żółw")
    page = client_for(agent).get("/crm/contacts/", {"q": "łukasz żół"}).content.decode()
    assert "ŁUKASZ Żółw" in page


def test_identities_are_read_only_in_django_admin(admin, anna):
    page = client_for(admin).get(f"/admin/crm/contact/{anna.pk}/change/").content.decode()
    assert "+48601234567" in page
    assert 'name="identities-0-value"' not in page
