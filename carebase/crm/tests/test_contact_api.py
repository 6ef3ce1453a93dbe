import pytest

from carebase.crm.models import Contact, ContactIdentity

pytestmark = pytest.mark.django_db


def test_an_agent_creates_a_contact_with_normalised_identities(agent, api_as):
    api = api_as(agent)
    response = api.post(
        "/contacts",
        {
            "name": "Anna Nowak",
            "emails": ["Anna.Nowak@Example.COM"],
            "phones": ["601 234 567", "+48 (22) 628-12-34"],
            "telegram": ["@AnnaNowak"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["emails"] == ["anna.nowak@example.com"]
    assert body["phones"] == ["+48601234567", "+48226281234"]
    assert body["telegram"] == ["@annanowak"]
    assert Contact.objects.get(pk=body["id"]).name == "Anna Nowak"


def test_a_duplicate_identity_is_refused_with_409_naming_the_holder(agent, api_as):
    api = api_as(agent)
    first = api.post("/contacts", {"name": "Anna Nowak", "phones": ["+48 601 234 567"]}).json()
    response = api.post("/contacts", {"name": "Someone Else", "phones": ["601234567"]})
    assert response.status_code == 409
    body = response.json()
    assert "Anna Nowak" in body["detail"]
    assert body["contact"] == first["id"]
    assert body["field"] == "phones"
    assert Contact.objects.count() == 1


def test_an_unreadable_phone_number_is_refused_with_422_saying_so(agent, api_as):
    response = api_as(agent).post("/contacts", {"name": "X", "phones": ["call me maybe"]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "phones"]
    assert "phone number" in detail[0]["msg"]
    assert Contact.objects.count() == 0


def test_an_invalid_email_is_refused_with_422_naming_the_field(agent, api_as):
    response = api_as(agent).post("/contacts", {"name": "X", "emails": ["not-an-email"]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "emails"]


def test_a_missing_name_is_a_422_naming_the_field(agent, api_as):
    response = api_as(agent).post("/contacts", {"emails": ["a@example.com"]})
    assert response.status_code == 422
    assert any("name" in error["loc"] for error in response.json()["detail"])


def test_invalid_json_is_a_400(agent, api_as):
    response = api_as(agent).post("/contacts", raw='{"name": "unterminated')
    assert response.status_code == 400
    assert "detail" in response.json()


def test_no_token_is_a_401(db, api_as):
    response = api_as(token=None).get("/contacts")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_wrong_token_is_a_401(db, api_as):
    assert api_as(token="cb_not-a-real-token").get("/contacts").status_code == 401


def test_a_trainee_can_read_but_not_create_contacts(trainee, api_as):
    api = api_as(trainee)
    assert api.get("/contacts").status_code == 200
    response = api.post("/contacts", {"name": "X"})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_customer_sees_only_their_organizations_contacts(customer, other_customer, api_as):
    items = api_as(customer).get("/contacts").json()["items"]
    assert [item["name"] for item in items] == ["Acmeuser"]
    other = Contact.objects.get(user=other_customer)
    assert api_as(customer).get(f"/contacts/{other.pk}").status_code == 404


def test_a_user_without_a_role_sees_no_contacts(customer, outsider, api_as):
    assert api_as(outsider).get("/contacts").json() == {"items": [], "next": None}


def test_contacts_are_found_by_phone_in_any_format(agent, api_as):
    api = api_as(agent)
    api.post("/contacts", {"name": "Anna", "phones": ["+48601234567"]})
    api.post("/contacts", {"name": "Bartek", "phones": ["+48602000000"]})
    items = api.get("/contacts", phone="0048 601-234-567").json()["items"]
    assert [item["name"] for item in items] == ["Anna"]
    assert api.get("/contacts", phone="garbage").json()["items"] == []


def test_contacts_are_found_by_email_in_any_case(agent, api_as):
    api = api_as(agent)
    api.post("/contacts", {"name": "Anna", "emails": ["anna@example.com"]})
    items = api.get("/contacts", email="ANNA@example.com").json()["items"]
    assert [item["name"] for item in items] == ["Anna"]


def test_patching_phones_replaces_them_and_keeps_emails(agent, api_as):
    api = api_as(agent)
    contact = api.post(
        "/contacts", {"name": "Anna", "emails": ["a@example.com"], "phones": ["601234567"]}
    ).json()
    response = api.patch(f"/contacts/{contact['id']}", {"phones": ["602 000 000"]})
    assert response.status_code == 200
    assert response.json()["phones"] == ["+48602000000"]
    assert response.json()["emails"] == ["a@example.com"]
    assert ContactIdentity.objects.filter(value="+48601234567").count() == 0


def test_a_failed_patch_changes_nothing(agent, api_as):
    api = api_as(agent)
    contact = api.post("/contacts", {"name": "Anna", "phones": ["601234567"]}).json()
    response = api.patch(f"/contacts/{contact['id']}", {"name": "Changed", "phones": ["nope"]})
    assert response.status_code == 422
    again = api.get(f"/contacts/{contact['id']}").json()
    assert again["name"] == "Anna"
    assert again["phones"] == ["+48601234567"]


def test_the_contact_list_pages_with_a_cursor(agent, api_as):
    api = api_as(agent)
    for number in range(5):
        api.post("/contacts", {"name": f"Person {number}"})
    first = api.get("/contacts", limit=2).json()
    assert len(first["items"]) == 2 and first["next"]
    second = api.get("/contacts", limit=2, cursor=first["next"]).json()
    third = api.get("/contacts", limit=2, cursor=second["next"]).json()
    names = [item["name"] for page in (first, second, third) for item in page["items"]]
    assert names == [f"Person {number}" for number in range(5)]
    assert third["next"] is None


def test_a_forged_cursor_is_a_400(agent, api_as):
    response = api_as(agent).get("/contacts", cursor="!!garbage")
    assert response.status_code == 400


def test_the_contact_list_costs_the_same_queries_for_many_rows(
    agent, api_as, django_assert_max_num_queries
):
    api = api_as(agent)
    for number in range(30):
        api.post("/contacts", {"name": f"P{number}", "emails": [f"p{number}@example.com"]})
    with django_assert_max_num_queries(6):
        response = api.get("/contacts", limit=30)
    assert len(response.json()["items"]) == 30


def test_a_customer_does_not_see_notes_about_their_colleagues(customer, agent, api_as):
    from carebase.crm.models import Organization

    acme = Organization.objects.get(name="Acme")
    api_as(agent).post(
        "/contacts", {"name": "Boss", "organization": acme.pk, "notes": "never give discounts"}
    )
    items = api_as(customer).get("/contacts").json()["items"]
    assert {item["name"] for item in items} == {"Acmeuser", "Boss"}
    assert all(item["notes"] is None for item in items)
