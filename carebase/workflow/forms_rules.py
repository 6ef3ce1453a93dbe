"""The forms of the queue's rules and SLA policies' pages. They only read
what was typed into plain values; the rules themselves are checked by
workflow.rules.clean_rule and workflow.policies.clean_policy, as for the API."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.crm.forms import organization_typed
from carebase.crm.models import Organization, Plan, Tier
from carebase.tickets.models import Channel, Priority, RequestType
from carebase.workflow.models import EscalationAction, Metric, Moment, Rule, RuleKind, SlaPolicy
from carebase.workflow.policies import POLICY_CONDITIONS, PolicyData, policy_data
from carebase.workflow.rules import ALLOWED, RuleData

CHOICE_CONDITIONS = {
    "channel": (gettext_lazy("Channel"), Channel.choices),
    "type": (gettext_lazy("Request type"), RequestType.choices),
    "priority": (gettext_lazy("Priority"), Priority.choices),
    "tier": (gettext_lazy("Organization tier"), Tier.choices),
    "plan": (gettext_lazy("Plan"), Plan.choices),
}
BUSINESS_HOURS_CHOICES = [
    ("", gettext_lazy("Any time")),
    ("in", gettext_lazy("In business hours")),
    ("out", gettext_lazy("Outside business hours")),
]


def _comma_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


class ConditionFields(forms.Form):
    """The conditions a rule or policy may test, one field each; `allowed`
    leaves out the others. Every field left empty: no condition on it."""

    allowed: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for key in self.allowed:
            if key in CHOICE_CONDITIONS:
                label, choices = CHOICE_CONDITIONS[key]
                fields[f"if_{key}"] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
                )
            elif key == "keywords":
                fields["if_keywords"] = forms.CharField(
                    label=gettext_lazy("Keywords in the subject or text"),
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=gettext_lazy(
                        "One a line; any of them will do. Matched in any inflected form: "
                        "“nie działa” finds “przestało działać”."
                    ),
                )
            elif key == "tags":
                fields["if_tags"] = forms.CharField(
                    label=gettext_lazy("Tagged with"),
                    required=False,
                    max_length=1000,
                    help_text=gettext_lazy("Any of these tags, separated by commas."),
                )
            elif key == "mailbox":
                fields["if_mailbox"] = forms.CharField(
                    label=gettext_lazy("Came to the mailbox"),
                    required=False,
                    max_length=1000,
                    help_text=gettext_lazy("Mailbox names, separated by commas."),
                )
            elif key == "form":
                fields["if_form"] = forms.CharField(
                    label=gettext_lazy("Form fields"),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=gettext_lazy(
                        "One a line, “field = value”: what a web form or an API client "
                        "sent with the request (all must hold)."
                    ),
                )
            elif key == "business_hours":
                fields["if_business_hours"] = forms.ChoiceField(
                    label=gettext_lazy("When it arrives"),
                    choices=BUSINESS_HOURS_CHOICES,
                    required=False,
                )
        self.fields.update(fields)
        self.condition_names = list(fields)

    def condition_fields(self) -> list[Any]:
        return [self[name] for name in self.condition_names]

    def clean_if_form(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["if_form"].splitlines(), start=1):
            if not line.strip():
                continue
            name, equals, value = line.partition("=")
            if not equals or not name.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write “field = value”.") % {"number": number}
                )
            pairs[name.strip()] = value.strip()
        return pairs

    def conditions(self) -> dict[str, Any]:
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for key in self.allowed:
            value = data.get(f"if_{key}")
            if key == "keywords":
                value = [line.strip() for line in (value or "").splitlines() if line.strip()]
            elif key in ("tags", "mailbox"):
                value = _comma_list(value or "")
            elif key == "business_hours":
                value = {"in": True, "out": False}.get(value or "")
            if value not in (None, "", [], {}):
                found[key] = value
        return found

    @classmethod
    def condition_initial(cls, conditions: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for key, value in conditions.items():
            if key == "keywords":
                initial["if_keywords"] = "\n".join(value)
            elif key in ("tags", "mailbox"):
                initial[f"if_{key}"] = ", ".join(value)
            elif key == "form":
                initial["if_form"] = "\n".join(f"{name} = {text}" for name, text in value.items())
            elif key == "business_hours":
                initial["if_business_hours"] = "in" if value else "out"
            else:
                initial[f"if_{key}"] = list(value)
        return initial


class RuleForm(ConditionFields):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    set_type = forms.ChoiceField(
        label=gettext_lazy("Then set the request type to"),
        required=False,
        choices=[("", "—"), *RequestType.choices],
    )
    set_priority = forms.ChoiceField(
        label=gettext_lazy("Then set the priority to"),
        required=False,
        choices=[("", gettext_lazy("Leave as it is")), *Priority.choices],
    )
    set_team = forms.ModelChoiceField(
        label=gettext_lazy("And give it to the team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Leave as it is"),
        help_text=gettext_lazy("Unless its mailbox or chat widget already chose a team."),
    )
    add_tags = forms.CharField(
        label=gettext_lazy("And add the tags"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Separated by commas."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        self.kind = RuleKind(kind)
        self.allowed = ALLOWED[self.kind]
        super().__init__(*args, **kwargs)
        if self.kind == RuleKind.CLASSIFY:
            # Classification sets the type; priority rules run after it.
            del self.fields["set_priority"], self.fields["set_team"]
            self.fields["set_type"].required = True
        else:
            del self.fields["set_type"]

    def name_fields(self) -> list[Any]:
        return [self["name"], self["active"]]

    def effect_fields(self) -> list[Any]:
        names = ("set_type", "set_priority", "set_team", "add_tags")
        return [self[name] for name in names if name in self.fields]

    @classmethod
    def for_rule(cls, rule: Rule) -> RuleForm:
        initial = {
            "name": rule.name,
            "active": rule.active,
            "set_type": rule.set_type,
            "set_priority": rule.set_priority,
            "set_team": rule.set_team_id,
            "add_tags": ", ".join(rule.add_tags),
            **cls.condition_initial(rule.conditions),
        }
        return cls(kind=rule.kind, initial=initial)

    def data_for_rule(self) -> RuleData:
        data = self.cleaned_data
        team = data.get("set_team")
        return RuleData(
            kind=self.kind,
            name=data["name"],
            conditions=self.conditions(),
            set_type=data.get("set_type") or "",
            set_priority=data.get("set_priority") or "",
            set_team=team.pk if team is not None else None,
            add_tags=_comma_list(data.get("add_tags") or ""),
            active=data["active"],
        )


DURATION = re.compile(
    r"^\s*(?:(?P<hours>\d+(?:[.,]\d+)?)\s*(?:h|godz\.?|g)\s*)?"
    r"(?:(?P<minutes>\d+)\s*(?:m|min\.?)?\s*)?$",
    re.IGNORECASE,
)


def parse_minutes(text: str) -> int | None:
    """ "45", "45m", "4h", "1h 30m", "1.5h" (and the Polish "2 godz.") as
    minutes; None for an empty box. ValueError for anything else."""
    if not text.strip():
        return None
    found = DURATION.match(text)
    if found is None or not (found["hours"] or found["minutes"]):
        raise ValueError(text)
    hours = float((found["hours"] or "0").replace(",", "."))
    return round(hours * 60) + int(found["minutes"] or 0)


def minutes_text(minutes: int | None) -> str:
    """Minutes as the target boxes show them: "45m", "4h", "1h 30m"."""
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest}m" if rest else f"{hours}h"


class DurationField(forms.Field):
    """A time typed as people say it (see parse_minutes), cleaned to minutes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 7, "maxlength": 20}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        try:
            if len(text) > 20:
                raise ValueError(text)
            return parse_minutes(text)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a time: write 45m, 4h or 1h 30m.") % {"value": text[:20]}
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return minutes_text(value) if isinstance(value, int) else value


