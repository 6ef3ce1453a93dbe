""" "Was this helpful?": an answer is stored, a comment becomes a review item
for the article's owner, it works without JavaScript (a form post and a
thank-you), an overlong comment is refused with a clear error, and nobody
can answer about an article they may not read."""

import re

import pytest
from django.test import Client

from carebase.kb.models import Feedback, ReviewItem, ReviewKind
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(head_of_support):
    return article("Nagrywanie rozmów", "Włącz nagrywanie w ustawieniach.", owner=head_of_support)


def url(item):
    return f"/help/{item.language}/articles/{item.slug}/feedback/"


def test_a_yes_is_stored_and_the_reader_is_thanked_without_javascript(guide):
    client = Client(enforce_csrf_checks=True)
    client.get(f"/help/pl/articles/{guide.slug}/")  # sets the CSRF cookie, as a browser would
    token = client.cookies["csrftoken"].value
    answer = client.post(url(guide), {"helpful": "yes", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert answer["Location"] == f"/help/pl/articles/{guide.slug}/?feedback=thanks#feedback"
    feedback = Feedback.objects.get(article=guide)
    assert feedback.helpful is True and feedback.comment == "" and feedback.user is None
    assert not ReviewItem.objects.filter(article=guide).exists()
    thanked = client.get(answer["Location"]).content.decode()
    assert "Dziękujemy za opinię!" in thanked
    assert 'name="helpful"' not in thanked


def test_a_no_with_a_comment_becomes_a_review_item_for_the_owner(guide, head_of_support):
    Client().post(url(guide), {"helpful": "no", "comment": "  Brakuje kroku z PBX.  "})
    feedback = Feedback.objects.get(article=guide)
    assert feedback.helpful is False and feedback.comment == "Brakuje kroku z PBX."
    item = ReviewItem.objects.get(article=guide)
    assert item.kind == ReviewKind.FEEDBACK and item.note == "Brakuje kroku z PBX."
    assert item.article.owner == head_of_support


def test_a_signed_in_reader_is_remembered(guide, customer):
    from carebase.testing import client_for

    client_for(customer).post(url(guide), {"helpful": "yes"})
    assert Feedback.objects.get(article=guide).user == customer


def test_an_overlong_comment_is_refused_with_a_clear_error(guide):
    answer = Client().post(url(guide), {"helpful": "no", "comment": "x" * 2001})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Komentarz może mieć najwyżej 2000 znaków; ten ma 2001." in html
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*>x{2001}</textarea>', html)
    assert not Feedback.objects.exists() and not ReviewItem.objects.exists()


def test_line_breaks_count_once_as_the_browser_counts_them(guide):
    comment = "\r\n".join(["ab"] * 667)  # 2000 characters in the browser, 2666 sent
    assert Client().post(url(guide), {"helpful": "no", "comment": comment}).status_code == 302


def test_an_answer_without_yes_or_no_is_refused(guide):
    answer = Client().post(url(guide), {"helpful": "maybe"})
    assert answer.status_code == 422
    assert "Wybierz „Tak” lub „Nie”." in answer.content.decode()
    assert not Feedback.objects.exists()


def test_an_article_the_reader_may_not_read_takes_no_feedback():
    internal = article("Skrypt rozmowy", "Przedstaw się.", visibility="internal")
    assert Client().post(url(internal), {"helpful": "no", "comment": "?"}).status_code == 404
    assert Client().get(url(internal)).status_code == 405
    assert not Feedback.objects.exists() and not ReviewItem.objects.exists()
