"""A taker cannot make a link that shows more than their own review: a level
above the quiz's review setting (or one that does not exist, or a lifetime
not offered) is refused and no link is made. The form offers only the
levels allowed."""

import pytest

from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_link_above_the_review_setting_is_refused(trainee):
    question = make_question(make_section(), QuestionKind.SINGLE, "Which one?")
    quiz = make_quiz([question], review_shows="marks")
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    client.post(f"{url}submit/", {"shown": [question.pk]})

    review = client.get(url).content.decode()
    assert 'name="level" value="score"' in review and 'name="level" value="marks"' in review
    assert 'value="answers"' not in review

    for data in (
        {"level": "answers", "days": 7},
        {"level": "grader", "days": 7},
        {"level": "marks", "days": 365},
        {"level": "marks"},
    ):
        refused = client.post(f"{url}share/", data, follow=True)
        html = refused.content.decode()
        assert refused.redirect_chain == [(url, 302)]
        assert "/academy/shared/" not in html
        assert "no more than your own review" in html
    assert (
        "/academy/shared/"
        in client.post(f"{url}share/", {"level": "marks", "days": 30}).content.decode()
    )


def test_an_attempt_in_progress_cannot_be_shared(trainee):
    question = make_question(make_section(), QuestionKind.SINGLE, "Which one?")
    quiz = make_quiz([question], review_shows="answers")
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    refused = client.post(f"{url}share/", {"level": "score", "days": 7}, follow=True)
    assert "/academy/shared/" not in refused.content.decode()
    assert "Submit the attempt before sharing it." in refused.content.decode()
