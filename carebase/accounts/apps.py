from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import is_staff_member
from carebase.core.navigation import NavItem


class AccountsConfig(AppConfig):
    name = "carebase.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    navigation = [NavItem("accounts:teams", _("Teams"), is_staff_member, order=800)]
    home_panels = ["carebase.accounts.views.profile_panel"]

    def ready(self) -> None:
        from carebase.accounts import signals  # noqa: F401  (connects the receivers)
