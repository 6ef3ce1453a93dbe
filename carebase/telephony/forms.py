from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import User
from carebase.telephony.cdr import MAPPED_FIELDS
from carebase.telephony.models import Direction, Disposition, ImportFormat, Pbx


class _Dates(forms.Form):
    """A form with since and until dates: the end may not come before the start."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end comes before the start."))
        return cleaned


class CallFilterForm(_Dates):
    agent = forms.ModelChoiceField(
        label=_("Agent"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    disposition = forms.ChoiceField(label=_("Disposition"), required=False)
    line = forms.CharField(label=_("Line"), required=False, max_length=80)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agent_field = self.fields["agent"]
        assert isinstance(agent_field, forms.ModelChoiceField)
        agent_field.queryset = agents
        everything = [("", _("Any"))]
        self.fields["direction"].choices = everything + Direction.choices  # type: ignore[attr-defined]
        self.fields["disposition"].choices = everything + Disposition.choices  # type: ignore[attr-defined]


class PeriodForm(_Dates):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> tuple[datetime, datetime]:
        """[start of `since`, end of `until`) in the current zone; the last 30 days by default."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        until_day = data.get("until") or today
        since_day = data.get("since") or until_day - timedelta(days=29)
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(since_day, time.min, zone),
            datetime.combine(until_day + timedelta(days=1), time.min, zone),
        )


class SummaryForm(forms.Form):
    body = forms.CharField(
        label=_("Summary of the call"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("Kept as an internal note in the call's conversation."),
    )


class CallImportForm(forms.Form):
    pbx = forms.ModelChoiceField(label=_("PBX"), queryset=Pbx.objects.all(), empty_label=None)
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    file = forms.FileField(label=_("File"))
    file_recent_hours = forms.IntegerField(
        label=_("Put into the queue the calls of the last (hours)"),
        initial=24,
        min_value=0,
        max_value=24 * 31,
        help_text=_("0 for none: an import of history opens no conversations."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field, meaning in MAPPED_FIELDS.items():
            self.fields[f"column_{field}"] = forms.CharField(
                label=field,
                required=False,
                max_length=200,
                help_text=meaning,
                widget=forms.TextInput(attrs={"placeholder": field}),
            )

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{field}"] for field in MAPPED_FIELDS]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("pbx", "format", "file", "file_recent_hours")]

    def columns(self) -> dict[str, str]:
        return {
            field: self.cleaned_data[f"column_{field}"].strip()
            for field in MAPPED_FIELDS
            if self.cleaned_data.get(f"column_{field}", "").strip()
        }
