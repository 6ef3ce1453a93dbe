"""The academy: onboarding plans day by day, quizzes per section with their
question bank, certification exams drawn from a rotating pool, certificates,
mentor meetings, role-play cards and refreshers when an article changes.

Questions and their keys (choices marked correct, accepted answers, rubrics)
never leave the server for a trainee: what a taker sees is built by
`academy.taking` from the attempt's own rows. An attempt's answers are
immutable once it is graded; a certification attempt holds the questions
drawn for its candidate, and nothing else of the pool is ever shown to them.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from carebase.core.events import event_kinds
from carebase.crm.models import Language

# Submissions reach the server a little after the clock runs out (the page's
# own submit on timeout, a slow network); past this they are refused.
GRACE = timedelta(seconds=30)


class Section(models.Model):
    """A subject of training: the product, call tracking, regulations..."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_pl = models.CharField(_("name in Polish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    description_pl = models.CharField(_("description in Polish"), max_length=300, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("academy", "section")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        # In the reader's language: pages, forms and choices show it so.
        return self.name_in(get_language() or Language.ENGLISH)

    def name_in(self, language: str) -> str:
        return self.name_pl if language.startswith(Language.POLISH) else self.name_en


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer")
    SCENARIO = "scenario", _("Scenario")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


class Scoring(models.TextChoices):
    # Each correct option picked +1/n of the points, each wrong one -1/n,
    # floored at 0 (n: the number of correct options).
    PARTIAL = "partial", _("Partial credit")
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("question status", "Active")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    RETIRED = "retired", _("Retired")


class Question(models.Model):
    section = models.ForeignKey(
        Section,
        verbose_name=pgettext_lazy("academy", "section"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.POLISH
    )
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    scoring = models.CharField(
        _("scoring"), max_length=16, choices=Scoring.choices, default=Scoring.PARTIAL
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=8, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    accepted_answers = models.JSONField(_("accepted answers"), default=list, blank=True)
    # Scenario questions: [{"criterion": str, "points": int}, ...]
    rubric = models.JSONField(_("rubric"), default=list, blank=True)
    article = models.ForeignKey(
        "kb.Article",
        verbose_name=_("article that teaches it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    article_version = models.PositiveIntegerField(_("article version"), null=True, blank=True)
    # In the certification pool: drawn per candidate, never in a fixed quiz.
    in_pool = models.BooleanField(_("in the certification pool"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE
    )
    status_note = models.CharField(_("why"), max_length=300, blank=True)
    leaked = models.BooleanField(_("flagged as leaked"), default=False)
    exposure = models.PositiveIntegerField(_("candidates shown"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("question")
        ordering = ["section__position", "pk"]
        indexes = [models.Index(fields=["in_pool", "status", "section", "difficulty"])]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("academy:question", args=[self.pk])

    @property
    def rubric_points(self) -> int:
        return sum(int(row.get("points", 0)) for row in self.rubric)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("option"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class QuizKind(models.TextChoices):
    QUIZ = "quiz", _("Quiz")
    CERTIFICATION = "certification", _("Certification exam")
    REFRESHER = "refresher", _("Refresher")


class ReviewShows(models.TextChoices):
    SCORE = "score", _("The score only")
    MARKS = "marks", _("Which answers were right and wrong")
    ANSWERS = "answers", _("The right answers and explanations")


REVIEW_ORDER = [ReviewShows.SCORE, ReviewShows.MARKS, ReviewShows.ANSWERS]


class Quiz(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=QuizKind.choices, default="quiz")
    section = models.ForeignKey(
        Section,
        verbose_name=pgettext_lazy("academy", "section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quizzes",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.POLISH
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), null=True, blank=True)
    attempt_delay_minutes = models.PositiveIntegerField(_("minutes between attempts"), default=0)
    shuffle = models.BooleanField(_("shuffle questions and options"), default=True)
    one_per_page = models.BooleanField(_("one question per page"), default=False)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    review_shows = models.CharField(
        _("review after submitting shows"),
        max_length=8,
        choices=ReviewShows.choices,
        default=ReviewShows.ANSWERS,
    )
    questions = models.ManyToManyField(
        Question, through="QuizQuestion", related_name="quizzes", blank=True
    )
    # Certification: the blueprint is in BlueprintRow; these bound the pool.
    exposure_cap = models.PositiveIntegerField(_("exposure cap (candidates)"), default=0)
    valid_days = models.PositiveIntegerField(_("certificate valid for (days)"), default=0)
    # Refreshers: the article version whose change they teach.
    article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["section__position", "language", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("academy:quiz", args=[self.pk])

    @property
    def is_certification(self) -> bool:
        return self.kind == QuizKind.CERTIFICATION


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="entries")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="academy_quiz_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.position}"


class BlueprintRow(models.Model):
    """N questions of one section and difficulty band in every drawn exam."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="blueprint")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    difficulty = models.CharField(max_length=8, choices=Difficulty.choices)
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["section__position", "difficulty"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "section", "difficulty"], name="academy_blueprint_band_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section_id}/{self.difficulty}: {self.count}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting", _("Awaiting the mentor's grading")
    GRADED = "graded", _("Graded")


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(null=True)
    # Fixed by the server when the attempt starts; the share link's signing key.
    token = models.CharField(max_length=32, default="", editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="academy_attempt_once")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.user})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.token:
            self.token = secrets.token_hex(16)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("academy:attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def accepts_answers_at(self, moment: Any) -> bool:
        return self.is_open and (self.deadline is None or moment <= self.deadline + GRACE)


class Answer(models.Model):
    """One question of an attempt, drawn or copied when the attempt starts,
    with the order its options were shown in and, once given, the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField(default=0)
    choice_order = models.JSONField(default=list)  # option ids as shown
    chosen = models.JSONField(default=list)  # option ids picked
    text = models.TextField(blank=True)  # short answer, or a scenario's answer
    rationale = models.TextField(blank=True)  # scenario: why
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    # Scenario grading: one score per rubric row, in the rubric's order.
    rubric_scores = models.JSONField(default=list, blank=True)
    feedback = models.TextField(_("mentor's feedback"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="academy_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"

    @property
    def is_correct(self) -> bool | None:
        if self.points is None:
            return None
        return self.points >= self.max_points


class Certificate(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="certificates")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("academy:verify", args=[self.code])

    def is_valid_at(self, moment: Any) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or moment < self.expires_at

    def state_at(self, moment: Any) -> str:
        """ "valid", "expired" or "revoked"."""
        if self.revoked_at is not None:
            return "revoked"
        return "valid" if self.is_valid_at(moment) else "expired"


# Onboarding plans ---------------------------------------------------------


class PlanRole(models.TextChoices):
    SUPPORT_AGENT = "support_agent", _("Support agent")
    CS_MANAGER = "cs_manager", _("CS manager")


class ItemKind(models.TextChoices):
    READ = "read", _("Read an article")
    VIDEO = "video", _("Watch a video")
    TASK = "task", _("Practical task")
    QUIZ = "quiz", _("Take a quiz")
    MEETING = "meeting", _("Meet the mentor")
    SHADOW = "shadow", _("Shadow calls or chats")
    SETUP = "setup", _("Set up software")
    LUNCH = "lunch", _("Lunch")
    ADMIN = "admin", _("Admin time")


# Lunch and admin time fill the day but are nobody's progress.
BREAK_KINDS = (ItemKind.LUNCH, ItemKind.ADMIN)


class Plan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    role = models.CharField(
        _("for"), max_length=16, choices=PlanRole.choices, default=PlanRole.SUPPORT_AGENT
    )
    description = models.TextField(_("description"), blank=True)
    day_minutes = models.PositiveSmallIntegerField(_("working day (minutes)"), default=480)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("onboarding plan")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("academy:plan", args=[self.pk])


class ItemFields(models.Model):
    """What a plan's item and an assignment's copy of it share."""

    day = models.PositiveSmallIntegerField(_("working day"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    article = models.ForeignKey(
        "kb.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("video address"), max_length=500, blank=True)
    quiz = models.ForeignKey(
        Quiz,
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["day", "position", "pk"]


class PlanItem(ItemFields):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")

    class Meta(ItemFields.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.day}: {self.title}"


class Assignment(models.Model):
    """A plan given to one trainee, with a mentor and a start date; its items
    are copied so that the plan can be adjusted for this trainee alone."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="assignments"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="training",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentees",
    )
    start_date = models.DateField(_("start date"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    meeting_every_days = models.PositiveSmallIntegerField(_("meet every (days)"), default=7)

    class Meta:
        verbose_name = _("assignment")
        ordering = ["-start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} — {self.trainee}"

    def get_absolute_url(self) -> str:
        return reverse("academy:assignment", args=[self.pk])


class AssignmentItem(ItemFields):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items")
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # A read item is done when the article is confirmed: the version read.
    article_version_read = models.PositiveIntegerField(null=True, blank=True)

    class Meta(ItemFields.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.day}: {self.title}"

    @property
    def counts(self) -> bool:
        return self.kind not in BREAK_KINDS


class TraineeQuestion(models.Model):
    """A question the trainee wrote down for the next meeting."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    answered_at = models.DateTimeField(_("discussed"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Meeting(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="meetings")
    scheduled_at = models.DateTimeField(_("scheduled for"))
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    # The agenda is built from evidence when the meeting is prepared, and kept
    # as it was: notes refer to it after the evidence has moved on.
    agenda = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    actions = models.TextField(_("actions agreed"), blank=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment} @ {self.scheduled_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("academy:meeting", args=[self.pk])


class RolePlayCard(models.Model):
    section = models.ForeignKey(
        Section,
        verbose_name=pgettext_lazy("academy", "section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.POLISH
    )
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("the client's situation"))
    tricky_questions = models.JSONField(_("tricky questions"), default=list, blank=True)
    rubric = models.JSONField(_("what a good answer covers"), default=list, blank=True)

    class Meta:
        verbose_name = _("role-play card")
        ordering = ["section__position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("academy:roleplay", args=[self.pk])


class RolePlay(models.Model):
    """A role-play a mentor ran with a trainee, graded by the card's rubric."""

    card = models.ForeignKey(RolePlayCard, on_delete=models.PROTECT, related_name="sessions")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_plays"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(_("held"), default=timezone.now)
    rubric_scores = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(default=0)
    max_score = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.card} — {self.trainee}"


class Refresher(models.Model):
    """A certified agent's short quiz on what changed in an article."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refreshers"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="refreshers")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz"], name="academy_refresher_once")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} — {self.user}"


@event_kinds
class EventKind(models.TextChoices):
    PLAN_ASSIGNED = "academy.plan_assigned", _("Onboarding plan assigned")
    ITEM_DONE = "academy.item_done", _("Onboarding item done")
    ATTEMPT_SUBMITTED = "academy.attempt_submitted", _("Quiz submitted")
    ATTEMPT_GRADED = "academy.attempt_graded", _("Quiz graded")
    CERTIFIED = "academy.certified", _("Certificate issued")
    CERTIFICATE_REVOKED = "academy.certificate_revoked", _("Certificate revoked")
    QUESTION_FLAGGED = "academy.question_flagged", _("Question flagged for review")
    QUESTION_RETIRED = "academy.question_retired", _("Question retired")
    QUESTION_CHANGED = "academy.question_changed", _("Question changed")
    QUIZ_CHANGED = "academy.quiz_changed", _("Quiz settings changed")
    MEETING_HELD = "academy.meeting_held", _("Mentor meeting held")
    ROLE_PLAY_GRADED = "academy.role_play_graded", _("Role-play graded")
