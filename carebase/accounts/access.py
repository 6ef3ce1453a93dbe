"""Loading accounts objects for a caller, by the rules of carebase.core.access."""

from typing import Any

from django.http import Http404

from carebase.accounts.models import ApiToken, User
from carebase.core.access import Perm, has_perm


def access_api_token(user: Any, token_id: int) -> ApiToken:
    """A user manages their own tokens; a user manager manages anyone's."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        raise Http404
    if token.user_id == user.pk:
        return token
    if has_perm(user, Perm.MANAGE_USERS):
        return token
    # Someone else's token: answer as if it did not exist.
    raise Http404


def access_user(actor: Any, user_id: int) -> User:
    """Users are managed by those with MANAGE_USERS; to anyone else they do not exist."""
    if not has_perm(actor, Perm.MANAGE_USERS):
        raise Http404
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user
