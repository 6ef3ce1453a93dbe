from django.db import models
from django.utils.translation import gettext_lazy as _

from carebase.core.events import event_kinds


@event_kinds
class EventKind(models.TextChoices):
    USER_CREATED = "accounts.user_created", _("User created")
    ROLES_CHANGED = "accounts.roles_changed", _("Roles changed")
    PROFILE_UPDATED = "accounts.profile_updated", _("Profile updated")
    TOKEN_CREATED = "accounts.token_created", _("API token created")
    TOKEN_REVOKED = "accounts.token_revoked", _("API token revoked")
    PASSWORD_CHANGED = "accounts.password_changed", _("Password changed")
    PASSWORD_RESET = "accounts.password_reset", _("Password reset by email")
    TEAMS_CHANGED = "accounts.teams_changed", _("Teams changed")
    USER_DEACTIVATED = "accounts.user_deactivated", _("User deactivated")
    USER_REACTIVATED = "accounts.user_reactivated", _("User reactivated")
    INVITATION_SENT = "accounts.invitation_sent", _("Invitation sent")
    TEAM_MEMBERS_CHANGED = "accounts.team_members_changed", _("Team members changed")
