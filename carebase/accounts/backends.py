from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

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
        if user is None:
            # Hash anyway so that the time taken does not reveal which logins exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
