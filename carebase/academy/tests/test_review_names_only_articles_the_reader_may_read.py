"""A review names the article that teaches a question only to a reader who
may read it: a regulation restricted to other roles keeps even its title."""

import json

import pytest

from carebase.academy.actions import do_start_attempt, do_submit_attempt
from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.kb.actions import ArticleData, do_create_article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _article(author, title, **fields):
    return do_create_article(
        ArticleData(title=title, body="Text.", language="en", **fields), author, publish=True
    )


def test_a_restricted_article_is_not_named_to_a_taker_outside_its_roles(
    api_as, head_of_support, trainee
):
    open_one = _article(head_of_support, "Open guide OPEN-TITLE")
    secret = _article(
        head_of_support,
        "Pricing notes SECRET-TITLE",
        visibility="roles",
        reader_roles=["cs_manager"],
    )
    section = make_section()
    questions = [
        make_question(section, QuestionKind.SINGLE, "From the guide", article=open_one),
        make_question(section, QuestionKind.SINGLE, "From the pricing notes", article=secret),
    ]
    attempt = do_submit_attempt(
        do_start_attempt(make_quiz(questions, review_shows="answers"), trainee), {}
    )
    page = client_for(trainee).get(attempt.get_absolute_url()).content.decode()
    assert "OPEN-TITLE" in page and "SECRET-TITLE" not in page
    body = json.dumps(api_as(trainee).get(f"/academy/attempts/{attempt.pk}").json())
    assert "OPEN-TITLE" in body and "SECRET-TITLE" not in body
    assert (
        "SECRET-TITLE"
        in client_for(head_of_support).get(attempt.get_absolute_url()).content.decode()
    )
