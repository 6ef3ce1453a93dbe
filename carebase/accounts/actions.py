"""Every write to users, roles, teams and API tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.accounts.events import EventKind
from carebase.accounts.models import ApiToken, Team, User, new_raw_token, token_digest
from carebase.core.access import forget_roles
from carebase.core.events import changes, record_event
from carebase.core.realtime import send_to_user
from carebase.core.roles import Role


def _role_groups(roles: Iterable[Role]) -> list[Group]:
    return [Group.objects.get_or_create(name=Role(role).value)[0] for role in roles]


def do_create_user(
    username: str,
    *,
    roles: Iterable[Role],
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    actor: Any = None,
) -> User:
    """Create a user with roles. With a password of None nobody knows the
    password until the user sets one with "Forgot your password?"."""
    username = username.strip()
    email = email.strip().lower()
    roles = [Role(role) for role in roles]
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("A username is required.")]
    elif "@" in username:
        # Sign-in reads a login with @ as an email address.
        errors["username"] = [_("A username cannot contain @.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("The username %(name)s is taken.") % {"name": username}]
    else:
        try:
            User.username_validator(username)
        except ValidationError as error:
            errors["username"] = list(error.messages)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("“%(email)s” is not a valid email address.") % {"email": email}]
        else:
            if User.objects.filter(email__iexact=email).exists():
                errors["email"] = [_("Another user has the email %(email)s.") % {"email": email}]
    if not roles:
        errors["roles"] = [_("Give the user at least one role.")]
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # A random password rather than an unusable one: Django's reset form
        # ignores accounts with unusable passwords.
        user.set_password(secrets.token_urlsafe(32) if password is None else password)
        user.save()
        _apply_roles(user, roles)
        record_event(EventKind.USER_CREATED, user, actor, roles=[r.value for r in roles])
    return user


def _apply_roles(user: User, roles: list[Role]) -> None:
    # The m2m_changed receiver in signals.py opens Django admin to admins only.
    user.groups.set(_role_groups(roles))
    forget_roles(user)


def do_set_roles(user: User, roles: Iterable[Role], *, actor: Any) -> None:
    new = sorted(Role(role).value for role in roles)
    if not new:
        raise ValidationError({"roles": [_("Give the user at least one role.")]})
    old = sorted(user.groups.values_list("name", flat=True))
    if old == new:
        return
    if actor is not None and actor.pk == user.pk and Role.ADMIN in old and Role.ADMIN not in new:
        # Nobody locks themselves out of administration by accident.
        raise ValidationError({"roles": [_("You cannot take away your own admin role.")]})
    with transaction.atomic():
        _apply_roles(user, [Role(role) for role in new])
        record_event(EventKind.ROLES_CHANGED, user, actor, roles=[old, new])
        send_to_user(user.pk, "roles_changed", {"roles": new})


PROFILE_FIELDS = ["first_name", "last_name", "email", "language", "timezone"]


def do_update_profile(user: User, *, actor: Any, **values: Any) -> dict[str, list[Any]]:
    """Change any of PROFILE_FIELDS; returns what changed."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    if "email" in values:
        values["email"] = values["email"].strip().lower()
        if (
            values["email"]
            and User.objects.filter(email__iexact=values["email"]).exclude(pk=user.pk).exists()
        ):
            raise ValidationError(
                {"email": [_("Another user has the email %(email)s.") % {"email": values["email"]}]}
            )
    diff = changes(user, list(values), values)
    if not diff:
        return diff
    with transaction.atomic():
        for field, value in values.items():
            setattr(user, field, value)
        user.save(update_fields=list(diff))
        record_event(EventKind.PROFILE_UPDATED, user, actor, changes=diff)
    return diff


def do_update_preferences(user: User, *, actor: Any, language: str) -> None:
    do_update_profile(user, actor=actor, language=language)


def do_record_password_change(user: User, *, actor: Any, by_reset: bool) -> None:
    """Django's password forms set the password; this records that it happened."""
    kind = EventKind.PASSWORD_RESET if by_reset else EventKind.PASSWORD_CHANGED
    record_event(kind, user, actor)


def do_create_api_token(user: User, *, name: str, actor: Any) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Name the token after where it will be used.")]})
    raw = new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:10], digest=token_digest(raw)
        )
        record_event(EventKind.TOKEN_CREATED, user, actor, token=token.pk, name=token.name)
    return token, raw


def do_revoke_api_token(token: ApiToken, *, actor: Any) -> None:
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(EventKind.TOKEN_REVOKED, token.user, actor, token=token.pk, name=token.name)


def do_set_team_members(team: Team, members: Iterable[User], *, actor: Any) -> None:
    new = sorted({member.pk for member in members})
    old = sorted(team.members.values_list("pk", flat=True))
    if old == new:
        return
    with transaction.atomic():
        team.members.set(new)
        record_event(EventKind.TEAM_MEMBERS_CHANGED, team, actor, members=[old, new])


def do_set_user_teams(user: User, teams: Iterable[Team], *, actor: Any) -> None:
    new = sorted({team.pk for team in teams})
    old = sorted(user.teams.values_list("pk", flat=True))
    if old == new:
        return
    with transaction.atomic():
        user.teams.set(new)
        names = dict(Team.objects.filter(pk__in=[*old, *new]).values_list("pk", "name"))
        record_event(
            EventKind.TEAMS_CHANGED,
            user,
            actor,
            teams=[[names[pk] for pk in old], [names[pk] for pk in new]],
        )


def do_set_active(user: User, *, active: bool, actor: Any) -> None:
    """Deactivating keeps the user and their history but ends their sessions
    and API tokens at once (both check is_active on every request)."""
    if user.is_active == active:
        return
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError({"is_active": [_("You cannot deactivate yourself.")]})
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        kind = EventKind.USER_REACTIVATED if active else EventKind.USER_DEACTIVATED
        record_event(kind, user, actor)


def do_invite_user(user: User, *, actor: Any) -> None:
    """Email the user a link to set their own password (sent by the worker)."""
    from carebase.accounts.tasks import send_invitation

    if not user.email:
        raise ValidationError({"email": [_("The user needs an email address to be invited.")]})
    with transaction.atomic():
        record_event(EventKind.INVITATION_SENT, user, actor, email=user.email)
        inviter_id = actor.pk if actor is not None else None
        transaction.on_commit(lambda: send_invitation.enqueue(user.pk, inviter_id))