ESCALATION_ROWS = 3  # blank rows beyond the policy's own


class PolicyForm(ConditionFields):
    allowed = POLICY_CONDITIONS

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    business_hours = forms.BooleanField(
        label=gettext_lazy("Count business hours only"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Otherwise the clocks run day and night."),
    )
    calendar = forms.ModelChoiceField(
        label=gettext_lazy("Calendar"),
        queryset=Calendar.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("The conversation's own (its tier's or team's)"),
    )
    pause_on_hold = forms.BooleanField(
        label=gettext_lazy("Pause while on hold"),
        required=False,
        help_text=gettext_lazy("Every clock pauses while the customer is asked (pending)."),
    )
    warning = DurationField(
        label=gettext_lazy("Warn before the deadline"),
        initial=30,
        help_text=gettext_lazy(
            "The clock turns amber, and the warning's escalations run; at most half "
            "of a target, so that a short target does not warn as it starts."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for metric in Metric:
            for priority in Priority:
                self.fields[f"target_{metric}_{priority}"] = DurationField(
                    label=f"{metric.label} · {priority.label}"
                )
        rows = max(
            len(self.initial.get("escalations", [])) + ESCALATION_ROWS,
            _posted_rows(self.data) if self.is_bound else 0,
        )
        self.escalation_rows = rows
        for row in range(rows):
            self.fields[f"escalation_{row}_moment"] = forms.ChoiceField(
                label=gettext_lazy("When"),
                choices=[("", "—"), *Moment.choices],
                required=False,
            )
            self.fields[f"escalation_{row}_metric"] = forms.ChoiceField(
                label=gettext_lazy("Of the target"),
                choices=[("", gettext_lazy("Any target")), *Metric.choices],
                required=False,
            )
            self.fields[f"escalation_{row}_action"] = forms.ChoiceField(
                label=gettext_lazy("Do"),
                choices=[("", "—"), *EscalationAction.choices],
                required=False,
            )
        for row, (moment, metric, action) in enumerate(self.initial.get("escalations", [])):
            self.initial[f"escalation_{row}_moment"] = moment
            self.initial[f"escalation_{row}_metric"] = metric
            self.initial[f"escalation_{row}_action"] = action

    # What the template lays out apart from the plain fields.
    def target_grid(self) -> list[tuple[Any, list[Any]]]:
        return [
            (metric.label, [self[f"target_{metric}_{priority}"] for priority in Priority])
            for metric in Metric
        ]

    def escalation_grid(self) -> list[list[Any]]:
        return [
            [self[f"escalation_{row}_{part}"] for part in ("moment", "metric", "action")]
            for row in range(self.escalation_rows)
        ]

    def name_fields(self) -> list[Any]:
        return [self["name"], self["active"]]

    def time_fields(self) -> list[Any]:
        names = ("business_hours", "calendar", "pause_on_hold", "warning")
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(self.escalation_rows):
            parts = [cleaned.get(f"escalation_{row}_{part}") for part in ("moment", "action")]
            if any(parts) and not all(parts):
                self.add_error(
                    f"escalation_{row}_action",
                    _("An escalation needs both when and what to do."),
                )
        return cleaned

    @classmethod
    def for_policy(cls, policy: SlaPolicy) -> PolicyForm:
        data = policy_data(policy)
        initial: dict[str, Any] = {
            "name": data.name,
            "active": data.active,
            "business_hours": data.business_hours,
            "calendar": data.calendar,
            "pause_on_hold": data.pause_on_hold,
            "warning": data.warning_minutes,
            "escalations": data.escalations,
            **cls.condition_initial(data.conditions),
        }
        for (metric, priority), minutes in data.targets.items():
            initial[f"target_{metric}_{priority}"] = minutes
        return cls(initial=initial)

    def data_for_policy(self, *, position: int | None = None) -> PolicyData:
        data = self.cleaned_data
        targets = {
            (metric.value, priority.value): data[f"target_{metric}_{priority}"]
            for metric in Metric
            for priority in Priority
            if data.get(f"target_{metric}_{priority}") is not None
        }
        escalations = [
            (
                data[f"escalation_{row}_moment"],
                data.get(f"escalation_{row}_metric") or "",
                data[f"escalation_{row}_action"],
            )
            for row in range(self.escalation_rows)
            if data.get(f"escalation_{row}_moment") and data.get(f"escalation_{row}_action")
        ]
        calendar = data.get("calendar")
        warning = data.get("warning")
        return PolicyData(
            name=data["name"],
            targets=targets,
            conditions=self.conditions(),
            business_hours=data["business_hours"],
            calendar=calendar.pk if calendar is not None else None,
            pause_on_hold=data["pause_on_hold"],
            warning_minutes=30 if warning is None else warning,
            escalations=escalations,
            active=data["active"],
            position=position,
        )


def _posted_rows(data: Any) -> int:
    rows = 0
    for key in data:
        found = re.fullmatch(r"escalation_(\d{1,2})_moment", key)
        if found:
            rows = max(rows, int(found[1]) + 1)
    return rows


class TryForm(forms.Form):
    """A request that has not arrived, to try the rules on."""

    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), choices=Channel.choices, initial=Channel.EMAIL
    )
    organization = forms.CharField(
        label=gettext_lazy("Organization"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Its name, for the tier and plan conditions."),
    )

    def clean_organization(self) -> Organization | None:
        return organization_typed(self.cleaned_data["organization"])
