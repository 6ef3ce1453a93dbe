"""Passing the certification exam issues a certificate: the review shows its
code and its public verification page, and the candidate's academy page
lists it with its expiry. Failing it issues none."""

import re

import pytest

from carebase.academy.models import Answer, Certificate
from carebase.academy.tests.academy_helpers import make_certification
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _sit(client, exam, user, right=True):
    url = client.post(f"/academy/quizzes/{exam.pk}/start/")["Location"]
    data = {"shown": []}
    for answer in Answer.objects.filter(attempt__user=user).select_related("question"):
        data["shown"].append(answer.question_id)
        data[f"q{answer.question_id}"] = answer.question.choices.filter(is_correct=right).first().pk
    return client.post(f"{url}submit/", data, follow=True)


def test_passing_issues_a_certificate_with_a_verification_code(trainee):
    exam = make_certification(per_band=2, valid_days=365)
    client = client_for(trainee)
    review = _sit(client, exam, trainee).content.decode()
    certificate = Certificate.objects.get(user=trainee)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", certificate.code)
    assert certificate.code in review
    assert f"/academy/verify/{certificate.code}/" in review
    home = client.get("/academy/").content.decode()
    assert f'data-certificate="{certificate.code}"' in home
    assert 'data-state="valid"' in home
    detail = client.get(f"/academy/quizzes/{exam.pk}/").content.decode()
    assert "You hold a valid certificate" in detail


def test_failing_issues_none(trainee):
    exam = make_certification(per_band=2)
    review = _sit(client_for(trainee), exam, trainee, right=False).content.decode()
    assert "Not passed" in review
    assert not Certificate.objects.exists()
