from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team, User
from carebase.core.access import Perm, has_perm
from carebase.core.roles import Role
from carebase.tickets.models import Channel, Priority, RequestType, Status, Ticket

WORKING_ROLES = [
    Role.ADMIN,
    Role.HEAD_OF_SUPPORT,
    Role.SUPPORT_AGENT,
    Role.HEAD_OF_SUCCESS,
    Role.CS_MANAGER,
    Role.MENTOR,
    Role.TRAINEE,
]


def assignable_users(ticket: Ticket | None = None) -> Any:
    """Active people who work conversations (of the ticket's team, when it has one)."""
    users = User.objects.filter(is_active=True, groups__name__in=[r.value for r in WORKING_ROLES])
    if ticket is not None and ticket.team_id is not None:
        heads = [Role.ADMIN.value, Role.HEAD_OF_SUPPORT.value, Role.HEAD_OF_SUCCESS.value]
        users = users.filter(Q(teams=ticket.team_id) | Q(groups__name__in=heads))
    return users.distinct().order_by("first_name", "last_name", "username")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=200_000
    )
    public = forms.TypedChoiceField(
        label=_("Send as"),
        choices=[("1", _("Public reply")), ("0", _("Internal note"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(label=_("Then set the status to"), required=False)
    attachments = AttachmentsField()
    # The last message the page showed, and whether the agent saw the
    # replies a colleague sent since and sends theirs anyway (collision.py).
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.value, s.label) for s in Status if s not in (Status.NEW, Status.CLOSED)]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Keep as it is")),
            *choices,
        ]


class TicketFieldsForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[])
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    type = forms.ChoiceField(label=_("Type"), choices=RequestType.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": ticket.status,
                "priority": ticket.priority,
                "type": ticket.type,
                "team": ticket.team_id,
                "assignee": ticket.assignee_id,
                "tags": ", ".join(tag.name for tag in ticket.tags.all()),
            },
        )
        super().__init__(*args, **kwargs)
        statuses = [s for s in Status if s != Status.NEW or ticket.status == Status.NEW]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.value, s.label) for s in statuses
        ]
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = assignable_users(ticket)

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class BulkForm(forms.Form):
    """One change for the conversations ticked in the inbox."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    status = forms.ChoiceField(label=_("Set the status"), required=False)
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False
    )
    add_tag = forms.CharField(label=_("Add a tag"), max_length=50, required=False)

    def __init__(self, *args: Any, visible_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = cast(forms.TypedMultipleChoiceField, self.fields["ids"])
        # Only conversations the caller may see can be chosen.
        ids.choices = [(pk, pk) for pk in visible_ids]
        statuses = [s for s in Status if s not in (Status.NEW, Status.CLOSED)]
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [("", "—"), *[(s.value, s.label) for s in statuses]]
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = assignable_users()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("status") or data.get("assignee") or data.get("add_tag")):
            raise forms.ValidationError(_("Choose what to change."))
        return data


class NewTicketForm(forms.Form):
    requester_email = forms.EmailField(label=_("Requester's email"))
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=200_000
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("By the queue's rules")), *RequestType.choices],
        required=False,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("By the queue's rules")), *Priority.choices],
        required=False,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("By the queue's rules"),
    )


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("View name"), max_length=80)
    # Not "team": that name is the inbox's team filter, posted alongside.
    share_with = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Only me"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = (
            Team.objects.all()
            if has_perm(user, Perm.ALL_TEAMS_TICKETS)
            else Team.objects.filter(members=user)
        )
        cast(forms.ModelChoiceField, self.fields["share_with"]).queryset = teams
