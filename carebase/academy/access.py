"""Who may see what in the academy: the one place that decides.

- Managers (heads, admins: `academy.manage`) see and change everything:
  plans, every trainee, the question bank with its keys, the certification
  pool and exam quality.
- Mentors (`academy.teach`) see the trainees they mentor: their plans,
  attempts with the keys of the questions those attempts hold, meetings and
  role-plays; they grade scenario answers. They see role-play cards, which
  trainees never do (the client's tricky questions are the exercise).
- Every staff member takes published quizzes and the certification exam,
  and sees their own plan, attempts, meetings' dates and actions, and
  certificates. What they receive about an attempt is decided by
  `academy.taking`: never a key before grading, after it only what the
  quiz's review setting shows.
Anything a person may not see does not exist for them: 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from carebase.academy.models import (
    Assignment,
    Attempt,
    Certificate,
    Meeting,
    Question,
    Quiz,
    QuizKind,
    RolePlay,
    RolePlayCard,
)
from carebase.core.access import Perm, has_perm, is_staff_member


def may_manage(user: Any) -> bool:
    return has_perm(user, Perm.MANAGE_ACADEMY)


def may_teach(user: Any) -> bool:
    return has_perm(user, Perm.TEACH)


def require_manage(user: Any) -> None:
    if not may_manage(user):
        raise PermissionDenied


def require_teach(user: Any) -> None:
    if not may_teach(user):
        raise PermissionDenied


def require_staff(user: Any) -> None:
    if not is_staff_member(user):
        raise PermissionDenied


def _user_pk(user: Any) -> int | None:
    return getattr(user, "pk", None)


# Assignments ---------------------------------------------------------------


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    if may_manage(user):
        return Assignment.objects.all()
    if may_teach(user):
        return Assignment.objects.filter(Q(mentor_id=_user_pk(user)) | Q(trainee_id=_user_pk(user)))
    if is_staff_member(user):
        return Assignment.objects.filter(trainee_id=_user_pk(user))
    return Assignment.objects.none()


def access_assignment(user: Any, pk: int) -> Assignment:
    assignment = (
        visible_assignments(user).select_related("plan", "trainee", "mentor").filter(pk=pk).first()
    )
    if assignment is None:
        raise Http404
    return assignment


def may_adjust(user: Any, assignment: Assignment) -> bool:
    """Managers and the trainee's mentor change a trainee's plan."""
    if may_manage(user):
        return True
    return bool(may_teach(user) and assignment.mentor_id == _user_pk(user))


def mentees_of(user: Any) -> QuerySet[Any]:
    """The users whose work the user may review as their mentor (or all, for
    managers): the trainees of assignments they mentor."""
    from carebase.accounts.models import User

    if may_manage(user):
        return User.objects.filter(is_active=True)
    if may_teach(user):
        return User.objects.filter(training__mentor_id=_user_pk(user)).distinct()
    return User.objects.none()


# Quizzes and attempts ------------------------------------------------------


def visible_quizzes(user: Any) -> QuerySet[Quiz]:
    """Managers see drafts too; staff see published quizzes and the exam, and
    the refreshers made for them."""
    if may_manage(user):
        return Quiz.objects.all()
    if is_staff_member(user):
        return (
            Quiz.objects.filter(published=True)
            .filter(~Q(kind=QuizKind.REFRESHER) | Q(refreshers__user_id=_user_pk(user)))
            .distinct()
        )
    return Quiz.objects.none()


def access_quiz(user: Any, pk: int) -> Quiz:
    quiz = visible_quizzes(user).select_related("section").filter(pk=pk).first()
    if quiz is None:
        raise Http404
    return quiz


def visible_attempts(user: Any) -> QuerySet[Attempt]:
    if may_manage(user):
        return Attempt.objects.all()
    own = Q(user_id=_user_pk(user))
    if may_teach(user):
        return Attempt.objects.filter(own | Q(user__in=mentees_of(user)))
    if is_staff_member(user):
        return Attempt.objects.filter(own)
    return Attempt.objects.none()


def access_attempt(user: Any, pk: int) -> Attempt:
    attempt = (
        visible_attempts(user).select_related("quiz", "quiz__section", "user").filter(pk=pk).first()
    )
    if attempt is None:
        raise Http404
    return attempt


def access_own_attempt(user: Any, pk: int) -> Attempt:
    """An attempt the user is taking: only its taker answers it."""
    attempt = access_attempt(user, pk)
    if attempt.user_id != _user_pk(user):
        raise Http404
    return attempt


def sees_keys(user: Any, attempt: Attempt) -> bool:
    """Whether the user sees an attempt with its keys and rubrics, as its
    grader does (not as its taker)."""
    if attempt.user_id == _user_pk(user):
        return False  # one's own attempt: as the review setting says
    if may_manage(user):
        return True
    return may_teach(user) and mentees_of(user).filter(pk=attempt.user_id).exists()


def access_attempt_to_grade(user: Any, pk: int) -> Attempt:
    attempt = access_attempt(user, pk)
    if not sees_keys(user, attempt):
        raise Http404
    return attempt


# The question bank ---------------------------------------------------------


def visible_questions(user: Any) -> QuerySet[Question]:
    if may_manage(user):
        return Question.objects.all()
    return Question.objects.none()


def access_question(user: Any, pk: int) -> Question:
    question = visible_questions(user).select_related("section", "article").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


# Meetings and role-plays ----------------------------------------------------


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(assignment__in=visible_assignments(user))


def access_meeting(user: Any, pk: int) -> Meeting:
    meeting = (
        visible_meetings(user)
        .select_related("assignment", "assignment__trainee", "assignment__mentor")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def runs_meeting(user: Any, meeting: Meeting) -> bool:
    """The mentor (and managers) prepare and record a meeting; the trainee
    sees only when it is and the actions agreed."""
    return may_adjust(user, meeting.assignment)


def visible_cards(user: Any) -> QuerySet[RolePlayCard]:
    if may_teach(user):
        return RolePlayCard.objects.all()
    return RolePlayCard.objects.none()


def access_card(user: Any, pk: int) -> RolePlayCard:
    card = visible_cards(user).filter(pk=pk).first()
    if card is None:
        raise Http404
    return card


def visible_role_plays(user: Any) -> QuerySet[RolePlay]:
    if may_manage(user):
        return RolePlay.objects.all()
    own = Q(trainee_id=_user_pk(user))
    if may_teach(user):
        return RolePlay.objects.filter(own | Q(trainee__in=mentees_of(user)))
    if is_staff_member(user):
        return RolePlay.objects.filter(own)
    return RolePlay.objects.none()


# Certificates ----------------------------------------------------------------


def certificate_by_code(code: str) -> Certificate | None:
    """A certificate by its code as people type it: any case, dashes and
    spaces optional. Public: the verification page and API use it."""
    plain = "".join(character for character in code.upper()[:40] if character.isalnum())
    if len(plain) != 12:
        return None
    formatted = f"{plain[:4]}-{plain[4:8]}-{plain[8:]}"
    return Certificate.objects.select_related("user", "quiz").filter(code=formatted).first()
