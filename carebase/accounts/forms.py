from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from carebase.accounts import throttle
from carebase.accounts.actions import PROFILE_FIELDS
from carebase.accounts.models import TIMEZONE_CHOICES, User


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
