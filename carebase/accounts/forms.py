from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from carebase.accounts import throttle
from carebase.accounts.actions import PROFILE_FIELDS
from carebase.accounts.models import TIMEZONE_CHOICES, Team, User
from carebase.core.access import roles_of
from carebase.core.roles import STAFF_ROLES, Role


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            # The backend refuses locked accounts; say why instead of "wrong password".
            if throttle.was_refused(self.request):
                raise forms.ValidationError(
                    _("Too many failed attempts. Wait 15 minutes, or reset your password."),
                    code="throttled",
                ) from None
            raise


class ProfileForm(forms.Form):
    """The user's own details; saved through do_update_profile, not ModelForm.save()."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {field: getattr(user, field) for field in PROFILE_FIELDS})
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields.update(forms.fields_for_model(User, fields=PROFILE_FIELDS))
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", _("As my browser")), *settings.LANGUAGES]
        self.fields["timezone"] = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Another user has this email address."))
        return email


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Where the token is used, for example: PBX forwarder."),
    )


STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in STAFF_ROLES]


class PersonForm(forms.Form):
    """A staff member as an admin sees them; the username only when creating."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), help_text=_("The invitation is sent here."))
    language = forms.ChoiceField(label=_("Language"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=STAFF_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, person: User | None = None, **kwargs: Any) -> None:
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "email": person.email,
                    "language": person.language,
                    "roles": [role.value for role in roles_of(person)],
                    "teams": list(person.teams.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.person = person
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", _("As their browser")), *settings.LANGUAGES]
        if person is not None:
            del self.fields["username"]
            if Role.CUSTOMER in roles_of(person):
                # A customer's access comes from their organization, not from roles or teams.
                del self.fields["roles"]
                del self.fields["teams"]
