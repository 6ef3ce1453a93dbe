"""Odd input sent to the academy's pages and API gets a 4xx or a message,
never a server error, and changes nothing: digits of other scripts ("²"),
dates far away, NUL in an answer, a certificate valid for ever."""

from datetime import date

import pytest

from carebase.academy.models import Answer, Assignment, Meeting, QuestionKind
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_certification,
    make_plan,
    make_question,
    make_quiz,
    make_section,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _started(trainee, kind=QuestionKind.SINGLE, **settings):
    question = make_question(make_section(), kind, "Which one?", accepted=["15"])
    quiz = make_quiz([question], **settings)
    client = client_for(trainee)
    client.raise_request_exception = False
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    return client, url, question


def test_superscript_digits_as_ids_are_refused(trainee, mentor):
    client, url, question = _started(trainee)
    assert client.post(url, {"shown": ["²"]}).status_code == 302
    assert (
        client.post(f"{url}submit/", {"shown": [question.pk], f"q{question.pk}": "²"}).status_code
        == 302
    )
    assert client.get("/academy/shared/²-abc/").status_code == 404
    assert Answer.objects.get().chosen == []


def test_a_superscript_page_number_shows_the_first_page(trainee):
    client, url, _question = _started(trainee, one_per_page=True)
    assert client.get(f"{url}?q=²").status_code == 200


def test_a_nul_in_an_answer_is_refused_and_nothing_is_saved(trainee):
    client, url, question = _started(trainee, QuestionKind.SHORT)
    assert (
        client.post(url, {"shown": [question.pk], f"q{question.pk}-text": "1\x005"}).status_code
        == 302
    )
    assert Answer.objects.get().text == ""


def test_a_plan_starting_in_year_9999_is_refused(api_as, head_of_support, trainee, mentor):
    plan = make_plan()
    page = client_for(head_of_support)
    page.raise_request_exception = False
    body = {"plan": plan.pk, "trainee": trainee.pk, "mentor": mentor.pk, "start_date": "9999-12-30"}
    assert page.post("/academy/assign/", {**body, "meeting_every_days": 7}).status_code == 200
    api = api_as(head_of_support)
    assert api.post("/academy/assignments", body).status_code == 422
    assert not Assignment.objects.exists()


def test_a_meeting_in_year_one_is_refused(trainee, mentor):
    assignment = make_assignment(trainee, mentor, date.today())
    before = Meeting.objects.count()
    client = client_for(mentor)
    client.raise_request_exception = False
    response = client.post(
        "/academy/meetings/schedule/",
        {"assignment": assignment.pk, "scheduled_at": "0001-01-01T00:00"},
    )
    assert response.status_code in (200, 302)
    assert Meeting.objects.count() == before


def test_a_certificate_valid_for_ever_and_a_day_still_issues(trainee):
    exam = make_certification(per_band=1, sections=("product",), pass_mark=0, valid_days=3_000_000)
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{exam.pk}/start/")["Location"]
    assert client.post(f"{url}submit/", {"shown": []}).status_code == 302
    certificate = trainee.certificates.get()
    assert (certificate.expires_at - certificate.issued_at).days == 3650
