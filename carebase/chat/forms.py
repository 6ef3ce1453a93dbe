from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.chat.models import AgentState, AskIdentity, ChatRules, Resolution, Widget


class WidgetForm(forms.ModelForm):
    allowed_origins = forms.CharField(
        label=_("Allowed sites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The sites that may show the widget, one per line, such as"
            " https://www.example.com. Chats from any other site are refused."
        ),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False,
        help_text=_("Whose agents take the widget's chats."),
    )  # fmt: skip
    ask_identity = forms.ChoiceField(label=_("Ask for name and email"), choices=AskIdentity.choices)

    class Meta:
        model = Widget
        fields = ["name", "team", "allowed_origins", "ask_identity", "greeting_en", "greeting_pl"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.pk and not self.is_bound:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)

    def clean_allowed_origins(self) -> list[str]:
        origins = []
        for line in self.cleaned_data["allowed_origins"].split():
            origin = line.strip().rstrip("/")
            scheme, _sep, host = origin.partition("://")
            if scheme not in ("http", "https") or not host or "/" in host:
                raise ValidationError(
                    _(
                        "“%(value)s” is not a site: write its origin, such as https://www.example.com."
                    )
                    % {"value": line}
                )
            origins.append(origin.lower())
        return origins


class StatusForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=AgentState.choices)
    max_chats = forms.IntegerField(label=_("Chats at once"), min_value=1, max_value=20)


class CloseForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("How did the chat end?"), choices=[("", "—"), *Resolution.choices]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Needed when the visitor's last message has no answer."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class RulesForm(forms.ModelForm):
    class Meta:
        model = ChatRules
        fields = [
            "reason_for_unanswered",
            "checkin_after_minutes",
            "close_after_minutes",
            "checkin_en",
            "checkin_pl",
        ]
