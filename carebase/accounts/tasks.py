"""Background jobs of accounts: email that should not hold up a page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from carebase.accounts.models import User


@task()
def send_invitation(user_id: int, inviter_id: int | None) -> None:
    """Send a new user the link to set their password, in their language."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    inviter = User.objects.filter(pk=inviter_id).first() if inviter_id else None
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "inviter": inviter, "link": link, "site_url": settings.SITE_URL}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_login_link(user_id: int) -> None:
    """Email a customer a one-time link to sign in (see login_links)."""
    from carebase.accounts.login_links import LOGIN_LINK_MINUTES, login_link_tokens
    from carebase.core.emails import send_templated

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    link = settings.SITE_URL + reverse(
        "accounts:login_link",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": login_link_tokens.make_token(user),
        },
    )
    context = {"user": user, "link": link, "minutes": LOGIN_LINK_MINUTES}
    send_templated([user.email], "accounts/email/login_link", context, language=user.language)
