from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts import throttle
from carebase.accounts.access import access_api_token
from carebase.accounts.actions import (
    do_create_api_token,
    do_record_password_change,
    do_revoke_api_token,
    do_update_preferences,
    do_update_profile,
)
from carebase.accounts.forms import ApiTokenForm, LoginForm, ProfileForm
from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.login_links import customer_by_email, login_link_tokens
from carebase.accounts.models import Team, User
from carebase.accounts.tasks import send_login_link
from carebase.core.access import is_staff_member, roles_of
from carebase.core.navigation import Panel


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if user.language:
            _set_language_cookie(response, user.language, self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64: str) -> Any:
        # A deactivated account's old invitation or reset link sets nothing.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        do_record_password_change(form.user, actor=form.user, by_reset=True)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        do_record_password_change(form.user, actor=form.user, by_reset=False)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            try:
                do_update_profile(user, actor=user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Your profile has been saved."))
                response = redirect("accounts:profile")
                _set_language_cookie(response, user.language, request)
                return response
    else:
        form = ProfileForm(user=user)
    return render(request, "accounts/profile.html", _profile_context(request, form))


def _profile_context(request: AuthenticatedRequest, form: ProfileForm, **extra: object) -> dict:
    user = request.user
    return {
        "form": form,
        "token_form": extra.pop("token_form", ApiTokenForm()),
        "tokens": user.api_tokens.all(),
        "roles": sorted(role.label for role in roles_of(user)),
        "teams": user.teams.all(),
        **extra,
    }


@login_required
@require_POST
def create_token(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        context = _profile_context(request, ProfileForm(user=request.user), token_form=form)
        return render(request, "accounts/profile.html", context, status=422)
    _token, raw = do_create_api_token(
        request.user, name=form.cleaned_data["name"], actor=request.user
    )
    context = _profile_context(request, ProfileForm(user=request.user), new_token=raw)
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = access_api_token(request.user, token_id)
    do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
def teams(request: AuthenticatedRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        return redirect("core:home")
    team_list = Team.objects.select_related("lead").prefetch_related("members")
    return render(request, "accounts/teams.html", {"teams": team_list})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it in the profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES) or not check_for_language(language):
        return response
    if request.user.is_authenticated:
        do_update_preferences(request.user, language=language, actor=request.user)
    _set_language_cookie(response, language, request)
    return response


def _set_language_cookie(response: HttpResponse, language: str, request: HttpRequest) -> None:
    if not language:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )


def profile_panel(request: AuthenticatedRequest) -> Panel:
    user = request.user
    return Panel(
        template="accounts/panel_profile.html",
        context={
            "roles": sorted(role.label for role in roles_of(user)),
            "teams": list(user.teams.all()),
        },
        order=900,
    )


class LoginLinkForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"))


def login_link_request(request: HttpRequest) -> HttpResponse:
    """Customers ask for a one-time sign-in link. The answer never says whether
    the address has an account."""
    form = LoginLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if throttle.allow_attempt(request, "login-link:" + email.lower()):
            user = customer_by_email(email)
            if user is not None:
                send_login_link.enqueue(user.pk)
        return render(request, "accounts/login_link_sent.html", {"email": email})
    return render(request, "accounts/login_link_request.html", {"form": form})


def login_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET asks to confirm (so mail scanners that open links do not spend them);
    POST signs in."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        user_id = 0
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if (
        user is None
        or customer_by_email(user.email) != user
        or not login_link_tokens.check_token(user, token)
    ):
        return render(request, "accounts/login_link_invalid.html", status=400)
    if request.method == "POST":
        auth_login(request, user, backend="carebase.accounts.backends.UsernameOrEmailBackend")
        response = redirect("core:home")
        if user.language:
            _set_language_cookie(response, user.language, request)
        return response
    return render(request, "accounts/login_link_confirm.html", {"person": user})
