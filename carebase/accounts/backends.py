from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from carebase.accounts import throttle
from carebase.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the email address, and the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        login = username.strip()
        field = "email__iexact" if "@" in login else "username__iexact"
        user = User.objects.filter(**{field: login}).first()
        key = throttle.account_key(user.pk if user else None, login)
        if not throttle.allow_attempt(request, key) or user is None:
            # Hash anyway so that the time taken does not reveal which logins
            # exist or are locked.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            throttle.succeeded(request, key)
            return user
        return None
