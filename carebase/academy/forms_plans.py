"""Forms of the plan pages: a plan, an item (of a plan or of one trainee's
copy), and assigning a plan. Each returns what the actions take; the rules
the actions keep (actions_plans.check_item) are checked here too, so that
each mistake shows beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebase.academy.access import visible_quizzes
from carebase.academy.actions_plans import (
    MAX_DAY,
    MAX_MINUTES,
    ItemData,
    staff_people,
    teachers,
)
from carebase.academy.models import Assignment, ItemKind, Plan, PlanRole, QuizKind
from carebase.kb.access import readable_articles


class PeopleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class ArticleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} [{obj.language}]"


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    role = forms.ChoiceField(label=_("For"), choices=PlanRole.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    day_minutes = forms.IntegerField(
        label=_("Working day (minutes)"),
        min_value=60,
        max_value=720,
        initial=480,
        help_text=_("The length of a trainee's day, lunch and admin time included."),
    )

    @classmethod
    def for_plan(cls, plan: Plan) -> PlanForm:
        return cls(
            initial={
                "title": plan.title,
                "role": plan.role,
                "description": plan.description,
                "day_minutes": plan.day_minutes,
            }
        )


class ItemForm(forms.Form):
    """An item of a plan or of a trainee's plan; the choices of article and
    quiz are what the person writing it may read and see."""

    day = forms.IntegerField(label=_("Working day"), min_value=1, max_value=MAX_DAY)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    minutes = forms.IntegerField(
        label=_("Estimated minutes"), min_value=1, max_value=MAX_MINUTES, initial=30
    )
    description = forms.CharField(
        label=_("What to do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    article = ArticleChoice(
        label=_("Article (to read)"), queryset=None, required=False, empty_label="—"
    )
    url = forms.URLField(
        label=_("Video address (to watch)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    quiz: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Quiz (to take)"), queryset=None, required=False, empty_label="—"
    )
    position = forms.IntegerField(
        label=_("Position in the day"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_("Empty: after the day's last item."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        articles = readable_articles(user).only("pk", "title", "language").order_by("title", "pk")
        self.fields["article"].queryset = articles  # type: ignore[attr-defined]
        quizzes = visible_quizzes(user).exclude(kind=QuizKind.REFRESHER).order_by("title", "pk")
        self.fields["quiz"].queryset = quizzes  # type: ignore[attr-defined]

    @classmethod
    def for_item(cls, item: Any, user: Any) -> ItemForm:
        return cls(
            user=user,
            initial={
                "day": item.day,
                "kind": item.kind,
                "title": item.title,
                "minutes": item.minutes,
                "description": item.description,
                "article": item.article_id,
                "url": item.url,
                "quiz": item.quiz_id,
                "position": item.position,
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ItemKind.READ and not data.get("article"):
            self.add_error("article", _("Choose the article to read."))
        if kind == ItemKind.VIDEO and not data.get("url"):
            self.add_error("url", _("Give the address of the video."))
        if kind == ItemKind.QUIZ and not data.get("quiz"):
            self.add_error("quiz", _("Choose the quiz to take."))
        return data

    def item_data(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            day=data["day"],
            kind=data["kind"],
            title=data["title"],
            minutes=data["minutes"],
            description=data.get("description") or "",
            article=data.get("article"),
            url=data.get("url") or "",
            quiz=data.get("quiz"),
            position=data.get("position"),
        )


class AssignForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.order_by("title"))
    trainee = PeopleChoice(label=_("Trainee"), queryset=None)
    mentor = PeopleChoice(label=_("Mentor"), queryset=None)
    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Day 1 is this date, or the next working day."),
    )
    meeting_every_days = forms.IntegerField(
        label=_("Meet the mentor every (days)"), min_value=1, max_value=31, initial=7
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Those already on a plan cannot get a second one: not offered.
        on_a_plan = Assignment.objects.filter(finished_at=None).values("trainee_id")
        self.fields["trainee"].queryset = staff_people().exclude(  # type: ignore[attr-defined]
            pk__in=on_a_plan
        )
        self.fields["mentor"].queryset = teachers()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        trainee, mentor = data.get("trainee"), data.get("mentor")
        if trainee is not None and mentor is not None and trainee.pk == mentor.pk:
            self.add_error("mentor", _("A trainee cannot be their own mentor."))
        return data
