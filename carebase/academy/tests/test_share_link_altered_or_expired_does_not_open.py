"""A share link carries its attempt, level and expiry under a signature
keyed by the attempt's own secret: changing the level, the expiry or the
attempt inside it, or pointing it at another attempt, gives 404 with a page
that says the link is invalid or expired; so does the link once it expires."""

import base64
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from carebase.academy.models import Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _payload(token):
    head, signed = token.split("-", 1)
    payload, rest = signed.split(":", 1)
    assert not payload.startswith(".")  # a payload this small is not compressed
    return head, json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))), rest


def _tampered(token, **changes):
    head, data, rest = _payload(token)
    data.update(changes)
    return f"{head}-{_b64(json.dumps(data, separators=(',', ':')).encode())}:{rest}"


def _submitted_attempt(client, title):
    question = make_question(make_section(), QuestionKind.SINGLE, f"{title}?")
    quiz = make_quiz([question], title=title, review_shows="marks")
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    client.post(f"{url}submit/", {"shown": [question.pk]})
    return url


def _token(client, url, level="score", days=1):
    made = client.post(f"{url}share/", {"level": level, "days": days})
    return re.search(r"/academy/shared/([^/\"]+)/", made.content.decode()).group(1)


def _opens(client, token):
    response = client.get(f"/academy/shared/{token}/")
    if response.status_code == 404:
        assert "This link is invalid or has expired" in response.content.decode()
    return response.status_code


def test_any_change_to_the_link_gives_404(trainee, mentor):
    owner = client_for(trainee)
    url = _submitted_attempt(owner, "First quiz")
    other_url = _submitted_attempt(owner, "Second quiz")
    token = _token(owner, url)
    reader = client_for(mentor)
    assert _opens(reader, token) == 200
    _head, data, _rest = _payload(token)

    assert _opens(reader, _tampered(token, l="answers")) == 404
    assert _opens(reader, _tampered(token, l="marks")) == 404
    assert _opens(reader, _tampered(token, e=data["e"] + 86400 * 365)) == 404
    other = Attempt.objects.get(quiz__title="Second quiz")
    assert _opens(reader, _tampered(token, a=other.pk)) == 404
    assert _opens(reader, f"{other.pk}-{token.split('-', 1)[1]}") == 404
    assert _opens(reader, token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == 404
    assert _opens(reader, "not-a-token") == 404
    # Signed like the real ones but without the attempt's own secret.
    forged = signing.dumps(
        {"a": other.pk, "l": "marks", "e": data["e"]},
        salt=f"carebase.academy.share:{other.pk}:",
        compress=True,
    )
    assert _opens(reader, f"{other.pk}-{forged}") == 404
    assert other_url  # the second attempt is real and shared by nobody


def test_a_link_stops_working_when_it_expires(trainee, mentor):
    owner = client_for(trainee)
    token = _token(owner, _submitted_attempt(owner, "Quiz"), days=1)
    reader = client_for(mentor)
    with time_machine.travel(timezone.now() + timedelta(hours=23), tick=False):
        assert _opens(reader, token) == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1), tick=False):
        assert _opens(reader, token) == 404
