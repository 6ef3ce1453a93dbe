from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.accounts.models import Team
from carebase.crm.models import Language
from carebase.tickets.models import Priority, RequestType
from carebase.workflow.macros import MACRO_STATUSES, PLACEHOLDERS, can_share_macros
from carebase.workflow.models import Macro, MacroScope

KEEP = ("", gettext_lazy("Leave as it is"))


class MacroForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)
    scope = forms.ChoiceField(label=gettext_lazy("Shared with"), choices=MacroScope.choices)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("When it is shared with a team."),
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    set_status = forms.ChoiceField(
        label=gettext_lazy("Set the status to"),
        required=False,
        choices=[KEEP, *[(status.value, status.label) for status in MACRO_STATUSES]],
    )
    set_type = forms.ChoiceField(
        label=gettext_lazy("Set the type to"), required=False, choices=[KEEP, *RequestType.choices]
    )
    set_priority = forms.ChoiceField(
        label=gettext_lazy("Set the priority to"),
        required=False,
        choices=[KEEP, *Priority.choices],
    )
    add_tags = forms.CharField(
        label=gettext_lazy("Add the tags"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Separated by commas."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
        self.fields["body"].help_text = _(
            "Plain text. Placeholders are filled in for each conversation: %(names)s."
        ) % {"names": names}
        if not can_share_macros(user):
            # A person who is not a head keeps personal macros only.
            del self.fields["scope"]
            del self.fields["team"]
        else:
            cast(forms.ChoiceField, self.fields["scope"]).initial = MacroScope.EVERYONE

    @classmethod
    def for_macro(cls, macro: Macro, *, user: Any) -> MacroForm:
        return cls(
            user=user,
            initial={
                "name": macro.name,
                "language": macro.language,
                "scope": macro.scope,
                "team": macro.team_id,
                "body": macro.body,
                "set_status": macro.set_status,
                "set_type": macro.set_type,
                "set_priority": macro.set_priority,
                "add_tags": ", ".join(macro.add_tags),
            },
        )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("scope", MacroScope.PERSONAL)
        team = data.pop("team", None)
        data["team"] = team.pk if team is not None else None
        data["add_tags"] = [tag for tag in data["add_tags"].split(",") if tag.strip()]
        return data
