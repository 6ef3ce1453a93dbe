"""An article page is there only for those who may read the article:
anyone for a public one, signed-in customers for one for customers, staff
for an internal one, and for one restricted to roles only those who hold
one of them. For anyone else it does not exist: 404, never 403."""

import pytest
from django.test import Client

from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "public": article("Jak zmienić hasło", "Kliknij *Zmień hasło*.", visibility="public"),
        "customers": article(
            "Cennik dla klientów", "Ceny dla umów rocznych.", visibility="customers"
        ),
        "internal": article("Skrypt rozmowy", "Przedstaw się z imienia.", visibility="internal"),
        "roles": article(
            "Rabaty dla kluczowych klientów",
            "Do 20% przy umowie na dwa lata.",
            visibility="roles",
            reader_roles=["cs_manager"],
        ),
        "draft": article("Nowa funkcja", "Wkrótce.", visibility="public", publish=False),
    }


def status(client, item):
    return client.get(f"/help/pl/articles/{item.slug}/").status_code


def test_anonymous_reader_sees_public_articles_only(articles):
    client = Client()
    assert status(client, articles["public"]) == 200
    assert status(client, articles["customers"]) == 404
    assert status(client, articles["internal"]) == 404
    assert status(client, articles["roles"]) == 404
    assert status(client, articles["draft"]) == 404


def test_customer_also_sees_articles_for_customers_but_no_internal_one(articles, customer):
    client = client_for(customer)
    assert status(client, articles["public"]) == 200
    assert status(client, articles["customers"]) == 200
    assert status(client, articles["internal"]) == 404
    assert status(client, articles["roles"]) == 404


def test_staff_see_internal_articles_marked_internal_and_not_indexed(articles, agent):
    client = client_for(agent)
    page = client.get(f"/help/pl/articles/{articles['internal'].slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "badge-internal" in html
    assert '<meta name="robots" content="noindex">' in html
    public = client.get(f"/help/pl/articles/{articles['public'].slug}/").content.decode()
    assert "badge-internal" not in public
    assert 'name="robots"' not in public


def test_an_article_restricted_to_a_role_is_missing_for_staff_without_it(
    articles, agent, cs_manager
):
    assert status(client_for(agent), articles["roles"]) == 404
    assert status(client_for(cs_manager), articles["roles"]) == 200


def test_a_draft_is_missing_even_for_an_editor(articles, head_of_support):
    assert status(client_for(head_of_support), articles["draft"]) == 404


def test_an_article_is_only_at_its_own_language(articles):
    assert Client().get(f"/help/en/articles/{articles['public'].slug}/").status_code == 404
