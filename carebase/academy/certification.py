"""Drawing a certification exam for one candidate from the pool.

The blueprint asks for N questions of each section and difficulty band. For
each band the draw takes, at random, active pool questions in the exam's
language that:
- the candidate has never been shown (in any attempt of any quiz);
- are not flagged as leaked;
- have been shown to fewer candidates than the exposure cap.
Showing a question counts against its exposure with a conditional update,
so two candidates drawn at the same moment cannot push it past the cap; a
question that reaches the cap is retired. When a band has too few questions
left the draw fails and nothing is changed (the caller's transaction rolls
back), so the pool's owner can add questions before anyone is examined on a
thinner exam than the blueprint promised.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from carebase.academy.models import Question, QuestionStatus, Quiz

_random = secrets.SystemRandom()


class PoolExhausted(Exception):
    """Too few questions are left in one band of the blueprint."""


def eligible(quiz: Quiz, user: Any) -> Any:
    seen = Question.objects.filter(answers__attempt__user=user).values("pk")
    candidates = Question.objects.filter(
        in_pool=True, status=QuestionStatus.ACTIVE, leaked=False, language=quiz.language
    ).exclude(pk__in=seen)
    if quiz.exposure_cap:
        candidates = candidates.filter(exposure__lt=quiz.exposure_cap)
    return candidates


def draw(quiz: Quiz, user: Any) -> list[Question]:
    """The questions of a new exam for the user, counted as shown. Call it
    inside the transaction that creates the attempt."""
    drawn: list[Question] = []
    for row in quiz.blueprint.select_related("section"):
        pool = list(eligible(quiz, user).filter(section=row.section, difficulty=row.difficulty))
        _random.shuffle(pool)
        taken: list[Question] = []
        for question in pool:
            if len(taken) == row.count:
                break
            if _count_shown(quiz, question):
                taken.append(question)
        if len(taken) < row.count:
            raise PoolExhausted(
                _("The pool has too few questions left for %(section)s, %(band)s.")
                % {"section": row.section, "band": row.get_difficulty_display()}
            )
        drawn.extend(taken)
    return drawn


def _count_shown(quiz: Quiz, question: Question) -> bool:
    shown = Question.objects.filter(pk=question.pk, status=QuestionStatus.ACTIVE)
    if quiz.exposure_cap:
        shown = shown.filter(exposure__lt=quiz.exposure_cap)
    if not shown.update(exposure=F("exposure") + 1):
        return False  # another candidate took its last showing
    question.refresh_from_db(fields=["exposure"])
    if quiz.exposure_cap and question.exposure >= quiz.exposure_cap:
        Question.objects.filter(pk=question.pk).update(
            status=QuestionStatus.RETIRED,
            status_note=_("Shown to %(cap)s candidates, the exposure cap.")
            % {"cap": quiz.exposure_cap},
        )
    return True
