"""The item analysis downloads as a CSV file, a row per question with its
figures and the options picked (the correct one starred); a question's
text that begins like a formula stays text in a spreadsheet. Only
managers download it."""

import csv
import io

import pytest

from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_the_analysis_downloads_as_csv(head_of_support, trainee, mentor):
    question = make_question(make_section(), text="=1+1 is what?")
    quiz = make_quiz([question])
    make_graded_attempt(quiz, trainee, [0])  # picks "Wrong", the first wrong option
    url = f"/academy/manage/quizzes/{quiz.pk}/analysis/?format=csv"
    assert client_for(mentor).get(url).status_code == 403

    answer = client_for(head_of_support).get(url)
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Question id", "Question", "Section"]
    assert rows[1][:2] == [str(question.pk), "'=1+1 is what?"]
    assert rows[1][5:8] == ["1", "0.000", ""]
    assert rows[1][-1] == "*Right: 0; Wrong: 1; Also wrong: 0"
