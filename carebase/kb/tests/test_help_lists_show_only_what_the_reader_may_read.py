"""The home, a category, the FAQ, search and the related articles list only
what the reader may read; a category holding nothing readable for them
does not exist for them."""

import pytest
from django.test import Client

from carebase.kb.models import Category
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves():
    billing = Category.objects.create(slug="billing", name_pl="Płatności", name_en="Billing")
    staff_only = Category.objects.create(
        slug="call-scripts", name_pl="Skrypty rozmów", name_en="Call scripts"
    )
    for title, visibility, kind in [
        ("Faktura jako PDF", "public", "faq"),
        ("Faktura zbiorcza dla klientów", "customers", "faq"),
        ("Faktura korygująca krok po kroku", "internal", "faq"),
    ]:
        article(
            title,
            f"{title}: pobierzesz ją w zakładce Płatności.",
            visibility=visibility,
            kind=kind,
            category=billing,
            tags=["faktura"],
        )
    article(
        "Skrypt rozmowy o fakturze", "Przedstaw się.", visibility="internal", category=staff_only
    )
    return billing, staff_only


def pages(client):
    return {
        "home": client.get("/help/pl/").content.decode(),
        "category": client.get("/help/pl/categories/billing/").content.decode(),
        "faq": client.get("/help/pl/faq/").content.decode(),
        "search": client.get("/help/pl/search/", {"q": "faktura"}).content.decode(),
        "related": client.get("/help/pl/articles/faktura-jako-pdf/").content.decode(),
    }


def test_anonymous_reader_is_shown_public_articles_only(shelves):
    client = Client()
    for name, html in pages(client).items():
        assert "Faktura zbiorcza dla klientów" not in html, name
        assert "Faktura korygująca krok po kroku" not in html, name
        assert "Skrypt rozmowy o fakturze" not in html, name
    listed = pages(client)
    assert "Faktura jako PDF" in listed["home"]
    assert "Faktura jako PDF" in listed["search"]
    assert "Skrypty rozmów" not in listed["home"]
    assert client.get("/help/pl/categories/call-scripts/").status_code == 404


def test_a_customer_is_also_shown_articles_for_customers(shelves, customer):
    listed = pages(client_for(customer))
    for name in ("home", "category", "faq", "search", "related"):
        assert "Faktura zbiorcza dla klientów" in listed[name], name
        assert "Faktura korygująca krok po kroku" not in listed[name], name


def test_staff_are_also_shown_internal_articles(shelves, agent):
    client = client_for(agent)
    listed = pages(client)
    for name in ("home", "category", "faq", "search", "related"):
        assert "Faktura korygująca krok po kroku" in listed[name], name
    assert client.get("/help/pl/categories/call-scripts/").status_code == 200


def test_the_home_counts_only_readable_articles(shelves):
    assert "1 artykuł<" in Client().get("/help/pl/").content.decode()
