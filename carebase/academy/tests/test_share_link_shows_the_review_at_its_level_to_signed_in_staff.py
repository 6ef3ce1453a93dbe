"""A share link opens the attempt's review for any signed-in staff member,
at the level chosen when it was made (here below the quiz's own), with the
taker's name and the expiry; anyone not signed in is sent to sign in, and a
customer finds nothing."""

import re

import pytest

from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

EXPLANATION = "EXPLANATION-shared-8e1f"


def _share(client, level):
    section = make_section()
    question = make_question(
        section, QuestionKind.SINGLE, "Where are recordings kept?", explanation=EXPLANATION
    )
    quiz = make_quiz([question], review_shows="answers")
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    right = question.choices.get(is_correct=True)
    client.post(f"{url}submit/", {"shown": [question.pk], f"q{question.pk}": right.pk})
    made = client.post(f"{url}share/", {"level": level, "days": 7})
    assert made.status_code == 200
    link = re.search(r'value="(http://testserver/academy/shared/[^"]+/)"', made.content.decode())
    assert link is not None
    return link.group(1).removeprefix("http://testserver")


def test_a_colleague_reads_the_review_at_the_links_level(trainee, agent):
    trainee.first_name, trainee.last_name = "Ola", "Nowak"
    trainee.save()
    link = _share(client_for(trainee), "marks")
    page = client_for(agent).get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Shared by Ola Nowak" in html
    assert "Where are recordings kept?" in html
    assert 'data-verdict="right"' in html
    assert EXPLANATION not in html
    assert 'class="is-correct"' not in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_score_only_link_shows_no_question(trainee, mentor):
    link = _share(client_for(trainee), "score")
    html = client_for(mentor).get(link).content.decode()
    assert "1 of 1 points" in html
    assert "Where are recordings kept?" not in html


def test_an_answers_link_shows_the_explanation(trainee, mentor):
    link = _share(client_for(trainee), "answers")
    html = client_for(mentor).get(link).content.decode()
    assert EXPLANATION in html


def test_anonymous_visitors_sign_in_first_and_customers_find_nothing(client, trainee, customer):
    link = _share(client_for(trainee), "answers")
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client_for(customer).get(link).status_code == 404
