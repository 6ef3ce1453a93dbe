"""A question cites a live article at the version it was written against;
a draft is not offered. When the article gets a newer version the question
says so, and clearing it (back in use) ties it to the current one."""

import pytest

from carebase.academy.models import Question, QuestionStatus
from carebase.academy.tests.academy_helpers import make_section
from carebase.kb.actions import ArticleData, do_update_article
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def form(section, article_pk):
    return {
        "section": section.pk,
        "language": "pl",
        "kind": "true_false",
        "difficulty": "easy",
        "text": "Recordings are kept for 90 days.",
        "points": 1,
        "scoring": "partial",
        "article": article_pk,
        "choices-TOTAL_FORMS": 2,
        "choices-INITIAL_FORMS": 0,
        "choices-0-text": "True",
        "choices-0-is_correct": "on",
        "choices-1-text": "False",
    }


def test_a_question_cites_the_live_version_and_learns_of_newer_ones(head_of_support):
    section = make_section()
    guide = article("Recording calls", "Kept 90 days.", visibility="internal")
    draft = article("Recording calls, draft", "Kept 60 days.", publish=False)
    client = client_for(head_of_support)

    refused = client.post("/academy/questions/new/", form(section, draft.pk))
    assert refused.status_code == 200 and not Question.objects.exists()
    client.post("/academy/questions/new/", form(section, guide.pk))
    question = Question.objects.get()
    assert (question.article, question.article_version) == (guide, 1)

    do_update_article(
        guide,
        ArticleData(title="Recording calls", body="Kept 60 days.", visibility="internal"),
        head_of_support,
        publish=True,
        significant=True,
    )
    page = client.get(f"/academy/questions/{question.pk}/").content.decode()
    assert "data-newer-version" in page and "newer version (2)" in page

    client.post(f"/academy/questions/{question.pk}/review/", {"action": "clear"})
    question.refresh_from_db()
    assert (question.status, question.article_version) == (QuestionStatus.ACTIVE, 2)
    assert (
        "data-newer-version"
        not in client.get(f"/academy/questions/{question.pk}/").content.decode()
    )
