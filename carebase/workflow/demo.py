"""Demo business calendars: Support works 8 to 18 with the company's own
days off, Customer Success 9 to 17 with a lunch break; Polish holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.workflow.calendars import CalendarData, do_save_calendar

CALENDARS = [
    (
        "Wsparcie — Warszawa",
        "mon-fri 08:00-18:00",
        [
            (date(2026, 12, 31), "Sylwester: dzień wolny firmy"),
            (date(2027, 1, 2), "Inwentaryzacja"),
        ],
        "support",
    ),
    ("Customer Success — Kraków", "mon-fri 09:00-13:00, 13:30-17:00", [], "success"),
]


def seed(context: Any) -> None:
    for name, hours, days_off, team_slug in CALENDARS:
        if Calendar.objects.filter(name=name).exists():
            continue
        team = Team.objects.filter(slug=team_slug).first()
        do_save_calendar(
            CalendarData(
                name=name,
                hours=hours,
                days_off=days_off,
                teams=[team.pk] if team is not None else None,
            ),
            actor=None,
        )
    from carebase.workflow import demo_features

    demo_features.seed(context)
