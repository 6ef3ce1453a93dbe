"""The demo academy of CallFlow's support department.

Content (demo_content/, read by academy.content): six sections, quizzes for
five of them in Polish and English (80 questions), the certification exam
with a pool of 120 questions, role-play cards and two 10-day onboarding
plans (a support agent, a CS manager).

Then a history, written through the same actions people use, at past
moments:
- a cohort of agents hired over the past year who took the quizzes and sat
  the certification: their answers follow a simple ability model (stronger
  agents answer harder questions right more often), so that the item
  analysis shows real figures. One quiz question has a wrong key (strong
  agents "miss" it) and one pool question leaked (it gets easier every
  quarter): the analysis flags both;
- certified agents among the demo staff, one of them due for
  recertification;
- two trainees with the mentor Ewa: Jan on day 7 of the support plan and
  behind, with quiz results, a question for his mentor, past meetings with
  notes and a role-play; Zofia on day 2 of the CS manager plan, on track;
- a significant change of a cited article, so that its questions wait for
  review and the certified agents have a refresher to do.
Idempotent: it runs once, on an academy without sections.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from carebase.academy import content
from carebase.academy.actions import (
    GivenAnswer,
    do_clear_question,
    do_grade_answer,
    do_start_attempt,
    do_submit_attempt,
)
from carebase.academy.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    Choice,
    Difficulty,
    Meeting,
    Question,
    QuestionKind,
    Quiz,
    RolePlayCard,
    Section,
    TraineeQuestion,
)
from carebase.accounts.actions import do_create_user
from carebase.accounts.demo import DEMO_PASSWORD
from carebase.accounts.models import User
from carebase.core.roles import Role

CONTENT = Path(__file__).resolve().parent / "demo_content"
WARSAW = ZoneInfo("Europe/Warsaw")

LEARNED = 0.6  # ability gained over probation, before the exam

BAND = {Difficulty.EASY: -1.2, Difficulty.MEDIUM: 0.0, Difficulty.HARD: 1.1}

COHORT = [
    ("Agnieszka", "Wójcik"), ("Bartosz", "Kaczmarek"), ("Celina", "Mazur"), ("Dawid", "Krawczyk"),
    ("Edyta", "Piotrowska"), ("Filip", "Grabowski"), ("Gabriela", "Nowakowska"),
    ("Hubert", "Pawłowski"), ("Iwona", "Michalska"), ("Jakub", "Zając"), ("Kamila", "Król"),
    ("Łukasz", "Wieczorek"), ("Monika", "Jabłońska"), ("Norbert", "Wróbel"), ("Oliwia", "Nowicka"),
    ("Patryk", "Majewski"), ("Renata", "Olszewska"), ("Sebastian", "Stępień"),
    ("Teresa", "Malinowska"), ("Urszula", "Jaworska"), ("Wiktor", "Adamczyk"), ("Zuzanna", "Dudek"),
    ("Adrian", "Nowacki"), ("Beata", "Pawlak"), ("Cezary", "Sikora"), ("Dominika", "Walczak"),
    ("Emil", "Baran"), ("Franciszka", "Rutkowska"), ("Grzegorz", "Michalak"), ("Halina", "Szewczyk"),
    ("Igor", "Ostrowski"), ("Joanna", "Tomaszewska"), ("Karol", "Pietrzak"), ("Lena", "Marciniak"),
    ("Marek", "Wróblewski"), ("Natalia", "Zalewska"), ("Oskar", "Jakubowski"), ("Paula", "Jasińska"),
]  # fmt: skip

MEETING_NOTES = (
    "Jan dobrze zna ustawienia nagrywania; myli przekierowanie warunkowe z IVR. "
    "Omówiliśmy jego pytanie o numery zagraniczne.",
    "Przećwiczyć przekierowania na koncie testowym; przeczytać ponownie zasady priorytetów; "
    "w czwartek odsłuchać 3 rozmowy z Piotrem.",
)


def seed(context: Any) -> None:
    if Section.objects.exists():
        return
    rng = random.Random(20261207)
    now = timezone.now()
    sections = content.import_sections(CONTENT / "sections.yaml")
    quizzes: dict[str, Quiz] = {}
    for path in sorted((CONTENT / "quizzes").glob("*.yaml")):
        quizzes.update(content.import_quizzes(path, sections))
    exam = content.import_certification(CONTENT / "certification", sections)
    content.import_cards(CONTENT / "roleplays.yaml", sections)
    plans = content.import_plans(CONTENT / "plans.yaml", quizzes)

    staff = {user.username: user for user in User.objects.filter(username__in=_STAFF_NAMES)}
    mentor = staff.get("ewa.mentor")
    wrong_key = _plant_wrong_key(quizzes)
    leaked = _plant_leak(quizzes)
    cohort = _cohort(rng)
    for index, (user, ability) in enumerate(cohort):
        hired = now - timedelta(days=330 - index * 8)
        taken = _moment(hired + timedelta(days=3))
        for key in ("product-pl", "call-tracking-pl", "analytics-pl", "integrations-pl"):
            if key in quizzes:
                _take(quizzes[key], user, ability, taken, mentor, wrong_key, leaked)
                taken += timedelta(days=2)
        if "regulations-pl" in quizzes and rng.random() < 0.8:
            _take(quizzes["regulations-pl"], user, ability, taken, mentor, wrong_key, leaked)
        examined = _moment(hired + timedelta(days=85))
        if examined < now - timedelta(days=1):  # the newest are still on probation
            # Three months on, they know more than in their first week.
            _take(exam, user, ability + LEARNED, examined, mentor, wrong_key, leaked)
    # Demo staff: certified agents, one due for recertification soon.
    for username, ability, days_ago in (
        ("piotr.agent", 1.4, 120),
        ("ola.agent", 1.2, 200),
        ("ewa.mentor", 1.8, 345),
    ):
        if username not in staff:
            continue
        for retry in range(3):  # until they pass, a week apart
            moment = _moment(now - timedelta(days=days_ago - 7 * retry))
            attempt = _take(exam, staff[username], ability, moment, mentor, None, None)
            if attempt is None or attempt.passed:
                break
    if "john.agent" in staff and "product-en" in quizzes:
        moment = _moment(now - timedelta(days=40))
        _take(quizzes["product-en"], staff["john.agent"], 0.5, moment, mentor, wrong_key, leaked)
    if mentor is not None:
        _trainees(context, staff, mentor, plans, quizzes, rng, now)
    _significant_change()


_STAFF_NAMES = ("piotr.agent", "ola.agent", "john.agent", "ewa.mentor", "jan.trainee", "kasia.head")


def _moment(at: datetime) -> datetime:
    """A working moment: 10:00 Warsaw time on that day, or on the Friday
    before a weekend (never later: the history stays in the past)."""
    day = at.astimezone(WARSAW).date()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=WARSAW)


def _cohort(rng: random.Random) -> list[tuple[User, float]]:
    people = []
    for first, last in COHORT:
        username = f"{_ascii(first)}.{_ascii(last)}".lower()
        user = User.objects.filter(username=username).first() or do_create_user(
            username,
            roles=[Role.SUPPORT_AGENT],
            email=f"{username}@callflow.example",
            first_name=first,
            last_name=last,
            language="pl",
        )
        people.append((user, rng.gauss(0.5, 0.8)))
    return people


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ"))


def _plant_wrong_key(quizzes: dict[str, Quiz]) -> int | None:
    """A single-choice question of the product quiz whose strong takers pick
    another option: the sign of a wrong key."""
    quiz = quizzes.get("call-tracking-pl")
    if quiz is None:
        return None
    question = (
        Question.objects.filter(quizzes=quiz, kind=QuestionKind.SINGLE).order_by("-pk").first()
    )
    return question.pk if question else None


def _plant_leak(quizzes: dict[str, Quiz]) -> int | None:
    """A question of the product quiz whose answer goes round: every quarter's
    newcomers find it easier."""
    quiz = quizzes.get("product-pl")
    if quiz is None:
        return None
    question = (
        Question.objects.filter(quizzes=quiz, kind=QuestionKind.SINGLE).order_by("pk").first()
    )
    return question.pk if question else None


def _p_right(ability: float, question: Question, moment: datetime, leaked: int | None) -> float:
    difficulty = BAND.get(Difficulty(question.difficulty), 0.0)
    if question.pk == leaked:
        # Easier every month of the past year: the answer is going round.
        months = max(0.0, 12 - (timezone.now() - moment).days / 30)
        difficulty = 2.5 - months * 0.45
    return 1 / (1 + math.exp(-1.6 * (ability - difficulty)))


def _take(
    quiz: Quiz,
    user: User,
    ability: float,
    started: datetime,
    mentor: User | None,
    wrong_key: int | None,
    leaked: int | None,
) -> Attempt | None:
    try:
        attempt = do_start_attempt(quiz, user, now=started)
    except Exception:  # the pool ran dry for this candidate: no history, no harm
        return None
    # The engine shuffles and draws with the system's randomness; the answers
    # come from a generator of this person and attempt, in question order, so
    # that the quizzes' history (and its figures) is the same on every run.
    rng = random.Random(f"{user.username}/{quiz.title}/{attempt.number}")
    answers: dict[int, GivenAnswer] = {}
    rows = list(attempt.answers.select_related("question").order_by("question_id"))
    keys = _keys([row.question_id for row in rows])
    for row in rows:
        question = row.question
        right = rng.random() < _p_right(ability, question, started, leaked)
        answers[question.pk] = _answer(question, row, keys, right, rng, wrong_key, ability)
    minutes = rng.randint(6, quiz.time_limit_minutes or 25)
    submitted = started + timedelta(minutes=min(minutes, (quiz.time_limit_minutes or 60) - 1))
    attempt = do_submit_attempt(attempt, answers, now=submitted)
    if attempt.status == AttemptStatus.AWAITING_GRADING and mentor is not None:
        graded_at = submitted + timedelta(hours=rng.randint(2, 30))
        for answer in attempt.answers.select_related("question").filter(points=None):
            share = min(1.0, max(0.0, 0.55 + 0.25 * ability + rng.gauss(0, 0.2)))
            scores = [round(int(row["points"]) * share) for row in answer.question.rubric]
            do_grade_answer(
                answer, scores, _FEEDBACK[rng.randrange(len(_FEEDBACK))], mentor, graded_at
            )
    return attempt


_FEEDBACK = (
    "Dobra kolejność kroków; zabrakło informacji, kiedy klient dostanie odpowiedź.",
    "Trafnie — pamiętaj o potwierdzeniu zgłoszenia od razu.",
    "Eskalacja słuszna, ale bez podania numeru zgłoszenia klientowi.",
)


def _keys(question_ids: list[int]) -> dict[int, list[Choice]]:
    keys: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question_id__in=question_ids).order_by("position"):
        keys.setdefault(choice.question_id, []).append(choice)
    return keys


def _answer(
    question: Question,
    row: Answer,
    keys: dict[int, list[Choice]],
    right: bool,
    rng: random.Random,
    wrong_key: int | None,
    ability: float,
) -> GivenAnswer:
    choices = keys.get(question.pk, [])
    correct = [choice.pk for choice in choices if choice.is_correct]
    wrong = [choice.pk for choice in choices if not choice.is_correct]
    if question.pk == wrong_key and wrong:
        # The key marks an option the strongest agents reject.
        right = ability < 0.2 and rng.random() < 0.7
        return GivenAnswer(chosen=correct[:1] if right else [wrong[0]])
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return GivenAnswer(chosen=correct[:1] if right or not wrong else [rng.choice(wrong)])
    if question.kind == QuestionKind.MULTIPLE:
        if right:
            return GivenAnswer(chosen=correct)
        picked = [pk for pk in correct if rng.random() < 0.6] + [
            pk for pk in wrong if rng.random() < 0.4
        ]
        return GivenAnswer(chosen=picked or wrong[:1])
    if question.kind == QuestionKind.SHORT:
        accepted = question.accepted_answers or [""]
        return GivenAnswer(text=accepted[0] if right else "nie wiem")
    return GivenAnswer(
        text="Potwierdzam zgłoszenie, sprawdzam konfigurację klienta i eskaluję zgodnie z procedurą.",
        rationale="Klient musi wiedzieć, co się dzieje i kiedy dostanie odpowiedź.",
    )


def _trainees(
    context: Any,
    staff: dict[str, User],
    mentor: User,
    plans: dict[str, Any],
    quizzes: dict[str, Quiz],
    rng: random.Random,
    now: datetime,
) -> None:
    from carebase.academy.actions_plans import do_assign_plan
    from carebase.academy.progress import date_of_day, working_day_number

    head = staff.get("kasia.head")
    jan = staff.get("jan.trainee")
    zofia = User.objects.filter(username="zofia.trainee").first() or do_create_user(
        "zofia.trainee",
        roles=[Role.TRAINEE],
        email="zofia.trainee@callflow.example",
        password=DEMO_PASSWORD,
        first_name="Zofia",
        last_name="Lis",
        language="pl",
    )
    context.logins.append((str(Role.TRAINEE.label), "zofia.trainee", DEMO_PASSWORD))
    today = timezone.localdate()
    if jan is not None and "support-agent" in plans:
        start = _start_for_day(today, 7, date_of_day, working_day_number)
        assignment = do_assign_plan(
            plans["support-agent"], trainee=jan, mentor=mentor, start_date=start, actor=head
        )
        _work_through(assignment, jan, upto_day=6, behind_from=5, rng=rng)
        for key, ability in (("product-pl", 0.4), ("call-tracking-pl", -0.1)):
            if key in quizzes:
                moment = _moment(now - timedelta(days=rng.randint(2, 6)))
                _take(quizzes[key], jan, ability, moment, mentor, None, None)
        TraineeQuestion.objects.create(
            assignment=assignment,
            text="Czy klient z planem Start może dokupić numer zagraniczny, czy musi zmienić plan?",
        )
        _hold_first_meeting(assignment, mentor, now)
        # Written down after the meeting: waits for the next one's agenda.
        TraineeQuestion.objects.create(
            assignment=assignment,
            text="Kiedy eskalować brak połączeń w GA4 do drugiej linii, a kiedy odpowiadać samemu?",
        )
        card = RolePlayCard.objects.filter(language="pl").order_by("pk").first()
        if card is not None:
            from carebase.academy.actions_mentoring import do_run_role_play

            scores = [max(0, int(row["points"]) - 1) for row in card.rubric]
            do_run_role_play(
                card, jan, mentor, scores, "Spokojny ton; zabrakło terminu kolejnej odpowiedzi."
            )
    if "cs-manager" in plans:
        start = _start_for_day(today, 2, date_of_day, working_day_number)
        assignment = do_assign_plan(
            plans["cs-manager"], trainee=zofia, mentor=mentor, start_date=start, actor=head
        )
        _work_through(assignment, zofia, upto_day=1, behind_from=0, rng=rng)


def _start_for_day(today: date, day: int, date_of_day: Any, working_day_number: Any) -> date:
    """The start date that makes today the plan's working day `day`."""
    start = today - timedelta(days=day + (day // 5) * 2 + 6)
    while working_day_number(start, today) > day:
        start += timedelta(days=1)
    return start


def _work_through(
    assignment: Assignment, trainee: User, upto_day: int, behind_from: int, rng: random.Random
) -> None:
    """The trainee's work up to a plan day; from `behind_from` on, about a
    third of the items are left undone."""
    from carebase.academy.actions_plans import do_complete_item, do_open_item
    from carebase.academy.models import BREAK_KINDS

    items = assignment.items.filter(day__lte=upto_day).exclude(kind__in=BREAK_KINDS)
    for number, item in enumerate(items.order_by("day", "position")):
        if item.kind == "quiz" or (behind_from and item.day >= behind_from and number % 3 == 0):
            continue  # quizzes are done by taking them; some items fall behind
        if item.kind in ("read", "video"):
            do_open_item(item, trainee)
        do_complete_item(item, trainee)


def _hold_first_meeting(assignment: Assignment, mentor: User, now: datetime) -> None:
    from carebase.academy.actions_mentoring import do_prepare_meeting, do_record_meeting

    meeting = Meeting.objects.filter(assignment=assignment).order_by("scheduled_at").first()
    if meeting is None:
        return
    if meeting.scheduled_at > now:
        meeting.scheduled_at = now - timedelta(days=2)
        meeting.save(update_fields=["scheduled_at"])
    do_prepare_meeting(meeting, mentor, now=meeting.scheduled_at - timedelta(hours=1))
    do_record_meeting(
        meeting, MEETING_NOTES[0], MEETING_NOTES[1], mentor, held_at=meeting.scheduled_at
    )


def _significant_change() -> None:
    """Two significant changes of cited articles:
    - the chat-closing rules change a fact (15 minutes become 10): their
      questions wait for the head's review, and so does their refresher;
    - the 2FA guide gains a section without changing what questions ask:
      the head has reviewed and cleared its questions, so the certified
      agents have its refresher to do (academy.receivers makes both)."""
    from carebase.kb.models import Article

    head = User.objects.filter(username="kasia.head").first()
    changed = Article.objects.filter(
        language="pl", slug="zasady-zamykania-czatu", status="published"
    ).first()
    if changed is not None:
        _publish(
            changed,
            head,
            "\n\n## Zmiana od grudnia 2026\n\nPo 10 minutach bez odpowiedzi klienta wysyłamy "
            "przypomnienie, a czat zamykamy po kolejnych 10 minutach (wcześniej: po 15 minutach).",
            "Krótszy czas zamknięcia czatu",
        )
    extended = Article.objects.filter(
        language="pl", slug="logowanie-dwuetapowe-2fa", status="published"
    ).first()
    if extended is not None:
        _publish(
            extended,
            head,
            "\n\n## Klucze sprzętowe\n\nOd wersji 4.4 drugim składnikiem może być także klucz "
            "sprzętowy FIDO2 (np. YubiKey), dodawany w Profil → Bezpieczeństwo.",
            "Klucze sprzętowe FIDO2 jako drugi składnik",
        )
        for question in Question.objects.filter(article=extended, status="needs_review"):
            do_clear_question(question, head)  # reviewed: still right; releases the refresher


def _publish(article: Any, actor: Any, addition: str, note: str) -> None:
    from carebase.academy.actions import do_refresh_after_change
    from carebase.kb.actions import ArticleData, do_publish_article, do_update_article

    do_update_article(article, ArticleData.of(article, body=article.body + addition), actor)
    version = do_publish_article(article, actor, note=note, significant=True)
    # The signal would do it after the demo's one transaction commits; the
    # history needs it now (the signal then finds it made and does nothing).
    do_refresh_after_change(article, version)
