"""The bank's list makes the same number of queries for 3 questions as for
30, whatever sections, articles and statuses they have: none per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.academy.actions import do_flag_question, do_retire_question
from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_section
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def add_questions(count, start=0):
    guide = article(f"Recording calls {start}", "Where recordings are kept.", visibility="internal")
    for n in range(start, start + count):
        section = make_section(f"section-{n % 3}", n % 3)
        question = make_question(
            section,
            [QuestionKind.SINGLE, QuestionKind.SHORT, QuestionKind.SCENARIO][n % 3],
            f"Question {n}",
            accepted=["15"],
            in_pool=n % 2 == 0,
            article=guide if n % 2 else None,
        )
        if n % 5 == 1:
            do_flag_question(question, "Article changed")
        if n % 7 == 2:
            do_retire_question(question, "Leaked", leaked=True)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/academy/questions/", "/academy/questions/?status=needs_review"])
def test_the_bank_makes_a_fixed_number_of_queries(url, head_of_support):
    client = client_for(head_of_support)
    add_questions(3)
    client.get(url)  # the first request of a signed-in client loads its session
    few = queries(client, url)
    add_questions(27, start=3)
    assert queries(client, url) == few
    assert few <= 9, few
