"""Articles carry Article JSON-LD (and FAQ entries FAQPage JSON-LD), escaped
as json_script escapes: a title holding "</script>" stays data."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client

from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db

TITLE = 'Pytanie </script><script>alert("x")</script> & <!-- ?'
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_the_millisecond(value):
    """What DjangoJSONEncoder writes of a datetime."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def blocks(html):
    return [json.loads(text) for text in LD_JSON.findall(html)]


def test_a_title_with_a_closing_script_tag_stays_inside_the_json(settings):
    settings.SITE_URL = "https://help.example.com"
    item = article(TITLE, "Odpowiedź.", summary="Krótko </script>", kind="faq", slug="pytanie")
    item.refresh_from_db()
    html = Client().get("/help/pl/articles/pytanie/").content.decode()
    assert "<script>alert" not in html
    found = {block["@type"]: block for block in blocks(html)}
    assert found["Article"]["headline"] == TITLE
    assert found["Article"]["description"] == "Krótko </script>"
    assert found["Article"]["inLanguage"] == "pl"
    assert found["Article"]["author"]["@type"] == "Organization"
    assert (
        found["Article"]["mainEntityOfPage"] == "https://help.example.com/help/pl/articles/pytanie/"
    )
    assert moment(found["Article"]["datePublished"]) == to_the_millisecond(item.published_at)
    assert moment(found["Article"]["dateModified"]) == to_the_millisecond(item.updated_at)
    assert found["FAQPage"]["mainEntity"][0]["name"] == TITLE
    assert found["FAQPage"]["mainEntity"][0]["acceptedAnswer"]["text"] == "Odpowiedź."
    faq = {
        block["@type"]: block for block in blocks(Client().get("/help/pl/faq/").content.decode())
    }
    assert faq["FAQPage"]["mainEntity"][0]["name"] == TITLE
