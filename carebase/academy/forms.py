"""Forms of the quiz pages: the answers of an attempt, a share link, and a
mentor's grade of a scenario answer by its rubric.

The answers form is read by hand, not declared: its fields are the
attempt's own questions, named `q<question id>` (the options picked),
`q<id>-text` and `q<id>-rationale`, and `shown` lists the questions the page
carried, so that a page of one question saves that question only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from carebase.academy.actions import GivenAnswer
from carebase.academy.models import REVIEW_ORDER, ReviewShows
from carebase.academy.sharing import LIFETIMES
from carebase.academy.taking import allows

MAX_SHOWN = 500  # more questions than any quiz holds: a forged form, not answers


class AnswersInvalid(ValueError):
    """The posted answers are not the attempt's form (a forged request)."""


def _ids(values: Sequence[str]) -> list[int]:
    ids = []
    for value in values:
        if not (value.isascii() and value.isdigit()) or len(value) > 12:
            raise AnswersInvalid(value)
        ids.append(int(value))
    return ids


def given_answers(data: QueryDict) -> dict[int, GivenAnswer]:
    """{question id: GivenAnswer} of the questions the page showed. Which
    questions belong to the attempt, and which options to its questions, is
    the engine's to check (`do_save_answers` refuses anything else)."""
    shown = _ids(data.getlist("shown"))
    if len(shown) > MAX_SHOWN:
        raise AnswersInvalid("too many questions")
    answers: dict[int, GivenAnswer] = {}
    for question_id in dict.fromkeys(shown):
        text = data.get(f"q{question_id}-text", "")
        rationale = data.get(f"q{question_id}-rationale", "")
        if "\x00" in text or "\x00" in rationale:
            raise AnswersInvalid("NUL")  # no database keeps it; no person types it
        answers[question_id] = GivenAnswer(
            chosen=_ids(data.getlist(f"q{question_id}")), text=text, rationale=rationale
        )
    return answers


def share_levels(review_shows: str) -> list[tuple[str, Any]]:
    """The disclosure levels a link may carry: up to the quiz's own review."""
    return [
        (level.value, level.label) for level in REVIEW_ORDER if allows(review_shows, level.value)
    ]


class ShareForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("The link shows"), widget=forms.RadioSelect)
    days = forms.TypedChoiceField(
        label=gettext_lazy("The link works for"),
        coerce=int,
        choices=[(days, label) for days, label in LIFETIMES.items()],
        initial=7,
    )

    def __init__(self, *args: Any, review_shows: str = ReviewShows.SCORE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = share_levels(review_shows)
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = levels
        level_field.initial = levels[-1][0]


class GradeForm(forms.Form):
    """One score per rubric criterion (0 to its points) and feedback."""

    feedback = forms.CharField(
        label=gettext_lazy("Feedback for the trainee"),
        help_text=gettext_lazy(
            "Shown in the trainee's review, unless the quiz's review shows the score only."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, rubric: Sequence[dict[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(rubric)
        scores: dict[str, forms.Field] = {}
        for index, row in enumerate(self.criteria):
            most = int(row.get("points", 0))
            scores[f"score-{index}"] = forms.IntegerField(
                label=f"{row.get('criterion', '')} (0\N{EN DASH}{most})",
                min_value=0,
                max_value=most,
                widget=forms.NumberInput(attrs={"min": 0, "max": most, "inputmode": "numeric"}),
            )
        # The scores first, in the rubric's order, then the feedback.
        self.fields = {**scores, "feedback": self.fields["feedback"]}

    def scores(self) -> list[int]:
        return [int(self.cleaned_data[f"score-{index}"]) for index in range(len(self.criteria))]
