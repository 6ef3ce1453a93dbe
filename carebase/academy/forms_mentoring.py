"""Forms of the mentoring pages: they read what people type and return the
domain's own types (a card's rubric as rows, a run's scores as a list)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from carebase.academy.actions_mentoring import (
    NOTES_MAX,
    QUESTION_MAX,
    ROLE_PLAY_NOTES_MAX,
    CardData,
)
from carebase.academy.models import Assignment, RolePlayCard, Section
from carebase.crm.models import Language


class AskForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your question for the next meeting"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecordMeetingForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("For you and other mentors; the trainee does not see them."),
    )
    actions = forms.CharField(
        label=gettext_lazy("Actions agreed"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The trainee sees these."),
    )


class AssignmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        trainee = obj.trainee
        return f"{trainee.get_full_name() or trainee.username} — {obj.plan.title}"


class ScheduleMeetingForm(forms.Form):
    assignment = AssignmentChoice(
        label=gettext_lazy("Trainee"), queryset=Assignment.objects.none(), empty_label=None
    )
    scheduled_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, assignments: QuerySet[Assignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments.select_related("trainee", "plan")  # type: ignore[attr-defined]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CardForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    section = forms.ModelChoiceField(
        label=gettext_lazy("Section"),
        queryset=Section.objects.all(),
        required=False,
        empty_label=gettext_lazy("No section"),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)
    situation = forms.CharField(
        label=gettext_lazy("The client's situation"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tricky_questions = forms.CharField(
        label=gettext_lazy("Tricky questions"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line: what the client asks to test the trainee."),
    )
    rubric = forms.CharField(
        label=gettext_lazy("What a good answer covers"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One criterion per line, its points first: “2 | Names the next step and when”."
        ),
    )

    @classmethod
    def for_card(cls, card: RolePlayCard) -> CardForm:
        return cls(
            initial={
                "title": card.title,
                "section": card.section_id,
                "language": card.language,
                "situation": card.situation,
                "tricky_questions": "\n".join(card.tricky_questions),
                "rubric": "\n".join(
                    f"{row.get('points', 0)} | {row.get('criterion', '')}" for row in card.rubric
                ),
            }
        )

    def clean_tricky_questions(self) -> list[str]:
        return _lines(self.cleaned_data["tricky_questions"])

    def clean_rubric(self) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate(_lines(self.cleaned_data["rubric"]), start=1):
            points, bar, criterion = line.partition("|")
            if (
                not bar
                or not (points.strip().isascii() and points.strip().isdigit())
                or not criterion.strip()
            ):
                raise ValidationError(
                    gettext_lazy(
                        "Line %(number)s: write the points, a bar and the criterion, "
                        "as “2 | Names the next step and when”."
                    )
                    % {"number": number}
                )
            rows.append({"criterion": criterion.strip(), "points": int(points)})
        return rows

    def card_data(self) -> CardData:
        values = self.cleaned_data
        return CardData(
            title=values["title"],
            situation=values["situation"],
            section=values["section"],
            language=values["language"],
            tricky_questions=values["tricky_questions"],
            rubric=values["rubric"],
        )


class TraineeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class RunRolePlayForm(forms.Form):
    """A run's grade: the trainee (one of the mentor's mentees), one score
    per criterion of the card's rubric (`score_0`, `score_1`, ...) and notes."""

    trainee = TraineeChoice(label=gettext_lazy("Trainee"), queryset=None)
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        max_length=ROLE_PLAY_NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The trainee sees these with the score."),
    )

    def __init__(
        self, *args: Any, card: RolePlayCard, trainees: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.card = card
        self.fields["trainee"].queryset = trainees  # type: ignore[attr-defined]
        notes = self.fields.pop("notes")
        for index, row in enumerate(card.rubric):
            most = int(row.get("points", 0))
            self.fields[f"score_{index}"] = forms.IntegerField(
                label=gettext_lazy("%(criterion)s (up to %(most)s)")
                % {"criterion": row.get("criterion", ""), "most": most},
                min_value=0,
                max_value=most,
            )
        self.fields["notes"] = notes

    def scores(self) -> list[int]:
        return [self.cleaned_data[f"score_{index}"] for index in range(len(self.card.rubric))]
