"""Anyone, signed in or not, checks a certificate by its code (any case,
dashes optional): the holder's name, the exam, when it was issued and
expires, and whether it is valid, expired or revoked; nothing else about the
person, and never indexed. An unknown code is a clear 404 page."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import Certificate
from carebase.academy.tests.academy_helpers import make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(trainee):
    trainee.first_name, trainee.last_name = "Ola", "Nowak"
    trainee.save()
    exam = make_certification(per_band=1, valid_days=365)
    attempt = do_start_attempt(exam, trainee)
    answers = {
        answer.question_id: GivenAnswer(chosen=[answer.question.choices.get(is_correct=True).pk])
        for answer in attempt.answers.select_related("question")
    }
    do_submit_attempt(attempt, answers)
    return Certificate.objects.get(user=trainee)


def _state(html):
    return html.split('data-state="', 1)[1].split('"', 1)[0]


def test_a_valid_certificate_is_shown_to_an_anonymous_visitor(certificate):
    page = Client().get(f"/academy/verify/{certificate.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert _state(html) == "valid"
    assert "Ola Nowak" in html and "Support agent certification" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "trainee1" not in html and "@example.com" not in html
    assert "pool question" not in html


def test_the_code_is_found_in_any_case_without_dashes(certificate):
    typed = certificate.code.replace("-", "").lower()
    assert _state(Client().get(f"/academy/verify/{typed}/").content.decode()) == "valid"


def test_it_is_expired_after_its_valid_days(certificate):
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        html = Client().get(f"/academy/verify/{certificate.code}/").content.decode()
    assert _state(html) == "expired"


def test_a_revoked_certificate_says_so(certificate):
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    assert (
        _state(Client().get(f"/academy/verify/{certificate.code}/").content.decode()) == "revoked"
    )


def test_an_unknown_code_is_a_clear_404(db):
    for code in ("ABCD-EFGH-JKLM", "nonsense", "A" * 200):
        page = Client().get(f"/academy/verify/{code}/")
        assert page.status_code == 404
        assert _state(page.content.decode()) == "not-found"
