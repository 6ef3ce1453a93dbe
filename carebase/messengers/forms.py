from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team


class TelegramBotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    token = forms.CharField(
        label=_("Bot token"),
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("From @BotFather. Stored encrypted; never shown again."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False,
        help_text=_("Whose queue the bot's conversations go to."),
    )  # fmt: skip
    api_base_url = forms.URLField(
        label=_("Bot API address"),
        initial="https://api.telegram.org",
        assume_scheme="https",
        help_text=_("Change it only for a self-hosted Bot API server."),
    )


class WebhookChannelForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=50, help_text=_("Letters, digits, - and _."))
    callback_url = forms.URLField(
        label=_("Callback URL"),
        required=False,
        assume_scheme="https",
        help_text=_("Where agents' replies are posted; empty if replies go another way."),
    )
    signing_secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Replies carry an HMAC-SHA256 signature made with it."),
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
