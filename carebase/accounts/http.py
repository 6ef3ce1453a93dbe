from django.http import HttpRequest

from carebase.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind login_required or API auth: user is a real User."""

    user: User
