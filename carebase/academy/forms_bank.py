"""Forms of the question bank and of the quizzes' settings. They read what a
manager typed into the data `actions_bank` writes (a question with its
options, a quiz with its questions or blueprint); the rules themselves are
checked there, once for the pages and the API, and shown here by field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.academy.actions_bank import (
    BandData,
    ChoiceData,
    QuestionData,
    question_errors,
    quiz_errors,
)
from carebase.academy.models import (
    Difficulty,
    Question,
    QuestionKind,
    QuestionStatus,
    Quiz,
    QuizKind,
    Section,
)
from carebase.crm.models import Language
from carebase.kb.access import readable_articles
from carebase.kb.models import Article

# Filters of the bank ---------------------------------------------------------

LEAKED = "leaked"
POOL = "pool"
QUIZZES = "quizzes"


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    section = forms.ModelChoiceField(
        label=gettext_lazy("Section"),
        queryset=Section.objects.all(),
        required=False,
        empty_label=gettext_lazy("Every section"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Every kind")), *QuestionKind.choices],
    )
    difficulty = forms.ChoiceField(
        label=gettext_lazy("Difficulty"),
        required=False,
        choices=[("", gettext_lazy("Every difficulty")), *Difficulty.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("Every status")),
            *QuestionStatus.choices,
            (LEAKED, gettext_lazy("Flagged as leaked")),
        ],
    )
    use = forms.ChoiceField(
        label=gettext_lazy("Used in"),
        required=False,
        choices=[
            ("", gettext_lazy("Pool and quizzes")),
            (POOL, gettext_lazy("The certification pool")),
            (QUIZZES, gettext_lazy("Quizzes")),
        ],
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("Every language")), *Language.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("id", f"bank-{name}")

    def narrow(self, questions: Any, *, status: bool = True) -> Any:
        """The questions that pass every filter (but the status one, without
        `status`: the counts by status are of the rest of the filters)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            questions = questions.filter(text__icontains=data["q"])
        if data.get("section"):
            questions = questions.filter(section=data["section"])
        if data.get("kind"):
            questions = questions.filter(kind=data["kind"])
        if data.get("difficulty"):
            questions = questions.filter(difficulty=data["difficulty"])
        if data.get("language"):
            questions = questions.filter(language=data["language"])
        if data.get("use") == POOL:
            questions = questions.filter(in_pool=True)
        elif data.get("use") == QUIZZES:
            questions = questions.filter(in_pool=False)
        if status and data.get("status") == LEAKED:
            questions = questions.filter(leaked=True)
        elif status and data.get("status"):
            questions = questions.filter(status=data["status"])
        return questions


# A question ----------------------------------------------------------------


class QuestionForm(forms.ModelForm):
    accepted_text = forms.CharField(
        label=gettext_lazy("Accepted answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Short answer: one per line; matching ignores case and extra spaces."
        ),
    )
    rubric_text = forms.CharField(
        label=gettext_lazy("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Scenario: one row per line, “points | criterion”, e.g. “2 | Names the next step”. "
            "The question is worth the sum of the points."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "section",
            "language",
            "kind",
            "difficulty",
            "text",
            "explanation",
            "points",
            "scoring",
            "in_pool",
            "article",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "points": gettext_lazy("Scenario questions: set from the rubric."),
            "scoring": gettext_lazy(
                "Multiple choice: partial credit gives +1/n for each correct option picked and "
                "-1/n for each wrong one (n: correct options), never below 0."
            ),
            "explanation": gettext_lazy("Shown in the review after submitting."),
        }

    def __init__(self, *args: Any, editor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        article = cast(forms.ModelChoiceField, self.fields["article"])
        # Only an article the editor may read can be cited: what a question
        # cites, the review shows to its takers.
        readable = readable_articles(editor)
        if self.instance.article_id is not None:
            # The article already cited stays choosable, even if no longer live.
            readable = readable | Article.objects.filter(pk=self.instance.article_id)
        article.queryset = readable.order_by("title")
        article.required = False
        article.label = _("Article that teaches it")
        self.fields["points"].required = False
        question = self.instance
        if question.pk and not self.is_bound:
            self.initial["accepted_text"] = "\n".join(question.accepted_answers)
            self.initial["rubric_text"] = "\n".join(
                f"{row.get('points', 0)} | {row.get('criterion', '')}" for row in question.rubric
            )

    def clean_rubric_text(self) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["rubric_text"].splitlines(), start=1):
            if not line.strip():
                continue
            points, separator, criterion = line.partition("|")
            if not separator or not (points.strip().isascii() and points.strip().isdigit()):
                raise ValidationError(
                    _("Line %(number)s: write “points | criterion”, e.g. “2 | Apologises”.")
                    % {"number": number}
                )
            rows.append({"points": int(points.strip()), "criterion": criterion.strip()})
        return rows

    def clean_accepted_text(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["accepted_text"].splitlines() if line.strip()
        ]


class ChoiceForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=gettext_lazy("Option"), required=False, max_length=500)
    is_correct = forms.BooleanField(label=gettext_lazy("Correct"), required=False)


