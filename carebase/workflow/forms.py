from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.crm.models import Tier
from carebase.workflow.calendars import tiers_of


class CalendarForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    hours = forms.CharField(
        label=gettext_lazy("Opening hours"),
        max_length=500,
        initial="mon-fri 08:00-18:00",
        help_text=gettext_lazy(
            'By day, periods of a day separated by commas: "mon-fri 08:00-12:00, '
            '13:00-17:00; sat 09:00-13:00". 00:00-24:00 is the whole day.'
        ),
    )
    time_zone = forms.CharField(label=gettext_lazy("Time zone"), initial="Europe/Warsaw")
    holiday_country = forms.CharField(
        label=gettext_lazy("Public holidays of"),
        required=False,
        initial="PL",
        max_length=8,
        help_text=gettext_lazy("A country code (PL, GB, DE...); empty for none."),
    )
    days_off = forms.CharField(
        label=gettext_lazy("Days off"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Besides the public holidays, one a line: the date and a name, "
            'such as "2026-12-31 New Year\'s Eve".'
        ),
    )
    teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teams that work by it"),
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tiers = forms.MultipleChoiceField(
        label=gettext_lazy("Organization tiers served"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The clients of these tiers are served by this calendar, whatever their "
            "conversation's team; an SLA policy's own calendar still comes first."
        ),
    )

    @classmethod
    def for_calendar(cls, calendar: Calendar) -> CalendarForm:
        return cls(
            initial={
                "name": calendar.name,
                "hours": calendar.hours,
                "time_zone": calendar.time_zone,
                "holiday_country": calendar.holiday_country,
                "days_off": "\n".join(
                    f"{day.day:%Y-%m-%d} {day.name}".strip() for day in calendar.days_off.all()
                ),
                "teams": list(calendar.teams.all()),
                "tiers": tiers_of(calendar),
            }
        )

    def clean_days_off(self) -> list[tuple[date, str]]:
        days = []
        for number, line in enumerate(self.cleaned_data["days_off"].splitlines(), start=1):
            if not line.strip():
                continue
            first, _space, name = line.strip().partition(" ")
            try:
                day = date.fromisoformat(first)
            except ValueError:
                raise forms.ValidationError(
                    _('Line %(number)s: "%(text)s" is not a date like 2026-12-31.')
                    % {"number": number, "text": first}
                ) from None
            days.append((day, name.strip()))
        return days

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["teams"] = [team.pk for team in data["teams"]]
        return data
