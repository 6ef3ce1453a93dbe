"""Who may see and change what: the one place that decides.

Rules are capabilities (`Perm`) granted to roles. Views, API endpoints and
actions ask `has_perm`/`require_perm`; each app's `access.py` loads protected
objects through these rules and scopes querysets to what the caller may see.
Each condition stands on its own line so that the tests cover every branch.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebase.core.roles import STAFF_ROLES, Role


class Perm(models.TextChoices):
    VIEW_CRM = "crm.view", _("See organizations, contacts and projects")
    EDIT_CRM = "crm.edit", _("Create and edit organizations, contacts and projects")
    EDIT_COMMERCIAL = "crm.edit_commercial", _("Change plan, tier, MRR, status and CS owner")
    DELETE_CRM = "crm.delete", _("Delete organizations and contacts")
    VIEW_TICKETS = "tickets.view", _("See the conversations of one's teams")
    WORK_TICKETS = "tickets.work", _("Reply to, assign and update conversations")
    ALL_TEAMS_TICKETS = "tickets.all_teams", _("See and work the conversations of every team")
    VIEW_CALLS = "telephony.view", _("See the call log and one's own call report")
    REVIEW_CALLS = (
        "telephony.review",
        _("Hear every agent's calls and see every agent's call report"),
    )
    MANAGE_USERS = "accounts.manage_users", _("Create users and change their roles")
    MANAGE_CHANNELS = "channels.manage", _("Configure the support mailboxes and other channels")
    VIEW_AUDIT_LOG = "core.view_audit_log", _("Read the audit log")
    CONFIGURE_CHAT = "chat.configure", _("Set the live chat's rules")
    CONFIGURE_WORKFLOW = (
        "workflow.configure",
        _("Set the business calendars and the queue's rules"),
    )
    EDIT_KB = (
        "kb.edit",
        _("Write and publish knowledge base articles and see who read the regulations"),
    )
    TEACH = (
        "academy.teach",
        _("Mentor trainees: see their progress, grade their answers, hold meetings and role-plays"),
    )
    MANAGE_ACADEMY = (
        "academy.manage",
        _("Write plans, quizzes and the certification pool, assign plans and see exam quality"),
    )


_EVERY_STAFF_ROLE = frozenset(STAFF_ROLES)

_AGENT_WORK = {Perm.VIEW_TICKETS, Perm.WORK_TICKETS, Perm.VIEW_CALLS}
_HEAD_WORK = {
    *_AGENT_WORK,
    Perm.ALL_TEAMS_TICKETS,
    Perm.REVIEW_CALLS,
    Perm.CONFIGURE_CHAT,
    Perm.CONFIGURE_WORKFLOW,
    Perm.EDIT_KB,
    Perm.TEACH,
    Perm.MANAGE_ACADEMY,
}

ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.HEAD_OF_SUPPORT: frozenset(
        {Perm.VIEW_CRM, Perm.EDIT_CRM, Perm.DELETE_CRM, Perm.VIEW_AUDIT_LOG, *_HEAD_WORK}
    ),
    Role.SUPPORT_AGENT: frozenset({Perm.VIEW_CRM, Perm.EDIT_CRM, *_AGENT_WORK}),
    Role.HEAD_OF_SUCCESS: frozenset(
        {
            Perm.VIEW_CRM,
            Perm.EDIT_CRM,
            Perm.EDIT_COMMERCIAL,
            Perm.DELETE_CRM,
            Perm.VIEW_AUDIT_LOG,
            *_HEAD_WORK,
        }
    ),
    Role.CS_MANAGER: frozenset({Perm.VIEW_CRM, Perm.EDIT_CRM, Perm.EDIT_COMMERCIAL, *_AGENT_WORK}),
    # Mentors teach from the knowledge base, and keep it up to date.
    Role.MENTOR: frozenset({Perm.VIEW_CRM, Perm.EDIT_KB, Perm.TEACH, *_AGENT_WORK}),
    # Trainees answer real clients under supervision from their first weeks.
    Role.TRAINEE: frozenset({Perm.VIEW_CRM, *_AGENT_WORK}),
    Role.SALES: frozenset({Perm.VIEW_CRM, Perm.EDIT_CRM, Perm.EDIT_COMMERCIAL}),
    Role.CUSTOMER: frozenset(),
}

_ROLES_CACHE = "_carebase_roles"


def roles_of(user: Any) -> frozenset[Role]:
    """The roles of a user, read once per user object (one query)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        setattr(user, _ROLES_CACHE, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles after they change."""
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def has_perm(user: Any, perm: Perm) -> bool:
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(perm in ROLE_PERMS[role] for role in roles_of(user))


def require_perm(user: Any, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def is_staff_member(user: Any) -> bool:
    """Anyone who works in carebase (every role but customer)."""
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & _EVERY_STAFF_ROLE)


def is_customer(user: Any) -> bool:
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return Role.CUSTOMER in roles_of(user)
