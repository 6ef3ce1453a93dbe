"""The question bank holds every key: only managers (heads, admins) list it
or open a question, on the pages or over the API. An agent, a trainee or a
mentor is refused the bank (403) and does not find a question (404); the
main navigation shows the bank to managers only."""

import pytest

from carebase.academy.tests.academy_helpers import make_question, make_section
from carebase.testing import ApiClient, client_for

pytestmark = pytest.mark.django_db


def test_agents_trainees_and_mentors_cannot_read_the_bank_or_a_question(
    head_of_support, admin, agent, trainee, mentor
):
    question = make_question(make_section(), text="Where are recordings kept?")
    right = question.choices.get(is_correct=True)
    pages = ["/academy/questions/", f"/academy/questions/{question.pk}/"]
    for person in (agent, trainee, mentor):
        client = client_for(person)
        assert [client.get(url).status_code for url in pages] == [403, 404]
        assert client.get(f"/academy/questions/{question.pk}/edit/").status_code == 404
        api = ApiClient(person)
        assert api.get("/academy/questions").status_code == 403
        answer = api.get(f"/academy/questions/{question.pk}")
        assert answer.status_code == 404
        assert "Right" not in answer.content.decode()
        assert 'href="/academy/questions/"' not in client.get("/academy/").content.decode()

    for manager in (head_of_support, admin):
        client = client_for(manager)
        assert [client.get(url).status_code for url in pages] == [200, 200]
        assert 'href="/academy/questions/"' in client.get("/academy/").content.decode()
        listed = ApiClient(manager).get("/academy/questions").json()["items"]
        assert [choice for choice in listed[0]["choices"] if choice["correct"]] == [
            {"id": right.pk, "text": "Right", "correct": True}
        ]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get("/academy/questions/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
