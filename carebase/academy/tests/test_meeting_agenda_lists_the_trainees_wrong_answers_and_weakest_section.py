"""The mentor prepares a meeting and its agenda lists, from the evidence:
the trainee's wrong answers (the question, what they answered in words, the
right answer, the quiz with a link to the attempt), newest first; their
sections weakest first, by the percent of points earned there; and prompts
made from them, with the role-play card of the weakest section."""

import pytest
from django.utils import timezone

from carebase.academy.actions import (
    GivenAnswer,
    do_grade_answer,
    do_start_attempt,
    do_submit_attempt,
)
from carebase.academy.models import Assignment, Choice, Meeting, QuestionKind, RolePlayCard
from carebase.academy.tests.academy_helpers import (
    make_mixed_quiz,
    make_plan,
    make_question,
    make_quiz,
    make_section,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _option(answer, text):
    return Choice.objects.get(question=answer.question, text=text).pk


def test_the_agenda_shows_what_the_trainee_got_wrong_and_where_they_are_weakest(mentor, trainee):
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    meeting = Meeting.objects.create(assignment=assignment, scheduled_at=timezone.now())
    product = make_section("product", 1)
    regulations = make_section("regulations", 2)
    card = RolePlayCard.objects.create(
        section=product,
        title="A client cannot find the recordings",
        situation="The client is in a hurry.",
        rubric=[{"criterion": "Shows where recordings are", "points": 2}],
    )

    # Product: one right answer of five; the scenario earns 1 of its 3 points.
    quiz = make_mixed_quiz(product, title="Product basics")
    attempt = do_start_attempt(quiz, trainee)
    rows = {answer.question.kind: answer for answer in attempt.answers.select_related("question")}
    do_submit_attempt(
        attempt,
        {
            rows[QuestionKind.SINGLE].question_id: GivenAnswer(
                chosen=[_option(rows[QuestionKind.SINGLE], "Also wrong")]
            ),
            rows[QuestionKind.MULTIPLE].question_id: GivenAnswer(
                chosen=[
                    _option(rows[QuestionKind.MULTIPLE], "Right A"),
                    _option(rows[QuestionKind.MULTIPLE], "Wrong C"),
                ]
            ),
            rows[QuestionKind.TRUE_FALSE].question_id: GivenAnswer(
                chosen=[_option(rows[QuestionKind.TRUE_FALSE], "True")]
            ),
            rows[QuestionKind.SHORT].question_id: GivenAnswer(text="10 minut"),
            rows[QuestionKind.SCENARIO].question_id: GivenAnswer(
                text="I tell them to calm down.", rationale="Shouting wastes time."
            ),
        },
    )
    do_grade_answer(rows[QuestionKind.SCENARIO], [1, 0], "Say what happens next.", mentor)

    # Regulations: all right.
    rule = make_question(regulations, QuestionKind.SINGLE, "Who may hear a recording?")
    rules_quiz = make_quiz([rule], title="Regulations basics")
    rules_attempt = do_start_attempt(rules_quiz, trainee)
    do_submit_attempt(
        rules_attempt,
        {rule.pk: GivenAnswer(chosen=[_option(rules_attempt.answers.get(), "Right")])},
    )

    client = client_for(mentor)
    assert client.post(f"/academy/meetings/{meeting.pk}/prepare/").status_code == 302
    meeting.refresh_from_db()
    agenda = meeting.agenda

    wrong = {row["question_text"]: row for row in agenda["wrong_answers"]}
    assert set(wrong) == {
        "Where are recordings kept?",
        "Which integrations exist?",
        "How many minutes to answer a chat?",
        "What do you do if a client shouts?",
    }
    assert agenda["wrong_answers_total"] == 4
    single = wrong["Where are recordings kept?"]
    assert (single["given"], single["right"], single["quiz"]) == (
        "Also wrong",
        "Right",
        "Product basics",
    )
    assert single["attempt_url"] == f"/academy/attempts/{attempt.pk}/"
    assert wrong["Which integrations exist?"]["given"] == "Right A; Wrong C"
    assert wrong["Which integrations exist?"]["right"] == "Right A; Right B"
    assert (
        wrong["How many minutes to answer a chat?"]["given"],
        wrong["How many minutes to answer a chat?"]["right"],
    ) == ("10 minut", "15 minut")
    scenario = wrong["What do you do if a client shouts?"]
    assert scenario["given"] == "I tell them to calm down.\nShouting wastes time."
    assert (scenario["points"], scenario["max_points"]) == ("1.00", "3.00")
    assert scenario["feedback"] == "Say what happens next."
    # Newest first: the scenario was graded last.
    assert agenda["wrong_answers"][0]["question_text"] == "What do you do if a client shouts?"

    # Product: 2 of 7 points (true/false right, a third of the scenario); regulations 1 of 1.
    assert [
        (row["slug"], row["percent"], row["answers"], row["wrong"]) for row in agenda["sections"]
    ] == [
        ("product", 28.6, 5, 4),
        ("regulations", 100.0, 1, 0),
    ]
    kinds = [prompt["kind"] for prompt in agenda["prompts"]]
    assert kinds.count("explain") == 3
    role_play = [prompt for prompt in agenda["prompts"] if prompt["kind"] == "role_play"]
    assert [prompt["card"] for prompt in role_play] == [card.pk]

    page = client.get(f"/academy/meetings/{meeting.pk}/").content.decode()
    assert "Where are recordings kept?" in page
    assert "Also wrong" in page
    assert f'href="/academy/attempts/{attempt.pk}/"' in page
    assert page.index('data-section="product"') < page.index('data-section="regulations"')
    assert "Run the role-play card “A client cannot find the recordings” for Product." in page
    assert f'href="/academy/roleplays/{card.pk}/"' in page
    assert "Refresh agenda" in page
