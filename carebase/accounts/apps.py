from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm, is_staff_member
from carebase.core.navigation import NavItem


def _manages_users(user: Any) -> bool:
    return has_perm(user, Perm.MANAGE_USERS)


class AccountsConfig(AppConfig):
    name = "carebase.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    navigation = [
        NavItem("accounts:teams", _("Teams"), is_staff_member, order=800),
        NavItem("accounts:people", _("People"), _manages_users, order=850),
    ]
    home_panels = ["carebase.accounts.views.profile_panel"]

    def ready(self) -> None:
        from carebase.accounts import signals  # noqa: F401  (connects the receivers)
