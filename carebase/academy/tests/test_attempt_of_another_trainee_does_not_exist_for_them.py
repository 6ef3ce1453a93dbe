"""Another trainee's attempt does not exist for a trainee: its page (open or
reviewed), its submit, its share link form and its grading are all 404, and
nothing of it changes."""

import pytest

from carebase.academy.models import Answer, Attempt
from carebase.academy.tests.academy_helpers import make_mixed_quiz
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _attempts_of(owner):
    quiz = make_mixed_quiz(time_limit_minutes=30)
    client = client_for(owner)
    open_url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    other_quiz = make_mixed_quiz(title="Second quiz")
    done_url = client.post(f"/academy/quizzes/{other_quiz.pk}/start/")["Location"]
    assert client.post(f"{done_url}submit/").status_code == 302
    return open_url, done_url


def test_a_trainee_gets_404_for_every_page_of_anothers_attempt(trainee):
    owner = make_user("trainee2", Role.TRAINEE)
    open_url, done_url = _attempts_of(owner)
    intruder = client_for(trainee)
    scenario = Answer.objects.filter(question__kind="scenario").first()
    for url in (open_url, done_url):
        assert intruder.get(url).status_code == 404
        assert intruder.post(url, {"shown": []}).status_code == 404
        assert intruder.post(f"{url}submit/").status_code == 404
        assert intruder.post(f"{url}share/", {"level": "score", "days": 7}).status_code == 404
        assert (
            intruder.post(
                f"{url}grade/", {"answer": scenario.pk, f"answer-{scenario.pk}-score-0": 1}
            ).status_code
            == 404
        )
    assert Attempt.objects.filter(user=owner, status="in_progress").count() == 1
    assert Answer.objects.filter(graded_by__isnull=False).count() == 0


def test_an_agent_who_is_not_the_mentor_gets_404_too(agent):
    owner = make_user("trainee2", Role.TRAINEE)
    _open_url, done_url = _attempts_of(owner)
    assert client_for(agent).get(done_url).status_code == 404
    assert client_for(agent).get("/academy/grading/").status_code == 403
