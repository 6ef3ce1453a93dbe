"""A single-choice question has exactly one correct option: the form that
marks two is shown again with the reason, and nothing changes — neither the
question edited nor a new one written."""

import pytest

from carebase.academy.models import Choice, Question
from carebase.academy.tests.academy_helpers import make_question, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def form_data(section, choices, **fields):
    data = {
        "section": section.pk,
        "language": "pl",
        "kind": "single",
        "difficulty": "medium",
        "text": "Where are call recordings kept?",
        "explanation": "",
        "points": 1,
        "scoring": "partial",
        "article": "",
        "accepted_text": "",
        "rubric_text": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        **fields,
    }
    for index, (choice_id, text, correct) in enumerate(choices):
        data[f"choices-{index}-id"] = choice_id or ""
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def test_two_correct_options_are_refused_and_nothing_changes(head_of_support):
    section = make_section()
    question = make_question(section, text="Where are recordings kept?")
    before = list(Choice.objects.filter(question=question).values_list("pk", "text", "is_correct"))
    client = client_for(head_of_support)

    answer = client.post(
        f"/academy/questions/{question.pk}/edit/",
        form_data(
            section,
            [(pk, text, True) for pk, text, _correct in before],
            text="Changed text",
        ),
    )
    assert answer.status_code == 200
    assert "Mark exactly one option as correct." in answer.content.decode()
    question.refresh_from_db()
    assert question.text == "Where are recordings kept?"
    assert (
        list(Choice.objects.filter(question=question).values_list("pk", "text", "is_correct"))
        == before
    )

    answer = client.post(
        "/academy/questions/new/",
        form_data(section, [(None, "In the cloud", True), (None, "On the phone", True)]),
    )
    assert answer.status_code == 200
    assert "Mark exactly one option as correct." in answer.content.decode()
    assert Question.objects.count() == 1


def test_one_correct_option_is_saved(head_of_support):
    section = make_section()
    client = client_for(head_of_support)
    answer = client.post(
        "/academy/questions/new/",
        form_data(section, [(None, "In the cloud", True), (None, "On the phone", False)]),
    )
    question = Question.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/academy/questions/{question.pk}/"
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("In the cloud", True),
        ("On the phone", False),
    ]
    assert client.get(f"/academy/questions/{question.pk}/edit/").status_code == 200
    assert client.get("/academy/questions/new/").status_code == 200
