"""Who sees which calls and hears which recordings.

Every staff member who works conversations sees the call log (a missed call
is the whole team's to return); a recording is heard by the agent on the
call and by those who review calls (REVIEW_CALLS: the heads), who also see
every agent's call report; others see their own line of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from carebase.core.access import Perm, has_perm
from carebase.telephony.models import Call


def calls_for(user: Any) -> QuerySet[Call]:
    if not has_perm(user, Perm.VIEW_CALLS):
        return Call.objects.none()
    return Call.objects.all()


def access_call(user: Any, pk: int) -> Call:
    call = (
        calls_for(user)
        .select_related("agent", "contact", "extension", "ticket", "pbx")
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404
    return call


def can_hear(user: Any, call: Call) -> bool:
    """Whether the user may play the call's recording."""
    if not has_perm(user, Perm.VIEW_CALLS):
        return False
    if has_perm(user, Perm.REVIEW_CALLS):
        return True
    return call.agent_id is not None and call.agent_id == user.pk


def sees_every_agent(user: Any) -> bool:
    return has_perm(user, Perm.REVIEW_CALLS)
