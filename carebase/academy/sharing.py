"""Share links to an attempt's review: signed, expiring, with a disclosure
level no higher than what the taker sees themselves.

The link carries the attempt, the level and the expiry, signed with the
project's secret and the attempt's own token: changing any byte (a higher
level, a later expiry, another attempt) breaks the signature, and a link
cannot be made for an attempt without knowing its token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.academy.models import Attempt, AttemptStatus, ReviewShows
from carebase.academy.taking import allows

SALT = "carebase.academy.share"

# The lifetimes offered (days).
LIFETIMES = {1: _("1 day"), 7: _("7 days"), 30: _("30 days")}


class ShareRefused(ValueError):
    pass


@dataclass(frozen=True)
class Shared:
    attempt: Attempt
    level: str
    expires_at: datetime


def make_link_token(attempt: Attempt, level: str, days: int, now: datetime | None = None) -> str:
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise ShareRefused(_("Submit the attempt before sharing it."))
    if level not in ReviewShows.values:
        raise ShareRefused(_("Choose what the link shows."))
    if not allows(attempt.quiz.review_shows, level):
        raise ShareRefused(_("A link cannot show more than your own review does."))
    if days not in LIFETIMES:
        raise ShareRefused(_("Choose how long the link works."))
    now = now or timezone.now()
    expires = int((now + timedelta(days=days)).timestamp())
    payload = {"a": attempt.pk, "l": level, "e": expires}
    signed = signing.dumps(payload, salt=_salt(attempt), compress=True)
    # The attempt's id leads, in the clear, to find the key that verifies it.
    return f"{attempt.pk}-{signed}"


def _salt(attempt: Attempt) -> str:
    return f"{SALT}:{attempt.pk}:{attempt.token}"


def open_link(token: str, now: datetime | None = None) -> Shared | None:
    """The attempt and level a link shows, or None when it is altered,
    expired or its attempt is gone."""
    head, _separator, signed = token.partition("-")
    if not (head.isascii() and head.isdigit()) or not signed or len(head) > 12:
        return None
    attempt = Attempt.objects.select_related("quiz", "user").filter(pk=int(head)).first()
    if attempt is None:
        return None
    try:
        data = signing.loads(signed, salt=_salt(attempt))
        level = str(data["l"])
        expires = datetime.fromtimestamp(int(data["e"]), tz=UTC)
        same_attempt = int(data["a"]) == attempt.pk
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    if level not in ReviewShows.values or not same_attempt:
        return None
    if (now or timezone.now()) >= expires:
        return None
    if not allows(attempt.quiz.review_shows, level):
        # The quiz's review was narrowed since: a link shows no more than
        # its taker now sees.
        level = attempt.quiz.review_shows
    return Shared(attempt=attempt, level=level, expires_at=expires)
