"""/help/ opens the help center in the signed-in reader's language, else
the browser's, else Polish; a language the help center does not speak is a
404 on every page."""

import pytest
from django.test import Client

from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-US,en;q=0.9", "/help/en/"),
        ("de-DE, pl;q=0.5, en;q=0.4", "/help/pl/"),
        ("pl;q=0.2, en-GB;q=0.8", "/help/en/"),
        ("de, fr", "/help/pl/"),
        ("", "/help/pl/"),
        ("en;q=0, pl;q=oops", "/help/pl/"),
    ],
)
def test_an_anonymous_reader_goes_by_the_browser_language(accept_language, expected):
    answer = Client().get("/help/", headers={"Accept-Language": accept_language})
    assert answer.status_code == 302
    assert answer["Location"] == expected
    assert "Accept-Language" in answer["Vary"]


def test_a_signed_in_reader_goes_by_the_language_of_the_profile(agent):
    agent.language = "en"
    agent.save(update_fields=["language"])
    answer = client_for(agent).get("/help/", headers={"Accept-Language": "pl"})
    assert answer["Location"] == "/help/en/"


def test_a_profile_without_a_language_falls_back_to_the_browser(agent):
    agent.language = ""
    agent.save(update_fields=["language"])
    answer = client_for(agent).get("/help/", headers={"Accept-Language": "en"})
    assert answer["Location"] == "/help/en/"


def test_an_unknown_language_is_not_found():
    item = article("Nagrywanie rozmów", "Tekst.")
    client = Client()
    for url in [
        "/help/de/",
        "/help/de/faq/",
        "/help/de/search/?q=nagrania",
        f"/help/de/articles/{item.slug}/",
        "/help/PL/",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/help/de/articles/{item.slug}/feedback/", {"helpful": "yes"}).status_code
        == 404
    )
