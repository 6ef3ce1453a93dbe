"""A plan's item is checked before it is kept: a working day from 1, an
estimate of 1 to 600 minutes, an article the manager may read for reading
(a draft is not one), an address for a video, a quiz for a quiz. Each
mistake shows beside its field and nothing is added."""

import pytest

from carebase.academy.models import Plan
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_each_mistake_is_named_and_a_good_item_is_added(head_of_support):
    plan = Plan.objects.create(title="Support agent onboarding")
    client = client_for(head_of_support)
    url = f"/academy/plans/{plan.pk}/items/new/"
    draft = article("Szkic", "…", publish=False)
    live = article("Nagrywanie rozmów", "…", visibility="internal")
    quiz = make_quiz([make_question(make_section())])
    good = {"day": 1, "kind": "task", "title": "Configure a test project", "minutes": 60}
    cases = [
        ({**good, "day": 0}, "Ensure this value is greater than or equal to 1."),
        ({**good, "minutes": 0}, "Ensure this value is greater than or equal to 1."),
        ({**good, "minutes": 601}, "Ensure this value is less than or equal to 600."),
        ({**good, "kind": "read"}, "Choose the article to read."),
        ({**good, "kind": "read", "article": draft.pk}, "Select a valid choice."),
        ({**good, "kind": "video"}, "Give the address of the video."),
        ({**good, "kind": "quiz"}, "Choose the quiz to take."),
        ({**good, "title": ""}, "This field is required."),
    ]
    for data, says in cases:
        answer = client.post(url, data)
        assert answer.status_code == 200, data
        assert says in answer.content.decode(), data
    assert not plan.items.exists()

    for data in (
        good,
        {**good, "kind": "read", "article": live.pk, "title": "Read about recordings"},
        {**good, "kind": "video", "url": "https://video.example.com/intro", "title": "Intro"},
        {**good, "kind": "quiz", "quiz": quiz.pk, "title": "Product quiz"},
    ):
        assert client.post(url, data).status_code == 302, data
    kept = list(plan.items.values_list("kind", "article_id", "url", "quiz_id"))
    assert kept == [
        ("task", None, "", None),
        ("read", live.pk, "", None),
        ("video", None, "https://video.example.com/intro", None),
        ("quiz", None, "", quiz.pk),
    ]
