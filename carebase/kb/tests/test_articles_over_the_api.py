"""Articles over the REST API: the design's shapes, scoped by the token's user."""

import pytest

from carebase.kb.models import Article, ArticleStatus
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def test_an_editor_creates_and_publishes_an_article(api_as, head_of_support):
    api = api_as(head_of_support)
    response = api.post(
        "/kb/articles",
        {
            "title": "Nagrywanie rozmów",
            "body": "## Włączanie\n\nOtwórz **Ustawienia**.",
            "language": "pl",
            "visibility": "public",
            "status": "published",
            "tags": ["Nagrania"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "nagrywanie-rozmow"
    assert body["status"] == "published"
    assert body["version"] == 1
    assert body["tags"] == ["nagrania"]
    assert '<h2 id="wlaczanie">' in body["body_html"]
    assert body["url"].endswith("/help/pl/articles/nagrywanie-rozmow/")


def test_a_slug_clash_is_refused_with_a_free_suggestion(api_as, head_of_support):
    article("Nagrywanie rozmów")
    response = api_as(head_of_support).post(
        "/kb/articles",
        {"title": "Inne", "slug": "nagrywanie-rozmow", "language": "pl", "visibility": "public"},
    )
    assert response.status_code == 409
    assert response.json()["suggestion"] == "nagrywanie-rozmow-2"
    assert Article.objects.count() == 1


def test_agents_and_customers_may_not_write(api_as, agent, customer):
    for user in (agent, customer):
        response = api_as(user).post("/kb/articles", {"title": "X", "visibility": "public"})
        assert response.status_code == 403


def test_a_reader_gets_404_for_what_they_may_not_read(api_as, customer, agent):
    internal = article("Reset 2FA klienta", "Procedura.", visibility="internal")
    customers_only = article("Limity API", "Dla klientów.", visibility="customers")
    assert api_as(customer).get(f"/kb/articles/{internal.pk}").status_code == 404
    assert api_as(customer).get(f"/kb/articles/{customers_only.pk}").status_code == 200
    assert api_as(agent).get(f"/kb/articles/{internal.pk}").status_code == 200
    listed = [item["id"] for item in api_as(customer).get("/kb/articles").json()["items"]]
    assert listed == [customers_only.pk]


def test_search_shows_only_what_the_token_may_read(api_as, customer, agent):
    article("Reset 2FA klienta", "Jak zresetować logowanie dwuetapowe.", visibility="internal")
    public = article("Logowanie dwuetapowe", "Włącz logowanie dwuetapowe w profilu.")
    customer_hits = api_as(customer).get("/kb/search", q="logowanie dwuetapowe").json()["items"]
    assert [hit["id"] for hit in customer_hits] == [public.pk]
    assert set(customer_hits[0]) >= {"id", "title", "url", "snippet"}
    assert "<mark>" in customer_hits[0]["snippet"]
    agent_hits = api_as(agent).get("/kb/search", q="logowanie dwuetapowe").json()["items"]
    assert len(agent_hits) == 2


def test_a_change_to_a_published_article_waits_until_published(api_as, head_of_support):
    live = article("Faktury", "Stara treść.")
    api = api_as(head_of_support)
    pending = api.patch(f"/kb/articles/{live.pk}", {"body": "Nowa treść."}).json()
    assert pending["body"] == "Stara treść.\n" or pending["body"].startswith("Stara")
    assert pending["pending"]["body"] == "Nowa treść."
    published = api.post(f"/kb/articles/{live.pk}/publish", {"note": "Nowy opis"}).json()
    assert published["body"] == "Nowa treść."
    assert published["version"] == 2
    versions = api.get(f"/kb/articles/{live.pk}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["note"] == "Nowy opis"
    changes = api.get(f"/kb/articles/{live.pk}/diff", **{"from": 1, "to": 2}).json()
    assert "-Stara treść." in changes["unified"]
    assert "+Nowa treść." in changes["unified"]
    reverted = api.post(f"/kb/articles/{live.pk}/revert", {"version": 1}).json()
    assert reverted["version"] == 3
    assert reverted["body"].startswith("Stara treść.")


def test_a_draft_is_only_for_editors(api_as, agent, head_of_support):
    draft = article("Szkic", publish=False, visibility="public")
    assert api_as(agent).get(f"/kb/articles/{draft.pk}").status_code == 404
    assert api_as(head_of_support).get(f"/kb/articles/{draft.pk}").json()["status"] == "draft"
    assert Article.objects.get(pk=draft.pk).status == ArticleStatus.DRAFT


def test_an_upload_that_is_not_an_image_is_refused(api_as, head_of_support, media_in_tmp):
    live = article("Zrzuty ekranu")
    api = api_as(head_of_support)
    fake = api.client.post(
        f"/api/v1/kb/articles/{live.pk}/images",
        {"file": _file("obraz.png", b"<svg onload=alert(1)>")},
        headers=api.headers,
    )
    assert fake.status_code == 422
    assert live.images.count() == 0
    png = api.client.post(
        f"/api/v1/kb/articles/{live.pk}/images",
        {"file": _file("panel.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)},
        headers=api.headers,
    )
    assert png.status_code == 201
    assert png.json()["markdown"].startswith("![panel.png](/help/images/")


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