ChoiceFormSet = forms.formset_factory(ChoiceForm, extra=0, max_num=20, absolute_max=20)

NEW_OPTION_ROWS = 2  # blank rows offered below the options, to add some


def choice_formset(question: Question | None, data: Any = None) -> Any:
    if data is not None:
        return ChoiceFormSet(data, prefix="choices")
    existing = [
        {"id": choice.pk, "text": choice.text, "is_correct": choice.is_correct}
        for choice in (question.choices.all() if question and question.pk else [])
    ]
    blank = max(NEW_OPTION_ROWS, 4 - len(existing))
    return ChoiceFormSet(initial=existing + [{}] * blank, prefix="choices")


def question_data(
    form: QuestionForm, formset: Any, question: Question | None
) -> QuestionData | None:
    """The question the forms describe, or None with each error on its field
    (the options' errors on the form, as `choices`)."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    cleaned = form.cleaned_data
    data = QuestionData(
        section=cleaned["section"],
        kind=cleaned["kind"],
        text=cleaned["text"],
        language=cleaned["language"],
        explanation=cleaned.get("explanation") or "",
        points=cleaned.get("points") or 0,
        scoring=cleaned["scoring"],
        difficulty=cleaned["difficulty"],
        in_pool=bool(cleaned.get("in_pool")),
        accepted_answers=cleaned["accepted_text"],
        rubric=cleaned["rubric_text"],
        article=cleaned.get("article"),
        choices=[
            ChoiceData(text=row["text"], is_correct=bool(row.get("is_correct")), id=row.get("id"))
            for row in formset.cleaned_data
            # A row left blank is one of the spare rows, not an option.
            if row and row.get("text", "").strip()
        ],
    )
    if data.kind == QuestionKind.SCENARIO:
        data.points = sum(int(row["points"]) for row in data.rubric)
    errors = question_errors(data, question)
    if not errors:
        return data
    where = {"accepted_answers": "accepted_text", "rubric": "rubric_text", "choices": None}
    for name, messages in errors.items():
        target = where.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
    return None


# Quizzes -------------------------------------------------------------------


def _question_label(question: Question) -> str:
    band = f"{question.section.slug} · {question.get_difficulty_display()}"
    return f"[{band}] {question.text[:120]}"


class QuizForm(forms.ModelForm):
    questions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Questions"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Quizzes only: the active questions outside the certification pool, in the quiz's "
            "language. A certification exam is drawn from the pool by its blueprint."
        ),
    )

    class Meta:
        model = Quiz
        fields = [
            "kind",
            "title",
            "section",
            "language",
            "description",
            "time_limit_minutes",
            "max_attempts",
            "attempt_delay_minutes",
            "shuffle",
            "one_per_page",
            "pass_mark",
            "review_shows",
            "published",
            "exposure_cap",
            "valid_days",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "exposure_cap": gettext_lazy(
                "Certification: a pool question shown to this many candidates retires (0: no cap)."
            ),
            "valid_days": gettext_lazy("Certification: 0 for a certificate that never expires."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        quiz = self.instance
        if quiz.pk and quiz.kind == QuizKind.REFRESHER:
            kind.choices = [(QuizKind.REFRESHER.value, QuizKind.REFRESHER.label)]
        else:
            kind.choices = [
                (QuizKind.QUIZ.value, QuizKind.QUIZ.label),
                (QuizKind.CERTIFICATION.value, QuizKind.CERTIFICATION.label),
            ]
        language = (self.data.get("language") if self.is_bound else None) or quiz.language
        picker = cast(forms.ModelMultipleChoiceField, self.fields["questions"])
        picker.queryset = (
            Question.objects.filter(in_pool=False, language=language)
            .exclude(status=QuestionStatus.RETIRED)
            .select_related("section")
            .order_by("section__position", "section__slug", "pk")
        )
        picker.label_from_instance = _question_label  # type: ignore[method-assign,assignment]
        if quiz.pk and quiz.kind == QuizKind.CERTIFICATION:
            # An exam has no questions of its own: it is drawn by its blueprint.
            del self.fields["questions"]
        elif quiz.pk and not self.is_bound:
            self.initial["questions"] = list(quiz.entries.values_list("question_id", flat=True))

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BandForm(forms.Form):
    section = forms.ModelChoiceField(
        label=gettext_lazy("Section"), queryset=Section.objects.all(), required=False
    )
    difficulty = forms.ChoiceField(
        label=gettext_lazy("Difficulty"),
        choices=[("", "—"), *Difficulty.choices],
        required=False,
    )
    count = forms.IntegerField(
        label=gettext_lazy("Questions"), min_value=0, max_value=100, required=False
    )


BandFormSet = forms.formset_factory(BandForm, extra=0, max_num=60, absolute_max=60)

NEW_BAND_ROWS = 3


def band_formset(quiz: Quiz | None, data: Any = None) -> Any:
    return _one_query_for_sections(_band_formset(quiz, data))


def _one_query_for_sections(formset: Any) -> Any:
    """Every row's section menu lists the same sections: read them once, not
    once a row."""
    choices = [
        ("", "---------"),
        *((section.pk, str(section)) for section in Section.objects.all()),
    ]
    for form in formset:
        form.fields["section"].choices = choices
    return formset


def _band_formset(quiz: Quiz | None, data: Any = None) -> Any:
    if data is not None:
        return BandFormSet(data, prefix="bands")
    order = {value: index for index, value in enumerate(Difficulty.values)}
    rows = [
        {"section": row.section_id, "difficulty": row.difficulty, "count": row.count}
        for row in sorted(
            quiz.blueprint.select_related("section") if quiz and quiz.pk else [],
            key=lambda row: (row.section.position, row.section.slug, order[row.difficulty]),
        )
    ]
    return BandFormSet(initial=rows + [{}] * NEW_BAND_ROWS, prefix="bands")


def quiz_data(
    form: QuizForm, bands: Any, quiz: Quiz | None
) -> tuple[dict[str, Any], list[Question] | None, list[BandData] | None] | None:
    """The quiz's settings, its questions (fixed quiz: when the form has the
    picker) or blueprint (certification: when `bands` is given), or None
    with each error on its field. What the form does not show is left as it
    is (None)."""
    if not form.is_valid() or (bands is not None and not bands.is_valid()):
        return None
    values = form.values()
    certification = values["kind"] == QuizKind.CERTIFICATION
    questions: list[Question] | None = None
    blueprint: list[BandData] | None = None
    if "questions" in form.fields:
        selected = list(form.cleaned_data["questions"])
        if not certification:
            questions = selected
        elif selected:
            form.add_error(
                "questions",
                _("A certification exam is drawn from the pool by its blueprint, not picked."),
            )
            return None
    if certification and bands is not None:
        blueprint = []
        for row in bands.cleaned_data:
            # A row without a section, a band or a count (or a count of 0) is
            # a spare row, or a band taken out of the blueprint.
            if row and row.get("section") and row.get("difficulty") and row.get("count"):
                blueprint.append(BandData(row["section"], row["difficulty"], row["count"]))
    errors = quiz_errors(quiz, values, questions, blueprint)
    if errors:
        for name, messages in errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return None
    return values, questions, blueprint


# Review of a question --------------------------------------------------------


class ReviewAction(forms.Form):
    CLEAR = "clear"
    FLAG = "flag"
    RETIRE = "retire"
    LEAKED = "leaked"

    action = forms.ChoiceField(
        choices=[
            (CLEAR, gettext_lazy("Clear: back in use")),
            (FLAG, gettext_lazy("Flag for review")),
            (RETIRE, gettext_lazy("Retire")),
            (LEAKED, gettext_lazy("Mark as leaked")),
        ]
    )
    note = forms.CharField(label=gettext_lazy("Why"), required=False, max_length=300)
