"""One-time sign-in links for customers: valid for LOGIN_LINK_MINUTES, and
spent by signing in (the token covers the last sign-in time)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int

from carebase.accounts.models import User

LOGIN_LINK_MINUTES = 15


class LoginLinkTokens(PasswordResetTokenGenerator):
    key_salt = "carebase.accounts.login_links"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        login = (
            "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        )
        return f"{user.pk}{user.is_active}{login}{timestamp}"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not token or not super().check_token(user, token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= LOGIN_LINK_MINUTES * 60

    def _now(self) -> datetime:
        return datetime.now()


login_link_tokens = LoginLinkTokens()


def customer_by_email(email: str) -> User | None:
    from carebase.core.access import is_customer

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    return user if user is not None and is_customer(user) else None
