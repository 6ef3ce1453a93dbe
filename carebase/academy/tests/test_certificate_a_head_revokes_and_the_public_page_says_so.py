"""A head revokes a certificate from the certificates page: the public page
then says "revoked", the holder may sit the exam again, and nobody else
may revoke (404)."""

import pytest

from carebase.academy.actions import (
    GivenAnswer,
    do_start_attempt,
    do_submit_attempt,
    refusal_to_start,
)
from carebase.academy.models import Certificate
from carebase.academy.tests.academy_helpers import make_certification
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _certified(user):
    exam = make_certification(per_band=3, sections=("product",))
    attempt = do_start_attempt(exam, user)
    answers = {
        answer.question_id: GivenAnswer(chosen=[answer.question.choices.get(is_correct=True).pk])
        for answer in attempt.answers.select_related("question")
    }
    do_submit_attempt(attempt, answers)
    return exam, Certificate.objects.get(user=user)


def test_revoked_by_a_head_and_by_nobody_else(head_of_support, mentor, agent, client):
    exam, certificate = _certified(agent)
    assert refusal_to_start(exam, agent, certificate.issued_at) is not None
    for person in (agent, mentor):
        assert (
            client_for(person).post(f"/academy/certificates/{certificate.pk}/revoke/").status_code
            == 404
        )
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    head = client_for(head_of_support)
    assert "Revoke" in head.get("/academy/certificates/").content.decode()
    assert head.post(f"/academy/certificates/{certificate.pk}/revoke/").status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    public = client.get(f"/academy/verify/{certificate.code}/")
    assert public.status_code == 200 and "revoked" in public.content.decode()
    assert refusal_to_start(exam, agent, certificate.revoked_at) is None
    again = head.post(f"/academy/certificates/{certificate.pk}/revoke/")
    assert again.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).revoked_at == certificate.revoked_at
