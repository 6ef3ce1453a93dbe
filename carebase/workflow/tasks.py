"""The queue's background work: the SLA sweep every minute, and the email
of its escalations."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django_tasks import task

from carebase.core.schedule import periodic


@periodic(every=timedelta(minutes=1))
@task()
def sweep_sla_clocks() -> dict[str, int]:
    from carebase.workflow.sweep import sweep

    result = sweep()
    return {"warned": result.warned, "breached": result.breached, "notices": result.notices}


@task()
def send_sla_notices(keys: list[tuple[int, str, int]]) -> int:
    """Email each notice that has not been emailed (once, even if run twice)."""
    from django.db.models import Q
    from django.utils import timezone

    from carebase.core.emails import send_templated
    from carebase.workflow.models import Notice

    wanted = Q(pk__in=[])
    for clock, moment, user in keys:
        wanted |= Q(clock_id=clock, moment=moment, user_id=user)
    notices = Notice.objects.filter(wanted, emailed_at__isnull=True).select_related(
        "user", "ticket", "clock"
    )
    sent = 0
    for notice in notices:
        # Claimed first: a second run of this task finds it emailed.
        if not Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        ):
            continue
        if not notice.user.is_active or not notice.user.email:
            continue
        context = {
            "ticket": notice.ticket,
            "clock": notice.clock,
            "user": notice.user,
            "breached": notice.moment == "breach",
            "link": reverse("tickets:ticket_detail", args=[notice.ticket_id]),
        }
        send_templated(
            [notice.user.email], "workflow/email/sla_notice", context, language=notice.user.language
        )
        sent += 1
    return sent
