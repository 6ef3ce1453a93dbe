"""Around an article's text: the category path, the contents when there
are three headings or more, its dates and tags, up to five related
articles the reader may read, a way to contact support, and for staff the
way to the staff page."""

import pytest
from django.test import Client

from carebase.kb.models import Category
from carebase.kb.tests.kb_helpers import article
from carebase.mail.models import Mailbox
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

LONG = "## Włączanie\n\nA.\n\n## Odsłuchiwanie & pobieranie\n\nB.\n\n### Formaty\n\nC.\n"


@pytest.fixture
def recording():
    top = Category.objects.create(slug="calls", name_pl="Połączenia", name_en="Calls")
    return Category.objects.create(
        slug="recording", name_pl="Nagrania", name_en="Recording", parent=top
    )


def page(client, item):
    return client.get(f"/help/{item.language}/articles/{item.slug}/").content.decode()


def test_the_category_path_contents_dates_and_tags(recording):
    item = article("Nagrywanie rozmów", LONG, category=recording, tags=["pbx", "nagrania"])
    html = page(Client(), item)
    assert '<li><a href="/help/pl/categories/calls/">Połączenia</a></li>' in html
    assert '<li><a href="/help/pl/categories/recording/">Nagrania</a></li>' in html
    assert '<a href="#wlaczanie">Włączanie</a>' in html
    assert "Odsłuchiwanie &amp; pobieranie</a>" in html  # escaped once, not twice
    assert 'class="toc-h3"' in html
    assert "<time datetime=" in html
    assert 'href="/help/pl/search/?q=pbx">pbx</a>' in html


def test_two_headings_need_no_contents():
    html = page(Client(), article("Krótko", "## Jeden\n\nA.\n\n## Dwa\n\nB."))
    assert 'class="toc"' not in html


def test_related_articles_share_the_category_or_a_tag_and_are_readable(recording):
    item = article("Nagrywanie rozmów", "A.", category=recording, tags=["nagrania"])
    for number in range(6):
        article(f"Nagrania, część {number}", "B.", category=recording)
    article("Raporty", "C.", tags=["nagrania"])
    article("Przez tag", "D.", tags=["pbx"])
    article("Wewnętrzne o nagraniach", "E.", category=recording, visibility="internal")
    article("Recording in English", "F.", category=recording, language="en")
    tagged = article("Tagged", "G.", tags=["pbx"])
    html = page(Client(), tagged)
    assert "Przez tag" in html and "Nagrania, część" not in html
    html = page(Client(), item)
    related = html[html.index('id="related-title"') :]
    assert related.count("Nagrania, część") == 5  # up to five, the same category first
    assert "Raporty" not in related
    assert "Wewnętrzne o nagraniach" not in related and "Recording in English" not in related


def test_readers_can_contact_support_through_the_portal_or_by_email(customer):
    Mailbox.objects.create(name="support", address="support@example.com", language="en")
    Mailbox.objects.create(name="pomoc", address="pomoc@example.com", language="pl")
    item = article("Nagrywanie rozmów", "A.")
    anonymous = page(Client(), item)
    assert 'href="/portal/new/">Skontaktuj się z nami</a>' in anonymous
    assert "mailto:pomoc@example.com" in anonymous
    assert "zalogowanie się do konta klienta" in anonymous
    signed_in = page(client_for(customer), item)
    assert 'href="/portal/new/">Skontaktuj się z nami</a>' in signed_in
    assert "zalogowanie się do konta klienta" not in signed_in


def test_staff_get_the_way_to_the_staff_page(agent):
    item = article("Nagrywanie rozmów", "A.")
    html = page(client_for(agent), item)
    assert f'href="/kb/{item.pk}/"' in html
    assert f'href="/kb/{item.pk}/"' not in page(Client(), item)
